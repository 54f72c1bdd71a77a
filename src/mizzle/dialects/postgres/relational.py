"""PostgreSQL JSON aggregation for relational queries (`json_build_array`, `json_agg`).

Values JSON cannot carry exactly travel as text and are turned back in Python: timestamps, dates
and times (ISO text), numeric (exact decimal text), uuid, bytea (hex) and interval (seconds).
Arrays of those element types travel as their array literal text (`{"2024-01-01 00:00:00",NULL}`),
parsed back and converted element by element; other arrays are native JSON arrays.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from mizzle.schema.column import Column
from mizzle.sql.chunks import SQL, Identifier

if TYPE_CHECKING:
    from mizzle.query.rows import Part
    from mizzle.relations.config import Level


def _datetime(v: Any) -> datetime:
    return v if isinstance(v, datetime) else datetime.fromisoformat(v)


def _date(v: Any) -> date:
    return v if isinstance(v, date) else date.fromisoformat(v)


def _time(v: Any) -> time:
    return v if isinstance(v, time) else time.fromisoformat(v)


def _decimal(v: Any) -> Decimal:
    return Decimal(str(v))


def _uuid(v: Any) -> UUID:
    return v if isinstance(v, UUID) else UUID(str(v))


def _hex(v: Any) -> bytes:
    return bytes.fromhex(v)


def _seconds(v: Any) -> timedelta:
    return timedelta(seconds=float(v))


def _bytea_text(v: Any) -> bytes:
    return bytes.fromhex(v[2:] if v.startswith("\\x") else v)


def _as_text(ref: Any) -> SQL[Any]:
    return SQL._of(("(", ref, ")::text"))


def _text_element(st: str) -> Callable[[Any], Any] | None:
    """How the text of one value of SQL type `st` becomes the driver's Python value (None: JSON is exact)."""
    if st.startswith("timestamp"):
        return _datetime
    if st == "date":
        return _date
    if st.startswith("time"):
        return _time
    if st.startswith("numeric"):
        return _decimal
    if st == "uuid":
        return _uuid
    if st == "bytea":
        return _bytea_text
    return None


def _array_of(element: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Array literal text -> nested lists of converted elements."""
    from mizzle.dialects.postgres.columns import parse_array_literal

    def one(x: Any) -> Any:
        if x is None:
            return None
        if isinstance(x, list):
            return [one(y) for y in x]  # pyright: ignore[reportUnknownVariableType]
        return element(x)

    def convert(value: Any) -> Any:
        return one(parse_array_literal(value) if isinstance(value, str) else value)

    return convert


class PostgresRelational:
    """JSON hooks of the PostgreSQL dialect (mixed into `PostgresDialect`)."""

    def json_row(self, values: list[Any]) -> SQL[Any]:
        """`json_build_array(v1, v2, ...)`."""
        chunks: list[Any] = ["json_build_array("]
        for i, v in enumerate(values):
            if i:
                chunks.append(", ")
            chunks.append(v)
        chunks.append(")")
        return SQL._of(tuple(chunks))

    def json_many(self, row: SQL[Any], source: SQL[Any], alias: str) -> SQL[Any]:
        """`coalesce((select json_agg(row) from (source) alias), '[]'::json)` (keeps the source's order)."""
        return SQL._of(("coalesce((select json_agg(", row, ") from (", source, ") ", Identifier(alias),
                        "), '[]'::json)"))

    def json_one(self, row: SQL[Any], source: SQL[Any], alias: str) -> SQL[Any]:
        """`(select row from (source) alias)`."""
        return SQL._of(("(select ", row, " from (", source, ") ", Identifier(alias), ")"))

    def json_value(self, ref: Any, column: Column[Any] | None) -> tuple[Any, Callable[[Any], Any] | None]:
        """Exact text for types JSON would change; native JSON for the rest."""
        if column is None:
            return ref, None
        if column.extra.get("array"):
            element_type = str(column.extra.get("element_type", ""))
            if element_type.startswith("interval") and column.extra["array"] == 1:
                seconds = SQL._of(("coalesce((select array_agg(extract(epoch from x) order by n) from unnest(", ref,
                                   ") with ordinality u(x, n)), '{}')"))
                return SQL._of(("case when ", ref, " is null then null else ", seconds, " end")), _array_of(_seconds)
            element = _text_element(element_type)
            return (ref, None) if element is None else (_as_text(ref), _array_of(element))
        st = column.sql_type
        if st in ("json", "jsonb"):
            return _as_text(ref), None  # decoded by the column, exactly as in a flat select
        if st.startswith("timestamp"):
            return _as_text(ref), _datetime
        if st == "date":
            return _as_text(ref), _date
        if st.startswith("time"):
            return _as_text(ref), _time
        if st.startswith("numeric"):
            return _as_text(ref), _decimal
        if st == "uuid":
            return _as_text(ref), _uuid
        if st == "bytea":
            return SQL._of(("encode(", ref, ", 'hex')")), _hex
        if st.startswith("interval"):
            return SQL._of(("extract(epoch from ", ref, ")")), _seconds
        return ref, None

    def compile_relational(self, level: Level, first: bool) -> tuple[SQL[Any], Part] | None:
        """Relations as grouped derived tables joined on their key (`relational_plan`), not correlated subqueries.

        A nested level whose where / order_by / extras read the parent row keeps the correlated plan (None).
        """
        from mizzle.dialects.postgres.relational_plan import GroupedCompiler, reads_outer_rows

        if reads_outer_rows(level):
            return None
        return GroupedCompiler(self, level).compile_root(first)  # type: ignore[arg-type]

    def json_loads(self, value: Any) -> Any:
        """psycopg already parses json results; text (other drivers) is parsed here."""
        import json

        return json.loads(value) if isinstance(value, str | bytes | bytearray) else value
