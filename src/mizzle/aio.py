"""`mizzle.aio`: asyncio sessions — `db = await mizzle.aio.connect(url)`; `await db.select()...all()`."""

from __future__ import annotations

from typing import Any

from mizzle.drivers.base import AsyncDriverFactory, AsyncPool, async_driver_for, register_async_driver
from mizzle.errors import ConfigError
from mizzle.session.aio import AsyncDatabase, AsyncPrepared, AsyncTransaction, QueuePool, finish
from mizzle.session.base import SQLLogger
from mizzle.url import parse_url


def _aiosqlite() -> AsyncDriverFactory:
    from mizzle.drivers.aiosqlite import open_driver

    return open_driver


register_async_driver("sqlite", _aiosqlite)


def _aiomysql() -> AsyncDriverFactory:
    from mizzle.drivers.aiomysql import open_driver

    return open_driver


register_async_driver("mysql", _aiomysql)
register_async_driver("mariadb", _aiomysql)


def _psycopg_async() -> AsyncDriverFactory:
    from mizzle.drivers.psycopg_async import open_driver

    return open_driver


register_async_driver("postgresql", _psycopg_async)
register_async_driver("postgres", _psycopg_async)


async def connect(
    url: str = ":memory:",
    *,
    driver: str | None = None,
    pool_size: int | None = None,
    logger: SQLLogger | None = None,
    schema: Any = None,
    **options: Any,
) -> AsyncDatabase:
    """Open `url` for asyncio (the same URLs as `mizzle.connect`) and return an `AsyncDatabase`.

    SQLite (via aiosqlite) defaults to `pool_size=1`: one connection shared by every task,
    statements and transactions queued in order, so concurrent writers never see "database is
    locked". Server drivers default to a pool of 10. The first connection is opened here, so a
    bad URL or an unreachable server fails now, not at the first query.
    """
    spec = parse_url(url)
    scheme = driver or spec.scheme
    factory = async_driver_for(scheme)
    is_sqlite = spec.scheme == "sqlite" and scheme == "sqlite"
    size = pool_size if pool_size is not None else (1 if is_sqlite else 10)
    if size < 1:
        raise ConfigError(f"connect({url!r}): pool_size must be at least 1, got {size}")
    if is_sqlite and spec.database == ":memory:" and size > 1:
        raise ConfigError(
            f"connect({url!r}): an in-memory SQLite database lives in one connection; use pool_size=1"
        )

    async def open_one() -> Any:
        try:
            if is_sqlite:
                return await factory(spec.database, uri=spec.uri, **options)
            return await factory(spec, **options)
        except TypeError as exc:
            raise ConfigError(f"connect({url!r}): bad option ({exc})") from None

    first = await open_one()
    if hasattr(first, "acquire"):
        pool: AsyncPool = first
    else:
        pool = QueuePool(open_one, max_size=size, initial=[first])
    return AsyncDatabase(pool, logger=logger, schema=schema)


__all__ = ["AsyncDatabase", "AsyncPrepared", "AsyncTransaction", "QueuePool", "connect", "finish"]
