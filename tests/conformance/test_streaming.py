"""`.iter(batch_size=...)`: rows streamed in batches on every dialect (sync and async), and an early
`break` releasing the cursor / connection, inside and outside a transaction."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
from pathlib import Path
from typing import Any

import pytest

import mizzle
import mizzle.aio
from mizzle import eq
from mizzle.errors import QueryError


def _seed(db: mizzle.Database, s: Any, n: int = 10) -> None:
    db.insert(s.Users).values([{"name": f"u{i:02}", "email": f"u{i}@x"} for i in range(n)]).run()


def test_iter_yields_every_row_in_order(dialect_db: tuple[mizzle.Database, Any]) -> None:
    db, s = dialect_db
    _seed(db, s)
    q = db.select().from_(s.Users).order_by(s.Users.id)
    streamed = list(q.iter(batch_size=3))
    assert streamed == q.all()
    assert [u.name for u in streamed] == [f"u{i:02}" for i in range(10)]
    assert list(db.select().from_(s.Users).where(eq(s.Users.id, -1)).iter()) == []


def test_iter_partial_selection(dialect_db: tuple[mizzle.Database, Any]) -> None:
    db, s = dialect_db
    _seed(db, s, 5)
    rows = list(db.select(name=s.Users.name).from_(s.Users).order_by(s.Users.id).iter(batch_size=2))
    assert [r.name for r in rows] == [f"u{i:02}" for i in range(5)]


def test_early_break_outside_transaction_releases_the_connection(dialect_db: tuple[mizzle.Database, Any]) -> None:
    db, s = dialect_db
    _seed(db, s)
    it = db.select().from_(s.Users).order_by(s.Users.id).iter(batch_size=2)
    for row in it:
        assert row.name == "u00"
        break
    it.close()  # what leaving a `for` loop's scope does; explicit for PyPy-like collectors
    # the connection runs other statements, and a transaction can start (no cursor left open)
    db.insert(s.Users).values(name="after", email="after@x").run()
    with db.transaction():
        db.update(s.Users).set(name="renamed").where(eq(s.Users.email, "after@x")).run()
    assert db.count(s.Users) == 11
    assert len(list(db.select().from_(s.Users).iter(batch_size=4))) == 11


def test_early_break_inside_transaction(dialect_db: tuple[mizzle.Database, Any]) -> None:
    db, s = dialect_db
    _seed(db, s)
    with db.transaction() as tx:
        it = tx.select().from_(s.Users).order_by(s.Users.id).iter(batch_size=3)
        first = [next(it), next(it)]
        it.close()
        assert [u.name for u in first] == ["u00", "u01"]
        tx.insert(s.Users).values(name="in-tx", email="in-tx@x").run()
        assert sum(1 for _ in tx.select().from_(s.Users).iter(batch_size=4)) == 11
    assert db.count(s.Users) == 11
    assert not db.in_transaction


def test_batch_size_must_be_positive(dialect_db: tuple[mizzle.Database, Any]) -> None:
    db, s = dialect_db
    with pytest.raises(QueryError, match="batch_size"):
        db.select().from_(s.Users).iter(batch_size=0)


# ---- async -----------------------------------------------------------------------------------

ASYNC_KINDS = ("sqlite", "postgres", "mysql")


@pytest.fixture(params=ASYNC_KINDS)
def async_target(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Any]:
    """(URL for mizzle.aio.connect, schema module), tables created and empty (seeded by the sync session)."""
    kind: str = request.param
    if kind == "sqlite":
        module = importlib.import_module("schemas.sqlite")
        url = str(tmp_path / "stream.db")
        db = mizzle.connect(url)
        mizzle.create_all(db, module.TABLES)
    else:
        if kind == "mysql":
            pytest.importorskip("aiomysql", reason="async MySQL tests need aiomysql: pip install 'mizzle[mysql]'")
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


def test_async_iter_and_early_break(async_target: tuple[str, Any]) -> None:
    url, s = async_target

    async def main() -> None:
        adb = await mizzle.aio.connect(url)
        try:
            q = adb.select().from_(s.Users).order_by(s.Users.id)
            names = [u.name async for u in q.iter(batch_size=3)]
            assert names == [f"u{i:02}" for i in range(10)]
            # early break outside a transaction: aclosing releases the cursor and connection now
            async with contextlib.aclosing(q.iter(batch_size=2)) as rows:
                async for u in rows:
                    assert u.name == "u00"
                    break
            await adb.insert(s.Users).values(name="after", email="after@x").run()
            # inside a transaction
            async with adb.transaction() as tx:
                async with contextlib.aclosing(tx.select().from_(s.Users).order_by(s.Users.id).iter(batch_size=2)) as rows:
                    async for u in rows:
                        assert u.name == "u00"
                        break
                await tx.insert(s.Users).values(name="in-tx", email="in-tx@x").run()
            assert await adb.count(s.Users) == 12
        finally:
            await adb.close()

    asyncio.run(main())
