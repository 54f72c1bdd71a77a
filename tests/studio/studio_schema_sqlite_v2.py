"""The studio test schema on SQLite, version 2: an index on users.name (a pending migration in the e2e tests)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from mizzle import relations
from mizzle.sqlite import Column, Table, blob, index, integer, real, text


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class Users(Table, name="users"):
    id: Column[int] = integer().primary_key(autoincrement=True)
    name: Column[str] = text().not_null()
    email: Column[str] = text().not_null().unique()
    role: Column[Literal["admin", "member"]] = text(enum=("admin", "member")).not_null().default("member")
    active: Column[bool] = integer(mode="boolean").not_null().default(True)
    profile: Column[Any] = text(mode="json")
    score: Column[float | None] = real()
    avatar: Column[bytes | None] = blob()
    created_at: Column[datetime] = integer(mode="timestamp").not_null().default_fn(now)
    __constraints__ = (index("users_name_idx").on(name),)


class Posts(Table, name="posts"):
    id: Column[int] = integer().primary_key(autoincrement=True)
    author_id: Column[int] = integer().not_null().references(lambda: Users.id, on_delete="cascade")
    title: Column[str] = text().not_null()
    body: Column[str | None] = text()
    __constraints__ = (index("posts_author_idx").on(author_id),)


class Comments(Table, name="comments"):
    id: Column[int] = integer().primary_key(autoincrement=True)
    post_id: Column[int] = integer().not_null().references(lambda: Posts.id, on_delete="cascade")
    body: Column[str] = text().not_null()


relations(Users, lambda r: {"posts": r.many(Posts)})
relations(Posts, lambda r: {"author": r.one(Users, fields=[Posts.author_id], references=[Users.id]),
                            "comments": r.many(Comments)})

TABLES: list[type[Table]] = [Users, Posts, Comments]
