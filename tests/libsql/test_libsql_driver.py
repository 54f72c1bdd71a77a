"""The libSQL driver on real local files: URL routing, pragmas, errors, transactions, batch, sync."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("libsql", reason="libSQL tests need the libsql package: pip install 'mizzle[libsql]'")

import mizzle
from _sqld import LibSQLServer
from mizzle import eq, sql
from mizzle.drivers.libsql import LibSQLDriver
from mizzle.libsql import connect_from_env
from mizzle.sqlite import Column, Table, check, integer, text


class Parents(Table, name="parents"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null().unique()
    qty: Column[int] = integer().not_null().default(1)
    __constraints__ = (check("qty_positive", sql("{} > 0", qty)),)


class Kids(Table, name="kids"):
    id: Column[int] = integer().primary_key()
    parent_id: Column[int] = integer().not_null().references(lambda: Parents.id, on_delete="cascade")


class Numbers(Table, name="numbers"):
    id: Column[int] = integer().primary_key()
    n: Column[int] = integer().not_null()


TABLES = [Parents, Kids, Numbers]
WIDE = [2**63 - 1, -(2**63), 2**53 + 1, 2**31, -(2**31) - 1, 2**32, 2**31 - 1]


@pytest.fixture
def file_db(tmp_path: Path) -> Any:
    db = mizzle.connect(f"file:{tmp_path / 'app.db'}", driver="libsql")
    mizzle.create_all(db, TABLES)
    yield db
    db.close()


@pytest.fixture(params=["file", "remote", "replica"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """The same tables on a local file, on the libSQL server (http + JWT) and on an embedded replica of it."""
    if request.param == "file":
        yield request.getfixturevalue("file_db")
        return
    server: LibSQLServer = request.getfixturevalue("libsql_server")
    primary = server.fresh(TABLES)
    if request.param == "remote":
        yield primary
    else:
        replica = mizzle.connect(f"file:{tmp_path / 'replica.db'}", driver="libsql", sync_url=server.url,
                                 auth_token=server.token, check=True)
        yield replica
        replica.close()
    primary.close()


def test_file_url_with_driver_libsql_opens_through_libsql(tmp_path: Path) -> None:
    for url in (f"file:{tmp_path / 'a.db'}", str(tmp_path / "b.db"), f"sqlite:///{tmp_path / 'c.db'}", ":memory:"):
        db = mizzle.connect(url, driver="libsql")
        assert isinstance(db.driver, LibSQLDriver)
        assert not db.driver.remote and not db.driver.replica
        assert db.execute("select 40 + 2") == [(42,)]
        db.close()
    assert (tmp_path / "a.db").exists() and (tmp_path / "b.db").exists() and (tmp_path / "c.db").exists()


def test_plain_file_url_still_uses_sqlite3(tmp_path: Path) -> None:
    db = mizzle.connect(f"file:{tmp_path / 'a.db'}")
    assert not isinstance(db.driver, LibSQLDriver)
    db.close()


def test_foreign_keys_on_and_wal(file_db: Any) -> None:
    db = file_db
    assert db.execute("pragma foreign_keys") == [(1,)]
    assert db.execute("pragma journal_mode") == [("wal",)]


def test_file_is_plain_sqlite(tmp_path: Path, file_db: Any) -> None:
    db = file_db
    db.insert(Parents).values(name="a").run()
    with sqlite3.connect(tmp_path / "app.db") as raw:
        assert raw.execute("select name, qty from parents").fetchall() == [("a", 1)]


def test_crud_and_returning(db: Any) -> None:
    p = db.insert(Parents).values(name="a", qty=3).returning().one()
    assert (p.id, p.name, p.qty) == (1, "a", 3)
    res = db.insert(Parents).values([{"name": "b"}, {"name": "c"}]).run()
    assert res.rows_affected == 2 and res.last_insert_id == 3
    assert db.update(Parents).set(qty=9).where(eq(Parents.name, "b")).run().rows_affected == 1
    assert [r.qty for r in db.select().from_(Parents).order_by(Parents.id).all()] == [3, 9, 1]
    assert db.delete(Parents).where(eq(Parents.id, 1)).returning(Parents.name).all() == [("a",)]
    assert db.count(Parents) == 2


@pytest.mark.parametrize(
    ("stmt", "error", "column"),
    [
        (lambda db: db.insert(Parents).values(id=1, name="a").run(), mizzle.UniqueViolation, "id"),
        (lambda db: db.insert(Parents).values(name="p").run(), mizzle.UniqueViolation, "name"),
        (lambda db: db.insert(Kids).values(parent_id=99).run(), mizzle.ForeignKeyViolation, None),
        (lambda db: db.execute("insert into parents (name) values (null)"), mizzle.NotNullViolation, "name"),
        (lambda db: db.insert(Parents).values(name="z", qty=0).run(), mizzle.CheckViolation, None),
        (lambda db: db.execute("select * from nope"), mizzle.OperationalError, None),
    ],
)
def test_errors_map_to_mizzle_hierarchy(db: Any, stmt: Any, error: type[Exception], column: str | None) -> None:
    db.insert(Parents).values(id=1, name="p").run()
    with pytest.raises(error) as info:
        stmt(db)
    err = info.value
    assert isinstance(err, mizzle.DatabaseError) and err.sql is not None
    if column is not None:
        assert (err.table, err.column) == ("parents", column)
    if isinstance(err, mizzle.CheckViolation):
        assert err.constraint is not None and "qty" in err.constraint


def test_transaction_commit_rollback_and_savepoints(db: Any) -> None:
    with db.transaction() as tx:
        tx.insert(Parents).values(name="kept").run()
        with tx.transaction() as inner:
            inner.insert(Parents).values(name="undone").run()
            inner.rollback()
        with pytest.raises(mizzle.UniqueViolation), tx.transaction() as inner:
            inner.insert(Parents).values(name="kept").run()
        tx.insert(Parents).values(name="also").run()
    assert not db.driver.in_transaction
    with pytest.raises(RuntimeError), db.transaction() as tx:
        tx.insert(Parents).values(name="lost").run()
        raise RuntimeError("boom")
    assert [r.name for r in db.select().from_(Parents).order_by(Parents.id).all()] == ["kept", "also"]


def test_transaction_is_visible_to_other_connections_only_after_commit(tmp_path: Path, file_db: Any) -> None:
    db = file_db
    other = mizzle.connect(f"file:{tmp_path / 'app.db'}", driver="libsql")
    with db.transaction() as tx:
        tx.insert(Parents).values(name="a").run()
        assert other.count(Parents) == 0
    assert other.count(Parents) == 1
    other.close()


def test_batch_returns_rows_and_run_results(db: Any) -> None:
    out = db.batch(
        [
            db.insert(Parents).values(name="a"),
            db.insert(Parents).values(name="b").returning(Parents.id),
            db.update(Parents).set(qty=5),
            db.select(Parents.name, Parents.qty).from_(Parents).order_by(Parents.name),
        ]
    )
    assert out[0].rows_affected == 1 and out[0].last_insert_id == 1
    assert out[1] == [(2,)]
    assert out[2].rows_affected == 2
    assert out[3] == [("a", 5), ("b", 5)]


def test_batch_is_atomic(db: Any) -> None:
    db.insert(Parents).values(name="p").run()
    with pytest.raises(mizzle.UniqueViolation) as info:
        db.batch([db.insert(Parents).values(name="new"), db.insert(Parents).values(name="p")])
    assert info.value.sql is not None and "insert" in info.value.sql
    assert not db.driver.in_transaction
    assert [r.name for r in db.select().from_(Parents).all()] == ["p"]


def test_batch_inside_a_transaction_joins_it(db: Any) -> None:
    with db.transaction() as tx:
        tx.batch([tx.insert(Parents).values(name="a")])
        tx.rollback()
    assert db.count(Parents) == 0


def test_sync_needs_a_replica(file_db: Any, tmp_path: Path) -> None:
    db = file_db
    with pytest.raises(mizzle.ConfigError, match="not an embedded replica"):
        db.sync()
    plain = mizzle.connect(str(tmp_path / "plain.db"))
    with pytest.raises(mizzle.ConfigError, match="cannot sync"):
        plain.sync()
    plain.close()


def test_replica_whose_primary_is_unreachable_fails_clearly(tmp_path: Path) -> None:
    # opening a replica syncs once; nothing listens on port 9 here
    with pytest.raises(mizzle.OperationalError, match=r"replica of 'http://127.0.0.1:9'"):
        mizzle.connect(f"file:{tmp_path / 'r.db'}", driver="libsql", sync_url="http://127.0.0.1:9", auth_token="t")


def test_remote_urls_pick_libsql_and_report_unreachable_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TURSO_AUTH_TOKEN", "from-env")
    for url in ("libsql://nonexistent.invalid", "https://nonexistent.invalid", "http://127.0.0.1:9"):
        db = mizzle.connect(url)  # libsql connects lazily
        assert isinstance(db.driver, LibSQLDriver) and db.driver.remote
        with pytest.raises(mizzle.OperationalError):
            db.execute("select 1")
        db.close()


def test_sync_url_on_a_remote_url_is_rejected() -> None:
    with pytest.raises(mizzle.ConfigError, match="sync_url= is for a local replica"):
        mizzle.connect("libsql://x.invalid", sync_url="libsql://y.invalid")


def test_connect_from_env_requires_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TURSO_DATABASE_URL", raising=False)
    with pytest.raises(mizzle.ConfigError, match=r"^TURSO_DATABASE_URL is required$"):
        connect_from_env()


def test_connect_from_env_local_file_ignores_the_token(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TURSO_DATABASE_URL", f"file:{tmp_path / 'local.db'}")
    monkeypatch.setenv("TURSO_AUTH_TOKEN", "secret")
    db = connect_from_env()
    assert isinstance(db.driver, LibSQLDriver) and not db.driver.remote
    assert db.execute("select 1") == [(1,)]
    db.close()
    assert (tmp_path / "local.db").exists()


def test_connect_from_env_remote(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TURSO_DATABASE_URL", "libsql://ai-workflow.invalid")
    monkeypatch.setenv("TURSO_AUTH_TOKEN", "secret")
    db = connect_from_env()
    assert isinstance(db.driver, LibSQLDriver) and db.driver.remote
    assert db.driver.database == "libsql://ai-workflow.invalid"
    db.close()


def test_integers_beyond_32_bits_round_trip_exactly(db: Any) -> None:
    # the libsql package binds such ints as REAL: 2**53 + 1 came back as 2**53, 2**31 typed 'real'
    db.insert(Numbers).values([{"n": v} for v in WIDE]).run()
    db.insert(Numbers).values(n=2**53 + 1).run()
    assert [r.n for r in db.select().from_(Numbers).order_by(Numbers.id).all()] == [*WIDE, 2**53 + 1]
    assert db.execute("select distinct typeof(n) from numbers") == [("integer",)]
    assert db.select().from_(Numbers).where(eq(Numbers.n, 2**53 + 1)).all() != []
    assert db.count(Numbers, eq(Numbers.n, 2**53 + 1)) == 2
    for v in WIDE:
        assert db.execute("select ?, typeof(?), '?' || ?", v, v, 1) == [(v, "integer", "?1")]


def test_integer_beyond_64_bits_is_refused(db: Any) -> None:
    with pytest.raises(mizzle.DatabaseError, match="does not fit in SQLite's 64-bit INTEGER"):
        db.execute("select ?", 2**63)


def test_named_parameters(db: Any) -> None:
    cur = db.driver.execute("select :a, @b, $c, ':a -- @b', :a /* $c */", {"a": 1, "b": "two", "c": 2**40})
    assert cur.fetchall() == [(1, "two", 2**40, ":a -- @b", 1)]
    with pytest.raises(mizzle.DatabaseError, match="no value for named parameter 'b'"):
        db.driver.execute("select :a, :b", {"a": 1})
