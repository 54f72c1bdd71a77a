"""SQLite spellings of the expression functions (timestamps stored as unix time, JSON as text)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from mizzle.dialects.functions import Functions
from mizzle.sql.chunks import SQL, Param
from mizzle.sql.fnutil import json_path

_PARTS = {"year": "%Y", "month": "%m", "day": "%d", "hour": "%H", "minute": "%M", "second": "%S"}


def _epoch(expr: Any) -> tuple[Any, bool]:
    """`expr` in unix seconds and True when it is stored as unix time (an integer timestamp column or
    `now()`), else `(expr, False)` for ISO text."""
    mode = getattr(expr, "mode", None)
    chunks: Any = getattr(expr, "chunks", ())
    if mode is None and len(chunks) == 1:
        mode = getattr(chunks[0], "mode", None)
    if mode == "timestamp":
        return expr, True
    if mode == "timestamp_ms":
        return SQL._of(("(", expr, " / 1000)")), True
    return expr, False


class SQLiteFunctions(Functions):
    """SQLite: `length`, `->`/`->>` JSON operators (3.38+), `strftime` for dates, unix-time `now()`."""

    cast_types = {int: "integer", str: "text", float: "real", Decimal: "numeric"}

    def cast(self, expr: Any, to: type[Any]) -> SQL[Any]:
        if to is date:
            return self.date_of(expr)
        return super().cast(expr, to)

    def length(self, expr: Any) -> SQL[Any]:
        return SQL._of(("length(", expr, ")"))

    def now(self) -> SQL[Any]:
        # the representation of integer(mode="timestamp") columns, so `gte(col, now())` compares numbers
        return SQL._of(("cast(strftime('%s', 'now') as integer)",))

    def date_of(self, expr: Any) -> SQL[Any]:
        value, epoch = _epoch(expr)
        return SQL._of(("date(", value, ", 'unixepoch')" if epoch else ")"))

    def extract(self, part: str, expr: Any) -> SQL[Any]:
        value, epoch = _epoch(expr)
        return SQL._of((f"cast(strftime('{_PARTS[part]}', ", value, ", 'unixepoch'" if epoch else "", ") as integer)"))

    def json_get(self, expr: Any, path: tuple[str | int, ...]) -> SQL[Any]:
        return SQL._of(("(", expr, " -> ", Param(json_path(path)), ")"))

    def json_text(self, expr: Any, path: tuple[str | int, ...]) -> SQL[Any]:
        return SQL._of(("cast((", expr, " ->> ", Param(json_path(path)), ") as text)"))
