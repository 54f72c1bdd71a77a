"""The driver seam: a few methods every database adapter implements, and the URL registry."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from mizzle.errors import ConfigError, DatabaseError

if TYPE_CHECKING:
    from mizzle.dialects.base import Dialect


class Cursor(Protocol):
    """What a driver's execute() returns (a DB-API cursor fits)."""

    rowcount: int
    lastrowid: Any

    def fetchall(self) -> Sequence[Any]: ...
    def fetchone(self) -> Any: ...


class Driver(Protocol):
    """A synchronous connection to one database.

    Optional: `iterates_rows = True` when iterating the cursor execute() returns costs no more than
    fetchall() (a C loop, as sqlite3's): `all()` then decodes straight from the cursor, freeing each driver
    row as soon as it is copied; errors raised while iterating go through map_error() like execute()'s.
    """

    dialect: Dialect

    def execute(self, sql: str, params: Sequence[Any]) -> Cursor:
        """Run one statement with its parameters."""
        ...

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> Cursor:
        """Run one statement once per parameter list."""
        ...

    def begin(self, behavior: str | None = None) -> None:
        """Start a transaction."""
        ...

    def commit(self) -> None:
        """Commit the transaction."""
        ...

    def rollback(self) -> None:
        """Roll the transaction back."""
        ...

    def close(self) -> None:
        """Close the connection."""
        ...

    def map_error(self, exc: BaseException, sql: str | None, params: Sequence[Any] | None) -> DatabaseError | None:
        """Translate a driver exception into mizzle's hierarchy (None: not a driver error)."""
        ...


def cursor_batches(cur: Any, batch_size: int) -> Generator[Sequence[Any]]:
    """The rows of an executed DB-API cursor, `batch_size` at a time; the cursor is closed at the end
    or when the consumer stops early (`close()` on the generator, e.g. a `break` out of `for`).

    Drivers may offer `stream(sql, params, batch_size)` returning such a generator (a server-side
    or unbuffered cursor); `Database.iter` falls back to `execute(...)` + this helper otherwise.
    """
    try:
        while True:
            rows = cur.fetchmany(batch_size)
            if not rows:
                return
            yield rows
    finally:
        close = getattr(cur, "close", None)
        if close is not None:
            close()


@dataclass(slots=True)
class AsyncResult:
    """What an async driver's `execute` returns: the fetched rows and the counters.

    `rows` holds every row the statement produced (at most `max_rows` when the caller set it);
    `returns_rows` is False for statements without a result set (DDL, INSERT without RETURNING),
    so the session can tell "no rows" from "not a query".
    """

    rows: Sequence[Any] = ()
    rowcount: int = -1
    lastrowid: Any = None
    returns_rows: bool = False


class AsyncDriver(Protocol):
    """An asynchronous connection to one database (aiosqlite, psycopg async, asyncmy/aiomysql...).

    Contract (what `mizzle.session.aio.AsyncDatabase` relies on):

    - `execute` runs ONE statement with positional parameters already in the dialect's
      placeholder style and returns an `AsyncResult` with the rows fetched (stop after
      `max_rows` rows when it is not None: `get()` passes 1, `one()` passes 2). `rowcount`
      must be final, i.e. for `... RETURNING` read it after fetching.
    - `executemany` runs one statement once per parameter list (no rows returned).
    - `begin/commit/rollback` manage the transaction explicitly (the connection is in
      autocommit mode otherwise); `rollback` is a no-op when no transaction is open.
      Savepoints are issued by the session through `execute`.
    - `map_error` translates the driver's exceptions into mizzle's hierarchy (pure, sync).
    - A connection is used by one task at a time: the session (or the pool) serialises access,
      so drivers need no locking of their own.
    - Cancellation: if the awaiting task is cancelled mid-`execute`, the driver must leave the
      connection usable (finish or abort the statement; never leave a half-read result). The
      session then rolls back any open transaction and, for pooled connections, calls
      `AsyncPool.release(conn, discard=True)` if the driver reports `broken`.
    """

    @property
    def dialect(self) -> Dialect:
        """The SQL dialect of this connection."""
        ...

    async def execute(self, sql: str, params: Sequence[Any], *, max_rows: int | None = None) -> AsyncResult:
        """Run one statement and fetch its rows (up to `max_rows` if given)."""
        ...

    async def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> AsyncResult:
        """Run one statement once per parameter list."""
        ...

    async def begin(self, behavior: str | None = None) -> None:
        """Start a transaction (`behavior` is a dialect-specific mode such as SQLite's "immediate")."""
        ...

    async def commit(self) -> None:
        """Commit the transaction."""
        ...

    async def rollback(self) -> None:
        """Roll the transaction back (no-op if none is open)."""
        ...

    async def close(self) -> None:
        """Close the connection."""
        ...

    @property
    def broken(self) -> bool:
        """True when the connection can no longer be used (lost, or left mid-protocol)."""
        ...

    def map_error(self, exc: BaseException, sql: str | None, params: Sequence[Any] | None) -> DatabaseError | None:
        """Translate a driver exception into mizzle's hierarchy (None: not a driver error)."""
        ...


class AsyncPool(Protocol):
    """Hands out `AsyncDriver` connections; `AsyncDatabase` runs every statement on one it acquired.

    A statement outside a transaction acquires a connection, runs, and releases it; a
    transaction holds its connection from `begin` to `commit`/`rollback`. A pool must:

    - `acquire()` wait (FIFO, cancellable) until a connection is free, opening new ones up to
      its maximum size; a cancelled `acquire` must not leak a connection;
    - `release(conn, discard=...)` take it back; `discard=True` (or `conn.broken`) means close
      it and open a fresh one on demand;
    - `close()` wait for released connections and close all of them (idempotent).

    `mizzle.session.aio.SingleConnectionPool` wraps one connection behind an `asyncio.Lock`
    (the SQLite default); `mizzle.session.aio.QueuePool` opens up to `max_size` connections
    from an async factory and fits any `AsyncDriver`.
    """

    @property
    def dialect(self) -> Dialect:
        """The SQL dialect of the pooled connections."""
        ...

    async def acquire(self) -> AsyncDriver:
        """Wait for a free connection."""
        ...

    async def release(self, conn: AsyncDriver, *, discard: bool = False) -> None:
        """Return a connection (closing it when `discard` is set)."""
        ...

    async def close(self) -> None:
        """Close every connection."""
        ...


AsyncDriverFactory = Callable[..., Awaitable[AsyncDriver]]
_async_drivers: dict[str, Callable[[], AsyncDriverFactory]] = {}


def register_async_driver(scheme: str, loader: Callable[[], AsyncDriverFactory]) -> None:
    """Register an async driver for a URL scheme (`loader` imports it lazily; the factory is awaited).

    `mizzle.aio.connect` awaits `factory(database, uri=..., **options)` for SQLite and
    `factory(spec: ConnectSpec, **options)` for server URLs (the same calling convention as the
    sync registry). The factory returns an `AsyncDriver` (then the session pools connections with
    `QueuePool`, opening more with the same factory up to `pool_size`) or an object that is already
    an `AsyncPool` (has `acquire`), e.g. one wrapping the driver library's own pool.
    """
    _async_drivers[scheme] = loader


def async_driver_for(scheme: str) -> AsyncDriverFactory:
    """The async driver factory for a URL scheme, or a ConfigError listing the known ones."""
    loader = _async_drivers.get(scheme)
    if loader is None:
        raise ConfigError(
            f"no async driver for URL scheme {scheme!r}; known schemes: {', '.join(sorted(_async_drivers))}"
        )
    return loader()


DriverFactory = Callable[..., Driver]
_drivers: dict[str, Callable[[], DriverFactory]] = {}


def register_driver(scheme: str, loader: Callable[[], DriverFactory]) -> None:
    """Register a driver for a URL scheme (`loader` imports it lazily)."""
    _drivers[scheme] = loader


def driver_for(scheme: str) -> DriverFactory:
    """The driver factory for a URL scheme, or a ConfigError listing the known ones."""
    loader = _drivers.get(scheme)
    if loader is None:
        raise ConfigError(
            f"no driver for URL scheme {scheme!r}; known schemes: {', '.join(sorted(_drivers))}"
        )
    return loader()
