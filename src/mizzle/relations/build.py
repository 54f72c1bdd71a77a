"""Compiling a relational query to ONE statement with the dialect's JSON aggregation.

The root level is a plain select of the root table. Each relation in `with_` becomes a
correlated scalar subquery in the parent's select list::

    coalesce((select json_group_array(json_array(d."id", d."title", <nested...>))
              from (select "posts"."id", "posts"."title" from "posts"
                    where "posts"."author_id" = "users"."id" and <where>
                    order by ... limit ? offset ?) "__d1"), json_array())   -- many
    (select json_array(...) from (select ... limit 1) "__d2")                -- one

A one() relation on the target's primary key (and no offset, extras or where, the key selected) that
hangs off the root, or off such a relation, is a `left join` instead, its columns following the
parent's in the row and decoded like a flat select's (`Compiler.relation`; the nested object is None
when the key column is NULL: no related row). The target joins as a derived table with renamed
columns, so raw SQL text at the parent's level naming a column without its table still means the
parent's column (SQLite and MariaDB merge such a derived table into the join)::

    select "order_details"."quantity", ..., "__t1"."__t1_0", "__t1"."__t1_3", ...
    from "order_details" left join (select "id" as "__t1_0", ... from "orders") "__t1"
      on "__t1"."__t1_0" = "order_details"."order_id"

The inner select (filter, order, limit of the level) is a derived table so ordering and limits
hold inside the aggregate; nested relations correlate to the derived table's alias, so a table
may appear at several depths (self-relations) without clashing. Only when a first-level
relation targets the root's own table is the inner table aliased (and the level's fragments
rebound to the alias).

Dialect hooks (override these to support another database; see `mizzle.dialects.base`):

- `json_row(values)`: one nested row as a JSON array (SQLite `json_array`, PostgreSQL
  `json_build_array`, MySQL `JSON_ARRAY`).
- `json_many(row, source, alias)`: the array of rows over `(source) alias`, `[]` when empty
  (SQLite `coalesce(json_group_array(row), json_array())`, PostgreSQL
  `coalesce(json_agg(row), '[]'::json)`, MySQL `coalesce(JSON_ARRAYAGG(row), JSON_ARRAY())`;
  a database without correlated derived tables can return a lateral join form here).
- `json_one(row, source, alias)`: the first row, or NULL.
- `json_value(ref, column)`: how a column value enters the JSON, plus the Python function
  undoing it before the column's decoder (SQLite: blobs as hex, reals as 17-digit text;
  PostgreSQL would map bytea and timestamps).
- `json_loads(value)`: the driver's value of a top-level JSON result -> Python lists.
- `json_statement(select)`: the whole statement as sent (default: unchanged; MariaDB prefixes
  `set statement group_concat_max_len = ... for` because its JSON_ARRAYAGG is cut at that length).
- `compile_relational(level, first)`: the whole plan (default: this `Compiler`). PostgreSQL runs a
  correlated subquery once per parent row, so it aggregates each relation once per key in a grouped
  derived table joined to the parent instead (`mizzle.dialects.postgres.relational_plan`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from mizzle.errors import QueryError
from mizzle.query.rows import Part
from mizzle.relations.config import Level, _check_extras, resolve_callable
from mizzle.relations.decode import Slot, compose, converter, from_text, row_class
from mizzle.relations.filters import correlation, rebind, scoped_alias
from mizzle.relations.resolve import Link
from mizzle.schema.column import Column
from mizzle.schema.table import Table
from mizzle.sql.chunks import SQL, Expr, Identifier

if TYPE_CHECKING:
    from mizzle.dialects.base import Dialect

ParentRef = Callable[[Column[Any]], Any]


class Compiler:
    """Builds the fragment and the row decoder for one relational query on one dialect."""

    def __init__(self, dialect: Dialect, root: Level) -> None:
        self.d = dialect
        self.root = root
        self.n = 0
        self.loads = dialect.json_loads

    def root_columns(self) -> tuple[list[Any], list[Any], list[str]]:
        """(columns, their decoders, their keys) the root level selects."""
        cols = self.root.table.__table__.columns
        keys = list(self.root.columns)
        fields: list[Any] = [cols[key] for key in keys]
        return fields, [c.decoder for c in fields], keys

    def compile_root(self, first: bool) -> tuple[SQL[Any], Part]:
        """(fragment, row part) of the whole query."""
        lv = self.root
        table = lv.table
        cols = table.__table__.columns
        fields, decoders, keys = self.root_columns()
        items: list[Any] = list(decoders)  # per field: its decoder, or the Part of a joined relation
        joins: list[Any] = []

        def parent(c: Column[Any]) -> Any:
            return cols[c.key]

        for name, (lk, sub) in lv.with_.items():
            items.append(self.relation(lk, sub, parent, 1, fields, joins))
            keys.append(name)
        for name, expr in self._extras(lv, table).items():
            fields.append(SQL._of((expr, " as ", Identifier(name))))
            items.append(expr.decoder)
            keys.append(name)
        if not fields:
            raise QueryError(f"{lv.path}: nothing selected (no columns, relations or extras)")
        chunks: list[Any] = ["select "]
        for i, f in enumerate(fields):
            if i:
                chunks.append(", ")
            chunks.append(f)
        chunks += [" from ", SQL.raw(table.__table__.from_sql(self.d.quote)), *joins]
        where = resolve_callable(lv.where, table)
        if where is not None:
            chunks += [" where ", where]
        chunks += self._order_limit(lv, table, 1 if first else lv.limit)
        return self.d.json_statement(SQL._of(tuple(chunks))), _object(row_class(table, keys), items)

    def relation(self, lk: Link, lv: Level, parent: ParentRef, depth: int, fields: list[Any],
                 joins: list[Any]) -> Part | Callable[[Any], Any]:
        """Relation `lk` of a row read as plain columns: its part of that row, or the decoder of its one column.

        A one() relation on the target's primary key (no offset, extras or where, the key selected) is a
        `left join` of the target as a derived table with renamed columns, which follow in `fields` (its
        part is None when the key is NULL: no related row); any other relation is one JSON value (`nested`).
        """
        if not _joinable(lk, lv):
            frag, conv = self.nested(lk, lv, parent, depth)
            fields.append(frag)
            return from_text(self.loads, conv)
        self.n += 1
        t_alias = f"__t{self.n}"
        target: type[Table] = lk.target
        tcols = target.__table__.columns
        # the target joins as a derived table whose columns are renamed (`"__t1"."__t1_0"`, ...), so raw
        # SQL text at the parent's level that names a column without its table still finds only the
        # parent's column (a plain join of the target would make such a name ambiguous)
        renamed = {k: f"{t_alias}_{i}" for i, k in enumerate(tcols)}
        q = self.d.quote
        inner = ", ".join(f"{q(c.name)} as {q(renamed[k])}" for k, c in tcols.items())
        source = target.__table__.from_sql(q)
        joins += [" left join ", SQL.raw(f"(select {inner} from {source}) {q(t_alias)}"), " on "]

        def own(c: Column[Any]) -> Identifier:
            return Identifier(t_alias, renamed[c.key])

        for i, (sc, tc) in enumerate(lk.pairs):
            joins += [" and " if i else "", own(tc), " = ", parent(sc)]
        fields += [own(tcols[k]) for k in lv.columns]
        items: list[Any] = [tcols[k].decoder for k in lv.columns]
        keys = list(lv.columns)

        for name, (child, sub) in lv.with_.items():
            items.append(self.relation(child, sub, own, depth + 1, fields, joins))
            keys.append(name)
        part = _object(row_class(target, keys), items)
        part.nullable = True
        part.null_check = [lv.columns.index(tc.key) for _, tc in lk.pairs]
        return part

    def nested(self, lk: Link, lv: Level, parent: ParentRef, depth: int) -> tuple[SQL[Any], Callable[[Any], Any]]:
        """The JSON value of relation `lk` for one parent row, and its Python converter."""
        self.n += 1
        n = self.n
        d_alias = f"__d{n}"
        target: type[Table] = lk.target
        inner = target
        if depth == 1 and target.__table__.name == self.root.table.__table__.name:
            inner = scoped_alias(target, f"{target.__table__.name}__{n}")
        icols = inner.__table__.columns

        def own(value: Any) -> Any:
            value = resolve_callable(value, inner)
            return rebind(value, target, inner) if inner is not target else value

        # inner select: the level's columns, what nested relations correlate on, extras
        select_keys: list[str] = list(lv.columns)
        for child, _ in lv.with_.values():
            for c in child.source_columns():
                if c.key not in select_keys:
                    select_keys.append(c.key)
        extras = {k: own(v) for k, v in self._extras(lv, inner).items()}
        sel: list[Any] = [icols[k] for k in select_keys]
        sel += [SQL._of((e, " as ", Identifier(f"__x{i}"))) for i, e in enumerate(extras.values())]
        if not sel:
            sel = [SQL.raw("1")]
        conds = correlation(lk, inner, parent, f"__j{n}")
        where = own(lv.where)
        if where is not None:
            conds.append(SQL._of(("(", where, ")")))
        chunks: list[Any] = ["select "]
        for i, s in enumerate(sel):
            if i:
                chunks.append(", ")
            chunks.append(s)
        chunks += [" from ", SQL.raw(inner.__table__.from_sql(self.d.quote)), " where "]
        for i, c in enumerate(conds):
            if i:
                chunks.append(" and ")
            chunks.append(c)
        order = own(lv.order_by)
        chunks += self._orderings(order)
        limit = 1 if lk.kind == "one" else lv.limit
        chunks += self.d.limit_offset(limit, lv.offset)
        source = SQL._of(tuple(chunks))

        # the JSON row, read from the derived table
        values: list[Any] = []
        slots: list[Slot] = []
        keys: list[str] = []
        tcols = target.__table__.columns
        for key in lv.columns:
            col = tcols[key]
            frag, pre = self.d.json_value(Identifier(d_alias, col.name), col)
            values.append(frag)
            slots.append(Slot("value", compose(pre, col.decoder)))
            keys.append(key)

        def child_parent(c: Column[Any]) -> Any:
            return Identifier(d_alias, c.name)

        for name, (child, sub) in lv.with_.items():
            frag, conv = self.nested(child, sub, child_parent, depth + 1)
            values.append(frag)
            slots.append(Slot(child.kind, conv))
            keys.append(name)
        for i, (name, expr) in enumerate(extras.items()):
            frag, pre = self.d.json_value(Identifier(d_alias, f"__x{i}"), None)
            values.append(frag)
            slots.append(Slot("value", compose(pre, expr.decoder)))
            keys.append(name)
        row = self.d.json_row(values)
        conv = converter(row_class(target, keys), slots, lk.kind == "many")
        if lk.kind == "many":
            return self.d.json_many(row, source, d_alias), conv
        return self.d.json_one(row, source, d_alias), conv

    def _extras(self, lv: Level, table: type[Table]) -> Mapping[str, Expr[Any]]:
        if lv.extras is None:
            return {}
        extras: Mapping[str, Expr[Any]] = resolve_callable(lv.extras, table)
        _check_extras(lv.table, lv.path, extras, lv.columns)
        return extras

    def _orderings(self, order: Any) -> list[Any]:
        if order is None or order == ():
            return []
        terms: tuple[Any, ...] = tuple(order) if isinstance(order, list | tuple) else (order,)  # pyright: ignore[reportUnknownArgumentType,reportUnknownVariableType]
        if not terms:
            return []
        return [" order by ", *self.d._orderings(terms)]

    def _order_limit(self, lv: Level, table: type[Table], limit: Any) -> list[Any]:
        out = self._orderings(resolve_callable(lv.order_by, table))
        return out + self.d.limit_offset(limit, lv.offset)


def _joinable(lk: Link, lv: Level) -> bool:
    """Whether relation `lk` loads at most one row a left join can bring: a one() on the target's
    primary key (not through a junction), with no offset, extras or where, its key among the selected columns."""
    if lk.kind != "one" or lk.through is not None or lv.offset is not None or lv.extras is not None:
        return False
    if lv.where is not None:
        return False  # its where may name the parent's columns (or bare names of the target): the JSON plan scopes it
    pk = {c.key for c in lk.target.__table__.primary_key}
    key = {tc.key for _, tc in lk.pairs}
    return bool(pk) and key == pk and key <= set(lv.columns)


def _object(cls: type[Any], items: list[Any]) -> Part:
    """The part building one `cls` object from `items` (per field a column's decoder, or the Part of a
    joined relation): a flat row when every field is one column."""
    if not any(isinstance(i, Part) for i in items):
        return Part("row", cls, items)
    return Part("record", cls, children=[i if isinstance(i, Part) else Part("value", None, [i]) for i in items])
