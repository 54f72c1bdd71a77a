"""The studio test schema on MariaDB/MySQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from mizzle import relations
from mizzle.mysql import Column, Table, blob, boolean, double, index, int_, json_, text, timestamp, varchar


class Users(Table, name="users"):
    id: Column[int] = int_().primary_key(autoincrement=True)
    name: Column[str] = varchar(length=200).not_null()
    email: Column[str] = varchar(length=200).not_null().unique()
    role: Column[Literal["admin", "member"]] = varchar(length=20, enum=("admin", "member")).not_null().default("member")
    active: Column[bool] = boolean().not_null().default(True)
    profile: Column[Any] = json_()
    score: Column[float | None] = double()
    avatar: Column[bytes | None] = blob()
    created_at: Column[datetime] = timestamp().not_null().default_now()


class Posts(Table, name="posts"):
    id: Column[int] = int_().primary_key(autoincrement=True)
    author_id: Column[int] = int_().not_null().references(lambda: Users.id, on_delete="cascade")
    title: Column[str] = varchar(length=200).not_null()
    body: Column[str | None] = text()
    __constraints__ = (index("posts_author_idx").on(author_id),)


class Comments(Table, name="comments"):
    id: Column[int] = int_().primary_key(autoincrement=True)
    post_id: Column[int] = int_().not_null().references(lambda: Posts.id, on_delete="cascade")
    body: Column[str] = text().not_null()


relations(Users, lambda r: {"posts": r.many(Posts)})
relations(Posts, lambda r: {"author": r.one(Users, fields=[Posts.author_id], references=[Users.id]),
                            "comments": r.many(Comments)})

TABLES: list[type[Table]] = [Users, Posts, Comments]
