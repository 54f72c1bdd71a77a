"""psycopg async driver through `mizzle.aio.connect`: queries, pool, transactions, errors, lost connections."""

from __future__ import annotations

import asyncio

import pytest

import mizzle
import mizzle.aio
from mizzle import eq
from mizzle.postgres import Column, Table, integer, serial, text


class Items(Table, name="items"):
    id: Column[int] = serial().primary_key()
    name: Column[str] = text().not_null().unique()
    qty: Column[int] = integer().not_null().default(0)


@pytest.fixture
def url(pg_db: mizzle.Database, pg_url: str) -> str:
    mizzle.create_all(pg_db, [Items])
    return pg_url


def test_async_queries_transactions_and_errors(url: str) -> None:
    async def main() -> None:
        db = await mizzle.aio.connect(url, pool_size=3)
        try:
            row = await db.insert(Items).values(name="a", qty=1).returning().one()
            assert (row.id, row.name) == (1, "a")
            await asyncio.gather(*(db.insert(Items).values(name=f"n{i}").run() for i in range(6)))
            assert await db.count(Items) == 7
            with pytest.raises(mizzle.UniqueViolation) as info:
                await db.insert(Items).values(name="a").run()
            assert info.value.constraint == "items_name_unique"
            with pytest.raises(RuntimeError):
                async with db.transaction() as tx:
                    await tx.update(Items).set(qty=50).where(eq(Items.name, "a")).run()
                    raise RuntimeError("undo")
            assert await db.select(Items.qty).from_(Items).where(eq(Items.name, "a")).one() == (1,)
        finally:
            await db.close()

    asyncio.run(main())


def test_async_connection_loss_mid_transaction(url: str, pg_url: str) -> None:
    async def main() -> None:
        db = await mizzle.aio.connect(url, pool_size=1)
        admin = mizzle.connect(pg_url)
        try:
            with pytest.raises(mizzle.OperationalError, match="connection to PostgreSQL lost"):
                async with db.transaction() as tx:
                    await tx.insert(Items).values(name="x").run()
                    pid = (await tx.execute("select pg_backend_pid()"))[0][0]
                    admin.execute(mizzle.sql("select pg_terminate_backend({})", pid))
                    await tx.insert(Items).values(name="y").run()
            assert admin.count(Items) == 0
            assert await db.count(Items) == 0  # the pool replaced the dead connection
        finally:
            admin.close()
            await db.close()

    asyncio.run(main())
