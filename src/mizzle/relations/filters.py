"""Filtering on related rows: `where=has(Users.posts, like(Posts.title, "M%"))`.

`has(Users.posts, condition)` (or `has(Users, "posts", condition)`) is `exists (select 1 from <related> where <link> and
<condition>)`: true when at least one related row matches (any row when no condition). Use
`not_(has(...))` for "has none". It works in any `where`: a relational query at any level, or a
plain `db.select()`.
"""

from __future__ import annotations

from typing import Any, overload

from mizzle.errors import QueryError
from mizzle.relations.resolve import Link, link
from mizzle.schema.column import Column
from mizzle.schema.relation import Load, RelationRef
from mizzle.schema.table import Table, alias
from mizzle.sql.chunks import SQL, Buildable, Identifier
from mizzle.sql.operators import ILike, Ordering


class Has(Buildable):
    """The `exists (...)` node built by `has()`; the relation is resolved when rendered."""

    __slots__ = ("condition", "relation", "source", "table")
    _parens = False

    def __init__(self, table: type[Table], relation: str, condition: Any, source: type[Table] | None = None) -> None:
        self.table = table  # the table declaring the relation
        self.relation = relation
        self.condition = condition
        self.source = source or table  # what the outer row is called (an alias in nested levels)

    def _build(self, dialect: Any) -> SQL[Any]:
        lk = link(self.table, self.relation)
        target: type[Table] = lk.target
        cond = self.condition
        if target.__table__.name == self.source.__table__.ref_name or target is self.table:
            inner = scoped_alias(target, f"{target.__table__.name}__has_{self.relation}")
            cond = rebind(cond, target, inner) if cond is not None else None
            target = inner
        scols = self.source.__table__.columns

        def parent(c: Column[Any]) -> Any:
            return scols[c.key]

        corr = correlation(lk, target, parent, f"__hj_{self.relation}")
        parts: list[Any] = ["exists (select 1 from ", SQL.raw(target.__table__.from_sql(dialect.quote)), " where "]
        for i, c in enumerate([*corr, *([cond] if cond is not None else [])]):
            if i:
                parts.append(" and ")
            parts += ["(", c, ")"] if c is cond else [c]
        parts.append(")")
        return SQL._of(tuple(parts))


@overload
def has(relation: RelationRef[Any, Any], condition: SQL[Any] | None = None, /) -> SQL[bool]: ...
@overload
def has(table: type[Table], relation: str, condition: SQL[Any] | None = None) -> SQL[bool]: ...
def has(table: Any, relation: Any = None, condition: SQL[Any] | None = None) -> SQL[bool]:
    """True when a row of the table has a related row through the relation (matching `condition`):
    `has(Users.posts, like(Posts.title, "M%"))` (the relation read on the class, checked by the type
    checkers), or by name, `has(Users, "posts", ...)`."""
    if isinstance(table, Load):
        given: Load[Any] = table  # pyright: ignore[reportUnknownVariableType]
        if not isinstance(given, RelationRef):
            raise QueryError(f"has() takes a relation read on its table ({given.owner.__name__}.{given.name}), "
                             f"not one with load options: {given!r}")
        ref: RelationRef[Any, Any] = given  # pyright: ignore[reportUnknownVariableType]
        if isinstance(relation, str):
            raise QueryError(f"has({ref!r}, ...): the relation is given; pass the condition second")
        return has(ref.owner, ref.name, relation if relation is not None else condition)
    if not isinstance(relation, str):
        raise QueryError(f"has() takes a relation (has(Users.posts, condition)) or a table and a relation name "
                         f"(has(Users, 'posts', condition)), got {table!r}, {relation!r}")
    link(table, relation)  # fail early on an unknown relation
    return SQL._of((Has(table, relation, condition),))


def correlation(lk: Link, target: type[Table], parent: Any, junction_alias: str) -> list[Any]:
    """Conditions tying rows of `target` (the relation's target, possibly aliased) to the parent row.

    `parent(col)` gives the chunk for a source column (a column or `"alias"."name"`).
    """
    cols = target.__table__.columns
    if lk.through is None:
        out: list[Any] = []
        for sc, tc in lk.pairs:
            out.append(SQL._of((cols[tc.key], " = ", parent(sc))))
        return out
    j = scoped_alias(lk.through, junction_alias)
    jmeta = lk.through.__table__
    jcols = j.__table__.columns
    name = Identifier(jmeta.schema, jmeta.name) if jmeta.schema else Identifier(jmeta.name)
    chunks: list[Any] = ["exists (select 1 from ", name, " ", Identifier(junction_alias), " where "]
    first = True
    for jc, tc in lk.target_pairs:
        chunks += ([] if first else [" and "]) + [jcols[jc.key], " = ", cols[tc.key]]
        first = False
    for jc, sc in lk.source_pairs:
        chunks += [" and ", jcols[jc.key], " = ", parent(sc)]
    chunks.append(")")
    return [SQL._of(tuple(chunks))]


_aliases: dict[tuple[type[Table], str], type[Table]] = {}


def scoped_alias(table: type[Table], name: str) -> type[Table]:
    """`alias(table, name)`, built once per (table, name): relational plans alias a table on every call."""
    out = _aliases.get((table, name))
    if out is None:
        if len(_aliases) > 4096:
            _aliases.clear()
        out = _aliases[(table, name)] = alias(table, name)
    return out


def rebind(fragment: Any, table: type[Table], to: type[Table]) -> Any:
    """A copy of `fragment` where columns of `table` read from `to` (an alias of it)."""
    tf: type[Any] = type(fragment)  # pyright: ignore[reportUnknownVariableType]
    if issubclass(tf, Column):
        column: Column[Any] = fragment
        return to.__table__.columns[column.key] if column.table is table else column
    if tf is SQL:
        out: SQL[Any] = SQL._of(tuple(rebind(c, table, to) for c in fragment.chunks), fragment.decoder)
        out.encoder = fragment.encoder
        return out
    if tf is Ordering:
        return Ordering(rebind(fragment.expr, table, to), fragment.direction, fragment.nulls)
    if tf is ILike:
        return ILike(rebind(fragment.column, table, to), fragment.pattern, fragment.negate)
    if tf is Has:
        src = to if fragment.source is table else fragment.source
        return Has(fragment.table, fragment.relation, fragment.condition, src)
    if tf is tuple or tf is list:
        return tf(rebind(c, table, to) for c in fragment)  # pyright: ignore[reportUnknownVariableType]
    if tf is dict:
        return {k: rebind(v, table, to) for k, v in fragment.items()}
    return fragment


__all__ = ["Has", "Identifier", "correlation", "has", "rebind", "scoped_alias"]
