"""Relational query result types: relations declared on the table class are typed at every depth."""

from __future__ import annotations

from typing import Any, assert_type

from typing_tables import Comments, Posts, Users

from mizzle import Many, One, eq, has, placeholder, sql
from mizzle.relations import FindFirst, FindMany, TableQueries
from mizzle.session.aio import AsyncDatabase
from mizzle.session.aio_types import AsyncFindFirst, AsyncFindMany, AsyncTableQueries
from mizzle.session.sync import Database, Prepared


def check_sync(db: Database) -> None:
    users = db.query(Users)
    assert_type(users, TableQueries[Users])
    q = users.find_many(with_={"posts": {"order_by": Posts.id, "limit": 3}}, where=has(Users, "posts"))
    assert_type(q, FindMany[Users])
    rows = q.all()
    assert_type(rows, list[Users])
    assert_type(rows[0].name, str)
    assert_type(rows[0].posts, list[Posts])
    assert_type(rows[0].posts[0].title, str)
    assert_type(q.execute(), list[Users])
    first = users.find_first(where=eq(Users.id, 1), extras={"n": sql[int]("1")})
    assert_type(first, FindFirst[Users])
    assert_type(first.get(), Users | None)
    assert_type(first.execute(), Users | None)
    prepared = users.find_first(where=eq(Users.id, placeholder("id"))).prepare()
    assert_type(prepared, Prepared[Users])
    p: Prepared[Users] = prepared
    assert_type(p.get(id=1), Users | None)
    assert_type(db.query.typing_users, TableQueries[Any])


def check_nested(db: Database) -> None:
    c = db.query(Comments).find_first(with_={"post": {"with_": {"author": True, "comments": True}}}).get()
    assert c is not None
    assert_type(c.post, Posts)
    assert_type(c.post.author, Users)
    assert_type(c.post.author.bio, str | None)
    assert_type(c.post.comments, list[Comments])
    assert_type(Users.posts, Many[Posts])
    assert_type(Comments.post, One[Posts])
    c.post.titel  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]  # noqa: B018
    c.post.author.posts[0].views = "x"  # type: ignore[assignment]  # pyright: ignore[reportAttributeAccessIssue]


def check_relation_not_in_constructor() -> None:
    Users(name="a")
    Users(name="a", posts=[])  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]


async def check_async(adb: AsyncDatabase) -> None:
    users = adb.query(Users)
    assert_type(users, AsyncTableQueries[Users])
    q = users.find_many(with_={"posts": {"with_": {"comments": True}}})
    assert_type(q, AsyncFindMany[Users])
    rows = await q.all()
    assert_type(rows, list[Users])
    assert_type(rows[0].posts[0].comments[0].body, str)
    assert_type(await q, list[Users])
    assert_type(await q.execute(), list[Users])
    f = users.find_first(where=eq(Users.id, 1))
    assert_type(f, AsyncFindFirst[Users])
    assert_type(await f, Users | None)
    assert_type(await f.get(), Users | None)
    assert_type(adb.query.typing_users, AsyncTableQueries[Any])
