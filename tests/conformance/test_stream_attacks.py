"""Adversarial checks of the read fast paths while a `.iter()` is open (reused driver cursors, lazily
decoded batches): other statements run in the loop body must get their own SQL, parameters and rows,
and must not disturb the rows still to come; a write made in the loop body stays written."""

from __future__ import annotations

import asyncio
import gc
import importlib
from pathlib import Path
from typing import Any

import pytest

import mizzle
import mizzle.aio
from mizzle import eq, placeholder

DB = tuple[mizzle.Database, Any]


def _seed(db: mizzle.Database, s: Any, n: int = 7) -> None:
    db.insert(s.Users).values([{"name": f"u{i}", "email": f"u{i}@x", "age": i} for i in range(n)]).run()


# MySQL/MariaDB streams on an unbuffered cursor: the connection runs nothing else until the rows end
# (documented on `Database.iter`), so these two run on the others.
NESTING = ("sqlite", "libsql", "libsql_remote", "postgres")


@pytest.mark.parametrize("dialect_db", NESTING, indirect=True)
def test_statements_inside_an_iter_loop_get_their_own_rows(dialect_db: DB) -> None:
    db, s = dialect_db
    _seed(db, s)
    u = s.Users
    by_id = db.select(u.name).from_(u).where(eq(u.id, placeholder("id"))).prepare()
    by_age = db.select().from_(u).where(eq(u.age, placeholder("age"))).prepare()
    seen: list[tuple[Any, ...]] = []
    for row in db.select().from_(u).order_by(u.id).iter(batch_size=2):
        other = 8 - row.id  # another row than the one streamed
        seen.append((
            row.id, row.name,
            by_id.get(id=other),
            [r.email for r in by_age.all(age=other - 1)],
            db.select(u.age).from_(u).where(eq(u.id, other)).get(),
            db.count(u),
        ))
    assert seen == [
        (i + 1, f"u{i}", (f"u{7 - i - 1}",), [f"u{7 - i - 1}@x"], (7 - i - 1,), 7) for i in range(7)
    ]
    assert gc.isenabled()


@pytest.mark.parametrize("dialect_db", NESTING, indirect=True)
def test_a_write_inside_an_iter_loop_stays_written(dialect_db: DB) -> None:
    db, s = dialect_db
    _seed(db, s, 4)
    u, p = s.Users, s.Posts
    for row in db.select().from_(u).order_by(u.id).iter(batch_size=3):
        db.insert(p).values(author_id=row.id, title=f"t{row.id}").run()
    assert [t for (t,) in db.select(p.title).from_(p).order_by(p.id).all()] == ["t1", "t2", "t3", "t4"]
    with db.transaction() as tx:
        for row in tx.select().from_(u).order_by(u.id).iter(batch_size=3):
            tx.update(p).set(title=f"T{row.id}").where(eq(p.author_id, row.id)).run()
    assert [t for (t,) in db.select(p.title).from_(p).order_by(p.id).all()] == ["T1", "T2", "T3", "T4"]


ASYNC_KINDS = ("sqlite", "postgres", "mysql")


@pytest.fixture(params=ASYNC_KINDS)
def async_url(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Any]:
    kind: str = request.param
    if kind == "sqlite":
        module = importlib.import_module("schemas.sqlite")
        url = str(tmp_path / "attack.db")
        db = mizzle.connect(url)
        mizzle.create_all(db, module.TABLES)
    else:
        if kind == "mysql":
            pytest.importorskip("aiomysql")
        url, module = request.getfixturevalue(f"_{kind}_conformance")
        db = mizzle.connect(url)
        names = [t.__table__.name for t in module.TABLES]
        if kind == "postgres":
            db.execute("truncate " + ", ".join(f'"{n}"' for n in names) + " restart identity cascade")
        else:
            db.execute("set foreign_key_checks = 0")
            for n in names:
                db.execute(f"truncate table `{n}`")
            db.execute("set foreign_key_checks = 1")
    try:
        _seed(db, module)
    finally:
        db.close()
    return url, module


def test_async_tasks_sharing_one_connection_get_their_own_rows(async_url: tuple[str, Any]) -> None:
    url, s = async_url
    u = s.Users

    async def main() -> None:
        adb = await mizzle.aio.connect(url)
        try:
            by_id = adb.select(u.name, u.age).from_(u).where(eq(u.id, placeholder("id"))).prepare()

            async def task(i: int) -> list[Any]:
                out: list[Any] = []
                for _ in range(15):
                    out.append(await by_id.get(id=i))
                    out.append(await adb.select(u.email).from_(u).where(eq(u.id, i)).get())
                    out.append(len(await adb.select().from_(u).where(eq(u.age, i - 1)).all()))
                return out

            results = await asyncio.gather(*(task(i) for i in range(1, 8)))
            for i, got in enumerate(results, 1):
                assert got == [(f"u{i - 1}", i - 1), (f"u{i - 1}@x",), 1] * 15, i
            if s.__name__.endswith("sqlite"):
                return  # the async SQLite pool has one connection, held by the iter: see the next test
            # statements inside an async iter loop
            seen = []
            async for row in adb.select().from_(u).order_by(u.id).iter(batch_size=2):
                seen.append((row.id, await by_id.get(id=8 - row.id)))
            assert seen == [(i, (f"u{7 - i}", 7 - i)) for i in range(1, 8)]
        finally:
            await adb.close()

    asyncio.run(main())


def test_a_statement_waiting_for_its_own_iter_connection_is_refused(async_url: tuple[str, Any]) -> None:
    """With every connection of the pool held by an `.iter()` the task is reading, a statement in the loop
    body could only wait forever: it is refused, saying what to do; inside a transaction it shares the
    loop's connection (where the driver can interleave statements)."""
    url, s = async_url
    u = s.Users

    async def main() -> None:
        adb = await mizzle.aio.connect(url, pool_size=1)
        try:
            with pytest.raises(mizzle.QueryError, match=r"held by `\.iter\(\)` loops this task is still reading"):
                async for row in adb.select().from_(u).order_by(u.id).iter(batch_size=2):
                    await adb.select(u.name).from_(u).where(eq(u.id, row.id)).get()
            assert await adb.select(u.name).from_(u).where(eq(u.id, 1)).get() == ("u0",)  # the connection is free again
            if s.__name__.endswith("mysql"):
                return  # MySQL/MariaDB stream on an unbuffered cursor: nothing else runs on that connection
            seen = []
            async with adb.transaction():
                async for row in adb.select().from_(u).order_by(u.id).iter(batch_size=2):
                    seen.append(await adb.select(u.name).from_(u).where(eq(u.id, row.id)).get())
            assert seen == [(f"u{i}",) for i in range(7)]
        finally:
            await adb.close()

    asyncio.run(asyncio.wait_for(main(), 60))  # a regression hangs: fail instead
