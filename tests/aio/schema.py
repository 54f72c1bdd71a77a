"""Tables shared by the async tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from mizzle import eq, select
from mizzle.schema.column import Column
from mizzle.sqlite import Table, integer, text


class Users(Table, name="users"):
    id: Column[int] = integer().primary_key(autoincrement=True)
    name: Column[str] = text().not_null().unique()
    role: Column[Literal["admin", "user"]] = text(enum=("admin", "user")).not_null().default("user")
    tags: Column[list[str] | None] = text(mode="json")
    created_at: Column[datetime] = integer(mode="timestamp").not_null().default_fn(lambda: datetime.now(UTC))


class Posts(Table, name="posts"):
    id: Column[int] = integer().primary_key(autoincrement=True)
    user_id: Column[int] = integer().not_null().references(lambda: Users.id, on_delete="cascade")
    title: Column[str] = text().not_null()


class Admins(Table, name="admins", view=select(Users.id, Users.name).from_(Users).where(eq(Users.role, "admin"))):
    """A view: `create_all` creates it as a view, after the tables."""

    id = Users.id
    name = Users.name
