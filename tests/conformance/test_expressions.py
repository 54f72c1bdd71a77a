"""The expression language on every dialect: arithmetic on numeric columns, `.first()`, `.get()` and
`.scalar()` reading one row with LIMIT 1."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from seed_data import seed

from mizzle import QueryError, count, eq, sum_

DB = tuple[Any, Any]


@pytest.fixture
def seeded(dialect_db: DB) -> DB:
    db, s = dialect_db
    seed(db, s)
    return db, s


def test_arithmetic_on_columns(seeded: DB) -> None:
    db, s = seeded
    p, u = s.Posts, s.Users
    rows = db.select(p.title, p.views * 2, p.views + p.author_id, p.views - 1, p.views / 4).from_(p).order_by(p.id).all()
    assert rows == [("Hello", 20, 11, 9, 2.5), ("World", 10, 6, 4, 1.25), ("Bob's post", 0, 2, -1, 0.0)]
    assert all(isinstance(r[4], float) for r in rows)  # true division, also of integers
    ages = db.select(u.name, u.age - 1, u.score * 2).from_(u).order_by(u.id).all()
    assert ages == [("ann", 29, 3.0), ("bob", 24, None), ("cid", None, 6.0), ("Dee", 40, 5.0)]
    total = db.select(sum_(p.views * p.author_id)).from_(p).scalar()
    assert total == 10 + 5 + 0
    assert db.select(p.title).from_(p).where(eq(p.views * 2, 20)).all() == [("Hello",)]


def test_first_get_and_scalar_send_limit_1(seeded: DB) -> None:
    db, s = seeded
    u = s.Users
    sent: list[str] = []
    db.logger = lambda sql, params: sent.append(sql)

    def limited(stmts: Sequence[str]) -> bool:
        return all("limit" in x.lower() for x in stmts)

    first = db.select().from_(u).order_by(u.id).first()
    assert first is not None and first.name == "ann"
    got = db.select(u.name).from_(u).order_by(u.id).get()
    assert got == ("ann",)
    assert db.select(count()).from_(u).scalar() == 4
    assert db.select(u.name).from_(u).where(eq(u.id, 99)).scalar() is None
    assert db.select(u.name).from_(u).order_by(u.id).offset(1).first() == ("bob",)
    assert len(sent) == 5 and limited(sent), sent
    assert db.select(u.name).from_(u).order_by(u.id).limit(3).get() == ("ann",)  # an own limit is kept
    assert "limit 1" not in sent[-1].lower()
    with pytest.raises(QueryError, match=r"scalar\(\) reads a select of one expression"):
        db.select(u.name, u.id).from_(u).scalar()  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
