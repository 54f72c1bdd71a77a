"""Python port of tests/fixtures/drizzle/views_pg_options/src/steps/*.ts (step 1..2)."""

from __future__ import annotations

from mizzle.postgres import Column, Table, integer, serial, text

STEPS = ["init", "options"]


def tables(step: int, *, hints: bool = False) -> list[type[Table]]:
    """The schema of `step` (1-based)."""

    class Members(Table, name="members"):
        id: Column[int] = serial().primary_key()
        name: Column[str] = text().not_null()

    with_ = {"security_barrier": True, "check_option": "local"} if step == 1 else {
        "security_barrier": False, "security_invoker": True}

    class Secure(Table, name="secure_members", view="select id from members", with_=with_):
        id: Column[int] = integer().not_null()

    class Snap(Table, name="member_snap", view="select id from members", materialized=True,
               with_={"fillfactor": 70 if step == 1 else 80}, with_no_data=True):
        id: Column[int] = integer().not_null()

    return [Members, Secure, Snap]
