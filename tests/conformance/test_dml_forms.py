"""Builder INSERT / UPDATE with keyword values, run again and again: the compiled per-shape form
(keyed by table and the keys given, values filled without keying each one) must write exactly what
a fresh statement writes, whatever differs between two runs — key order, NULL vs a value, an SQL
expression vs a plain value, a value type that is not a plain scalar, another table with the same
keys, an upsert or RETURNING after the same values."""

from __future__ import annotations

from typing import Any

from seed_data import JAN

import mizzle
from mizzle import eq, excluded, sql

DB = tuple[mizzle.Database, Any]


def users(db: mizzle.Database, s: Any) -> list[tuple[Any, ...]]:
    u = s.Users
    return db.select(u.name, u.email, u.age, u.active, u.score, u.created_at).from_(u).order_by(u.id).all()


def test_inserts_with_the_same_keys_and_different_values(dialect_db: DB) -> None:
    db, s = dialect_db
    u = s.Users
    db.insert(u).values(name="a", email="a@x", age=1).run()
    db.insert(u).values(name="b", email="b@x", age=None).run()  # NULL where the last run had a value
    db.insert(u).values(age=3, email="c@x", name="c").run()  # the same keys in another order
    db.insert(u).values(name=sql("lower({})", "D"), email="d@x", age=4).run()  # SQL where a value was
    db.insert(u).values(name="e", email="e@x", age=sql("{} + 1", 4)).run()
    db.insert(u).values(name="f", email="f@x", age=6).run()  # and plain again
    db.insert(u).values(name="g", email="g@x", created_at=JAN).run()  # a datetime: encoded per dialect
    db.insert(u).values(name="h", email="h@x", created_at=None).run()
    db.insert(u).values(name="i", email="i@x", active=False, score=1.5).run()
    db.insert(u).values(name="j", email="j@x", active=True, score=2).run()  # an int where a float was
    assert users(db, s) == [
        ("a", "a@x", 1, True, None, None),
        ("b", "b@x", None, True, None, None),
        ("c", "c@x", 3, True, None, None),
        ("d", "d@x", 4, True, None, None),
        ("e", "e@x", 5, True, None, None),
        ("f", "f@x", 6, True, None, None),
        ("g", "g@x", None, True, None, JAN),
        ("h", "h@x", None, True, None, None),
        ("i", "i@x", None, False, 1.5, None),
        ("j", "j@x", None, True, 2.0, None),
    ]


def test_the_same_keys_on_another_table(dialect_db: DB) -> None:
    db, s = dialect_db
    db.insert(s.Tags).values(name="t").run()
    db.insert(s.KeyValues).values(key="k", value="v").run()
    db.insert(s.Tags).values(name="u").run()
    db.update(s.Tags).set(name="t2").where(eq(s.Tags.name, "t")).run()
    db.update(s.KeyValues).set(value="v2").where(eq(s.KeyValues.key, "k")).run()
    assert db.select(s.Tags.name).from_(s.Tags).order_by(s.Tags.id).values() == [("t2",), ("u",)]
    assert db.select(s.KeyValues.key, s.KeyValues.value).from_(s.KeyValues).values() == [("k", "v2")]


def test_a_builder_run_twice_and_a_refused_value(dialect_db: DB) -> None:
    db, s = dialect_db
    q = db.insert(s.Tags).values(name="once")
    q.run()
    db.insert(s.Tags).values(name="twice").run()
    try:
        db.insert(s.Tags).values(name=5).run()  # type: ignore[arg-type]
    except mizzle.QueryError as exc:
        assert "tags.name" in str(exc)
    else:
        raise AssertionError("an int for a text column must be refused")
    assert db.select(s.Tags.name).from_(s.Tags).order_by(s.Tags.id).values() == [("once",), ("twice",)]


def test_upsert_and_returning_after_the_same_values(dialect_db: DB) -> None:
    db, s = dialect_db
    kv = s.KeyValues
    db.insert(kv).values(key="a", value="1").run()
    db.insert(kv).values(key="a", value="2").on_conflict_do_update(target=kv.key, set={"value": excluded(kv.value)}).run()
    db.insert(kv).values(key="a", value="3").on_conflict_do_nothing().run()
    db.insert(kv).values(key="b", value="4").run()
    if db.dialect.caps.returning_insert:
        row = db.insert(kv).values(key="c", value="5").returning().one()
        assert (row.key, row.value) == ("c", "5")
    else:
        db.insert(kv).values(key="c", value="5").run()
    assert db.select(kv.key, kv.value).from_(kv).order_by(kv.key).values() == [("a", "2"), ("b", "4"), ("c", "5")]


def test_updates_with_the_same_keys_and_different_values(dialect_db: DB) -> None:
    db, s = dialect_db
    u = s.Users
    db.insert(u).values([{"name": n, "email": f"{n}@x", "age": 10} for n in "abcd"]).run()
    db.update(u).set(age=1, score=0.5).where(eq(u.name, "a")).run()
    db.update(u).set(age=None, score=1.5).where(eq(u.name, "b")).run()  # NULL where a value was
    db.update(u).set(score=2.5, age=3).where(eq(u.name, "c")).run()  # the keys in another order
    db.update(u).set(age=sql("{} + {}", u.age, 4), score=3.5).where(eq(u.name, "d")).run()  # SQL
    db.update(u).set(age=7, score=None).where(eq(u.name, "a")).run()
    db.update(u).set(created_at=JAN, active=False).where(eq(u.name, "b")).run()
    assert [(r[0], r[2], r[3], r[4], r[5]) for r in users(db, s)] == [
        ("a", 7, True, None, None),
        ("b", None, False, 1.5, JAN),
        ("c", 3, True, 2.5, None),
        ("d", 14, True, 3.5, None),
    ]
