"""generate for PostgreSQL: drizzle-kit's v7 snapshot and SQL for seed 004, byte for byte, and the same catalog."""

from __future__ import annotations

import json
from pathlib import Path

from kit_pg_helpers import FIXTURES, HERE, catalog

import mizzle
from mizzle.kit.api import generate
from mizzle.kit.from_schema import load_schema, snapshot_of
from mizzle.kit.snapshot import read_snapshot

SEED = FIXTURES / "seed004_pg"


def _tables() -> list[type[mizzle.Table]]:
    return load_schema([str(HERE / "schemas" / "seed004.py")])


def test_snapshot_equals_drizzle_kit() -> None:
    mine = json.loads(snapshot_of(_tables()).to_json())
    theirs = json.loads((SEED / "meta" / "0000_snapshot.json").read_text())
    for d in (mine, theirs):
        d.pop("id")
        d.pop("prevId")
    assert mine == theirs
    assert list(mine) == list(theirs)  # key order too
    assert list(mine["tables"]["public.chats"]["columns"]["messages"]) == ["name", "type", "primaryKey", "notNull",
                                                                          "default"]


def test_drizzle_snapshot_round_trips_byte_identically() -> None:
    path = SEED / "meta" / "0000_snapshot.json"
    snap = read_snapshot(path)
    assert snap.to_json() == path.read_text(encoding="utf-8")


def test_generate_seed004_is_byte_identical(tmp_path: Path) -> None:
    result = generate(_tables(), tmp_path, name="init")
    assert result.changed
    assert result.sql == (SEED / "0000_init.sql").read_text(encoding="utf-8")
    journal = json.loads((tmp_path / "meta" / "_journal.json").read_text())
    assert journal["dialect"] == "postgresql"
    assert journal["entries"][0]["version"] == "7"
    assert journal["entries"][0]["tag"] == "0000_init"
    again = generate(_tables(), tmp_path)
    assert not again.changed  # no spurious diff against its own snapshot


def test_generate_after_drizzle_folder_has_no_diff(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(SEED, tmp_path / "m", ignore=shutil.ignore_patterns("expected_*", "sha256sums.txt"))
    assert not generate(_tables(), tmp_path / "m").changed


def test_applied_catalog_equals_drizzle_kits(tmp_path: Path, pg_kit_db: mizzle.Database) -> None:
    generate(_tables(), tmp_path, name="init")
    result = mizzle.migrate(pg_kit_db, tmp_path)
    assert result.applied == ["0000_init"]
    cols, cons = catalog(pg_kit_db)
    assert cols == json.loads((SEED / "expected_pg_columns.json").read_text())
    assert cons == json.loads((SEED / "expected_pg_constraints.json").read_text())
