"""Select result types: full rows, positional tuples, joins with optional sides, aggregates."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, assert_type

from typing_tables import Comments, Docs, Posts, Status, Users

from mizzle import (
    SQL,
    Column,
    Database,
    Field,
    PartialSelect,
    Selection,
    TableSelect,
    alias,
    and_,
    avg,
    coalesce,
    count,
    count_distinct,
    desc,
    eq,
    gt,
    max_,
    min_,
    nullable,
    select,
    sql,
    sum_,
)


def check_full_rows(db: Database) -> None:
    rows = db.select().from_(Users).all()
    assert_type(rows, list[Users])
    u = rows[0]
    assert_type(u.id, int)
    assert_type(u.name, str)
    assert_type(u.bio, str | None)
    assert_type(u.status, Status)
    assert_type(u.tags, list[str] | None)
    assert_type(u.admin, bool)
    assert_type(u.created_at, datetime)
    assert_type(u.score, float | None)
    assert_type(u.balance, Decimal | None)
    assert_type(u.avatar, bytes | None)
    assert_type(db.select().from_(Users).get(), Users | None)
    assert_type(db.select().from_(Users).one(), Users)
    assert_type(db.select_distinct().from_(Users).all(), list[Users])
    assert_type(db.select().from_(Users).values(), list[tuple[Any, ...]])


def check_clauses_keep_type(db: Database) -> None:
    q = (
        db.select()
        .from_(Users)
        .where(and_(eq(Users.status, "active"), gt(Users.id, 3)))
        .order_by(desc(Users.created_at))
        .limit(10)
        .offset(5)
    )
    assert_type(q, TableSelect[Users])
    p = db.select(Users.id).from_(Users).group_by(Users.id).having(gt(count(), 1)).order_by(Users.id)
    assert_type(p, PartialSelect[tuple[int]])


def check_dynamic_building(db: Database, name: str | None, limit: int | None) -> None:
    q = db.select().from_(Users)
    if name is not None:
        q = q.where(eq(Users.name, name))
    if limit is not None:
        q = q.limit(limit)
    assert_type(q.all(), list[Users])
    p = db.select(Users.id, Users.name).from_(Users)
    if name is not None:
        p = p.where(eq(Users.name, name))
    assert_type(p.all(), list[tuple[int, str]])


def check_positional(db: Database) -> None:
    assert_type(db.select(Users.id).from_(Users).all(), list[tuple[int]])
    assert_type(db.select(Users.id, Users.bio).from_(Users).all(), list[tuple[int, str | None]])
    assert_type(
        db.select(Users.id, Users.name, Users.created_at, Users.tags).from_(Users).one(),
        tuple[int, str, datetime, list[str] | None],
    )
    assert_type(db.select_distinct(Users.status).from_(Users).all(), list[tuple[Status]])
    # joins do not change a partial select's type
    assert_type(
        db.select(Users.name, Posts.title).from_(Users).inner_join(Posts, eq(Posts.author_id, Users.id)).all(),
        list[tuple[str, str]],
    )


def check_named_is_any(db: Database) -> None:
    # keyword selections are records typed Any; declare a Selection class to have them checked
    rows = db.select(n=Users.name, nested={"id": Users.id}).from_(Users).all()
    assert_type(rows, list[Any])


class Authors(Selection):
    name: Field[str]
    posts: Field[int]
    top_views: Field[int | None]


def check_named_selection(db: Database) -> None:
    sel = Authors(name=Users.name, posts=count(Posts.id), top_views=max_(Posts.views))
    q = db.select(sel).from_(Users).inner_join(Posts, eq(Posts.author_id, Users.id)).group_by(Users.name)
    assert_type(q, PartialSelect[Authors])
    rows = q.all()
    assert_type(rows, list[Authors])
    assert_type(rows[0].name, str)
    assert_type(rows[0].top_views, int | None)
    assert_type(db.select(sel).from_(Users).get(), Authors | None)
    rows[0].nmae  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]  # noqa: B018
    Authors(name=Users.name, posts=count())  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    Authors(name=Users.id, posts=count(), top_views=max_(Posts.views))  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    Authors(name=Users.name, posts=count(), top_views=max_(Posts.views), extra=Users.bio)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]


def check_outer_join_nullability(db: Database) -> None:
    on = eq(Posts.author_id, Users.id)
    rows = db.select(Users.name, nullable(Posts.title)).from_(Users).left_join(Posts, on).all()
    assert_type(rows, list[tuple[str, str | None]])
    assert_type(nullable(Users.bio), SQL[str | None])


def check_wide_positional(db: Database) -> None:
    u = Users
    row = db.select(u.id, u.name, u.bio, u.status, u.tags, u.admin, u.created_at, u.score, u.balance, u.avatar,
                    Posts.id, Posts.title, Posts.views, Posts.author_id, count(), u.name).from_(u).one()
    assert_type(row, tuple[int, str, str | None, Status, list[str] | None, bool, datetime, float | None,
                           Decimal | None, bytes | None, int, str, int | None, int, int, str])
    wider = db.select(u.id, u.id, u.id, u.id, u.id, u.id, u.id, u.id, u.id, u.id, u.id, u.id, u.id, u.id, u.id,
                      u.id, u.name).from_(u).one()
    assert_type(wider, tuple[Any, ...])


def check_any_in_column_type(db: Database) -> None:
    # a column whose type contains Any (json dict) keeps the positional tuple in both checkers
    rows = db.select(Docs.id, Docs.body).from_(Docs).all()
    assert_type(rows, list[tuple[int, dict[str, Any] | None]])
    ret = db.insert(Docs).values(id=1).returning(Docs.id, Docs.body).all()
    assert_type(ret, list[tuple[int, dict[str, Any] | None]])


def check_joins(db: Database) -> None:
    on = eq(Posts.author_id, Users.id)
    assert_type(db.select().from_(Users).inner_join(Posts, on).all(), list[tuple[Users, Posts]])
    assert_type(db.select().from_(Users).left_join(Posts, on).all(), list[tuple[Users, Posts | None]])
    assert_type(db.select().from_(Users).right_join(Posts, on).all(), list[tuple[Users | None, Posts]])
    assert_type(db.select().from_(Users).full_join(Posts, on).all(), list[tuple[Users | None, Posts | None]])
    assert_type(db.select().from_(Users).cross_join(Posts).all(), list[tuple[Users, Posts]])
    three = (
        db.select()
        .from_(Users)
        .left_join(Posts, on)
        .left_join(Comments, eq(Comments.post_id, Posts.id))
        .all()
    )
    assert_type(three, list[tuple[Users, Posts | None, Comments | None]])
    row = db.select().from_(Users).left_join(Posts, on).one()
    user, post = row
    assert_type(user, Users)
    assert_type(post, Posts | None)


def check_self_join(db: Database) -> None:
    Author = alias(Users, "author")
    rows = db.select().from_(Users).left_join(Author, eq(Author.id, Users.id)).all()
    assert_type(rows, list[tuple[Users, Users | None]])
    assert_type(Author.name, Column[str])  # alias() keeps the class and its column types


def check_aggregates(db: Database) -> None:
    assert_type(db.select(count()).from_(Users).one(), tuple[int])
    assert_type(db.select(count(Users.bio), count_distinct(Users.status)).from_(Users).one(), tuple[int, int])
    assert_type(db.select(sum_(Posts.views)).from_(Posts).one(), tuple[int | None])
    assert_type(db.select(avg(Posts.views)).from_(Posts).one(), tuple[float | None])
    assert_type(db.select(min_(Users.created_at), max_(Users.created_at)).from_(Users).one(),
                tuple[datetime | None, datetime | None])
    assert_type(db.select(coalesce(Users.bio, "none")).from_(Users).one(), tuple[str])
    assert_type(db.count(Users), int)
    assert_type(db.count(Users, eq(Users.admin, True)), int)


def check_raw_sql_typed(db: Database) -> None:
    assert_type(sql[int]("1 + 1"), SQL[int])
    assert_type(db.select(sql[int]("count(*)"), Users.name).from_(Users).all(), list[tuple[int, str]])
    assert_type(db.select(sql("lower({})", Users.name).map_with(str)).from_(Users).all(), list[tuple[str]])
    assert_type(db.select(Users.id.as_("uid")).from_(Users).all(), list[tuple[int]])


def check_subqueries_and_ctes(db: Database) -> None:
    sq = db.select(Posts.author_id, count().as_("n")).from_(Posts).group_by(Posts.author_id).as_("sq")
    rows = db.select(Users.name).from_(Users).inner_join(sq, eq(sq.author_id, Users.id)).all()
    assert_type(rows, list[tuple[str]])
    inner = select(Posts.author_id).from_(Posts)
    assert_type(inner, PartialSelect[tuple[int]])
    c = db.select().from_(Users).where(eq(Users.admin, True)).as_cte("admins")
    assert_type(db.with_(c).select().from_(Users).all(), list[Users])


def check_set_ops(db: Database) -> None:
    a = db.select(Users.name).from_(Users)
    b = db.select(Posts.title).from_(Posts)
    assert_type(a.union(b).all(), list[tuple[str]])
    assert_type(a.union_all(b).intersect(b).except_(b).all(), list[tuple[str]])
