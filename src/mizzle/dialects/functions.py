"""`Functions`: how a dialect renders the expression language's functions (`mizzle.sql.functions`).

Each method receives its arguments as fragments (columns, bound values, other expressions) and
returns the SQL for one call. The base class writes standard SQL; each dialect's
`functions.py` overrides what its database spells differently. Generic code never asks which
database it talks to: it calls `dialect.functions.<name>(...)`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from mizzle.errors import QueryError
from mizzle.sql.chunks import SQL, Param
from mizzle.sql.fnutil import CAST_DECODERS as CAST_DECODERS
from mizzle.sql.fnutil import LIKE_ESCAPE, json_path
from mizzle.sql.fnutil import like_escape as like_escape


def _join(parts: list[Any], sep: str) -> list[Any]:
    out: list[Any] = []
    for i, p in enumerate(parts):
        if i:
            out.append(sep)
        out.append(p)
    return out


def _call(name: str, *args: Any) -> SQL[Any]:
    return SQL._of((name, "(", *_join(list(args), ", "), ")"))


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
