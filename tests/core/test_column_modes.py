"""SQLite column modes round-trip through a real database file: what is stored and what comes back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import pytest

import mizzle
from mizzle import eq, max_, min_
from mizzle.sqlite import Column, Table, blob, integer, numeric, real, text


class Modes(Table, name="modes"):
    id: Column[int] = integer().primary_key()
    flag: Column[bool | None] = integer(mode="boolean")
    ts: Column[datetime | None] = integer(mode="timestamp")
    ts_ms: Column[datetime | None] = integer(mode="timestamp_ms")
    color: Column[Literal["red", "green"] | None] = text(enum=("red", "green"))
    doc: Column[dict[str, Any] | None] = text(mode="json")
    short: Column[str | None] = text(length=5)
    ratio: Column[float | None] = real()
    num_s: Column[str | None] = numeric()
    num_f: Column[float | None] = numeric(mode="number")
    num_i: Column[int | None] = numeric(mode="bigint")
    num_d: Column[Decimal | None] = numeric(mode="decimal")
    raw: Column[bytes | None] = blob()
    bjson: Column[list[int] | None] = blob(mode="json")
    big: Column[int | None] = blob(mode="bigint")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[mizzle.Database]:
    database = mizzle.connect(str(tmp_path / "modes.db"))
    mizzle.create_all(database, [Modes])
    yield database
    database.close()


def stored(db: mizzle.Database, column: str) -> Any:
    """The raw value SQLite holds, read with plain SQL (no decoding)."""
    return db.execute(f'select "{column}" from modes where id = 1')[0][0]


def test_boolean_mode_stores_integers(db: mizzle.Database) -> None:
    db.insert(Modes).values(id=1, flag=True).run()
    db.insert(Modes).values(id=2, flag=False).run()
    assert stored(db, "flag") == 1
    rows = db.select(Modes.id, Modes.flag).from_(Modes).order_by(Modes.id).all()
    assert rows == [(1, True), (2, False)]
    assert type(rows[0][1]) is bool
    assert db.select(Modes.id).from_(Modes).where(eq(Modes.flag, False)).all() == [(2,)]


def test_timestamp_modes_store_unix_seconds_and_milliseconds(db: mizzle.Database) -> None:
    when = datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=UTC)
    db.insert(Modes).values(id=1, ts=when, ts_ms=when).run()
    assert stored(db, "ts") == int(when.timestamp())
    assert stored(db, "ts_ms") == int(when.timestamp() * 1000)
    row = db.select().from_(Modes).one()
    assert row.ts == when.replace(microsecond=0)  # seconds precision, like drizzle
    assert row.ts_ms == when
    assert row.ts is not None and row.ts.tzinfo is not None


def test_timestamps_from_other_zones_and_naive_utc(db: mizzle.Database) -> None:
    plus2 = datetime(2024, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    db.insert(Modes).values(id=1, ts=plus2, ts_ms=datetime(2024, 1, 1, 10, 0)).run()
    row = db.select().from_(Modes).one()
    assert row.ts == datetime(2024, 1, 1, 10, 0, tzinfo=UTC)
    assert row.ts_ms == datetime(2024, 1, 1, 10, 0, tzinfo=UTC)


def test_comparisons_encode_the_operand_like_the_column(db: mizzle.Database) -> None:
    base = datetime(2024, 1, 1, tzinfo=UTC)
    db.insert(Modes).values([{"id": i, "ts": base + timedelta(days=i)} for i in range(1, 4)]).run()
    later = db.select(Modes.id).from_(Modes).where(mizzle.gt(Modes.ts, base + timedelta(days=1, hours=1)))
    assert sorted(later.all()) == [(2,), (3,)]


def test_min_max_of_a_timestamp_decode_to_datetime(db: mizzle.Database) -> None:
    base = datetime(2024, 1, 1, tzinfo=UTC)
    db.insert(Modes).values([{"id": i, "ts": base + timedelta(days=i)} for i in range(1, 4)]).run()
    lo, hi = db.select(min_(Modes.ts), max_(Modes.ts)).from_(Modes).one()
    assert lo == base + timedelta(days=1)
    assert hi == base + timedelta(days=3)
    empty = db.select(min_(Modes.ts)).from_(Modes).where(eq(Modes.id, 99)).one()
    assert empty == (None,)


def test_text_enum_json_and_length(db: mizzle.Database) -> None:
    doc = {"a": [1, 2, {"b": None}], "ü": "ß"}
    db.insert(Modes).values(id=1, color="green", doc=doc, short="abc").run()
    assert stored(db, "doc") == '{"a":[1,2,{"b":null}],"ü":"ß"}'  # compact, like JSON.stringify
    row = db.select().from_(Modes).one()
    assert (row.color, row.doc, row.short) == ("green", doc, "abc")
    # SQLite does not enforce varchar length; the value comes back unchanged
    db.update(Modes).set(short="longer than five").where(eq(Modes.id, 1)).run()
    assert db.select(Modes.short).from_(Modes).one() == ("longer than five",)


def test_json_null_versus_sql_null(db: mizzle.Database) -> None:
    db.insert(Modes).values(id=1, doc=None).run()
    assert stored(db, "doc") is None
    assert db.select(Modes.doc).from_(Modes).one() == (None,)


def test_real_and_numeric_modes(db: mizzle.Database) -> None:
    db.insert(Modes).values(
        id=1, ratio=0.25, num_s="12.50", num_f=1.5, num_i=12345678901234, num_d=Decimal("3.14")
    ).run()
    row = db.select().from_(Modes).one()
    assert row.ratio == 0.25
    assert row.num_s == "12.5" and isinstance(row.num_s, str)  # numeric affinity normalises the text
    assert row.num_f == 1.5 and isinstance(row.num_f, float)
    assert row.num_i == 12345678901234 and isinstance(row.num_i, int)
    assert row.num_d == Decimal("3.14") and isinstance(row.num_d, Decimal)


def test_blob_modes(db: mizzle.Database) -> None:
    big = 2**70 + 1  # beyond SQLite's 64-bit integers
    db.insert(Modes).values(id=1, raw=b"\x00\xffdata", bjson=[1, 2, 3], big=big).run()
    assert stored(db, "raw") == b"\x00\xffdata"
    assert stored(db, "bjson") == b"[1,2,3]"
    assert stored(db, "big") == str(big).encode()
    row = db.select().from_(Modes).one()
    assert (row.raw, row.bjson, row.big) == (b"\x00\xffdata", [1, 2, 3], big)
    assert isinstance(row.raw, bytes)
    assert db.select(Modes.id).from_(Modes).where(eq(Modes.big, big)).all() == [(1,)]


def test_returning_and_values_decode_modes(db: mizzle.Database) -> None:
    when = datetime(2024, 2, 3, tzinfo=UTC)
    back = db.insert(Modes).values(id=1, flag=True, ts=when, doc={"k": 1}).returning().one()
    assert (back.flag, back.ts, back.doc) == (True, when, {"k": 1})
    assert db.select(Modes.flag, Modes.ts).from_(Modes).values() == [(True, when)]
    got = db.update(Modes).set(flag=False).where(eq(Modes.id, 1)).returning(Modes.flag, Modes.doc).one()
    assert got == (False, {"k": 1})
