"""Seed 003 (`examples/workflows`) on a local libSQL file and on stdlib sqlite3: same rows, same behaviour."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import mizzle
from _sqld import LibSQLServer, Sqld, reset

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
if str(EXAMPLES) not in sys.path:
    sys.path.insert(0, str(EXAMPLES))

from workflows.client import create_db_client, open_desktop_db  # noqa: E402
from workflows.repository import WorkflowRepository  # noqa: E402
from workflows.schema import TABLES, UserSettings, Workflows  # noqa: E402
from workflows.sync import sync_now  # noqa: E402

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "libsql", "libsql_remote", "libsql_replica"])
def driver(request: pytest.FixtureRequest) -> str:
    """Where the seed runs: a file through stdlib sqlite3 or the libsql package, the libSQL server
    (the backend's `libsql://` database), or an embedded replica of it (the desktop app, synced)."""
    if request.param != "sqlite":
        pytest.importorskip("libsql", reason="libSQL tests need the libsql package: pip install 'mizzle[libsql]'")
    name: str = request.param
    return name


@pytest.fixture
def db(driver: str, tmp_path: Path, request: pytest.FixtureRequest,
       monkeypatch: pytest.MonkeyPatch) -> Iterator[mizzle.Database]:
    if driver in ("sqlite", "libsql"):
        db = open_desktop_db(f"file:{tmp_path / 'app.db'}", driver=driver)
    else:
        server: LibSQLServer = request.getfixturevalue("libsql_server")
        primary = server.connect()
        reset(primary)
        primary.close()
        if driver == "libsql_remote":  # the backend: createDbClient() from the environment
            monkeypatch.setenv("TURSO_DATABASE_URL", server.url)
            monkeypatch.setenv("TURSO_AUTH_TOKEN", server.token)
            db = create_db_client()
            mizzle.create_all(db, TABLES)
        else:  # the desktop app's file as an embedded replica of the server
            db = open_desktop_db(f"file:{tmp_path / 'app.db'}", sync_url=server.url, auth_token=server.token)
    yield db
    db.close()


def stored(db: mizzle.Database, tmp_path: Path, query: str) -> Any:
    """The first row of `query` as stored: read with stdlib sqlite3 when there is a plain file."""
    if getattr(db.driver, "remote", False) or getattr(db.driver, "replica", False):
        return db.execute(query)[0]
    with sqlite3.connect(tmp_path / "app.db") as raw:
        return raw.execute(query).fetchone()


@pytest.fixture
def repo(db: mizzle.Database) -> WorkflowRepository:
    return WorkflowRepository(db)


def test_schema_tables_and_the_four_indexes(db: mizzle.Database) -> None:
    tables = {r[0] for r in db.execute("select name from sqlite_master where type = 'table'")}
    assert {"workflows", "user_settings", "sync_metadata"} <= tables
    indexes = {r[1]: r for r in db.execute("pragma index_list('workflows')")}
    assert {"idx_workflows_status", "idx_workflows_user_id", "idx_workflows_created_at", "idx_workflows_type_status"} <= set(
        indexes
    )
    cols = [r[2] for r in db.execute("pragma index_info('idx_workflows_type_status')")]
    assert cols == ["type", "status"]


def test_create_fills_defaults_and_round_trips_json(repo: WorkflowRepository) -> None:
    payload = {"prompt": "こんにちは", "steps": [1, 2, {"n": None}], "ok": True}
    w = repo.create({"type": "summarize", "user_id": "u1", "input_payload": payload})
    assert len(w.id) == 36 and w.id.count("-") == 4
    assert (w.status, w.retry_count, w.error_log, w.completed_at, w.deleted_at) == ("PENDING", 0, None, None, None)
    assert w.input_payload == payload and w.output_payload is None
    assert w.created_at.tzinfo is not None and abs(w.created_at - datetime.now(UTC)) < timedelta(seconds=5)
    again = repo.find_by_id(w.id)
    assert again == w


def test_values_are_stored_as_drizzle_stores_them(repo: WorkflowRepository, tmp_path: Path) -> None:
    w = repo.create({"type": "t", "user_id": "u", "input_payload": {"a": [1, 2]}, "created_at": T0})
    row = stored(repo.db, tmp_path, "select status, input_payload, created_at, typeof(created_at) from workflows")
    assert row == ("PENDING", '{"a":[1,2]}', int(T0.timestamp()), "integer")
    assert w.created_at == T0


def test_find_by_id_hides_soft_deleted_and_unknown(repo: WorkflowRepository) -> None:
    w = repo.create({"type": "t", "user_id": "u"})
    assert repo.find_by_id("nope") is None
    repo.soft_delete(w.id)
    assert repo.find_by_id(w.id) is None
    row = repo.db.select(Workflows.deleted_at).from_(Workflows).where(mizzle.eq(Workflows.id, w.id)).one()
    assert row[0] is not None  # soft: the row is still there


def test_find_by_user_id_newest_first_without_deleted_or_others(repo: WorkflowRepository) -> None:
    made = [
        repo.create({"type": "t", "user_id": "u1", "created_at": T0 + timedelta(minutes=i)}) for i in (2, 0, 3, 1)
    ]
    repo.create({"type": "t", "user_id": "u2", "created_at": T0})
    repo.soft_delete(made[2].id)  # the newest one
    found = repo.find_by_user_id("u1")
    assert [w.created_at for w in found] == [T0 + timedelta(minutes=m) for m in (2, 1, 0)]
    assert all(w.user_id == "u1" and w.deleted_at is None for w in found)
    assert repo.find_by_user_id("nobody") == []


def test_update_status_stamps_completed_at_only_when_completed(repo: WorkflowRepository) -> None:
    w = repo.create({"type": "t", "user_id": "u", "created_at": T0, "updated_at": T0})
    p = repo.update_status(w.id, "PROCESSING")
    assert p is not None and p.status == "PROCESSING" and p.completed_at is None and p.updated_at > T0
    f = repo.update_status(w.id, "FAILED", "timeout after 30s")
    assert f is not None and (f.status, f.error_log, f.completed_at) == ("FAILED", "timeout after 30s", None)
    r = repo.update_status(w.id, "RETRYING")
    assert r is not None and r.error_log == "timeout after 30s"  # not given: left alone (drizzle's undefined)
    c = repo.update_status(w.id, "COMPLETED")
    assert c is not None and c.status == "COMPLETED"
    assert c.completed_at is not None and c.completed_at == c.updated_at
    assert repo.find_by_id(w.id) == c
    assert repo.update_status("missing", "COMPLETED") is None


def test_user_settings_user_id_is_unique(db: mizzle.Database) -> None:
    s = db.insert(UserSettings).values(user_id="u1", preferences={"theme": "dark"}).returning().one()
    assert s.preferences == {"theme": "dark"}
    with pytest.raises(mizzle.UniqueViolation) as info:
        db.insert(UserSettings).values(user_id="u1").run()
    assert (info.value.table, info.value.column) == ("user_settings", "user_id")


def test_batch_creates_atomically(repo: WorkflowRepository) -> None:
    db = repo.db
    out = db.batch(
        [
            db.insert(Workflows).values(type="a", user_id="u"),
            db.insert(Workflows).values(type="b", user_id="u").returning(Workflows.type),
            db.select(Workflows.type).from_(Workflows).order_by(Workflows.type),
        ]
    )
    assert out[0].rows_affected == 1 and out[1] == [("b",)] and out[2] == [("a",), ("b",)]
    first = repo.find_by_user_id("u")[0]
    with pytest.raises(mizzle.UniqueViolation):
        db.batch([db.insert(Workflows).values(type="c", user_id="u"), db.insert(Workflows).values(id=first.id, type="d", user_id="u")])
    assert sorted(w.type for w in repo.find_by_user_id("u")) == ["a", "b"]


def test_sync_without_a_replica_is_recorded_as_failed(db: mizzle.Database) -> None:
    if getattr(db.driver, "replica", False):
        assert sync_now(db) is True
        rows = db.execute("select table_name, sync_status from sync_metadata order by table_name")
        assert rows == [("user_settings", "COMPLETED"), ("workflows", "COMPLETED")]
        return
    assert sync_now(db) is False
    rows = db.execute("select table_name, sync_status, last_sync_at from sync_metadata order by table_name")
    assert rows == [("user_settings", "FAILED", None), ("workflows", "FAILED", None)]
    assert sync_now(db, ["workflows"]) is False
    assert db.execute("select count(*) from sync_metadata") == [(2,)]


def test_libsql_file_and_sqlite3_file_are_interchangeable(tmp_path: Path) -> None:
    pytest.importorskip("libsql", reason="libSQL tests need the libsql package: pip install 'mizzle[libsql]'")
    url = f"file:{tmp_path / 'shared.db'}"
    with open_desktop_db(url, driver="libsql") as written:
        w = WorkflowRepository(written).create({"type": "t", "user_id": "u", "input_payload": [1, "x"]})
    with open_desktop_db(url, driver="sqlite") as read:
        assert WorkflowRepository(read).find_by_id(w.id) == w


def test_create_db_client_from_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pytest.importorskip("libsql", reason="libSQL tests need the libsql package: pip install 'mizzle[libsql]'")
    monkeypatch.delenv("TURSO_DATABASE_URL", raising=False)
    with pytest.raises(mizzle.ConfigError, match="TURSO_DATABASE_URL is required"):
        create_db_client()
    monkeypatch.setenv("TURSO_DATABASE_URL", f"file:{tmp_path / 'local.db'}")
    db: Any = create_db_client()
    mizzle.create_all(db, [Workflows])
    assert WorkflowRepository(db).create({"type": "t", "user_id": "u"}).status == "PENDING"
    db.close()


def test_desktop_replica_offline_then_online(sqld_process: Sqld, tmp_path: Path) -> None:
    """15.6: the desktop app keeps reading while the server is down, records the failed sync, catches up."""
    app = open_desktop_db(f"file:{tmp_path / 'app.db'}", sync_url=sqld_process.url, auth_token=sqld_process.token)
    repo = WorkflowRepository(app)
    w = repo.create({"type": "summarize", "user_id": "u1"})
    assert sync_now(app) is True
    sqld_process.stop()
    assert repo.find_by_id(w.id) == w  # offline: reads come from the local file
    with pytest.raises(mizzle.UnreachableError):
        repo.create({"type": "offline", "user_id": "u1"})
    assert sync_now(app) is False
    # sync_metadata is replicated too: offline it cannot change, it still shows the last good sync
    assert app.execute("select distinct sync_status from sync_metadata") == [("COMPLETED",)]
    sqld_process.start()
    assert sync_now(app) is True
    backend = mizzle.connect(sqld_process.url, auth_token=sqld_process.token)
    assert [r.type for r in WorkflowRepository(backend).find_by_user_id("u1")] == ["summarize"]
    backend.close()
    app.close()
