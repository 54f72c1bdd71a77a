"""Every MySQL column type round-trips through PyMySQL and MariaDB with its Python type."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

import pytest

import mizzle
from mizzle import eq
from mizzle.mysql import (
    Column,
    Table,
    bigint,
    binary,
    blob,
    boolean,
    char,
    date,
    datetime,
    decimal,
    double,
    float_,
    int_,
    json,
    longtext,
    mediumint,
    mediumtext,
    mysql_enum,
    smallint,
    text,
    time,
    timestamp,
    tinyint,
    tinytext,
    varbinary,
    varchar,
    year,
)

pytestmark = pytest.mark.mysql


class Everything(Table, name="everything"):
    id: Column[int] = int_().primary_key(autoincrement=True)
    i: Column[int | None] = int_()
    iu: Column[int | None] = int_(unsigned=True)
    big: Column[int | None] = bigint()
    bigu: Column[int | None] = bigint(unsigned=True)
    small: Column[int | None] = smallint()
    medium: Column[int | None] = mediumint()
    tiny: Column[int | None] = tinyint()
    flag: Column[bool | None] = boolean()
    money: Column[Decimal | None] = decimal(precision=20, scale=4)
    money_s: Column[str | None] = decimal("money_s", precision=8, scale=2, mode="string")
    dbl: Column[float | None] = double()
    flt: Column[float | None] = float_()
    vc: Column[str | None] = varchar(length=64)
    ch: Column[str | None] = char(length=3)
    tt: Column[str | None] = tinytext()
    tx: Column[str | None] = text()
    mt: Column[str | None] = mediumtext()
    lt: Column[str | None] = longtext()
    doc: Column[Any] = json()
    mood: Column[Literal["sad", "ok", "happy"] | None] = mysql_enum(("sad", "ok", "happy"))
    bin_: Column[bytes | None] = binary("bin_", length=4)
    vbin: Column[bytes | None] = varbinary(length=16)
    bl: Column[bytes | None] = blob()
    d: Column[dt.date | None] = date()
    dtm: Column[dt.datetime | None] = datetime(fsp=6)
    ts: Column[dt.datetime | None] = timestamp(fsp=3)
    tm: Column[dt.time | None] = time()
    yr: Column[int | None] = year()


VALUES: dict[str, Any] = {
    "i": -2_147_483_648,
    "iu": 4_294_967_295,
    "big": -9_223_372_036_854_775_808,
    "bigu": 18_446_744_073_709_551_615,
    "small": -32768,
    "medium": 8_388_607,
    "tiny": -128,
    "flag": True,
    "money": Decimal("12345678901234.5678"),
    "money_s": "-123456.78",
    "dbl": 1.0000000000000002,
    "flt": 1.5,
    "vc": "héllo wörld 🎉",
    "ch": "abc",
    "tt": "tiny 'quoted' \\ text",
    "tx": "100% sure; %s is not a placeholder",
    "mt": "m" * 70_000,
    "lt": "漢字" * 10,
    "doc": {"a": [1, 2.5, None, True], "b": {"c": "ü"}},
    "mood": "happy",
    "bin_": b"\x00\x01\xff\x10",
    "vbin": b"\x00bytes\x00",
    "bl": bytes(range(256)),
    "d": dt.date(2024, 2, 29),
    "dtm": dt.datetime(2024, 5, 6, 7, 8, 9, 123456),
    "ts": dt.datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=dt.UTC),
    "tm": dt.time(23, 59, 58),
    "yr": 2024,
}


def test_every_type_round_trips(mdb: mizzle.Database) -> None:
    mizzle.create_all(mdb, [Everything])
    mdb.insert(Everything).values(**VALUES).run()
    row = mdb.select().from_(Everything).one()
    for key, expected in VALUES.items():
        got = getattr(row, key)
        assert got == expected, key
        assert type(got) is type(expected), key
    nulls = mdb.insert(Everything).values(i=None).run()
    empty = mdb.select().from_(Everything).where(eq(Everything.id, nulls.last_insert_id)).one()
    assert all(getattr(empty, k) is None for k in VALUES)


def test_aware_datetimes_are_stored_as_utc(mdb: mizzle.Database) -> None:
    mizzle.create_all(mdb, [Everything])
    plus2 = dt.timezone(dt.timedelta(hours=2))
    mdb.insert(Everything).values(dtm=dt.datetime(2024, 1, 1, 12, 0, tzinfo=plus2),
                                  ts=dt.datetime(2024, 1, 1, 12, 0, tzinfo=plus2)).run()
    row = mdb.select(Everything.dtm, Everything.ts).from_(Everything).one()
    assert row == (dt.datetime(2024, 1, 1, 10, 0), dt.datetime(2024, 1, 1, 10, 0, tzinfo=dt.UTC))
    # the server session runs in UTC, so its own clock agrees with Python's
    (server_now,) = mdb.execute("select utc_timestamp() = now()")[0]
    assert server_now == 1


def test_json_values_filter_and_decode(mdb: mizzle.Database) -> None:
    mizzle.create_all(mdb, [Everything])
    for doc in ([1, 2], "text", 3.5, None, {"nested": {"k": [True]}}):
        mdb.insert(Everything).values(doc=doc).run()
    docs = [r[0] for r in mdb.select(Everything.doc).from_(Everything).order_by(Everything.id).all()]
    assert docs == [[1, 2], "text", 3.5, None, {"nested": {"k": [True]}}]
    hit = mdb.select(Everything.id).from_(Everything).where(
        mizzle.sql("json_extract({}, '$.nested.k[0]') = true", Everything.doc)
    ).all()
    assert hit == [(5,)]


def test_enum_rejects_unknown_values(mdb: mizzle.Database) -> None:
    mizzle.create_all(mdb, [Everything])
    with pytest.raises(mizzle.QueryError, match=r"everything\.mood: cannot store 'angry': not one of"):
        mdb.insert(Everything).values(mood="angry").run()  # type: ignore[arg-type]
    with pytest.raises(mizzle.DatabaseError, match="mood"):  # the server refuses it too
        mdb.execute("insert into everything (mood) values ('angry')")
