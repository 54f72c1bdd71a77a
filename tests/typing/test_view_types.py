"""Views are table classes: selecting from one is typed like selecting from a table."""

from __future__ import annotations

from typing import assert_type

from typing_tables import Users

from mizzle import Column, Database, eq, select
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
