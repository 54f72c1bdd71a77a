"""Python port of tests/fixtures/drizzle/views_sqlite/src/steps/*.ts (step 1..3)."""

from __future__ import annotations

from mizzle import eq, select
from mizzle.sqlite import Column, Table, integer, text

STEPS = ["init", "change", "rename"]


def tables(step: int, *, hints: bool = False) -> list[type[Table]]:
    """The schema of `step` (1-based); `hints`: the rename of step 3 declared with renamed_from=."""

    class Users(Table, name="users"):
        id: Column[int] = integer().primary_key()
        name: Column[str] = text().not_null()
        active: Column[bool] = integer(mode="boolean").not_null().default(True)
        age: Column[int | None] = integer()
        if step >= 2:
            email: Column[str | None] = text()

    class Posts(Table, name="posts"):
        id: Column[int] = integer().primary_key()
        user_id: Column[int] = integer().not_null().references(lambda: Users.id)
        title: Column[str] = text().not_null()

    class Legacy(Table, name="legacy_report", existing=True):
        n: Column[int] = integer().not_null()

    if step == 1:
        class Active(Table, name="active_users",
                     view=select(Users.id, Users.name).from_(Users).where(eq(Users.active, True))):
            id: Column[int] = integer().not_null()
            name: Column[str] = text().not_null()

        class Adults(Table, name="adults", view="select id, name from users where age >= 18"):
            id: Column[int] = integer().not_null()
            name: Column[str] = text().not_null()

        return [Users, Active, Adults, Legacy]

    active = select(Users.id, Users.name, Users.email).from_(Users).where(eq(Users.active, True))
    kw = {"renamed_from": "active_users"} if hints and step == 3 else {}

    class Active(Table, name="active_users" if step == 2 else "enabled_users", view=active,  # type: ignore[no-redef]
                 **kw):
        id: Column[int] = integer().not_null()
        name: Column[str] = text().not_null()
        email: Column[str | None] = text()

    class UserPosts(Table, name="user_posts", view=select(Posts.title, Users.name).from_(Posts).inner_join(
            Users, eq(Posts.user_id, Users.id)).order_by(Posts.title)):
        title: Column[str] = text().not_null()
        name: Column[str] = text().not_null()

    return [Users, Posts, Active, UserPosts, Legacy]
