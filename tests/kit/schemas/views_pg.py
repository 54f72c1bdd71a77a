"""Python port of tests/fixtures/drizzle/views_pg/src/steps/*.ts (step 1..2)."""

from __future__ import annotations

from mizzle import eq, select
from mizzle.postgres import Column, Table, boolean, integer, serial, text

STEPS = ["init", "change"]


def tables(step: int, *, hints: bool = False) -> list[type[Table]]:
    """The schema of `step` (1-based); `hints`: the rename of step 2 declared with renamed_from=."""

    class Members(Table, name="members"):
        id: Column[int] = serial().primary_key()
        name: Column[str] = text().not_null()
        active: Column[bool] = boolean().not_null().default(True)
        age: Column[int | None] = integer()

    kw = {"renamed_from": "active_members"} if hints and step == 2 else {}

    class ActiveMembers(Table, name="active_members" if step == 1 else "enabled_members",
                        view=select(Members.id, Members.name).from_(Members).where(eq(Members.active, True)), **kw):
        id: Column[int] = integer().not_null()
        name: Column[str] = text().not_null()

    class Adults(Table, name="adults", view=f"select id, name from members where age >= {18 if step == 1 else 21}"):
        id: Column[int] = integer().not_null()
        name: Column[str] = text().not_null()

    where = "" if step == 1 else "where age is not null "

    class MemberCounts(Table, name="member_counts", materialized=True,
                       view=f"select active, count(*)::int as n from members {where}group by active"):
        active: Column[bool] = boolean().not_null()
        n: Column[int] = integer().not_null()

    class Legacy(Table, name="legacy_report", existing=True):
        n: Column[int] = integer().not_null()

    return [Members, ActiveMembers, Adults, MemberCounts, Legacy]
