"""MySQL and MariaDB: backtick names, `%s` placeholders, `on duplicate key update`, no FULL JOIN.

One class serves both servers. The driver calls `configure(version)` after connecting; that sets the
capabilities the server really has (MariaDB 10.5+: `INSERT/DELETE ... RETURNING`; MySQL 8.0.19+:
the `AS new` row alias in upserts; INTERSECT/EXCEPT ALL on MariaDB 10.5+ and MySQL 8.0.31+).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from mizzle.dialects.base import Capabilities, Dialect
from mizzle.dialects.mysql.functions import MySQLFunctions
from mizzle.dialects.mysql.relational import MySQLRelational
from mizzle.errors import QueryError
from mizzle.schema.column import Column
from mizzle.sql.chunks import SQL, Expr, Identifier
from mizzle.sql.identifiers import IdentifierRules

if TYPE_CHECKING:
    from mizzle.query.dml import Insert
    from mizzle.query.select import Select

_MAX_LIMIT = "18446744073709551615"  # MySQL's documented "no limit" for OFFSET without LIMIT
_ROW_ALIAS = "_new"


def parse_version(version: str) -> tuple[tuple[int, ...], bool]:
    """(`(major, minor, patch)`, is_mariadb) from a `select version()` string."""
    is_maria = "mariadb" in version.lower()
    text = version
    # MariaDB once reported "5.5.5-10.x.y-MariaDB" to old clients.
    if is_maria and text.startswith("5.5.5-"):
        text = text[len("5.5.5-"):]
    m = re.match(r"(\d+)\.(\d+)\.(\d+)", text)
    nums = tuple(int(g) for g in m.groups()) if m else (0, 0, 0)
    return nums, is_maria


class MySQLDialect(MySQLRelational, Dialect):
    """The MySQL/MariaDB dialect (`%s` placeholders for PyMySQL and aiomysql)."""

    functions = MySQLFunctions()
    name = "mysql"
    identifiers = IdentifierRules("MySQL/MariaDB", max_chars=64, trailing_space=False, bmp_only=True)
    quote_char = "`"
    caps = Capabilities(
        returning=False,
        returning_insert=False,
        returning_delete=False,
        returning_update=False,
        nulls_ordering=False,
        right_join=True,
        full_join=False,
        ilike=False,
        distinct_on=False,
        row_locks=True,
        update_limit=True,
        transactional_ddl=False,
        savepoints=True,
        parenthesized_set_ops=True,
        intersect_all=False,
        executemany=True,
    )
    _default: ClassVar[MySQLDialect | None] = None

    def __init__(self, paramstyle: str = "format") -> None:
        super().__init__(paramstyle)
        self.server_version: tuple[int, ...] = (0, 0, 0)
        self.is_mariadb = False
        self.row_alias = False  # `insert ... as new on duplicate key update x = new.x` (MySQL 8.0.19+)
        self.lateral = False
        self.skip_locked = True

    @classmethod
    def default(cls) -> MySQLDialect:
        """A shared instance with MySQL 8 defaults (for rendering queries not bound to a server)."""
        if cls._default is None:
            cls._default = cls()
        return cls._default

    def configure(self, version: str) -> MySQLDialect:
        """Set capabilities from the server's `version()` string (e.g. "10.11.6-MariaDB")."""
        nums, maria = parse_version(version)
        self.server_version = nums
        self.is_mariadb = maria
        if maria:
            has_returning = nums >= (10, 5, 0)
            self.caps = replace(
                type(self).caps,
                returning=has_returning,
                returning_insert=has_returning,
                returning_delete=has_returning,
                intersect_all=nums >= (10, 5, 0),
            )
            self.row_alias = False
            self.lateral = False
            self.skip_locked = nums >= (10, 6, 0)
        else:
            self.caps = replace(type(self).caps, intersect_all=nums >= (8, 0, 31))
            self.row_alias = nums >= (8, 0, 19)
            self.lateral = nums >= (8, 0, 14)
            self.skip_locked = nums >= (8, 0, 1)
        return self

    @property
    def server(self) -> str:
        """"MariaDB" or "MySQL" (for messages)."""
        return "MariaDB" if self.is_mariadb else "MySQL"

    # ---- literals and expressions ---------------------------------------------------

    def literal(self, value: Any) -> str:
        """MySQL literals. Strings with a backslash or NUL are written in hex with a charset
        introducer (`_utf8mb4 X'5c'`), which reads the same with and without NO_BACKSLASH_ESCAPES."""
        if isinstance(value, str):
            if "\\" in value or "\x00" in value:
                return "_utf8mb4 X'" + value.encode().hex() + "'"
            return "'" + value.replace("'", "''") + "'"
        return super().literal(value)

    def excluded(self, column: Column[Any]) -> SQL[Any]:
        """The proposed row in `on duplicate key update`: `values(col)` or `_new.col` (MySQL 8.0.19+)."""
        if self.row_alias:
            return SQL._of((Identifier(_ROW_ALIAS, column.name),))
        return SQL._of(("values(", Identifier(column.name), ")"))

    def limit_offset(self, limit: Any, offset: Any) -> list[Any]:
        """` limit ? offset ?` (an offset alone gets MySQL's maximal limit)."""
        from mizzle.dialects.base import _value

        out: list[Any] = []
        if limit is not None:
            out += [" limit ", _value(limit)]
        if offset is not None:
            if limit is None:
                out.append(" limit " + _MAX_LIMIT)
            out += [" offset ", _value(offset)]
        return out

    # ---- statements ----------------------------------------------------------------

    def build_select(self, q: Select[Any], *, in_set_op: bool = False) -> SQL[Any]:
        """SELECT, with MySQL's lock clauses and no LATERAL on MariaDB."""
        for _kind, _target, _on, lateral in q._joins:
            if lateral and not self.lateral:
                raise QueryError(f"{self.server} does not support LATERAL joins")
        lock = q._lock
        if lock is None:
            return super().build_select(q, in_set_op=in_set_op)
        plain = q._copy()
        plain._lock = None
        base = super().build_select(plain, in_set_op=in_set_op)
        mode, wait = lock
        if wait == "skip locked" and not self.skip_locked:
            raise QueryError(f"{self.server} {'.'.join(map(str, self.server_version))} has no SKIP LOCKED")
        if mode == "share":
            clause = " lock in share mode" if self.is_mariadb else " for share"
        else:
            clause = " for update"
        if wait:
            clause += " " + wait
        return SQL._of((base, clause))

    def insert_into(self, q: Insert[Any, Any]) -> list[Any]:
        """`insert [ignore] into ...` (on_conflict_do_nothing becomes INSERT IGNORE)."""
        chunks = super().insert_into(q)
        if q._conflict is not None and q._conflict[0] == "nothing":
            chunks[0] = "insert ignore into "
        return chunks

    def on_conflict(self, q: Insert[Any, Any]) -> list[Any]:
        """`on duplicate key update col = ...` (the conflicting unique key is implied)."""
        if q._conflict is None:
            return []
        kind, _targets, where, set_, _target_where = q._conflict
        if kind == "nothing":
            if where is not None:
                raise QueryError(f"{self.server}: on_conflict_do_nothing() cannot take where=")
            return []
        if where is not None:
            raise QueryError(
                f"{self.server}: on_conflict_do_update(where=...) is not supported; "
                "use on_duplicate_key_update(set=...) with if(...) expressions"
            )
        out: list[Any] = []
        if self.row_alias and q._select is None:
            out.append(" as " + self.quote(_ROW_ALIAS))
        out.append(" on duplicate key update ")
        out += self._assignments(q._table, set_)
        return out

    def build_insert(self, q: Insert[Any, Any], returning: tuple[Expr[Any], ...] | None) -> SQL[Any]:
        """INSERT with `on duplicate key update`; RETURNING only on MariaDB 10.5+."""
        if returning is not None and not self.caps.returning_insert:
            raise QueryError(f"{self.server} has no INSERT ... RETURNING; use .returning_id() for generated keys")
        return super().build_insert(q, returning)

