"""The studio test schema on PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from mizzle import relations
from mizzle.postgres import (
    Column,
    Table,
    boolean,
    bytea,
    double_precision,
    index,
    integer,
    jsonb,
    serial,
    text,
    timestamptz,
    varchar,
)
from mizzle.sql.chunks import sql


class Users(Table, name="users"):
    id: Column[int] = serial().primary_key()
    name: Column[str] = text().not_null()
    email: Column[str] = varchar(length=200).not_null().unique()
    role: Column[Literal["admin", "member"]] = text(enum=("admin", "member")).not_null().default("member")
    active: Column[bool] = boolean().not_null().default(True)
    profile: Column[Any] = jsonb()
    score: Column[float | None] = double_precision()
    avatar: Column[bytes | None] = bytea()
    created_at: Column[datetime] = timestamptz().not_null().default(sql("now()"))


class Posts(Table, name="posts"):
    id: Column[int] = serial().primary_key()
    author_id: Column[int] = integer().not_null().references(lambda: Users.id, on_delete="cascade")
    title: Column[str] = text().not_null()
    body: Column[str | None] = text()
    __constraints__ = (index("posts_author_idx").on(author_id),)


class Comments(Table, name="comments"):
    id: Column[int] = serial().primary_key()
    post_id: Column[int] = integer().not_null().references(lambda: Posts.id, on_delete="cascade")
    body: Column[str] = text().not_null()


relations(Users, lambda r: {"posts": r.many(Posts)})
relations(Posts, lambda r: {"author": r.one(Users, fields=[Posts.author_id], references=[Users.id]),
                            "comments": r.many(Comments)})

TABLES: list[type[Table]] = [Users, Posts, Comments]
