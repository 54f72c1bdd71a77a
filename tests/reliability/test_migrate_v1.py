"""`mizzle.migrate` on drizzle 1.0 folders: the v1 tracking table, the upgrade of an old one, reverting.

Each test runs on SQLite, libSQL (file), PostgreSQL and MariaDB. The folders are mizzle's own 0.x
folders converted with `up` (drizzle-kit 1.0's layout); tests/kit/test_interop_node_v1.py runs the
same against the real drizzle-orm 1.0 / drizzle-kit 1.0.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rel_helpers import Target

import mizzle
from mizzle.errors import MigrationError
from mizzle.kit.api import generate
from mizzle.kit.journal import read_migrations
from mizzle.kit.migrator import migrate_to
from mizzle.kit.up import up

START = 1_795_498_918_000


def schema(target: Target, step: int) -> list[Any]:
    """Step 1: items; 2: items.note; 3: + tags; 4: + tags.label."""
    mod = target.mod
    cols: dict[str, Any] = {"id": mod.integer("id").primary_key()}
    if step >= 2:
        cols["note"] = mod.text("note") if target.kind != "mysql" else mod.varchar("note", length=50)
    tables: list[Any] = [type("Items", (mod.Table,), cols, name="items")]
    if step >= 3:
        tcols: dict[str, Any] = {"id": mod.integer("id").primary_key()}
        if step >= 4:
            tcols["label"] = mod.integer("label")
        tables.append(type("Tags", (mod.Table,), tcols, name="tags"))
    return tables


def old_folder(target: Target, out: Path, steps: int, first: int = 1) -> Path:
    """mizzle's 0.x folder of steps first..steps, one migration per second, with down migrations."""
    for step in range(first, steps + 1):
        generate(schema(target, step), out, name=f"step{step}", now_ms=START + step * 1000)
    return out


def tracking(target: Target, db: mizzle.Database) -> list[tuple[Any, ...]]:
    """(hash, created_at, name, applied_at is set) of every tracking row, oldest first."""
    ref = '"drizzle"."__drizzle_migrations"' if target.kind == "postgres" else (
        "`__drizzle_migrations`" if target.kind == "mysql" else '"__drizzle_migrations"')
    order = "rowid" if target.is_sqlite else "id"
    return [(str(h), int(c), n, a is not None) for h, c, n, a in
            db.execute(f"SELECT hash, created_at, name, applied_at FROM {ref} ORDER BY {order}")]


def test_applies_a_v1_folder_with_drizzle_orm_1_tracking_rows(target: Target, tmp_path: Path) -> None:
    out = old_folder(target, tmp_path / "m", 3)
    up(out)
    local = read_migrations(out)
    assert [m.tag for m in local] == ["20261124054159_step1", "20261124054200_step2", "20261124054201_step3"]
    db = target.connect()
    try:
        result = mizzle.migrate(db, out)
        assert result.applied == [m.tag for m in local]
        assert tracking(target, db) == [(m.hash, m.when, m.tag, True) for m in local]
        assert target.tables(db) == {"items", "tags"}
        assert mizzle.migrate(db, out).applied == []  # matched by name: nothing twice
    finally:
        db.close()


def test_an_old_tracking_table_is_upgraded_and_continued(target: Target, tmp_path: Path) -> None:
    out = old_folder(target, tmp_path / "m", 2)
    db = target.connect()
    try:
        mizzle.migrate(db, out)  # 0.x layout: the old table (id, hash, created_at)
        old_folder(target, out, 4, first=3)
        up(out)
        local = read_migrations(out)
        result = mizzle.migrate(db, out)
        assert result.applied == [m.tag for m in local[2:]]
        rows = tracking(target, db)
        # old rows keep their created_at (the journal's when) and get their names; applied_at NULL as drizzle does
        assert [(h, n, a) for h, _, n, a in rows] == [(m.hash, m.tag, i >= 2) for i, m in enumerate(local)]
        assert [c // 1000 * 1000 for _, c, _, _ in rows] == [m.when for m in local]
        assert target.columns(db, "tags") == ["id", "label"]
        assert mizzle.migrate(db, out).applied == []
    finally:
        db.close()


def test_an_old_row_the_folder_lacks_refuses_the_upgrade_and_changes_nothing(target: Target, tmp_path: Path) -> None:
    applied = old_folder(target, tmp_path / "applied", 1)
    out = tmp_path / "m"  # another history: other SQL, another second
    generate(schema(target, 3), out, name="other", now_ms=START + 50_000)
    up(out)
    db = target.connect()
    try:
        mizzle.migrate(db, applied)
        before = tracking_columns(target, db)
        with pytest.raises(MigrationError, match="match no migration of the folder"):
            mizzle.migrate(db, out)
        assert tracking_columns(target, db) == before == ["id", "hash", "created_at"]
    finally:
        db.close()


def tracking_columns(target: Target, db: mizzle.Database) -> list[str]:
    if target.is_sqlite:
        return [str(r[1]) for r in db.execute("SELECT * FROM pragma_table_info('__drizzle_migrations')")]
    schema = "'drizzle'" if target.kind == "postgres" else "database()"
    return [str(r[0]) for r in db.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = " + schema
        + " AND table_name = '__drizzle_migrations' ORDER BY ordinal_position")]


def test_migrate_to_reverts_v1_migrations_with_their_moved_down_files(target: Target, tmp_path: Path) -> None:
    out = old_folder(target, tmp_path / "m", 4)
    up(out)
    local = read_migrations(out)
    db = target.connect()
    try:
        mizzle.migrate(db, out)
        result = migrate_to(db, out, local[1].tag, force=True)  # the downs drop tags (lossy)
        assert result.reverted == [local[3].tag, local[2].tag]
        assert target.tables(db) == {"items"}
        assert [n for _, _, n, _ in tracking(target, db)] == [local[0].tag, local[1].tag]
        assert mizzle.migrate(db, out).applied == [local[2].tag, local[3].tag]
    finally:
        db.close()
