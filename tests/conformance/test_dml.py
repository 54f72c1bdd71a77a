"""INSERT / UPDATE / DELETE on every dialect: many rows, insert-select, upserts, returning, rows affected."""

from __future__ import annotations

from typing import Any

import pytest
from seed_data import JAN, seed

import mizzle
from mizzle import eq, excluded, gt, select, sql

DB = tuple[mizzle.Database, Any]


def needs(db: mizzle.Database, flag: str) -> None:
    if not getattr(db.dialect.caps, flag):
        pytest.skip(f"{db.dialect.name}: no {flag}")


def test_insert_one_row_defaults_applied(dialect_db: DB) -> None:
    db, s = dialect_db
    result = db.insert(s.Users).values(name="ann", email="ann@example.com").run()
    assert result.rows_affected == 1
    row = db.select().from_(s.Users).one()
    assert (row.id, row.name, row.active, row.age, row.created_at) == (1, "ann", True, None, None)


def test_insert_many_rows(dialect_db: DB) -> None:
    db, s = dialect_db
    result = db.insert(s.Tags).values([{"name": "a"}, {"name": "b"}, {"name": "c"}]).run()
    assert result.rows_affected == 3
    assert db.select(s.Tags.id, s.Tags.name).from_(s.Tags).order_by(s.Tags.id).all() == [
        (1, "a"), (2, "b"), (3, "c"),
    ]


def test_insert_many_rows_with_different_keys(dialect_db: DB) -> None:
    db, s = dialect_db
    db.insert(s.Users).values(
        [
            {"name": "a", "email": "a@x", "age": 3},
            {"name": "b", "email": "b@x", "active": False},
            {"name": "c", "email": "c@x", "created_at": JAN},
        ]
    ).run()
    rows = db.select(s.Users.name, s.Users.age, s.Users.active, s.Users.created_at).from_(s.Users).order_by(
        s.Users.id
    ).all()
    # a key missing from one row gets the column default (True for active), not NULL
    assert rows == [("a", 3, True, None), ("b", None, False, None), ("c", None, True, JAN)]


def test_insert_a_row_object(dialect_db: DB) -> None:
    db, s = dialect_db
    db.insert(s.Users).values(s.Users(name="obj", email="obj@x", age=5)).run()
    assert db.select(s.Users.name, s.Users.age).from_(s.Users).one() == ("obj", 5)


def test_insert_select(dialect_db: DB) -> None:
    db, s = dialect_db
    seed(db, s)
    source = db.select(s.Users.name.as_("key"), s.Users.email.as_("value")).from_(s.Users).where(
        eq(s.Users.active, True)
    )
    result = db.insert(s.KeyValues).select(source).run()
    assert result.rows_affected == 3
    rows = db.select(s.KeyValues.key, s.KeyValues.value).from_(s.KeyValues).order_by(s.KeyValues.value).all()
    assert rows == [("ann", "ann@example.com"), ("cid", "cid@example.com"), ("Dee", "dee@example.com")]
    copied = db.insert(s.Tags).select(select(s.Users.name).from_(s.Users).where(eq(s.Users.id, 2))).run()
    assert copied.rows_affected == 1
    assert db.select(s.Tags.name).from_(s.Tags).where(eq(s.Tags.name, "bob")).one() == ("bob",)


def test_insert_select_rejects_fields_that_are_not_columns(dialect_db: DB) -> None:
    db, s = dialect_db
    bad = db.select(s.Users.name.as_("nope")).from_(s.Users)
    with pytest.raises(mizzle.QueryError, match="selected field 'nope' is not a column of key_values"):
        db.insert(s.KeyValues).select(bad).run()


def test_on_conflict_do_nothing(dialect_db: DB) -> None:
    db, s = dialect_db
    db.insert(s.Tags).values(name="a").run()
    result = db.insert(s.Tags).values([{"name": "a"}, {"name": "b"}]).on_conflict_do_nothing().run()
    assert result.rows_affected == 1
    assert db.select(s.Tags.name).from_(s.Tags).order_by(s.Tags.name).all() == [("a",), ("b",)]


def test_on_conflict_do_nothing_with_target(dialect_db: DB) -> None:
    db, s = dialect_db
    db.insert(s.Tags).values(name="a").run()
    db.insert(s.Tags).values(name="a").on_conflict_do_nothing(target=s.Tags.name).run()
    assert db.count(s.Tags) == 1


def test_on_conflict_do_update_with_excluded(dialect_db: DB) -> None:
    db, s = dialect_db
    db.insert(s.KeyValues).values(key="k", value="old").run()
    upsert = db.insert(s.KeyValues).values([{"key": "k", "value": "new"}, {"key": "j", "value": "fresh"}])
    upsert.on_conflict_do_update(target=s.KeyValues.key, set={"value": excluded(s.KeyValues.value)}).run()
    rows = db.select(s.KeyValues.key, s.KeyValues.value).from_(s.KeyValues).order_by(s.KeyValues.key).all()
    assert rows == [("j", "fresh"), ("k", "new")]


def test_on_conflict_do_update_with_a_value_and_sql(dialect_db: DB) -> None:
    db, s = dialect_db
    seed(db, s)
    db.insert(s.Users).values(name="ann2", email="ann@example.com").on_conflict_do_update(
        target=s.Users.email, set={"name": "ann again", "age": sql("{} + 1", s.Users.age)}
    ).run()
    assert db.select(s.Users.name, s.Users.age).from_(s.Users).where(eq(s.Users.id, 1)).one() == ("ann again", 31)
    assert db.count(s.Users) == 4


def test_on_conflict_do_update_composite_target_and_where(dialect_db: DB) -> None:
    db, s = dialect_db
    seed(db, s)
    # post_tags has the composite key (post_id, tag_id)
    q = db.insert(s.PostTags).values(post_id=1, tag_id=1).on_conflict_do_update(
        target=[s.PostTags.post_id, s.PostTags.tag_id], set={"tag_id": 3}
    )
    q.run()
    links = db.select(s.PostTags.post_id, s.PostTags.tag_id).from_(s.PostTags).order_by(
        s.PostTags.post_id, s.PostTags.tag_id
    ).all()
    assert links == [(1, 2), (1, 3), (2, 2)]


def test_on_conflict_do_update_where(dialect_db: DB) -> None:
    db, s = dialect_db
    # the `where` keeps the existing row when it does not hold
    db.insert(s.KeyValues).values(key="k", value="locked").run()
    try:
        db.insert(s.KeyValues).values(key="k", value="changed").on_conflict_do_update(
            target=s.KeyValues.key, set={"value": excluded(s.KeyValues.value)}, where=eq(s.KeyValues.value, "open")
        ).run()
    except mizzle.QueryError as exc:  # a database without `on conflict ... where` says so clearly
        assert "not supported" in str(exc) and "on_duplicate_key_update" in str(exc)
        pytest.skip(str(exc))
    assert db.select(s.KeyValues.value).from_(s.KeyValues).one() == ("locked",)
    db.insert(s.KeyValues).values(key="k", value="changed").on_conflict_do_update(
        target=s.KeyValues.key, set={"value": excluded(s.KeyValues.value)}, where=eq(s.KeyValues.value, "locked")
    ).run()
    assert db.select(s.KeyValues.value).from_(s.KeyValues).one() == ("changed",)


def test_insert_returning_whole_row_and_columns(dialect_db: DB) -> None:
    db, s = dialect_db
    needs(db, "returning_insert")
    row = db.insert(s.Users).values(name="ann", email="a@x", created_at=JAN).returning().one()
    assert isinstance(row, s.Users)
    assert (row.id, row.name, row.active, row.created_at) == (1, "ann", True, JAN)
    ids = db.insert(s.Tags).values([{"name": "x"}, {"name": "y"}]).returning(s.Tags.id, s.Tags.name).all()
    assert sorted(ids) == [(1, "x"), (2, "y")]
    meta = db.insert(s.Posts).values(author_id=1, title="t", meta={"a": [1]}).returning(s.Posts.meta).one()
    assert meta == ({"a": [1]},)


def test_upsert_returning(dialect_db: DB) -> None:
    db, s = dialect_db
    needs(db, "returning_insert")
    db.insert(s.KeyValues).values(key="k", value="v1").run()
    got = db.insert(s.KeyValues).values(key="k", value="v2").on_conflict_do_update(
        target=s.KeyValues.key, set={"value": excluded(s.KeyValues.value)}
    ).returning().one()
    assert (got.key, got.value) == ("k", "v2")


def test_update_set_where(dialect_db: DB) -> None:
    db, s = dialect_db
    seed(db, s)
    result = db.update(s.Users).set(active=False, score=None).where(gt(s.Users.age, 26)).run()
    assert result.rows_affected == 2
    assert db.select(s.Users.name).from_(s.Users).where(eq(s.Users.active, False)).order_by(s.Users.id).all() == [
        ("ann",), ("bob",), ("Dee",),
    ]
    none = db.update(s.Users).set(name="x").where(eq(s.Users.id, 99)).run()
    assert none.rows_affected == 0
    everyone = db.update(s.Posts).set(views=sql("{} + 1", s.Posts.views)).run()
    assert everyone.rows_affected == 3
    assert db.select(s.Posts.views).from_(s.Posts).order_by(s.Posts.id).all() == [(11,), (6,), (1,)]


def test_update_with_a_dict_and_json(dialect_db: DB) -> None:
    db, s = dialect_db
    seed(db, s)
    db.update(s.Posts).set({"meta": {"lang": "fr", "n": [1, 2]}, "title": "Bonjour"}).where(eq(s.Posts.id, 2)).run()
    assert db.select(s.Posts.title, s.Posts.meta).from_(s.Posts).where(eq(s.Posts.id, 2)).one() == (
        "Bonjour", {"lang": "fr", "n": [1, 2]},
    )


def test_delete_where(dialect_db: DB) -> None:
    db, s = dialect_db
    seed(db, s)
    result = db.delete(s.Comments).where(eq(s.Comments.post_id, 1)).run()
    assert result.rows_affected == 2
    assert db.count(s.Comments) == 1
    assert db.delete(s.Comments).where(eq(s.Comments.id, 99)).run().rows_affected == 0
    # cascades follow the foreign keys
    db.delete(s.Users).where(eq(s.Users.id, 1)).run()
    assert db.count(s.Posts) == 1
    assert db.delete(s.Tags).run().rows_affected == 3


def test_insert_requires_not_null_columns_without_default(dialect_db: DB) -> None:
    db, s = dialect_db
    with pytest.raises(mizzle.QueryError, match="insert into users: column 'email' is NOT NULL and has no default"):
        db.insert(s.Users).values(name="x").run()
    with pytest.raises(mizzle.QueryError, match="insert into users: unknown column 'nope'"):
        db.insert(s.Users).values(name="x", email="y", nope=1).run()  # type: ignore[call-arg]
    with pytest.raises(mizzle.QueryError, match="update users: unknown column 'nope'"):
        db.update(s.Users).set(nope=1).run()  # type: ignore[call-arg]
    with pytest.raises(mizzle.QueryError, match="values\\(\\) got an empty list"):
        db.insert(s.Users).values([]).run()
