"""psycopg 3 (asyncio) for `postgresql://` and `postgres://` URLs in `mizzle.aio.connect`.

One `AsyncConnection` in autocommit mode per driver; the async session pools drivers
(`QueuePool`, `pool_size=`). Errors map exactly like the sync driver's (`map_psycopg_error`).
"""

from __future__ import annotations

import asyncio
import importlib
import itertools
from collections.abc import AsyncGenerator, Sequence
from typing import Any

from mizzle.dialects.postgres.dialect import PostgresDialect
from mizzle.drivers import liveness
from mizzle.drivers.base import AsyncResult
from mizzle.drivers.psycopg import _ISOLATION, conninfo_for, json_as_text, map_psycopg_error  # pyright: ignore[reportPrivateUsage]
from mizzle.errors import ConfigError, DatabaseError, OperationalError
from mizzle.url import ConnectSpec, redact

psycopg: Any = importlib.import_module("psycopg")  # by name: see mizzle.drivers.psycopg


_cursor_ids = itertools.count(1)


class AsyncPsycopgDriver:
    """An asyncio psycopg connection speaking PostgreSQL with `%s` placeholders."""

    dialect: PostgresDialect

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.dialect = PostgresDialect.default()
        self._in_tx = False
        self._broken = False
        self._watch = liveness.watch(conn)
        # one cursor for every statement: the session runs one statement at a time on a connection
        # and fetches its rows before the next (a cursor per statement costs psycopg a Transformer,
        # an adapters map and its loader lookups)
        self._cur: Any = conn.cursor()

    @classmethod
    async def open(
        cls, spec: ConnectSpec | str, *, connect_timeout: float | None = 10, application_name: str | None = "mizzle",
        **libpq: Any,
    ) -> AsyncPsycopgDriver:
        """Connect (autocommit; mizzle issues BEGIN/COMMIT)."""
        extra: dict[str, Any] = dict(libpq)
        if connect_timeout is not None:
            extra.setdefault("connect_timeout", max(1, int(connect_timeout)))
        if application_name:
            extra.setdefault("application_name", application_name)
        url = redact(spec.url if isinstance(spec, ConnectSpec) else spec)
        try:
            conn = json_as_text(await psycopg.AsyncConnection.connect(conninfo_for(spec, **extra), autocommit=True))
        except psycopg.Error as exc:
            raise OperationalError(f"could not connect to PostgreSQL at {url}: {exc}".strip()) from exc
        return cls(conn)

    async def alive(self) -> bool:
        """Checked by the pool before it hands this connection out (see `mizzle.drivers.liveness`):
        False when it is lost; a suspect connection is pinged (`select 1`)."""
        if self.broken:
            return False
        if not self._watch.suspect(liveness.pg_fileno(self.conn)):
            return True
        try:
            await self._guard("select 1", (), None)
        except psycopg.Error:
            self._broken = True
            return False
        return True

    async def _guard(self, sql: str, params: Sequence[Any], max_rows: int | None) -> AsyncResult:
        ok = False
        try:
            cur = self._cur
            await cur.execute(sql, params)
            if cur.description is None:
                result = AsyncResult((), cur.rowcount, None, False)
            else:
                rows = await (cur.fetchall() if max_rows is None else cur.fetchmany(max_rows))
                result = AsyncResult(list(rows), cur.rowcount, None, True)
            ok = True
            return result
        except asyncio.CancelledError:
            self._broken = True
            await self.conn.close()
            raise
        except Exception:
            if self.conn.closed or self.conn.broken:
                self._broken = True
            raise
        finally:
            self._watch.used(ok)

    async def execute(self, sql: str, params: Sequence[Any], *, max_rows: int | None = None) -> AsyncResult:
        """Run one statement and fetch its rows."""
        return await self._guard(sql, params, max_rows)

    async def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> AsyncResult:
        """Run one statement per parameter list."""
        try:
            async with self.conn.cursor() as cur:
                await cur.executemany(sql, params)
                return AsyncResult((), cur.rowcount, None, False)
        except Exception:
            if self.conn.closed or self.conn.broken:
                self._broken = True
            raise

    async def stream(self, sql: str, params: Sequence[Any], batch_size: int) -> AsyncGenerator[Sequence[Any]]:
        """A server-side cursor, `batch_size` rows per `FETCH` (outside a transaction it gets its own,
        rolled back when the rows run out or the consumer stops early)."""
        own = not self._in_tx
        try:
            if own:
                await self._guard("begin", (), None)
            cur: Any = self.conn.cursor(name=f"mizzle_iter_{next(_cursor_ids)}")
            try:
                await cur.execute(sql, params)
                while True:
                    rows = await cur.fetchmany(batch_size)
                    if not rows:
                        break
                    yield rows
            except asyncio.CancelledError:
                self._broken = True
                await self.conn.close()
                raise
            finally:
                if not self.broken:
                    await cur.close()
        finally:
            if own and not self.broken:
                try:
                    await self.conn.execute("rollback")
                except psycopg.Error:
                    self._broken = True

    async def begin(self, behavior: str | None = None) -> None:
        """BEGIN [ISOLATION LEVEL ...]."""
        stmt = "begin"
        if behavior is not None and behavior != "deferred":
            level = _ISOLATION.get(behavior.lower())
            if level is None:
                raise ConfigError(
                    f"PostgreSQL transaction behavior {behavior!r} is not known; use one of {', '.join(sorted(_ISOLATION))}"
                )
            stmt += " isolation level " + level
        await self._guard(stmt, (), None)
        self._in_tx = True

    async def commit(self) -> None:
        """COMMIT."""
        try:
            await self._guard("commit", (), None)
        finally:
            self._in_tx = False

    async def rollback(self) -> None:
        """ROLLBACK (no-op when no transaction is open or the connection is gone)."""
        if not self._in_tx:
            return
        self._in_tx = False
        if self.conn.closed or self.conn.broken:
            self._broken = True
            return
        try:
            await self.conn.execute("rollback")
        except psycopg.Error:
            self._broken = True

    async def close(self) -> None:
        """Close the connection."""
        await self.conn.close()

    @property
    def broken(self) -> bool:
        """True when the connection was lost or left mid-protocol."""
        return self._broken or bool(self.conn.closed) or bool(self.conn.broken)

    def backend_pid(self) -> int:
        """The server process id of this connection."""
        return int(self.conn.info.backend_pid)

    def map_error(self, exc: BaseException, sql: str | None, params: Sequence[Any] | None) -> DatabaseError | None:
        """Same mapping as the sync driver."""
        return map_psycopg_error(exc, sql, params, in_transaction=self._in_tx)


async def open_driver(spec: ConnectSpec | str, **options: Any) -> AsyncPsycopgDriver:
    """The async driver factory registered for `postgresql://` and `postgres://`."""
    return await AsyncPsycopgDriver.open(spec, **options)
