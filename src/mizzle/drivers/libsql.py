"""The libSQL driver (PyPI `libsql`): local files, Turso / sqld URLs, and embedded replicas.

- `libsql://…`, `https://…`, `http://…`: a remote database; the token comes from `auth_token=`,
  `?authToken=` in the URL, or `TURSO_AUTH_TOKEN`.
- `file:app.db`, `app.db`, `:memory:` with `driver="libsql"`: a local file through libSQL.
- a local file plus `sync_url=`: an embedded replica (reads local, writes go to the primary;
  with `offline=True` writes stay local until the next sync); `sync()` exchanges changes with
  the primary, `sync_interval=` does so in the background.

The libsql package raises `ValueError` carrying SQLite's message for every database error, so
errors are classified by message. Statements, parameters and rows are as in `sqlite3`.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Sequence
from typing import Any

from mizzle.dialects.sqlite.dialect import SQLiteDialect
from mizzle.drivers.base import AsyncResult
from mizzle.errors import (
    CheckViolation,
    ConfigError,
    DatabaseError,
    ForeignKeyViolation,
    IntegrityError,
    NotNullViolation,
    OperationalError,
    UniqueViolation,
)
from mizzle.url import ConnectSpec

REMOTE_SCHEMES = ("libsql", "https", "http")
_KINDS: tuple[tuple[str, type[DatabaseError]], ...] = (
    ("UNIQUE constraint failed", UniqueViolation),
    ("FOREIGN KEY constraint failed", ForeignKeyViolation),
    ("NOT NULL constraint failed", NotNullViolation),
    ("CHECK constraint failed", CheckViolation),
    ("constraint failed", IntegrityError),
)
libsql: Any = importlib.import_module("libsql")  # untyped extension module
_TABLE_COL = re.compile(r"constraint failed: ([\w$]+)\.([\w$]+)")
_CHECK = re.compile(r"CHECK constraint failed: (.+)$")


class LibSQLDriver:
    """A `libsql.Connection` in autocommit mode; mizzle issues BEGIN/COMMIT itself."""

    dialect: SQLiteDialect

    def __init__(
        self,
        spec: ConnectSpec | str,
        *,
        auth_token: str | None = None,
        sync_url: str | None = None,
        sync_interval: float | None = None,
        offline: bool = False,
        encryption_key: str | None = None,
        timeout: float = 5.0,
        foreign_keys: bool = True,
        journal_mode: str | None = "wal",
    ) -> None:
        if isinstance(spec, str):
            from mizzle.url import parse_url

            spec = parse_url(spec)
        self.dialect = SQLiteDialect.default()
        self.remote = spec.scheme in REMOTE_SCHEMES
        self.replica = sync_url is not None
        if self.remote and self.replica:
            raise ConfigError(f"libsql: sync_url= is for a local replica file, not for the remote URL {spec.url!r}")
        database = spec.database
        if self.remote:
            database = re.sub(r"[?&]authToken=[^&]*", "", spec.url)
            auth_token = auth_token or spec.options.get("authToken")
        if self.remote or self.replica:
            auth_token = auth_token or os.environ.get("TURSO_AUTH_TOKEN", "")
        self.database = database
        try:
            self.conn: Any = libsql.connect(
                database,
                timeout=timeout,
                isolation_level=None,
                _check_same_thread=False,
                sync_url=sync_url,
                sync_interval=sync_interval,
                offline=offline,
                auth_token=auth_token or "",
                encryption_key=encryption_key,
            )
        except ValueError as exc:  # a replica syncs once while opening
            where = f"{database!r}" + (f" (replica of {sync_url!r})" if sync_url else "")
            raise OperationalError(f"libsql: cannot open {where}: {exc}") from exc
        self.execute = self.conn.execute
        self.executemany = self.conn.executemany
        if self.remote:
            return  # the server owns its pragmas
        if foreign_keys:
            self.conn.execute("pragma foreign_keys = on")
        memory = database in (":memory:", "") or "mode=memory" in database
        if journal_mode and not memory and not self.replica:
            self.conn.execute(f"pragma journal_mode = {journal_mode}")

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
        return bool(self.conn.in_transaction)

    def batch(self, statements: Sequence[tuple[str, Sequence[Any]]]) -> list[AsyncResult]:
        """Run statements in one transaction (rolled back on error), each one's rows fetched."""
        out: list[AsyncResult] = []
        sql: str | None = None
        params: Sequence[Any] | None = None
        self.begin()
        try:
            for sql, params in statements:
                cur = self.conn.execute(sql, params)
                rows: list[Any] = (cur.fetchall() if cur.description else None) or []
                out.append(AsyncResult(rows, cur.rowcount, cur.lastrowid, bool(cur.description)))
            self.commit()
        except Exception as exc:
            self.rollback()
            err = self.map_error(exc, sql, params)
            if err is None:
                raise
            raise err from exc
        return out

    def sync(self) -> None:
        """Pull the primary's changes into this embedded replica (needs `sync_url=`)."""
        if not self.replica:
            raise ConfigError(
                f"libsql: {self.database!r} is not an embedded replica; open it with "
                "mizzle.connect('file:app.db', driver='libsql', sync_url=..., auth_token=...) to sync"
            )
        try:
            self.conn.sync()
        except ValueError as exc:
            raise OperationalError(f"libsql: sync of {self.database!r} failed: {exc}") from exc

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def map_error(self, exc: BaseException, sql: str | None, params: Sequence[Any] | None) -> DatabaseError | None:
        """libsql's ValueError(SQLite message) -> UniqueViolation, ForeignKeyViolation, ... by message."""
        if not isinstance(exc, ValueError | libsql.Error):
            return None
        msg = str(exc)
        cls: type[DatabaseError] = OperationalError
        for needle, kind in _KINDS:
            if needle in msg:
                cls = kind
                break
        else:
            if "Unsupported parameter type" in msg or "parameter" in msg.lower():
                cls = DatabaseError
        m = _TABLE_COL.search(msg)
        cm = _CHECK.search(msg) if cls is CheckViolation else None
        err = cls(
            msg,
            sql=sql,
            params=params,
            table=m.group(1) if m else None,
            column=m.group(2) if m else None,
            constraint=cm.group(1) if cm else None,
        )
        err.__cause__ = exc
        return err
