"""The aiomysql driver under `mizzle.aio`: builders awaited, pool, transactions, errors, cancellation."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

import mizzle
import mizzle.aio
from mizzle import eq, excluded, sql
from mizzle.mysql import Column, Table, int_, varbinary, varchar
from mizzle.session.aio import AsyncDatabase

pytest.importorskip("aiomysql", reason="async MySQL tests need aiomysql: pip install 'mizzle[mysql]'")
pytestmark = pytest.mark.mysql


class Items(Table, name="items"):
    id: Column[int] = int_().primary_key(autoincrement=True)
    name: Column[str] = varchar(length=50).not_null().unique()
    qty: Column[int] = int_().not_null().default(0)


def run(url: str, fn: Callable[[AsyncDatabase], Awaitable[Any]], **kw: Any) -> Any:
    async def main() -> Any:
        db = await mizzle.aio.connect(url, **kw)
        try:
            await db.create_all([Items])
            return await fn(db)
        finally:
            await db.close()

    return asyncio.run(main())


def test_builders_awaited(mdb: mizzle.Database, mysql_url: str) -> None:
    async def body(db: AsyncDatabase) -> None:
        assert db.dialect.name == "mysql"
        await db.insert(Items).values([{"name": "a", "qty": 1}, {"name": "b", "qty": 2}]).run()
        rows = await db.select().from_(Items).order_by(Items.id).all()
        assert [(r.id, r.name, r.qty) for r in rows] == [(1, "a", 1), (2, "b", 2)]
        await db.insert(Items).values(name="a", qty=5).on_duplicate_key_update(
            set={"qty": sql("{} + {}", Items.qty, excluded(Items.qty))}
        ).run()
        assert await db.select(Items.qty).from_(Items).where(eq(Items.name, "a")).one() == (6,)
        ids = await db.insert(Items).values([{"name": "c"}, {"name": "d"}]).returning_id().all()  # type: ignore[attr-defined]
        assert ids == [{"id": 4}, {"id": 5}] or ids == [{"id": 3}, {"id": 4}]
        res = await db.update(Items).set(qty=0).run()
        assert res.rows_affected == 4
        assert await db.count(Items) == 4

    run(mysql_url, body)


def test_transactions_and_errors(mdb: mizzle.Database, mysql_url: str) -> None:
    async def body(db: AsyncDatabase) -> None:
        async with db.transaction():
            await db.insert(Items).values(name="kept").run()
            with pytest.raises(mizzle.UniqueViolation) as info:
                async with db.transaction():
                    await db.insert(Items).values(name="gone").run()
                    await db.insert(Items).values(name="kept").run()
            assert info.value.constraint == "items_name_unique"
        with pytest.raises(RuntimeError):
            async with db.transaction():
                await db.insert(Items).values(name="lost").run()
                raise RuntimeError("boom")
        assert [r[0] for r in await db.select(Items.name).from_(Items).all()] == ["kept"]

    run(mysql_url, body)


def test_concurrent_tasks_use_the_pool(mdb: mizzle.Database, mysql_url: str) -> None:
    async def body(db: AsyncDatabase) -> None:
        async def one(i: int) -> Any:
            await db.execute(sql("select sleep({})", 0.05))
            return await db.insert(Items).values(name=f"n{i}", qty=i).run()

        await asyncio.gather(*(one(i) for i in range(8)))
        assert await db.count(Items) == 8

    run(mysql_url, body, pool_size=4)


def test_cancelled_query_leaves_the_pool_usable(mdb: mizzle.Database, mysql_url: str) -> None:
    async def body(db: AsyncDatabase) -> None:
        task = asyncio.ensure_future(db.execute(sql("select sleep({})", 5)))
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert await db.execute(sql("select {} + 1", 1)) == [(2,)]

    run(mysql_url, body, pool_size=1)


class Blobs(Table, name="blobs"):
    id: Column[int] = int_().primary_key(autoincrement=True)
    data: Column[bytes] = varbinary(length=32).not_null()


def test_bytes_round_trip_through_aiomysql(mdb: mizzle.Database, mysql_url: str) -> None:
    payload = b"\x00\x01'\\\xff bytes"

    async def body(db: AsyncDatabase) -> list[bytes]:
        await db.create_all([Blobs])
        await db.insert(Blobs).values(data=payload).run()
        rows = await db.select(Blobs.data).from_(Blobs).where(eq(Blobs.data, payload)).all()
        return [r[0] for r in rows]

    assert run(mysql_url, body) == [payload]
