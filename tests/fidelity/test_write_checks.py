"""Write-time checks: a value round-trips exactly, or is refused before SQL runs naming table and column.

Every value is bound through its column's one encoder (`mizzle.schema.codecs.checked_encoder`), so
keyword rows, dict rows, `set(...)` in both forms, upsert `set`s and where-comparisons are checked
alike. Symptoms from issue #14, on every dialect.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from mizzle import ValueRefusedError, eq, excluded

from .conftest import Fdb

UTC = dt.UTC


def _refused(column: str) -> Any:
    return pytest.raises(ValueRefusedError, match=rf"^fid_vals\.{column}: cannot store")


def _all(f: Fdb) -> list[Any]:
    return f.db.select().from_(f.s.Vals).order_by(f.s.Vals.id).all()


# ---- exact decimals ------------------------------------------------------------------------


BIG = Decimal("12345678901234567890.123456789012345678")


def test_a_decimal_round_trips_exactly_or_is_refused(fdb: Fdb) -> None:
    V = fdb.s.Vals
    if fdb.kind in ("sqlite", "libsql"):
        # NUMERIC affinity would keep 15-17 significant digits: refused, naming the column
        with _refused("amount") as info:
            fdb.db.insert(V).values(id=1, amount=BIG).run()
        assert "read back as 1.2345678901234567E+19" in str(info.value) and "text()" in str(info.value)
        assert info.value.column == "fid_vals.amount"
        with _refused("amount"):  # the dict form goes through the same check
            fdb.db.insert(V).values({"id": 1, "amount": BIG}).run()
        assert _all(fdb) == []
        exact = [Decimal("0.1"), Decimal("123456789012345.6"), Decimal("1E+300"), Decimal("5.0")]
        if fdb.kind == "sqlite":  # the libsql package binds ints beyond 2**53 as doubles (docs/values.md)
            exact += [Decimal("-9223372036854775808"), Decimal("9223372036854775807")]
    else:
        exact = [BIG, Decimal("0.1"), Decimal("-9223372036854775809"), Decimal("5.0")]
    for i, d in enumerate(exact, start=1):
        fdb.db.insert(V).values(id=i, amount=d).run()
    got = [r.amount for r in _all(fdb)]
    assert got == exact and all(type(g) is Decimal for g in got)


def test_decimals_the_column_would_round_are_refused(fdb: Fdb) -> None:
    from mizzle.mysql import decimal as my_decimal
    from mizzle.postgres import numeric as pg_numeric

    col = my_decimal(precision=10, scale=2) if fdb.kind == "mysql" else pg_numeric(precision=10, scale=2)
    with pytest.raises(ValueError, match="more than 2 decimal places"):
        assert col.encoder is not None
        col.encoder(Decimal("1.005"))
    assert col.encoder(Decimal("1.50")) is not None  # trailing zeros are not a rounding


# ---- timestamps -----------------------------------------------------------------------------


LAST = dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)


def test_a_timestamp_near_9999_is_kept_or_refused_and_the_table_stays_readable(fdb: Fdb) -> None:
    V = fdb.s.Vals
    fdb.db.insert(V).values(id=1, at=LAST).run()
    (row,) = _all(fdb)
    want = LAST.replace(microsecond=0) if fdb.kind in ("sqlite", "libsql") else LAST  # seconds mode floors
    if fdb.kind == "mysql":
        want = want.replace(tzinfo=None)  # DATETIME is wall-clock UTC, read back naive
    assert row.at == want
    # one hour later in UTC is year 10000: no mode can read it back
    beyond = dt.datetime(9999, 12, 31, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=-2)))
    with _refused("at"):
        fdb.db.insert(V).values(id=2, at=beyond).run()
    with _refused("at"):
        fdb.db.update(V).set({"at": beyond}).where(eq(V.id, 1)).run()
    assert len(_all(fdb)) == 1  # still readable


def test_sqlite_stored_epoch_ints_outside_the_datetime_range_are_refused(fdb: Fdb) -> None:
    if fdb.kind not in ("sqlite", "libsql"):
        pytest.skip("integer(mode='timestamp') is SQLite's")
    V = fdb.s.Vals
    with _refused("at") as info:
        fdb.db.insert(V).values(id=1, at=253402300800).run()  # type: ignore[arg-type]
    assert "outside what the column can read back" in str(info.value)
    fdb.db.insert(V).values(id=1, at=253402300799).run()  # type: ignore[arg-type]
    assert _all(fdb)[0].at == LAST.replace(microsecond=0)


# ---- enums: insert, update, upsert set, where ---------------------------------------------------


def test_enum_values_are_checked_everywhere_a_value_is_bound(fdb: Fdb) -> None:
    V = fdb.s.Vals
    db = fdb.db
    with _refused("mood") as info:
        db.insert(V).values(id=1, mood="zzz").run()  # type: ignore[arg-type]
    assert "not one of the enum values ['sad', 'ok']" in str(info.value)
    with _refused("mood"):
        db.insert(V).values({"id": 1, "mood": "zzz"}).run()
    with _refused("mood"):
        db.insert(V).values([{"id": 1, "mood": "ok"}, {"id": 2, "mood": "zzz"}]).run()
    db.insert(V).values(id=1, mood="ok").run()
    with _refused("mood"):
        db.update(V).set(mood="zzz").where(eq(V.id, 1)).run()  # type: ignore[arg-type]
    with _refused("mood"):
        db.update(V).set({"mood": "zzz"}).run()
    upsert = db.insert(V).values(id=1, mood="sad")
    if db.dialect.caps.returning or fdb.kind != "mysql":
        up = upsert.on_conflict_do_update(target=V.id, set={"mood": "zzz"})
    else:
        up = upsert.on_duplicate_key_update(set={"mood": "zzz"})
    with _refused("mood"):
        up.run()
    with _refused("mood"):
        db.select().from_(V).where(eq(V.mood, "zzz")).all()
    assert [r.mood for r in _all(fdb)] == ["ok"]
    # excluded(...) is the proposed row, already checked: accepted
    ok = upsert.on_duplicate_key_update(set={"mood": excluded(V.mood)}) if fdb.kind == "mysql" else \
        upsert.on_conflict_do_update(target=V.id, set={"mood": excluded(V.mood)})
    ok.run()
    assert [r.mood for r in _all(fdb)] == ["sad"]


# ---- dict forms go through the same encoders ------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value"),
    [("n", "abc"), ("email", 1), ("n", True), ("n", 2**70), ("n", 1.5), ("doc", {1: "a"}), ("doc", float("nan"))],
)
def test_wrong_values_are_refused_in_every_form(fdb: Fdb, column: str, value: Any) -> None:
    V = fdb.s.Vals
    db = fdb.db
    with _refused(column):
        db.insert(V).values(**{"id": 1, column: value}).run()
    with _refused(column):
        db.insert(V).values({"id": 1, column: value}).run()
    with _refused(column):
        db.insert(V).values([{"id": 1, column: value}]).run()
    db.insert(V).values(id=1).run()
    with _refused(column):
        db.update(V).set(**{column: value}).run()
    with _refused(column):
        db.update(V).set({column: value}).run()
    with _refused(column):
        db.update(V).set({column: value}).prepare().run()
    assert [(r.n, r.email, r.doc) for r in _all(fdb)] == [(None, None, None)]


def test_nan_in_a_float_column_is_refused_where_it_would_not_read_back(fdb: Fdb) -> None:
    V = fdb.s.Vals
    if fdb.kind == "postgres":  # double precision keeps NaN
        fdb.db.insert(V).values(id=1, x=float("nan")).run()
        (row,) = _all(fdb)
        assert row.x != row.x
        return
    with _refused("x"):  # SQLite would store NULL, MySQL refuses it with a driver error
        fdb.db.insert(V).values(id=1, x=float("nan")).run()
