"""The structural SQL cache serves selects on every dialect (MySQL/MariaDB included).

Each variant is compiled twice with different values (the second compile hits the cache) and
must equal a fresh, uncached render; cacheable variants must add exactly one cache entry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import pytest

import mizzle
from core.test_render_cache_dml import dialects
from mizzle import (
    asc,
    case,
    cast,
    coalesce,
    concat,
    contains,
    count,
    date_of,
    desc,
    ends_with,
    eq,
    extract,
    gt,
    ilike,
    in_array,
    length,
    like,
    lower,
    now,
    replace,
    sql,
    starts_with,
    substr,
    trim,
    upper,
)
from mizzle.dialects.base import Dialect
from mizzle.errors import QueryError
from mizzle.sql.render import render
from mizzle.sqlite import Column, Table, integer, text


class Things(Table, name="cache_sel_things"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()
    note: Column[str | None] = text()


Other = mizzle.alias(Things, "o")


def _band(cut: int = 3, low: str = "it's 5%") -> Any:
    return case().when(gt(Things.id, cut), "big").else_(low)


class Variant(NamedTuple):
    name: str
    make: Callable[[str], Any]
    cached: bool = True
    grouped_values: bool = False  # its values are grouped: literals (one entry per value) where inline_grouped_values


VARIANTS = [
    Variant("full row", lambda v: mizzle.select().from_(Things).where(eq(Things.name, v))),
    Variant("distinct", lambda v: mizzle.select_distinct().from_(Things).where(eq(Things.name, v))),
    Variant("aliased column", lambda v: mizzle.select(Things.name.as_("x")).from_(Things).where(eq(Things.id, len(v)))),
    Variant("aliased value", lambda v: mizzle.select(sql("{}", v).as_("x")).from_(Things)),
    Variant("named", lambda v: mizzle.select(x=Things.note, y=sql("upper({})", v)).from_(Things)),
    Variant("like", lambda v: mizzle.select(Things.id).from_(Things).where(like(Things.name, v + "%"))),
    Variant("ilike", lambda v: mizzle.select(Things.id).from_(Things).where(ilike(Things.name, v + "%"))),
    Variant("in", lambda v: mizzle.select(Things.id).from_(Things).where(in_array(Things.name, [v, v + "2"]))),
    Variant("group having", lambda v: mizzle.select(Things.id, count().as_("n")).from_(Things).group_by(
        Things.id).having(gt(count(), len(v))), grouped_values=True),
    Variant("order limit", lambda v: mizzle.select(Things.id).from_(Things).order_by(asc(Things.name)).limit(len(v))),
    Variant("order limit offset", lambda v: mizzle.select(Things.id).from_(Things).order_by(
        desc(Things.name)).limit(len(v)).offset(1)),
    Variant("offset only", lambda v: mizzle.select(Things.id).from_(Things).offset(len(v))),
    Variant("order by value", lambda v: mizzle.select(Things.id).from_(Things).order_by(sql("{} || name", v))),
    Variant("for update", lambda v: mizzle.select(Things.id).from_(Things).where(eq(Things.name, v)).for_update()),
    Variant("join", lambda v: mizzle.select(Things.id).from_(Things).left_join(
        Other, eq(Other.id, Things.id)).where(eq(Other.name, v))),
    # a grouped expression with values: PostgreSQL writes them as literals (keyed with the literals)
    Variant("group by case", lambda v: mizzle.select(_band(), count()).from_(Things).where(eq(Things.name, v))
            .group_by(_band()).having(gt(count(), 1)).order_by(_band())),
    # the expression functions, spelled by each dialect's `functions`
    Variant("string functions", lambda v: mizzle.select(
        lower(Things.name), coalesce(Things.note, v), length(Things.name), concat(Things.name, v),
        substr(Things.name, 1, len(v)), replace(Things.name, v, "x"), trim(upper(Things.name)),
    ).from_(Things).where(starts_with(Things.name, v))),
    Variant("cast case like", lambda v: mizzle.select(
        cast(Things.id, str), case().when(contains(Things.name, v), cast(Things.id, float)).else_(0.5),
    ).from_(Things).where(ends_with(Things.name, v)).order_by(lower(Things.name))),
    Variant("dates", lambda v: mizzle.select(now(), date_of(now()), extract("year", now())).from_(Things).where(
        eq(Things.name, v))),
    # NULLS FIRST/LAST is emulated where missing (the expression repeats): not cached there
    Variant("nulls last", lambda v: mizzle.select(Things.id).from_(Things).where(eq(Things.name, v)).order_by(
        asc(Things.note).nulls_last())),
]


def fresh(q: Any, d: Dialect) -> tuple[str, list[Any]]:
    out = render(q._build(d), d)
    return out.sql, list(out.params)


@pytest.mark.parametrize(("dname", "make_dialect"), dialects(), ids=[n for n, _ in dialects()])
def test_cached_select_matches_a_fresh_render(dname: str, make_dialect: Callable[[], Dialect]) -> None:
    d = make_dialect()
    for value in ("a", "bb", "it's", "%x%"):
        for variant in VARIANTS:
            for q in (variant.make(value), variant.make(value + "!")):
                try:
                    want = fresh(q, d)
                except QueryError as exc:
                    with pytest.raises(QueryError, match=str(exc)):
                        q.compile(d)
                    continue
                got = q.compile(d).query
                assert (got.sql, list(got.params)) == want, f"{dname}: {variant.name}"


@pytest.mark.parametrize(("dname", "make_dialect"), dialects(), ids=[n for n, _ in dialects()])
def test_the_select_cache_engages(dname: str, make_dialect: Callable[[], Dialect]) -> None:
    for variant in VARIANTS:
        d = make_dialect()
        try:
            fresh(variant.make("x"), d)
        except QueryError:
            continue  # the dialect cannot render it: nothing to cache
        variant.make("x").compile(d)
        variant.make("yy").compile(d)
        can_cache = variant.cached and not (variant.name == "nulls last" and not d.caps.nulls_ordering)
        entries = 2 if variant.grouped_values and d.caps.inline_grouped_values else 1
        assert len(d._query_cache) == (entries if can_cache else 0), f"{dname}: {variant.name}"


@pytest.mark.parametrize(("dname", "make_dialect"), dialects(), ids=[n for n, _ in dialects()])
def test_grouped_values_are_keyed(dname: str, make_dialect: Callable[[], Dialect]) -> None:
    """Where grouped values are written as literals, other values are another cache entry (never a
    hit serving the first query's literals); elsewhere they are bound and share one entry."""
    d = make_dialect()

    def q(cut: int, low: str) -> Any:
        return mizzle.select(_band(cut, low), count()).from_(Things).group_by(_band(cut, low))

    for cut, low in ((3, "a"), (4, "a"), (3, "b'%"), (3, "a")):
        got = q(cut, low).compile(d).query
        assert (got.sql, list(got.params)) == fresh(q(cut, low), d)
    assert len(d._query_cache) == (3 if d.caps.inline_grouped_values else 1)
    text = q(3, "a").compile(d).query.sql
    assert text.count("3") == (2 if d.caps.inline_grouped_values else 0)
