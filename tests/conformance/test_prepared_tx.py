"""Placeholders and prepared queries, transactions (commit, rollback, savepoints), batch — every dialect."""

from __future__ import annotations

from typing import Any

import pytest
from seed_data import JAN, seed

import mizzle
from mizzle import eq, gt, in_array, placeholder, select

DB = tuple[mizzle.Database, Any]


class Boom(Exception):
    pass


def test_prepared_select_runs_with_new_values(dialect_db: DB) -> None:
    db, s = dialect_db
    seed(db, s)
    by_id = db.select().from_(s.Users).where(eq(s.Users.id, placeholder("id"))).prepare()
    assert by_id.get(id=1).name == "ann"  # type: ignore[union-attr]
    assert by_id.get(id=2).name == "bob"  # type: ignore[union-attr]
    assert by_id.get(id=99) is None
    assert by_id.one(id=3).name == "cid"
    assert [u.name for u in by_id.all(id=4)] == ["Dee"]
    with pytest.raises(mizzle.QueryError, match="missing value for placeholder 'id'"):
        by_id.get()


def test_placeholders_are_encoded_like_their_column(dialect_db: DB) -> None:
    db, s = dialect_db
    seed(db, s)
    q = db.select(s.Users.name).from_(s.Users).where(eq(s.Users.created_at, placeholder("at"))).prepare()
    assert q.all(at=JAN) == [("ann",)]
    active = db.select(s.Users.name).from_(s.Users).where(eq(s.Users.active, placeholder("a"))).prepare()
    assert active.all(a=False) == [("bob",)]


def test_limit_and_offset_placeholders(dialect_db: DB) -> None:
    db, s = dialect_db
    seed(db, s)
    page = (
        db.select(s.Users.id).from_(s.Users).where(gt(s.Users.id, placeholder("after")))
        .order_by(s.Users.id).limit(placeholder("n")).offset(placeholder("skip")).prepare()
    )
    assert page.all(after=0, n=2, skip=0) == [(1,), (2,)]
    assert page.all(after=1, n=2, skip=1) == [(3,), (4,)]
    assert page.all(after=0, n=10, skip=3) == [(4,)]
    assert page.values(after=0, n=1, skip=0) == [(1,)]


def test_prepared_insert_update_delete(dialect_db: DB) -> None:
    db, s = dialect_db
    add = db.insert(s.Tags).values(name=placeholder("name")).prepare()
    for name in ("a", "b", "c"):
        assert add.run(name=name).rows_affected == 1
    rename = db.update(s.Tags).set(name=placeholder("new")).where(eq(s.Tags.name, placeholder("old"))).prepare()
    assert rename.run(old="b", new="bee").rows_affected == 1
    assert rename.run(old="zzz", new="x").rows_affected == 0
    drop = db.delete(s.Tags).where(eq(s.Tags.name, placeholder("name"))).prepare()
    assert drop.run(name="a").rows_affected == 1
    assert db.select(s.Tags.name).from_(s.Tags).order_by(s.Tags.id).all() == [("bee",), ("c",)]
    if db.dialect.caps.returning_insert:
        ret = db.insert(s.Tags).values(name=placeholder("n")).returning(s.Tags.name).prepare()
        assert ret.one(n="d") == ("d",)


def test_prepared_query_sql_is_rendered_once(dialect_db: DB) -> None:
    db, s = dialect_db
    q = db.select(s.Users.id).from_(s.Users).where(eq(s.Users.name, placeholder("n")))
    p = q.prepare()
    assert p.sql == q.to_sql().sql
    assert "?" in p.sql or "%s" in p.sql or "$1" in p.sql


def test_placeholder_in_in_array_and_subquery(dialect_db: DB) -> None:
    db, s = dialect_db
    seed(db, s)
    authors = select(s.Posts.author_id).from_(s.Posts).where(gt(s.Posts.views, placeholder("v")))
    q = db.select(s.Users.name).from_(s.Users).where(in_array(s.Users.id, authors)).order_by(s.Users.id).prepare()
    assert q.all(v=-1) == [("ann",), ("bob",)]
    assert q.all(v=7) == [("ann",)]


def test_transaction_commits(dialect_db: DB) -> None:
    db, s = dialect_db
    with db.transaction() as tx:
        tx.insert(s.Tags).values(name="a").run()
        assert db.in_transaction
    assert not db.in_transaction
    assert db.count(s.Tags) == 1


def test_transaction_rolls_back_on_exception(dialect_db: DB) -> None:
    db, s = dialect_db
    with pytest.raises(Boom), db.transaction() as tx:
        tx.insert(s.Tags).values(name="a").run()
        raise Boom()
    assert db.count(s.Tags) == 0
    assert not db.in_transaction


def test_explicit_rollback_leaves_the_block(dialect_db: DB) -> None:
    db, s = dialect_db
    reached = []
    with db.transaction() as tx:
        tx.insert(s.Tags).values(name="a").run()
        tx.rollback()
        reached.append(True)  # pragma: no cover - never runs
    assert reached == []
    assert db.count(s.Tags) == 0


def test_nested_transactions_are_savepoints(dialect_db: DB) -> None:
    db, s = dialect_db
    if not db.dialect.caps.savepoints:
        pytest.skip("no savepoints")
    with db.transaction() as tx:
        tx.insert(s.Tags).values(name="outer").run()
        with tx.transaction() as inner:
            inner.insert(s.Tags).values(name="kept").run()
        with pytest.raises(Boom), tx.transaction() as inner:
            inner.insert(s.Tags).values(name="lost").run()
            raise Boom()
        with tx.transaction() as inner:
            inner.insert(s.Tags).values(name="rolled back").run()
            inner.rollback()
        with tx.transaction() as inner, inner.transaction() as deeper:
            deeper.insert(s.Tags).values(name="deep").run()
    names = sorted(r[0] for r in db.select(s.Tags.name).from_(s.Tags).all())
    assert names == ["deep", "kept", "outer"]


def test_inner_savepoint_survives_only_if_outer_commits(dialect_db: DB) -> None:
    db, s = dialect_db
    with pytest.raises(Boom), db.transaction() as tx:
        with tx.transaction() as inner:
            inner.insert(s.Tags).values(name="inner").run()
        raise Boom()
    assert db.count(s.Tags) == 0


def test_failed_statement_in_a_transaction_rolls_back_everything(dialect_db: DB) -> None:
    db, s = dialect_db
    with pytest.raises(mizzle.UniqueViolation), db.transaction() as tx:
        tx.insert(s.Tags).values(name="a").run()
        tx.insert(s.Tags).values(name="a").run()
    assert db.count(s.Tags) == 0
    # the connection is usable afterwards
    db.insert(s.Tags).values(name="b").run()
    assert db.count(s.Tags) == 1


def test_batch_runs_in_one_transaction(dialect_db: DB) -> None:
    db, s = dialect_db
    results = db.batch([
        db.insert(s.Tags).values(name="a"),
        db.insert(s.Tags).values(name="b"),
        db.select(s.Tags.name).from_(s.Tags).order_by(s.Tags.name),
        db.update(s.Tags).set(name="c").where(eq(s.Tags.name, "b")),
    ])
    assert results[0].rows_affected == 1
    assert results[2] == [("a",), ("b",)]
    assert results[3].rows_affected == 1
    with pytest.raises(mizzle.UniqueViolation):
        db.batch([db.insert(s.Tags).values(name="z"), db.insert(s.Tags).values(name="a")])
    assert sorted(r[0] for r in db.select(s.Tags.name).from_(s.Tags).all()) == ["a", "c"]
