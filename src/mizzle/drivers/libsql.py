"""The libSQL driver (PyPI `libsql`): local files, Turso / sqld URLs, and embedded replicas.

- `libsql://…`, `https://…`, `http://…`: a remote database; the token comes from `auth_token=`,
  `?authToken=` in the URL, or `TURSO_AUTH_TOKEN`.
- `file:app.db`, `app.db`, `:memory:` with `driver="libsql"`: a local file through libSQL.
- a local file plus `sync_url=`: an embedded replica (reads local, writes go to the primary;
  with `offline=True` writes stay local until the next sync); `sync()` exchanges changes with
  the primary, `sync_interval=` does so in the background.

The libsql package raises `ValueError` carrying SQLite's message for every database error, so
errors are classified by message: constraint kinds, `AuthError` (HTTP 401/403), `UnreachableError`
(connection refused, timeout, unknown host). Its binding quirks are handled here (see
`libsql_params`): integers beyond 32 bits and dict parameters. It connects lazily: pass
`check=True` to contact the server (or sync a replica) while connecting. Against a server,
`batch()` is one HTTP request (see `libsql_hrana`).
"""

from __future__ import annotations

import importlib
import os
import re
import urllib.error
from collections.abc import Mapping, Sequence
from typing import Any

from mizzle.dialects.sqlite.dialect import SQLiteDialect
from mizzle.drivers import libsql_hrana
from mizzle.drivers.base import AsyncResult
from mizzle.drivers.libsql_params import bind, needs_rewrite
from mizzle.errors import (
    AuthError,
    CheckViolation,
    ConfigError,
    DatabaseError,
    ForeignKeyViolation,
    IntegrityError,
    NotNullViolation,
    OperationalError,
    UniqueViolation,
    UnreachableError,
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
# the package's Rust side logs to stdout (INFO lines, errors mizzle raises anyway); set RUST_LOG to see them
os.environ.setdefault("RUST_LOG", "off")
libsql: Any = importlib.import_module("libsql")  # untyped extension module
_AUTH = ("status=401", "status=403", "Unauthorized", "Forbidden", "Authentication failed")
_UNREACHABLE = ("Connection refused", "error trying to connect", "dns error", "timed out", "deadline has elapsed",
                "Connection reset", "tcp connect error", "failed to lookup address", "performing handshake")
_TABLE_COL = re.compile(r"constraint failed: ([\w$]+)\.([\w$]+)")
_CHECK = re.compile(r"CHECK constraint failed: (.+)$")


def _version() -> str:
    from importlib.metadata import version

    return version("libsql")


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
        check: bool = False,
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
        if self.replica and database.startswith("file:"):  # a replica opens a plain path
            database = database[len("file:") :].split("?", 1)[0]
        self.database = database
        self.auth_token = auth_token or ""
        self.timeout = timeout
        extra: dict[str, Any] = {}
        if offline:
            if "offline" not in (getattr(libsql.connect, "__text_signature__", None) or ""):
                raise ConfigError(
                    f"libsql: offline=True needs libsql>=0.1.9, which cannot open replicas of a sqld server; "
                    f"the installed libsql {_version()} can't write offline (see docs/scaling.md)"
                )
            extra["offline"] = True
        try:
            self.conn: Any = libsql.connect(
                database,
                timeout=timeout,
                isolation_level=None,
                _check_same_thread=False,
                sync_url=sync_url,
                sync_interval=sync_interval,
                auth_token=auth_token or "",
                encryption_key=encryption_key,
                **extra,
            )
        except ValueError as exc:  # a replica syncs once while opening
            where = f"{database!r}" + (f" (replica of {sync_url!r})" if sync_url else "")
            err = self.map_error(exc, None, None)
            cls = type(err) if err is not None else OperationalError
            raise cls(f"libsql: cannot open {where}: {exc}") from exc
        if check:
            self.check()
        if self.remote:
            return  # the server owns its pragmas
        if foreign_keys:
            self.conn.execute("pragma foreign_keys = on")
        memory = database in (":memory:", "") or "mode=memory" in database
        if journal_mode and not memory and not self.replica:
            self.conn.execute(f"pragma journal_mode = {journal_mode}")

    def check(self) -> None:
        """Contact the server now (libsql connects lazily): `select 1` remotely, `sync()` for a replica."""
        try:
            if self.replica:
                self.conn.sync()
            else:
                self.conn.execute("select 1").fetchall()
        except ValueError as exc:
            err = self.map_error(exc, None, None)
            assert err is not None
            where = f"{self.database!r}" + (" (embedded replica)" if self.replica else "")
            raise type(err)(f"libsql: cannot reach {where}: {exc}") from exc

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any:
        """Run one statement (integers beyond 32 bits and dict parameters rewritten to bind exactly)."""
        if params and needs_rewrite(params):
            sql, params = bind(sql, params)
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> Any:
        """Run one statement per parameter list (one by one when a list needs rewriting)."""
        if not any(needs_rewrite(p) for p in params):
            return self.conn.executemany(sql, params)
        cur: Any = None
        for p in params:
            cur = self.execute(sql, p)
        return cur

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
        """Run statements in one transaction (rolled back on error), each one's rows fetched.

        Against a server (outside a transaction) the whole batch is one HTTP request."""
        if self.remote and not self.in_transaction:
            return self._remote_batch(statements)
        out: list[AsyncResult] = []
        sql: str | None = None
        params: Sequence[Any] | None = None
        self.begin()
        try:
            for sql, params in statements:
                cur = self.execute(sql, params)
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

    def _remote_batch(self, statements: Sequence[tuple[str, Sequence[Any]]]) -> list[AsyncResult]:
        try:
            return libsql_hrana.run_batch(self.database, self.auth_token, statements, self.timeout)
        except libsql_hrana.StepError as exc:
            sql, params = statements[exc.index] if 0 <= exc.index < len(statements) else (None, None)
            err = self.map_error(ValueError(str(exc)), sql, params)
            assert err is not None
            raise err from exc
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode(errors="replace")
            cls = AuthError if exc.code in (401, 403) else OperationalError
            raise cls(f"libsql: {self.database!r} answered HTTP {exc.code}: {detail}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise UnreachableError(f"libsql: cannot reach {self.database!r}: {exc}") from exc

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
            err = self.map_error(exc, None, None)
            cls = type(err) if err is not None else OperationalError
            raise cls(f"libsql: sync of {self.database!r} failed: {exc}") from exc

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
            if any(n in msg for n in _AUTH):
                cls = AuthError
            elif any(n in msg for n in _UNREACHABLE):
                cls = UnreachableError
            elif "Unsupported parameter type" in msg or "parameter" in msg.lower():
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
