"""The stdlib `sqlite3` driver: foreign keys on, WAL for files, a busy timeout."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from typing import Any

from mizzle.dialects.sqlite.dialect import SQLiteDialect
from mizzle.errors import (
    CheckViolation,
    DatabaseError,
    ForeignKeyViolation,
    IntegrityError,
    NotNullViolation,
    OperationalError,
    UniqueViolation,
)

_TABLE_COL = re.compile(r"constraint failed: ([\w$]+)\.([\w$]+)")


class SQLiteDriver:
    """A `sqlite3.Connection` in autocommit mode; mizzle issues BEGIN/COMMIT itself."""

    dialect: SQLiteDialect
    # sqlite3's cursor steps the statement in C as it is iterated: the session decodes straight from it
    iterates_rows = True

    def __init__(
        self,
        database: str,
        *,
        uri: bool = False,
        timeout: float = 5.0,
        foreign_keys: bool = True,
        journal_mode: str | None = "wal",
        check_same_thread: bool = False,
        pragmas: dict[str, Any] | None = None,
    ) -> None:
        self.dialect = SQLiteDialect.default()
        self.database = database
        self.conn = sqlite3.connect(
            database, uri=uri, timeout=timeout, isolation_level=None, check_same_thread=check_same_thread
        )
        # bind the C methods directly: no Python frame between the session and sqlite3
        self.execute = self.conn.execute  # type: ignore[method-assign, assignment]
        self.executemany = self.conn.executemany  # type: ignore[method-assign, assignment]
        memory = database == ":memory:" or "mode=memory" in database or database == ""
        if foreign_keys:
            self.conn.execute("pragma foreign_keys = on")
        self.conn.execute(f"pragma busy_timeout = {int(timeout * 1000)}")
        if journal_mode and not memory:
            self.conn.execute(f"pragma journal_mode = {journal_mode}")
            if journal_mode.lower() == "wal":
                self.conn.execute("pragma synchronous = normal")
        for key, value in (pragmas or {}).items():
            self.conn.execute(f"pragma {key} = {value}")

    def execute(self, sql: str, params: Sequence[Any]) -> Any:  # replaced by the bound method
        """Run one statement."""
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> Any:  # replaced too
        """Run one statement per parameter list."""
        return self.conn.executemany(sql, params)

    def begin(self, behavior: str | None = None) -> None:
        """BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE]."""
        self.conn.execute(f"begin {behavior}" if behavior else "begin")

    def commit(self) -> None:
        """COMMIT."""
        self.conn.execute("commit")

    def rollback(self) -> None:
        """ROLLBACK (no-op if no transaction is open)."""
        if self.conn.in_transaction:
            self.conn.execute("rollback")

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open."""
        return self.conn.in_transaction

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def map_error(self, exc: BaseException, sql: str | None, params: Sequence[Any] | None) -> DatabaseError | None:
        """sqlite3 errors -> UniqueViolation, ForeignKeyViolation, NotNullViolation, CheckViolation..."""
        if not isinstance(exc, sqlite3.Error):
            return None
        msg = str(exc)
        name = getattr(exc, "sqlite_errorname", "")
        table = column = None
        m = _TABLE_COL.search(msg)
        if m:
            table, column = m.group(1), m.group(2)
        if isinstance(exc, sqlite3.IntegrityError):
            if "UNIQUE" in name or "PRIMARYKEY" in name or msg.startswith("UNIQUE"):
                cls: type[DatabaseError] = UniqueViolation
            elif "FOREIGNKEY" in name or msg.startswith("FOREIGN KEY"):
                cls = ForeignKeyViolation
            elif "NOTNULL" in name or msg.startswith("NOT NULL"):
                cls = NotNullViolation
            elif "CHECK" in name or msg.startswith("CHECK"):
                cm = re.search(r"CHECK constraint failed: (.+)$", msg)
                check = CheckViolation(msg, sql=sql, params=params, constraint=cm.group(1) if cm else None)
                check.__cause__ = exc
                return check
            else:
                cls = IntegrityError
        elif isinstance(exc, sqlite3.OperationalError):
            cls = OperationalError
        else:
            cls = DatabaseError
        err = cls(msg, sql=sql, params=params, table=table, column=column)
        err.__cause__ = exc
        return err
