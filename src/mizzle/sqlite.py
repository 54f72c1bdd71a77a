"""Schema declarations for SQLite (and libSQL): `from mizzle.sqlite import Table, Column, text, integer`."""

from __future__ import annotations

from typing import ClassVar

from mizzle.dialects.sqlite.columns import blob, integer, numeric, real, text
from mizzle.dialects.sqlite.dialect import SQLiteDialect
from mizzle.schema.column import Column
from mizzle.schema.constraints import check, foreign_key, index, primary_key, unique, unique_index
from mizzle.schema.table import Table as _BaseTable
from mizzle.schema.table import alias


class Table(_BaseTable, dialect="sqlite"):
    """Base class for SQLite tables: `class Users(Table, name="users"): ...`.

    Table options: `strict=True` (STRICT table), `without_rowid=True`.
    """

    __dialect__: ClassVar[str] = "sqlite"
    __identifiers__ = SQLiteDialect.identifiers


__all__ = [
    "Column",
    "Table",
    "alias",
    "blob",
    "check",
    "foreign_key",
    "index",
    "integer",
    "numeric",
    "primary_key",
    "real",
    "text",
    "unique",
    "unique_index",
]
