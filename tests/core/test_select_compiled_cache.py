"""The select cache (structural key -> SQL text and result shape) never serves another query's
SQL, values or row shape.

Pairs of queries that differ in one way the key could miss are compiled one after the other (both
orders) on every dialect; each must render exactly like a fresh, uncached render and carry the
result shape it would compute itself. A seeded random walk over the builder does the same for
many combinations.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

import pytest

import mizzle
from core.test_render_cache_dml import dialects
from mizzle import (
    asc,
    avg,
    count,
    desc,
    eq,
    gt,
    in_array,
    is_null,
    like,
    lt,
    ne,
    nullable,
    sql,
    sum_,
)
from mizzle.dialects.base import Dialect
from mizzle.errors import QueryError
from mizzle.sql.render import render
from mizzle.sqlite import Column, Table, integer, real, text


class Items(Table, name="sel_cache_items"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()
    price: Column[float | None] = real()
    owner_id: Column[int | None] = integer()


class Owners(Table, name="sel_cache_owners"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()


Other = mizzle.alias(Items, "o")

select = mizzle.select


def _fresh(q: Any, d: Dialect) -> tuple[str, list[Any]]:
    out = render(q._build(d), d)
    return out.sql, list(out.params)


def _check(q: Any, d: Dialect) -> None:
    """`q` compiled through the cache equals a fresh render and its own fresh shape."""
    try:
        want = _fresh(q, d)
        want_shape = q._shape().key()
    except QueryError as exc:
        with pytest.raises(QueryError, match=re.escape(str(exc))):
            q._copy().compile(d)
        return
    c = q._copy().compile(d)  # a copy: nothing compiled on the builder itself yet
    assert (c.query.sql, list(c.query.params)) == want
    assert c.shape is not None and c.shape.key() == want_shape


PAIRS: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
    ("operator", lambda: select().from_(Items).where(eq(Items.id, 1)),
     lambda: select().from_(Items).where(ne(Items.id, 1))),
    ("operator lt/gt", lambda: select(Items.id).from_(Items).where(lt(Items.id, 1)),
     lambda: select(Items.id).from_(Items).where(gt(Items.id, 1))),
    ("column", lambda: select().from_(Items).where(eq(Items.id, 1)),
     lambda: select().from_(Items).where(eq(Items.owner_id, 1))),
    ("selected column", lambda: select(Items.id).from_(Items), lambda: select(Items.owner_id).from_(Items)),
    ("table alias", lambda: select(Items.id).from_(Items), lambda: select(Other.id).from_(Other)),
    ("full row vs alias", lambda: select().from_(Items), lambda: select().from_(Other)),
    ("null vs value", lambda: select().from_(Items).where(eq(Items.owner_id, None)),
     lambda: select().from_(Items).where(eq(Items.owner_id, 3))),
    ("is_null vs eq", lambda: select().from_(Items).where(is_null(Items.owner_id)),
     lambda: select().from_(Items).where(eq(Items.owner_id, 0))),
    ("in-list length", lambda: select().from_(Items).where(in_array(Items.id, [1])),
     lambda: select().from_(Items).where(in_array(Items.id, [1, 2]))),
    ("join kind", lambda: select().from_(Items).left_join(Owners, eq(Items.owner_id, Owners.id)),
     lambda: select().from_(Items).inner_join(Owners, eq(Items.owner_id, Owners.id))),
    ("join kind, partial", lambda: select(Items.id, nullable(Owners.name)).from_(Items)
     .left_join(Owners, eq(Items.owner_id, Owners.id)),
     lambda: select(Items.id, nullable(Owners.name)).from_(Items).inner_join(Owners, eq(Items.owner_id, Owners.id))),
    ("col vs nullable(col) under an outer join", lambda: select(Items.id, nullable(Owners.name)).from_(Items)
     .left_join(Owners, eq(Items.owner_id, Owners.id)),
     lambda: select(Items.id, Owners.name).from_(Items).left_join(Owners, eq(Items.owner_id, Owners.id))),
    ("order direction", lambda: select().from_(Items).order_by(asc(Items.id)),
     lambda: select().from_(Items).order_by(desc(Items.id))),
    ("limit presence", lambda: select().from_(Items).limit(3), lambda: select().from_(Items)),
    ("offset presence", lambda: select().from_(Items).limit(3).offset(2), lambda: select().from_(Items).limit(3)),
    ("decoder: typed fragment vs mapped", lambda: select(sql[int]("1 + {}", Items.id)).from_(Items),
     lambda: select(sql[int]("1 + {}", Items.id).map_with(str)).from_(Items)),
    ("aggregate decoder", lambda: select(sum_(Items.price)).from_(Items), lambda: select(avg(Items.price)).from_(Items)),
    ("count vs sum", lambda: select(count(Items.id)).from_(Items), lambda: select(sum_(Items.id)).from_(Items)),
    ("alias name", lambda: select(Items.id.as_("a")).from_(Items), lambda: select(Items.id.as_("b")).from_(Items)),
    ("named vs positional", lambda: select(Items.id, Items.name).from_(Items),
     lambda: select(id=Items.id, name=Items.name).from_(Items)),
    ("named nesting", lambda: select(a={"b": Items.id}).from_(Items), lambda: select(a_b=Items.id).from_(Items)),
    ("named keys", lambda: select(a=Items.id).from_(Items), lambda: select(b=Items.id).from_(Items)),
    ("distinct", lambda: mizzle.select_distinct(Items.id).from_(Items), lambda: select(Items.id).from_(Items)),
    ("group by", lambda: select(Items.owner_id, count()).from_(Items).group_by(Items.owner_id),
     lambda: select(Items.owner_id, count()).from_(Items).group_by(Items.owner_id, Items.id)),
    ("like value", lambda: select().from_(Items).where(like(Items.name, "a%")),
     lambda: select().from_(Items).where(like(Items.name, "b%"))),
]


@pytest.mark.parametrize(("dname", "make_dialect"), dialects(), ids=[n for n, _ in dialects()])
@pytest.mark.parametrize(("what", "a", "b"), PAIRS, ids=[p[0] for p in PAIRS])
def test_queries_differing_in_one_way_never_share_sql_or_shape(
    dname: str, make_dialect: Callable[[], Dialect], what: str, a: Callable[[], Any], b: Callable[[], Any]
) -> None:
    for first, second in ((a, b), (b, a)):
        d = make_dialect()
        for make in (first, second, first, second):
            _check(make(), d)


@pytest.mark.parametrize(("dname", "make_dialect"), dialects(), ids=[n for n, _ in dialects()])
def test_values_are_the_queries_own(dname: str, make_dialect: Callable[[], Dialect]) -> None:
    d = make_dialect()
    for v in (1, 2, None, 3):
        q = select(Items.id).from_(Items).where(eq(Items.owner_id, v)).limit(1)
        _check(q, d)


def test_one_query_on_two_dialects() -> None:
    made = [make() for _, make in dialects()]
    q = select(Items.id, count()).from_(Items).where(eq(Items.name, "x")).group_by(Items.id).limit(2)
    for d in made + made:
        assert (q.compile(d).query.sql, list(q.compile(d).query.params)) == _fresh(q, d)


def test_a_builder_reused_after_a_change_keeps_its_own_sql() -> None:
    d = dialects()[0][1]()
    base = select(Items.id).from_(Items)
    narrowed = base.where(eq(Items.id, 5))
    for q in (base, narrowed, base.limit(1), narrowed.order_by(desc(Items.id)), base, narrowed):
        assert (q.compile(d).query.sql, list(q.compile(d).query.params)) == _fresh(q, d)


def test_the_outer_join_check_runs_on_a_cache_hit() -> None:
    """`nullable(col)` and bare `col` render alike; the bare one must still be refused after the
    other filled the cache."""
    d = dialects()[0][1]()
    ok = select(Items.id, nullable(Owners.name)).from_(Items).left_join(Owners, eq(Items.owner_id, Owners.id))
    ok.compile(d)
    bad = select(Items.id, Owners.name).from_(Items).left_join(Owners, eq(Items.owner_id, Owners.id))
    with pytest.raises(QueryError, match="NOT NULL"):
        bad.compile(d)


def _random_query(rng: random.Random) -> Any:
    src = rng.choice([Items, Other])
    cols = [src.id, src.name, src.price, src.owner_id]
    kind = rng.choice(["full", "positional", "named"])
    exprs: list[Any] = []
    if kind == "full":
        q: Any = select().from_(src)
    else:
        pool = [*cols, count(src.id), sum_(src.price), sql[float]("({} * {})", src.price, src.id),
                src.id.as_(rng.choice(["x", "y"])), sql[int]("{} + {}", src.id, rng.randint(0, 2))]
        exprs = rng.sample(pool, rng.randint(1, 3))
        if kind == "named":
            q = select(**{f"f{i}": e for i, e in enumerate(exprs)}).from_(src)
        else:
            q = select(*exprs).from_(src)
    if rng.random() < 0.3:
        q = getattr(q, rng.choice(["left_join", "inner_join"]))(Owners, eq(src.owner_id, Owners.id))
    if rng.random() < 0.7:
        op = rng.choice([eq, ne, lt, gt])
        col = rng.choice([src.id, src.owner_id])
        value = rng.choice([None, 0, 1, 2]) if op in (eq, ne) else rng.randint(0, 2)
        q = q.where(op(col, value))
    if rng.random() < 0.2:
        q = q.where(in_array(src.id, list(range(rng.randint(1, 3)))))
    if rng.random() < 0.3:
        q = q.group_by(src.id)
    if rng.random() < 0.4:
        q = q.order_by(rng.choice([asc, desc])(rng.choice([src.id, src.name])))
    if rng.random() < 0.4:
        q = q.limit(rng.randint(1, 3))
    if rng.random() < 0.2:
        q = q.offset(rng.randint(0, 2))
    return q


@pytest.mark.parametrize(("dname", "make_dialect"), dialects(), ids=[n for n, _ in dialects()])
def test_random_queries_match_a_fresh_render(dname: str, make_dialect: Callable[[], Dialect]) -> None:
    rng = random.Random(21)
    d = make_dialect()
    for _ in range(400):
        _check(_random_query(rng), d)
