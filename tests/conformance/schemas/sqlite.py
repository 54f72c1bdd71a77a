"""Conformance tables in SQLite types (keep class and column names identical across dialects)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mizzle import and_, eq, like, select
from mizzle.sqlite import Column, Table, index, integer, primary_key, real, text


class Users(Table, name="users"):
    id: Column[int] = integer().primary_key(autoincrement=True)
    name: Column[str] = text().not_null()
    email: Column[str] = text().not_null().unique()
    age: Column[int | None] = integer()
    active: Column[bool] = integer(mode="boolean").not_null().default(True)
    score: Column[float | None] = real()
    created_at: Column[datetime | None] = integer(mode="timestamp")


class Posts(Table, name="posts"):
    id: Column[int] = integer().primary_key(autoincrement=True)
    author_id: Column[int] = integer().not_null().references(lambda: Users.id, on_delete="cascade")
    title: Column[str] = text().not_null()
    body: Column[str | None] = text()
    views: Column[int] = integer().not_null().default(0)
    meta: Column[dict[str, Any] | None] = text(mode="json")

    __constraints__ = (index("posts_author_idx").on(author_id),)


class Comments(Table, name="comments"):
    id: Column[int] = integer().primary_key(autoincrement=True)
    post_id: Column[int] = integer().not_null().references(lambda: Posts.id, on_delete="cascade")
    user_id: Column[int | None] = integer().references(lambda: Users.id, on_delete="set null")
    body: Column[str] = text().not_null()


class Tags(Table, name="tags"):
    id: Column[int] = integer().primary_key(autoincrement=True)
    name: Column[str] = text().not_null().unique()


class PostTags(Table, name="post_tags"):
    post_id: Column[int] = integer().not_null().references(lambda: Posts.id, on_delete="cascade")
    tag_id: Column[int] = integer().not_null().references(lambda: Tags.id, on_delete="cascade")

    __constraints__ = (primary_key(post_id, tag_id),)


class KeyValues(Table, name="key_values"):
    key: Column[str] = text().primary_key()
    value: Column[str] = text().not_null()


class Events(Table, name="events"):
    """A table without a primary key (not in TABLES: the tests that use it create and drop it)."""

    kind: Column[str] = text().not_null()
    n: Column[int] = integer().not_null()


TABLES = (Users, Posts, Comments, Tags, PostTags, KeyValues)
"""Every table, parents before children (the order `create_all` uses)."""


# ---- views (not in TABLES: tests/conformance/test_views.py creates and drops them) -----------------

class UserNames(
    Table,
    name="user_names",
    view=select(Users.id, Users.name).from_(Users).where(and_(eq(Users.active, True), like(Users.name, "%a%"))),
):
    """A view defined by a select built with mizzle's builder (values inlined, `%` kept)."""

    id: Column[int] = integer()
    name: Column[str] = text()


class UserEmails(Table, name="user_emails", view="select email from users where age is not null"):
    """A view defined by raw SQL, its columns declared."""

    email: Column[str] = text()


class LegacyUserNames(Table, name="legacy_user_names", existing=True):
    """A view declared as existing: read, never created or dropped by mizzle (the test creates it by hand)."""

    id: Column[int] = integer()
    name: Column[str] = text()


class ActiveEmails(Table, name="active_emails",
                   view=select(Users.id, Users.email.as_("mail"), Users.active).from_(Users)
                   .where(eq(Users.active, True))):
    """A view whose columns are copied from the selected columns: their types are not restated."""

    id = Users.id
    mail = Users.email
    active = Users.active


VIEWS = (UserNames, UserEmails, ActiveEmails)


# ---- views with options: SQLite/libSQL views take none ------------------------------------------

OPTION_VIEWS: tuple[type[Table], ...] = ()
"""Views declared with this dialect's view options (none on SQLite)."""
CHECKED_VIEW = None
"""SQLite has no check option."""
EXPECTED_VIEW_OPTIONS: dict[str, dict[str, Any]] = {}
FOREIGN_VIEW_OPTION: dict[str, Any] = {"algorithm": "merge"}
"""A view option of another dialect (declaring it here is refused)."""


def view_options_in_db(db: Any, name: str) -> dict[str, Any]:
    """SQLite keeps no view options."""
    return {}
