"""`Functions`: how a dialect renders the expression language's functions (`mizzle.sql.functions`).

Each method receives its arguments as fragments (columns, bound values, other expressions) and
returns the SQL for one call. The base class writes standard SQL; each dialect's
`functions.py` overrides what its database spells differently. Generic code never asks which
database it talks to: it calls `dialect.functions.<name>(...)`.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from mizzle.errors import QueryError
from mizzle.sql.chunks import SQL, Param

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


def _join(parts: list[Any], sep: str) -> list[Any]:
    out: list[Any] = []
    for i, p in enumerate(parts):
        if i:
            out.append(sep)
        out.append(p)
    return out


def _call(name: str, *args: Any) -> SQL[Any]:
    return SQL._of((name, "(", *_join(list(args), ", "), ")"))


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


class Functions:
    """Standard SQL; dialects override the calls their database spells differently."""

    cast_types: dict[type[Any], str] = {
        int: "integer", str: "text", float: "double precision", Decimal: "numeric", date: "date",
    }

    def cast(self, expr: Any, to: type[Any]) -> SQL[Any]:
        """`cast(expr as <type of to>)`."""
        try:
            name = self.cast_types[to]
        except KeyError:
            known = ", ".join(t.__name__ for t in self.cast_types)
            raise QueryError(f"cast(): no SQL type for {to!r} (supported: {known})") from None
        return SQL._of(("cast(", expr, " as ", name, ")"))

    def length(self, expr: Any) -> SQL[Any]:
        """Characters in a string."""
        return _call("char_length", expr)

    def trim(self, expr: Any) -> SQL[Any]:
        """Leading and trailing spaces removed."""
        return _call("trim", expr)

    def lower(self, expr: Any) -> SQL[Any]:
        """Lower case."""
        return _call("lower", expr)

    def upper(self, expr: Any) -> SQL[Any]:
        """Upper case."""
        return _call("upper", expr)

    def concat(self, parts: list[Any]) -> SQL[Any]:
        """Strings joined (NULL if any part is NULL)."""
        return SQL._of(("(", *_join(parts, " || "), ")"))

    def substr(self, expr: Any, start: Any, length: Any | None) -> SQL[Any]:
        """`length` characters from position `start` (1-based)."""
        if length is None:
            return _call("substr", expr, start)
        return _call("substr", expr, start, length)

    def replace(self, expr: Any, old: Any, new: Any) -> SQL[Any]:
        """Every `old` replaced by `new`."""
        return _call("replace", expr, old, new)

    def like_prefix(self, expr: Any, pattern: Any) -> SQL[Any]:
        """`expr like pattern escape '!'` (the pattern already escaped)."""
        return SQL._of((expr, " like ", pattern, f" escape '{LIKE_ESCAPE}'"))

    def now(self) -> SQL[Any]:
        """The current timestamp."""
        return SQL._of(("current_timestamp",))

    def date_of(self, expr: Any) -> SQL[Any]:
        """The calendar date of a timestamp."""
        return SQL._of(("cast(", expr, " as date)",))

    def extract(self, part: str, expr: Any) -> SQL[Any]:
        """A field of a timestamp as an integer."""
        return SQL._of(("extract(", part, " from ", expr, ")"))

    def json_get(self, expr: Any, path: tuple[str | int, ...]) -> SQL[Any]:
        """The JSON value at `path`."""
        return _call("json_extract", expr, Param(json_path(path)))

    def json_text(self, expr: Any, path: tuple[str | int, ...]) -> SQL[Any]:
        """The value at `path` as text (strings unquoted)."""
        return _call("json_unquote", self.json_get(expr, path))
