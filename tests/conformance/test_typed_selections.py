"""Declared named selections (`Selection` classes), wide positional selections and `nullable()` over
outer joins, on every dialect."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from seed_data import seed

from mizzle import Field, QueryError, Selection, count, eq, max_, nullable, sum_

DB = tuple[Any, Any]
ROOT = Path(__file__).resolve().parents[2]


class AuthorStats(Selection):
    name: Field[str]
    posts: Field[int]
    views: Field[int | None]
    top: Field[str | None]


@pytest.fixture
def seeded(dialect_db: DB) -> DB:
    db, s = dialect_db
    seed(db, s)
    return db, s


def test_selection_rows_are_instances_of_the_declared_class(seeded: DB) -> None:
    db, s = seeded
    u, p = s.Users, s.Posts
    sel = AuthorStats(name=u.name, posts=count(p.id), views=sum_(p.views), top=max_(p.title))
    rows = (db.select(sel).from_(u).left_join(p, eq(p.author_id, u.id))
            .group_by(u.id, u.name).order_by(u.id).all())
    assert [tuple(r) for r in rows] == [
        ("ann", 2, 15, "World"), ("bob", 1, 0, "Bob's post"), ("cid", 0, None, None), ("Dee", 0, None, None),
    ]
    assert all(isinstance(r, AuthorStats) for r in rows)
    assert rows[0].name == "ann" and rows[0].views == 15 and rows[2].top is None
    assert rows[0]._asdict() == {"name": "ann", "posts": 2, "views": 15, "top": "World"}
    first = db.select(sel).from_(u).left_join(p, eq(p.author_id, u.id)).group_by(u.id, u.name).order_by(u.id).get()
    assert first is not None and first.name == "ann"
    # as a subquery, its fields are columns
    sq = db.select(sel).from_(u).left_join(p, eq(p.author_id, u.id)).group_by(u.id, u.name).as_("stats")
    assert sorted(db.select(sq.name).from_(sq).where(eq(sq.posts, 0)).all()) == [("Dee",), ("cid",)]


def test_selection_constructor_checks_fields(seeded: DB) -> None:
    _, s = seeded
    with pytest.raises(QueryError, match=r"AuthorStats\(...\): missing views, top; unknown extra"):
        AuthorStats(name=s.Users.name, posts=count(), extra=s.Users.id)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    with pytest.raises(QueryError, match=r"field 'name' must be a column or sql expression, got 'ann'"):
        AuthorStats(name="ann", posts=count(), views=sum_(s.Posts.views), top=max_(s.Posts.title))  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def test_nullable_over_outer_joins(seeded: DB) -> None:
    db, s = seeded
    u, p = s.Users, s.Posts
    rows = (db.select(u.name, nullable(p.title)).from_(u).left_join(p, eq(p.author_id, u.id))
            .order_by(u.id, p.id).all())
    assert rows == [("ann", "Hello"), ("ann", "World"), ("bob", "Bob's post"), ("cid", None), ("Dee", None)]
    with pytest.raises(QueryError, match=r"Posts\.views \('views'\) is NOT NULL .*nullable\(Posts\.views\)"):
        db.select(u.name, p.views).from_(u).left_join(p, eq(p.author_id, u.id)).all()
    sel = AuthorStats(name=u.name, posts=count(), views=sum_(p.views), top=p.title)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    with pytest.raises(QueryError, match=r"Posts\.title \('top'\)"):
        db.select(sel).from_(u).left_join(p, eq(p.author_id, u.id)).all()
    # nullable columns, and inner joins, need nothing
    assert len(db.select(u.name, p.body).from_(u).left_join(p, eq(p.author_id, u.id)).all()) == 5
    assert len(db.select(u.name, p.title).from_(u).inner_join(p, eq(p.author_id, u.id)).all()) == 3


def test_sixteen_positional_columns(seeded: DB) -> None:
    db, s = seeded
    u = s.Users
    row = db.select(u.id, u.name, u.email, u.age, u.active, u.score, u.id, u.name, u.email, u.age, u.active,
                    u.score, u.id, u.name, u.email, u.age).from_(u).where(eq(u.id, 1)).one()
    assert row == (1, "ann", "ann@example.com", 30, True, 1.5) * 2 + (1, "ann", "ann@example.com", 30)


def test_generated_overloads_are_current() -> None:
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_typing.py"), "--check"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
