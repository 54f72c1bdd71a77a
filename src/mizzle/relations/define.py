"""Declaring relations.

The typed way declares them on the table class, so a loaded row's relation has a static type::

    class Users(Table, name="users"):
        id: Column[int] = integer().primary_key()
        posts: Many[Posts] = many()          # row.posts: list[Posts]
        profile: One[Profiles | None] = one()  # row.profile: Profiles | None

The target comes from the annotation (evaluated lazily in the module, so it may name tables defined
later) or from an argument (`many(Posts)`, `many(lambda: Posts)`); `relation_name`, `fields`,
`references` and `through` work as in Drizzle. Reading a relation that the query did not load raises
`RelationNotLoadedError` naming the `with_` entry that loads it.

Drizzle's form `relations(Users, lambda r: {"posts": r.many(Posts)})` also works (rows are then
typed by their columns only). Relations are kept in a registry keyed by table class, so `db.query`
finds them from the tables alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from mizzle.errors import SchemaError
from mizzle.schema.column import Column
from mizzle.schema.relation import (
    Many,
    One,
    Relation,
    ThroughSpec,
    _class_declared,
    _generation,
    class_relations,
    generation,
    many,
    one,
)
from mizzle.schema.table import Table, is_table

T = TypeVar("T", bound=Table)
S = TypeVar("S", bound=Table)


class RelationBuilder(Generic[S]):
    """The `r` passed to a `relations(table, lambda r: {...})` function: `r.one(...)`, `r.many(...)`."""

    __slots__ = ("table",)

    def __init__(self, table: type[S]) -> None:
        self.table = table

    def one(
        self,
        target: type[T],
        *,
        fields: Sequence[Column[Any]] = (),
        references: Sequence[Column[Any]] = (),
        relation_name: str | None = None,
        optional: bool | None = None,
    ) -> One[T]:
        """A relation to at most one row of `target`."""
        return one(target, fields=fields, references=references, relation_name=relation_name, optional=optional)

    def many(
        self,
        target: type[T],
        *,
        relation_name: str | None = None,
        fields: Sequence[Column[Any]] = (),
        references: Sequence[Column[Any]] = (),
        through: ThroughSpec | None = None,
    ) -> Many[T]:
        """A relation to any number of rows of `target`."""
        return many(target, relation_name=relation_name, fields=fields, references=references, through=through)


RelationsSpec = Callable[[RelationBuilder[Any]], Mapping[str, Relation]] | Mapping[str, Relation]


class TableRelations:
    """The relations declared for one table (what `relations(...)` returns and registers)."""

    __slots__ = ("_defs", "_spec", "table")

    def __init__(self, table: type[Table], spec: RelationsSpec) -> None:
        self.table = table
        self._spec = spec
        self._defs: dict[str, Relation] | None = None

    @property
    def defs(self) -> dict[str, Relation]:
        """The relations by name (the declaring function is called on first access)."""
        if self._defs is None:
            spec = self._spec
            raw = spec(RelationBuilder(self.table)) if callable(spec) else spec
            if not isinstance(raw, Mapping):
                raise SchemaError(
                    f"relations({self.table.__name__}, ...): the function must return a dict of "
                    f"name -> r.one(...)/r.many(...), got {raw!r}"
                )
            out: dict[str, Relation] = {}
            for name, rel in raw.items():
                if not isinstance(name, str) or not name.isidentifier():
                    raise SchemaError(f"relations({self.table.__name__}): relation name {name!r} is not an identifier")
                if not isinstance(rel, One | Many):
                    raise SchemaError(
                        f"relations({self.table.__name__}): {name!r} must be r.one(...) or r.many(...), got {rel!r}"
                    )
                if name in self.table.__table__.columns:
                    raise SchemaError(
                        f"relations({self.table.__name__}): relation {name!r} has the same name as a column"
                    )
                out[name] = rel
            self._defs = out
        return self._defs

    def __repr__(self) -> str:
        return f"relations({self.table.__name__})"


_registry: dict[type[Table], list[TableRelations]] = {}


def relations(table: type[T], spec: Callable[[RelationBuilder[T]], Mapping[str, Relation]] | Mapping[str, Relation]
              ) -> TableRelations:
    """Declare `table`'s relations: `relations(Users, lambda r: {"posts": r.many(Posts)})`.

    Also accepts a dict built with the standalone `one(...)`/`many(...)`. Several calls for one
    table add up (a later relation of the same name replaces the earlier one).
    """
    if not (isinstance(table, type) and issubclass(table, Table) and hasattr(table, "__table__")):
        raise SchemaError(f"relations() takes a table class first, got {table!r}")
    if not callable(spec) and not isinstance(spec, Mapping):
        raise SchemaError(f"relations({table.__name__}, ...): give a function r -> dict, or a dict")
    tr = TableRelations(table, spec)  # pyright: ignore[reportArgumentType]
    _registry.setdefault(table, []).append(tr)
    _generation[0] += 1
    return tr


def declared(table: type[Table]) -> dict[str, Relation]:
    """Every relation declared for `table`, by name."""
    out = class_relations(table)
    for tr in _registry.get(table, ()):
        out.update(tr.defs)
    return out


def tables_with_relations() -> list[type[Table]]:
    """Every table that has relations declared (on the class or with `relations(...)`)."""
    out = [t for t in _class_relation_tables() if t not in _registry]
    return out + list(_registry)


def _class_relation_tables() -> list[type[Table]]:
    return [t for t in _class_declared if is_table(t)]


__all__ = [
    "Many",
    "One",
    "Relation",
    "RelationBuilder",
    "TableRelations",
    "ThroughSpec",
    "declared",
    "generation",
    "many",
    "one",
    "relations",
]
