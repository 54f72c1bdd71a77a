"""Property-based fidelity: generated values of every column type and mode, on every dialect, read
back exactly, are refused with ValueRefusedError, or differ only as docs/values.md says.

Each example writes one row and reads it through a flat select, a prepared select, a relational
query (`db.query`) and the async API. `MIZZLE_FIDELITY_EXAMPLES` sets the examples per dialect
(default 25, for CI); the run ends with a line per dialect: values tried, refused, mismatches.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mizzle
import mizzle.aio
from mizzle import ValueRefusedError

from .conftest import Fdb

EXAMPLES = int(os.environ.get("MIZZLE_FIDELITY_EXAMPLES", "25"))
UTC = dt.UTC
STATS: dict[str, dict[str, int]] = {}


@dataclass
class Spec:
    """A column under test: its factory, values to try, what reads back, which values may be refused."""

    name: str
    column: Callable[[], Any]
    values: st.SearchStrategy[Any]
    expect: Callable[[Any], Any] = lambda v: v
    refusable: Callable[[Any], bool] = lambda v: False


def _floor_us(unit: int) -> Callable[[Any], Any]:
    def f(v: dt.datetime) -> dt.datetime:
        v = v.replace(tzinfo=UTC) if v.tzinfo is None else v.astimezone(UTC)
        return v.replace(microsecond=v.microsecond // unit * unit)

    return f


def _json() -> st.SearchStrategy[Any]:
    leaves = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.floats(allow_nan=False, allow_infinity=False, width=64) | st.text()
    return st.recursive(leaves, lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(), c, max_size=3), max_leaves=6)


def _jsonb(v: Any) -> Any:
    """jsonb keeps numbers as numeric and writes 1e16 as 10000000000000000: big integral floats read
    back as the equal int (docs/values.md)."""
    if isinstance(v, float) and v.is_integer() and abs(v) >= 1e16:
        return int(Decimal(repr(v)))  # the decimal digits JSON wrote
    if isinstance(v, list):
        return [_jsonb(x) for x in v]  # pyright: ignore[reportUnknownVariableType]
    if isinstance(v, dict):
        return {k: _jsonb(x) for k, x in v.items()}  # pyright: ignore[reportUnknownVariableType]
    return v


def _json_has_nul(v: Any) -> bool:
    """PostgreSQL json/jsonb cannot hold \\u0000 in a string or a key: such documents are refused on write."""
    if isinstance(v, str):
        return "\x00" in v
    if isinstance(v, list):
        return any(_json_has_nul(x) for x in v)  # pyright: ignore[reportUnknownVariableType]
    if isinstance(v, dict):
        return any(_json_has_nul(k) or _json_has_nul(x) for k, x in v.items())  # pyright: ignore[reportUnknownVariableType]
    return False


def _sqlite_decimal_ok(v: Decimal) -> bool:
    if v == v.to_integral_value() and -(2**63) <= v < 2**63:
        return False
    return Decimal(repr(float(v))) != v


def _specs(kind: str) -> list[Spec]:
    nul_cut = kind == "libsql"  # the libsql package cuts text at NUL on read (docs/values.md)
    text = st.text().filter(lambda s: "\x00" not in s) if nul_cut or kind == "postgres" else st.text()
    if kind in ("sqlite", "libsql"):
        from mizzle.sqlite import blob, integer, numeric, real
        from mizzle.sqlite import text as text_col

        big = 2**53 if kind == "libsql" else 2**63
        return [
            Spec("n", integer, st.integers(-big, big - 1)),
            Spec("flag", lambda: integer(mode="boolean"), st.booleans()),
            Spec("at_s", lambda: integer(mode="timestamp"), st.datetimes(), _floor_us(1_000_000)),
            Spec("at_ms", lambda: integer(mode="timestamp_ms"), st.datetimes(), _floor_us(1000)),
            Spec("x", real, st.floats(), refusable=lambda v: math.isnan(v)),
            Spec("amount", lambda: numeric(mode="decimal"), st.decimals(allow_nan=False, allow_infinity=False),
                 refusable=_sqlite_decimal_ok),
            Spec("s", text_col, text),
            Spec("doc", lambda: text_col(mode="json"), _json()),
            Spec("raw", blob, st.binary()),
        ]
    if kind == "postgres":
        from mizzle.postgres import (
            bigint,
            boolean,
            bytea,
            date,
            double_precision,
            integer,
            jsonb,
            numeric,
            timestamp,
            uuid,
        )
        from mizzle.postgres import text as text_col

        return [
            Spec("n", integer, st.integers(-(2**31), 2**31 - 1)),
            Spec("big", bigint, st.integers(-(2**63), 2**63 - 1)),
            Spec("flag", boolean, st.booleans()),
            Spec("amount", numeric, st.decimals(allow_nan=False, allow_infinity=False)),
            Spec("x", double_precision, st.floats(allow_nan=False)),
            Spec("s", text_col, text),
            Spec("doc", jsonb, _json(), _jsonb, refusable=_json_has_nul),
            Spec("at", lambda: timestamp(with_timezone=True), st.datetimes(timezones=st.just(UTC))),
            Spec("naive", timestamp, st.datetimes()),
            Spec("day", date, st.dates()),
            Spec("raw", bytea, st.binary()),
            Spec("key", uuid, st.uuids()),
        ]
    from mizzle.mysql import bigint, binary, boolean, date, datetime, decimal, double, int_, json_, varbinary
    from mizzle.mysql import text as text_col

    del binary
    return [
        Spec("n", int_, st.integers(-(2**31), 2**31 - 1)),
        Spec("big", bigint, st.integers(-(2**63), 2**63 - 1)),
        Spec("flag", boolean, st.booleans()),
        Spec("amount", lambda: decimal(precision=65, scale=30),
             st.decimals(min_value=Decimal("-1e34"), max_value=Decimal("1e34"), places=30, allow_nan=False)),
        Spec("x", double, st.floats(allow_nan=False, allow_infinity=False)),
        Spec("s", text_col, st.text(max_size=200)),
        Spec("doc", json_, _json()),
        Spec("at", lambda: datetime(fsp=6), st.datetimes(min_value=dt.datetime(1000, 1, 1))),
        Spec("day", date, st.dates(min_value=dt.date(1000, 1, 1))),
        Spec("raw", lambda: varbinary(length=300), st.binary(max_size=300)),
    ]


def _table(kind: str, specs: list[Spec]) -> type[Any]:
    ns: dict[str, Any] = {"__annotations__": {}}
    if kind in ("sqlite", "libsql"):
        from mizzle.sqlite import Table, integer

        ns["id"] = integer().primary_key()
    elif kind == "postgres":
        from mizzle.postgres import Table, integer  # type: ignore[assignment]

        ns["id"] = integer().primary_key()
    else:
        from mizzle.mysql import Table, int_  # type: ignore[assignment]

        ns["id"] = int_().primary_key()
    for s in specs:
        ns[s.name] = s.column()
    return type("FidAll", (Table,), ns, name="fid_all")


def _typed(v: Any) -> Any:
    if isinstance(v, dict):
        return ("d", sorted((k, _typed(x)) for k, x in v.items()))  # pyright: ignore[reportUnknownVariableType, reportUnknownArgumentType]
    if isinstance(v, list):
        return ("l", [_typed(x) for x in v])  # pyright: ignore[reportUnknownVariableType]
    return (type(v).__name__, v)


def _same(got: Any, want: Any) -> bool:
    if isinstance(want, float) and math.isnan(want):
        return isinstance(got, float) and math.isnan(got)
    if isinstance(want, dt.datetime) and want.tzinfo is not None:
        return isinstance(got, dt.datetime) and got.tzinfo is not None and got == want
    if isinstance(want, list | dict):
        return _typed(got) == _typed(want)  # same structure and number types; key order aside
    return type(got) is type(want) and got == want


def _check(kind: str, spec: Spec, value: Any, rows: dict[str, Any]) -> None:
    want = spec.expect(value)
    for path, row in rows.items():
        got = getattr(row, spec.name)
        assert _same(got, want), f"{kind} {spec.name} via {path}: wrote {value!r}, read {got!r}, expected {want!r}"


def test_every_value_round_trips_or_is_refused(fdb: Fdb) -> None:
    kind = fdb.kind
    specs = _specs(kind)
    T = _table(kind, specs)
    fdb.create(T)
    stats = STATS.setdefault(kind, {"tried": 0, "refused": 0, "mismatches": 0})
    db = fdb.db
    aurl = None if kind == "libsql" else (f"sqlite:///{fdb.url}" if kind == "sqlite" else fdb.url)

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(st.fixed_dictionaries({s.name: s.values for s in specs}))
    def one(values: dict[str, Any]) -> None:
        db.delete(T).run()
        row: dict[str, Any] = {"id": 1}
        for s in specs:
            v = values[s.name]
            stats["tried"] += 1
            try:
                db.insert(T).values(id=2, **{s.name: v}).run()
            except ValueRefusedError:
                stats["refused"] += 1
                assert s.refusable(v), f"{kind} {s.name}: {v!r} was refused but should round-trip"
                continue
            finally:
                db.delete(T).run()
            assert not s.refusable(v), f"{kind} {s.name}: {v!r} was accepted but cannot read back"
            row[s.name] = v
        db.insert(T).values(row).run()
        reads = {
            "select": db.select().from_(T).one(),
            "prepared": db.select().from_(T).prepare().all()[0],
            "query": db.query(T).find_many().all()[0],
        }
        if aurl is not None:
            reads["async"] = asyncio.run(_async_read(aurl, T))
        for s in specs:
            if s.name in row:
                try:
                    _check(kind, s, row[s.name], reads)
                except AssertionError:
                    stats["mismatches"] += 1
                    raise

    one()


async def _async_read(url: str, T: type[Any]) -> Any:
    adb = await mizzle.aio.connect(url)
    try:
        return await adb.select().from_(T).one()
    finally:
        await adb.close()


@pytest.fixture(scope="module", autouse=True)
def _report() -> Any:
    yield
    out = os.environ.get("MIZZLE_RELIABILITY_OUT")  # scripts/reliability.sh collects the figures
    for kind, s in STATS.items():
        print(f"\nfidelity {kind}: {s['tried']} values tried, {s['refused']} refused, {s['mismatches']} mismatches")
        if out:
            with open(out, "a", encoding="utf-8") as f:
                f.write(json.dumps({"kind": "fidelity", "dialect": kind, "examples": EXAMPLES, **s}) + "\n")
