"""The SQLite dialect (also serves libSQL)."""

from mizzle.dialects.sqlite.dialect import SQLiteDialect

__all__ = ["SQLiteDialect"]
