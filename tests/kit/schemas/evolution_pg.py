"""Python port of the PostgreSQL evolution (tests/fixtures/drizzle/src/evolution_pg/steps/NN_*.ts):
`tables(step)` is the schema of step `step` (1..11)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from mizzle import sql
from mizzle.postgres import (
    Column,
    Table,
    bigint,
    boolean,
    check,
    index,
    integer,
    jsonb,
    numeric,
    pg_enum,
    pg_schema,
    primary_key,
    real,
    serial,
    text,
    timestamp,
    unique,
    unique_index,
    uuid,
    varchar,
)

STEPS = [
    "initial", "add_column_index", "rename_column", "change_type", "drop_column", "add_foreign_key",
    "rename_table", "add_table_constraints", "drop_index_unique", "add_column_with_fk", "rename_referenced_table",
]
# the --hints regen.sh gives drizzle-kit for steps 3, 7 and 11
KIT_HINTS = {
    3: '[{"type":"rename","kind":"column","from":["public","users","name"],"to":["public","users","full_name"]}]',
    7: '[{"type":"rename","kind":"table","from":["public","comments"],"to":["public","notes"]}]',
    11: '[{"type":"rename","kind":"table","from":["public","posts"],"to":["public","articles"]}]',
}
audit = pg_schema("audit")


def tables(step: int, *, hints: bool = False) -> list[type[Table]]:
    """The schema after evolution step `step` (1-based); `hints` adds renamed_from= for the rename steps."""
    mood = pg_enum("mood", ["sad", "ok", "happy"] if step >= 10 else ["sad", "ok"])

    class Users(Table, name="users"):
        id: Column[int] = serial("id").primary_key()
        if step >= 3:
            full_name: Column[str] = text("full_name").not_null()
            if hints and step == 3:
                full_name = full_name.renamed_from("name")
        else:
            name: Column[str] = text("name").not_null()
        email: Column[str | None] = varchar("email", length=255).unique() if step < 9 else varchar("email", length=255)
        age: Column[int | None] = integer("age") if step < 4 else bigint("age", mode="number")
        created_at: Column[datetime | None] = timestamp("created_at").default_now()
        if 2 <= step < 5:
            bio: Column[str | None] = text("bio")
        if step >= 2:
            status: Column[str] = text("status").not_null().default("active")
            feeling: Column[Any] = mood("feeling").default("ok")

    posts_name = "articles" if step >= 11 else "posts"
    posts_kw: dict[str, Any] = {"renamed_from": "posts"} if hints and step == 11 else {}

    class Posts(Table, name=posts_name, **posts_kw):
        id: Column[int] = serial("id").primary_key()
        user_id: Column[int | None] = integer("user_id").references(lambda: Users.id, on_delete="cascade")
        title: Column[str | None] = text("title")
        if step >= 10:
            editor_id: Column[int | None] = integer("editor_id").references(lambda: Users.id, on_delete="set null")
        if step >= 2:
            __indexes__ = lambda t: (  # noqa: E731
                *((index("posts_title_idx").on(t.title),) if step < 9 else ()),
                unique_index("posts_user_title_uq").on(t.user_id, t.title),
            )

    comments_name = "notes" if step >= 7 else "comments"
    comments_kw: dict[str, Any] = {"renamed_from": "comments"} if hints and step == 7 else {}

    class Comments(Table, name=comments_name, **comments_kw):
        id: Column[int] = serial("id").primary_key()
        post_id: Column[int | None] = integer("post_id").references(lambda: Posts.id, on_delete="cascade")
        body: Column[Any] = text("body").not_null() if step >= 4 else text("body")
        if step >= 6:
            author_id: Column[int | None] = integer("author_id").references(lambda: Users.id, on_delete="set null")
        elif step >= 2:
            author_id = integer("author_id")

    out: list[type[Table]] = [Users, Posts, Comments]
    if step >= 8:

        class PostTags(Table, name="post_tags"):
            post_id: Column[int] = (
                integer("post_id").not_null().references(lambda: Posts.id, on_delete="cascade", on_update="no action")
            )
            tag: Column[str] = text("tag").not_null()
            weight: Column[float | None] = real("weight").default(1.5)
            price: Column[Decimal | None] = numeric("price", precision=10, scale=2).default(Decimal("9.99"))
            active: Column[bool | None] = boolean("active").default(True)
            meta: Column[Any] = jsonb("meta").default({"a": 1})
            scores: Column[list[int] | None] = integer("scores").array().default([1, 2])
            created_at: Column[datetime | None] = timestamp("created_at", with_timezone=True).default_now()
            quoted: Column[str | None] = text("quoted").default("it's")

            __constraints__ = lambda t: (  # noqa: E731
                primary_key(t.post_id, t.tag),
                unique("post_tags_tag_weight_uq").on(t.tag, t.weight),
                unique().on(t.tag, t.created_at),
                check("weight_positive", sql("{} > 0", t.weight)),
            )

        class Events(Table, name="events", schema=audit.name):
            id: Column[int] = integer("id").primary_key().generated_always_as_identity()
            ref: Column[str] = uuid("ref").default_random().not_null()
            user_id: Column[int | None] = integer("user_id").references(lambda: Users.id)
            kind: Column[str] = varchar("kind", length=32).not_null().default("login")

        out += [PostTags, Events]
    return out
