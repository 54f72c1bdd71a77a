"""Cancelling a task mid-query or mid-transaction rolls back and leaves the connection usable."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

import mizzle.aio
from mizzle import eq
from mizzle.session.aio import AsyncDatabase

from .schema import Posts, Users

SLOW = "with recursive c(x) as (select 1 union all select x + 1 from c where x < 50000000) select count(*) from c"


async def open_db(path: Path, **kw: object) -> AsyncDatabase:
    db = await mizzle.aio.connect(str(path / "c.db"), **kw)  # type: ignore[arg-type]
    await db.create_all([Users, Posts])
    return db


def test_cancel_mid_query_interrupts_and_connection_stays_usable(tmp_path: Path) -> None:
    async def body() -> None:
        db = await open_db(tmp_path)
        try:
            task = asyncio.create_task(db.execute(SLOW))
            await asyncio.sleep(0.1)
            t0 = time.perf_counter()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            # the statement was interrupted, not left running: the next query answers at once
            assert await db.execute("select 1") == [(1,)]
            assert time.perf_counter() - t0 < 1.0
            assert not db.in_transaction
        finally:
            await db.close()

    asyncio.run(body())


def test_cancel_mid_write_statement_leaves_nothing(tmp_path: Path) -> None:
    async def body() -> None:
        db = await open_db(tmp_path)
        try:
            await db.insert(Users).values(name="owner").run()
            big = (
                "insert into posts (user_id, title) with recursive c(x) as "
                "(select 1 union all select x + 1 from c where x < 20000000) select 1, 't' || x from c"
            )
            task = asyncio.create_task(db.execute(big))
            await asyncio.sleep(0.1)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert await db.count(Posts) == 0  # the interrupted statement was undone
            await db.insert(Posts).values(user_id=1, title="after").run()
            assert await db.count(Posts) == 1
        finally:
            await db.close()

    asyncio.run(body())


def test_cancel_mid_transaction_rolls_back(tmp_path: Path) -> None:
    async def body() -> None:
        db = await open_db(tmp_path)
        try:
            inside = asyncio.Event()

            async def work() -> None:
                async with db.transaction() as tx:
                    await tx.insert(Users).values(name="doomed").run()
                    async with tx.transaction() as sp:
                        await sp.insert(Users).values(name="doomed-too").run()
                        inside.set()
                        await asyncio.sleep(10)

            task = asyncio.create_task(work())
            await inside.wait()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert await db.count(Users) == 0
            assert not db.in_transaction
            async with db.transaction() as tx:  # the connection went back to the pool, usable
                await tx.insert(Users).values(name="fine").run()
            assert await db.count(Users, eq(Users.name, "fine")) == 1
        finally:
            await db.close()

    asyncio.run(body())


def test_cancel_during_slow_statement_in_transaction(tmp_path: Path) -> None:
    async def body() -> None:
        db = await open_db(tmp_path)
        try:
            started = asyncio.Event()

            async def work() -> None:
                async with db.transaction() as tx:
                    await tx.insert(Users).values(name="doomed").run()
                    started.set()
                    await tx.execute(SLOW)

            task = asyncio.create_task(work())
            await started.wait()
            await asyncio.sleep(0.05)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert await db.count(Users) == 0
            await db.insert(Users).values(name="ok").run()
            assert await db.count(Users) == 1
        finally:
            await db.close()

    asyncio.run(body())


def test_cancel_while_waiting_for_the_connection(tmp_path: Path) -> None:
    """A task cancelled while queued behind a transaction must not take or leak the connection."""

    async def body() -> None:
        db = await open_db(tmp_path)
        try:
            hold = asyncio.Event()
            in_tx = asyncio.Event()

            async def holder() -> None:
                async with db.transaction() as tx:
                    await tx.insert(Users).values(name="holder").run()
                    in_tx.set()
                    await hold.wait()

            h = asyncio.create_task(holder())
            await in_tx.wait()
            waiters = [asyncio.create_task(db.insert(Users).values(name=f"w{i}").run()) for i in range(5)]
            await asyncio.sleep(0.02)
            for w in waiters[:3]:
                w.cancel()
            hold.set()
            await h
            results = await asyncio.gather(*waiters, return_exceptions=True)
            assert all(isinstance(r, asyncio.CancelledError) for r in results[:3])
            names = sorted(r[0] for r in await db.select(Users.name).from_(Users).all())
            assert names == ["holder", "w3", "w4"]
        finally:
            await db.close()

    asyncio.run(body())


def test_many_tasks_cancelled_at_random_points(tmp_path: Path) -> None:
    """Transactions either commit whole or leave nothing, however they are cancelled."""

    async def body() -> None:
        db = await open_db(tmp_path)
        try:

            async def unit(i: int) -> None:
                async with db.transaction() as tx:
                    u = await tx.insert(Users).values(name=f"u{i}").returning().one()
                    await asyncio.sleep(0)
                    await tx.insert(Posts).values(user_id=u.id, title="a").run()
                    await asyncio.sleep(0)
                    await tx.insert(Posts).values(user_id=u.id, title="b").run()

            tasks = [asyncio.create_task(unit(i)) for i in range(60)]
            for k, t in enumerate(tasks):
                if k % 3 == 0:
                    await asyncio.sleep(0)
                    t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            users = await db.count(Users)
            posts = await db.count(Posts)
            assert posts == 2 * users
            assert 0 < users < 60
            await db.insert(Users).values(name="after").run()
        finally:
            await db.close()

    asyncio.run(body())
