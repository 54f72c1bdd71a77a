"""The structural SQL cache for INSERT / UPDATE / DELETE against a real SQLite database: values
computed per run (`default_fn`, `on_update_fn`) stay fresh on every execution, whichever path runs
the statement (builder run twice, prepared statement, executemany batch, db.batch, to_sql)."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from pathlib import Path
from typing import Any

import pytest

import mizzle
from mizzle import eq, excluded, placeholder
from mizzle.sqlite import Column, Table, integer, text

_ticks = itertools.count(1)


def tick() -> int:
    """A clock that moves on every call (a frozen value shows up as a repeated number)."""
    return next(_ticks)


def new_id() -> str:
    """A fresh primary key."""
    return uuid.uuid4().hex


class Notes(Table, name="dmlc_notes"):
    id: Column[str] = text().primary_key().default_fn(new_id)
    body: Column[str] = text().not_null()
    created: Column[int] = integer().not_null().default_fn(tick)
    updated: Column[int | None] = integer().on_update_fn(tick)


@pytest.fixture
def db(tmp_path: Path) -> Any:
    d = mizzle.connect(str(tmp_path / "n.db"))
    mizzle.create_all(d, [Notes])
    yield d
    d.close()


def ids(db: mizzle.Database) -> list[str]:
    return [r[0] for r in db.select(Notes.id).from_(Notes).values()]


def test_a_builder_run_twice_gets_two_fresh_ids(db: mizzle.Database) -> None:
    q = db.insert(Notes).values(body="x")
    q.run()
    q.run()
    rows = db.select().from_(Notes).all()
    assert len({r.id for r in rows}) == 2
    assert len({r.created for r in rows}) == 2
    assert len(db.dialect._query_cache) >= 1  # the insert went through the cache


def test_equal_builders_share_the_text_but_not_the_ids(db: mizzle.Database) -> None:
    for i in range(5):
        db.insert(Notes).values(body=f"b{i}").run()
    assert len(set(ids(db))) == 5
    assert [r.body for r in db.select().from_(Notes).order_by(Notes.created).all()] == [f"b{i}" for i in range(5)]


def test_returning_run_twice_gets_fresh_ids(db: mizzle.Database) -> None:
    q = db.insert(Notes).values(body="r").returning(Notes.id, Notes.created)
    a, b = q.one(), q.one()
    assert a[0] != b[0] and a[1] != b[1]
    assert sorted(ids(db)) == sorted([a[0], b[0]])


def test_prepared_insert_without_placeholders_gets_fresh_ids(db: mizzle.Database) -> None:
    # nothing to fill per run but the default_fn columns: the prepared form must keep them as slots
    p = db.insert(Notes).values(body="p").prepare()
    p.run()
    p.run()
    p.run()
    assert len(set(ids(db))) == 3


def test_prepared_insert_with_placeholders_gets_fresh_ids(db: mizzle.Database) -> None:
    p = db.insert(Notes).values(body=placeholder("body")).prepare()
    p.run(body="a")
    p.run(body="b")
    rows = db.select().from_(Notes).order_by(Notes.body).all()
    assert [r.body for r in rows] == ["a", "b"]
    assert rows[0].id != rows[1].id and rows[0].created != rows[1].created


def test_prepared_returning_insert_gets_fresh_ids(db: mizzle.Database) -> None:
    p = db.insert(Notes).values(body="q").returning(Notes.id).prepare()
    assert p.one() != p.one()


def test_a_prepared_builder_that_was_run_before_still_gets_fresh_ids(db: mizzle.Database) -> None:
    q = db.insert(Notes).values(body="x")
    q.run()  # compiled through the cache (ids computed then)
    p = q.prepare()
    p.run()
    p.run()
    q.run()
    assert len(set(ids(db))) == 4


def test_update_run_twice_gets_fresh_on_update_values(db: mizzle.Database) -> None:
    db.insert(Notes).values(id="n1", body="x").run()
    u = db.update(Notes).set(body="y").where(eq(Notes.id, "n1"))
    u.run()
    first = db.select(Notes.updated).from_(Notes).one()[0]
    u.run()
    second = db.select(Notes.updated).from_(Notes).one()[0]
    assert first is not None and second is not None and second > first
    pu = db.update(Notes).set(body="z").where(eq(Notes.id, "n1")).prepare()
    pu.run()
    third = db.select(Notes.updated).from_(Notes).one()[0]
    pu.run()
    fourth = db.select(Notes.updated).from_(Notes).one()[0]
    assert third is not None and fourth is not None and second < third < fourth


def test_update_returning_run_twice(db: mizzle.Database) -> None:
    db.insert(Notes).values(id="n1", body="x").run()
    q = db.update(Notes).set(body="y").where(eq(Notes.id, "n1")).returning(Notes.updated)
    a, b = q.one()[0], q.one()[0]
    assert a is not None and b is not None and b > a


def test_batch_insert_paths_get_fresh_ids(db: mizzle.Database) -> None:
    many = db.insert(Notes).values([{"body": "a"}, {"body": "b"}, {"body": "c"}])
    many.run()  # executemany
    many.run()
    db.insert(Notes).values([{"body": "d", "id": "fixed"}, {"body": "e"}]).run()  # rows with different keys
    assert len(set(ids(db))) == 8
    with_returning = db.insert(Notes).values([{"body": "f"}, {"body": "g"}]).returning(Notes.id)
    got = with_returning.all() + with_returning.all()  # one multi-row statement, run twice
    assert len({r[0] for r in got}) == 4
    assert len(set(ids(db))) == 12


def test_db_batch_gets_fresh_ids(db: mizzle.Database) -> None:
    q = db.insert(Notes).values(body="x")
    db.batch([q, q, q])
    assert len(set(ids(db))) == 3


def test_to_sql_shows_one_run(db: mizzle.Database) -> None:
    q = db.insert(Notes).values(body="x")
    a, b = q.to_sql(), q.to_sql()
    assert a.sql == b.sql == 'insert into "dmlc_notes" ("id", "body", "created", "updated") values (?, ?, ?, ?)'
    assert a.params[0] != b.params[0] and a.params[2] != b.params[2] and a.params[3] != b.params[3]
    assert a.params[1] == b.params[1] == "x"


def test_upsert_through_the_cache(db: mizzle.Database) -> None:
    def upsert(i: int, body: str) -> None:
        db.insert(Notes).values(id=f"k{i}", body=body).on_conflict_do_update(
            target=Notes.id, set={"body": excluded(Notes.body)}
        ).run()

    for i in range(3):
        upsert(i, "first")
    for i in range(3):
        upsert(i, f"second {i}")
    rows = db.select(Notes.id, Notes.body).from_(Notes).order_by(Notes.id).values()
    assert rows == [("k0", "second 0"), ("k1", "second 1"), ("k2", "second 2")]


def test_update_and_delete_through_the_cache(db: mizzle.Database) -> None:
    db.insert(Notes).values([{"id": f"i{i}", "body": "b"} for i in range(4)]).run()
    for i in range(4):
        db.update(Notes).set(body=f"u{i}").where(eq(Notes.id, f"i{i}")).run()
    assert db.select(Notes.body).from_(Notes).order_by(Notes.id).values() == [("u0",), ("u1",), ("u2",), ("u3",)]
    for i in (1, 3):
        assert db.delete(Notes).where(eq(Notes.id, f"i{i}")).returning(Notes.body).one() == (f"u{i}",)
    assert sorted(ids(db)) == ["i0", "i2"]


def test_placeholders_are_not_keyed(db: mizzle.Database) -> None:
    before = dict(db.dialect._query_cache)
    q = db.insert(Notes).values(body=placeholder("b"))
    assert q.compile(db.dialect).query.slots  # the placeholder stays a slot
    assert db.dialect._query_cache == before
    p = q.prepare()
    p.run(b="one")
    p.run(b="two")
    assert sorted(r[0] for r in db.select(Notes.body).from_(Notes).values()) == ["one", "two"]


def test_a_value_that_does_not_fit_names_the_column_on_a_cache_hit(db: mizzle.Database) -> None:
    class Counted(Table, name="dmlc_counted"):
        id: Column[int] = integer().primary_key()
        flag: Column[bool] = integer(mode="boolean").not_null()

    mizzle.create_all(db, [Counted])
    db.insert(Counted).values(id=1, flag=True).run()  # cached now
    with pytest.raises(mizzle.QueryError, match=r"dmlc_counted\.flag"):
        db.insert(Counted).values({"id": 2, "flag": "nope"}).run()


def test_errors_are_raised_on_every_run(db: mizzle.Database) -> None:
    q = db.insert(Notes).values({"id": "a"})
    for _ in range(2):
        with pytest.raises(mizzle.QueryError, match="'body' is NOT NULL"):
            q.run()
    for _ in range(2):
        with pytest.raises(mizzle.QueryError, match="ORDER BY / LIMIT"):
            db.delete(Notes).limit(1).run()


def test_async_prepared_insert_gets_fresh_ids(tmp_path: Path) -> None:
    pytest.importorskip("aiosqlite", reason="async SQLite tests need aiosqlite: pip install 'mizzle[aio]'")
    import mizzle.aio

    async def main() -> list[str]:
        adb = await mizzle.aio.connect(str(tmp_path / "a.db"))
        try:
            await adb.create_all([Notes])
            p = adb.insert(Notes).values(body="p").prepare()
            await p.run()
            await p.run()
            q = adb.insert(Notes).values(body="q")
            await q.run()
            await q.run()
            rows = await adb.select(Notes.id).from_(Notes).values()
            return [r[0] for r in rows]
        finally:
            await adb.close()

    got = asyncio.run(main())
    assert len(set(got)) == 4


class Typed(Table, name="dmlc_typed"):
    id: Column[int] = integer().primary_key()
    n: Column[int | None] = integer()
    s: Column[str | None] = text()


class Text(str):
    """A str subclass: not of the exact type the encoder passes unchanged, still a str."""


@pytest.mark.parametrize("form", ["prepared", "builder"])
def test_values_are_checked_whatever_path_fills_them(db: mizzle.Database, form: str) -> None:
    # the compiled fillers skip the encoder for the exact types it returns unchanged (int, str):
    # everything else must still reach it (a bool is an int subclass, refused for an integer column)
    mizzle.create_all(db, [Typed])
    p = db.insert(Typed).values(id=placeholder("id"), n=placeholder("n"), s=placeholder("s")).prepare()

    def put(**values: Any) -> None:
        if form == "prepared":
            p.run(**values)
        else:
            db.insert(Typed).values(**values).run()

    put(id=1, n=5, s="a")
    put(id=2, n=None, s=None)
    put(id=3, n=7, s=Text("t"))
    with pytest.raises(mizzle.QueryError, match=r"dmlc_typed\.n"):
        put(id=4, n=True, s="b")
    with pytest.raises(mizzle.QueryError, match=r"dmlc_typed\.s"):
        put(id=5, n=1, s=5)
    with pytest.raises(mizzle.QueryError, match=r"dmlc_typed\.n"):
        put(id=6, n=2**63, s="c")
    rows = db.select(Typed.id, Typed.n, Typed.s).from_(Typed).order_by(Typed.id).values()
    assert rows == [(1, 5, "a"), (2, None, None), (3, 7, "t")]
