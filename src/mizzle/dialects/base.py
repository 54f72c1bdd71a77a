"""`Dialect`: quoting, placeholders, capabilities, and the statement skeletons every database shares.

A dialect turns a builder's configuration into an `SQL` fragment. Builders never look at the
dialect's name; a dialect overrides only the pieces where its database differs.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from mizzle.dialects.functions import Functions
from mizzle.errors import QueryError
from mizzle.query.dialect import Capabilities as Capabilities
from mizzle.schema.column import Column
from mizzle.sql.chunks import SQL, Aliased, Expr, Identifier, Inline, Param, Placeholder
from mizzle.sql.identifiers import IdentifierRules, quote_identifier
from mizzle.sql.operators import Ordering

if TYPE_CHECKING:
    from mizzle.query.dml import Delete, Insert, Update
    from mizzle.query.rows import Part
    from mizzle.query.select import Select
    from mizzle.relations.config import Level


class Dialect:
    """Base dialect. Subclasses set `name`, `caps`, quoting and placeholders."""

    name: str = "base"
    caps: Capabilities = Capabilities()
    quote_char: str = '"'
    identifiers: IdentifierRules = IdentifierRules()
    escape_text: Callable[[str], str] | None = None
    functions: Functions = Functions()
    """How the expression functions (`mizzle.sql.functions`) are spelled on this database."""

    def __init__(self, paramstyle: str = "qmark") -> None:
        self.paramstyle = paramstyle
        if paramstyle == "format":
            self.escape_text = _escape_percent
            self.placeholder = _format_placeholder  # type: ignore[method-assign]
        elif paramstyle == "numeric_dollar":
            self.placeholder = _dollar_placeholder  # type: ignore[method-assign]
        q = self.quote_char
        cache: dict[str, str] = {}

        def quote(name: str) -> str:
            out = cache.get(name)
            if out is None:
                out = quote_identifier(name, q)
                cache[name] = out
            return out

        self.quote = quote  # type: ignore[method-assign]
        self._field_cache: dict[tuple[Any, ...], str] = {}
        self._query_cache: dict[tuple[Any, ...], str] = {}
        self._from_cache: dict[Any, str] = {}

    def quote(self, name: str) -> str:  # replaced per instance by a cached closure
        """Quote an identifier."""
        return quote_identifier(name, self.quote_char)

    def placeholder(self, index: int) -> str:
        """The parameter marker for the `index`-th parameter (0-based)."""
        return "?"

    def literal(self, value: Any) -> str:
        """A value written as an SQL literal (for DDL defaults and inlined fragments)."""
        if value is None:
            return "null"
        if value is True:
            return "true"
        if value is False:
            return "false"
        if isinstance(value, int | float):
            return repr(value)
        if isinstance(value, bytes):
            return "X'" + value.hex() + "'"
        return "'" + str(value).replace("'", "''") + "'"

    def inline_value(self, value: Any) -> str | None:
        """`value` as a literal of the type its bound parameter would have, or None when it has no safe
        literal (it stays bound): None, bool, int and finite Decimal; strings as `literal`."""
        if value is None or type(value) is bool:
            return self.literal(value)
        if type(value) is int or (type(value) is Decimal and value.is_finite()):
            text = str(value)
            return f"({text})" if text.startswith("-") else text
        if type(value) is str and "\x00" not in value:
            return self.literal(value)
        return None

    # ---- expressions that differ between databases ------------------------------

    def ilike(self, column: Any, pattern: Any, negate: bool) -> SQL[Any]:
        """Case-insensitive LIKE."""
        op = " not like " if negate else " like "
        return SQL._of(("lower(", column, ")", op, "lower(", pattern, ")"))

    def excluded(self, column: Column[Any]) -> SQL[Any]:
        """The proposed row in an upsert (`excluded."col"`)."""
        return SQL._of(("excluded.", Identifier(column.name)))

    def limit_offset(self, limit: Any, offset: Any) -> list[Any]:
        """` limit ? offset ?` chunks."""
        out: list[Any] = []
        if limit is not None:
            out += [" limit ", _value(limit)]
        if offset is not None:
            if limit is None:
                out.append(" limit -1")
            out += [" offset ", _value(offset)]
        return out

    # ---- relational queries (JSON aggregation; see mizzle.relations.build) ------------

    def json_row(self, values: list[Any]) -> SQL[Any]:
        """One nested row as a JSON array of `values` (SQLite `json_array(...)`)."""
        raise QueryError(f"{self.name}: relational queries (with_=) need JSON aggregation, not implemented here")

    def json_many(self, row: SQL[Any], source: SQL[Any], alias: str) -> SQL[Any]:
        """A JSON array of `row` over the derived table `(source) alias`; `[]` when it has no rows."""
        raise QueryError(f"{self.name}: relational queries (with_=) need JSON aggregation, not implemented here")

    def json_one(self, row: SQL[Any], source: SQL[Any], alias: str) -> SQL[Any]:
        """`row` for the first row of the derived table `(source) alias`; NULL when it has none."""
        raise QueryError(f"{self.name}: relational queries (with_=) need JSON aggregation, not implemented here")

    def json_value(self, ref: Any, column: Column[Any] | None) -> tuple[Any, Callable[[Any], Any] | None]:
        """How a value enters a JSON row, and the function turning it back (before the column's decoder)."""
        return ref, None

    def json_loads(self, value: Any) -> Any:
        """A relational JSON result as the driver returns it -> Python lists."""
        import json

        return json.loads(value) if isinstance(value, str | bytes | bytearray) else value

    def json_statement(self, select: SQL[Any]) -> SQL[Any]:
        """The whole relational select as sent (MariaDB raises its aggregate length limit here)."""
        return select

    def compile_relational(self, level: Level, first: bool) -> tuple[SQL[Any], Part] | None:
        """A relational query as one statement and its row part; None (the default) for the generic plan.

        The generic plan (`mizzle.relations.build.Compiler`) nests one correlated JSON subquery per
        relation in the parent's select list; a dialect whose planner runs those once per parent
        row returns another plan of the same shape here (PostgreSQL: grouped joins).
        """
        return None

    # ---- statements ----------------------------------------------------------------

    def build_select(self, q: Select[Any], *, in_set_op: bool = False) -> SQL[Any]:
        """SELECT ... FROM ... JOIN ... WHERE ... GROUP BY ... HAVING ... ORDER BY ... LIMIT."""
        from mizzle.query.select import Subquery

        chunks: list[Any] = []
        if q._ctes and not in_set_op:
            chunks.append("with ")
            for i, c in enumerate(q._ctes):
                if i:
                    chunks.append(", ")
                chunks += [Identifier(c._name), " as (", c._query._build(self), ")"]
            chunks.append(" ")
        chunks.append("select ")
        grouped = _grouped_values(self, q)
        if q._distinct_on is not None:
            if not self.caps.distinct_on:
                raise QueryError(f"{self.name} has no DISTINCT ON")
            chunks.append("distinct on (")
            chunks += _joined(q._distinct_on)
            chunks.append(") ")
        elif q._distinct:
            chunks.append("distinct ")
        if q._mode == "full" and all(not isinstance(src, Subquery) for src, _ in q._tables):
            key = tuple(src for src, _ in q._tables)
            text = self._field_cache.get(key)
            if text is None:
                from mizzle.sql.render import render

                cols = [c for src in key for c in src.__table__.columns.values()]
                text = render(SQL._of(tuple(_joined(cols))), self).sql
                self._field_cache[key] = text
            chunks.append(text)
        else:
            fields = q._field_items()
            named = q._mode != "full"
            for i, (key_, expr) in enumerate(fields):
                if i:
                    chunks.append(", ")
                if isinstance(expr, Aliased):
                    chunks += [grouped(expr.expr), " as ", Identifier(expr.alias)]
                elif named and (not isinstance(expr, Column) or expr.name != key_) and not key_.startswith("_"):
                    chunks += [grouped(expr), " as ", Identifier(key_)]
                else:
                    chunks.append(grouped(expr))
            if not fields:
                raise QueryError("select has no fields")
        if q._from is not None:
            chunks += [" from ", self._source(q._from, Subquery)]
        for kind, target, on, lateral in q._joins:
            if kind == "right" and not self.caps.right_join:
                raise QueryError(f"{self.name} does not support RIGHT JOIN")
            if kind == "full" and not self.caps.full_join:
                raise QueryError(f"{self.name} does not support FULL JOIN")
            word = {"inner": " inner join ", "left": " left join ", "right": " right join ",
                    "full": " full join ", "cross": " cross join "}[kind]
            chunks += [word, "lateral " if lateral else "", self._source(target, Subquery)]
            if on is not None:
                chunks += [" on ", on]
        if q._where is not None:
            chunks += [" where ", q._where]
        if q._group_by:
            chunks.append(" group by ")
            chunks += _joined([grouped(g) for g in q._group_by])
        if q._having is not None:
            chunks += [" having ", grouped(q._having)]
        for op, other in q._set_ops:
            if op == "intersect all" and not self.caps.intersect_all:
                raise QueryError(f"{self.name} does not support INTERSECT ALL")
            if self.caps.parenthesized_set_ops:
                chunks = ["(", *chunks, ")"] if not chunks or chunks[0] != "(" else chunks
                chunks += [f" {op} (", self.build_select(other, in_set_op=True), ")"]
            else:
                chunks += [f" {op} ", self.build_select(other, in_set_op=True)]
        if q._order_by:
            chunks.append(" order by ")
            terms = _unqualified(q._order_by) if q._set_ops else q._order_by
            chunks += [grouped(t) for t in self._orderings(terms)]
        chunks += self.limit_offset(q._limit, q._offset)
        if q._lock is not None and self.caps.row_locks:
            chunks.append(f" for {q._lock[0]}")
            if q._lock[1]:
                chunks.append(" " + q._lock[1])
        return SQL._of(tuple(chunks))

    def _source(self, src: Any, subquery_cls: type[Any]) -> Any:
        if isinstance(src, subquery_cls):
            if src._cte:
                return Identifier(src._name)
            return SQL._of(("(", src._query._build(self), ") ", Identifier(src._name)))
        meta = src.__table__
        if meta.source is not None:
            return SQL._of(("(", meta.source._build(self), ") ", Identifier(meta.alias or meta.name)))
        text = self._from_cache.get(src)
        if text is None:
            text = meta.from_sql(self.quote)
            self._from_cache[src] = text
        return text

    def _orderings(self, terms: tuple[Any, ...]) -> list[Any]:
        out: list[Any] = []
        for i, t in enumerate(terms):
            if i:
                out.append(", ")
            if isinstance(t, Ordering) and t.nulls and not self.caps.nulls_ordering:
                # emulate NULLS FIRST/LAST with a leading sort key
                out += ["(", t.expr, " is null) ", "desc" if t.nulls == "first" else "asc", ", ",
                        Ordering(t.expr, t.direction)]
            else:
                out.append(t)
        return out

    def _returning(self, fields: tuple[Expr[Any], ...] | None, table: Any) -> list[Any]:
        if fields is None:
            return []
        return [" returning ", *self.returning_list(fields, table)]

    def returning_list(self, fields: tuple[Expr[Any], ...], table: Any) -> list[Any]:
        """The RETURNING list as chunks (every column of `table` when `fields` is empty)."""
        if not fields:
            fields = tuple(table.__table__.columns.values())
        return _joined([Identifier(f.name) if isinstance(f, Column) else f for f in fields])

    # ---- RETURNING emulated where a database has none (see mizzle.session.returning) ----

    def lock_rows(self, q: Update[Any, Any] | Delete[Any], fields: list[Any]) -> SQL[Any]:
        """`select <fields> from t where ... [order by ... limit ...] for update`: the rows `q` writes."""
        chunks: list[Any] = ["select ", *fields, " from ", SQL.raw(q._table.__table__.from_sql(self.quote))]
        if q._where is not None:
            chunks += [" where ", q._where]
        chunks += self._dml_tail(q._order_by, q._limit)
        if self.caps.row_locks:
            chunks.append(" for update")
        return SQL._of(tuple(chunks))

    def select_keyed(self, table: Any, fields: list[Any], keys: tuple[Column[Any], ...], rows: list[Any]) -> SQL[Any]:
        """`select <fields> from t where <keys> in (...) order by <keys>`: rows read back by key."""
        return SQL._of(("select ", *fields, " from ", SQL.raw(table.__table__.from_sql(self.quote)),
                        " where ", self.keyed(keys, rows), " order by ", *_joined(keys)))

    def keyed(self, keys: tuple[Column[Any], ...], rows: list[Any]) -> SQL[Any]:
        """`k in (?, ...)` or `(a, b) in ((?, ?), ...)`: the rows whose key is one of `rows` (driver values)."""
        if len(keys) == 1:
            return SQL._of((keys[0], " in (", *_joined([Param(r[0]) for r in rows]), ")"))
        tuples = [SQL._of(("(", *_joined([Param(v) for v in r]), ")")) for r in rows]
        return SQL._of(("(", *_joined(keys), ") in (", *_joined(tuples), ")"))

    def insert_into(self, q: Insert[Any, Any]) -> list[Any]:
        """`insert into "t" ("a", "b") values (...), (...)` or `... select ...`."""
        meta = q._table.__table__
        chunks: list[Any] = ["insert into ", SQL.raw(meta.from_sql(self.quote))]
        if q._select is not None:
            fields = q._select._field_items()
            cols = meta.columns
            names: list[str] = []
            for key, expr in fields:
                col = cols.get(key) or (cols.get(expr.key) if isinstance(expr, Column) else None)
                if col is None:
                    raise QueryError(
                        f"insert into {meta.name} ... select: selected field {key!r} is not a column of {meta.name}"
                    )
                names.append(col.name)
            chunks.append(" (")
            chunks += _joined([Identifier(n) for n in names])
            chunks += [") ", q._select._build(self)]
            return chunks
        columns, rows = q.insert_columns()
        if not columns:
            chunks.append(" default values")
            return chunks
        chunks.append(" (")
        chunks += _joined([Identifier(c.name) for c in columns])
        chunks.append(") values ")
        for i, row in enumerate(rows):
            if i:
                chunks.append(", ")
            chunks.append("(")
            chunks += _joined(row)
            chunks.append(")")
        return chunks

    def on_conflict(self, q: Insert[Any, Any]) -> list[Any]:
        """`on conflict (...) do nothing | do update set ...` (SQLite and PostgreSQL)."""
        if q._conflict is None:
            return []
        kind, targets, where, set_, target_where = q._conflict
        out: list[Any] = [" on conflict"]
        if targets:
            out.append(" (")
            out += _joined([Identifier(c.name) for c in targets])
            out.append(")")
            if target_where is not None:
                out += [" where ", target_where]
        if kind == "nothing":
            out.append(" do nothing")
            return out
        if not targets:
            raise QueryError("on_conflict_do_update() needs a target column (the unique key that conflicts)")
        out.append(" do update set ")
        out += self._assignments(q._table, set_)
        if where is not None:
            out += [" where ", where]
        return out

    def _assignments(self, table: Any, values: dict[str, Any]) -> list[Any]:
        from mizzle.sql.chunks import bind

        cols = table.__table__.columns
        out: list[Any] = []
        for i, (key, value) in enumerate(values.items()):
            if i:
                out.append(", ")
            out += [Identifier(cols[key].name), " = ", bind(value, cols[key])]
        return out

    def build_insert(self, q: Insert[Any, Any], returning: tuple[Expr[Any], ...] | None) -> SQL[Any]:
        """INSERT with upsert and RETURNING."""
        chunks = self.insert_into(q)
        chunks += self.on_conflict(q)
        chunks += self._returning(returning, q._table)
        return SQL._of(tuple(chunks))

    def build_update(self, q: Update[Any, Any], returning: tuple[Expr[Any], ...] | None) -> SQL[Any]:
        """UPDATE ... SET ... WHERE ... RETURNING."""
        if returning is not None and not self.caps.returning_update:
            raise QueryError(f"{self.name} has no UPDATE ... RETURNING (a session runs it in several statements)")
        meta = q._table.__table__
        chunks: list[Any] = ["update ", SQL.raw(meta.from_sql(self.quote)), " set "]
        for i, (col, value) in enumerate(q.assignments()):
            if i:
                chunks.append(", ")
            chunks += [Identifier(col.name), " = ", value]
        if q._where is not None:
            chunks += [" where ", q._where]
        chunks += self._dml_tail(q._order_by, q._limit)
        chunks += self._returning(returning, q._table)
        return SQL._of(tuple(chunks))

    def build_delete(self, q: Delete[Any], returning: tuple[Expr[Any], ...] | None) -> SQL[Any]:
        """DELETE FROM ... WHERE ... RETURNING."""
        if returning is not None and not self.caps.returning_delete:
            raise QueryError(f"{self.name} has no DELETE ... RETURNING (a session runs it in several statements)")
        meta = q._table.__table__
        chunks: list[Any] = ["delete from ", SQL.raw(meta.from_sql(self.quote))]
        if q._where is not None:
            chunks += [" where ", q._where]
        chunks += self._dml_tail(q._order_by, q._limit)
        chunks += self._returning(returning, q._table)
        return SQL._of(tuple(chunks))

    def _dml_tail(self, order_by: tuple[Any, ...], limit: Any) -> list[Any]:
        if not order_by and limit is None:
            return []
        if not self.caps.update_limit:
            raise QueryError(f"{self.name} does not support ORDER BY / LIMIT in UPDATE or DELETE")
        out: list[Any] = []
        if order_by:
            out.append(" order by ")
            out += self._orderings(order_by)
        if limit is not None:
            out += [" limit ", _value(limit)]
        return out


def _unqualified(terms: tuple[Any, ...]) -> tuple[Any, ...]:
    """ORDER BY terms of a set operation: columns by bare name (a table name is out of scope there)."""
    out: list[Any] = []
    for t in terms:
        if isinstance(t, Column):
            t = Identifier(t.name)
        elif isinstance(t, Ordering):
            expr: Any = t.expr
            if isinstance(expr, Column):
                t = Ordering(Identifier(expr.name), t.direction, t.nulls)
        out.append(t)
    return tuple(out)


def _joined(items: Any, sep: str = ", ") -> list[Any]:
    out: list[Any] = []
    for i, item in enumerate(items):
        if i:
            out.append(sep)
        out.append(item)
    return out


def _value(v: Any) -> Any:
    if isinstance(v, Placeholder | Expr):
        return v  # pyright: ignore[reportUnknownVariableType]
    return Param(v)


def _escape_percent(text: str) -> str:
    return text.replace("%", "%%") if "%" in text else text


def _format_placeholder(index: int) -> str:
    return "%s"


def _dollar_placeholder(index: int) -> str:
    return f"${index + 1}"


def _grouped_values(dialect: Dialect, q: Select[Any]) -> Callable[[Any], Any]:
    """What wraps the select list, GROUP BY, HAVING and ORDER BY of a grouped query.

    Where each use of a bound value is a new parameter (`caps.inline_grouped_values`), an expression
    grouped on and repeated elsewhere would reach the database as two different expressions (`$1` vs
    `$2`) and be refused; its values are written as literals instead (`Inline(values_only=True)`:
    only values with an exact, safe literal; the rest stay bound). `Select._fingerprint` keys the
    same parts with their literals, so such queries stay cacheable.
    """
    if not (q._group_by and dialect.caps.inline_grouped_values):
        return _same
    return _inline_values


def _same(part: Any) -> Any:
    return part


def _inline_values(part: Any) -> Any:
    return part if isinstance(part, str) else Inline(part, values_only=True)
