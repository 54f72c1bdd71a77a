"""SELECT on every dialect: full rows, partial selects, distinct, joins, ordering, grouping, paging."""

from __future__ import annotations

from typing import Any

import pytest
from seed_data import FEB, JAN, MAR, seed

import mizzle
from mizzle import QueryError, alias, and_, asc, desc, eq, gt, is_null, nullable, sql

DB = tuple[mizzle.Database, Any]


@pytest.fixture
def seeded(dialect_db: DB) -> DB:
    db, s = dialect_db
    seed(db, s)
    return db, s


def test_full_row_select_returns_table_objects(seeded: DB) -> None:
    db, s = seeded
    users = db.select().from_(s.Users).order_by(s.Users.id).all()
    assert [u.name for u in users] == ["ann", "bob", "cid", "Dee"]
    ann = users[0]
    assert isinstance(ann, s.Users)
    assert (ann.id, ann.email, ann.age, ann.active, ann.score, ann.created_at) == (
        1, "ann@example.com", 30, True, 1.5, JAN,
    )
    assert users[1].active is False and users[1].score is None
    assert users[2].age is None and users[2].created_at is None
    assert ann._asdict()["name"] == "ann"


def test_get_one_and_values(seeded: DB) -> None:
    db, s = seeded
    assert db.select().from_(s.Users).where(eq(s.Users.id, 99)).get() is None
    assert db.select().from_(s.Users).where(eq(s.Users.id, 2)).one().name == "bob"
    with pytest.raises(mizzle.NoResultError):
        db.select().from_(s.Users).where(eq(s.Users.id, 99)).one()
    with pytest.raises(mizzle.MultipleResultsError):
        db.select().from_(s.Users).one()
    assert db.select(s.Users.id, s.Users.active).from_(s.Users).order_by(s.Users.id).values() == [
        (1, True), (2, False), (3, True), (4, True),
    ]


def test_partial_positional_select_gives_tuples(seeded: DB) -> None:
    db, s = seeded
    rows = db.select(s.Users.name, s.Users.created_at).from_(s.Users).order_by(s.Users.id).all()
    assert rows == [("ann", JAN), ("bob", FEB), ("cid", None), ("Dee", MAR)]
    assert all(type(r) is tuple for r in rows)


def test_partial_named_select_gives_records_with_nested_objects(seeded: DB) -> None:
    db, s = seeded
    rows = (
        db.select(title=s.Posts.title, author={"name": s.Users.name, "contact": {"email": s.Users.email}})
        .from_(s.Posts)
        .inner_join(s.Users, eq(s.Users.id, s.Posts.author_id))
        .order_by(s.Posts.id)
        .all()
    )
    assert [r.title for r in rows] == ["Hello", "World", "Bob's post"]
    assert rows[2].author.name == "bob"
    assert rows[2].author.contact.email == "bob@example.com"
    assert rows[0]._asdict()["title"] == "Hello"
    with pytest.raises(AttributeError, match="no field 'nope'"):
        _ = rows[0].nope


def test_named_select_decodes_modes(seeded: DB) -> None:
    db, s = seeded
    row = db.select(meta=s.Posts.meta, when={"at": s.Users.created_at}).from_(s.Posts).inner_join(
        s.Users, eq(s.Users.id, s.Posts.author_id)
    ).where(eq(s.Posts.id, 1)).one()
    assert row.meta == {"lang": "en"}
    assert row.when.at == JAN


def test_select_distinct(seeded: DB) -> None:
    db, s = seeded
    authors = db.select_distinct(s.Posts.author_id).from_(s.Posts).order_by(s.Posts.author_id).all()
    assert authors == [(1,), (2,)]
    full = db.select_distinct().from_(s.PostTags).where(eq(s.PostTags.tag_id, 2)).all()
    assert sorted((r.post_id, r.tag_id) for r in full) == [(1, 2), (2, 2)]


def test_inner_and_left_join_full_rows(seeded: DB) -> None:
    db, s = seeded
    inner = (
        db.select().from_(s.Users).inner_join(s.Posts, eq(s.Posts.author_id, s.Users.id))
        .order_by(s.Posts.id).all()
    )
    assert [(u.name, p.title) for u, p in inner] == [("ann", "Hello"), ("ann", "World"), ("bob", "Bob's post")]
    left = (
        db.select().from_(s.Users).left_join(s.Posts, eq(s.Posts.author_id, s.Users.id))
        .order_by(s.Users.id, s.Posts.id).all()
    )
    assert [(u.name, p.title if p else None) for u, p in left] == [
        ("ann", "Hello"), ("ann", "World"), ("bob", "Bob's post"), ("cid", None), ("Dee", None),
    ]
    assert isinstance(left[0][1], s.Posts)
    assert left[3][1] is None


def test_left_join_of_a_row_whose_nullable_columns_are_null_is_not_none(seeded: DB) -> None:
    db, s = seeded
    rows = (
        db.select().from_(s.Comments).left_join(s.Users, eq(s.Users.id, s.Comments.user_id))
        .order_by(s.Comments.id).all()
    )
    assert [(c.body, u.name if u else None) for c, u in rows] == [("nice", "bob"), ("ok", "cid"), ("anon", None)]
    # cid has NULL age/created_at but is still a row, not None
    assert rows[1][1] is not None and rows[1][1].age is None


def test_three_way_left_join(seeded: DB) -> None:
    db, s = seeded
    rows = (
        db.select().from_(s.Users)
        .left_join(s.Posts, eq(s.Posts.author_id, s.Users.id))
        .left_join(s.Comments, eq(s.Comments.post_id, s.Posts.id))
        .where(eq(s.Users.id, 1))
        .order_by(s.Posts.id, s.Comments.id).all()
    )
    assert [(p.title if p else None, c.body if c else None) for _, p, c in rows] == [
        ("Hello", "nice"), ("Hello", "ok"), ("World", None),
    ]


def test_right_join(seeded: DB) -> None:
    db, s = seeded
    if not db.dialect.caps.right_join:
        pytest.skip("no RIGHT JOIN")
    rows = (
        db.select().from_(s.Comments).right_join(s.Users, eq(s.Users.id, s.Comments.user_id))
        .order_by(s.Users.id, s.Comments.id).all()
    )
    assert [(c.body if c else None, u.name) for c, u in rows] == [
        (None, "ann"), ("nice", "bob"), ("ok", "cid"), (None, "Dee"),
    ]


def test_full_join(seeded: DB) -> None:
    db, s = seeded
    if not db.dialect.caps.full_join:
        pytest.skip("no FULL JOIN")
    rows = db.select().from_(s.Comments).full_join(s.Users, eq(s.Users.id, s.Comments.user_id)).all()
    pairs = sorted(((c.body if c else ""), (u.name if u else "")) for c, u in rows)
    assert pairs == [("", "Dee"), ("", "ann"), ("anon", ""), ("nice", "bob"), ("ok", "cid")]


def test_cross_join(seeded: DB) -> None:
    db, s = seeded
    rows = db.select(s.Users.name, s.Tags.name).from_(s.Users).cross_join(s.Tags).all()
    assert len(rows) == 12
    assert ("cid", "sql") in rows
    full = db.select().from_(s.Tags).cross_join(s.KeyValues).all()
    assert full == []


def test_partial_select_with_left_join_gives_none_for_unmatched(seeded: DB) -> None:
    db, s = seeded
    rows = (
        db.select(s.Users.name, nullable(s.Posts.title)).from_(s.Users)
        .left_join(s.Posts, eq(s.Posts.author_id, s.Users.id))
        .where(gt(s.Users.id, 2)).order_by(s.Users.id).all()
    )
    assert rows == [("cid", None), ("Dee", None)]
    # selected bare, Posts.title (NOT NULL, typed str) would read None: refused, naming the fix
    bare = db.select(s.Users.name, s.Posts.title).from_(s.Users).left_join(s.Posts, eq(s.Posts.author_id, s.Users.id))
    with pytest.raises(QueryError, match=r"Posts\.title \('title'\) is NOT NULL .* left join .* nullable\(Posts\.title\)"):
        bare.all()
    named = db.select(who=s.Users.name, what=s.Posts.title).from_(s.Users).right_join(
        s.Posts, eq(s.Posts.author_id, s.Users.id))
    with pytest.raises(QueryError, match=r"Users\.name \('who'\) is NOT NULL"):
        named.to_sql()


def test_self_join_via_alias(seeded: DB) -> None:
    db, s = seeded
    other = alias(s.Users, "other")
    # pairs of users where the other one is older
    rows = (
        db.select(s.Users.name, other.name).from_(s.Users)
        .inner_join(other, gt(other.age, s.Users.age))
        .order_by(s.Users.name, other.name).all()
    )
    assert sorted(rows) == sorted([("ann", "Dee"), ("bob", "Dee"), ("bob", "ann")])
    full = db.select().from_(s.Users).left_join(other, eq(other.id, s.Users.id)).where(eq(s.Users.id, 3)).one()
    me, same = full
    assert same is not None and me.id == same.id == 3
    assert isinstance(same, s.Users)


def test_order_by_asc_desc_and_multiple_keys(seeded: DB) -> None:
    db, s = seeded
    by_views = db.select(s.Posts.title).from_(s.Posts).order_by(desc(s.Posts.views)).all()
    assert by_views == [("Hello",), ("World",), ("Bob's post",)]
    by_author = db.select(s.Posts.id).from_(s.Posts).order_by(asc(s.Posts.author_id), desc(s.Posts.id)).all()
    assert by_author == [(2,), (1,), (3,)]
    assert db.select(s.Posts.id).from_(s.Posts).order_by(s.Posts.views.desc()).all() == [(1,), (2,), (3,)]


def test_order_by_nulls_first_and_last(seeded: DB) -> None:
    db, s = seeded
    q = db.select(s.Users.name).from_(s.Users)
    assert q.order_by(asc(s.Users.age).nulls_first()).all() == [("cid",), ("bob",), ("ann",), ("Dee",)]
    assert q.order_by(asc(s.Users.age).nulls_last()).all() == [("bob",), ("ann",), ("Dee",), ("cid",)]
    assert q.order_by(desc(s.Users.age).nulls_first()).all() == [("cid",), ("Dee",), ("ann",), ("bob",)]
    assert q.order_by(desc(s.Users.age).nulls_last()).all() == [("Dee",), ("ann",), ("bob",), ("cid",)]


def test_limit_and_offset(seeded: DB) -> None:
    db, s = seeded
    q = db.select(s.Users.id).from_(s.Users).order_by(s.Users.id)
    assert q.limit(2).all() == [(1,), (2,)]
    assert q.limit(2).offset(1).all() == [(2,), (3,)]
    assert q.offset(3).all() == [(4,)]
    assert q.limit(0).all() == []


def test_where_replaces_and_none_means_no_filter(seeded: DB) -> None:
    db, s = seeded
    q = db.select(s.Users.id).from_(s.Users).order_by(s.Users.id)
    assert q.where(eq(s.Users.id, 1)).where(eq(s.Users.id, 2)).all() == [(2,)]
    assert len(q.where(None).all()) == 4


def test_builders_are_immutable(seeded: DB) -> None:
    db, s = seeded
    base = db.select(s.Users.id).from_(s.Users)
    filtered = base.where(eq(s.Users.active, False))
    limited = base.order_by(s.Users.id).limit(1)
    assert len(base.all()) == 4
    assert filtered.all() == [(2,)]
    assert limited.all() == [(1,)]
    assert base.to_sql().sql != filtered.to_sql().sql


def test_dynamic_query_building(seeded: DB) -> None:
    db, s = seeded

    def search(name: str | None = None, min_age: int | None = None, only_active: bool = False,
               newest_first: bool = False, page: int | None = None) -> list[str]:
        q = db.select().from_(s.Users)
        q = q.where(and_(
            eq(s.Users.name, name) if name is not None else None,
            gt(s.Users.age, min_age) if min_age is not None else None,
            eq(s.Users.active, True) if only_active else None,
        ))
        q = q.order_by(desc(s.Users.id) if newest_first else asc(s.Users.id))
        if page is not None:
            q = q.limit(2).offset(page * 2)
        return [u.name for u in q.all()]

    assert search() == ["ann", "bob", "cid", "Dee"]
    assert search(min_age=26) == ["ann", "Dee"]
    assert search(min_age=20, only_active=True, newest_first=True) == ["Dee", "ann"]
    assert search(name="bob") == ["bob"]
    assert search(page=1) == ["cid", "Dee"]


def test_raw_sql_in_selection_and_where(seeded: DB) -> None:
    db, s = seeded
    rows = (
        db.select(s.Users.name, sql[int]("{} * 2", s.Users.age).as_("double"))
        .from_(s.Users)
        .where(sql("{} > {}", s.Users.age, 26))
        .order_by(s.Users.id)
        .all()
    )
    assert rows == [("ann", 60), ("Dee", 82)]
    upper = db.select(sql("upper({})", s.Users.name).map_with(lambda v: f"<{v}>")).from_(s.Users).where(
        eq(s.Users.id, 1)
    ).one()
    assert upper == ("<ANN>",)
    assert db.select(sql[int]("1 + 1")).get() == (2,)


def test_null_checks_in_where(seeded: DB) -> None:
    db, s = seeded
    assert db.select(s.Users.name).from_(s.Users).where(is_null(s.Users.age)).all() == [("cid",)]


def test_repeated_selects_reuse_cached_sql_with_their_own_values(dialect_db: DB) -> None:
    db, s = dialect_db
    seed(db, s)
    cache = db.dialect._query_cache

    def by_name(name: str) -> Any:
        return db.select(s.Users.id).from_(s.Users).where(eq(s.Users.name, name)).order_by(s.Users.id).limit(5)

    assert by_name("ann").all() == [(1,)]
    size = len(cache)
    assert [by_name(n).all() for n in ("bob", "cid", "nobody")] == [[(2,)], [(3,)], []]
    assert len(cache) == size  # one cached text served every value, on every dialect
    assert by_name("x").compile(db.dialect).query.sql in cache.values()
