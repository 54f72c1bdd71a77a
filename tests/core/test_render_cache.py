"""Queries with equal structure share cached SQL text: the cache must never mix up columns or values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import mizzle
from mizzle import asc, count, desc, eq, gt, in_array, like, sql
from mizzle.dialects.sqlite.dialect import SQLiteDialect
from mizzle.sql.render import render
from mizzle.sqlite import Column, Table, integer, text


class Things(Table, name="cache_things"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()
    note: Column[str | None] = text()


def fresh(q: Any) -> tuple[str, list[Any]]:
    """Render without any cache."""
    out = render(q._build(SQLiteDialect.default()), SQLiteDialect.default())
    return out.sql, list(out.params)


VARIANTS: list[Callable[[Any], Any]] = [
    lambda v: mizzle.select(Things.name.as_("x")).from_(Things),
    lambda v: mizzle.select(Things.note.as_("x")).from_(Things),
    lambda v: mizzle.select(sql("{}", v).as_("x")).from_(Things),
    lambda v: mizzle.select(sql("upper({})", v).as_("x")).from_(Things),
    lambda v: mizzle.select(x=Things.name).from_(Things),
    lambda v: mizzle.select(x=Things.note).from_(Things),
    lambda v: mizzle.select(x=sql("{}", v)).from_(Things),
    lambda v: mizzle.select(Things.id).from_(Things).where(eq(Things.name, v)),
    lambda v: mizzle.select(Things.id).from_(Things).where(eq(Things.note, v)),
    lambda v: mizzle.select(Things.id).from_(Things).where(like(Things.name, v)),
    lambda v: mizzle.select(Things.id).from_(Things).where(in_array(Things.name, [v, v + "2"])),
    lambda v: mizzle.select(Things.id).from_(Things).where(in_array(Things.name, [v])),
    lambda v: mizzle.select(Things.id, count().as_("n")).from_(Things).group_by(Things.id).having(gt(count(), len(v))),
    lambda v: mizzle.select(Things.id).from_(Things).order_by(asc(Things.name)).limit(len(v)),
    lambda v: mizzle.select(Things.id).from_(Things).order_by(desc(Things.name)).limit(len(v)).offset(1),
    lambda v: mizzle.select(Things.id).from_(Things).order_by(sql("{} || name", v)),
    lambda v: mizzle.select().from_(Things).where(eq(Things.name, v)),
    lambda v: mizzle.select_distinct().from_(Things).where(eq(Things.name, v)),
]


@pytest.mark.parametrize("value", ["a", "bb", "it's"])
def test_cached_sql_matches_a_fresh_render(value: str) -> None:
    for make in VARIANTS:
        # build each variant twice (the second hits the cache), interleaved with the others
        for q in (make(value), make(value + "!")):
            assert (q.to_sql().sql, list(q.to_sql().params)) == fresh(q)


def test_aliased_selections_of_different_columns_differ() -> None:
    a = mizzle.select(Things.name.as_("n")).from_(Things).to_sql()
    b = mizzle.select(Things.note.as_("n")).from_(Things).to_sql()
    assert '"name" as "n"' in a.sql
    assert '"note" as "n"' in b.sql


def test_aliased_values_are_not_reused(tmp_path: Any) -> None:
    db = mizzle.connect(str(tmp_path / "c.db"))
    mizzle.create_all(db, [Things])
    db.insert(Things).values(id=1, name="n").run()
    for value in ("first", "second", "third"):
        assert db.select(sql[str]("{}", value).as_("v")).from_(Things).one() == (value,)
    assert db.select(Things.name.as_("c")).from_(Things).one() == ("n",)
    assert db.select(Things.note.as_("c")).from_(Things).one() == (None,)
    db.close()


def test_a_fragment_is_not_read_as_the_next_field() -> None:
    # `x=sql("y")` and `x=sql(""), y=sql("")` key the same text unless each fragment's key is closed
    d = SQLiteDialect()
    a = mizzle.select(x=sql("y")).from_(Things).compile(d).query
    b = mizzle.select(x=sql(""), y=sql("")).from_(Things).compile(d).query
    assert a.sql == 'select y as "x" from "cache_things"'
    assert b.sql == 'select  as "x",  as "y" from "cache_things"'
