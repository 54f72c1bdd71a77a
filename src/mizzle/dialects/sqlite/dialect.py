"""SQLite: `?` placeholders, double-quoted names, `on conflict`, `returning` (3.35+)."""

from __future__ import annotations

import sqlite3
from typing import Any, ClassVar

from mizzle.dialects.base import Capabilities, Dialect
from mizzle.dialects.sqlite.functions import SQLiteFunctions
from mizzle.dialects.sqlite.relational import SQLiteRelational
from mizzle.sql.identifiers import IdentifierRules

_VERSION = tuple(int(p) for p in sqlite3.sqlite_version.split("."))


class SQLiteDialect(SQLiteRelational, Dialect):
    """The SQLite dialect."""

    functions = SQLiteFunctions()
    name = "sqlite"
    identifiers = IdentifierRules("SQLite")
    caps = Capabilities(
        returning=_VERSION >= (3, 35, 0),
        returning_insert=_VERSION >= (3, 35, 0),
        returning_update=_VERSION >= (3, 35, 0),
        returning_delete=_VERSION >= (3, 35, 0),
        nulls_ordering=_VERSION >= (3, 30, 0),
        right_join=_VERSION >= (3, 39, 0),
        full_join=_VERSION >= (3, 39, 0),
        update_limit=False,
        parenthesized_set_ops=False,
    )
    _default: ClassVar[SQLiteDialect | None] = None

    @classmethod
    def default(cls) -> SQLiteDialect:
        """A shared instance (for rendering queries that are not bound to a database)."""
        if cls._default is None:
            cls._default = cls()
        return cls._default

    def literal(self, value: Any) -> str:
        """SQLite literals: booleans are 1/0."""
        if value is True:
            return "1"
        if value is False:
            return "0"
        if isinstance(value, str) and "\x00" in value:  # SQL text cannot carry NUL: a blob cast to text
            return "cast(X'" + value.encode().hex() + "' as text)"
        return super().literal(value)
