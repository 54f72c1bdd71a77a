"""PostgreSQL JSON aggregation for relational queries (`json_build_array`, `json_agg`).

Values JSON cannot carry exactly travel as text and are turned back in Python: timestamps, dates
and times (ISO text), numeric (exact decimal text), uuid, bytea (hex) and interval (seconds).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from mizzle.schema.column import Column
from mizzle.sql.chunks import SQL, Identifier


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


def _as_text(ref: Any) -> SQL[Any]:
    return SQL._of(("(", ref, ")::text"))


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
        if column is None or column.extra.get("array"):
            return ref, None
        st = column.sql_type
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

    def json_loads(self, value: Any) -> Any:
        """psycopg already parses json results; text (other drivers) is parsed here."""
        import json

        return json.loads(value) if isinstance(value, str | bytes | bytearray) else value
