"""Python port of the drizzle-kit evolution fixture: `tables(step)` is the schema of steps/NN_*.ts (1..11)."""

from __future__ import annotations

from typing import Any

from mizzle import sql
from mizzle.sqlite import (
    Column,
    Table,
    blob,
    check,
    index,
    integer,
    primary_key,
    real,
    text,
    unique,
    unique_index,
)

STEPS = [
    "initial", "add_column_index", "rename_column", "change_type", "drop_column", "add_foreign_key",
    "rename_table", "add_table_constraints", "drop_index_unique", "add_column_with_fk", "rename_referenced_table",
]


def tables(step: int, *, hints: bool = False) -> list[type[Table]]:
    """The schema after evolution step `step` (1-based); `hints` adds renamed_from= for the rename steps."""

    class Users(Table, name="users"):
        id: Column[int] = integer("id").primary_key()
        if step >= 3:
            full_name: Column[str] = text("full_name").not_null()
            if hints and step == 3:
                full_name = full_name.renamed_from("name")
        else:
            name: Column[str] = text("name").not_null()
        email: Column[str | None] = text("email").unique() if step < 9 else text("email")
        age: Column[Any] = integer("age") if step < 4 else text("age")
        created_at: Column[int | None] = integer("created_at")
        if 2 <= step < 5:
            bio: Column[str | None] = text("bio")
        if step >= 2:
            status: Column[str] = text("status").not_null().default("active")

    posts_name = "articles" if step >= 11 else "posts"
    posts_kw: dict[str, Any] = {"renamed_from": "posts"} if hints and step == 11 else {}

    class Posts(Table, name=posts_name, **posts_kw):
        id: Column[int] = integer("id").primary_key()
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
        id: Column[int] = integer("id").primary_key()
        post_id: Column[int | None] = integer("post_id").references(lambda: Posts.id, on_delete="cascade")
        body: Column[str | None] = text("body")
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
            active: Column[bool | None] = integer("active", mode="boolean").default(True)
            hidden: Column[bool] = integer("hidden", mode="boolean").not_null().default(False)
            meta: Column[Any] = text("meta", mode="json").default({"a": 1})
            raw: Column[bytes | None] = blob("raw")
            created_at: Column[str | None] = text("created_at").default(sql("(CURRENT_TIMESTAMP)"))
            quoted: Column[str | None] = text("quoted").default("it's")

            __constraints__ = lambda t: (  # noqa: E731
                primary_key(t.post_id, t.tag),
                unique("post_tags_tag_weight_uq").on(t.tag, t.weight),
                unique().on(t.tag, t.created_at),
                check("weight_positive", sql("{} > 0", t.weight)),
            )

        out.append(PostTags)
    return out
