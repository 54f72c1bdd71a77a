"""Conformance tables in MySQL/MariaDB types (keep class and column names identical across dialects)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from mizzle import and_, eq, like, select
from mizzle.mysql import (
    Column,
    Table,
    boolean,
    double,
    index,
    int_,
    json,
    primary_key,
    text,
    timestamp,
    varchar,
)


class Users(Table, name="users"):
    id: Column[int] = int_().primary_key(autoincrement=True)
    name: Column[str] = text().not_null()
    email: Column[str] = varchar(length=255).not_null().unique()
    age: Column[int | None] = int_()
    active: Column[bool] = boolean().not_null().default(True)
    score: Column[float | None] = double()
    created_at: Column[datetime | None] = timestamp()


class Posts(Table, name="posts"):
    id: Column[int] = int_().primary_key(autoincrement=True)
    author_id: Column[int] = int_().not_null().references(lambda: Users.id, on_delete="cascade")
    title: Column[str] = text().not_null()
    body: Column[str | None] = text()
    views: Column[int] = int_().not_null().default(0)
    meta: Column[dict[str, Any] | None] = json()

    __constraints__ = (index("posts_author_idx").on(author_id),)


class Comments(Table, name="comments"):
    id: Column[int] = int_().primary_key(autoincrement=True)
    post_id: Column[int] = int_().not_null().references(lambda: Posts.id, on_delete="cascade")
    user_id: Column[int | None] = int_().references(lambda: Users.id, on_delete="set null")
    body: Column[str] = text().not_null()


class Tags(Table, name="tags"):
    id: Column[int] = int_().primary_key(autoincrement=True)
    name: Column[str] = varchar(length=255).not_null().unique()


class PostTags(Table, name="post_tags"):
    post_id: Column[int] = int_().not_null().references(lambda: Posts.id, on_delete="cascade")
    tag_id: Column[int] = int_().not_null().references(lambda: Tags.id, on_delete="cascade")

    __constraints__ = (primary_key(post_id, tag_id),)


class KeyValues(Table, name="key_values"):
    key: Column[str] = varchar(length=191).primary_key()
    value: Column[str] = text().not_null()


class Events(Table, name="events"):
    """A table without a primary key (not in TABLES: the tests that use it create and drop it)."""

    kind: Column[str] = text().not_null()
    n: Column[int] = int_().not_null()


TABLES = (Users, Posts, Comments, Tags, PostTags, KeyValues)
"""Every table, parents before children (the order `create_all` uses)."""


# ---- views (not in TABLES: tests/conformance/test_views.py creates and drops them) -----------------

class UserNames(
    Table,
    name="user_names",
    view=select(Users.id, Users.name).from_(Users).where(and_(eq(Users.active, True), like(Users.name, "%a%"))),
):
    """A view defined by a select built with mizzle's builder (values inlined, `%` kept)."""

    id: Column[int] = int_()
    name: Column[str] = text()


class UserEmails(Table, name="user_emails", view="select email from users where age is not null"):
    """A view defined by raw SQL, its columns declared."""

    email: Column[str] = text()


class LegacyUserNames(Table, name="legacy_user_names", existing=True):
    """A view declared as existing: read, never created or dropped by mizzle (the test creates it by hand)."""

    id: Column[int] = int_()
    name: Column[str] = text()


class ActiveEmails(Table, name="active_emails",
                   view=select(Users.id, Users.email.as_("mail"), Users.active).from_(Users)
                   .where(eq(Users.active, True))):
    """A view whose columns are copied from the selected columns: their types are not restated."""

    id = Users.id
    mail = Users.email
    active = Users.active


VIEWS = (UserNames, UserEmails, ActiveEmails)


# ---- views with options (tests/conformance/test_views.py reads them back from the catalog) ----------

class CheckedUsers(Table, name="checked_users", algorithm="merge", sql_security="invoker",
                   with_check_option="cascaded",
                   view=select(Users.id, Users.name, Users.email, Users.active).from_(Users)
                   .where(eq(Users.active, True))):
    """`ALGORITHM = merge SQL SECURITY invoker ... WITH cascaded CHECK OPTION`: inserted rows must be active."""

    id: Column[int] = int_()
    name: Column[str] = text()
    email: Column[str] = varchar(length=255)
    active: Column[bool] = boolean()


class TempUserNames(Table, name="temp_user_names", algorithm="temptable", sql_security="definer",
                    view=select(Users.id, Users.name).from_(Users)):
    """A view MySQL/MariaDB computes into a temporary table."""

    id: Column[int] = int_()
    name: Column[str] = text()


OPTION_VIEWS = (CheckedUsers, TempUserNames)
"""Views declared with this dialect's view options, created by the views test."""
CHECKED_VIEW = CheckedUsers
"""A view over users (id, name, email, active) that refuses rows with active = false."""
EXPECTED_VIEW_OPTIONS: dict[str, dict[str, Any]] = {
    "checked_users": {"algorithm": "MERGE", "security_type": "INVOKER", "check_option": "CASCADED"},
    "temp_user_names": {"algorithm": "TEMPTABLE", "security_type": "DEFINER", "check_option": "NONE"},
}
FOREIGN_VIEW_OPTION: dict[str, Any] = {"with_": {"security_barrier": True}}
"""A view option of another dialect (declaring it here is refused)."""


def view_options_in_db(db: Any, name: str) -> dict[str, Any]:
    """What the server says of a view's options (information_schema.views and SHOW CREATE VIEW)."""
    check_option, security_type = db.execute(
        "select check_option, security_type from information_schema.views "
        "where table_schema = database() and table_name = {}", name)[0]
    create = db.execute(f"show create view `{name}`")[0][1]
    algorithm = re.search(r"ALGORITHM=(\w+)", create)
    return {"algorithm": algorithm and algorithm.group(1), "security_type": security_type,
            "check_option": check_option}
