"""Python port of tests/fixtures/drizzle/mysql_small/src/steps/NN_*.ts: `tables(step)` for steps 1..3."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from mizzle import sql
from mizzle.mysql import (
    Column,
    Table,
    bigint,
    boolean,
    check,
    datetime,
    decimal,
    index,
    int_,
    json,
    mysql_enum,
    primary_key,
    text,
    timestamp,
    unique,
    unique_index,
    varchar,
)

STEPS = ["init", "evolve", "rename"]


def tables(step: int, *, hints: bool = True) -> list[type[Table]]:
    """The schema after step `step` (1-based); `hints` adds renamed_from for step 3's renames."""

    class Users(Table, name="users"):
        id: Column[int] = bigint("id", unsigned=True).primary_key(autoincrement=True)
        name: Column[str] = (varchar("name", length=255).not_null().unique() if step == 2
                             else varchar("name", length=255).not_null())
        email: Column[str] = varchar("email", length=255).not_null().unique()
        age: Column[int | None] = int_("age") if step == 1 else bigint("age")
        active: Column[bool] = boolean("active").not_null().default(True)
        role: Column[Literal["admin", "member"]] = mysql_enum(["admin", "member"], "role").not_null().default("member")
        if step == 1:
            bio: Column[str | None] = text("bio")
        elif step == 2:
            bio_: Column[str] = text("bio").not_null()
        else:
            about: Column[str] = text("about").not_null()
            if hints:
                about = about.renamed_from("bio")
        settings: Column[Any] = json("settings").default({"theme": "dark"})
        balance: Column[Decimal | None] = decimal("balance", precision=10, scale=2).default(
            Decimal("0.00") if step == 1 else Decimal("1.50"))
        created_at: Column[Any] = timestamp("created_at").not_null().default_now()
        updated_at: Column[Any] = (timestamp("updated_at").default_now().on_update_now() if step == 1
                                   else timestamp("updated_at").default_now())
        if step >= 2:
            nickname: Column[str | None] = varchar("nickname", length=50)

        __constraints__ = (  # noqa: E731
            lambda t: (index("users_name_idx").on(t.name),) if step == 1
            else (check("users_age_check", sql("{} > 0", t.age)),)
        )

    class Posts(Table, name="posts"):
        id: Column[int] = int_("id").primary_key(autoincrement=True)
        user_id: Column[int] = bigint("user_id", unsigned=True).not_null().references(
            lambda: Users.id, on_delete="cascade")
        title: Column[Any] = varchar("title", length=200).not_null() if step == 1 else varchar("title", length=200)
        body: Column[str | None] = text("body")
        views: Column[int] = int_("views").not_null().default(0)
        if step == 1:
            published_at: Column[Any] = datetime("published_at", fsp=3)

        __constraints__ = lambda t: (  # noqa: E731
            unique_index("posts_user_title_idx").on(t.user_id, t.title),
            *((index("posts_title_idx").on(t.title),) if step >= 2 else ()),
            check("posts_views_check", sql("{} >= 0", t.views)),
        )

    tags_kw: dict[str, Any] = {"renamed_from": "post_tags"} if step == 3 and hints else {}

    class PostTags(Table, name="tags" if step == 3 else "post_tags", **tags_kw):
        post_id: Column[int] = int_("post_id").not_null().references(lambda: Posts.id)
        tag: Column[str] = varchar("tag", length=50).not_null()

        __constraints__ = lambda t: (primary_key(t.post_id, t.tag), unique().on(t.tag, t.post_id))  # noqa: E731

    out: list[type[Table]] = [Users, Posts, PostTags]
    if step >= 2:

        class Comments(Table, name="comments"):
            id: Column[int] = int_("id").primary_key(autoincrement=True)
            post_id: Column[int] = int_("post_id").not_null().references(
                lambda: Posts.id, on_delete="cascade", on_update="cascade")
            body: Column[str] = text("body").not_null()

            __constraints__ = lambda t: (index("comments_post_idx").on(t.post_id),)  # noqa: E731

        out.append(Comments)
    return out
