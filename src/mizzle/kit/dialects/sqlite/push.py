"""`push`'s data checks on SQLite/libSQL: `rowid` as the row identity, type changes by SQLite's type affinity."""

from __future__ import annotations

from typing import ClassVar

from mizzle.kit import statements as st
from mizzle.kit.dialects.sqlite.convert import affinity
from mizzle.kit.push import Checker

_NOT_INTEGER = (
    "(typeof({c}) = 'real' AND {c} <> CAST({c} AS INTEGER)) OR "
    "(typeof({c}) IN ('text', 'blob') AND CAST(CAST({c} AS INTEGER) AS TEXT) <> CAST({c} AS TEXT))"
)
_NOT_NUMBER = (
    "typeof({c}) IN ('text', 'blob') AND CAST(CAST({c} AS REAL) AS TEXT) <> CAST({c} AS TEXT) "
    "AND CAST(CAST({c} AS INTEGER) AS TEXT) <> CAST({c} AS TEXT)"
)


class SQLiteChecker(Checker):
    """The generic checks; a change to an integer or numeric affinity finds the values it cannot hold."""

    row_id: ClassVar[tuple[str, str] | None] = ("rowid", "rowid")

    def type_violation(self, s: st.AlterColumn) -> tuple[str, str] | None:
        """Values that are not integers / numbers (text and blob affinities hold anything)."""
        target = affinity(str(s.new))
        if target == affinity(str(s.old)) or target in ("text", "blob"):
            return None
        return (_NOT_INTEGER, "not integer-valued") if target == "integer" else (_NOT_NUMBER, "not numeric")


__all__ = ["SQLiteChecker"]
