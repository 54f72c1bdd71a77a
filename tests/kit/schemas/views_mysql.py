"""Python port of tests/fixtures/drizzle/views_mysql/src/steps/*.ts (step 1..2)."""

from __future__ import annotations

from mizzle import eq, select
from mizzle.mysql import Column, Table, boolean, int_, varchar

STEPS = ["init", "change"]


def tables(step: int, *, hints: bool = False) -> list[type[Table]]:
    """The schema of `step` (1-based); `hints`: the rename of step 2 declared with renamed_from=."""

    class Users(Table, name="users"):
        id: Column[int] = int_().primary_key()
        name: Column[str] = varchar(length=100).not_null()
        active: Column[bool] = boolean().not_null().default(True)
        age: Column[int | None] = int_()

    kw = {"renamed_from": "active_users"} if hints and step == 2 else {}

    class ActiveUsers(Table, name="active_users" if step == 1 else "enabled_users",
                      view=select(Users.id, Users.name).from_(Users).where(eq(Users.active, True)), **kw):
        id: Column[int] = int_().not_null()
        name: Column[str] = varchar(length=100).not_null()

    class Adults(Table, name="adults", view=f"select id, name from users where age >= {18 if step == 1 else 21}"):
        id: Column[int] = int_().not_null()
        name: Column[str] = varchar(length=100).not_null()

    if step == 1:
        class Merged(Table, name="merged_users", view="select id from users where age is not null",
                     algorithm="merge", sql_security="invoker", with_check_option="cascaded"):
            id: Column[int] = int_().not_null()
    else:
        class Merged(Table, name="merged_users", view="select id from users where age is not null",  # type: ignore[no-redef]
                     algorithm="temptable", sql_security="definer"):
            id: Column[int] = int_().not_null()

    class Legacy(Table, name="legacy_report", existing=True):
        n: Column[int] = int_().not_null()

    return [Users, ActiveUsers, Adults, Merged, Legacy]
