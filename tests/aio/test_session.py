"""AsyncDatabase on aiosqlite: the same builders awaited, transactions, prepared queries, batch."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

import mizzle
import mizzle.aio
from mizzle import desc, eq, excluded, placeholder, sql
from mizzle.session.aio import AsyncDatabase

from .schema import Admins, Posts, Users


def run(fn: Callable[[AsyncDatabase], Awaitable[Any]], path: Path, **kw: Any) -> Any:
    """Open a fresh file database with the schema, run `fn(db)`, close it."""

    async def main() -> Any:
        db = await mizzle.aio.connect(str(path / "t.db"), **kw)
        try:
            await db.create_all([Users, Posts])
            return await fn(db)
        finally:
            await db.close()

    return asyncio.run(main())


def test_builders_awaited(tmp_path: Path) -> None:
    async def body(db: AsyncDatabase) -> None:
        u = await db.insert(Users).values(name="ann", tags=["a", "b"]).returning().one()
        assert u.name == "ann" and u.role == "user" and u.tags == ["a", "b"] and u.id == 1
        await db.insert(Users).values([{"name": "bob"}, {"name": "cy", "role": "admin"}]).run()
        rows = await db.select().from_(Users).order_by(desc(Users.id)).all()
        assert [r.name for r in rows] == ["cy", "bob", "ann"]
        assert (await db.select().from_(Users).where(eq(Users.name, "zz")).get()) is None
        assert (await db.select(Users.name).from_(Users).where(eq(Users.id, 2)).one()) == ("bob",)
        assert await db.select(Users.tags).from_(Users).where(eq(Users.id, 1)).values() == [(["a", "b"],)]
        assert await db.select(Users.name).from_(Users).order_by(Users.id).scalar() == "ann"
        res = await db.update(Users).set(role="admin").where(eq(Users.name, "bob")).run()
        assert res.rows_affected == 1
        got = await db.delete(Users).where(eq(Users.name, "cy")).returning(Users.id).all()
        assert got == [(3,)]
        assert await db.count(Users) == 2
        assert await db.execute("select count(*) from users where role = ?", "admin") == [(1,)]
        assert await db.execute(sql("select {} + 1", 41)) == [(42,)]
        assert await db.execute("create index if not exists ix_u on users (role)") == []
        joined = await db.select().from_(Posts).inner_join(Users, eq(Users.id, Posts.user_id)).all()
        assert joined == []
        up = (
            db.insert(Users)
            .values(name="ann", role="admin")
            .on_conflict_do_update(target=Users.name, set={"role": excluded(Users.role)})
            .returning(Users.id, Users.role)
        )
        assert await up.one() == (1, "admin")

    run(body, tmp_path)


def test_prepared_and_batch(tmp_path: Path) -> None:
    async def body(db: AsyncDatabase) -> None:
        ins = db.insert(Users).values(name=placeholder("name")).prepare()
        for n in ("a", "b", "c"):
            await ins.run(name=n)
        by_name = db.select().from_(Users).where(eq(Users.name, placeholder("name"))).prepare()
        row = await by_name.one(name="b")
        assert row.name == "b"
        assert await by_name.get(name="nope") is None
        assert [r.name for r in await by_name.all(name="c")] == ["c"]
        assert by_name.sql.startswith("select")
        with pytest.raises(mizzle.NoResultError):
            await by_name.one(name="nope")
        with pytest.raises(mizzle.QueryError, match="returns no rows"):
            await ins.all(name="x")
        results = await db.batch([
            db.insert(Users).values(name="d"),
            db.select(Users.name).from_(Users).order_by(Users.name),
        ])
        assert results[0].rows_affected == 1
        assert results[1] == [("a",), ("b",), ("c",), ("d",)]
        # a failing batch leaves nothing behind
        with pytest.raises(mizzle.UniqueViolation):
            await db.batch([db.insert(Users).values(name="e"), db.insert(Users).values(name="a")])
        assert await db.count(Users, eq(Users.name, "e")) == 0

    run(body, tmp_path)


def test_transactions_commit_rollback_savepoints(tmp_path: Path) -> None:
    async def body(db: AsyncDatabase) -> None:
        async with db.transaction() as tx:
            await tx.insert(Users).values(name="kept").run()
            assert tx.in_transaction and db.in_transaction  # same task: db joins the transaction
            async with tx.transaction() as sp:
                await sp.insert(Users).values(name="savepoint-undone").run()
                sp.rollback()
            async with tx.transaction() as sp2:
                await sp2.insert(Users).values(name="savepoint-kept").run()
            # the database object used by the task that opened the transaction runs inside it
            await db.insert(Users).values(name="via-db").run()
        assert not db.in_transaction
        names = {r[0] for r in await db.select(Users.name).from_(Users).all()}
        assert names == {"kept", "savepoint-kept", "via-db"}

        async with db.transaction() as tx:
            await tx.insert(Users).values(name="undone").run()
            tx.rollback()
        with pytest.raises(ZeroDivisionError):
            async with db.transaction() as tx:
                await tx.insert(Users).values(name="undone2").run()
                _ = 1 / 0
        assert await db.count(Users) == 3
        # integrity error inside: rolled back, connection reusable
        with pytest.raises(mizzle.UniqueViolation) as ei:
            async with db.transaction("immediate") as tx:
                await tx.insert(Users).values(name="new").run()
                await tx.insert(Users).values(name="kept").run()
        assert ei.value.table == "users" and ei.value.column == "name"
        assert await db.count(Users) == 3
        async with db.transaction() as tx:
            await tx.insert(Users).values(name="after").run()
        assert await db.count(Users) == 4

    run(body, tmp_path)


def test_transaction_isolated_from_other_tasks(tmp_path: Path) -> None:
    """Another task's writes never land in (or get rolled back with) someone else's transaction."""

    async def body(db: AsyncDatabase) -> None:
        started = asyncio.Event()
        release = asyncio.Event()

        async def in_tx() -> None:
            with pytest.raises(RuntimeError):
                async with db.transaction() as tx:
                    await tx.insert(Users).values(name="tx-row").run()
                    started.set()
                    await release.wait()
                    raise RuntimeError("abort")

        async def outside() -> None:
            await started.wait()
            release.set()
            await db.insert(Users).values(name="other-task").run()  # waits for the tx to end

        await asyncio.gather(in_tx(), outside())
        names = [r[0] for r in await db.select(Users.name).from_(Users).all()]
        assert names == ["other-task"]

    run(body, tmp_path)


def test_errors_mapped_and_connection_reused(tmp_path: Path) -> None:
    async def body(db: AsyncDatabase) -> None:
        await db.insert(Users).values(name="a").run()
        for _ in range(3):
            with pytest.raises(mizzle.UniqueViolation):
                await db.insert(Users).values(name="a").run()
            with pytest.raises(mizzle.ForeignKeyViolation):
                await db.insert(Posts).values(user_id=99, title="t").run()
            with pytest.raises(mizzle.OperationalError, match="no such table"):
                await db.execute("select * from missing")
        assert await db.count(Users) == 1
        assert not db.in_transaction

    run(body, tmp_path)


def test_relational_view_and_with(tmp_path: Path) -> None:
    async def body(db: AsyncDatabase) -> None:
        await db.insert(Users).values([{"name": "a"}, {"name": "b", "role": "admin"}]).run()
        admins = db.select(Users.id, Users.name).from_(Users).where(eq(Users.role, "admin")).as_cte("admins")
        rows = await db.with_(admins).select().from_(admins).all()
        assert [r.name for r in rows] == ["b"]

    run(body, tmp_path)


def test_create_all_and_run_sync(tmp_path: Path) -> None:
    async def body(db: AsyncDatabase) -> None:
        await db.insert(Users).values(name="a").run()

        def sync_part(sdb: mizzle.Database) -> int:
            sdb.insert(Users).values(name="from-sync").run()
            return sdb.count(Users)

        assert await db.run_sync(sync_part) == 2
        async with db.transaction() as tx:
            await tx.run_sync(lambda s: s.insert(Users).values(name="sync-in-tx").run())
            tx.rollback()
        assert await db.count(Users) == 2

    run(body, tmp_path)


def test_connect_errors(tmp_path: Path) -> None:
    async def body() -> None:
        with pytest.raises(mizzle.ConfigError, match="bad option"):
            await mizzle.aio.connect(str(tmp_path / "x.db"), nonsense=1)
        with pytest.raises(mizzle.ConfigError, match="pool_size=1"):
            await mizzle.aio.connect(":memory:", pool_size=2)
        with pytest.raises(mizzle.ConfigError, match="no async driver"):
            await mizzle.aio.connect("nosuch://host/db")
        db = await mizzle.aio.connect(":memory:")
        async with db:
            assert await db.execute("select 1") == [(1,)]
        with pytest.raises(mizzle.QueryError, match="closed"):
            await db.execute("select 1")

    asyncio.run(body())


def test_pool_of_several_connections(tmp_path: Path) -> None:
    """A pool of 3 SQLite connections in WAL mode: concurrent readers, writers serialised by SQLite."""

    async def body(db: AsyncDatabase) -> None:
        await db.insert(Users).values([{"name": f"u{i}"} for i in range(50)]).run()

        async def reader(i: int) -> int:
            return await db.count(Users, eq(Users.name, f"u{i}"))

        counts = await asyncio.gather(*(reader(i) for i in range(50)))
        assert counts == [1] * 50
        pool: Any = db.pool
        assert 1 <= pool.size <= 3

        async def writer(i: int) -> None:
            async with db.transaction("immediate") as tx:
                await tx.insert(Posts).values(user_id=1, title=f"p{i}").run()

        await asyncio.gather(*(writer(i) for i in range(30)))
        assert await db.count(Posts) == 30

    run(body, tmp_path, pool_size=3)


def test_create_all_creates_views_as_views(tmp_path: Path) -> None:
    async def body(db: AsyncDatabase) -> None:
        await db.create_all([Admins])
        assert await db.execute("select type from sqlite_master where name = 'admins'") == [("view",)]
        await db.insert(Users).values([{"name": "ann", "role": "admin"}, {"name": "bob"}]).run()
        assert [r.name for r in await db.select().from_(Admins).all()] == ["ann"]

    run(body, tmp_path)
