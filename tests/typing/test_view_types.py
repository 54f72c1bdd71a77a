"""Views are table classes: selecting from one is typed like selecting from a table."""

from __future__ import annotations

from typing import Literal, assert_type

from typing_tables import Users

from mizzle import Column, Database, eq, select
from mizzle import mysql as my
from mizzle import postgres as pg
from mizzle.aio import AsyncDatabase
from mizzle.sqlite import Table, integer, text


class ActiveNames(Table, name="typing_active_names",
                  view=select(Users.id, Users.name).from_(Users).where(eq(Users.id, 1))):
    id: Column[int] = integer().not_null()
    name: Column[str | None] = text()


class Legacy(Table, name="typing_legacy", existing=True):
    n: Column[int] = integer().not_null()


def check_view_rows(db: Database) -> None:
    rows = db.select().from_(ActiveNames).all()
    assert_type(rows, list[ActiveNames])
    assert_type(rows[0].id, int)
    assert_type(rows[0].name, str | None)
    assert_type(db.select(ActiveNames.name, Legacy.n).from_(ActiveNames).cross_join(Legacy).all(),
                list[tuple[str | None, int]])
    db.refresh_materialized_view(ActiveNames, concurrently=True)
    db.refresh_materialized_view(ActiveNames, at_once=True)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]


async def check_async(db: AsyncDatabase) -> None:
    await db.refresh_materialized_view(ActiveNames)


# ---- the inferred-columns form: columns copied from the selected table columns --------------------

class AdminNames(Table, name="typing_admin_names",
                 view=select(Users.id, Users.name, Users.status, Users.bio).from_(Users).where(eq(Users.admin, True))):
    id = Users.id          # Column[int]: the type comes from Users.id, nothing restated
    name = Users.name      # Column[str]
    status = Users.status  # Column[Status]
    bio = Users.bio        # Column[str | None]


def check_inferred_columns(db: Database) -> None:
    rows = db.select().from_(AdminNames).all()
    assert_type(rows, list[AdminNames])
    assert_type(rows[0].id, int)
    assert_type(rows[0].name, str)
    assert_type(rows[0].status, Literal["active", "banned"])
    assert_type(rows[0].bio, str | None)
    assert_type(AdminNames.name, Column[str])
    assert_type(db.select(AdminNames.id, AdminNames.bio).from_(AdminNames).where(eq(AdminNames.name, "ann")).all(),
                list[tuple[int, str | None]])
    db.select(AdminNames.nme)  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType, reportUnknownArgumentType]
    print(rows[0].nme)  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType, reportUnknownArgumentType]
    db.select().from_(AdminNames).where(eq(AdminNames.id, "1"))  # type: ignore[arg-type, misc]  # pyright: ignore[reportCallIssue, reportArgumentType, reportUnknownArgumentType]


# ---- view options are typed: a misspelt value or option is an error in both checkers ----------------

class MyUsers(my.Table, name="typing_my_users"):
    id: Column[int] = my.int_().primary_key(autoincrement=True)


class PgUsers(pg.Table, name="typing_pg_users"):
    id: Column[int] = pg.serial().primary_key()


class MergeView(my.Table, name="typing_merge_view", algorithm="merge", sql_security="invoker",
                with_check_option="local", view=select(MyUsers.id).from_(MyUsers)):
    id = MyUsers.id


class BarrierView(pg.Table, name="typing_barrier_view", with_={"security_barrier": True, "check_option": "local"},
                  view=select(PgUsers.id).from_(PgUsers)):
    id = PgUsers.id


class TunedView(pg.Table, name="typing_tuned_view", materialized=True, using="heap", with_no_data=True,
                with_={"fillfactor": 70, "vacuum_index_cleanup": "off"}, view=select(PgUsers.id).from_(PgUsers)):
    id = PgUsers.id


def check_bad_options() -> tuple[type[object], ...]:
    """Never called: each class would raise SchemaError at run time too."""

    class BadAlgorithm(my.Table, name="typing_bad_algorithm", algorithm="fastest",  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType, reportGeneralTypeIssues]
                       view=select(MyUsers.id).from_(MyUsers)):
        id = MyUsers.id

    class BadSecurity(my.Table, name="typing_bad_security", sql_security="owner",  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType, reportGeneralTypeIssues]
                      view=select(MyUsers.id).from_(MyUsers)):
        id = MyUsers.id

    class BadWithKey(pg.Table, name="typing_bad_with_key", with_={"security_barier": True},  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType, reportGeneralTypeIssues]
                     view=select(PgUsers.id).from_(PgUsers)):
        id = PgUsers.id

    class BadWithValue(pg.Table, name="typing_bad_with_value", with_={"check_option": "strict"},  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType, reportGeneralTypeIssues]
                       view=select(PgUsers.id).from_(PgUsers)):
        id = PgUsers.id

    return (BadAlgorithm, BadSecurity, BadWithKey, BadWithValue)
