"""PostgreSQL column types round-trip through a real server with their Python types."""

from __future__ import annotations

import uuid as uuidlib
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Literal

import pytest

import mizzle
from mizzle import SchemaError, eq
from mizzle.postgres import (
    Column,
    Table,
    bigint,
    bigserial,
    boolean,
    bytea,
    char,
    date_,
    double_precision,
    integer,
    interval,
    json_,
    jsonb,
    numeric,
    pg_enum,
    real,
    serial,
    smallint,
    text,
    time_,
    timestamp,
    uuid,
    varchar,
)

mood = pg_enum("mood", ["sad", "ok", "happy"])


class Everything(Table, name="everything"):
    id: Column[int] = serial().primary_key()
    small: Column[int | None] = smallint()
    big: Column[int | None] = bigint()
    flag: Column[bool | None] = boolean()
    label: Column[str] = varchar(length=20).not_null()
    code: Column[str | None] = char(length=3)
    price: Column[Decimal | None] = numeric(precision=10, scale=2)
    price_s: Column[str | None] = numeric(precision=10, scale=2, mode="string")
    ratio: Column[float | None] = real()
    exact: Column[float | None] = double_precision()
    doc: Column[dict[str, Any] | None] = json_()
    docb: Column[list[Any] | None] = jsonb().default([])
    ident: Column[uuidlib.UUID] = uuid().default_random().not_null()
    ident_s: Column[str | None] = uuid(mode="string")
    day: Column[date | None] = date_()
    clock: Column[time | None] = time_()
    at: Column[datetime | None] = timestamp(precision=3)
    at_tz: Column[datetime] = timestamp(with_timezone=True).default_now().not_null()
    at_s: Column[str | None] = timestamp(mode="string")
    span: Column[timedelta | None] = interval()
    blob: Column[bytes | None] = bytea()
    tags: Column[list[str] | None] = text().array()
    grid: Column[list[list[int]] | None] = integer().array(2)
    feeling: Column[Literal["sad", "ok", "happy"] | None] = mood()
    feelings: Column[list[str] | None] = mood().array()
    counter: Column[int] = bigserial()


def test_every_type_round_trips(pg_db: mizzle.Database) -> None:
    mizzle.create_all(pg_db, [Everything])
    u = uuidlib.uuid4()
    row = pg_db.insert(Everything).values(
        small=7, big=2**40, flag=True, label="x", code="ab", price=Decimal("12.30"), price_s="1.5",
        ratio=0.5, exact=1 / 3, doc={"a": [1, 2]}, ident_s=str(u), day=date(2024, 2, 29),
        clock=time(13, 14, 15), at=datetime(2024, 1, 2, 3, 4, 5, 678900), at_s=datetime(2024, 1, 1, 0, 0),
        span=timedelta(days=1, seconds=5), blob=b"\x00\xff", tags=["a", "b'c"], grid=[[1, 2], [3, 4]],
        feeling="happy", feelings=["sad", "ok"],
    ).returning().one()
    assert row.small == 7 and row.big == 2**40 and row.flag is True
    assert row.code == "ab "  # char(n) is blank-padded
    assert row.price == Decimal("12.30") and isinstance(row.price, Decimal)
    assert row.price_s == "1.50"
    assert row.exact == pytest.approx(1 / 3)
    assert row.doc == {"a": [1, 2]}
    assert row.docb == []
    assert isinstance(row.ident, uuidlib.UUID)
    assert row.ident_s == str(u)
    assert row.day == date(2024, 2, 29) and row.clock == time(13, 14, 15)
    assert row.at == datetime(2024, 1, 2, 3, 4, 5, 679000)  # precision 3 rounds
    assert row.at_tz.tzinfo is not None
    assert abs(row.at_tz - datetime.now(UTC)) < timedelta(minutes=5)
    assert row.at_s == "2024-01-01 00:00:00"
    assert row.span == timedelta(days=1, seconds=5)
    assert row.blob == b"\x00\xff"
    assert row.tags == ["a", "b'c"]
    assert row.grid == [[1, 2], [3, 4]]
    assert row.feeling == "happy" and row.feelings == ["sad", "ok"]
    assert row.counter == 1
    # values are compared with their column's encoding
    found = pg_db.select(Everything.id).from_(Everything).where(eq(Everything.ident_s, str(u))).all()
    assert found == [(row.id,)]
    found = pg_db.select(Everything.id).from_(Everything).where(eq(Everything.docb, [])).all()
    assert found == [(row.id,)]


def test_enum_rejects_unknown_value_before_and_at_the_database(pg_db: mizzle.Database) -> None:
    mizzle.create_all(pg_db, [Everything])
    with pytest.raises(mizzle.QueryError, match=r"everything\.feeling: cannot store 'angry': not one of"):
        pg_db.insert(Everything).values(label="x", feeling="angry").run()  # type: ignore[arg-type]
    with pytest.raises(mizzle.DatabaseError, match="invalid input value for enum mood"):
        pg_db.execute("insert into everything (label, feeling) values ('x', 'angry')")


def test_default_not_matching_type_is_a_schema_error() -> None:
    with pytest.raises(SchemaError, match=r"bad_default\.n: default 'x' does not fit"):

        class BadDefault(Table, name="bad_default"):
            n: Column[int | None] = integer().default("x")  # type: ignore[arg-type]


def test_identity_needs_an_integer_type() -> None:
    with pytest.raises(SchemaError, match="identity needs integer, smallint or bigint"):
        text().generated_always_as_identity()


def test_uuid_default_random_only_on_uuid() -> None:
    with pytest.raises(SchemaError, match="default_random"):
        text().default_random()


def test_pg_enum_validates_values() -> None:
    with pytest.raises(SchemaError, match="duplicate values"):
        pg_enum("e", ["a", "a"])
    with pytest.raises(SchemaError, match="non-empty"):
        pg_enum("e", [])
