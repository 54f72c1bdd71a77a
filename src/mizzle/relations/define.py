"""Declaring relations: `relations(Users, lambda r: {"posts": r.many(Posts)})`.

Relations are kept in a registry keyed by table class, so `db.query` finds them from the tables
alone. The declaring function is called lazily (on first use), so it may name tables defined
later in the module.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from mizzle.errors import SchemaError
from mizzle.schema.column import Column
from mizzle.schema.table import Table

T = TypeVar("T", bound=Table)
S = TypeVar("S", bound=Table)

ThroughSpec = type[Table] | tuple[Column[Any], Column[Any]]
"""A junction table, or the pair (junction column pointing at the source, junction column pointing at the target)."""


class One(Generic[T]):
    """A relation to at most one row of `target`.

    With `fields`/`references` this side holds the foreign key (`fields` are columns of the
    declaring table, `references` the matching columns of `target`). Without them, the link is
    inferred: from a matching `one(...)` declared on `target` with fields, else from the single
    foreign key between the two tables.
    """

    __slots__ = ("fields", "optional", "references", "relation_name", "target")

    kind = "one"

    def __init__(
        self,
        target: type[T],
        *,
        fields: Sequence[Column[Any]] = (),
        references: Sequence[Column[Any]] = (),
        relation_name: str | None = None,
        optional: bool | None = None,
    ) -> None:
        _check_target(target, "one")
        if len(fields) != len(references):
            raise SchemaError(
                f"one({target.__name__}): fields has {len(fields)} columns but references has {len(references)}"
            )
        self.target = target
        self.fields = tuple(fields)
        self.references = tuple(references)
        self.relation_name = relation_name
        self.optional = optional

    def __repr__(self) -> str:
        return f"one({self.target.__name__}{_name_repr(self.relation_name)})"


class Many(Generic[T]):
    """A relation to any number of rows of `target`.

    The link is inferred from a `one(...)` on `target` pointing back (matching `relation_name`
    when given), else from the single foreign key of `target` to this table. `fields` (columns of
    the declaring table) and `references` (columns of `target`) give it explicitly; `through`
    makes it many-to-many over a junction table.
    """

    __slots__ = ("fields", "references", "relation_name", "target", "through")

    kind = "many"

    def __init__(
        self,
        target: type[T],
        *,
        relation_name: str | None = None,
        fields: Sequence[Column[Any]] = (),
        references: Sequence[Column[Any]] = (),
        through: ThroughSpec | None = None,
    ) -> None:
        _check_target(target, "many")
        if len(fields) != len(references):
            raise SchemaError(
                f"many({target.__name__}): fields has {len(fields)} columns but references has {len(references)}"
            )
        if through is not None and fields:
            raise SchemaError(f"many({target.__name__}): give either through= or fields/references, not both")
        if through is not None and not (
            (isinstance(through, type) and issubclass(through, Table))
            or (isinstance(through, tuple) and len(through) == 2 and all(isinstance(c, Column) for c in through))
        ):
            raise SchemaError(
                f"many({target.__name__}): through= takes a junction table or a pair of its columns "
                f"(pointing at the source, pointing at the target), got {through!r}"
            )
        self.target = target
        self.relation_name = relation_name
        self.fields = tuple(fields)
        self.references = tuple(references)
        self.through = through

    def __repr__(self) -> str:
        return f"many({self.target.__name__}{_name_repr(self.relation_name)})"


Relation = One[Any] | Many[Any]


def _name_repr(name: str | None) -> str:
    return f", relation_name={name!r}" if name else ""


def _check_target(target: Any, what: str) -> None:
    if not (isinstance(target, type) and issubclass(target, Table) and hasattr(target, "__table__")):
        raise SchemaError(f"{what}() takes a table class, got {target!r}")


def one(
    target: type[T],
    *,
    fields: Sequence[Column[Any]] = (),
    references: Sequence[Column[Any]] = (),
    relation_name: str | None = None,
    optional: bool | None = None,
) -> One[T]:
    """A relation to at most one row of `target` (see `One`)."""
    return One(target, fields=fields, references=references, relation_name=relation_name, optional=optional)


def many(
    target: type[T],
    *,
    relation_name: str | None = None,
    fields: Sequence[Column[Any]] = (),
    references: Sequence[Column[Any]] = (),
    through: ThroughSpec | None = None,
) -> Many[T]:
    """A relation to any number of rows of `target` (see `Many`)."""
    return Many(target, relation_name=relation_name, fields=fields, references=references, through=through)


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
_generation = [0]


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
    out: dict[str, Relation] = {}
    for tr in _registry.get(table, ()):
        out.update(tr.defs)
    return out


def tables_with_relations() -> list[type[Table]]:
    """Every table that has relations registered, in registration order."""
    return list(_registry)


def generation() -> int:
    """A counter bumped whenever relations are registered (invalidates resolved caches)."""
    return _generation[0]
