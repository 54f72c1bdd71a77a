"""The whole operator set in WHERE, executed on every dialect."""

from __future__ import annotations

from typing import Any

import pytest
from seed_data import FEB, JAN, seed

import mizzle
from mizzle import (
    and_,
    between,
    eq,
    exists,
    gt,
    gte,
    ilike,
    in_array,
    is_not_null,
    is_null,
    like,
    lt,
    lte,
    ne,
    not_,
    not_between,
    not_exists,
    not_ilike,
    not_in_array,
    not_like,
    or_,
    select,
    sql,
)

DB = tuple[mizzle.Database, Any]


@pytest.fixture
def seeded(dialect_db: DB) -> DB:
    db, s = dialect_db
    seed(db, s)
    return db, s


def names(db: mizzle.Database, s: Any, cond: Any) -> list[str]:
    return [r[0] for r in db.select(s.Users.name).from_(s.Users).where(cond).order_by(s.Users.id).all()]


def test_comparisons(seeded: DB) -> None:
    db, s = seeded
    u = s.Users
    assert names(db, s, eq(u.age, 30)) == ["ann"]
    assert names(db, s, ne(u.age, 30)) == ["bob", "Dee"]  # NULL is neither equal nor unequal
    assert names(db, s, gt(u.age, 30)) == ["Dee"]
    assert names(db, s, gte(u.age, 30)) == ["ann", "Dee"]
    assert names(db, s, lt(u.age, 30)) == ["bob"]
    assert names(db, s, lte(u.age, 30)) == ["ann", "bob"]
    assert names(db, s, eq(u.active, False)) == ["bob"]
    assert names(db, s, gt(u.created_at, JAN)) == ["bob", "Dee"]
    assert names(db, s, eq(u.created_at, FEB)) == ["bob"]
    assert names(db, s, gt(u.score, 2.0)) == ["cid", "Dee"]


def test_column_to_column_comparison(seeded: DB) -> None:
    db, s = seeded
    rows = db.select(s.Comments.body).from_(s.Comments).inner_join(
        s.Posts, eq(s.Posts.id, s.Comments.post_id)
    ).where(eq(s.Comments.user_id, s.Posts.author_id)).all()
    assert rows == []
    rows = db.select(s.Comments.body).from_(s.Comments).inner_join(
        s.Posts, eq(s.Posts.id, s.Comments.post_id)
    ).where(ne(s.Comments.user_id, s.Posts.author_id)).order_by(s.Comments.id).all()
    assert rows == [("nice",), ("ok",)]


def test_and_or_not_with_none_skipping(seeded: DB) -> None:
    db, s = seeded
    u = s.Users
    assert names(db, s, and_(eq(u.active, True), gt(u.age, 20))) == ["ann", "Dee"]
    assert names(db, s, or_(eq(u.name, "bob"), is_null(u.age))) == ["bob", "cid"]
    assert names(db, s, not_(eq(u.active, True))) == ["bob"]
    assert names(db, s, and_(None, eq(u.name, "ann"), None)) == ["ann"]
    assert names(db, s, or_(None, eq(u.name, "ann"))) == ["ann"]
    assert names(db, s, and_()) == ["ann", "bob", "cid", "Dee"]  # nothing to check: every row
    assert names(db, s, and_(None, None)) == ["ann", "bob", "cid", "Dee"]
    assert names(db, s, or_()) == []  # no alternative holds
    nested = or_(and_(eq(u.active, True), lt(u.age, 35)), and_(eq(u.active, False), gt(u.age, 20)))
    assert names(db, s, nested) == ["ann", "bob"]


def test_in_and_not_in_with_lists(seeded: DB) -> None:
    db, s = seeded
    u = s.Users
    assert names(db, s, in_array(u.id, [1, 3, 99])) == ["ann", "cid"]
    assert names(db, s, not_in_array(u.id, [1, 3])) == ["bob", "Dee"]
    assert names(db, s, in_array(u.name, ("bob",))) == ["bob"]
    assert names(db, s, in_array(u.id, [])) == []
    assert names(db, s, not_in_array(u.id, [])) == ["ann", "bob", "cid", "Dee"]
    assert names(db, s, in_array(u.created_at, [JAN, FEB])) == ["ann", "bob"]
    with pytest.raises(mizzle.QueryError, match="not a string"):
        in_array(u.name, "ann")


def test_in_and_not_in_with_subqueries(seeded: DB) -> None:
    db, s = seeded
    u = s.Users
    authors = select(s.Posts.author_id).from_(s.Posts)
    assert names(db, s, in_array(u.id, authors)) == ["ann", "bob"]
    assert names(db, s, not_in_array(u.id, authors)) == ["cid", "Dee"]
    bound = db.select(s.Posts.author_id).from_(s.Posts).where(gt(s.Posts.views, 7))
    assert names(db, s, in_array(u.id, bound)) == ["ann"]


def test_null_checks(seeded: DB) -> None:
    db, s = seeded
    assert names(db, s, is_null(s.Users.age)) == ["cid"]
    assert names(db, s, is_not_null(s.Users.score)) == ["ann", "cid", "Dee"]
    assert names(db, s, eq(s.Users.age, None)) == ["cid"]  # eq(col, None) means `is null` (not `= NULL`)


def test_like_and_not_like(seeded: DB) -> None:
    db, s = seeded
    u = s.Users
    assert names(db, s, like(u.email, "%@example.com")) == ["ann", "bob", "cid", "Dee"]
    assert names(db, s, like(u.name, "_n%")) == ["ann"]
    assert names(db, s, not_like(u.name, "%n%")) == ["bob", "cid", "Dee"]
    titles = db.select(s.Posts.title).from_(s.Posts).where(like(s.Posts.body, "100%")).all()
    assert titles == [("Bob's post",)]


def test_ilike_and_not_ilike(seeded: DB) -> None:
    db, s = seeded
    u = s.Users
    assert names(db, s, ilike(u.name, "dee")) == ["Dee"]
    assert names(db, s, ilike(u.name, "D%")) == ["Dee"]
    assert names(db, s, ilike(u.name, "ANN")) == ["ann"]
    assert names(db, s, not_ilike(u.name, "%E%")) == ["ann", "bob", "cid"]


def test_between_and_not_between(seeded: DB) -> None:
    db, s = seeded
    u = s.Users
    assert names(db, s, between(u.age, 25, 30)) == ["ann", "bob"]
    assert names(db, s, not_between(u.age, 25, 30)) == ["Dee"]
    assert names(db, s, between(u.created_at, JAN, FEB)) == ["ann", "bob"]


def test_exists_and_not_exists(seeded: DB) -> None:
    db, s = seeded
    has_posts = select(s.Posts.id).from_(s.Posts).where(eq(s.Posts.author_id, s.Users.id))
    assert names(db, s, exists(has_posts)) == ["ann", "bob"]
    assert names(db, s, not_exists(has_posts)) == ["cid", "Dee"]
    commented = db.select(sql("1")).from_(s.Comments).where(eq(s.Comments.user_id, s.Users.id))
    assert names(db, s, exists(commented)) == ["bob", "cid"]


def test_operators_render_values_as_parameters(seeded: DB) -> None:
    db, s = seeded
    u = s.Users
    cond = and_(eq(u.name, "ann"), in_array(u.id, [1, 2]), between(u.age, 1, 99), like(u.email, "%x%"))
    q = db.select(u.id).from_(u).where(cond)
    text, params = q.to_sql()
    for value in ("ann", "%x%"):
        assert value not in text
    assert list(params) == ["ann", 1, 2, 1, 99, "%x%"]
