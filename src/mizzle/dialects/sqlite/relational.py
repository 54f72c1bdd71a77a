"""SQLite JSON aggregation for relational queries (`json_array`, `json_group_array`).

Values whose JSON form would lose information are sent as text and turned back in Python:
REAL columns (SQLite writes JSON reals with 15 significant digits) go through
`printf('%!.17g', x)`, and BLOBs (JSON cannot hold them) through `hex(x)`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from mizzle.schema.column import Column
from mizzle.sql.chunks import SQL, Identifier

_loads = json.loads


def _hex_to_bytes(value: Any) -> bytes:
    return bytes.fromhex(value)


def _real(value: Any) -> float:
    return float(value)


class SQLiteRelational:
    """JSON hooks of the SQLite dialect (mixed into `SQLiteDialect`)."""

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
        """`coalesce((select json_group_array(row) from (source) alias), json_array())`."""
        return SQL._of(("coalesce((select json_group_array(", row, ") from (", source, ") ",
                        Identifier(alias), "), json_array())"))

    def json_one(self, row: SQL[Any], source: SQL[Any], alias: str) -> SQL[Any]:
        """`(select row from (source) alias)`."""
        return SQL._of(("(select ", row, " from (", source, ") ", Identifier(alias), ")"))

    def json_value(self, ref: Any, column: Column[Any] | None) -> tuple[Any, Callable[[Any], Any] | None]:
        """Reals as exact text, blobs as hex; everything else as is."""
        if column is None:
            return ref, None
        st = column.sql_type
        if st == "blob":
            return SQL._of(("case when ", ref, " is null then null else hex(", ref, ") end")), _hex_to_bytes
        if st == "real":
            return (SQL._of(("case when ", ref, " is null then null else printf('%!.17g', ", ref, ") end")),
                    _real)
        return ref, None

    def json_loads(self, value: Any) -> Any:
        """The driver returns JSON results as text."""
        return _loads(value)
