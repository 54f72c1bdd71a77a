"""Conformance tables in PostgreSQL types (keep class and column names identical across dialects)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mizzle import and_, count, eq, like, select
from mizzle.postgres import (
    Column,
    Table,
    boolean,
    double_precision,
    index,
    integer,
    jsonb,
    primary_key,
    serial,
    text,
    timestamp,
    varchar,
)


class Users(Table, name="users"):
    id: Column[int] = serial().primary_key()
    name: Column[str] = text().not_null()
    email: Column[str] = varchar(length=255).not_null().unique()
    age: Column[int | None] = integer()
    active: Column[bool] = boolean().not_null().default(True)
    score: Column[float | None] = double_precision()
    created_at: Column[datetime | None] = timestamp(with_timezone=True)


class Posts(Table, name="posts"):
    id: Column[int] = serial().primary_key()
    author_id: Column[int] = integer().not_null().references(lambda: Users.id, on_delete="cascade")
    title: Column[str] = text().not_null()
    body: Column[str | None] = text()
    views: Column[int] = integer().not_null().default(0)
    meta: Column[dict[str, Any] | None] = jsonb()

    __constraints__ = (index("posts_author_idx").on(author_id),)


class Comments(Table, name="comments"):
    id: Column[int] = serial().primary_key()
    post_id: Column[int] = integer().not_null().references(lambda: Posts.id, on_delete="cascade")
    user_id: Column[int | None] = integer().references(lambda: Users.id, on_delete="set null")
    body: Column[str] = text().not_null()


class Tags(Table, name="tags"):
    id: Column[int] = serial().primary_key()
    name: Column[str] = varchar(length=255).not_null().unique()


class PostTags(Table, name="post_tags"):
    post_id: Column[int] = integer().not_null().references(lambda: Posts.id, on_delete="cascade")
    tag_id: Column[int] = integer().not_null().references(lambda: Tags.id, on_delete="cascade")

    __constraints__ = (primary_key(post_id, tag_id),)


class KeyValues(Table, name="key_values"):
    key: Column[str] = varchar(length=191).primary_key()
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


class UserCounts(Table, name="user_counts", materialized=True,
                 view=select(active=Users.active, n=count()).from_(Users).group_by(Users.active)):
    """A materialized view (PostgreSQL), refreshed with `db.refresh_materialized_view`."""

    active: Column[bool] = boolean()
    n: Column[int] = integer()


# ---- views with options (tests/conformance/test_views.py reads them back from the catalog) ----------

class CheckedUsers(Table, name="checked_users",
                   with_={"check_option": "local", "security_barrier": True, "security_invoker": True},
                   view=select(Users.id, Users.name, Users.email, Users.active).from_(Users)
                   .where(eq(Users.active, True))):
    """`WITH (check_option = local, security_barrier = true, security_invoker = true)` (PostgreSQL 15+):
    a row inserted through it must be active."""

    id: Column[int] = integer()
    name: Column[str] = text()
    email: Column[str] = varchar(length=255)
    active: Column[bool] = boolean()


class TunedUserCounts(Table, name="tuned_user_counts", materialized=True, using="heap", tablespace="pg_default",
                      with_no_data=True, with_={"fillfactor": 70, "autovacuum_enabled": False,
                                                "vacuum_index_cleanup": "off"},
                      view=select(active=Users.active, n=count()).from_(Users).group_by(Users.active)):
    """A materialized view with storage parameters, an access method and a tablespace, created empty."""

    active: Column[bool] = boolean()
    n: Column[int] = integer()


OPTION_VIEWS = (CheckedUsers, TunedUserCounts)
"""Views declared with this dialect's view options, created by the views test."""
CHECKED_VIEW = CheckedUsers
"""A view over users (id, name, email, active) that refuses rows with active = false."""
EXPECTED_VIEW_OPTIONS: dict[str, dict[str, Any]] = {
    "checked_users": {"reloptions": ["check_option=local", "security_barrier=true", "security_invoker=true"]},
    "tuned_user_counts": {
        "reloptions": ["autovacuum_enabled=false", "fillfactor=70", "vacuum_index_cleanup=off"],
        "access_method": "heap",
        "populated": False,
    },
}
FOREIGN_VIEW_OPTION: dict[str, Any] = {"algorithm": "merge"}
"""A view option of another dialect (declaring it here is refused)."""


def view_options_in_db(db: Any, name: str) -> dict[str, Any]:
    """What the catalog says of a view's options: reloptions, access method and whether it is populated."""
    rows = db.execute(
        "select c.reloptions, am.amname, m.ispopulated from pg_class c left join pg_am am on am.oid = c.relam "
        "left join pg_matviews m on m.matviewname = c.relname and m.schemaname = current_schema() "
        "where c.relname = {} and c.relnamespace = current_schema()::regnamespace", name)
    reloptions, access_method, populated = rows[0]
    out: dict[str, Any] = {"reloptions": sorted(reloptions or [])}
    if access_method is not None:
        out["access_method"] = access_method
    if populated is not None:
        out["populated"] = populated
    return out
