"""Relational query result types: relations declared on the table class are typed at every depth."""

from __future__ import annotations

from typing import Any, assert_type

from typing_tables import Comments, Posts, Users

from mizzle import SQL, Load, RelationRef, eq, has, placeholder, sql
from mizzle.relations import FindFirst, FindMany, TableQueries
from mizzle.session.aio import AsyncDatabase
from mizzle.session.aio_types import AsyncFindFirst, AsyncFindMany, AsyncTableQueries
from mizzle.session.sync import Database, Prepared


def check_sync(db: Database) -> None:
    users = db.query(Users)
    assert_type(users, TableQueries[Users])
    q = users.find_many(with_=[Users.posts.load(order_by=Posts.id, limit=3)], where=has(Users, "posts"))
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
    c = db.query(Comments).find_first(with_=[Comments.post.load(with_=[Posts.author, Posts.comments])]).get()
    assert c is not None
    assert_type(c.post, Posts)
    assert_type(c.post.author, Users)
    assert_type(c.post.author.bio, str | None)
    assert_type(c.post.comments, list[Comments])
    assert_type(Users.posts, RelationRef[Users, Posts])
    assert_type(Comments.post, RelationRef[Comments, Posts])
    c.post.titel  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]  # noqa: B018
    c.post.author.posts[0].views = "x"  # type: ignore[assignment]  # pyright: ignore[reportAttributeAccessIssue]


def check_relation_not_in_constructor() -> None:
    Users(name="a")
    Users(name="a", posts=[])  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]


async def check_async(adb: AsyncDatabase) -> None:
    users = adb.query(Users)
    assert_type(users, AsyncTableQueries[Users])
    q = users.find_many(with_=[Users.posts.load(with_=[Posts.comments])], columns=[Users.id, Users.name])
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


def check_keys_checked(db: Database) -> None:
    """with_ and columns take the relation and column objects: typos and other tables' relations are errors."""
    users = db.query(Users)
    ok = users.find_many(with_=[Users.posts], columns=[Users.id, Users.name]).all()
    assert_type(ok, list[Users])
    assert_type(users.find_first(columns={Users.bio: False, Users.avatar: False}).get(), Users | None)
    load = Users.posts.load(columns=[Posts.title], with_=[Posts.author.load(columns=[Users.name])], limit=2)
    assert_type(load, Load[Users])
    users.find_many(with_=[Users.sesions])  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType, reportUnknownArgumentType]
    users.find_many(with_=[Posts.comments])  # type: ignore[list-item]  # pyright: ignore[reportArgumentType]
    users.find_many(with_=[Users.posts.load(with_=[Users.posts])])  # type: ignore[list-item]  # pyright: ignore[reportArgumentType]
    users.find_many(columns=[Users.emial])  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType, reportUnknownArgumentType]
    users.find_many(with_={"sesions": True})  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    users.find_many(columns={"emial": True})  # type: ignore[dict-item]  # pyright: ignore[reportArgumentType]


async def check_keys_checked_async(adb: AsyncDatabase) -> None:
    users = adb.query(Users)
    rows = await users.find_many(with_=[Users.posts.load(with_=[Posts.comments])], columns=[Users.name]).all()
    assert_type(rows, list[Users])
    first = await users.find_first(with_=[Users.posts]).get()
    assert_type(first, Users | None)
    users.find_many(with_=[Comments.post])  # type: ignore[list-item]  # pyright: ignore[reportArgumentType]
    users.find_many(with_={"posts": True})  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    users.find_many(columns=[Users.emial])  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType, reportUnknownArgumentType]


def check_has(db: Database) -> None:
    assert_type(has(Users.posts, has(Posts.comments)), SQL[bool])
    db.query(Users).find_many(where=has(Users.posts, eq(Posts.title, "x")))
    has(Users.psots)  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType, reportUnknownArgumentType]
