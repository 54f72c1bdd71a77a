"""The async SQLite driver over `aiosqlite`: one worker thread per connection, one hop per statement."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import sqlite3
from collections.abc import AsyncGenerator, Callable, Sequence
from typing import Any, TypeVar

from mizzle.dialects.sqlite.dialect import SQLiteDialect
from mizzle.drivers.base import AsyncResult
from mizzle.drivers.pysqlite import SQLiteDriver
from mizzle.errors import ConfigError, DatabaseError

T = TypeVar("T")


def _library() -> Any:
    """The `aiosqlite` package (imported by name: pyright would resolve `import aiosqlite` to this file)."""
    try:
        return importlib.import_module("aiosqlite")
    except ImportError:
        raise ConfigError("async SQLite needs aiosqlite: pip install 'mizzle[aio]'") from None


def _run(conn: sqlite3.Connection, sql: str, params: Sequence[Any], max_rows: int | None) -> AsyncResult:
    """Execute and fetch in the worker thread (one queue round trip per statement)."""
    cur = conn.execute(sql, params)
    if cur.description is None:
        return AsyncResult((), cur.rowcount, cur.lastrowid, False)
    rows = cur.fetchall() if max_rows is None else cur.fetchmany(max_rows)
    if max_rows is not None:
        cur.close()  # finishes the statement (a RETURNING write already ran to completion)
    return AsyncResult(rows, cur.rowcount, cur.lastrowid, True)


def _run_many(conn: sqlite3.Connection, sql: str, params: Sequence[Sequence[Any]]) -> AsyncResult:
    cur = conn.executemany(sql, params)
    return AsyncResult((), cur.rowcount, cur.lastrowid, False)


class _SyncView(SQLiteDriver):
    """The raw `sqlite3` connection of an async driver seen as a sync driver (for `run_sync`)."""

    def __init__(self, conn: sqlite3.Connection, database: str) -> None:  # pyright: ignore[reportMissingSuperCall]
        self.dialect = SQLiteDialect.default()
        self.database = database
        self.conn = conn
        self.execute = conn.execute  # type: ignore[method-assign,assignment]
        self.executemany = conn.executemany  # type: ignore[method-assign,assignment]


class AioSQLiteDriver:
    """An `aiosqlite` connection in autocommit mode: foreign keys on, WAL for files, busy timeout.

    Open it with `await AioSQLiteDriver.open("app.db")` (or `mizzle.aio.connect("app.db")`).
    Cancelling a task while its statement runs interrupts the statement (`sqlite3_interrupt`),
    so a long query stops and its partial writes are undone.
    """

    dialect: SQLiteDialect

    def __init__(self, conn: Any, database: str) -> None:
        self.dialect = SQLiteDialect.default()
        self.database = database
        self.aconn = conn
        self._raw: sqlite3.Connection = conn._conn
        self._broken = False
        self._mapper = SQLiteDriver.__new__(SQLiteDriver)  # map_error uses no connection state

    @classmethod
    async def open(
        cls,
        database: str,
        *,
        uri: bool = False,
        timeout: float = 5.0,
        foreign_keys: bool = True,
        journal_mode: str | None = "wal",
        pragmas: dict[str, Any] | None = None,
    ) -> AioSQLiteDriver:
        """Connect and apply the pragmas (the same defaults as the sync driver)."""
        conn = await _library().connect(database, uri=uri, timeout=timeout, isolation_level=None)
        drv = cls(conn, database)
        memory = database in (":memory:", "") or "mode=memory" in database
        setup = ["pragma foreign_keys = on"] if foreign_keys else []
        setup.append(f"pragma busy_timeout = {int(timeout * 1000)}")
        if journal_mode and not memory:
            setup.append(f"pragma journal_mode = {journal_mode}")
            if journal_mode.lower() == "wal":
                setup.append("pragma synchronous = normal")
        setup += [f"pragma {k} = {v}" for k, v in (pragmas or {}).items()]
        try:
            for stmt in setup:
                await drv.execute(stmt, ())
        except BaseException:
            await conn.close()
            raise
        return drv

    async def _call(self, fn: Callable[..., T], *args: Any) -> T:
        try:
            result: T = await self.aconn._execute(fn, *args)
            return result
        except asyncio.CancelledError:
            # stop the statement if it is still running; a no-op once it has finished
            with contextlib.suppress(sqlite3.ProgrammingError):  # already closed
                self._raw.interrupt()
            raise
        except ValueError as exc:
            if "closed" in str(exc):
                self._broken = True
            raise

    async def execute(self, sql: str, params: Sequence[Any], *, max_rows: int | None = None) -> AsyncResult:
        """Run one statement and fetch its rows (up to `max_rows`)."""
        return await self._call(_run, self._raw, sql, params, max_rows)

    async def stream(self, sql: str, params: Sequence[Any], batch_size: int) -> AsyncGenerator[Sequence[Any]]:
        """The rows `batch_size` at a time (SQLite steps the statement as rows are fetched)."""
        cur: sqlite3.Cursor = await self._call(self._raw.execute, sql, params)
        try:
            while True:
                rows = await self._call(cur.fetchmany, batch_size)
                if not rows:
                    break
                yield rows
        finally:
            if not self._broken:
                await self._call(cur.close)

    async def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> AsyncResult:
        """Run one statement per parameter list."""
        return await self._call(_run_many, self._raw, sql, params)

    async def begin(self, behavior: str | None = None) -> None:
        """BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE]."""
        await self._call(self._raw.execute, f"begin {behavior}" if behavior else "begin")

    async def commit(self) -> None:
        """COMMIT."""
        await self._call(self._raw.execute, "commit")

    async def rollback(self) -> None:
        """ROLLBACK (no-op if no transaction is open; decided in the worker thread, after queued work)."""
        await self._call(_rollback_if_open, self._raw)

    async def run_sync(self, fn: Callable[[SQLiteDriver], T]) -> T:
        """Call `fn(sync_driver)` in the connection's worker thread (used by `AsyncDatabase.run_sync`)."""
        view = _SyncView(self._raw, self.database)
        return await self._call(fn, view)

    async def close(self) -> None:
        """Close the connection and stop its worker thread."""
        self._broken = True
        await self.aconn.close()

    @property
    def broken(self) -> bool:
        """True once closed."""
        return self._broken

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open."""
        return self._raw.in_transaction

    def map_error(self, exc: BaseException, sql: str | None, params: Sequence[Any] | None) -> DatabaseError | None:
        """The same mapping as the sync driver (UniqueViolation, ForeignKeyViolation, ...)."""
        return self._mapper.map_error(exc, sql, params)


def _rollback_if_open(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        conn.execute("rollback")


async def open_driver(database: str, **options: Any) -> AioSQLiteDriver:
    """The factory registered for `sqlite` URLs in `mizzle.aio`."""
    return await AioSQLiteDriver.open(database, **options)
