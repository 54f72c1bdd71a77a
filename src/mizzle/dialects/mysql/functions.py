"""MySQL/MariaDB spellings of the expression functions (`concat()`, `signed`/`char` casts, `json_extract`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from mizzle.dialects.functions import Functions
from mizzle.sql.chunks import SQL


class MySQLFunctions(Functions):
    """MySQL/MariaDB: `||` is OR here, so strings are joined with `concat()`."""

    cast_types = {int: "signed", str: "char", float: "double", Decimal: "decimal(65, 30)", date: "date"}

    def concat(self, parts: list[Any]) -> SQL[Any]:
        out: list[Any] = ["concat("]
        for i, p in enumerate(parts):
            if i:
                out.append(", ")
            out.append(p)
        out.append(")")
        return SQL._of(tuple(out))

    def now(self) -> SQL[Any]:
        return SQL._of(("now()",))

    def date_of(self, expr: Any) -> SQL[Any]:
        return SQL._of(("date(", expr, ")"))
