"""The async MySQL/MariaDB driver over `aiomysql` (`mysql://` and `mariadb://` in `mizzle.aio`).

Same session setup as the PyMySQL driver (utf8mb4, UTC session time zone, matched-row counts,
server-detected capabilities) and the same error mapping. A statement cancelled while it runs
leaves the connection mid-protocol, so the driver closes it and reports itself `broken`; the
pool then opens a fresh one.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import AsyncGenerator, Awaitable, Sequence
from typing import Any, TypeVar

from mizzle.dialects.mysql.dialect import MySQLDialect
from mizzle.drivers.base import AsyncResult
from mizzle.drivers.pymysql import begin_statements, connect_args, map_mysql_error, session_statements
from mizzle.errors import ConfigError, DatabaseError, OperationalError
from mizzle.url import ConnectSpec

T = TypeVar("T")

_UNSUPPORTED = ("read_timeout", "write_timeout", "ssl_ca", "ssl_cert", "ssl_key", "ssl_verify_cert",
                "ssl_verify_identity", "collation", "auth_plugin_map")
_IN_TRANS = 1


class AioMySQLDriver:
    """One aiomysql connection in autocommit mode; mizzle issues START TRANSACTION / COMMIT itself."""

    dialect: MySQLDialect

    def __init__(self, conn: Any, version: str, cursor_cls: Any = None) -> None:
        self.conn = conn
        self._cursor_cls = cursor_cls
        self.version = version
        self.dialect = MySQLDialect().configure(version)
        self._broken = False

    @classmethod
    async def open(cls, spec: ConnectSpec, **options: Any) -> AioMySQLDriver:
        """Connect, prepare the session and read the server version."""
        try:
            aiomysql: Any = importlib.import_module("aiomysql")  # untyped library: used as Any
            pymysql: Any = importlib.import_module("pymysql")
        except ImportError:  # pragma: no cover - depends on the environment
            raise ConfigError("async MySQL needs aiomysql: pip install 'mizzle[mysql]'") from None
        kwargs, session = connect_args(spec, options)
        for key in _UNSUPPORTED:
            if key in kwargs:
                raise ConfigError(f"{spec.scheme} URL option {key!r} is not supported by the aiomysql driver")
        if "database" in kwargs:
            kwargs["db"] = kwargs.pop("database")

        class QuietCursor(aiomysql.Cursor):  # type: ignore[misc]
            """A cursor that does not turn server notes into Python warnings (PyMySQL doesn't either)."""

            async def _show_warnings(self, conn: Any) -> None:
                return None

        try:
            conn: Any = await aiomysql.connect(**kwargs)
        except (pymysql.err.Error, OSError) as exc:
            raise OperationalError(
                f"cannot connect to {spec.scheme} server at {kwargs['host']}:{kwargs['port']}: {exc}"
            ) from exc
        _escape_bytes_safely(conn)
        try:
            async with conn.cursor(QuietCursor) as cur:
                for stmt, args in session_statements(session):
                    await cur.execute(stmt, args)
                await cur.execute("select version()", ())
                row = await cur.fetchone()
        except BaseException:
            conn.close()
            raise
        return cls(conn, str(row[0]), QuietCursor)

    async def _guard(self, aw: Awaitable[T]) -> T:
        try:
            return await aw
        except asyncio.CancelledError:
            # the reply is half-read: this connection cannot be used again
            self._broken = True
            self.conn.close()
            raise
        except Exception:
            if self.conn.closed:  # lost connection (server gone, killed)
                self._broken = True
            raise

    async def _run(self, sql: str, params: Sequence[Any], max_rows: int | None) -> AsyncResult:
        async with self.conn.cursor(self._cursor_cls) as cur:
            await cur.execute(sql, params)
            if cur.description is None:
                return AsyncResult((), cur.rowcount, cur.lastrowid, False)
            rows = await (cur.fetchall() if max_rows is None else cur.fetchmany(max_rows))
            return AsyncResult(list(rows), cur.rowcount, cur.lastrowid, True)

    async def execute(self, sql: str, params: Sequence[Any], *, max_rows: int | None = None) -> AsyncResult:
        """Run one statement and fetch its rows (up to `max_rows`)."""
        return await self._guard(self._run(sql, params, max_rows))

    async def stream(self, sql: str, params: Sequence[Any], batch_size: int) -> AsyncGenerator[Sequence[Any]]:
        """An unbuffered cursor (`SSCursor`): rows read from the socket `batch_size` at a time; closing
        early reads and drops the unread rows (the connection runs nothing else meanwhile)."""
        aiomysql: Any = importlib.import_module("aiomysql")
        cur: Any = await self._guard(self.conn.cursor(aiomysql.SSCursor))
        try:
            await self._guard(cur.execute(sql, params))
            while True:
                rows = await self._guard(cur.fetchmany(batch_size))
                if not rows:
                    break
                yield rows
        finally:
            if not self._broken:
                await self._guard(cur.close())

    async def _run_many(self, sql: str, params: Sequence[Sequence[Any]]) -> AsyncResult:
        async with self.conn.cursor(self._cursor_cls) as cur:
            await cur.executemany(sql, params)
            return AsyncResult((), cur.rowcount, cur.lastrowid, False)

    async def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> AsyncResult:
        """Run one statement per parameter list (an INSERT becomes one multi-row statement)."""
        return await self._guard(self._run_many(sql, params))

    async def begin(self, behavior: str | None = None) -> None:
        """START TRANSACTION (`behavior`: an isolation level, "consistent snapshot" or "read only")."""
        for stmt in begin_statements(behavior):
            await self.execute(stmt, ())

    async def commit(self) -> None:
        """COMMIT."""
        await self._guard(self.conn.commit())

    async def rollback(self) -> None:
        """ROLLBACK (no-op once the connection is gone)."""
        if not self.conn.closed:
            await self._guard(self.conn.rollback())

    async def close(self) -> None:
        """Close the connection."""
        self._broken = True
        if not self.conn.closed:
            try:
                await self.conn.ensure_closed()
            except Exception:
                self.conn.close()

    @property
    def broken(self) -> bool:
        """True once closed or left mid-protocol by a cancelled statement."""
        return self._broken or bool(self.conn.closed)

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open on the server."""
        return bool(self.conn.server_status & _IN_TRANS)

    def map_error(self, exc: BaseException, sql: str | None, params: Sequence[Any] | None) -> DatabaseError | None:
        """The same mapping as the PyMySQL driver (by MySQL error code)."""
        return map_mysql_error(exc, sql, params)


async def open_driver(spec: ConnectSpec, **options: Any) -> AioMySQLDriver:
    """The factory registered for `mysql` and `mariadb` URLs in `mizzle.aio`."""
    return await AioMySQLDriver.open(spec, **options)


def _escape_bytes_safely(conn: Any) -> None:
    """aiomysql 0.3 escapes bytes with a PyMySQL helper that PyMySQL 1.2 no longer provides
    (`TypeError: 'str' object is not callable`); escape bytes parameters as hex literals instead."""
    original = conn.escape

    def escape(obj: Any) -> Any:
        if isinstance(obj, bytes | bytearray):
            return "_binary X'" + obj.hex() + "'"
        return original(obj)

    conn.escape = escape
