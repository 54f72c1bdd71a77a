"""The `dialect_db` fixture itself: tables exist, start empty, identities restart, schemas agree."""

from __future__ import annotations

from typing import Any

import mizzle
from mizzle import eq


def test_tables_start_empty_with_identities_reset(dialect_db: tuple[mizzle.Database, Any]) -> None:
    db, s = dialect_db
    for table in s.TABLES:
        assert db.count(table) == 0
    db.insert(s.Users).values(name="ann", email="ann@example.com").run()
    ann = db.select().from_(s.Users).where(eq(s.Users.email, "ann@example.com")).one()
    assert ann.id == 1
    assert ann.active is True


def test_second_test_sees_no_rows_of_the_first(dialect_db: tuple[mizzle.Database, Any]) -> None:
    db, s = dialect_db
    assert db.count(s.Users) == 0
    db.insert(s.Users).values(name="bob", email="bob@example.com").run()
    assert db.select(s.Users.id).from_(s.Users).all() == [(1,)]


def test_schema_modules_declare_the_same_tables() -> None:
    from schemas import postgres, sqlite

    for a, b in zip(sqlite.TABLES, postgres.TABLES, strict=True):
        assert a.__name__ == b.__name__
        assert a.__table__.name == b.__table__.name
        assert list(a.__table__.columns) == list(b.__table__.columns)
