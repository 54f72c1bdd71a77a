"""`assign(Table, col=value)`: typed dict-shaped `set=` arguments (the checkers check the keys; here the run time)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import mizzle
from mizzle import QueryError, assign, eq, excluded
from mizzle.sqlite import Column, Table, integer, text


class Counters(Table, name="assign_counters"):
    key: Column[str] = text().primary_key()
    label: Column[str] = text().not_null()
    hits: Column[int] = integer().not_null().default(0)


@pytest.fixture
def db() -> Iterator[mizzle.Database]:
    d = mizzle.connect(":memory:")
    mizzle.create_all(d, [Counters])
    yield d
    d.close()


def test_assign_in_an_upsert_and_an_update(db: mizzle.Database) -> None:
    for label in ("a", "b"):
        db.insert(Counters).values(key="k", label=label, hits=1).on_conflict_do_update(
            target=Counters.key, set=assign(Counters, label=excluded(Counters.label), hits=Counters.hits + 1)
        ).run()
    assert db.select(Counters.label, Counters.hits).from_(Counters).one() == ("b", 2)
    db.update(Counters).set(assign(Counters, hits=10)).where(eq(Counters.key, "k")).run()
    assert db.select(Counters.hits).from_(Counters).scalar() == 10
    assert assign(Counters, label="x") == {"label": "x"}


def test_assign_refuses_unknown_columns_and_positional_values() -> None:
    with pytest.raises(QueryError, match="unknown column 'lable'; columns are: key, label, hits"):
        assign(Counters, lable="x")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    with pytest.raises(QueryError, match="pass columns by keyword"):
        assign(Counters, "x")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
