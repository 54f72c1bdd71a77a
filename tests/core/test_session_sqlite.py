"""SQLite sessions: connect URL forms and defaults, logging, on_update_fn, constraint errors with details."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import mizzle
from mizzle import eq, sql
from mizzle.sqlite import Column, Table, check, integer, text


class Notes(Table, name="notes"):
    id: Column[int] = integer().primary_key(autoincrement=True)
    title: Column[str] = text().not_null().unique()
    stars: Column[int] = integer().not_null().default(0)
    updated_at: Column[datetime | None] = integer(mode="timestamp").on_update_fn(
        lambda: datetime(2030, 1, 1, tzinfo=UTC)
    )
    revision: Column[int] = integer().not_null().default_fn(lambda: 1)

    __constraints__ = (check("stars_range", sql("stars between 0 and 5")),)


def pragma(db: mizzle.Database, name: str) -> Any:
    return db.execute(f"pragma {name}")[0][0]


@pytest.mark.parametrize("form", ["path", "sqlite:///", "file:"])
def test_connect_file_forms_and_defaults(tmp_path: Path, form: str) -> None:
    path = tmp_path / "app.db"
    url = {"path": str(path), "sqlite:///": f"sqlite:///{path}", "file:": f"file:{path}"}[form]
    db = mizzle.connect(url)
    assert pragma(db, "foreign_keys") == 1
    assert pragma(db, "journal_mode") == "wal"
    assert pragma(db, "busy_timeout") == 5000
    mizzle.create_all(db, [Notes])
    db.insert(Notes).values(title="x").run()
    db.close()
    assert path.exists()
    with sqlite3.connect(path) as raw:  # the data really is in that file
        assert raw.execute("select title from notes").fetchall() == [("x",)]


def test_connect_relative_sqlite_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    db = mizzle.connect("sqlite:///rel.db")
    mizzle.create_all(db, [Notes])
    db.close()
    assert (tmp_path / "rel.db").exists()


@pytest.mark.parametrize("url", [":memory:", "sqlite://", "sqlite:///:memory:", ""])
def test_connect_memory(url: str) -> None:
    db = mizzle.connect(url)
    assert pragma(db, "foreign_keys") == 1
    assert pragma(db, "journal_mode") == "memory"  # WAL only for files
    mizzle.create_all(db, [Notes])
    assert db.count(Notes) == 0
    db.close()


def test_connect_file_uri_options(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    db = mizzle.connect(str(path))
    mizzle.create_all(db, [Notes])
    db.close()
    ro = mizzle.connect(f"file:{path}?mode=ro")
    with pytest.raises(mizzle.OperationalError, match="readonly"):
        ro.insert(Notes).values(title="no").run()
    ro.close()


def test_connect_options_and_bad_urls(tmp_path: Path) -> None:
    db = mizzle.connect(str(tmp_path / "o.db"), foreign_keys=False, timeout=1.5, journal_mode="delete")
    assert pragma(db, "foreign_keys") == 0
    assert pragma(db, "busy_timeout") == 1500
    assert pragma(db, "journal_mode") == "delete"
    db.close()
    with pytest.raises(mizzle.ConfigError, match="no driver for URL scheme 'nosuch'"):
        mizzle.connect("nosuch://x")
    with pytest.raises(mizzle.ConfigError, match="bad option"):
        mizzle.connect(":memory:", not_an_option=1)


def test_sql_logging_through_stdlib_logging(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = mizzle.connect(str(tmp_path / "l.db"))
    mizzle.create_all(db, [Notes])
    with caplog.at_level(logging.DEBUG, logger="mizzle.sql"):
        db.insert(Notes).values(title="logged").run()
        db.select(Notes.id).from_(Notes).where(eq(Notes.title, "logged")).all()
    messages = [r.getMessage() for r in caplog.records if r.name == "mizzle.sql"]
    assert any(m.startswith('insert into "notes"') and "'logged'" in m for m in messages)
    assert any(m.startswith('select "notes"."id" from "notes"') for m in messages)
    caplog.clear()
    db.select(Notes.id).from_(Notes).all()  # DEBUG off: nothing logged
    assert [r for r in caplog.records if r.name == "mizzle.sql"] == []
    db.close()


def test_sql_logging_switched_on_after_statements_ran_unlogged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # the write paths skip the isEnabledFor call while logging's own cache says DEBUG is off: switching
    # DEBUG on later (which clears that cache) must log the very next statement of every kind
    db = mizzle.connect(str(tmp_path / "l2.db"))
    mizzle.create_all(db, [Notes])
    p = db.insert(Notes).values(title=mizzle.placeholder("t")).prepare()
    for i in range(3):  # DEBUG off: warm the cache with False
        p.run(t=f"quiet{i}")
        db.update(Notes).set(stars=1).where(eq(Notes.title, f"quiet{i}")).run()
    assert [r for r in caplog.records if r.name == "mizzle.sql"] == []
    with caplog.at_level(logging.DEBUG, logger="mizzle.sql"):
        p.run(t="loud-prepared")
        db.update(Notes).set(stars=2).where(eq(Notes.title, "loud-prepared")).run()
        db.insert(Notes).values([{"title": "loud-a"}, {"title": "loud-b"}]).run()
    messages = [r.getMessage() for r in caplog.records if r.name == "mizzle.sql"]
    assert any("'loud-prepared'" in m and m.startswith("insert") for m in messages)
    assert any("'loud-prepared'" in m and m.startswith("update") for m in messages)
    assert any("'loud-a'" in m for m in messages)
    caplog.clear()
    p.run(t="quiet-again")
    assert [r for r in caplog.records if r.name == "mizzle.sql"] == []
    db.close()


def test_pluggable_logger(tmp_path: Path) -> None:
    seen: list[tuple[str, list[Any]]] = []

    def logger(text: str, params: Sequence[Any]) -> None:
        seen.append((text, list(params)))

    db = mizzle.connect(str(tmp_path / "p.db"), logger=logger)
    mizzle.create_all(db, [Notes])
    seen.clear()
    db.insert(Notes).values(title="a").run()
    by_title = db.select(Notes.id).from_(Notes).where(eq(Notes.title, mizzle.placeholder("t"))).prepare()
    by_title.all(t="a")
    db.execute(sql("select {}", 42))
    assert seen[0][0] == 'insert into "notes" ("title", "updated_at", "revision") values (?, ?, ?)'
    assert seen[0][1] == ["a", int(datetime(2030, 1, 1, tzinfo=UTC).timestamp()), 1]  # functions filled in
    assert seen[1] == ('select "notes"."id" from "notes" where "notes"."title" = ?', ["a"])
    assert seen[2] == ("select ?", [42])
    db.close()


def test_on_update_fn_and_default_fn(tmp_path: Path) -> None:
    db = mizzle.connect(str(tmp_path / "u.db"))
    mizzle.create_all(db, [Notes])
    created = db.insert(Notes).values(title="a").returning().one()
    assert created.revision == 1  # default_fn at insert
    assert created.updated_at == datetime(2030, 1, 1, tzinfo=UTC)  # on_update_fn also fills inserts (drizzle)
    db.execute(sql("update notes set updated_at = null"))
    updated = db.update(Notes).set(stars=3).where(eq(Notes.id, created.id)).returning().one()
    assert updated.stars == 3
    assert updated.updated_at == datetime(2030, 1, 1, tzinfo=UTC)
    explicit = datetime(2020, 5, 5, tzinfo=UTC)
    row = db.update(Notes).set(updated_at=explicit).where(eq(Notes.id, created.id)).returning().one()
    assert row.updated_at == explicit  # an explicit value wins over on_update_fn
    db.close()


def test_constraint_errors_name_table_and_column(tmp_path: Path) -> None:
    db = mizzle.connect(str(tmp_path / "e.db"))
    mizzle.create_all(db, [Notes])
    db.insert(Notes).values(title="a").run()
    with pytest.raises(mizzle.UniqueViolation) as unique:
        db.insert(Notes).values(title="a").run()
    assert (unique.value.table, unique.value.column) == ("notes", "title")
    with pytest.raises(mizzle.NotNullViolation) as not_null:
        db.update(Notes).set(title=sql("null")).run()
    assert (not_null.value.table, not_null.value.column) == ("notes", "title")
    with pytest.raises(mizzle.CheckViolation) as bad:
        db.insert(Notes).values(title="b", stars=9).run()
    assert bad.value.constraint == "stars_range"
    assert 'insert into "notes"' in (bad.value.sql or "")
    db.close()


STAMP_2030 = 1893456000  # what on_update_fn's datetime(2030, 1, 1, UTC) is stored as


def test_to_sql_on_every_query_kind() -> None:
    cases = [
        (mizzle.select(Notes.id).from_(Notes).where(eq(Notes.title, "t")),
         'select "notes"."id" from "notes" where "notes"."title" = ?', ["t"]),
        # a function-computed value (on_update_fn here) is computed afresh per run; to_sql() shows one run's value
        (mizzle.insert(Notes).values(id=1, title="t", revision=2),
         'insert into "notes" ("id", "title", "updated_at", "revision") values (?, ?, ?, ?)', [1, "t", STAMP_2030, 2]),
        (mizzle.update(Notes).set(stars=2).where(eq(Notes.id, 1)),
         'update "notes" set "stars" = ?, "updated_at" = ? where "notes"."id" = ?', [2, STAMP_2030, 1]),
        (mizzle.delete(Notes).where(eq(Notes.id, 1)).returning(Notes.id),
         'delete from "notes" where "notes"."id" = ? returning "id"', [1]),
    ]
    for query, expected_sql, params in cases:
        out = query.to_sql()

        assert (out.sql, list(out.params)) == (expected_sql, params)
        sql_text, param_list = out  # unpacks as (sql, params)
        assert sql_text == expected_sql and param_list == params


def test_one_raises_clear_errors(tmp_path: Path) -> None:
    db = mizzle.connect(str(tmp_path / "o.db"))
    mizzle.create_all(db, [Notes])
    with pytest.raises(mizzle.NoResultError, match='expected exactly one row, got none: select "notes"'):
        db.select().from_(Notes).one()
    db.insert(Notes).values([{"title": "a"}, {"title": "b"}]).run()
    with pytest.raises(mizzle.MultipleResultsError, match="expected exactly one row, got 2"):
        db.select().from_(Notes).one()
    db.close()


def test_unbound_query_cannot_run() -> None:
    with pytest.raises(mizzle.QueryError, match="not bound to a database"):
        mizzle.select().from_(Notes).all()



class Maybe(Table, name="maybe"):
    id: Column[int] = integer().primary_key()
    note: Column[str | None] = text()


def test_eq_none_means_is_null(tmp_path: Path) -> None:
    db = mizzle.connect(str(tmp_path / "n.db"))
    mizzle.create_all(db, [Maybe])
    db.insert(Maybe).values([{"id": 1}, {"id": 2, "note": "x"}]).run()
    assert [n.id for n in db.select().from_(Maybe).where(eq(Maybe.note, None)).all()] == [1]
    assert [n.id for n in db.select().from_(Maybe).where(mizzle.ne(Maybe.note, None)).all()] == [2]
    assert mizzle.select(Maybe.id).from_(Maybe).where(eq(Maybe.note, None)).to_sql().sql.endswith('"maybe"."note" is null')
    with pytest.raises(mizzle.QueryError, match="is_null"):
        mizzle.gt(Maybe.note, None)
    db.close()


def test_run_result(tmp_path: Path) -> None:
    db = mizzle.connect(str(tmp_path / "r.db"))
    mizzle.create_all(db, [Notes])
    first = db.insert(Notes).values(title="a").run()
    second = db.insert(Notes).values(title="b").prepare().run()
    assert (first.rows_affected, first.count, first.last_insert_id) == (1, 1, 1)
    assert (second.rows_affected, second.last_insert_id) == (1, 2)
    assert repr(first) == "RunResult(rows_affected=1, last_insert_id=1)"
    updated = db.update(Notes).set(stars=3).run()
    assert (updated.rows_affected, updated.last_insert_id) == (2, None)
    assert isinstance(updated, mizzle.RunResult)
    db.close()


def test_run_result_keeps_its_public_constructor() -> None:
    import copy
    import pickle

    from mizzle import RunResult

    r = RunResult(3, 7)
    assert (r.rows_affected, r.last_insert_id, r.count) == (3, 7, 3)
    assert RunResult(rows_affected=2) == RunResult(2, None) and RunResult(2).last_insert_id is None
    for back in (pickle.loads(pickle.dumps(r)), copy.copy(r), copy.deepcopy(r)):
        assert type(back) is RunResult and back == r and back.last_insert_id == 7
