"""`AsyncDatabase`: the same builders as `Database`, awaited (`await db.select().from_(T).all()`).

The builders call `session.all(q)` / `get` / `one` / `values` / `run`; here those are coroutines,
so `await q.all()` works without a line of builder code written twice. Statements run on a
connection taken from an `AsyncPool` (one connection behind a FIFO lock for SQLite, a
`QueuePool` of several for server drivers); a transaction keeps its connection until it ends,
and queries made on the database object by the task that opened it run inside it.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import importlib
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from mizzle.drivers.base import AsyncDriver, AsyncPool, AsyncResult
from mizzle.errors import CommitCancelled, ConfigError, QueryError
from mizzle.query.base import EMULATED, Compiled, Executable, Returning, run_result
from mizzle.query.dml import Insert
from mizzle.query.rows import flat_decoders, values_of
from mizzle.query.select import Subquery
from mizzle.query.streaming import batch_decoder
from mizzle.schema.table import Table
from mizzle.session.base import (
    Builders,
    Rollback,
    RunResult,
    SQLLogger,
    debug_answers,
    describe,
    log_sql,
    one_of,
    raw_statement,
    sql_logger,
)
from mizzle.session.returning import emulated_returning
from mizzle.session.sync import _executemany_form  # pyright: ignore[reportPrivateUsage]
from mizzle.sql.chunks import SQL
from mizzle.sql.functions import count

if TYPE_CHECKING:
    from mizzle.session.aio_types import AsyncBuilders, AsyncRelationalQueries
    from mizzle.session.sync import Database
else:
    AsyncBuilders = Builders

T = TypeVar("T")
R = TypeVar("R")

TxBehavior = Literal["deferred", "immediate", "exclusive"]


# ---- uncancellable clean-up ----------------------------------------------------------------


async def finish(aw: Awaitable[T]) -> T:
    """Await `aw` to completion even if this task is cancelled meanwhile (then re-raise the cancel).

    Used for rollback and release: a cancelled task must not leave a transaction open or a
    connection checked out.
    """
    task = asyncio.ensure_future(aw)
    cancelled = False
    while True:
        try:
            result = await asyncio.shield(task)
            break
        except asyncio.CancelledError:
            if task.done():
                raise
            cancelled = True
    if cancelled:
        raise asyncio.CancelledError()
    return result


# ---- connections held by .iter() ----------------------------------------------------------

# (id(pool), task) -> how many connections of `pool` that task holds through `.iter()` loops it is reading
_iter_held: dict[tuple[int, asyncio.Task[Any] | None], int] = {}


async def acquire(pool: AsyncPool) -> AsyncDriver:
    """A connection from `pool` for a statement of the current task; refused (not awaited forever) when
    every connection the pool may open is held by `.iter()` loops this same task is reading."""
    key = (id(pool), asyncio.current_task())
    max_size = getattr(pool, "max_size", None)
    if isinstance(max_size, int) and _iter_held.get(key, 0) >= max_size:
        # an iterator abandoned by an exception or a break is closed by the event loop's finalizer in
        # a moment (releasing its connection); one still being read never will
        for _ in range(_GRACE_STEPS):
            await asyncio.sleep(0.01)
            if _iter_held.get(key, 0) < max_size:
                break
        else:
            raise QueryError(
                f"this statement needs a connection, but the pool's {max_size} connection(s) are held by "
                f"`.iter()` loops this task is still reading, so it would wait forever. Read those rows with "
                f"`.all()` first, run the loop inside `async with db.transaction():` (its statements then share "
                f"the loop's connection), or connect with a larger pool")
    return await pool.acquire()


_GRACE_STEPS = 100  # x 10 ms


# ---- pools --------------------------------------------------------------------------------


class QueuePool:
    """Up to `max_size` connections opened on demand by `factory`; waiters are served in order.

    `QueuePool(factory, max_size=1)` (the SQLite default) serialises every statement and
    transaction on one connection, so concurrent tasks never meet "database is locked".
    """

    def __init__(
        self,
        factory: Callable[[], Awaitable[AsyncDriver]],
        *,
        max_size: int = 10,
        dialect: Any = None,
        initial: Sequence[AsyncDriver] = (),
    ) -> None:
        if max_size < 1:
            raise ConfigError(f"pool max_size must be at least 1, got {max_size}")
        self._factory = factory
        self.max_size = max_size
        self._idle: asyncio.Queue[AsyncDriver] = asyncio.Queue()
        self._all: list[AsyncDriver] = list(initial)
        self._opening = 0
        self._closed = False
        for conn in initial:
            self._idle.put_nowait(conn)
        self.dialect: Any = dialect if dialect is not None else (initial[0].dialect if initial else None)

    @property
    def size(self) -> int:
        """How many connections are open (idle or in use)."""
        return len(self._all)

    async def acquire(self) -> AsyncDriver:
        """Wait for a free connection (opening one if the pool is not full)."""
        while True:
            conn = await self._acquire()
            alive = getattr(conn, "alive", None)  # drivers of server databases check liveness
            try:
                ok = alive is None or await alive()
            except BaseException:
                await self.release(conn, discard=True)
                raise
            if ok:
                return conn
            await self.release(conn, discard=True)  # lost while idle: replaced, never handed out

    async def _acquire(self) -> AsyncDriver:
        if self._closed:
            raise QueryError("the connection pool is closed")
        try:
            return self._idle.get_nowait()
        except asyncio.QueueEmpty:
            pass
        if len(self._all) + self._opening < self.max_size:
            self._opening += 1
            try:
                conn = await self._factory()
            finally:
                self._opening -= 1
            self._all.append(conn)
            if self.dialect is None:
                self.dialect = conn.dialect
            return conn
        return await self._idle.get()

    async def release(self, conn: AsyncDriver, *, discard: bool = False) -> None:
        """Take a connection back; a discarded (or broken) one is closed and replaced on demand."""
        if discard or conn.broken or self._closed:
            if conn in self._all:
                self._all.remove(conn)
            with contextlib.suppress(Exception):  # closing a broken connection may fail; it is gone anyway
                await conn.close()
            return
        self._idle.put_nowait(conn)

    async def close(self) -> None:
        """Close every connection (those in use are closed when released)."""
        self._closed = True
        while True:
            try:
                conn = self._idle.get_nowait()
            except asyncio.QueueEmpty:
                break
            if conn in self._all:
                self._all.remove(conn)
            await conn.close()


class _TxState:
    """One open transaction: its connection and savepoint counters."""

    __slots__ = ("conn", "depth", "pool", "savepoint")

    def __init__(self, pool: AsyncPool, conn: AsyncDriver) -> None:
        self.pool = pool
        self.conn = conn
        self.depth = 1
        self.savepoint = 0


_current_tx: contextvars.ContextVar[dict[int, _TxState] | None] = contextvars.ContextVar(
    "mizzle_current_tx", default=None
)


def _log_enabled() -> bool:
    return debug_answers.get(10) is not False and sql_logger.isEnabledFor(10)


# ---- the session ----------------------------------------------------------------------------


class AsyncDatabase(AsyncBuilders):
    """An async session with the query builders: `await db.select().from_(T).all()`.

    Open one with `await mizzle.aio.connect(url)`; close it with `await db.close()` (or
    `async with`). Nested `transaction()` blocks become savepoints.
    """

    def __init__(self, pool: AsyncPool, *, logger: SQLLogger | None = None, schema: Any = None) -> None:
        self.pool = pool
        self.dialect = pool.dialect
        self.logger = logger
        self._ctes: tuple[Subquery, ...] = ()
        self._schema = schema
        self._query: Any = None
        self._tx: _TxState | None = None

    # ---- views ---------------------------------------------------------------

    def with_(self, *ctes: Subquery) -> AsyncDatabase:
        """Queries built from the result start with `WITH cte AS (...)`."""
        view = object.__new__(type(self))
        view.__dict__.update(self.__dict__)
        view._ctes = self._ctes + ctes
        return view

    @property
    def query(self) -> AsyncRelationalQueries:
        """The relational query API: `await db.query(Users).find_many(with_={...}).all()` (typed), or
        `db.query.users` by name."""
        if self._query is None:
            api = importlib.import_module("mizzle.relations.api")
            self._query = api.RelationalQueries(self, self._schema)
        query: AsyncRelationalQueries = self._query
        return query

    # ---- connections -----------------------------------------------------------

    def _open_tx(self) -> _TxState | None:
        if self._tx is not None:
            return self._tx
        current = _current_tx.get()
        if current is None:
            return None
        return current.get(id(self.pool))

    async def _execute(self, sql: str, params: Sequence[Any], max_rows: int | None = None) -> AsyncResult:
        if self.logger is not None or _log_enabled():
            log_sql(self.logger, sql, params)
        tx = self._open_tx()
        if tx is not None:
            return await self._on(tx.conn, sql, params, max_rows)
        pool = self.pool
        conn = await acquire(pool)
        try:
            result = await self._on(conn, sql, params, max_rows)
        except BaseException:
            await finish(pool.release(conn, discard=conn.broken))
            raise
        await pool.release(conn)
        return result

    @staticmethod
    async def _on(conn: AsyncDriver, sql: str, params: Sequence[Any], max_rows: int | None) -> AsyncResult:
        try:
            return await conn.execute(sql, params, max_rows=max_rows)
        except Exception as exc:
            err = conn.map_error(exc, sql, params)
            if err is None:
                raise
            raise err from exc

    async def _run_compiled(self, c: Compiled, values: dict[str, Any] | None, max_rows: int | None) -> AsyncResult:
        q = c.query
        if c.kind is EMULATED:
            return await self._emulate(c, values or {})
        params = q.fill(values or {}) if q.slots else q.params
        return await self._execute(q.sql, params, max_rows)

    async def _emulate(self, c: Compiled, values: dict[str, Any]) -> AsyncResult:
        """Run a statement the database cannot run as one, in the open transaction or in a new one."""
        if self.in_transaction:
            rows = await self._steps(c, values)
        else:
            async with self.transaction() as tx:
                rows = await tx._steps(c, values)
        return AsyncResult(rows=rows, rowcount=len(rows), returns_rows=True)

    async def _steps(self, c: Compiled, values: dict[str, Any]) -> list[Any]:
        plan = emulated_returning(c, values)
        try:
            sql, params = next(plan)
            while True:
                res = await self._execute(sql, params)
                sql, params = plan.send(list(res.rows))
        except StopIteration as done:
            rows: list[Any] = done.value
            return rows

    # ---- execution ---------------------------------------------------------------

    async def all(self, q: Returning[T], values: dict[str, Any] | None = None) -> list[T]:
        """Run `q` and return every row."""
        c = q.compile(self.dialect)
        res = await self._run_compiled(c, values, None)
        assert c.shape is not None
        return c.shape.decoders()[0](res.rows)

    def iter(self, q: Returning[T], values: dict[str, Any] | None = None, *, batch_size: int = 1000) -> AsyncGenerator[T]:
        """Run `q` and yield its rows (`async for`), fetching `batch_size` at a time.

        The statement holds one connection until the rows run out or the iterator is closed;
        stop early inside `contextlib.aclosing(...)` so the cursor and connection are released
        at once (not when the abandoned iterator is collected).
        """
        if batch_size < 1:
            raise QueryError(f"batch_size must be at least 1, got {batch_size}")
        return self._iter_compiled(q.compile(self.dialect), values, batch_size)

    async def _iter_compiled(self, c: Compiled, values: dict[str, Any] | None, batch_size: int) -> AsyncGenerator[Any]:
        assert c.shape is not None
        decode = batch_decoder(c.shape)
        q = c.query
        if c.kind is EMULATED:
            for row in decode((await self._emulate(c, values or {})).rows):
                yield row
            return
        params = q.fill(values or {}) if q.slots else q.params
        if self.logger is not None or _log_enabled():
            log_sql(self.logger, q.sql, params)
        tx = self._open_tx()
        pool = self.pool
        conn = tx.conn if tx is not None else await acquire(pool)
        holder = (id(pool), asyncio.current_task())
        if tx is None:
            _iter_held[holder] = _iter_held.get(holder, 0) + 1
        try:
            stream = getattr(conn, "stream", None)
            if stream is None:
                for row in decode((await self._on(conn, q.sql, params, None)).rows):
                    yield row
                return
            batches: AsyncGenerator[Sequence[Any]] = stream(q.sql, params, batch_size)
            try:
                while True:
                    try:
                        batch = await anext(batches)
                    except StopAsyncIteration:
                        return
                    except Exception as exc:
                        err = conn.map_error(exc, q.sql, params)
                        if err is None:
                            raise
                        raise err from exc
                    for row in decode(batch):
                        yield row
            finally:
                await finish(batches.aclose())
        finally:
            if tx is None:
                left = _iter_held.pop(holder, 1) - 1
                if left:
                    _iter_held[holder] = left
                await finish(pool.release(conn, discard=conn.broken))

    async def get(self, q: Returning[T], values: dict[str, Any] | None = None) -> T | None:
        """Run `q` and return its first row, or None."""
        c = q.compile(self.dialect)
        res = await self._run_compiled(c, values, 1)
        if not res.rows:
            return None
        assert c.shape is not None
        out: T = c.shape.decoders()[1](res.rows[0])
        return out

    async def one(self, q: Returning[T], values: dict[str, Any] | None = None) -> T:
        """Run `q` and return its only row (error if none or several)."""
        c = q.compile(self.dialect)
        res = await self._run_compiled(c, values, 2)
        row = one_of(res.rows, describe(c))
        assert c.shape is not None
        out: T = c.shape.decoders()[1](row)
        return out

    async def values(self, q: Returning[Any], values: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Run `q` and return plain tuples (values decoded by their column modes)."""
        c = q.compile(self.dialect)
        res = await self._run_compiled(c, values, None)
        assert c.shape is not None
        decode = values_of(c.shape)
        rows: list[tuple[Any, ...]] = [tuple(r) for r in res.rows]
        return rows if decode is None else decode(rows)

    async def scalar(self, q: Returning[Any], values: dict[str, Any] | None = None) -> Any:
        """The first column of the first row, or None."""
        c = q.compile(self.dialect)
        res = await self._run_compiled(c, values, 1)
        if not res.rows:
            return None
        assert c.shape is not None
        decoders = [d for p in c.shape.parts for d in flat_decoders(p)]
        v = res.rows[0][0]
        d = decoders[0] if decoders else None
        return v if d is None or v is None else d(v)

    async def run(self, q: Executable[Any], values: dict[str, Any] | None = None) -> RunResult:
        """Run `q` without fetching rows."""
        if isinstance(q, Insert) and len(q._rows) > 1 and q._select is None and q._conflict is None:
            many = _executemany_form(q)  # pyright: ignore[reportUnknownArgumentType]
            if many is not None:
                return await self._run_many(*many)
        c = q.compile(self.dialect)
        res = await self._run_compiled(c, values, None)
        return run_result((res.rowcount, res.lastrowid))

    async def _run_many(self, template: Insert[Any, Any], rows: list[dict[str, Any]]) -> RunResult:
        q = template.compile(self.dialect).query
        params = [q.fill(r) for r in rows]
        if self.logger is not None or _log_enabled():
            log_sql(self.logger, q.sql, params[:1])
        tx = self._open_tx()
        if tx is not None:
            res = await self._many_on(tx.conn, q.sql, params)
        else:
            conn = await acquire(self.pool)
            try:
                res = await self._many_on(conn, q.sql, params)
            except BaseException:
                await finish(self.pool.release(conn, discard=conn.broken))
                raise
            await self.pool.release(conn)
        return run_result((res.rowcount, res.lastrowid))

    @staticmethod
    async def _many_on(conn: AsyncDriver, sql: str, params: Sequence[Sequence[Any]]) -> AsyncResult:
        try:
            return await conn.executemany(sql, params)
        except Exception as exc:
            err = conn.map_error(exc, sql, None)
            if err is None:
                raise
            raise err from exc

    def prepare(self, q: Executable[T], name: str | None = None) -> AsyncPrepared[T]:
        """Render `q` once; run it many times with new placeholder values (`await p.all(id=1)`)."""
        return AsyncPrepared(self, q, name)

    async def execute(self, query: SQL[Any] | str, *args: Any) -> list[tuple[Any, ...]]:
        """Run raw SQL (`sql(...)` fragment or trusted text with `?` args) and return its rows as tuples."""
        text, params = raw_statement(query, args, self.dialect)
        res = await self._execute(text, params)
        return [tuple(r) for r in res.rows] if res.returns_rows else []

    async def refresh_materialized_view(
        self, view: type[Table], *, concurrently: bool = False, with_no_data: bool = False
    ) -> None:
        """`REFRESH MATERIALIZED VIEW [CONCURRENTLY] view [WITH NO DATA]` (PostgreSQL)."""
        from mizzle.schema.view import refresh_sql

        await self.execute(refresh_sql(view, self.dialect, concurrently=concurrently, with_no_data=with_no_data))

    async def count(self, table: type[Table] | Subquery, where: SQL[Any] | None = None) -> int:
        """`select count(*) from table [where ...]`."""
        q = self.select(count()).from_(table).where(where)
        row = await self.get(q)
        return row[0] if row is not None else 0

    async def batch(self, queries: Sequence[Executable[Any]]) -> list[Any]:
        """Run several queries in one transaction; returns each one's rows (or RunResult)."""
        results: list[Any] = []
        async with self.transaction() as tx:
            for q in queries:
                if isinstance(q, Returning):
                    results.append(await tx.all(q))
                else:
                    results.append(await tx.run(q))
        return results

    async def create_all(self, tables: Iterable[type[Table]], *, if_not_exists: bool = True) -> None:
        """Create every table (and its indexes) that does not exist yet, then the views, in one transaction."""
        from mizzle.schema.ddl import create_all_statements

        statements = create_all_statements(self, tables, if_not_exists=if_not_exists)
        async with self.transaction() as tx:
            for stmt in statements:
                await tx.execute(stmt)

    async def run_sync(self, fn: Callable[[Database], R]) -> R:
        """Call `fn(db)` with a synchronous `Database` on this connection (migrations, `create_all`).

        The call runs in the driver's worker thread, so the event loop keeps serving; the
        connection is held for the whole call. Drivers without a `run_sync` hook raise ConfigError.
        """
        tx = self._open_tx()
        if tx is not None:
            return await self._sync_on(tx.conn, fn)
        conn = await acquire(self.pool)
        try:
            return await self._sync_on(conn, fn)
        finally:
            await finish(self.pool.release(conn, discard=conn.broken))

    async def _sync_on(self, conn: AsyncDriver, fn: Callable[[Database], R]) -> R:
        hook = getattr(conn, "run_sync", None)
        if hook is None:
            raise ConfigError(
                f"{type(conn).__name__} cannot run synchronous code on its connection; "
                "open a sync connection with mizzle.connect(url) for this step"
            )
        from mizzle.session.sync import Database

        def call(sync_driver: Any) -> R:
            return fn(Database(sync_driver, logger=self.logger, schema=self._schema))

        result: R = await hook(call)
        return result

    # ---- transactions ------------------------------------------------------------

    @asynccontextmanager
    async def transaction(self, behavior: TxBehavior | None = None) -> AsyncGenerator[AsyncTransaction]:
        """`async with db.transaction() as tx:` commits on success, rolls back on error or cancel.

        Nested blocks (on `tx` or on `db` in the same task) are savepoints; `tx.rollback()`
        leaves the block rolled back. The transaction holds its connection until it ends.
        """
        state = self._open_tx()
        if state is not None:
            async with self._savepoint(state) as tx:
                yield tx
            return
        pool = self.pool
        conn = await acquire(pool)
        released = False
        state = _TxState(pool, conn)
        tx = AsyncTransaction(self, state)
        current = dict(_current_tx.get() or {})
        current[id(pool)] = state
        token = _current_tx.set(current)
        try:
            try:
                await conn.begin(behavior)
            except BaseException as exc:
                # cancelled after BEGIN ran in the driver: make sure no transaction is left open
                await finish(_quiet_rollback(conn))
                err = conn.map_error(exc, "begin", None) if isinstance(exc, Exception) else None
                if err is None:
                    raise
                raise err from exc
            try:
                yield tx
            except Rollback:
                await finish(conn.rollback())
            except BaseException:
                await finish(_quiet_rollback(conn))
                raise
            else:
                try:
                    await conn.commit()
                except asyncio.CancelledError as exc:
                    await finish(pool.release(conn, discard=True))  # mid-COMMIT: the connection's state is unknown
                    released = True
                    raise CommitCancelled(
                        "the task was cancelled while COMMIT was in flight: the transaction may or may not "
                        "have been committed; check the database before retrying", sql="commit",
                    ) from exc
                except BaseException as exc:
                    await finish(_quiet_rollback(conn))
                    err = conn.map_error(exc, "commit", None) if isinstance(exc, Exception) else None
                    if err is None:
                        raise
                    raise err from exc
        finally:
            state.depth = 0
            _current_tx.reset(token)
            if not released:
                await finish(pool.release(conn, discard=conn.broken))

    @asynccontextmanager
    async def _savepoint(self, state: _TxState) -> AsyncGenerator[AsyncTransaction]:
        state.savepoint += 1
        name = f"sp{state.savepoint}"
        conn = state.conn
        await conn.execute(f"savepoint {name}", ())
        state.depth += 1
        try:
            yield AsyncTransaction(self, state)
        except Rollback:
            await finish(_rollback_to(conn, name))
        except BaseException:
            with contextlib.suppress(Exception):  # the outer transaction may already be gone
                await finish(_rollback_to(conn, name))
            raise
        else:
            await conn.execute(f"release savepoint {name}", ())
        finally:
            state.depth -= 1

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction block is open (for this task)."""
        state = self._open_tx()
        return state is not None and state.depth > 0

    async def close(self) -> None:
        """Close every connection."""
        await self.pool.close()

    async def __aenter__(self) -> AsyncDatabase:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


async def _quiet_rollback(conn: AsyncDriver) -> None:
    with contextlib.suppress(Exception):  # the connection may be gone; the original error matters more
        await conn.rollback()


async def _rollback_to(conn: AsyncDriver, name: str) -> None:
    await conn.execute(f"rollback to savepoint {name}", ())
    await conn.execute(f"release savepoint {name}", ())


class AsyncTransaction(AsyncDatabase):
    """The session inside `async with db.transaction() as tx`; `tx.rollback()` leaves the block."""

    def __init__(self, parent: AsyncDatabase, state: _TxState) -> None:
        self.__dict__.update(parent.__dict__)
        self._tx = state

    def rollback(self) -> None:
        """Roll back this transaction (or savepoint) and leave its block."""
        raise Rollback()


class AsyncPrepared(Generic[T]):
    """A query rendered once; `await p.all(**values)`, `.get(...)`, `.one(...)`, `.run(...)`."""

    __slots__ = ("_c", "_db", "_decode_all", "_decode_one", "_query", "name")

    def __init__(self, db: AsyncDatabase, query: Executable[T], name: str | None) -> None:
        self._db = db
        self._query = query
        self.name = name
        self._c = query.compile_prepared(db.dialect)
        self._decode_all: Callable[[Sequence[Any]], list[Any]] | None = None
        self._decode_one: Callable[[Any], Any] | None = None
        if self._c.shape is not None:
            self._decode_all, self._decode_one = self._c.shape.decoders()

    @property
    def sql(self) -> str:
        """The rendered SQL text."""
        return self._c.query.sql

    def _needs_rows(self) -> None:
        if self._decode_all is None:
            raise QueryError("this statement returns no rows; use .run()")

    async def all(self, **values: Any) -> list[T]:
        """Every row."""
        self._needs_rows()
        res = await self._db._run_compiled(self._c, values, None)
        assert self._decode_all is not None
        return self._decode_all(res.rows)

    async def get(self, **values: Any) -> T | None:
        """The first row, or None."""
        self._needs_rows()
        res = await self._db._run_compiled(self._c, values, 1)
        assert self._decode_one is not None
        return self._decode_one(res.rows[0]) if res.rows else None

    async def one(self, **values: Any) -> T:
        """Exactly one row."""
        self._needs_rows()
        res = await self._db._run_compiled(self._c, values, 2)
        row = one_of(res.rows, self.sql)
        assert self._decode_one is not None
        out: T = self._decode_one(row)
        return out

    async def values(self, **values: Any) -> list[tuple[Any, ...]]:
        """Rows as plain tuples."""
        return await self._db.values(self._query, values)  # type: ignore[arg-type]

    async def run(self, **values: Any) -> RunResult:
        """Execute without fetching rows."""
        res = await self._db._run_compiled(self._c, values, None)
        return run_result((res.rowcount, res.lastrowid))

    execute = run


__all__ = ["AsyncDatabase", "AsyncPrepared", "AsyncTransaction", "QueuePool", "finish"]
