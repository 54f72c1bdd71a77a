"""The expression functions on every dialect: `case`, `cast`, `coalesce`, string functions, LIKE helpers
with escaping, dates (`now`, `date_of`, `extract`) and JSON paths — each spelled by the dialect's
`functions` (mizzle/dialects/<d>/functions.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from seed_data import seed

from mizzle import (
    QueryError,
    case,
    cast,
    coalesce,
    concat,
    contains,
    count,
    date_of,
    ends_with,
    eq,
    extract,
    gt,
    gte,
    is_not_null,
    json_get,
    json_text,
    length,
    lower,
    now,
    replace,
    starts_with,
    substr,
    trim,
    upper,
)

DB = tuple[Any, Any]


@pytest.fixture
def seeded(dialect_db: DB) -> DB:
    db, s = dialect_db
    seed(db, s)
    return db, s


def test_case_when_else(seeded: DB) -> None:
    db, s = seeded
    u = s.Users
    size = case().when(gt(u.age, 35), "senior").when(gt(u.age, 26), "mid").else_("junior")
    rows = db.select(u.name, size).from_(u).order_by(u.id).all()
    assert rows == [("ann", "mid"), ("bob", "junior"), ("cid", "junior"), ("Dee", "senior")]
    no_else = case().when(gt(u.age, 35), u.age).end()
    assert db.select(no_else).from_(u).order_by(u.id).all() == [(None,), (None,), (None,), (41,)]


def test_cast(seeded: DB) -> None:
    db, s = seeded
    u, p = s.Users, s.Posts
    rows = db.select(cast(u.age, str), cast(u.id, float), cast(u.id, Decimal)).from_(u).order_by(u.id).all()
    assert [r[0] for r in rows] == ["30", "25", None, "41"]
    assert [r[1] for r in rows] == [1.0, 2.0, 3.0, 4.0] and all(isinstance(r[1], float) for r in rows)
    assert [r[2] for r in rows] == [Decimal(1), Decimal(2), Decimal(3), Decimal(4)]
    assert all(isinstance(r[2], Decimal) for r in rows)
    back = db.select(cast(cast(p.views, str), int)).from_(p).order_by(p.id).all()
    assert back == [(10,), (5,), (0,)]
    with pytest.raises(QueryError, match="no SQL type"):
        cast(u.age, list)


def test_coalesce(seeded: DB) -> None:
    db, s = seeded
    u = s.Users
    rows = db.select(coalesce(u.age, 0), coalesce(u.score, u.age, 0)).from_(u).order_by(u.id).all()
    assert rows == [(30, 1.5), (25, 25), (0, 3.0), (41, 2.5)]


def test_string_functions(seeded: DB) -> None:
    db, s = seeded
    u, p = s.Users, s.Posts
    rows = db.select(
        lower(u.name), upper(u.name), length(u.email), concat(u.name, " <", u.email, ">"),
        substr(u.email, 1, 3), substr(u.email, 5), replace(u.email, "example.com", "x.org"),
        trim(concat("  ", u.name, "  ")),
    ).from_(u).where(eq(u.id, 4)).one()
    assert rows == ("dee", "DEE", 15, "Dee <dee@example.com>", "dee", "example.com", "dee@x.org", "Dee")
    # concat is NULL when a part is NULL (on every dialect)
    bodies = db.select(concat(p.title, ": ", p.body)).from_(p).order_by(p.id).all()
    assert bodies == [("Hello: first post",), (None,), ("Bob's post: 100% real",)]
    assert db.select(length(p.body)).from_(p).order_by(p.id).all() == [(10,), (None,), (9,)]


def test_like_helpers_escape_wildcards(seeded: DB) -> None:
    db, s = seeded
    kv = s.KeyValues
    db.insert(kv).values(
        [{"key": k, "value": v} for k, v in [
            ("a", "100% real"), ("b", "100 percent"), ("c", "snake_case"), ("d", "snakeXcase"),
            ("e", "a!b"), ("f", "a!!b"), ("g", "axb"), ("h", "50%"), ("i", "50"),
        ]]
    ).run()

    def keys(cond: Any) -> list[str]:
        return [r[0] for r in db.select(kv.key).from_(kv).where(cond).order_by(kv.key).all()]

    assert keys(starts_with(kv.value, "100%")) == ["a"]
    assert keys(starts_with(kv.value, "100")) == ["a", "b"]
    assert keys(contains(kv.value, "_")) == ["c"]
    assert keys(contains(kv.value, "e_c")) == ["c"]
    assert keys(contains(kv.value, "!")) == ["e", "f"]
    assert keys(contains(kv.value, "!!")) == ["f"]
    assert keys(ends_with(kv.value, "%")) == ["h"]
    assert keys(ends_with(kv.value, "0")) == ["i"]
    assert keys(starts_with(kv.value, "")) == ["a", "b", "c", "d", "e", "f", "g", "h", "i"]


def test_date_functions(seeded: DB) -> None:
    db, s = seeded
    u = s.Users
    db.update(u).set(created_at=datetime(2024, 2, 1, 23, 59, 58, tzinfo=UTC)).where(eq(u.id, 4)).run()
    day = date_of(u.created_at)
    rows = db.select(day, count()).from_(u).where(is_not_null(u.created_at)).group_by(day).order_by(day).all()
    assert rows == [(date(2024, 1, 1), 1), (date(2024, 2, 1), 2)]
    parts = db.select(
        extract("year", u.created_at), extract("month", u.created_at), extract("day", u.created_at),
        extract("hour", u.created_at), extract("minute", u.created_at), extract("second", u.created_at),
    ).from_(u).where(eq(u.id, 4)).one()
    assert parts == (2024, 2, 1, 23, 59, 58)
    assert db.select(extract("year", u.created_at)).from_(u).where(eq(u.id, 3)).one() == (None,)
    current = db.select(now(), date_of(now())).from_(u).where(eq(u.id, 1)).one()
    assert isinstance(current[0], datetime) and current[0].tzinfo is not None
    assert abs(current[0] - datetime.now(UTC)) < timedelta(days=1)
    assert current[1] == current[0].astimezone(UTC).date() or abs(current[1] - datetime.now(UTC).date()) <= timedelta(days=1)
    # now() compares with timestamp columns (all seeded timestamps are in the past)
    assert db.select(count()).from_(u).where(gte(now(), u.created_at)).one() == (3,)


def test_json_paths(seeded: DB) -> None:
    db, s = seeded
    p = s.Posts
    doc = {"lang": "en", "tags": ["a", "b"], "n": 3, "ok": True, "nested": {"x y": [1, {"b": "deep"}]}, "none": None}
    db.update(p).set(meta=doc).where(eq(p.id, 1)).run()
    got = db.select(
        json_get(p.meta, "lang"), json_get(p.meta, "tags"), json_get(p.meta, "tags", 1), json_get(p.meta, "n"),
        json_get(p.meta, "nested", "x y", 1, "b"), json_get(p.meta, "missing"), json_get(p.meta, "nested"),
    ).from_(p).where(eq(p.id, 1)).one()
    assert got == ("en", ["a", "b"], "b", 3, "deep", None, {"x y": [1, {"b": "deep"}]})
    texts = db.select(json_text(p.meta, "lang"), json_text(p.meta, "n"), json_text(p.meta, "nested", "x y", 1, "b"),
                      json_text(p.meta, "missing")).from_(p).where(eq(p.id, 1)).one()
    assert texts == ("en", "3", "deep", None)
    # filter and group on a JSON text value
    rows = db.select(p.title).from_(p).where(eq(json_text(p.meta, "lang"), "de")).all()
    assert rows == [("Bob's post",)]
    assert db.select(json_get(p.meta, "lang")).from_(p).where(eq(p.id, 2)).one() == (None,)  # SQL NULL column
    with pytest.raises(QueryError, match="negative"):
        json_get(p.meta, -1)


def test_group_by_expressions_with_bound_values(seeded: DB) -> None:
    """Grouping by an expression that carries values (a `case`, `coalesce`, `concat`): the GROUP BY
    expression and the same expression in the select list / ORDER BY / HAVING must be one expression
    to the database (PostgreSQL compares `$1` and `$2` as different expressions)."""
    db, s = seeded
    u = s.Users
    band = case().when(gt(u.age, 35), "senior").when(gt(u.age, 26), "mid").else_("junior")
    rows = db.select(band, count()).from_(u).group_by(band).order_by(band).all()
    assert rows == [("junior", 2), ("mid", 1), ("senior", 1)]
    named = db.select(band=band, n=count()).from_(u).group_by(band).having(gt(count(), 1)).all()
    assert [(r.band, r.n) for r in named] == [("junior", 2)]
    # an expression over the grouped one, and two equal expressions built separately
    label = concat(band, "!")
    assert db.select(label).from_(u).group_by(band).order_by(label).all() == [("junior!",), ("mid!",), ("senior!",)]
    # the same shape with other values (and text that needs quoting) is not served another's SQL
    odd = "it's 100% \\ odd"
    band2 = case().when(gt(u.age, 26), "over").when(gte(u.age, 0), odd).else_(None)
    rows2 = db.select(band2, count()).from_(u).group_by(band2).order_by(band2).all()
    assert set(rows2) == {("it's 100% \\ odd", 1), ("over", 2), (None, 1)}
    age = coalesce(u.age, 0)
    again = coalesce(u.age, 0)
    assert db.select(again, count()).from_(u).group_by(age).order_by(again).all() == [
        (0, 1), (25, 1), (30, 1), (41, 1)]


def test_function_queries_reuse_cached_sql_with_their_own_values(seeded: DB) -> None:
    """A query built with the expression functions is keyed by what the dialect spells: built again
    with other values it is a cache hit that runs with its own values."""
    db, s = seeded
    u = s.Users
    cache = db.dialect._query_cache

    def q(prefix: str, fallback: int) -> Any:
        return (db.select(upper(u.name), coalesce(u.age, fallback), length(u.name)).from_(u)
                .where(starts_with(lower(u.name), prefix)).order_by(u.id))

    assert q("a", 0).all() == [("ANN", 30, 3)]
    size = len(cache)
    assert q("c", 7).all() == [("CID", 7, 3)]
    assert q("d", 0).all() == [("DEE", 41, 3)]
    assert len(cache) == size
    assert q("x", 1).compile(db.dialect).query.sql in cache.values()
