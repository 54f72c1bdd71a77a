"""Helpers shared by the expression functions and the dialects that spell them: LIKE escaping, JSON
paths, result decoders (kept in `mizzle.sql` so that `sql` never imports `dialects`)."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from mizzle.errors import QueryError

LIKE_ESCAPE = "!"
"""The escape character `starts_with/ends_with/contains` use (`!` needs no escaping in any
database's string literals, unlike a backslash on MySQL)."""


def like_escape(text: str) -> str:
    """`text` with LIKE's wildcards (`%`, `_`) and the escape character itself escaped."""
    e = LIKE_ESCAPE
    return text.replace(e, e + e).replace("%", e + "%").replace("_", e + "_")


def json_path(path: tuple[str | int, ...]) -> str:
    """A JSON path (`$."a"[0]."b"`) as SQLite and MySQL read it; keys are always quoted."""
    out = ["$"]
    for p in path:
        if isinstance(p, bool) or not isinstance(p, int | str):
            raise QueryError(f"JSON path steps are str (keys) or int (array indexes), not {p!r}")
        if isinstance(p, int):
            if p < 0:
                raise QueryError(f"JSON path: negative array index {p} is not portable")
            out.append(f"[{p}]")
        else:
            out.append('."' + p.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return "".join(out)


def decode_json(value: Any) -> Any:
    """A JSON value as the driver returns it (text or already decoded) -> Python."""
    if isinstance(value, str | bytes | bytearray):
        return json.loads(value)
    return value


def decode_date(value: Any) -> date:
    """A date read as text (`YYYY-MM-DD`) or already a date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bytes | bytearray):
        value = value.decode()
    return date.fromisoformat(str(value)[:10])


def decode_int(value: Any) -> int:
    """An integer read as int, Decimal, float or text."""
    return int(value)


def decode_str(value: Any) -> str:
    """A text value (bytes decoded as UTF-8)."""
    if isinstance(value, bytes | bytearray):
        return value.decode()
    return str(value)


def decode_float(value: Any) -> float:
    """A float read as float, Decimal, int or text."""
    return float(value)


def decode_decimal(value: Any) -> Decimal:
    """A Decimal read as Decimal, int, float or text."""
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


CAST_DECODERS: dict[type[Any], Any] = {
    int: decode_int, str: decode_str, float: decode_float, Decimal: decode_decimal, date: decode_date,
}
