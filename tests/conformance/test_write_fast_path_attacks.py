"""Adversarial checks of the write fast paths (compiled values forms, prepared DML, run() calling the driver
directly): a failing statement still raises mizzle's mapped error naming the statement and leaves the
session usable; per-run defaults are computed per run; rowcounts belong to the statement just run."""

from __future__ import annotations

from typing import Any

import pytest

import mizzle
from mizzle import eq, placeholder
from mizzle.errors import IntegrityError

DB = tuple[mizzle.Database, Any]


def test_a_failing_write_raises_the_mapped_error_on_every_path(dialect_db: DB) -> None:
    db, s = dialect_db
    u = s.Users
    db.insert(u).values(name="a", email="a@x").run()
    ins = db.insert(u).values(name=placeholder("n"), email=placeholder("e")).prepare()
    upd = db.update(u).set(email=placeholder("e")).where(eq(u.name, placeholder("n"))).prepare()
    ins.run(n="b", e="b@x")
    for attempt in (
        lambda: db.insert(u).values(name="dup", email="a@x").run(),
        lambda: ins.run(n="dup", e="a@x"),
        lambda: db.update(u).set(email="a@x").where(eq(u.name, "b")).run(),
        lambda: upd.run(n="b", e="a@x"),
    ):
        for _ in range(2):  # the second run takes the cached path
            with pytest.raises(IntegrityError) as err:
                attempt()
            assert "users" in str(err.value).lower()
            assert db.count(u) == 2  # the session still works (no transaction left aborted)
    with pytest.raises(IntegrityError), db.transaction() as tx:
        tx.insert(u).values(name="c", email="c@x").run()
        ins.run(n="dup", e="a@x")
    assert sorted(n for (n,) in db.select(u.name).from_(u).all()) == ["a", "b"]


def test_rowcounts_belong_to_the_statement_just_run(dialect_db: DB) -> None:
    db, s = dialect_db
    u = s.Users
    db.insert(u).values([{"name": f"u{i}", "email": f"u{i}@x", "age": i % 2} for i in range(5)]).run()
    upd = db.update(u).set(score=placeholder("sc")).where(eq(u.age, placeholder("a"))).prepare()
    assert upd.run(sc=1.5, a=0).rows_affected == 3
    assert upd.run(sc=2.5, a=1).rows_affected == 2
    assert db.update(u).set(score=3.5).where(eq(u.age, 0)).run().rows_affected == 3
    assert db.update(u).set(score=3.5).where(eq(u.age, 7)).run().rows_affected == 0
    assert db.delete(u).where(eq(u.age, 1)).run().rows_affected == 2
    assert db.delete(u).where(eq(u.age, 1)).run().rows_affected == 0
    r = db.insert(u).values(name="z", email="z@x").run()
    assert r.rows_affected == 1
