"""Types only one server has, in nested rows: the same Python values as a flat select.

PostgreSQL: arrays (of timestamps, dates, numerics, uuids, bytea, intervals, enums; two
dimensions), uuid, interval, time with time zone, real, naive timestamps. MariaDB: unsigned
bigint, year, time, enum, binary padding, and nested arrays longer than `group_concat_max_len`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from mizzle import desc, eq, relations
from mizzle.errors import QueryError
from mizzle.session.sync import Database

from .conftest import Recorder


def _same_as_flat(db: Database, parent: type[Any], child: type[Any]) -> list[Any]:
    """Load every parent with its children nested; assert each child equals its flat-select row."""
    flat = {r.id: r for r in db.select().from_(child).all()}
    parents = db.query(parent).find_many(with_={"kids": {"order_by": child.id}}, order_by=parent.id).all()
    nested = [k for p in parents for k in p.kids]
    assert sorted(k.id for k in nested) == sorted(flat)
    for k in nested:
        want = flat[k.id]
        for key in want._fields:
            got, exp = getattr(k, key), getattr(want, key)
            nan = got != got and exp != exp  # NaN equals nothing, itself included
            assert type(got) is type(exp) and (got == exp or nan), (k.id, key, got, exp)
    return parents


# ---- PostgreSQL ---------------------------------------------------------------------


def _pg_tables() -> tuple[type[Any], type[Any]]:
    from mizzle.postgres import (
        Column,
        Table,
        bytea,
        date,
        integer,
        interval,
        numeric,
        pg_enum,
        real,
        text,
        time,
        timestamp,
    )
    from mizzle.postgres import uuid as uuid_col

    mood = pg_enum("rel_mood", ["sad", "ok"])

    class PgParents(Table, name="rel_pg_parents"):
        id: Column[int] = integer().primary_key()

    class PgKids(Table, name="rel_pg_kids"):
        id: Column[int] = integer().primary_key()
        parent_id: Column[int] = integer().not_null().references(lambda: PgParents.id)
        naive: Column[dt.datetime | None] = timestamp()
        naive_text: Column[str | None] = timestamp(mode="string")
        day: Column[dt.date | None] = date()
        clock: Column[dt.time | None] = time(with_timezone=True)
        key: Column[uuid.UUID | None] = uuid_col()
        span: Column[dt.timedelta | None] = interval()
        single: Column[float | None] = real()
        exact: Column[Decimal | None] = numeric()
        feeling: Column[str | None] = mood()
        stamps: Column[list[dt.datetime | None] | None] = timestamp(with_timezone=True).array()
        days: Column[list[dt.date | None] | None] = date().array()
        amounts: Column[list[Decimal] | None] = numeric().array()
        keys: Column[list[uuid.UUID] | None] = uuid_col().array()
        blobs: Column[list[bytes | None] | None] = bytea().array()
        spans: Column[list[dt.timedelta | None] | None] = interval().array()
        moods: Column[list[str] | None] = mood().array()
        grid: Column[list[list[int]] | None] = integer().array(2)
        words: Column[list[str | None] | None] = text().array()

    relations(PgParents, lambda r: {"kids": r.many(PgKids)})
    return PgParents, PgKids


@pytest.mark.parametrize("dialect_name", ["postgres"], indirect=True)
def test_postgres_values_and_arrays_in_nested_rows(make_db: Callable[..., Database], recorder: Recorder) -> None:
    parents, kids = _pg_tables()
    db = make_db([parents, kids])
    db.insert(parents).values([{"id": 1}, {"id": 2}]).run()
    plus = dt.timezone(dt.timedelta(hours=5, minutes=30))
    db.insert(kids).values([
        {"id": 1, "parent_id": 1, "naive": dt.datetime(2024, 2, 29, 23, 59, 58, 123456),
         "naive_text": "2024-01-01 01:02:03", "day": dt.date(2024, 2, 29), "clock": dt.time(12, 0, 1, tzinfo=plus),
         "key": uuid.UUID(int=7), "span": dt.timedelta(days=40, seconds=3.25), "single": 0.1,
         "exact": Decimal("1.000000000000000000001"), "feeling": "ok",
         "stamps": [dt.datetime(2020, 1, 1, tzinfo=dt.UTC), None], "days": [dt.date(2020, 1, 2)],
         "amounts": [Decimal("0.1"), Decimal("-12345678901234567890.5")], "keys": [uuid.UUID(int=1)],
         "blobs": [b"\x00\xff", None, b""], "spans": [dt.timedelta(seconds=1.5), None], "moods": ["sad", "ok"],
         "grid": [[1, 2], [3, 4]], "words": ["a", 'b,"c"', None, "{x}"]},
        {"id": 2, "parent_id": 1, "stamps": [], "spans": [], "blobs": [], "exact": Decimal("NaN")},
        {"id": 3, "parent_id": 2},
    ]).run()
    recorder.clear()
    parents_rows = _same_as_flat(db, parents, kids)
    assert len(recorder.selects) == 2  # the flat select and the relational one
    k1 = parents_rows[0].kids[0]
    assert k1.stamps == [dt.datetime(2020, 1, 1, tzinfo=dt.UTC), None] and k1.blobs == [b"\x00\xff", None, b""]
    assert k1.spans == [dt.timedelta(seconds=1.5), None] and k1.amounts[1] == Decimal("-12345678901234567890.5")
    assert k1.grid == [[1, 2], [3, 4]] and k1.clock == dt.time(12, 0, 1, tzinfo=plus)
    assert parents_rows[0].kids[1].spans == [] and parents_rows[1].kids[0].stamps is None


# ---- MariaDB / MySQL ------------------------------------------------------------------


def _mysql_tables() -> tuple[type[Any], type[Any]]:
    from mizzle.mysql import (
        Column,
        Table,
        bigint,
        binary,
        datetime,
        float_,
        int_,
        mysql_enum,
        text,
        time,
        year,
    )

    class MyParents(Table, name="rel_my_parents"):
        id: Column[int] = int_().primary_key()

    class MyKids(Table, name="rel_my_kids"):
        id: Column[int] = int_().primary_key()
        parent_id: Column[int] = int_().not_null().references(lambda: MyParents.id)
        huge: Column[int | None] = bigint(unsigned=True)
        single: Column[float | None] = float_()
        when: Column[dt.datetime | None] = datetime(fsp=6)
        when_text: Column[str | None] = datetime(mode="string")
        clock: Column[dt.time | None] = time(fsp=3)
        born: Column[int | None] = year()
        kind: Column[str | None] = mysql_enum(["a", "b c"])
        padded: Column[bytes | None] = binary(length=4)
        body: Column[str | None] = text()

    relations(MyParents, lambda r: {"kids": r.many(MyKids)})
    return MyParents, MyKids


@pytest.mark.parametrize("dialect_name", ["mysql"], indirect=True)
def test_mysql_values_in_nested_rows(make_db: Callable[..., Database]) -> None:
    parents, kids = _mysql_tables()
    db = make_db([parents, kids])
    db.insert(parents).values([{"id": 1}, {"id": 2}]).run()
    db.insert(kids).values([
        {"id": 1, "parent_id": 1, "huge": 2**64 - 1, "single": 0.1, "when": dt.datetime(2024, 1, 1, 1, 2, 3, 456789),
         "when_text": "2024-01-01 01:02:03", "clock": dt.time(12, 30, 1, 500000), "born": 2024, "kind": "b c",
         "padded": b"\x01", "body": 'a"b\\c\'é✓\n'},
        {"id": 2, "parent_id": 1, "single": 3.4e38, "clock": dt.time(0, 0)},
        {"id": 3, "parent_id": 2},
    ]).run()
    rows = _same_as_flat(db, parents, kids)
    assert rows[0].kids[0].huge == 2**64 - 1 and rows[0].kids[0].padded == b"\x01\x00\x00\x00"


@pytest.mark.parametrize("dialect_name", ["mysql"], indirect=True)
def test_mysql_nested_arrays_past_the_group_concat_limit(make_db: Callable[..., Database],
                                                         recorder: Recorder) -> None:
    """MariaDB's JSON_ARRAYAGG stops at group_concat_max_len (1 MB by default): 3 MB come back whole."""
    parents, kids = _mysql_tables()
    db = make_db([parents, kids])
    db.insert(parents).values([{"id": 1}]).run()
    db.insert(kids).values([{"id": i, "parent_id": 1, "body": f"{i:04d}" + "x" * 996} for i in range(1, 3001)]).run()
    assert db.execute("select @@group_concat_max_len")[0][0] < 3_000_000
    recorder.clear()
    p = db.query(parents).find_first(with_={"kids": {"columns": {"id": True, "body": True},
                                                     "order_by": desc(kids.id)}}).get()
    assert p is not None and len(recorder.statements) == 1
    assert [k.id for k in p.kids] == list(range(3000, 0, -1))
    assert all(len(k.body) == 1000 and k.body.startswith(f"{k.id:04d}") for k in p.kids)
    # past max_allowed_packet the server cuts the text: a clear error, never a silently short list
    packet = db.execute("select @@max_allowed_packet")[0][0]
    if packet <= 64 * 2**20:
        db.insert(kids).values([{"id": 10_000 + i, "parent_id": 1, "body": "y" * 60_000}
                                for i in range(packet // 60_000 + 10)]).run()
        with pytest.raises(QueryError, match="max_allowed_packet"):
            db.query(parents).find_first(where=eq(parents.id, 1), with_={"kids": True}).get()
