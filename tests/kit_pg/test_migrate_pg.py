"""mizzle.migrate on PostgreSQL: drizzle-orm's tracking table and rows, atomic migrations, the advisory lock."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from kit_pg_helpers import FIXTURES, catalog

import mizzle
from mizzle.errors import MigrationError
from mizzle.kit.journal import Journal, JournalEntry, file_hash

SEED = FIXTURES / "seed004_pg"


def _copy_seed(dst: Path) -> Path:
    shutil.copytree(SEED, dst, ignore=shutil.ignore_patterns("expected_*", "sha256sums.txt"))
    return dst


def _add_migration(folder: Path, tag: str, sql: str) -> None:
    journal = Journal.read_or_new(folder, "postgresql")
    when = journal.entries[-1].when + 1000 if journal.entries else 1_700_000_000_000
    journal.entries.append(JournalEntry(len(journal.entries), "7", when, tag, True))
    (folder / f"{tag}.sql").write_text(sql, encoding="utf-8")
    journal.write(folder)


def test_applies_drizzle_kits_folder_like_drizzle_orm(tmp_path: Path, pg_kit_db: mizzle.Database) -> None:
    folder = _copy_seed(tmp_path / "m")
    result = mizzle.migrate(pg_kit_db, folder)
    assert result.applied == ["0000_init"]
    cols, cons = catalog(pg_kit_db)
    assert cols == json.loads((SEED / "expected_pg_columns.json").read_text())
    assert cons == json.loads((SEED / "expected_pg_constraints.json").read_text())
    rows = pg_kit_db.execute('SELECT id, hash, created_at FROM "drizzle"."__drizzle_migrations" ORDER BY id')
    expected = json.loads((SEED / "expected_migrations_rows.json").read_text())
    when = json.loads((folder / "meta" / "_journal.json").read_text())["entries"][0]["when"]
    assert [(r[0], r[1], r[2]) for r in rows] == [(e["id"], e["hash"], when) for e in expected]
    assert rows[0][1] == file_hash((SEED / "0000_init.sql").read_text(encoding="utf-8"))
    # tracking table types as drizzle-orm creates them
    types = pg_kit_db.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'drizzle' AND table_name = '__drizzle_migrations' ORDER BY ordinal_position")
    assert types == [("id", "integer"), ("hash", "text"), ("created_at", "bigint")]
    again = mizzle.migrate(pg_kit_db, folder)
    assert again.applied == [] and again.already_applied == 1


def test_failing_migration_leaves_nothing_behind(tmp_path: Path, pg_kit_db: mizzle.Database) -> None:
    folder = _copy_seed(tmp_path / "m")
    mizzle.migrate(pg_kit_db, folder)
    pg_kit_db.execute("INSERT INTO projects (name) VALUES ('a'), ('b')")
    _add_migration(folder, "0001_bad",
                   'ALTER TABLE "projects" ADD COLUMN "slug" text;--> statement-breakpoint\n'
                   'UPDATE "projects" SET "slug" = "name";--> statement-breakpoint\n'
                   'ALTER TABLE "nope" ADD COLUMN "x" integer;')
    with pytest.raises(MigrationError, match=r"0001_bad\.sql: statement failed, migration rolled back"):
        mizzle.migrate(pg_kit_db, folder)
    cols = [r[0] for r in pg_kit_db.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'projects' ORDER BY 1")]
    assert "slug" not in cols
    assert pg_kit_db.execute('SELECT count(*) FROM "drizzle"."__drizzle_migrations"') == [(1,)]


def test_edited_migration_is_refused(tmp_path: Path, pg_kit_db: mizzle.Database) -> None:
    folder = _copy_seed(tmp_path / "m")
    mizzle.migrate(pg_kit_db, folder)
    (folder / "0000_init.sql").write_text((folder / "0000_init.sql").read_text() + "\n-- edited", encoding="utf-8")
    with pytest.raises(MigrationError, match="was edited after it was applied"):
        mizzle.migrate(pg_kit_db, folder)


_WORKER = """
import sys, mizzle
db = mizzle.connect(sys.argv[1])
r = mizzle.migrate(db, sys.argv[2])
print(",".join(r.applied))
"""


def test_two_processes_apply_each_migration_once(tmp_path: Path, pg_kit_url: str) -> None:
    folder = _copy_seed(tmp_path / "m")
    for i in range(1, 6):
        # each migration takes a while, so the two processes overlap
        _add_migration(folder, f"000{i}_step", f'SELECT pg_sleep(0.05);--> statement-breakpoint\n'
                                               f'ALTER TABLE "projects" ADD COLUMN "c{i}" integer;')
    procs = [subprocess.Popen([sys.executable, "-c", _WORKER, pg_kit_url, str(folder)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
    applied = [t for out, _ in outs for t in out.strip().split(",") if t]
    assert sorted(applied) == sorted(["0000_init"] + [f"000{i}_step" for i in range(1, 6)])
    db = mizzle.connect(pg_kit_url)
    try:
        assert db.execute('SELECT count(*), count(DISTINCT hash) FROM "drizzle"."__drizzle_migrations"') == [(6, 6)]
    finally:
        db.close()


def test_merged_branch_migration_is_applied(tmp_path: Path, pg_kit_db: mizzle.Database) -> None:
    folder = _copy_seed(tmp_path / "m")
    _add_migration(folder, "0001_a", 'ALTER TABLE "projects" ADD COLUMN "a" integer;')
    _add_migration(folder, "0002_b", 'ALTER TABLE "projects" ADD COLUMN "b" integer;')
    full = json.loads((folder / "meta" / "_journal.json").read_text())
    # the database first sees a folder without 0001 (another branch), then the merged folder
    partial = tmp_path / "partial"
    shutil.copytree(folder, partial)
    j = json.loads((partial / "meta" / "_journal.json").read_text())
    j["entries"] = [e for e in j["entries"] if e["tag"] != "0001_a"]
    (partial / "meta" / "_journal.json").write_text(json.dumps(j, indent=2))
    assert mizzle.migrate(pg_kit_db, partial).applied == ["0000_init", "0002_b"]
    assert full["entries"][1]["tag"] == "0001_a"
    assert mizzle.migrate(pg_kit_db, folder).applied == ["0001_a"]
