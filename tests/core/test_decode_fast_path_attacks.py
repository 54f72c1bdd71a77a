"""Adversarial checks of the row decoding fast paths on SQLite (compiled decoders fed straight from
the driver's cursor, the cycle collector paused while decoding, lazily decoded `.iter()` batches): a
stored value that cannot be decoded still raises a DecodeError naming table, column and key, leaves
the collector as it was and no statement open on the connection; an exception (even a BaseException)
raised in a loop body over `.iter()` does the same."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import mizzle
from mizzle import DecodeError
from mizzle.sqlite import Column, Table, integer, text


class Docs(Table, name="att_docs"):
    id: Column[int] = integer().primary_key()
    doc: Column[Any] = text(mode="json")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[mizzle.Database]:
    db = mizzle.connect(str(tmp_path / "att.db"))
    mizzle.create_all(db, [Docs])
    db.insert(Docs).values([{"id": i, "doc": {"n": i}} for i in range(1, 3001)]).run()
    db.execute("update att_docs set doc = '{bad' where id = 1500")
    try:
        yield db
    finally:
        db.close()


def _check(e: DecodeError) -> None:
    assert (e.table, e.column, e.key, e.raw) == ("att_docs", "doc", {"id": 1500}, "{bad"), str(e)


def _connection_is_free(db: mizzle.Database) -> None:
    """No statement left open on the connection: the table can be dropped (SQLite refuses while a
    statement still reads it) and a write transaction can start and commit."""
    with db.transaction():
        db.execute("create table att_probe (x integer)")
    db.execute("drop table att_probe")
    db.execute("update att_docs set doc = '{}' where id = 1500")
    db.execute("drop table att_docs")


@pytest.mark.parametrize("collector_on", [True, False])
def test_decode_error_in_all_names_the_value_restores_the_collector_and_frees_the_connection(
    db: mizzle.Database, collector_on: bool
) -> None:
    was = gc.isenabled()
    (gc.enable if collector_on else gc.disable)()
    try:
        with pytest.raises(DecodeError) as err:  # `err` keeps the exception (and its traceback) alive
            db.select().from_(Docs).order_by(Docs.id).all()
        _check(err.value)
        assert gc.isenabled() is collector_on
        with pytest.raises(DecodeError) as err2:
            db.select().from_(Docs).order_by(Docs.id).prepare().all()
        _check(err2.value)
        assert gc.isenabled() is collector_on
        _connection_is_free(db)
    finally:
        (gc.enable if was else gc.disable)()


def test_decode_error_in_iter_and_get(db: mizzle.Database) -> None:
    with pytest.raises(DecodeError) as err:
        for _ in db.select().from_(Docs).order_by(Docs.id).iter(batch_size=64):
            pass
    _check(err.value)
    assert gc.isenabled()
    with pytest.raises(DecodeError) as err2:
        db.select().from_(Docs).where(mizzle.eq(Docs.id, 1500)).get()
    _check(err2.value)
    _connection_is_free(db)


class Stop(BaseException):
    pass


def test_base_exception_in_an_iter_loop_body(db: mizzle.Database) -> None:
    rows = db.select().from_(Docs).where(mizzle.lt(Docs.id, 1000)).order_by(Docs.id).iter(batch_size=100)
    with pytest.raises(Stop):
        for row in rows:
            if row.id == 250:
                raise Stop
    assert gc.isenabled()
    rows.close()
    _connection_is_free(db)


def test_rows_decoded_from_the_cursor_are_the_rows_fetched(db: mizzle.Database) -> None:
    db.execute("update att_docs set doc = '[1]' where id = 1500")
    got = db.select().from_(Docs).order_by(Docs.id).all()
    assert [(r.id, r.doc) for r in got[1497:1501]] == [(1498, {"n": 1498}), (1499, {"n": 1499}), (1500, [1]), (1501, {"n": 1501})]
    assert len(got) == 3000 and got[-1].id == 3000
    streamed = list(db.select(Docs.id, Docs.doc).from_(Docs).order_by(Docs.id).iter(batch_size=7))
    assert streamed == [(r.id, r.doc) for r in got]
    assert gc.isenabled()
