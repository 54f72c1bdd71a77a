"""The same value-test tables in each dialect's types (`tables(kind)`), for tests/fidelity.

`Vals`: one column per kind of value the tests write (an int, text, an enum, an exact decimal, a
timestamp, JSON, a float). Column names are the same on every dialect.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any


def tables(kind: str) -> SimpleNamespace:
    """The tables for `kind` ("sqlite", "libsql", "postgres" or "mysql")."""
    if kind in ("sqlite", "libsql"):
        return _sqlite()
    if kind == "postgres":
        return _postgres()
    return _mysql()


def _sqlite() -> SimpleNamespace:
    from mizzle.sqlite import Column, Table, integer, numeric, real, text

    class Vals(Table, name="fid_vals"):
        id: Column[int] = integer().primary_key()
        n: Column[int | None] = integer()
        email: Column[str | None] = text()
        mood: Column[str | None] = text(enum=("sad", "ok"))
        amount: Column[Decimal | None] = numeric(mode="decimal")
        at: Column[dt.datetime | None] = integer(mode="timestamp")
        doc: Column[Any] = text(mode="json")
        x: Column[float | None] = real()

    return SimpleNamespace(Vals=Vals, TABLES=[Vals])


def _postgres() -> SimpleNamespace:
    from mizzle.postgres import Column, Table, double_precision, integer, jsonb, numeric, text, timestamp

    class Vals(Table, name="fid_vals"):
        id: Column[int] = integer().primary_key()
        n: Column[int | None] = integer()
        email: Column[str | None] = text()
        mood: Column[str | None] = text(enum=("sad", "ok"))
        amount: Column[Decimal | None] = numeric()
        at: Column[dt.datetime | None] = timestamp(with_timezone=True)
        doc: Column[Any] = jsonb()
        x: Column[float | None] = double_precision()

    return SimpleNamespace(Vals=Vals, TABLES=[Vals])


def _mysql() -> SimpleNamespace:
    from mizzle.mysql import Column, Table, datetime, decimal, double, int_, json_, text, varchar

    class Vals(Table, name="fid_vals"):
        id: Column[int] = int_().primary_key()
        n: Column[int | None] = int_()
        email: Column[str | None] = text()
        mood: Column[str | None] = varchar(length=10, enum=("sad", "ok"))
        amount: Column[Decimal | None] = decimal(precision=65, scale=30)
        at: Column[dt.datetime | None] = datetime(fsp=6)
        doc: Column[Any] = json_()
        x: Column[float | None] = double()

    return SimpleNamespace(Vals=Vals, TABLES=[Vals])
