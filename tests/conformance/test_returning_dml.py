"""UPDATE/DELETE ... RETURNING on every dialect, natively or emulated in one transaction.

MySQL/MariaDB have no UPDATE ... RETURNING (MySQL no DELETE ... RETURNING either): mizzle locks the
matching rows (`select ... for update`), writes them by primary key and reads them back, in the
open transaction or in one it opens. The `mode` parameter runs every test twice per dialect: as the
database does it, and with the emulation forced (the dialect told it has no RETURNING), so the
emulation is checked on every database, not only where it is needed.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from seed_data import seed

import mizzle
from mizzle import eq, gt, gte, in_array, sql

DB = tuple[mizzle.Database, Any]


@pytest.fixture(params=["native", "emulated"])
def rdb(request: pytest.FixtureRequest, dialect_db: DB) -> DB:
    """`dialect_db`, seeded; with `emulated`, its dialect claims no UPDATE/DELETE ... RETURNING."""
    db, s = dialect_db
    if request.param == "emulated":
        db.dialect = force_emulation(db.dialect)
    seed(db, s)
    return db, s


def emulates(db: mizzle.Database) -> bool:
    return not db.dialect.caps.returning_update


@pytest.fixture
def events(rdb: DB) -> Iterator[type[Any]]:
    """The `events` table (no primary key) with three rows; dropped afterwards."""
    db, s = rdb
    db.execute("drop table if exists events")
    mizzle.create_all(db, [s.Events])
    db.insert(s.Events).values([{"kind": "a", "n": 1}, {"kind": "a", "n": 2}, {"kind": "b", "n": 3}]).run()
    try:
        yield s.Events
    finally:
        db.execute("drop table if exists events")


def test_update_returning_rows_and_fields(rdb: DB) -> None:
    db, s = rdb
    rows = db.update(s.Users).set(age=50).where(in_array(s.Users.id, [1, 2])).returning().all()
    assert sorted((u.id, u.age) for u in rows) == [(1, 50), (2, 50)]
    assert all(isinstance(u, s.Users) for u in rows)
    names = db.update(s.Users).set(active=True).where(eq(s.Users.id, 2)).returning(s.Users.name, s.Users.active).all()
    assert names == [("bob", True)]
    assert db.select(s.Users.age).from_(s.Users).where(eq(s.Users.id, 1)).one() == (50,)


def test_update_returning_zero_one_many(rdb: DB) -> None:
    db, s = rdb
    none = db.update(s.Users).set(age=1).where(eq(s.Users.id, 99)).returning()
    assert none.all() == []
    assert none.get() is None
    with pytest.raises(mizzle.NoResultError):
        none.one()
    one = db.update(s.Users).set(name="ANN").where(eq(s.Users.id, 1)).returning(s.Users.id, s.Users.name).one()
    assert one == (1, "ANN")
    many = db.update(s.Users).set(score=9.5).where(gte(s.Users.id, 1)).returning(s.Users.id, s.Users.score).all()
    assert sorted(many) == [(1, 9.5), (2, 9.5), (3, 9.5), (4, 9.5)]
    values = db.update(s.Posts).set(views=7).where(eq(s.Posts.author_id, 1)).returning(s.Posts.id, s.Posts.meta)
    assert sorted(values.values(), key=lambda r: r[0]) == [(1, {"lang": "en"}), (2, None)]
    assert db.update(s.Posts).set(views=8).where(eq(s.Posts.author_id, 1)).returning().run().rows_affected == 2


def test_update_returning_when_set_changes_the_where_columns(rdb: DB) -> None:
    db, s = rdb
    # the rows matched before the update are returned, with their new values
    rows = db.update(s.Users).set(active=False).where(eq(s.Users.active, True)).returning(s.Users.id, s.Users.active)
    assert sorted(rows.all()) == [(1, False), (3, False), (4, False)]
    assert db.count(s.Users, eq(s.Users.active, True)) == 0


def test_update_returning_when_set_changes_the_primary_key(rdb: DB) -> None:
    db, s = rdb
    db.insert(s.KeyValues).values([{"key": "k1", "value": "a"}, {"key": "k2", "value": "b"}]).run()
    row = db.update(s.KeyValues).set(key="k9", value="z").where(eq(s.KeyValues.key, "k1")).returning().one()
    assert (row.key, row.value) == ("k9", "z")
    # a key computed from the old row, for several rows (tags 3-5 are not referenced by post_tags)
    db.insert(s.Tags).values([{"name": "t4"}, {"name": "t5"}]).run()
    moved = db.update(s.Tags).set(id=sql("{} + 100", s.Tags.id)).where(gte(s.Tags.id, 3)).returning().all()
    assert sorted((t.id, t.name) for t in moved) == [(103, "unused"), (104, "t4"), (105, "t5")]
    assert sorted(db.select(s.Tags.id).from_(s.Tags).all()) == [(1,), (2,), (103,), (104,), (105,)]


def test_update_returning_refuses_a_key_it_cannot_read_back(rdb: DB) -> None:
    db, s = rdb
    # MySQL computes SET left to right (a key computed from a column set before it sees the new
    # value), so the emulation refuses such keys instead of reading back the wrong rows
    if not emulates(db):
        pytest.skip(f"{db.dialect.name} runs UPDATE ... RETURNING itself")
    db.insert(s.KeyValues).values(key="k", value="v").run()
    q = db.update(s.KeyValues).set(value="v2", key=sql("concat('x', {})", s.KeyValues.value)).returning()
    with pytest.raises(mizzle.QueryError, match=r"key column key cannot be read back \(it reads value"):
        q.all()
    assert db.select(s.KeyValues.key, s.KeyValues.value).from_(s.KeyValues).all() == [("k", "v")]


def test_update_returning_in_a_transaction_uses_it(rdb: DB) -> None:
    db, s = rdb
    with db.transaction() as tx:
        rows = tx.update(s.Users).set(age=77).where(eq(s.Users.id, 1)).returning(s.Users.age).all()
        assert rows == [(77,)]
        assert tx.in_transaction
        tx.rollback()
    assert db.select(s.Users.age).from_(s.Users).where(eq(s.Users.id, 1)).one() == (30,)
    # outside a transaction the change is committed and no transaction is left open
    assert db.update(s.Users).set(age=78).where(eq(s.Users.id, 1)).returning(s.Users.age).all() == [(78,)]
    assert not db.in_transaction
    assert db.select(s.Users.age).from_(s.Users).where(eq(s.Users.id, 1)).one() == (78,)


def test_update_returning_failure_changes_nothing(rdb: DB) -> None:
    db, s = rdb
    with pytest.raises(mizzle.UniqueViolation):
        db.update(s.Users).set(email="ann@example.com").where(gt(s.Users.id, 1)).returning().all()
    assert not db.in_transaction
    assert db.count(s.Users, eq(s.Users.email, "ann@example.com")) == 1


def test_delete_returning_zero_one_many(rdb: DB) -> None:
    db, s = rdb
    assert db.delete(s.Comments).where(eq(s.Comments.id, 99)).returning().all() == []
    gone = db.delete(s.Posts).where(eq(s.Posts.author_id, 1)).returning().all()
    assert sorted(p.title for p in gone) == ["Hello", "World"]
    assert {p.id: p.meta for p in gone} == {1: {"lang": "en"}, 2: None}
    assert all(isinstance(p, s.Posts) for p in gone)
    ids = db.delete(s.Tags).where(gt(s.Tags.id, 1)).returning(s.Tags.id).all()
    assert sorted(ids) == [(2,), (3,)]
    assert db.delete(s.Users).where(eq(s.Users.id, 4)).returning(s.Users.name).one() == ("Dee",)
    assert db.count(s.Users) == 3


def test_returning_without_primary_key(rdb: DB, events: type[Any]) -> None:
    db, _ = rdb
    upd = db.update(events).set(n=10).where(eq(events.kind, "a")).returning(events.n)
    dele = db.delete(events).where(eq(events.kind, "b")).returning(events.n)
    if db.dialect.caps.returning_update:
        assert upd.all() == [(10,), (10,)]
    else:
        with pytest.raises(mizzle.QueryError, match=r"update events \.\.\. returning: .* table events has no primary key"):
            upd.all()
    if db.dialect.caps.returning_delete:
        assert dele.all() == [(3,)]
    else:
        with pytest.raises(mizzle.QueryError, match=r"delete from events \.\.\. returning: .* no primary key"):
            dele.all()
    # a refused statement changed nothing
    kept_a = [(10,), (10,)] if db.dialect.caps.returning_update else [(1,), (2,)]
    kept_b = [] if db.dialect.caps.returning_delete else [(3,)]
    assert sorted(db.select(events.n).from_(events).all()) == kept_a + kept_b


def test_update_returning_to_sql_and_prepare(rdb: DB) -> None:
    db, s = rdb
    q = db.update(s.Users).set(age=mizzle.placeholder("age")).where(eq(s.Users.id, 1)).returning(s.Users.age)
    if emulates(db):
        with pytest.raises(mizzle.QueryError, match="several statements"):
            q.to_sql()
    p = q.prepare()
    assert p.all(age=5) == [(5,)]
    assert p.one(age=6) == (6,)


def force_emulation(dialect: Any) -> Any:
    """A copy of `dialect` that claims no UPDATE/DELETE ... RETURNING."""
    forced = copy.copy(dialect)
    forced.caps = replace(forced.caps, returning_update=False, returning_delete=False)
    return forced


async def _async_roundtrip(url: str, s: Any, emulate: bool) -> None:
    from mizzle import aio

    adb = await aio.connect(url)
    try:
        if emulate:
            adb.dialect = force_emulation(adb.dialect)
        rows = await adb.update(s.Users).set(age=60).where(in_array(s.Users.id, [1, 3])).returning().all()
        assert sorted((u.id, u.age) for u in rows) == [(1, 60), (3, 60)]
        assert all(isinstance(u, s.Users) for u in rows)
        assert await adb.update(s.Users).set(age=1).where(eq(s.Users.id, 99)).returning().all() == []
        async with adb.transaction() as tx:
            one = await tx.update(s.Users).set(age=61).where(eq(s.Users.id, 1)).returning(s.Users.age).one()
            assert one == (61,)
            tx.rollback()
        gone = await adb.delete(s.Comments).where(eq(s.Comments.post_id, 1)).returning(s.Comments.body).all()
        assert sorted(gone) == [("nice",), ("ok",)]
        assert await adb.select(s.Users.age).from_(s.Users).where(eq(s.Users.id, 1)).one() == (60,)
    finally:
        await adb.close()


def test_update_delete_returning_async(request: pytest.FixtureRequest, rdb: DB) -> None:
    pytest.importorskip("aiosqlite", reason="async tests need aiosqlite: pip install 'mizzle[aio]'")
    db, s = rdb
    kind = request.node.callspec.params["dialect_db"]
    if kind not in ("sqlite", "postgres", "mysql"):
        pytest.skip(f"{kind}: mizzle has no async driver for it")
    url = (str(request.getfixturevalue("tmp_path") / "conformance.db") if kind == "sqlite"
           else request.getfixturevalue(f"_{kind}_conformance")[0])
    asyncio.run(_async_roundtrip(url, s, emulates(db)))
