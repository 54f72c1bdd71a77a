"""Row materialization: rows decoded straight from the sqlite3 cursor equal those decoded from fetchall();
a bad value or a driver error mid-result is reported and leaves nothing locked; the cycle collector paused
while decoding is always resumed (nested, concurrent, on errors) and stays off when the application
turned it off."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import mizzle
from mizzle import DecodeError, eq, placeholder, sql
from mizzle.errors import DatabaseError
from mizzle.query import rows as rows_mod
from mizzle.schema.column import Column as RawColumn
from mizzle.sqlite import Column, Table, alias, integer, real, text

N = 3000


class Items(Table, name="rm_items"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()
    price: Column[float] = real().not_null()
    at: Column[datetime | None] = integer(mode="timestamp")
    doc: Column[Any] = text(mode="json")
    parent_id: Column[int | None] = integer()


SEEN: list[bool] = []  # gc.isenabled() as each value of Scaled.price was decoded


def _scaled(v: Any) -> Any:
    SEEN.append(gc.isenabled())
    return v * 10


def _explode(v: Any) -> Any:
    if v > 700:
        raise KeyboardInterrupt
    return v


class Scaled(Table, name="rm_scaled"):  # a view over rm_items
    id: Column[int] = integer().primary_key()
    price: Column[Any] = RawColumn("real", decoder=_scaled, py_types=(float,))


class Exploding(Table, name="rm_exploding"):  # a view over rm_items
    id: Column[int] = integer().primary_key()
    price: Column[Any] = RawColumn("real", decoder=_explode, py_types=(float,))


@pytest.fixture
def db(tmp_path: Path) -> Iterator[mizzle.Database]:
    d = mizzle.connect(str(tmp_path / "rows.db"))
    d.execute(
        "create table rm_items (id integer primary key, name text not null, price real not null, at integer, "
        "doc text, parent_id integer)"
    )
    d.driver.conn.executemany(
        "insert into rm_items values (?, ?, ?, ?, ?, ?)",
        [(i, f"item {i}", i * 0.5, 1_700_000_000 + i if i % 3 else None, f"[{i}]", i - 1 if i % 2 else None)
         for i in range(1, N + 1)],
    )
    yield d
    d.close()


def _queries(db: mizzle.Database) -> dict[str, Any]:
    parent = alias(Items, "parent")
    return {
        "full": db.select().from_(Items).order_by(Items.id),
        "columns": db.select(Items.id, Items.at).from_(Items).order_by(Items.id),
        "named": db.select(k=Items.id, when=Items.at, twice=sql[int]("{} * 2", Items.id)).from_(Items)
        .order_by(Items.id),
        "join": db.select().from_(Items).left_join(parent, eq(Items.parent_id, parent.id)).order_by(Items.id),
        "one value": db.select(Items.name).from_(Items).order_by(Items.id),
    }


def test_rows_from_the_cursor_equal_rows_from_fetchall(db: mizzle.Database, monkeypatch: pytest.MonkeyPatch) -> None:
    assert db._iterates  # sqlite3: decoded straight from the cursor
    fast = {k: q.all() for k, q in _queries(db).items()}
    prepared = {k: q.prepare().all() for k, q in _queries(db).items()}
    monkeypatch.setattr(db, "_iterates", False)
    slow = {k: q.all() for k, q in _queries(db).items()}
    for k in slow:
        assert fast[k] == slow[k] == prepared[k], k
        assert [type(r) for r in fast[k]] == [type(r) for r in slow[k]], k
        assert [repr(r) for r in fast[k][:5]] == [repr(r) for r in slow[k][:5]], k
    full = fast["full"]
    assert len(full) == N and full[1].at == datetime.fromtimestamp(1_700_000_002, UTC) and full[2].at is None
    assert full[4].doc == [5] and full[4][4] == [5] and full[4].name == "item 5"
    assert isinstance(full[0], Items)
    joined = fast["join"]
    assert joined[0][1] is None and joined[1][1] is None and joined[2][1] is not None and joined[2][1].id == 2
    assert [r.k for r in fast["named"][:3]] == [1, 2, 3] and fast["named"][2].twice == 6
    # two shapes over one table never share a decoder
    assert fast["columns"][0] != fast["full"][0][:2]
    assert len(fast["columns"][0]) == 2 and len(fast["full"][0]) == 6


def test_row_classes_build_like_tuples(db: mizzle.Database) -> None:
    row = db.select().from_(Items).where(eq(Items.id, 1)).get()
    assert row is not None
    cls = type(row)
    again = cls(tuple(row))
    assert again == row and type(again) is cls and repr(again) == repr(row)
    with pytest.raises(TypeError):
        Items(bogus=1)  # the table class keeps its keyword constructor


@pytest.mark.parametrize("prepared", [False, True])
def test_bad_value_mid_cursor_names_its_row_and_unlocks_the_table(db: mizzle.Database, prepared: bool) -> None:
    db.execute("update rm_items set doc = '{not json' where id = 2500")
    q = db.select().from_(Items).order_by(Items.id)
    with pytest.raises(DecodeError) as err:
        q.prepare().all() if prepared else q.all()
    e = err.value
    assert (e.table, e.column, e.key, e.raw) == ("rm_items", "doc", {"id": 2500}, "{not json")
    assert gc.isenabled()
    db.execute("drop table rm_items")  # the half-read statement was closed: the table is not locked


def test_driver_error_mid_cursor_is_mapped_and_unlocks_the_table(db: mizzle.Database) -> None:
    boom = sql[int]("case when {} = 2000 then abs(-9223372036854775807 - 1) else 0 end", Items.id)
    with pytest.raises(DatabaseError, match="overflow"):
        db.select(x=boom).from_(Items).order_by(Items.id).all()
    assert gc.isenabled()
    db.execute("drop table rm_items")


def test_collector_paused_while_decoding_and_always_resumed(db: mizzle.Database) -> None:
    db.execute("create view rm_scaled as select id, price from rm_items")
    db.execute("create view rm_exploding as select id, price from rm_items")
    SEEN.clear()
    assert gc.isenabled()
    rows = db.select().from_(Scaled).order_by(Scaled.id).all()
    assert len(rows) == N and rows[1].price == 10.0 and SEEN and not any(SEEN)
    assert gc.isenabled()
    SEEN.clear()
    got = db.select().from_(Scaled).where(eq(Scaled.id, 3)).get()  # one row: no pause
    assert got is not None and got.price == 15.0 and SEEN == [True]

    # an application that turned the collector off keeps it off
    gc.disable()
    try:
        db.select().from_(Scaled).all()
        assert not gc.isenabled()
    finally:
        gc.enable()

    # any exception mid-decode, BaseException included, resumes it
    with pytest.raises(KeyboardInterrupt):
        db.select().from_(Exploding).order_by(Exploding.id).all()
    with pytest.raises(KeyboardInterrupt):
        db.select().from_(Exploding).order_by(Exploding.id).prepare().all()
    assert gc.isenabled() and rows_mod._pauses == 0
    db.execute("drop view rm_exploding")  # nothing left half read
    db.execute("drop table rm_items")


def test_nested_pauses_resume_once_the_last_ends() -> None:
    assert gc.isenabled()
    a = rows_mod.pause_collector()
    b = rows_mod.pause_collector()
    assert a and b and not gc.isenabled()
    rows_mod.resume_collector()
    assert not gc.isenabled()  # the other decoder is still running
    rows_mod.resume_collector()
    assert gc.isenabled() and rows_mod._pauses == 0
    gc.disable()
    try:
        assert not rows_mod.pause_collector()  # off already: nothing to resume
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_concurrent_decoders_leave_the_collector_on(tmp_path: Path) -> None:
    path = str(tmp_path / "threads.db")
    setup = mizzle.connect(path)
    setup.execute("create table rm_items (id integer primary key, name text not null, price real not null, "
                  "at integer, doc text, parent_id integer)")
    setup.driver.conn.executemany("insert into rm_items (id, name, price, doc) values (?, ?, ?, ?)",
                                  [(i, f"n{i}", i * 1.0, "[1]" if i != 1999 else "{bad") for i in range(1, 2001)])
    setup.close()
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def work(k: int) -> None:
        db = mizzle.connect(path)
        try:
            start.wait()
            prepared = db.select().from_(Items).where(eq(Items.id, placeholder("id"))).prepare()
            for i in range(30):
                if (i + k) % 3 == 0:
                    with pytest.raises(DecodeError):
                        db.select().from_(Items).all()  # fails near the end, while others decode
                else:
                    assert len(db.select(Items.id, Items.name).from_(Items).all()) == 2000
                assert prepared.get(id=5) is not None
        except BaseException as exc:
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert gc.isenabled() and rows_mod._pauses == 0


def test_timestamp_decoders_match_the_epoch_sum() -> None:
    import random
    from datetime import timedelta

    from mizzle.dialects.sqlite.columns import EPOCH, decode_timestamp, decode_timestamp_ms

    rnd = random.Random(21)
    lo, hi = -62135596800, 253402300799  # 0001-01-01 .. 9999-12-31 23:59:59 UTC
    seconds = [lo, hi, -1, 0, 1, *(rnd.randint(lo, hi) for _ in range(2000))]
    for v in seconds:
        got = decode_timestamp(v)
        assert got == EPOCH + timedelta(seconds=v) and got.tzinfo is UTC, v
        ms = v * 1000 + rnd.randint(0, 999) if v < hi else v * 1000
        got = decode_timestamp_ms(ms)
        assert got == EPOCH + timedelta(milliseconds=ms) and got.tzinfo is UTC, ms
    for f in (1.5, -0.25, 1_700_000_000.000001):
        assert decode_timestamp(f) == EPOCH + timedelta(seconds=f)
    for bad in (hi + 1, lo - 1, 2**62):
        with pytest.raises((ValueError, OverflowError)):
            decode_timestamp(bad)
