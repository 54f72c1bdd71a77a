"""Writes on a real MariaDB: upserts, returning_id, RETURNING where the server has it, UPDATE ... LIMIT,
server-side timestamps, transactions and savepoints."""

from __future__ import annotations

import time
import uuid
from datetime import datetime

import pytest

import mizzle
from mizzle import asc, desc, eq, excluded, sql
from mizzle.mysql import Column, Table, int_, text, timestamp, varchar

pytestmark = pytest.mark.mysql


class Counters(Table, name="counters"):
    id: Column[int] = int_().primary_key(autoincrement=True)
    name: Column[str] = varchar(length=64).not_null().unique()
    hits: Column[int] = int_().not_null().default(0)
    note: Column[str | None] = text()
    created_at: Column[datetime] = timestamp(fsp=6).not_null().default_now()
    updated_at: Column[datetime | None] = timestamp(fsp=6).default_now().on_update_now()


class Docs(Table, name="docs"):
    id: Column[str] = varchar(length=36).primary_key().default_fn(lambda: str(uuid.uuid4()))
    title: Column[str] = text().not_null()


@pytest.fixture
def db(mdb: mizzle.Database) -> mizzle.Database:
    mizzle.create_all(mdb, [Counters, Docs])
    return mdb


def hits(db: mizzle.Database) -> dict[str, int]:
    return dict(db.select(Counters.name, Counters.hits).from_(Counters).all())


def test_on_duplicate_key_update_with_excluded_values(db: mizzle.Database) -> None:
    db.insert(Counters).values([{"name": "a", "hits": 1}, {"name": "b", "hits": 5}]).run()
    up = db.insert(Counters).values([{"name": "a", "hits": 10}, {"name": "c", "hits": 3}]).on_duplicate_key_update(
        set={"hits": sql("{} + {}", Counters.hits, excluded(Counters.hits))}
    )
    up.run()
    assert hits(db) == {"a": 11, "b": 5, "c": 3}
    db.insert(Counters).values(name="b", hits=0).on_conflict_do_update(
        target=Counters.name, set={"note": "seen"}
    ).run()
    assert db.select(Counters.note).from_(Counters).where(eq(Counters.name, "b")).one() == ("seen",)


def test_on_conflict_do_nothing_skips_duplicates(db: mizzle.Database) -> None:
    db.insert(Counters).values(name="a", hits=1).run()
    res = db.insert(Counters).values([{"name": "a", "hits": 9}, {"name": "z", "hits": 2}]).on_conflict_do_nothing().run()
    assert res.rows_affected == 1
    assert hits(db) == {"a": 1, "z": 2}


def test_update_counts_matched_rows_even_when_unchanged(db: mizzle.Database) -> None:
    db.insert(Counters).values([{"name": "a"}, {"name": "b"}]).run()
    assert db.update(Counters).set(hits=0).run().rows_affected == 2  # CLIENT_FOUND_ROWS


def test_update_and_delete_with_order_by_and_limit(db: mizzle.Database) -> None:
    db.insert(Counters).values([{"name": n} for n in "abcde"]).run()
    res = db.update(Counters).set(hits=1).order_by(desc(Counters.id)).limit(2).run()
    assert res.rows_affected == 2
    assert hits(db) == {"a": 0, "b": 0, "c": 0, "d": 1, "e": 1}
    db.delete(Counters).order_by(asc(Counters.name)).limit(1).run()
    assert sorted(hits(db)) == ["b", "c", "d", "e"]


def test_returning_id_gives_the_generated_keys(db: mizzle.Database) -> None:
    db.insert(Counters).values(name="first").run()
    ids = db.insert(Counters).values([{"name": "x"}, {"name": "y"}, {"name": "z"}]).returning_id().all()
    assert ids == [{"id": 2}, {"id": 3}, {"id": 4}]
    by_name = dict(db.select(Counters.name, Counters.id).from_(Counters).all())
    assert [by_name[n] for n in "xyz"] == [2, 3, 4]
    one = db.insert(Counters).values(name="w").returning_id().all()
    assert one == [{"id": 5}]


def test_returning_id_reports_default_fn_keys(db: mizzle.Database) -> None:
    ids = db.insert(Docs).values([{"title": "a"}, {"title": "b"}]).returning_id().all()
    stored = {r[0] for r in db.select(Docs.id).from_(Docs).all()}
    assert {i["id"] for i in ids} == stored
    assert len(stored) == 2


def test_returning_id_without_returning_support(db: mizzle.Database) -> None:
    """The MySQL path (no RETURNING): ids computed from the first generated id."""
    from dataclasses import replace

    db.dialect.caps = replace(db.dialect.caps, returning_insert=False, returning=False)
    db.insert(Counters).values(name="first").run()
    ids = db.insert(Counters).values([{"name": "x"}, {"name": "y"}]).returning_id().all()
    assert ids == [{"id": 2}, {"id": 3}]
    assert dict(db.select(Counters.name, Counters.id).from_(Counters).all())["y"] == 3
    with pytest.raises(mizzle.QueryError, match=r"has no INSERT \.\.\. RETURNING"):
        db.insert(Counters).values(name="q").returning().all()
    with pytest.raises(mizzle.QueryError, match="cannot tell which rows"):
        db.insert(Counters).values(name="q").on_conflict_do_nothing().returning_id().all()


def test_insert_and_delete_returning_on_mariadb(db: mizzle.Database) -> None:
    if not db.dialect.caps.returning_insert:
        pytest.skip("server has no INSERT ... RETURNING (MySQL, MariaDB < 10.5)")
    row = db.insert(Counters).values(name="r", hits=4).returning().one()
    assert (row.id, row.name, row.hits) == (1, "r", 4)
    assert isinstance(row.created_at, datetime) and row.created_at.tzinfo is not None
    gone = db.delete(Counters).where(eq(Counters.name, "r")).returning(Counters.id, Counters.hits).all()
    assert gone == [(1, 4)]


def test_server_side_timestamps(db: mizzle.Database) -> None:
    db.insert(Counters).values(name="t").run()
    before = db.select(Counters.created_at, Counters.updated_at).from_(Counters).one()
    time.sleep(0.01)
    db.update(Counters).set(hits=1).where(eq(Counters.name, "t")).run()
    after = db.select(Counters.created_at, Counters.updated_at).from_(Counters).one()
    assert after[0] == before[0]
    assert after[1] is not None and before[1] is not None and after[1] > before[1]


def test_executemany_insert_counts_rows_and_first_id(db: mizzle.Database) -> None:
    res = db.insert(Counters).values([{"name": f"n{i}", "hits": i} for i in range(50)]).run()
    assert res.rows_affected == 50
    assert res.last_insert_id == 1
    assert db.count(Counters) == 50


def test_transactions_commit_roll_back_and_nest(db: mizzle.Database) -> None:
    with db.transaction():
        db.insert(Counters).values(name="kept").run()
        with db.transaction() as inner:
            db.insert(Counters).values(name="undone").run()
            inner.rollback()
        with pytest.raises(mizzle.UniqueViolation), db.transaction():
            db.insert(Counters).values(name="also-undone").run()
            db.insert(Counters).values(name="kept").run()
    assert sorted(hits(db)) == ["kept"]
    with pytest.raises(RuntimeError), db.transaction():
        db.insert(Counters).values(name="lost").run()
        raise RuntimeError("boom")
    assert sorted(hits(db)) == ["kept"]
    assert not db.driver.in_transaction


def test_transaction_isolation_modes(db: mizzle.Database) -> None:
    with db.transaction("serializable"):  # type: ignore[arg-type]
        db.insert(Counters).values(name="s").run()
    with db.transaction("consistent snapshot"):  # type: ignore[arg-type]
        assert db.count(Counters) == 1
    with pytest.raises(mizzle.QueryError, match="transaction mode 'immediate' is not known"), db.transaction(
        "immediate"
    ):
        pass
