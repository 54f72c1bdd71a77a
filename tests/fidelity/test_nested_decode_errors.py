"""A stored value that cannot be decoded inside a nested relational value (a relation loaded through
JSON by `db.query(...)`) raises the same DecodeError as at the root: naming the nested table, its
column, the nested row's primary key and the raw value, on every dialect, sync and async."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import mizzle.aio
from mizzle import DecodeError, Many, One, eq, many, one

from .conftest import Fdb


def _tables(f: Fdb) -> tuple[type[Any], type[Any]]:
    """`fid_par` (id) with many `fid_kid` (id, par_id, doc): `doc` is declared JSON but stored as text."""
    if f.kind in ("sqlite", "libsql"):
        from mizzle.sqlite import Column, Table, integer, text

        class Par(Table, name="fid_par"):
            id: Column[int] = integer().primary_key()
            kids: Many[Kid] = many()

        class Kid(Table, name="fid_kid"):
            id: Column[int] = integer().primary_key()
            par_id: Column[int] = integer().not_null().references(lambda: Par.id)
            doc: Column[Any] = text(mode="json")
            par: One[Par] = one()

    elif f.kind == "postgres":
        from mizzle.postgres import Column, Table, integer, jsonb

        class Par(Table, name="fid_par"):  # type: ignore[no-redef]
            id: Column[int] = integer().primary_key()
            kids: Many[Kid] = many()

        class Kid(Table, name="fid_kid"):  # type: ignore[no-redef]
            id: Column[int] = integer().primary_key()
            par_id: Column[int] = integer().not_null().references(lambda: Par.id)
            doc: Column[Any] = jsonb()
            par: One[Par] = one()

    else:
        from mizzle.mysql import Column, Table, int_, json_

        class Par(Table, name="fid_par"):  # type: ignore[no-redef]
            id: Column[int] = int_().primary_key()
            kids: Many[Kid] = many()

        class Kid(Table, name="fid_kid"):  # type: ignore[no-redef]
            id: Column[int] = int_().primary_key()
            par_id: Column[int] = int_().not_null().references(lambda: Par.id)
            doc: Column[Any] = json_()
            par: One[Par] = one()

    f.db.execute("drop table if exists fid_kid")
    f.db.execute("drop table if exists fid_par")
    f.db.execute("create table fid_par (id integer primary key)")
    f.db.execute("create table fid_kid (id integer primary key, par_id integer not null, doc text)")
    f.created.extend([Par, Kid])
    f.db.execute("insert into fid_par (id) values (1), (2)")
    f.db.execute("insert into fid_kid (id, par_id, doc) values (10, 1, '[1]'), (11, 2, '[2]'), (17, 2, '{not json')")
    return Par, Kid


def _check(e: DecodeError) -> None:
    assert (e.table, e.column, e.key, e.raw) == ("fid_kid", "doc", {"id": 17}, "{not json"), (
        e.table, e.column, e.key, e.raw, str(e))
    assert str(e).startswith("fid_kid.doc: cannot read the stored value '{not json' (row id=17, in a relation loaded by a relational query)"), str(e)


def test_nested_bad_value_names_the_nested_table_column_key_and_raw_value(fdb: Fdb) -> None:
    Par, Kid = _tables(fdb)
    db = fdb.db
    with pytest.raises(DecodeError) as err:
        db.query(Par).find_many(with_={"kids": True}, order_by=Par.id).all()
    _check(err.value)
    with pytest.raises(DecodeError) as err:  # two levels deep: par -> kids
        db.query(Kid).find_many(with_={"par": {"with_": {"kids": True}}}, order_by=Kid.id).all()
    _check(err.value)
    with pytest.raises(DecodeError) as err:  # the kid's own column, its par joined as plain columns
        db.query(Kid).find_many(with_={"par": True}, order_by=Kid.id).all()
    e = err.value
    assert (e.table, e.column, e.key, e.raw) == ("fid_kid", "doc", {"id": 17}, "{not json"), str(e)
    assert str(e).startswith("fid_kid.doc: cannot read the stored value '{not json' (row id=17)"), str(e)
    # the rows without a bad nested value stay readable
    first = db.query(Par).find_first(where=eq(Par.id, 1), with_={"kids": True}).get()
    assert first is not None and [k.doc for k in first.kids] == [[1]]


def test_nested_bad_value_async(fdb: Fdb) -> None:
    if fdb.kind == "libsql":
        pytest.skip("no async libSQL driver here")
    Par, _ = _tables(fdb)
    url = f"sqlite:///{fdb.url}" if fdb.kind == "sqlite" else fdb.url

    async def main() -> DecodeError | None:
        adb = await mizzle.aio.connect(url)
        try:
            await adb.query(Par).find_many(with_={"kids": True}).all()
        except DecodeError as e:
            return e
        finally:
            await adb.close()
        return None

    e = asyncio.run(main())
    assert e is not None
    _check(e)
