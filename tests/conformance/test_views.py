"""Views on every dialect: declared as table classes with `view=`, created by `create_all`, selected typed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import mizzle
from mizzle.errors import SchemaError
from mizzle.schema.view import drop_view_sql, view_definition


@pytest.fixture
def views_db(dialect_db: tuple[mizzle.Database, Any]) -> Iterator[tuple[mizzle.Database, Any]]:
    """`dialect_db` with the schema's views created (and dropped again after the test)."""
    db, s = dialect_db
    views = [*s.VIEWS, *([s.UserCounts] if db.dialect.caps.materialized_views else []), *s.OPTION_VIEWS]

    def drop() -> None:
        for v in views:
            db.execute(drop_view_sql(v, db.dialect, if_exists=True))
        db.execute(drop_view_sql(s.LegacyUserNames, db.dialect, if_exists=True))

    drop()
    mizzle.create_all(db, views)
    try:
        yield db, s
    finally:
        drop()


def _seed(db: mizzle.Database, s: Any) -> None:
    db.insert(s.Users).values([
        {"name": "ann", "email": "ann@x", "age": 30},
        {"name": "bob", "email": "bob@x", "active": False},
        {"name": "cara", "email": "cara@x", "age": 5},
        {"name": "dan", "email": "dan@x"},
    ]).run()


def test_view_from_builder_select(views_db: tuple[mizzle.Database, Any]) -> None:
    db, s = views_db
    _seed(db, s)
    rows = db.select().from_(s.UserNames).order_by(s.UserNames.id).all()
    assert [(r.id, r.name) for r in rows] == [(1, "ann"), (3, "cara"), (4, "dan")]
    assert db.select(s.UserNames.name).from_(s.UserNames).where(mizzle.eq(s.UserNames.id, 3)).all() == [("cara",)]
    # a view joins like a table
    joined = (db.select(s.Users.email).from_(s.Users)
              .inner_join(s.UserNames, mizzle.eq(s.UserNames.id, s.Users.id)).order_by(s.Users.id).all())
    assert [e for (e,) in joined] == ["ann@x", "cara@x", "dan@x"]


def test_view_from_raw_sql(views_db: tuple[mizzle.Database, Any]) -> None:
    db, s = views_db
    _seed(db, s)
    assert sorted(r.email for r in db.select().from_(s.UserEmails).all()) == ["ann@x", "cara@x"]


def test_existing_view_is_not_created(views_db: tuple[mizzle.Database, Any]) -> None:
    db, s = views_db
    mizzle.create_all(db, [s.LegacyUserNames])  # declared, not managed: nothing is created
    with pytest.raises(mizzle.MizzleError):
        db.select().from_(s.LegacyUserNames).all()
    db.execute("create view legacy_user_names as select id, name from users")
    _seed(db, s)
    assert db.count(s.LegacyUserNames) == 4


def test_definition_inlines_values(dialect_db: tuple[mizzle.Database, Any]) -> None:
    db, s = dialect_db
    text = view_definition(s.UserNames, db.dialect)
    assert "'%a%'" in text and "?" not in text and "%s" not in text


def test_materialized_view_refresh(views_db: tuple[mizzle.Database, Any]) -> None:
    db, s = views_db
    if not db.dialect.caps.materialized_views:
        with pytest.raises(SchemaError, match="materialized"):
            db.refresh_materialized_view(s.UserNames)
        return
    assert db.select().from_(s.UserCounts).all() == []
    _seed(db, s)
    assert db.select().from_(s.UserCounts).all() == []  # not refreshed yet
    db.refresh_materialized_view(s.UserCounts)
    counts = {r.active: r.n for r in db.select().from_(s.UserCounts).all()}
    assert counts == {True: 3, False: 1}
    db.execute('create unique index user_counts_active on "user_counts" ("active")')
    db.insert(s.Users).values(name="eve", email="eve@x").run()
    db.refresh_materialized_view(s.UserCounts, concurrently=True)
    assert {r.active: r.n for r in db.select().from_(s.UserCounts).all()} == {True: 4, False: 1}
    db.refresh_materialized_view(s.UserCounts, with_no_data=True)
    with pytest.raises(mizzle.MizzleError):
        db.select().from_(s.UserCounts).all()  # a materialized view with no data cannot be read
    with pytest.raises(SchemaError, match="not a materialized view"):
        db.refresh_materialized_view(s.UserNames)


def test_view_options_take_effect(views_db: tuple[mizzle.Database, Any]) -> None:
    db, s = views_db
    assert {v.__table__.name: s.view_options_in_db(db, v.__table__.name) for v in s.OPTION_VIEWS} == \
        s.EXPECTED_VIEW_OPTIONS


def test_check_option_refuses_rows_outside_the_view(views_db: tuple[mizzle.Database, Any]) -> None:
    db, s = views_db
    if s.CHECKED_VIEW is None:  # SQLite views are read-only and take no check option
        return
    name = s.CHECKED_VIEW.__table__.name
    db.execute(f"insert into {name} (name, email, active) values ('ann', 'ann@x', true)")
    with pytest.raises(mizzle.MizzleError, match=r"(?i)check option"):
        db.execute(f"insert into {name} (name, email, active) values ('bob', 'bob@x', false)")
    assert [r.name for r in db.select().from_(s.Users).all()] == ["ann"]
    assert [r.email for r in db.select().from_(s.CHECKED_VIEW).all()] == ["ann@x"]


def test_view_option_of_another_dialect_is_refused(dialect_db: tuple[mizzle.Database, Any]) -> None:
    _, s = dialect_db
    (option, value), = s.FOREIGN_VIEW_OPTION.items()
    with pytest.raises(SchemaError, match=rf"view foreign_option: {option}= is a .* view option, but the view is "
                                          rf"declared for"):
        type("ForeignOption", (s.Table,), {"id": s.Users.id}, name="foreign_option",
             view=mizzle.select(s.Users.id).from_(s.Users), **{option: value})


def test_view_with_columns_copied_from_the_select(views_db: tuple[mizzle.Database, Any]) -> None:
    db, s = views_db
    _seed(db, s)
    rows = db.select().from_(s.ActiveEmails).order_by(s.ActiveEmails.id).all()
    assert [(r.id, r.mail, r.active) for r in rows] == [(1, "ann@x", True), (3, "cara@x", True), (4, "dan@x", True)]
    assert all(type(r.active) is bool for r in rows)  # decoded by the copied column's mode (SQLite stores 1)
    found = db.select(s.ActiveEmails.mail).from_(s.ActiveEmails).where(mizzle.eq(s.ActiveEmails.id, 3)).all()
    assert found == [("cara@x",)]
    assert s.ActiveEmails.__table__.primary_key == () and s.Users.email.key == "email"
