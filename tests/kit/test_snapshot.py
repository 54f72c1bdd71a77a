"""Snapshots: byte-identical round trip of every drizzle-kit SQLite fixture, clear errors on corrupt files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mizzle.errors import MigrationError
from mizzle.kit.dialects.sqlite.snapshot import SQLiteSnapshot
from mizzle.kit.snapshot import EMPTY_ID, parse_snapshot, read_snapshot

FIX = Path(__file__).parent.parent / "fixtures" / "drizzle"
SQLITE_SNAPSHOTS = sorted(p for p in FIX.glob("*/meta/*_snapshot.json")
                          if json.loads(p.read_text(encoding="utf-8")).get("dialect") == "sqlite")


@pytest.mark.parametrize("path", SQLITE_SNAPSHOTS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_round_trip_is_byte_identical(path: Path) -> None:
    snap = read_snapshot(path)
    assert isinstance(snap, SQLiteSnapshot)
    assert snap.to_json() == path.read_text(encoding="utf-8")


def test_fixture_count() -> None:
    assert len(SQLITE_SNAPSHOTS) == 29  # seeds 000-003, evolution_sqlite, evolution_turso, views_sqlite


def test_parsed_content() -> None:
    snap = read_snapshot(FIX / "evolution_sqlite" / "meta" / "0007_snapshot.json")
    assert isinstance(snap, SQLiteSnapshot)
    pt = snap.tables["post_tags"]
    assert list(pt.columns)[:3] == ["post_id", "tag", "weight"]
    assert pt.columns["weight"].default == 1.5
    assert pt.columns["active"].default is True
    assert pt.columns["quoted"].default == "'it''s'"
    assert pt.composite_primary_keys["post_tags_post_id_tag_pk"].columns == ["post_id", "tag"]
    assert pt.check_constraints["weight_positive"].value == '"post_tags"."weight" > 0'
    assert snap.tables["notes"].foreign_keys["notes_author_id_users_id_fk"].on_delete == "set null"
    assert pt.primary_key == ["post_id", "tag"]


def test_meta_renames_read() -> None:
    snap = read_snapshot(FIX / "evolution_sqlite" / "meta" / "0006_snapshot.json")
    assert isinstance(snap, SQLiteSnapshot)
    assert snap.meta.tables == {'"comments"': '"notes"'}


def test_empty_and_chain() -> None:
    empty = SQLiteSnapshot.empty()
    assert empty.id == EMPTY_ID and empty.prev_id == EMPTY_ID
    nxt = empty.chained(empty.id)
    assert nxt.prev_id == EMPTY_ID and nxt.id != EMPTY_ID
    assert nxt.same_schema(empty)
    assert json.loads(empty.to_json())["internal"] == {"indexes": {}}
    assert not empty.to_json().endswith("\n")


def test_version_5_is_read_as_6() -> None:
    data = json.loads((FIX / "seed000" / "meta" / "0000_snapshot.json").read_text())
    data["version"] = "5"
    del data["views"]
    for t in data["tables"].values():
        del t["checkConstraints"]
    snap = parse_snapshot(json.dumps(data), "v5.json")
    assert snap.version == "6"
    assert json.loads(snap.to_json())["tables"] == json.loads(
        (FIX / "seed000" / "meta" / "0000_snapshot.json").read_text())["tables"]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["tables"]["users"]["columns"]["id"].__setitem__("notNull", "yes"),
         'key "tables.users.columns.id.notNull": expected true or false'),
        (lambda d: d["tables"]["users"].pop("name"), 'key "tables.users.name": expected a value, missing'),
        (lambda d: d.__setitem__("version", "9"), "snapshot version '9' is not supported"),
        (lambda d: d.__setitem__("dialect", "oracle"), "unknown dialect 'oracle'"),
        (lambda d: d["tables"]["users"]["indexes"]["users_email_unique"].__setitem__("columns", "email"),
         'key "tables.users.indexes.users_email_unique.columns": expected a list of strings'),
        (lambda d: d.__setitem__("tables", []), 'key "tables": expected an object'),
    ],
)
def test_corrupt_snapshot_names_file_and_key(tmp_path: Path, mutate: object, message: str) -> None:
    data = json.loads((FIX / "evolution_sqlite" / "meta" / "0000_snapshot.json").read_text())
    mutate(data)  # type: ignore[operator]
    path = tmp_path / "0000_snapshot.json"
    path.write_text(json.dumps(data))
    with pytest.raises(MigrationError) as err:
        read_snapshot(path)
    assert str(path) in str(err.value)
    assert message in str(err.value)


def test_invalid_json(tmp_path: Path) -> None:
    path = tmp_path / "0003_snapshot.json"
    path.write_text("{ nope")
    with pytest.raises(MigrationError, match=r"0003_snapshot\.json: not valid JSON"):
        read_snapshot(path)
