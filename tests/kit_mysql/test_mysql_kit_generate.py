"""`generate` for MySQL reproduces drizzle-kit 0.31's folder for the mysql_small fixture (no server needed)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from mysql_kit_helpers import FIX, load_schema_module

from mizzle.kit.api import generate
from mizzle.kit.dialects.mysql.snapshot import MySQLSnapshot
from mizzle.kit.journal import Journal, file_hash
from mizzle.kit.snapshot import EMPTY_ID, read_snapshot

small = load_schema_module("small")

# mizzle leaves a primary key alone when only its drizzle-kit *name* changes (a renamed table): MySQL
# names every primary key PRIMARY, and DROP PRIMARY KEY fails on an AUTO_INCREMENT key.
PK_RENAME_LINES = ("ALTER TABLE `tags` DROP PRIMARY KEY;--> statement-breakpoint\n"
                   "ALTER TABLE `tags` ADD PRIMARY KEY(`post_id`,`tag`);--> statement-breakpoint\n")


def _ids_stripped(text: str) -> dict[str, object]:
    data = json.loads(text)
    data.pop("id")
    data.pop("prevId")
    return data


def test_sql_and_snapshots_match_drizzle_kit(tmp_path: Path) -> None:
    ref = Journal.read(FIX)
    sums = dict(reversed(line.split()) for line in (FIX / "sha256sums.txt").read_text().splitlines())
    prev_id = EMPTY_ID
    for step in (1, 2, 3):
        r = generate(small.tables(step), tmp_path, name=small.STEPS[step - 1])
        assert r.changed and r.tag == ref.entries[step - 1].tag
        theirs = (FIX / f"{r.tag}.sql").read_text(encoding="utf-8")
        if step < 3:
            assert r.sql == theirs, r.tag  # byte for byte
            assert file_hash((tmp_path / f"{r.tag}.sql").read_text()) == sums[f"{r.tag}.sql"]
        else:
            assert PK_RENAME_LINES in theirs
            assert r.sql == theirs.replace(PK_RENAME_LINES, "")
        assert r.snapshot_path is not None
        ours = r.snapshot_path.read_text(encoding="utf-8")
        ref_snap = (FIX / "meta" / r.snapshot_path.name).read_text(encoding="utf-8")
        assert _ids_stripped(ours) == _ids_stripped(ref_snap)
        assert json.loads(ours)["prevId"] == prev_id
        prev_id = json.loads(ours)["id"]
        if step == 1:  # byte-identical apart from the id (later files order tables by JS export name)
            assert ours.replace(json.loads(ours)["id"], json.loads(ref_snap)["id"]) == ref_snap
    journal = Journal.read(tmp_path)
    assert journal.dialect == "mysql"
    assert [(e.idx, e.version, e.tag, e.breakpoints) for e in journal.entries] == [
        (e.idx, e.version, e.tag, e.breakpoints) for e in ref.entries]


def test_fixture_snapshots_parse_and_print_byte_identically() -> None:
    for path in sorted((FIX / "meta").glob("*_snapshot.json")):
        snap = read_snapshot(path)
        assert isinstance(snap, MySQLSnapshot)
        assert snap.to_json() == path.read_text(encoding="utf-8"), path.name


def test_drizzle_folder_then_generate_has_no_diff(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    shutil.copytree(FIX, folder, ignore=shutil.ignore_patterns("src"))
    r = generate(small.tables(3), folder)
    assert not r.changed, r.sql


def test_down_migrations_are_written(tmp_path: Path) -> None:
    generate(small.tables(1), tmp_path, name="init")
    r = generate(small.tables(2), tmp_path, name="evolve")
    assert r.down_path is not None
    down = r.down_path.read_text()
    assert "-- lossy: drops table comments" in down and "-- lossy: drops column users.nickname" in down
    assert "ALTER TABLE `posts` MODIFY COLUMN `title` varchar(200) NOT NULL;" in down
    assert "ALTER TABLE `users` MODIFY COLUMN `updated_at` timestamp DEFAULT (now()) ON UPDATE CURRENT_TIMESTAMP;" in down
    assert "ALTER TABLE `posts` ADD `published_at` datetime(3);" in down


def test_modify_column_keeps_a_zero_default(tmp_path: Path) -> None:
    """drizzle-kit drops `DEFAULT 0` from a MODIFY COLUMN (a truthiness test); mizzle keeps it."""
    from mizzle.mysql import Column, Table, bigint, int_

    def schema(big: bool) -> list[type[Table]]:
        class Counters(Table, name="counters"):
            id: Column[int] = int_().primary_key(autoincrement=True)
            hits: Column[int] = (bigint() if big else int_()).not_null().default(0)

        return [Counters]

    generate(schema(False), tmp_path)
    r = generate(schema(True), tmp_path)
    assert r.sql == "ALTER TABLE `counters` MODIFY COLUMN `hits` bigint NOT NULL DEFAULT 0;"


def test_serial_is_written_without_auto_increment(tmp_path: Path) -> None:
    """drizzle-kit writes `serial AUTO_INCREMENT`, a syntax error on MariaDB; `serial` alone implies it."""
    from mizzle.mysql import Column, Table, serial, text

    class Notes(Table, name="notes"):
        id: Column[int] = serial("id").primary_key()
        body: Column[str | None] = text("body")

    r = generate([Notes], tmp_path)
    assert "\t`id` serial NOT NULL,\n" in r.sql
    snap = json.loads((tmp_path / "meta" / "0000_snapshot.json").read_text())
    assert snap["tables"]["notes"]["columns"]["id"] == {
        "name": "id", "type": "serial", "primaryKey": False, "notNull": True, "autoincrement": True}
