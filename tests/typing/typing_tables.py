"""Tables shared by the typing tests (checked by pyright and mypy; see README.md)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from mizzle import Many, One, many, one
from mizzle.sqlite import Column, Table, blob, integer, numeric, real, text

Status = Literal["active", "banned"]


class Users(Table, name="typing_users"):
    id: Column[int] = integer().primary_key(autoincrement=True)
    name: Column[str] = text().not_null()
    bio: Column[str | None] = text()
    status: Column[Status] = text(enum=("active", "banned")).not_null().default("active")
    tags: Column[list[str] | None] = text(mode="json")
    admin: Column[bool] = integer(mode="boolean").not_null().default(False)
    created_at: Column[datetime] = integer(mode="timestamp").not_null().default_fn(datetime.now)
    score: Column[float | None] = real()
    balance: Column[Decimal | None] = numeric(mode="decimal")
    avatar: Column[bytes | None] = blob()
    posts: Many[Posts] = many()


class Posts(Table, name="typing_posts"):
    id: Column[int] = integer().primary_key(autoincrement=True)
    author_id: Column[int] = integer().not_null().references(lambda: Users.id)
    title: Column[str] = text().not_null()
    views: Column[int | None] = integer()
    author: One[Users] = one()
    comments: Many[Comments] = many()


class Comments(Table, name="typing_comments"):
    id: Column[int] = integer().primary_key(autoincrement=True)
    post_id: Column[int] = integer().not_null().references(lambda: Posts.id)
    body: Column[str] = text().not_null()
    post: One[Posts] = one()


class Docs(Table, name="typing_docs"):
    id: Column[int] = integer().primary_key()
    body: Column[dict[str, Any] | None] = text(mode="json")


class Lines(Table, name="typing_lines"):
    id: Column[int] = integer().primary_key()
    quantity: Column[int] = integer().not_null()
    unit_price: Column[Decimal] = numeric(mode="decimal").not_null()
    discount: Column[float | None] = real()
    weight: Column[float] = real().not_null()
    note: Column[str | None] = text()
