"""Identifiers in SQL text: the one quoting function, and the names a database cannot hold.

Every piece of SQL mizzle writes (queries, `create_all`, the kit's migrations, introspection, studio)
quotes a name with `quote_identifier`: the name between quote characters with each quote character
inside doubled, the escape SQLite, PostgreSQL and MySQL share. A name is data, never SQL.
"""

from __future__ import annotations

from dataclasses import dataclass


def quote_identifier(name: str, char: str = '"') -> str:
    """`name` quoted with `char` (`"` or a backtick), each `char` inside doubled: `a"b` -> `"a""b"`."""
    return char + name.replace(char, char + char) + char


def quote_literal(text: str) -> str:
    """`text` as a single-quoted SQL string literal (each `'` doubled)."""
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True, slots=True)
class IdentifierRules:
    """Which names a database can hold: no NUL anywhere; per database a length limit, no trailing space."""

    database: str = "SQL"
    max_bytes: int | None = None  # PostgreSQL: NAMEDATALEN - 1 = 63 bytes (longer names are silently cut)
    max_chars: int | None = None  # MySQL/MariaDB: 64 characters
    trailing_space: bool = True  # MySQL/MariaDB reject names ending in a space
    bmp_only: bool = False  # MySQL/MariaDB: only Basic Multilingual Plane characters (no emoji)

    def problem(self, name: str) -> str | None:
        """Why `name` cannot be an identifier in this database, or None if it can."""
        if not name:
            return "is empty"
        if "\x00" in name:
            return "contains a NUL character, which no database accepts in a name"
        if self.max_bytes is not None and len(name.encode()) > self.max_bytes:
            return (f"is {len(name.encode())} bytes long; {self.database} keeps only the first {self.max_bytes} bytes "
                    "of a name (two names could become one)")
        if self.max_chars is not None and len(name) > self.max_chars:
            return f"is {len(name)} characters long; {self.database} names hold at most {self.max_chars} characters"
        wide = [c for c in name if ord(c) > 0xFFFF] if self.bmp_only else []
        if wide:
            return f"contains {wide[0]!r}; {self.database} names hold only characters up to U+FFFF"
        if not self.trailing_space and name.endswith(" "):
            return f"ends with a space; {self.database} refuses names with a trailing space"
        return None


__all__ = ["IdentifierRules", "quote_identifier", "quote_literal"]
