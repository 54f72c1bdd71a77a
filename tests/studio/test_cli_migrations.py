"""`mizzle studio` from the command line (loopback default, loud warning otherwise) and the migrations view."""

from __future__ import annotations

import textwrap
import urllib.request
from pathlib import Path

import pytest
from studio_helpers import Client, launch, start

import mizzle
from mizzle.kit.api import generate
from mizzle.kit.config import load_config, load_tables
from mizzle.studio import Studio, exposure_warning, is_loopback

SCHEMA_V1 = '''
from mizzle.sqlite import Column, Table, integer, text

class Authors(Table, name="authors"):
    id: Column[int] = integer().primary_key(autoincrement=True)
    name: Column[str] = text().not_null()
'''
SCHEMA_V2 = SCHEMA_V1 + '''
class Books(Table, name="books"):
    id: Column[int] = integer().primary_key(autoincrement=True)
    author_id: Column[int] = integer().not_null().references(lambda: Authors.id)
    title: Column[str] = text().not_null()
'''


def project(tmp_path: Path, schema: str, name: str) -> Path:
    """A folder with mizzle.toml, a schema file and a SQLite database path."""
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(schema))
    (tmp_path / "mizzle.toml").write_text(f'schema = "{name}.py"\nout = "drizzle"\nurl = "sqlite:///app.db"\n')
    return tmp_path


def test_loopback_detection() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("127.0.0.2") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.com")
    assert exposure_warning("127.0.0.1") is None
    warning = exposure_warning("0.0.0.0")
    assert warning is not None and "WARNING" in warning and "0.0.0.0" in warning


@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0"])
def test_cli_serves_and_warns_off_loopback(tmp_path: Path, host: str) -> None:
    folder = project(tmp_path, SCHEMA_V1, "schema_cli")
    db = mizzle.connect(str(folder / "app.db"))
    db.execute('create table authors (id integer primary key autoincrement, name text not null)')
    db.execute("insert into authors (name) values ('Ann')")
    db.close()
    for proc, url, _ in launch(folder, "--host", host, "--read-only"):
        assert "?token=" in url and url.startswith("http://127.0.0.1:")
        token = url.split("token=", 1)[1]
        base = url.split("/?", 1)[0]
        with urllib.request.urlopen(url) as resp:
            assert resp.status == 200
        tables = Client(base, token).get("/api/tables")
        assert tables == [{"name": "authors", "columns": 2, "editable": False, "rows": 1}]
        status, _ = Client(base, token).request("GET", "/api/tables", token=None)
        assert status == 401
        proc.terminate()
        _, err = proc.communicate(timeout=10)
        if host == "0.0.0.0":
            assert "WARNING: mizzle studio is listening on 0.0.0.0" in err
        else:
            assert "WARNING" not in err


def test_migrations_view_applied_pending_drift_and_push_plan(tmp_path: Path) -> None:
    folder = project(tmp_path, SCHEMA_V1, "schema_mig_v1")
    cfg = load_config(cwd=folder)
    v1 = load_tables(cfg)
    generate(v1, cfg.out, name="authors", now_ms=1_700_000_000_000)
    db = mizzle.connect(cfg.url)
    mizzle.migrate(db, cfg.out)
    (folder / "schema_mig_v2.py").write_text(textwrap.dedent(SCHEMA_V2))
    (folder / "mizzle.toml").write_text('schema = "schema_mig_v2.py"\nout = "drizzle"\nurl = "sqlite:///app.db"\n')
    cfg = load_config(cwd=folder)
    v2 = load_tables(cfg)
    generate(v2, cfg.out, name="books", now_ms=1_700_000_100_000)
    db.execute("insert into authors (name) values ('Ann')")

    studio = Studio(db, v2, config=cfg)
    server, base = start(studio)
    try:
        c = Client(base, studio.token)
        data = c.get("/api/migrations")
    finally:
        server.shutdown()
        server.server_close()
    status = data["status"]
    assert [(m["tag"], m["applied"]) for m in status["migrations"]] == [("0000_authors", True), ("0001_books", False)]
    assert status["pending"] == 1 and status["applied"] == 1 and not status["errors"]
    assert "CREATE TABLE `books`" in status["migrations"][1]["sql"]
    assert data["drift"]["available"] and data["drift"]["in_sync"]
    push = data["push"]
    assert push["available"] and not push["in_sync"]
    assert [(s["action"], s["target"]) for s in push["statements"]] == [("create table", "books")]
    assert db.count(v2[0]) == 1
    assert db.execute("select count(*) from sqlite_master where name = 'books'") == [(0,)]  # planned, never run

    # drop a column in code: the push plan warns about the data it would lose
    (folder / "schema_mig_v3.py").write_text(textwrap.dedent(SCHEMA_V2).replace(
        '    name: Column[str] = text().not_null()\n', ''))
    (folder / "mizzle.toml").write_text('schema = "schema_mig_v3.py"\nout = "drizzle"\nurl = "sqlite:///app.db"\n')
    cfg = load_config(cwd=folder)
    studio = Studio(db, load_tables(cfg), config=cfg)
    from mizzle.studio.migrations import generate_drift, push_plan

    plan = push_plan(studio)
    assert any("authors.name" in f["message"] or f["column"] == "name" for f in plan["losses"]), plan
    drift = generate_drift(studio)
    assert not drift["in_sync"] and any("authors.name" in x for x in drift["lossy"])
    db.close()
