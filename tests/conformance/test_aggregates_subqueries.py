"""Aggregates, GROUP BY / HAVING, db.count, subqueries, CTEs and set operations on every dialect."""

from __future__ import annotations

from typing import Any

import pytest
from seed_data import JAN, MAR, seed

import mizzle
from mizzle import (
    avg,
    count,
    count_distinct,
    cte,
    desc,
    eq,
    gt,
    gte,
    in_array,
    is_not_null,
    lt,
    max_,
    min_,
    select,
    sql,
    sum_,
)

DB = tuple[mizzle.Database, Any]


@pytest.fixture
def seeded(dialect_db: DB) -> DB:
    db, s = dialect_db
    seed(db, s)
    return db, s


def test_aggregates(seeded: DB) -> None:
    db, s = seeded
    u = s.Users
    row = db.select(count(), count(u.age), count_distinct(u.active), sum_(u.age), avg(u.age), min_(u.age),
                    max_(u.age)).from_(u).one()
    assert row[:4] == (4, 3, 2, 96)
    assert row[4] == pytest.approx(32.0)
    assert row[5:] == (25, 41)
    assert all(type(v) is int for v in row[:4] + row[5:])
    assert type(row[4]) is float


def test_aggregates_over_no_rows(seeded: DB) -> None:
    db, s = seeded
    u = s.Users
    row = db.select(count(), sum_(u.age), avg(u.age), min_(u.created_at)).from_(u).where(eq(u.id, 99)).one()
    assert row == (0, None, None, None)


def test_min_max_of_a_timestamp_decode_to_datetime(seeded: DB) -> None:
    db, s = seeded
    lo, hi = db.select(min_(s.Users.created_at), max_(s.Users.created_at)).from_(s.Users).one()
    assert (lo, hi) == (JAN, MAR)


def test_sum_of_a_float_column(seeded: DB) -> None:
    db, s = seeded
    (total,) = db.select(sum_(s.Users.score)).from_(s.Users).one()
    assert total == pytest.approx(7.0)


def test_db_count(seeded: DB) -> None:
    db, s = seeded
    assert db.count(s.Users) == 4
    assert db.count(s.Users, eq(s.Users.active, True)) == 3
    assert db.count(s.Users, eq(s.Users.id, 99)) == 0
    assert db.count(s.KeyValues) == 0


def test_group_by_having_order_limit(seeded: DB) -> None:
    db, s = seeded
    p = s.Posts
    rows = db.select(p.author_id, count(), sum_(p.views)).from_(p).group_by(p.author_id).order_by(p.author_id).all()
    assert rows == [(1, 2, 15), (2, 1, 0)]
    many = db.select(p.author_id).from_(p).group_by(p.author_id).having(gt(count(), 1)).all()
    assert many == [(1,)]
    top = (
        db.select(s.Users.name, count(s.Comments.id).as_("n"))
        .from_(s.Users)
        .left_join(s.Comments, eq(s.Comments.user_id, s.Users.id))
        .group_by(s.Users.id, s.Users.name)
        .order_by(desc(count(s.Comments.id)), s.Users.id)
        .limit(3)
        .all()
    )
    assert top == [("bob", 1), ("cid", 1), ("ann", 0)]


def test_named_aggregate_select(seeded: DB) -> None:
    db, s = seeded
    rows = (
        db.select(tag=s.Tags.name, posts=count(s.PostTags.post_id))
        .from_(s.Tags)
        .left_join(s.PostTags, eq(s.PostTags.tag_id, s.Tags.id))
        .group_by(s.Tags.id, s.Tags.name)
        .order_by(s.Tags.id)
        .all()
    )
    assert [(r.tag, r.posts) for r in rows] == [("python", 1), ("sql", 2), ("unused", 0)]


def test_subquery_as_a_source(seeded: DB) -> None:
    db, s = seeded
    p = s.Posts
    per_author = db.select(p.author_id, count().as_("n"), sum_(p.views).as_("total")).from_(p).group_by(
        p.author_id
    ).as_("per_author")
    rows = (
        db.select(s.Users.name, per_author.n, per_author.total)
        .from_(s.Users)
        .inner_join(per_author, eq(per_author.author_id, s.Users.id))
        .order_by(s.Users.id)
        .all()
    )
    assert rows == [("ann", 2, 15), ("bob", 1, 0)]
    # select everything from a subquery, filter on its fields
    busy = db.select().from_(per_author).where(gte(per_author.n, 2)).all()
    assert [(r.author_id, r.n) for r in busy] == [(1, 2)]
    assert db.count(per_author) == 2


def test_subquery_of_full_rows_keeps_modes(seeded: DB) -> None:
    db, s = seeded
    recent = db.select().from_(s.Users).where(is_not_null(s.Users.created_at)).as_("recent")
    rows = db.select(recent.name, recent.created_at, recent.active).from_(recent).order_by(recent.id).all()
    assert rows[0] == ("ann", JAN, True)
    full = db.select().from_(recent).order_by(desc(recent.id)).all()
    assert full[0].name == "Dee" and full[0].created_at == MAR


def test_subqueries_in_expressions(seeded: DB) -> None:
    db, s = seeded
    max_views = select(max_(s.Posts.views)).from_(s.Posts)
    rows = db.select(s.Posts.title).from_(s.Posts).where(eq(s.Posts.views, max_views)).all()
    assert rows == [("Hello",)]
    comment_count = select(count()).from_(s.Comments).where(eq(s.Comments.post_id, s.Posts.id))
    # a scalar subquery in the selection: wrap it in a typed fragment
    counted = db.select(s.Posts.title, sql[int]("{}", comment_count).as_("c")).from_(s.Posts).order_by(
        s.Posts.id
    ).all()
    assert [tuple(r) for r in counted] == [("Hello", 2), ("World", 0), ("Bob's post", 1)]


def test_ctes(seeded: DB) -> None:
    db, s = seeded
    active = cte("active_users", db.select().from_(s.Users).where(eq(s.Users.active, True)))
    rows = db.with_(active).select(active.name).from_(active).order_by(active.id).all()
    assert rows == [("ann",), ("cid",), ("Dee",)]
    popular = db.select(s.Posts.author_id, s.Posts.views).from_(s.Posts).where(gt(s.Posts.views, 1)).as_cte("popular")
    joined = (
        db.with_(active, popular)
        .select(active.name, popular.views)
        .from_(active)
        .inner_join(popular, eq(popular.author_id, active.id))
        .order_by(desc(popular.views))
        .all()
    )
    assert joined == [("ann", 10), ("ann", 5)]
    full = db.with_(active).select().from_(active).where(lt(active.id, 3)).all()
    assert [u.name for u in full] == ["ann"]
    assert full[0].active is True


def test_set_operations(seeded: DB) -> None:
    db, s = seeded
    commenters = db.select(s.Comments.user_id).from_(s.Comments).where(is_not_null(s.Comments.user_id))
    authors = db.select(s.Posts.author_id).from_(s.Posts)
    assert sorted(authors.union(commenters).all()) == [(1,), (2,), (3,)]
    assert sorted(authors.union_all(commenters).all()) == [(1,), (1,), (2,), (2,), (3,)]
    assert sorted(authors.intersect(commenters).all()) == [(2,)]
    assert sorted(authors.except_(commenters).all()) == [(1,)]
    three = authors.union(commenters).union(db.select(s.Users.id).from_(s.Users).where(eq(s.Users.id, 4)))
    assert sorted(three.all()) == [(1,), (2,), (3,), (4,)]


def test_set_operation_with_order_and_limit(seeded: DB) -> None:
    db, s = seeded
    a = db.select(s.Users.name).from_(s.Users).where(lt(s.Users.id, 3))
    b = db.select(s.Tags.name).from_(s.Tags)
    rows = a.union(b).order_by(s.Users.name).limit(3).all()
    assert rows == [("ann",), ("bob",), ("python",)]


def test_in_array_with_a_grouped_subquery(seeded: DB) -> None:
    db, s = seeded
    prolific = select(s.Posts.author_id).from_(s.Posts).group_by(s.Posts.author_id).having(gt(count(), 1))
    assert db.select(s.Users.name).from_(s.Users).where(in_array(s.Users.id, prolific)).all() == [("ann",)]
