"""Bad stored data never makes a table unreadable without saying where: one DecodeError names the
table, the column, the row's primary key and the raw value, on every read path; the raw value can be
read through `sql` to repair it."""

from __future__ import annotations

from typing import Any

import pytest

from mizzle import DecodeError, eq, sql

from .conftest import Fdb


def _bad_table(f: Fdb) -> type[Any]:
    """`fid_bad`: created by raw DDL with a text `doc` column the schema declares as JSON."""
    if f.kind in ("sqlite", "libsql"):
        from mizzle.sqlite import Column, Table, integer, text

        class Bad(Table, name="fid_bad"):
            id: Column[int] = integer().primary_key()
            doc: Column[Any] = text(mode="json")

    elif f.kind == "postgres":
        from mizzle.postgres import Column, Table, integer, jsonb

        class Bad(Table, name="fid_bad"):  # type: ignore[no-redef]
            id: Column[int] = integer().primary_key()
            doc: Column[Any] = jsonb()

    else:
        from mizzle.mysql import Column, Table, int_, json_

        class Bad(Table, name="fid_bad"):  # type: ignore[no-redef]
            id: Column[int] = int_().primary_key()
            doc: Column[Any] = json_()

    f.db.execute("drop table if exists fid_bad")
    f.db.execute("create table fid_bad (id integer primary key, doc text)")
    f.created.append(Bad)
    f.db.execute("insert into fid_bad (id, doc) values (1, '[1]'), (7, '{not json')")
    return Bad


def _check(err: pytest.ExceptionInfo[DecodeError]) -> None:
    e = err.value
    assert (e.table, e.column, e.key, e.raw) == ("fid_bad", "doc", {"id": 7}, "{not json")
    assert str(e).startswith("fid_bad.doc: cannot read the stored value '{not json' (row id=7): JSONDecodeError")
    assert "sql(" in str(e)


def test_invalid_json_raises_one_error_naming_table_column_key_and_raw_value(fdb: Fdb) -> None:
    Bad = _bad_table(fdb)
    db = fdb.db
    with pytest.raises(DecodeError) as err:
        db.select().from_(Bad).order_by(Bad.id).all()
    _check(err)
    with pytest.raises(DecodeError) as err:
        db.select().from_(Bad).where(eq(Bad.id, 7)).get()
    _check(err)
    with pytest.raises(DecodeError) as err:
        db.select().from_(Bad).order_by(Bad.id).prepare().all()
    _check(err)
    with pytest.raises(DecodeError) as err:
        db.query(Bad).find_many(order_by=Bad.id).all()
    _check(err)
    with pytest.raises(DecodeError, match=r"result column #2: cannot read the stored value '\{not json'"):
        db.select(Bad.id, Bad.doc).from_(Bad).order_by(Bad.id).values()
    # the good rows stay readable, and the raw value is readable through sql(...) to repair it
    assert db.select().from_(Bad).where(eq(Bad.id, 1)).one().doc == [1]
    raw = db.select(id=Bad.id, raw=sql("{}", Bad.doc).map_with(str)).from_(Bad).order_by(Bad.id).all()
    assert [(r.id, r.raw) for r in raw] == [(1, "[1]"), (7, "{not json")]
    db.update(Bad).set(doc={"fixed": True}).where(eq(Bad.id, 7)).run()
    assert [r.doc for r in db.select().from_(Bad).order_by(Bad.id).all()] == [[1], {"fixed": True}]


def test_a_malformed_stored_timestamp_names_its_row(fdb: Fdb) -> None:
    V = fdb.s.Vals
    if fdb.kind in ("sqlite", "libsql"):
        fdb.db.execute("insert into fid_vals (id, at) values (3, 'yesterday')")
        raw: Any = "yesterday"
    elif fdb.kind == "mysql":
        fdb.db.execute("set session sql_mode = ''")
        fdb.db.execute("insert into fid_vals (id, at) values (3, '0000-00-00 00:00:00')")
        raw = "0000-00-00 00:00:00.000000"
    else:
        pytest.skip("PostgreSQL refuses malformed timestamps itself")
    with pytest.raises(DecodeError) as err:
        fdb.db.select().from_(V).all()
    e = err.value
    assert (e.table, e.column, e.key, e.raw) == ("fid_vals", "at", {"id": 3}, raw)
    assert str(e).startswith(f"fid_vals.at: cannot read the stored value {raw!r} (row id=3)")
