"""INSERT / UPDATE / DELETE with equal structure share cached SQL text: a cache hit must give exactly
the SQL and the parameters (in render order) of a fresh render, on every dialect's renderer."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

import mizzle
from mizzle import (
    asc,
    coalesce,
    concat,
    contains,
    desc,
    eq,
    excluded,
    gt,
    ilike,
    lower,
    not_ilike,
    placeholder,
    sql,
    starts_with,
    trim,
    upper,
)
from mizzle.dialects.base import Dialect
from mizzle.dialects.mysql.dialect import MySQLDialect
from mizzle.dialects.postgres.dialect import PostgresDialect
from mizzle.dialects.sqlite.dialect import SQLiteDialect
from mizzle.errors import QueryError
from mizzle.query.base import EMULATED
from mizzle.sql.render import Query, render
from mizzle.sqlite import Column, Table, integer, text

_counter = itertools.count(1000)


def next_id() -> int:
    """A deterministic per-run value (stands in for uuid4 / now)."""
    return next(_counter)


class Items(Table, name="dmlc_items"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()
    note: Column[str | None] = text()
    tags: Column[list[str] | None] = text(mode="json")
    kind: Column[str] = text().not_null().default("plain")
    stamp: Column[str] = text().not_null().default(sql("(current_timestamp)"))
    score: Column[int | None] = integer()
    flag: Column[bool | None] = integer(mode="boolean")


class Logged(Table, name="dmlc_logged"):
    id: Column[int] = integer().primary_key().default_fn(next_id)
    name: Column[str] = text().not_null()
    touched: Column[int | None] = integer().on_update_fn(next_id)


class ItemsCopy(Table, name="dmlc_items_copy"):
    """The same keys as Items on another table (a form keyed by keys alone would mix them up)."""

    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()
    note: Column[str | None] = text()


class Dated(Table, name="dmlc_dated"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()
    at: Column[datetime | None] = integer(mode="timestamp")


class Str(str):
    """A str subclass: not a plain value to the compiled forms (they take the long way)."""


class Upper:
    """An object rendered through `__sql__` (a value of no plain type that is SQL)."""

    def __init__(self, v: str) -> None:
        self.v = v

    def __sql__(self) -> Any:
        return sql("upper({})", self.v)


@dataclass
class Variant:
    name: str
    make: Callable[[str], Any]
    cached: bool = True  # the structural cache must engage (where the dialect can render it)


def _insert_select(v: str) -> Any:
    src = mizzle.select(id=Items.id, name=Items.name).from_(Items).where(eq(Items.note, v))
    return mizzle.insert(Items).select(src)


VARIANTS: list[Variant] = [
    Variant("one row", lambda v: mizzle.insert(Items).values(id=len(v), name=v)),
    Variant("one row, None", lambda v: mizzle.insert(Items).values(name=v, note=None)),
    Variant("one row, encoded scalar", lambda v: mizzle.insert(Items).values(name=v, flag=len(v) > 1)),
    Variant("one row, encoded json", lambda v: mizzle.insert(Items).values(name=v, tags=[v, "x"])),
    Variant("one row, keys in another order", lambda v: mizzle.insert(Items).values(note=v, name=v + "n")),
    Variant("one row, sql value", lambda v: mizzle.insert(Items).values(name=sql("upper({})", v), note=v)),
    Variant("one row, all columns", lambda v: mizzle.insert(Items).values(
        id=1, name=v, note=v, tags=[v], kind=v, stamp=v, score=len(v))),
    Variant("one row, sql value, same keys as a plain row", lambda v: mizzle.insert(Items).values(
        id=len(v), name=sql("upper({})", v))),
    Variant("one row, __sql__ value", lambda v: mizzle.insert(Items).values(id=len(v), name=Upper(v))),
    Variant("one row, str subclass", lambda v: mizzle.insert(Items).values(id=len(v), name=Str(v))),
    Variant("one row, other table, same keys", lambda v: mizzle.insert(ItemsCopy).values(id=len(v), name=v)),
    Variant("one row, datetime", lambda v: mizzle.insert(Dated).values(
        id=len(v), name=v, at=datetime(2024, 1, len(v), tzinfo=UTC))),
    Variant("one row, datetime None", lambda v: mizzle.insert(Dated).values(id=len(v), name=v, at=None)),
    Variant("two rows", lambda v: mizzle.insert(Items).values([{"name": v}, {"name": v + "2"}])),
    Variant("rows with different keys", lambda v: mizzle.insert(Items).values(
        [{"name": v, "note": v + "n"}, {"name": v + "2", "kind": "k", "stamp": "s"}, {"name": "3", "score": 3}])),
    Variant("default_fn", lambda v: mizzle.insert(Logged).values(name=v)),
    Variant("default_fn given", lambda v: mizzle.insert(Logged).values(id=len(v), name=v)),
    Variant("default_fn rows", lambda v: mizzle.insert(Logged).values([{"name": v}, {"name": v, "id": 7}])),
    Variant("returning all", lambda v: mizzle.insert(Items).values(name=v).returning()),
    Variant("returning columns", lambda v: mizzle.insert(Items).values(name=v).returning(Items.id, Items.name)),
    Variant("returning expr", lambda v: mizzle.insert(Items).values(name=v).returning(
        sql[str]("{} || {}", Items.name, v))),
    Variant("returning default_fn", lambda v: mizzle.insert(Logged).values(name=v).returning(Logged.id)),
    Variant("do nothing", lambda v: mizzle.insert(Items).values(id=1, name=v).on_conflict_do_nothing()),
    Variant("do nothing target", lambda v: mizzle.insert(Items).values(id=1, name=v).on_conflict_do_nothing(
        target=Items.id)),
    Variant("do nothing where", lambda v: mizzle.insert(Items).values(id=1, name=v).on_conflict_do_nothing(
        target=Items.id, where=eq(Items.name, v)), cached=False),
    Variant("do update excluded", lambda v: mizzle.insert(Items).values(id=1, name=v).on_conflict_do_update(
        target=Items.id, set={"name": excluded(Items.name)})),
    Variant("do update values", lambda v: mizzle.insert(Items).values(id=1, name=v, note=v).on_conflict_do_update(
        target=Items.id, set={"note": v + "!", "tags": [v], "name": sql("{} || {}", excluded(Items.name), v),
                              "flag": len(v) > 2})),
    Variant("do update where", lambda v: mizzle.insert(Items).values(id=1, name=v).on_conflict_do_update(
        target=Items.id, set={"note": v}, where=eq(Items.name, v + "w"))),
    Variant("do update target_where", lambda v: mizzle.insert(Items).values(id=1, name=v).on_conflict_do_update(
        target=Items.name, set={"note": v}, target_where=gt(Items.score, len(v))), cached=False),
    Variant("do update returning", lambda v: mizzle.insert(Items).values(id=1, name=v).on_conflict_do_update(
        target=Items.id, set={"note": v}).returning(Items.id)),
    Variant("duplicate key update", lambda v: mizzle.insert(Items).values(id=1, name=v, note=v).on_duplicate_key_update(
        set={"note": excluded(Items.note), "score": len(v)})),
    Variant("upsert default_fn", lambda v: mizzle.insert(Logged).values(name=v).on_conflict_do_update(
        target=Logged.id, set={"name": v + "u"})),
    Variant("insert select", _insert_select),
    Variant("insert select upsert", lambda v: _insert_select(v).on_conflict_do_nothing(target=Items.id)),
    Variant("placeholder", lambda v: mizzle.insert(Items).values(name=placeholder("n"), note=v), cached=False),
    Variant("update", lambda v: mizzle.update(Items).set(name=v)),
    Variant("update where", lambda v: mizzle.update(Items).set(name=v, note=v + "n").where(eq(Items.id, len(v)))),
    Variant("update keys in another order", lambda v: mizzle.update(Items).set(note=v, name=v).where(
        eq(Items.id, len(v)))),
    Variant("insert functions", lambda v: mizzle.insert(Items).values(name=upper(v), note=concat(v, "!")).returning(
        lower(Items.name))),
    Variant("update functions", lambda v: mizzle.update(Items).set(note=coalesce(Items.note, v), name=trim(Items.name))
            .where(starts_with(Items.name, v))),
    Variant("delete functions", lambda v: mizzle.delete(Items).where(contains(lower(Items.name), v))),
    Variant("update sql value", lambda v: mizzle.update(Items).set(score=sql("{} + {}", Items.score, len(v)))),
    Variant("update encoded scalar", lambda v: mizzle.update(Items).set(flag=len(v) > 1, score=None)),
    Variant("update json + None", lambda v: mizzle.update(Items).set(tags=[v], note=None).where(
        eq(Items.name, v))),
    Variant("update, same keys, sql value", lambda v: mizzle.update(Items).set(
        name=v, note=sql("upper({})", v)).where(eq(Items.id, len(v)))),
    Variant("update, __sql__ value", lambda v: mizzle.update(Items).set(name=Upper(v))),
    Variant("update, other table, same keys", lambda v: mizzle.update(ItemsCopy).set(name=v, note=v + "n").where(
        eq(ItemsCopy.id, len(v)))),
    Variant("update datetime", lambda v: mizzle.update(Dated).set(at=datetime(2024, 2, len(v), tzinfo=UTC))),
    Variant("update on_update_fn", lambda v: mizzle.update(Logged).set(name=v).where(eq(Logged.id, len(v)))),
    Variant("update on_update_fn given", lambda v: mizzle.update(Logged).set(name=v, touched=len(v))),
    Variant("update returning", lambda v: mizzle.update(Items).set(name=v).where(eq(Items.id, 1)).returning()),
    Variant("update returning cols", lambda v: mizzle.update(Logged).set(name=v).returning(Logged.touched)),
    Variant("update order limit", lambda v: mizzle.update(Items).set(name=v).where(eq(Items.note, v)).order_by(
        desc(Items.id), Items.name).limit(len(v))),
    Variant("update limit", lambda v: mizzle.update(Items).set(name=v).limit(len(v) + 1)),
    Variant("update nulls last", lambda v: mizzle.update(Items).set(name=v).order_by(
        asc(Items.score).nulls_last()).limit(2)),
    Variant("update where ilike", lambda v: mizzle.update(Items).set(note=v).where(ilike(Items.name, v + "%"))),
    Variant("update placeholder", lambda v: mizzle.update(Items).set(name=placeholder("n")), cached=False),
    Variant("delete all", lambda v: mizzle.delete(Items)),
    Variant("delete where", lambda v: mizzle.delete(Items).where(eq(Items.name, v))),
    Variant("delete where not ilike", lambda v: mizzle.delete(Items).where(not_ilike(Items.name, v))),
    Variant("delete returning", lambda v: mizzle.delete(Items).where(eq(Items.id, len(v))).returning(Items.name)),
    Variant("delete order limit", lambda v: mizzle.delete(Items).where(gt(Items.score, len(v))).order_by(
        Items.id).limit(len(v))),
    Variant("delete placeholder", lambda v: mizzle.delete(Items).where(eq(Items.id, placeholder("id"))),
            cached=False),
]


def dialects() -> list[tuple[str, Callable[[], Dialect]]]:
    """Each renderer, freshly made (an empty cache per test)."""

    def mysql8() -> Dialect:
        return MySQLDialect().configure("8.0.36")

    def mariadb() -> Dialect:
        return MySQLDialect().configure("10.11.6-MariaDB")

    def mysql57() -> Dialect:
        return MySQLDialect().configure("5.7.44")

    return [
        ("sqlite", SQLiteDialect),
        ("postgres", lambda: PostgresDialect(paramstyle="format")),
        ("postgres-dollar", lambda: PostgresDialect(paramstyle="numeric_dollar")),
        ("mysql8", mysql8),
        ("mariadb", mariadb),
        ("mysql57", mysql57),
    ]


def fresh(q: Any, d: Dialect) -> Query:
    """Render without any cache (per-run values stay slots)."""
    return render(q._build(d), d)


def check_against_fresh(q: Any, d: Dialect) -> None:
    """`q.compile(d)` (cached or not) is exactly what a fresh render gives."""
    try:
        want = fresh(q, d)
    except QueryError as exc:
        if "a session runs it in several statements" in str(exc):
            assert q.compile(d).kind is EMULATED  # emulated RETURNING: nothing rendered, nothing cached
            return
        with pytest.raises(QueryError) as info:
            q.compile(d)
        assert str(info.value) == str(exc)
        return
    got = q.compile(d).query
    assert got.sql == want.sql
    assert len(got.params) == len(want.params)
    factories = {s.index for s in want.slots if s.factory is not None}
    for i, (g, w) in enumerate(zip(got.params, want.params, strict=True)):
        if i in factories:
            assert isinstance(g, int) and g >= 1000, f"param {i} should be a computed value, got {g!r}"
        elif any(s.index == i for s in want.slots):
            assert g is None and got.slots  # a named placeholder: never cached, slot kept
        else:
            assert (type(g), g) == (type(w), w), f"param {i}: {g!r} != {w!r} in {want.sql}"


@pytest.mark.parametrize(("dname", "make_dialect"), dialects(), ids=[n for n, _ in dialects()])
def test_cached_dml_matches_a_fresh_render(dname: str, make_dialect: Callable[[], Dialect]) -> None:
    d = make_dialect()
    for value in ("a", "bb", "it's", "%x%"):
        for variant in VARIANTS:
            # each variant twice with different values (the second hits the cache), interleaved
            for q in (variant.make(value), variant.make(value + "!")):
                check_against_fresh(q, d)


@pytest.mark.parametrize(("dname", "make_dialect"), dialects(), ids=[n for n, _ in dialects()])
def test_the_cache_engages(dname: str, make_dialect: Callable[[], Dialect]) -> None:
    for variant in VARIANTS:
        d = make_dialect()
        before = len(d._query_cache)
        try:
            fresh(variant.make("x"), d)
        except QueryError:
            continue  # the dialect cannot render it: nothing to cache
        variant.make("x").compile(d)
        variant.make("yy").compile(d)
        added = len(d._query_cache) - before
        can_cache = variant.cached and not (
            # ORDER BY ... NULLS LAST is emulated (the expression repeats) where the database lacks it
            variant.name == "update nulls last" and not d.caps.nulls_ordering
        )
        assert added == (1 if can_cache else 0), f"{dname}: {variant.name}: {added} cache entries added"


def test_structures_that_render_differently_do_not_share_text() -> None:
    d = SQLiteDialect()
    pairs: list[tuple[Any, Any]] = [
        (mizzle.insert(Items).values(name="a"), mizzle.insert(Items).values(note="a", name="b")),
        (mizzle.insert(Items).values(name="a", note=None), mizzle.insert(Items).values(name="a")),
        (mizzle.insert(Items).values(name="a"), mizzle.insert(Items).values(name="a").returning()),
        (mizzle.insert(Items).values(name="a").returning(Items.id),
         mizzle.insert(Items).values(name="a").returning(Items.name)),
        (mizzle.insert(Items).values(name="a").returning(Items.id),
         mizzle.insert(Items).values(name="a").returning(sql[int]("{}", Items.id))),
        (mizzle.insert(Items).values([{"name": "a", "stamp": "s"}, {"name": "b"}]),
         mizzle.insert(Items).values([{"name": "a", "note": "n"}, {"name": "b"}])),
        (mizzle.insert(Items).values(id=1, name="a").on_conflict_do_nothing(),
         mizzle.insert(Items).values(id=1, name="a").on_conflict_do_nothing(target=Items.id)),
        (mizzle.insert(Items).values(id=1, name="a").on_conflict_do_update(target=Items.id, set={"note": "x"}),
         mizzle.insert(Items).values(id=1, name="a").on_conflict_do_update(target=Items.id, set={"score": 1})),
        (mizzle.insert(Items).values(id=1, name="a").on_conflict_do_update(target=Items.id, set={"note": "x"}),
         mizzle.insert(Items).values(id=1, name="a").on_conflict_do_update(
             target=Items.id, set={"note": excluded(Items.note)})),
        (mizzle.update(Items).set(name="a"), mizzle.update(Items).set(note="a")),
        (mizzle.update(Items).set(name="a"), mizzle.update(Items).set(name="a").where(eq(Items.id, 1))),
        (mizzle.update(Items).set(name="a", note="b"), mizzle.update(Items).set(note="b", name="a")),
        (mizzle.delete(Items).where(eq(Items.id, 1)), mizzle.delete(Items).where(eq(Items.score, 1))),
        (mizzle.delete(Items).where(ilike(Items.name, "a")), mizzle.delete(Items).where(not_ilike(Items.name, "a"))),
        (mizzle.delete(Items), mizzle.delete(Logged)),
        # a fragment's text must not be read as the next column's key (or the next value's)
        (mizzle.insert(Items).values(name=sql("note")), mizzle.insert(Items).values(name=sql(""), note="1")),
        (mizzle.update(Items).set(name=sql("note")), mizzle.update(Items).set(name=sql(""), note="1")),
        (mizzle.update(Items).set(name="a", note=sql("x")), mizzle.update(Items).set(name=sql("x"), note="a")),
        (mizzle.update(Items).set(name=sql("W")), mizzle.update(Items).set(name=sql("")).where(sql("W"))),
        # the same keys: a plain value vs SQL, and the same keys on another table
        (mizzle.insert(Items).values(id=1, name="a"), mizzle.insert(Items).values(id=1, name=sql("upper({})", "a"))),
        (mizzle.insert(Items).values(id=1, name="a"), mizzle.insert(Items).values(id=1, name=Upper("a"))),
        (mizzle.insert(Items).values(id=1, name="a"), mizzle.insert(ItemsCopy).values(id=1, name="a")),
        (mizzle.update(Items).set(name="a"), mizzle.update(Items).set(name=Upper("a"))),
        (mizzle.update(Items).set(name="a"), mizzle.update(ItemsCopy).set(name="a")),
    ]
    for a, b in pairs:
        qa, qb = a.compile(d).query, b.compile(d).query
        assert qa.sql != qb.sql
        assert (qa.sql, list(qa.params)) == tuple(fresh(a, d))
        assert (qb.sql, list(qb.params)) == tuple(fresh(b, d))


@pytest.mark.parametrize("negate", [False, True])
@pytest.mark.parametrize(("dname", "make_dialect"), dialects(), ids=[n for n, _ in dialects()])
def test_selects_with_ilike_are_cached(dname: str, make_dialect: Callable[[], Dialect], negate: bool) -> None:
    d = make_dialect()
    op = not_ilike if negate else ilike

    def make(v: str) -> Any:
        return mizzle.select(Items.id).from_(Items).where(
            mizzle.and_(eq(Items.note, v + "<"), op(Items.name, v), gt(Items.score, len(v)))
        )

    for v in ("a", "bb", "c%"):
        q = make(v)
        got, want = q.compile(d).query, fresh(q, d)
        assert (got.sql, got.params) == (want.sql, want.params)
        assert want.params == (v + "<", v, len(v))
    assert len(d._query_cache) == 1  # every dialect, MySQL's included
    assert ("ilike" if d.caps.ilike else "lower(") in fresh(make("z"), d).sql


def test_ilike_of_an_expression_keys_its_parts() -> None:
    d = PostgresDialect()
    a = mizzle.select(Items.id).from_(Items).where(ilike(sql[str]("{} || {}", Items.name, "x"), "p"))
    b = mizzle.select(Items.id).from_(Items).where(ilike(sql[str]("{} || {}", Items.note, "y"), "q"))
    assert a.compile(d).query == ('select "dmlc_items"."id" from "dmlc_items" where "dmlc_items"."name" || %s ilike %s',
                                  ["x", "p"])
    assert b.compile(d).query == ('select "dmlc_items"."id" from "dmlc_items" where "dmlc_items"."note" || %s ilike %s',
                                  ["y", "q"])
