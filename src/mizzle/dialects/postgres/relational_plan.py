"""PostgreSQL's plan for relational queries: one grouped derived table per relation, joined on the key.

PostgreSQL runs a correlated subquery once per parent row and cannot turn it into a join (neither
a scalar subquery nor a LATERAL join); without an index on the child's foreign key column every
parent row scans the whole child table. So each relation becomes a derived table holding *all*
the nested rows it needs, aggregated once per key, and the parent joins it on that key::

    select "users"."id", ..., coalesce("__g1"."__j", '[]'::json) as "posts"
    from "users"
    left join (
        select "__d1"."__k0", json_agg(json_build_array("__d1"."id", ...) order by "__d1"."__rn") as "__j"
        from (select "posts"."id", ..., "posts"."author_id" as "__k0",
                     row_number() over (partition by "posts"."author_id" order by <order>) as "__rn"
              from "posts"
              where "posts"."author_id" in (select "users"."id" from "users" where <root where> ...)
                and (<where>)) "__d1"
        left join (<the same for posts' relations>) "__g2" on "__g2"."__k0" = "__d1"."id"
        where "__d1"."__rn" <= <limit>                      -- per-parent limit / offset
        group by "__d1"."__k0"
    ) "__g1" on "__g1"."__k0" = "users"."id"
    where <root where> order by <root order> limit <root limit>

- The window (`row_number() over (partition by key order by ...)`) carries a level's order into
  the aggregate and cuts its per-parent limit and offset; a level without a limit or offset has
  no window (its order goes into `json_agg(... order by ...)` and it aggregates straight from the
  table). A one() relation keeps the first row per key (no window when the key is the target's
  primary key).
- The nested rows are narrowed to the parents the query can return: a root with a limit or offset
  (and an order, or no where) is read once into a CTE `"__r"` (aliased as the root table, extras
  computed there before the limit) and the first level reads only rows whose key is `in (select
  <key> from "__r")`; a root with a where (and no order) narrows on `in (select <key> from <root>
  where ...)` — never on an unordered limit evaluated twice. Each deeper level reads only rows
  under those (ignoring the per-parent limits: a superset, cut by the join). With an index on the
  key the planner looks the keys up; without one it scans the child table once and hashes —
  never once per parent.
- A nested where / order_by / extras naming another table's columns (the parent row) needs the
  correlated plan: `reads_outer_rows` sends those queries to `mizzle.relations.build`.
- Many-to-many reads the junction's distinct (source key, target key) pairs, joined to the target.

The JSON rows are the same arrays as the correlated plan's (`mizzle.relations.build`), decoded
by the same converters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from mizzle.query.rows import Part
from mizzle.relations.build import Compiler
from mizzle.relations.config import Level, resolve_callable
from mizzle.relations.decode import Slot, compose, converter, from_text, row_class
from mizzle.relations.filters import scoped_alias
from mizzle.relations.resolve import Link
from mizzle.schema.column import Column
from mizzle.schema.table import Table
from mizzle.sql.chunks import SQL, Aliased, ColumnRef, Identifier
from mizzle.sql.operators import ILike, Ordering

_EMPTY = SQL.raw("'[]'::json")


def _names_other_tables(fragment: Any, own: str) -> bool:
    """Whether `fragment` reads a column of a table other than `own` (a reference to an outer row)."""
    if isinstance(fragment, ColumnRef):
        return fragment.table_alias != own
    if isinstance(fragment, SQL):
        return any(_names_other_tables(c, own) for c in fragment.chunks)
    if isinstance(fragment, Ordering | Aliased):
        inner: Any = fragment.expr  # pyright: ignore[reportUnknownMemberType,reportUnknownVariableType]
        return _names_other_tables(inner, own)
    if isinstance(fragment, ILike):
        return _names_other_tables(fragment.column, own)
    if isinstance(fragment, tuple | list):
        items: Sequence[Any] = fragment  # pyright: ignore[reportUnknownVariableType]
        return any(_names_other_tables(item, own) for item in items)  # pyright: ignore[reportUnknownVariableType]
    if isinstance(fragment, dict):
        values: dict[Any, Any] = fragment  # pyright: ignore[reportUnknownVariableType]
        return any(_names_other_tables(c, own) for c in values.values())
    return False


def reads_outer_rows(level: Level) -> bool:
    """Whether a nested level's where / order_by / extras name another table's columns (the parent
    row, say): those need the correlated plan, where the parent row is in scope."""
    for _, sub in level.with_.values():
        own = sub.table.__table__.ref_name
        for part in (sub.where, sub.order_by, sub.extras):
            if _names_other_tables(resolve_callable(part, sub.table), own):
                return True
        if reads_outer_rows(sub):
            return True
    return False


def _join(items: Sequence[Any], sep: str) -> list[Any]:
    out: list[Any] = []
    for i, item in enumerate(items):
        if i:
            out.append(sep)
        out.append(item)
    return out


def _in(keys: Sequence[Any], keyset: SQL[Any]) -> SQL[Any]:
    """`k in (keyset)`, or `(k1, k2) in (keyset)` for a composite key."""
    left: list[Any] = [keys[0]] if len(keys) == 1 else ["(", *_join(keys, ", "), ")"]
    return SQL._of((*left, " in (", keyset, ")"))


class GroupedCompiler(Compiler):
    """`Compiler` with relations as grouped derived tables joined on their key (see the module doc)."""

    def compile_root(self, first: bool) -> tuple[SQL[Any], Part]:
        lv = self.root
        table = lv.table
        cols = table.__table__.columns
        fields, decoders, keys = self.root_columns()
        meta = table.__table__
        where = resolve_callable(lv.where, table)
        limit = 1 if first else lv.limit
        order_by = self._orderings(resolve_callable(lv.order_by, table))
        order = order_by + self.d.limit_offset(limit, lv.offset)
        extras = self._extras(lv, table)
        from_: list[Any] = [SQL.raw(meta.from_sql(self.d.quote))]
        # A root that is a top-N (ordered, limited) is read once into a CTE the nested levels
        # narrow on, instead of sorting the table twice; the extras are computed there, before
        # the limit, as in a plain select.
        # A limited root without an order and with a where narrows on the where alone (a superset: two
        # evaluations of an unordered limit may pick different rows).
        cut = limit is not None or lv.offset is not None
        staged = bool(lv.with_) and cut and (bool(order_by) or where is None) and not meta.schema and not meta.alias
        head: list[Any] = []
        extra_fields: list[Any] = list(extras.values())
        if staged:
            q = self.d.quote
            head = ["with ", Identifier("__r"), " as (select ", SQL.raw(q(meta.name) + ".*")]
            for i, expr in enumerate(extras.values()):
                head += [", ", expr, " as ", Identifier(f"__x{i}")]
            head += [" from ", *from_]
            if where is not None:
                head += [" where ", where]
            head += [*order, ") "]
            extra_fields = [Identifier(meta.name, f"__x{i}") for i in range(len(extras))]
            from_ = [SQL.raw(q("__r") + " " + q(meta.name))]
            where, order = None, order_by

        def keyset(source_cols: list[Column[Any]]) -> SQL[Any] | None:
            if not staged and where is None:
                return None
            chunks: list[Any] = ["select ", *_join([cols[c.key] for c in source_cols], ", "), " from ", *from_]
            if where is not None:
                chunks += [" where ", where]
            return SQL._of(tuple(chunks))

        joins: list[Any] = []
        for name, (lk, sub) in lv.with_.items():
            g_alias, frag, conv = self.grouped(lk, sub, keyset(lk.source_columns()))
            joins += [" left join (", frag, ") ", Identifier(g_alias), " on ",
                      *self._on(lk, g_alias, lambda c: cols[c.key])]
            value: Any = Identifier(g_alias, "__j")
            if lk.kind == "many":
                value = SQL._of(("coalesce(", value, ", ", _EMPTY, ")"))
            fields.append(SQL._of((value, " as ", Identifier(name))))
            decoders.append(from_text(self.loads, conv))
            keys.append(name)
        for (name, expr), field in zip(extras.items(), extra_fields, strict=True):
            fields.append(SQL._of((field, " as ", Identifier(name))))
            decoders.append(expr.decoder)
            keys.append(name)
        if not fields:
            from mizzle.errors import QueryError

            raise QueryError(f"{lv.path}: nothing selected (no columns, relations or extras)")
        chunks: list[Any] = [*head, "select ", *_join(fields, ", "), " from ", *from_, *joins]
        if where is not None:
            chunks += [" where ", where]
        chunks += order
        part = Part("row", row_class(table, keys), decoders)
        return self.d.json_statement(SQL._of(tuple(chunks))), part

    @staticmethod
    def _on(lk: Link, g_alias: str, parent: Callable[[Column[Any]], Any]) -> list[Any]:
        """`g.__k0 = <parent col> and ...` joining a grouped relation to its parent rows."""
        conds: list[Any] = [SQL._of((Identifier(g_alias, f"__k{i}"), " = ", parent(sc)))
                            for i, sc in enumerate(lk.source_columns())]
        return _join(conds, " and ")

    def grouped(self, lk: Link, lv: Level, parents: SQL[Any] | None) -> tuple[str, SQL[Any], Any]:
        """(alias, derived table of `__k0.., __j` per parent key, converter) for relation `lk`.

        `parents` selects the parent keys the query can return (None: every row may be a parent).
        """
        self.n += 1
        n = self.n
        d_alias, g_alias = f"__d{n}", f"__g{n}"
        target: type[Table] = lk.target
        tcols = target.__table__.columns
        many = lk.kind == "many"

        # the key each nested row belongs to, and what narrows the rows to the returned parents
        from_: list[Any] = [SQL.raw(target.__table__.from_sql(self.d.quote))]
        conds: list[Any] = []
        key_exprs: list[Any]
        if lk.through is None:
            key_exprs = [tcols[tc.key] for _, tc in lk.pairs]
        else:
            j_alias = f"__j{n}"
            j = scoped_alias(lk.through, j_alias)
            jcols = j.__table__.columns
            pairs = [jcols[jc.key] for jc, _ in lk.source_pairs] + [jcols[jc.key] for jc, _ in lk.target_pairs]
            on = [SQL._of((Identifier(j_alias, jc.name), " = ", tcols[tc.key])) for jc, tc in lk.target_pairs]
            from_ += [" join (select distinct ", *_join(pairs, ", "), " from ",
                      SQL.raw(lk.through.__table__.from_sql(self.d.quote)), " ", Identifier(j_alias), ") ",
                      Identifier(j_alias), " on ", *_join(on, " and ")]
            key_exprs = [Identifier(j_alias, jc.name) for jc, _ in lk.source_pairs]
        if parents is not None:
            conds.append(_in(key_exprs, parents))
        where = resolve_callable(lv.where, target)
        if where is not None:
            conds.append(SQL._of(("(", where, ")")))

        # inner select: the level's columns, what nested relations join on, extras, key, window
        select_keys: list[str] = list(lv.columns)
        for child, _ in lv.with_.values():
            for c in child.source_columns():
                if c.key not in select_keys:
                    select_keys.append(c.key)
        extras = self._extras(lv, target)
        sel: list[Any] = [tcols[k] for k in select_keys]
        sel += [SQL._of((e, " as ", Identifier(f"__x{i}"))) for i, e in enumerate(extras.values())]
        sel += [SQL._of((k, " as ", Identifier(f"__k{i}"))) for i, k in enumerate(key_exprs)]
        order = self._orderings(resolve_callable(lv.order_by, target))
        cut = lv.limit is not None or lv.offset is not None
        if many:
            windowed = cut
        else:
            pk = {c.key for c in target.__table__.primary_key}
            windowed = lk.through is not None or not pk or {tc.key for _, tc in lk.pairs} != pk
        if windowed:
            sel.append(SQL._of(("row_number() over (partition by ", *_join(key_exprs, ", "), *order, ") as ",
                                Identifier("__rn"))))
        inner: list[Any] = ["select ", *_join(sel, ", "), " from ", *from_]
        if conds:
            inner += [" where ", *_join(conds, " and ")]

        # this level's rows, narrowed for the nested relations (per-parent limits not applied)
        def keyset(source_cols: list[Column[Any]]) -> SQL[Any] | None:
            if not conds:
                return None
            return SQL._of(("select ", *_join([tcols[c.key] for c in source_cols], ", "), " from ", *from_,
                            " where ", *_join(conds, " and ")))

        # the JSON row: read from the derived table when windowed, else straight from the table
        def derived(c: Column[Any]) -> Any:
            return Identifier(d_alias, c.name)

        def direct(c: Column[Any]) -> Any:
            return tcols[c.key]

        ref: Callable[[Column[Any]], Any] = derived if windowed else direct
        if windowed:

            extra_refs: list[Any] = [Identifier(d_alias, f"__x{i}") for i in range(len(extras))]
            out_keys: list[Any] = [Identifier(d_alias, f"__k{i}") for i in range(len(key_exprs))]
        else:
            extra_refs = list(extras.values())
            out_keys = key_exprs
        values: list[Any] = []
        slots: list[Slot] = []
        keys: list[str] = []
        for key in lv.columns:
            col = tcols[key]
            frag, pre = self.d.json_value(ref(col), col)
            values.append(frag)
            slots.append(Slot("value", compose(pre, col.decoder)))
            keys.append(key)
        joins: list[Any] = []
        for name, (child, sub) in lv.with_.items():
            c_alias, frag, conv = self.grouped(child, sub, keyset(child.source_columns()))
            joins += [" left join (", frag, ") ", Identifier(c_alias), " on ", *self._on(child, c_alias, ref)]
            cvalue: Any = Identifier(c_alias, "__j")
            if child.kind == "many":
                cvalue = SQL._of(("coalesce(", cvalue, ", ", _EMPTY, ")"))
            values.append(cvalue)
            slots.append(Slot(child.kind, conv))
            keys.append(name)
        for (name, expr), eref in zip(extras.items(), extra_refs, strict=True):
            frag, pre = self.d.json_value(eref, None)
            values.append(frag)
            slots.append(Slot("value", compose(pre, expr.decoder)))
            keys.append(name)
        row = self.d.json_row(values)
        conv = converter(row_class(target, keys), slots, many)

        named = out_keys if windowed else [SQL._of((k, " as ", Identifier(f"__k{i}"))) for i, k in enumerate(out_keys)]
        outer: list[Any] = ["select ", *_join(named, ", "), ", "]
        if not many:
            outer.append(row)
        elif windowed:
            outer += ["json_agg(", row, " order by ", Identifier(d_alias, "__rn"), ")"]
        else:
            outer += ["json_agg(", row, *order, ")"]
        outer += [" as ", Identifier("__j"), " from "]
        filt: list[Any] = []
        if windowed:
            outer += ["(", SQL._of(tuple(inner)), ") ", Identifier(d_alias), *joins]
            rn = Identifier(d_alias, "__rn")
            if not many:
                filt = [rn, " = 1"]
            elif lv.limit is not None and lv.offset is not None:
                filt = [rn, " - ", self._count(lv.offset), " between 1 and ", self._count(lv.limit)]
            elif lv.limit is not None:
                filt = [rn, " <= ", self._count(lv.limit)]
            elif lv.offset is not None:
                filt = [rn, " > ", self._count(lv.offset)]
        else:
            outer += [*from_, *joins]
            filt = _join(conds, " and ")
        if filt:
            outer += [" where ", *filt]
        if many:
            outer += [" group by ", *_join(out_keys, ", ")]
        return g_alias, SQL._of(tuple(outer)), conv

    def _count(self, value: Any) -> Any:
        """A limit / offset value as an SQL operand (bound like the dialect's ` limit ?`)."""
        chunks = self.d.limit_offset(value, None)
        return SQL._of(("(", chunks[1], ")::bigint"))
