"""`migrate --to` in both directions, and `pull --init` baselines (pull, then generate writes nothing)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from kit_helpers import FIX, load_module

import mizzle
from mizzle.cli.main import main
from mizzle.errors import MigrationError
from mizzle.kit.api import generate
from mizzle.kit.baseline import write_baseline
from mizzle.kit.from_schema import load_schema
from mizzle.kit.introspect import introspect
from mizzle.kit.journal import Journal
from mizzle.kit.migrator import migrate, migrate_to


def _tracked(db: mizzle.Database) -> int:
    return int(db.execute('SELECT count(*) FROM "__drizzle_migrations"')[0][0])


def test_migrate_to_applies_forward_then_reverts_then_forward_again(tmp_path: Path) -> None:
    folder = tmp_path / "evo"
    evo = load_module("evolution")
    for step in range(1, 12):
        generate(evo.tables(step, hints=True), folder, name=evo.STEPS[step - 1])
    db = mizzle.connect(f"sqlite:///{tmp_path / 'app.db'}")
    r = migrate_to(db, folder, 3)
    assert r.applied == ["0000_initial", "0001_add_column_index", "0002_rename_column", "0003_change_type"]
    assert r.reverted == [] and r.left_pending == 7
    assert "applied 4 migrations" in r.summary() and "database is at 0003_change_type" in r.summary()
    assert "7 later migrations not applied" in r.summary()
    assert _tracked(db) == 4
    r = migrate_to(db, folder, "0005_add_foreign_key")
    assert r.applied == ["0004_drop_column", "0005_add_foreign_key"] and r.left_pending == 5
    r = migrate_to(db, folder, "0005")  # by number: already there
    assert r.applied == r.reverted == [] and "database is already at 0005_add_foreign_key" in r.summary()
    r = migrate_to(db, folder, "0002_rename_column", force=True)  # 0004 dropped users.bio: its reverse is lossless,
    assert r.reverted == ["0005_add_foreign_key", "0004_drop_column", "0003_change_type"]  # 0003's is a rebuild
    assert _tracked(db) == 3
    assert "age" in [c[1] for c in db.execute("PRAGMA table_info(users)")]
    r = migrate(db, folder, up_to=6)
    assert r.applied[0] == "0003_change_type" and r.applied[-1] == "0006_rename_table" and r.left_pending == 4
    assert len(migrate(db, folder).applied) == 4
    with pytest.raises(MigrationError, match=r"--to '0042_nope': no such migration .*0000_initial"):
        migrate_to(db, folder, "0042_nope")
    with pytest.raises(MigrationError, match=r"--to 11: expected an index between -1 and 10"):
        migrate(db, folder, up_to=11)
    db.close()


def test_migrate_up_to_on_a_drizzle_folder(tmp_path: Path) -> None:
    db = mizzle.connect(f"sqlite:///{tmp_path / 'app.db'}")
    r = migrate(db, FIX / "evolution_sqlite", up_to="0001_add_column_index")
    assert r.applied == ["0000_initial", "0001_add_column_index"] and r.left_pending == 9
    assert [c[1] for c in db.execute("PRAGMA table_info(users)")][:3] == ["id", "name", "email"]
    db.close()


CREATE = [
    "CREATE TABLE orgs (id integer PRIMARY KEY, name text NOT NULL, slug text NOT NULL)",
    "CREATE UNIQUE INDEX orgs_slug_uq ON orgs (slug)",
    "CREATE TABLE members (org_id integer NOT NULL REFERENCES orgs(id) ON DELETE CASCADE, user_name text NOT NULL,"
    " role text DEFAULT 'member' NOT NULL, boss text, PRIMARY KEY (org_id, user_name))",
    "CREATE INDEX members_role_idx ON members (role) WHERE role <> 'member'",
    "CREATE TABLE nodes (id integer PRIMARY KEY AUTOINCREMENT, parent_id integer REFERENCES nodes(id), label text)",
    "INSERT INTO orgs VALUES (1, 'Acme', 'acme')",
    "INSERT INTO members VALUES (1, 'ann', 'owner', NULL)",
    "INSERT INTO nodes (id, parent_id, label) VALUES (1, NULL, 'root'), (2, 1, 'leaf')",
]


def _legacy_db(path: Path) -> None:
    con = sqlite3.connect(path)
    for stmt in CREATE:
        con.execute(stmt)
    con.commit()
    con.close()


def test_pull_init_then_generate_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    _legacy_db(tmp_path / "app.db")
    (tmp_path / "mizzle.toml").write_text(
        'schema = "db/schema.py"\nout = "./db"\nurl = "sqlite:///app.db"\n', encoding="utf-8")
    assert main(["--no-color", "pull", "--init"]) == 0
    out = capsys.readouterr().out
    assert "pulled 3 tables" in out and "db/0000_baseline.sql" in out and "recorded it as applied" in out
    assert (tmp_path / "db" / "schema.py").exists() and (tmp_path / "db" / "down" / "0000_baseline.sql").exists()
    assert main(["--no-color", "generate"]) == 0
    assert "no schema changes" in capsys.readouterr().out
    assert main(["--no-color", "migrate"]) == 0
    assert "up to date (1 migration applied)" in capsys.readouterr().out
    con = sqlite3.connect(tmp_path / "app.db")
    assert con.execute("SELECT count(*) FROM members").fetchone() == (1,)
    assert con.execute('SELECT created_at FROM "__drizzle_migrations"').fetchall() == [
        (Journal.read(tmp_path / "db").entries[0].when,)]
    con.close()
    # a fresh database gets the same schema from the baseline
    fresh = mizzle.connect(f"sqlite:///{tmp_path / 'fresh.db'}")
    migrate(fresh, tmp_path / "db")
    legacy = mizzle.connect(f"sqlite:///{tmp_path / 'app.db'}")
    assert introspect(fresh).schema_dict() == introspect(legacy).schema_dict()
    fresh.close()
    legacy.close()
    # a second --init is refused: the folder has migrations now
    assert main(["--no-color", "pull", "--init", "--force"]) == 1
    err = capsys.readouterr().err
    assert "already has 1 migration(s)" in err and "Traceback" not in err


def test_baseline_refuses_a_schema_that_does_not_match(tmp_path: Path) -> None:
    _legacy_db(tmp_path / "app.db")
    db = mizzle.connect(f"sqlite:///{tmp_path / 'app.db'}")
    tables = load_schema([load_module("seed001")])
    with pytest.raises(MigrationError, match=r"does not match the database .*\n  CREATE TABLE"):
        write_baseline(db, tables, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    db.close()


def test_baseline_refuses_a_database_managed_by_another_folder(tmp_path: Path) -> None:
    db = mizzle.connect(f"sqlite:///{tmp_path / 'app.db'}")
    migrate(db, FIX / "seed001")
    tables = load_schema([load_module("seed001")])
    with pytest.raises(MigrationError, match=r"already records 1 migration\(s\)"):
        write_baseline(db, tables, tmp_path / "out")
    shutil.rmtree(tmp_path / "out", ignore_errors=True)
    db.close()


def test_cli_migrate_to_goes_up_and_down(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    evo = load_module("evolution")
    for step in range(1, 4):
        generate(evo.tables(step, hints=True), tmp_path / "m", name=evo.STEPS[step - 1])
    (tmp_path / "mizzle.toml").write_text('out = "./m"\nurl = "sqlite:///app.db"\n', encoding="utf-8")
    assert main(["--no-color", "migrate", "--to", "0001"]) == 0
    out = capsys.readouterr().out
    assert "applied 2 migrations" in out and "1 later migration not applied" in out
    assert "pending migrations" not in out
    assert main(["--no-color", "migrate", "--to", "-1"]) == 1
    err = capsys.readouterr().err
    assert "refusing to revert" in err and "drops table" in err
    assert main(["--no-color", "migrate", "--to", "0000_initial", "--force"]) == 0
    assert "reverted 1 migration: 0001_add_column_index" in capsys.readouterr().out
    assert main(["--no-color", "migrate", "--to", "7"]) == 1
    assert "expected an index between -1 and 2" in capsys.readouterr().err
    assert main(["--no-color", "migrate"]) == 0
    assert "applied 2 migrations" in capsys.readouterr().out
