"""Expression language types: arithmetic on numeric columns, first(), typed scalar()."""

from __future__ import annotations

from decimal import Decimal
from typing import assert_type

from typing_tables import Lines, Users

from mizzle import SQL, count, sum_
from mizzle.session.aio import AsyncDatabase
from mizzle.session.sync import Database


def check_arithmetic() -> None:
    assert_type(Lines.quantity * Lines.unit_price, SQL[Decimal])
    assert_type(Lines.unit_price * Lines.quantity, SQL[Decimal])
    assert_type(Lines.quantity + 1, SQL[int])
    assert_type(Lines.quantity * Lines.quantity - 1, SQL[int])
    assert_type(Lines.weight * 2, SQL[float])
    assert_type(Lines.quantity * Lines.weight, SQL[float])
    assert_type(Lines.quantity / 2, SQL[float])
    assert_type(Lines.unit_price / 2, SQL[Decimal])
    assert_type(Lines.discount * 2.0, SQL[float | None])
    assert_type(Users.score - Lines.weight, SQL[float | None])
    assert_type(sum_(Lines.quantity * Lines.unit_price), SQL[Decimal | None])
    _bad = Lines.quantity * "x"  # type: ignore[operator]  # pyright: ignore[reportOperatorIssue, reportUnknownVariableType]


def check_terminals(db: Database) -> None:
    assert_type(db.select(count()).from_(Users).scalar(), int | None)
    assert_type(db.select(sum_(Lines.quantity * Lines.unit_price)).from_(Lines).scalar(), Decimal | None)
    assert_type(db.select().from_(Users).first(), Users | None)
    assert_type(db.select(Users.name, Users.id).from_(Users).first(), tuple[str, int] | None)
    db.select(Users.name, Users.id).from_(Users).scalar()  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]


async def check_async_terminals(adb: AsyncDatabase) -> None:
    assert_type(await adb.select(count()).from_(Users).scalar(), int | None)
    assert_type(await adb.select().from_(Users).first(), Users | None)
    assert_type(await adb.select(Users.name).from_(Users).first(), tuple[str] | None)
