"""MySQL/MariaDB JSON aggregation for relational queries (`json_array`, `json_arrayagg`).

MariaDB does not let a derived table refer to the outer query, so the relation builder's
`(select ... where child.fk = parent.id order by ... limit n) alias` is taken apart and put back
together without the derived table: the target table gets the alias itself and the order and limit
move into the aggregate — `json_arrayagg(row order by ... limit n)` (MariaDB 10.5+). MySQL 8 keeps
the derived table (it allows outer references there since 8.0.14).

MariaDB builds JSON_ARRAYAGG on GROUP_CONCAT, so a nested array longer than
`group_concat_max_len` (1 MB by default) would come back cut off: every relational statement on
MariaDB runs as `set statement group_concat_max_len = 4294967295 for select ...` (the result is
still bounded by the server's `max_allowed_packet`).

Values JSON would change travel as text and are turned back in Python: decimals (exact text),
dates and times (ISO text), binary values (hex) and JSON columns (their text).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mizzle.errors import QueryError
from mizzle.schema.column import Column
from mizzle.schema.table import Table
from mizzle.sql.chunks import SQL, Identifier

_AGG_MAX = 4294967295
"""`group_concat_max_len` for relational statements on MariaDB (4 GB: max_allowed_packet binds first)."""


def _hex(v: Any) -> bytes:
    return bytes.fromhex(v)


def _as_char(ref: Any) -> SQL[Any]:
    return SQL._of(("cast(", ref, " as char)"))


def _columns_in(chunk: Any, out: list[Column[Any]]) -> None:
    if isinstance(chunk, Column):
        col: Column[Any] = chunk  # pyright: ignore[reportUnknownVariableType]
        out.append(col)
    elif isinstance(chunk, SQL):
        for c in chunk.chunks:
            _columns_in(c, out)
    elif hasattr(chunk, "expr"):
        _columns_in(chunk.expr, out)


def _replace_refs(chunk: Any, alias_name: str, extras: dict[str, Any]) -> Any:
    """`alias`.`__xN` references (select-list names of the derived table) -> the expressions."""
    if type(chunk) is Identifier:
        parts = chunk.parts
        if len(parts) == 2 and parts[0] == alias_name and parts[1] in extras:
            return extras[parts[1]]
        return chunk
    if type(chunk) is SQL:
        new: SQL[Any] = SQL._of(tuple(_replace_refs(c, alias_name, extras) for c in chunk.chunks), chunk.decoder)
        new.encoder = chunk.encoder
        return new
    return chunk


class _Parts:
    """A relation builder's inner select, taken apart: select list, table, conditions, order, limit."""

    def __init__(self, source: SQL[Any], alias_name: str, quote: Callable[[str], str]) -> None:
        from mizzle.relations.filters import rebind, scoped_alias

        chunks = list(source.chunks)
        try:
            i_from = chunks.index(" from ")
            i_where = chunks.index(" where ", i_from)
        except ValueError:
            raise QueryError("mysql: unexpected relational subquery shape") from None
        sel = [c for c in chunks[1:i_from] if c != ", "]
        from_text = chunks[i_from + 1].chunks[0] if isinstance(chunks[i_from + 1], SQL) else str(chunks[i_from + 1])
        rest = chunks[i_where + 1:]
        tail_at = len(rest)
        for k, c in enumerate(rest):
            if c in (" order by ", " limit "):
                tail_at = k
                break
        conds, tail = rest[:tail_at], rest[tail_at:]
        found: list[Column[Any]] = []
        for c in conds:
            _columns_in(c, found)
        inner: type[Table] | None = None
        for col in found:
            if col.table is not None and col.table.__table__.from_sql(quote) == from_text:
                inner = col.table
                break
        if inner is None:
            raise QueryError("mysql: cannot find the table of a relational subquery")
        target = scoped_alias(inner, alias_name)
        self.table_sql = SQL._of((SQL.raw(target.__table__.from_sql(quote)),))
        self.extras: dict[str, Any] = {}
        for item in sel:
            if isinstance(item, SQL) and len(item.chunks) == 3 and item.chunks[1] == " as ":
                ident = item.chunks[2]
                if isinstance(ident, Identifier):
                    self.extras[ident.parts[-1]] = rebind(item.chunks[0], inner, target)
        self.conds = [rebind(c, inner, target) for c in conds]
        self.tail = [rebind(c, inner, target) for c in tail]


class MySQLRelational:
    """JSON hooks of the MySQL dialect (mixed into `MySQLDialect`)."""

    is_mariadb: bool

    if TYPE_CHECKING:

        def quote(self, name: str) -> str: ...  # provided by Dialect

    def json_row(self, values: list[Any]) -> SQL[Any]:
        """`json_array(v1, v2, ...)`."""
        chunks: list[Any] = ["json_array("]
        for i, v in enumerate(values):
            if i:
                chunks.append(", ")
            chunks.append(v)
        chunks.append(")")
        return SQL._of(tuple(chunks))

    def json_many(self, row: SQL[Any], source: SQL[Any], alias: str) -> SQL[Any]:
        """`coalesce((select json_arrayagg(row ...) from ...), json_array())`."""
        if not self.is_mariadb:
            return SQL._of(("coalesce((select json_arrayagg(", row, ") from (", source, ") ", Identifier(alias),
                            "), json_array())"))
        p = _Parts(source, alias, self.quote)
        row = _replace_refs(row, alias, p.extras)
        return SQL._of(("coalesce((select json_arrayagg(", row, *p.tail, ") from ", p.table_sql, " where ",
                        *p.conds, "), json_array())"))

    def json_one(self, row: SQL[Any], source: SQL[Any], alias: str) -> SQL[Any]:
        """`(select row from ... limit 1)`."""
        if not self.is_mariadb:
            return SQL._of(("(select ", row, " from (", source, ") ", Identifier(alias), ")"))
        p = _Parts(source, alias, self.quote)
        row = _replace_refs(row, alias, p.extras)
        return SQL._of(("(select ", row, " from ", p.table_sql, " where ", *p.conds, *p.tail, ")"))

    def json_statement(self, select: SQL[Any]) -> SQL[Any]:
        """MariaDB: lift the GROUP_CONCAT length limit (JSON_ARRAYAGG is built on it) for this statement."""
        if not self.is_mariadb:
            return select
        return SQL._of((f"set statement group_concat_max_len = {_AGG_MAX} for ", select))

    def json_value(self, ref: Any, column: Column[Any] | None) -> tuple[Any, Callable[[Any], Any] | None]:
        """Exact text for decimals, dates, times and JSON; hex for binary; native JSON for the rest."""
        if column is None:
            return ref, None
        st = column.sql_type
        if st.startswith("decimal") or st == "json":
            return _as_char(ref), None
        if st.startswith(("datetime", "timestamp", "date", "time")):
            return _as_char(ref), None
        if st.startswith(("binary", "varbinary")) or st.endswith("blob"):
            return SQL._of(("hex(", ref, ")")), _hex
        return ref, None

    def json_loads(self, value: Any) -> Any:
        """The drivers return JSON results as text; text cut off by a server limit is a clear error."""
        import json

        if not isinstance(value, str | bytes | bytearray):
            return value
        try:
            return json.loads(value)
        except ValueError as exc:
            raise QueryError(
                f"relational query: a nested result of {len(value)} bytes is not valid JSON ({exc}); the server "
                "most likely cut it at its size limit (max_allowed_packet / group_concat_max_len) — load "
                "fewer nested rows per call (limit, columns, where) or raise max_allowed_packet"
            ) from None
