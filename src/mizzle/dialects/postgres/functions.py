"""PostgreSQL spellings of the expression functions (`->`/`->>` on json and jsonb, UTC dates)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from mizzle.dialects.functions import Functions
from mizzle.sql.chunks import SQL, Param


def _utc(expr: Any) -> Any:
    """A `timestamp with time zone` expression read in UTC (dates and fields do not depend on the
    session's TimeZone); other expressions unchanged."""
    sql_type = getattr(expr, "sql_type", None)
    chunks: Any = getattr(expr, "chunks", ())
    if sql_type is None and len(chunks) == 1 and getattr(chunks[0], "mode", None) == "timestamp":  # now()
        sql_type = "timestamp with time zone"
    if isinstance(sql_type, str) and ("with time zone" in sql_type or sql_type.startswith("timestamptz")):
        return SQL._of(("(", expr, " at time zone 'UTC')"))
    return expr


class PostgresFunctions(Functions):
    """PostgreSQL: `bigint` casts, JSON path steps as typed parameters."""

    cast_types = {int: "bigint", str: "text", float: "double precision", Decimal: "numeric", date: "date"}

    def now(self) -> SQL[Any]:
        return SQL._of(("now()",))

    def date_of(self, expr: Any) -> SQL[Any]:
        return SQL._of(("cast(", _utc(expr), " as date)"))

    def extract(self, part: str, expr: Any) -> SQL[Any]:
        return SQL._of((f"cast(floor(extract({part} from ", _utc(expr), ")) as integer)"))

    def _steps(self, expr: Any, path: tuple[str | int, ...], last: str) -> list[Any]:
        out: list[Any] = ["(", expr]
        for i, p in enumerate(path):
            op = last if i == len(path) - 1 else " -> "
            out += [op, "cast(", Param(p), " as integer)" if isinstance(p, int) else " as text)"]
        out.append(")")
        return out

    def json_get(self, expr: Any, path: tuple[str | int, ...]) -> SQL[Any]:
        # as JSON text: the driver would decode a JSON string to a bare str, indistinguishable from text
        return SQL._of(("cast(", *self._steps(expr, path, " -> "), " as text)"))

    def json_text(self, expr: Any, path: tuple[str | int, ...]) -> SQL[Any]:
        if not path:
            return SQL._of(("(", expr, " #>> '{}')"))
        return SQL._of(tuple(self._steps(expr, path, " ->> ")))
