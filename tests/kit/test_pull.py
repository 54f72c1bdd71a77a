"""`mizzle pull`: introspect a live SQLite database, generate a schema module, round-trip it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import mizzle
from mizzle.kit.codegen import generate_module, pull
from mizzle.kit.dialects.sqlite.snapshot import SQLiteSnapshot
from mizzle.kit.from_schema import load_schema, snapshot_of
from mizzle.kit.introspect import introspect
from mizzle.kit.snapshot import read_snapshot

FIXTURES = Path(__file__).parent.parent / "fixtures" / "drizzle"
SEEDS = ["seed000", "seed001", "seed002", "seed003", "evolution_sqlite"]


def apply_folder(folder: Path, db_path: Path) -> None:
    """Apply a drizzle-kit migrations folder statement by statement (as drizzle's migrator splits it)."""
    journal = json.loads((folder / "meta" / "_journal.json").read_text())
    con = sqlite3.connect(db_path)
    try:
        for entry in journal["entries"]:
            text = (folder / f"{entry['tag']}.sql").read_text()
            for chunk in text.split("--> statement-breakpoint"):
                if chunk.strip():
                    con.execute(chunk)
            con.commit()
    finally:
        con.close()


def last_snapshot(folder: Path) -> SQLiteSnapshot:
    journal = json.loads((folder / "meta" / "_journal.json").read_text())
    idx = journal["entries"][-1]["idx"]
    snap = read_snapshot(folder / "meta" / f"{idx:04d}_snapshot.json")
    assert isinstance(snap, SQLiteSnapshot)
    return snap


def tables_of_source(source: str, path: Path) -> list[Any]:
    path.write_text(source, encoding="utf-8")
    return load_schema([str(path)])


def statements_between(old: Any, new: Any) -> list[Any]:
    """Part A's differ, when present: the statements turning `old` into `new` (renames refused)."""
    from mizzle.kit.diff import diff

    return list(diff(old, new).statements)


@pytest.mark.parametrize("seed", SEEDS)
def test_introspection_matches_drizzle_snapshot(seed: str, tmp_path: Path) -> None:
    db_path = tmp_path / "app.db"
    apply_folder(FIXTURES / seed, db_path)
    live = introspect(mizzle.connect(str(db_path)))
    expected = last_snapshot(FIXTURES / seed)
    assert live.schema_dict() == expected.schema_dict()


@pytest.mark.parametrize("seed", SEEDS)
def test_pull_round_trips(seed: str, tmp_path: Path) -> None:
    db_path = tmp_path / "app.db"
    apply_folder(FIXTURES / seed, db_path)
    db = mizzle.connect(str(db_path))
    source, live = pull(db)
    compile(source, "schema.py", "exec")
    tables = tables_of_source(source, tmp_path / f"pulled_{seed}.py")
    assert sorted(t.__table__.name for t in tables) == sorted(live.tables)
    declared = snapshot_of(tables)
    assert declared.schema_dict()["tables"] == live.schema_dict()["tables"]


COMPLEX = """
CREATE TABLE employees (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    manager_id INTEGER REFERENCES employees(id) ON DELETE SET NULL,
    mentor_id INTEGER,
    name TEXT NOT NULL,
    email TEXT,
    active INTEGER DEFAULT true NOT NULL,
    salary REAL DEFAULT 0,
    score NUMERIC DEFAULT 1.5,
    settings TEXT DEFAULT '{"theme":"dark"}',
    hired_at INTEGER,
    note TEXT DEFAULT 'it''s',
    created TEXT DEFAULT (CURRENT_TIMESTAMP),
    CONSTRAINT "salary_positive" CHECK("employees"."salary" >= 0),
    FOREIGN KEY (mentor_id) REFERENCES employees(id) ON UPDATE CASCADE ON DELETE NO ACTION
);
CREATE UNIQUE INDEX employees_email_unique ON employees (email);
CREATE INDEX idx_active_managers ON employees (manager_id) WHERE active = 1 AND manager_id IS NOT NULL;
CREATE INDEX idx_lower_name ON employees (lower(name));
CREATE TABLE memberships (
    org_id TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES employees(id) ON DELETE CASCADE,
    role TEXT DEFAULT 'member' NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
CREATE TABLE grants (
    org_id TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    perm TEXT NOT NULL,
    PRIMARY KEY (org_id, user_id, perm),
    FOREIGN KEY (org_id, user_id) REFERENCES memberships(org_id, user_id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX grants_perm_uq ON grants (perm, org_id) WHERE perm <> 'none';
CREATE TABLE "strict_things" ("ID" integer PRIMARY KEY NOT NULL, "class" text, "Weird Name" text) STRICT;
"""


def make_complex(db_path: Path) -> None:
    con = sqlite3.connect(db_path)
    con.executescript(COMPLEX)
    con.execute("INSERT INTO employees (name, hired_at, settings) VALUES ('a', 1700000000, '{\"x\": 1}')")
    con.execute("INSERT INTO employees (name, hired_at, manager_id) VALUES ('b', 1700000100, 1)")
    con.commit()
    con.close()


def test_pull_complex_database_round_trips(tmp_path: Path) -> None:
    db_path = tmp_path / "complex.db"
    make_complex(db_path)
    db = mizzle.connect(str(db_path))
    source, live = pull(db)
    emp = live.tables["employees"]
    assert emp.columns["id"].autoincrement and emp.columns["id"].primary_key
    assert emp.columns["active"].default is True
    assert emp.columns["created"].default == "(CURRENT_TIMESTAMP)"
    assert emp.columns["note"].default == "'it''s'"
    assert emp.indexes["idx_active_managers"].where == "active = 1 AND manager_id IS NOT NULL"
    assert emp.indexes["idx_lower_name"].columns == ["lower(name)"]
    assert emp.check_constraints["salary_positive"].value == '"employees"."salary" >= 0'
    fks = {fk.columns_from[0]: fk for fk in emp.foreign_keys.values()}
    assert fks["manager_id"].on_delete == "set null" and fks["manager_id"].table_to == "employees"
    assert fks["mentor_id"].on_update == "cascade"
    grants = live.tables["grants"]
    assert next(iter(grants.composite_primary_keys.values())).columns == ["org_id", "user_id", "perm"]
    (gfk,) = grants.foreign_keys.values()
    assert gfk.columns_from == ["org_id", "user_id"] and gfk.columns_to == ["org_id", "user_id"]

    # modes inferred from defaults and data; options kept
    assert 'integer("active", mode="boolean").not_null().default(True)' in source.replace("'", '"')
    assert 'integer("hired_at", mode="timestamp")' in source.replace("'", '"')
    assert "strict=True" in source
    assert "relations(Employees" in source

    tables = tables_of_source(source, tmp_path / "pulled_complex.py")
    declared = snapshot_of(tables)
    assert declared.schema_dict()["tables"] == live.schema_dict()["tables"]

    # the generated module works as a schema: read rows through it
    emp_cls = next(t for t in tables if t.__table__.name == "employees")
    rows = db.select().from_(emp_cls).order_by(emp_cls.id).all()
    assert [r.name for r in rows] == ["a", "b"]
    assert rows[0].active is True
    assert rows[0].hired_at.year == 2023
    assert rows[0].settings == {"x": 1}


def test_pull_then_diff_is_empty(tmp_path: Path) -> None:
    db_path = tmp_path / "complex.db"
    make_complex(db_path)
    db = mizzle.connect(str(db_path))
    source, live = pull(db)
    declared = snapshot_of(tables_of_source(source, tmp_path / "pulled_diff.py"))
    assert statements_between(live, declared) == []


def test_tables_filter_and_migrations_table_excluded(tmp_path: Path) -> None:
    db_path = tmp_path / "f.db"
    make_complex(db_path)
    con = sqlite3.connect(db_path)
    con.execute('CREATE TABLE "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)')
    con.commit()
    con.close()
    db = mizzle.connect(str(db_path))
    everything = introspect(db)
    assert "__drizzle_migrations" not in everything.tables
    assert not any(t.startswith("sqlite_") for t in everything.tables)
    only = introspect(db, include=lambda n: n.startswith("emp"))
    assert list(only.tables) == ["employees"]
    # a foreign key to a table left out by the filter is reported in the module, not emitted
    source = generate_module(introspect(db, include=lambda n: n == "memberships"))
    assert "skipped" in source and "references(" not in source


def test_cli_pull_writes_module(tmp_path: Path) -> None:
    db_path = tmp_path / "app.db"
    apply_folder(FIXTURES / "seed001", db_path)
    (tmp_path / "mizzle.toml").write_text(f'url = "sqlite:///{db_path}"\nout = "migrations"\n')
    proc = subprocess.run(
        [sys.executable, "-m", "mizzle.cli.main", "--no-color", "pull", "--out", "app/schema.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "app" / "schema.py"
    assert out.is_file()
    assert "class Sessions(Table" in out.read_text()
    assert "app/schema.py" in proc.stdout
    # a second pull refuses to overwrite a changed file without --force
    out.write_text(out.read_text() + "\n# edited\n")
    again = subprocess.run(
        [sys.executable, "-m", "mizzle.cli.main", "--no-color", "pull", "--out", "app/schema.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    assert again.returncode == 1
    assert "--force" in again.stderr
    assert "Traceback" not in again.stderr


def test_pulled_relations_work_with_relational_queries(tmp_path: Path) -> None:
    import importlib.util

    db_path = tmp_path / "rel.db"
    make_complex(db_path)
    source, _ = pull(mizzle.connect(str(db_path)))
    path = tmp_path / "pulled_rel.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("pulled_rel_schema", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    db = mizzle.connect(str(db_path), schema=module)
    rows = db.query.employees.find_many(
        with_={"manager": True, "employees_by_manager_id": True}, order_by=[module.Employees.id]
    ).all()
    assert [r.name for r in rows] == ["a", "b"]
    assert rows[0].manager is None and [e.name for e in rows[0].employees_by_manager_id] == ["b"]
    assert rows[1].manager is not None and rows[1].manager.name == "a"
