"""`generate` on Python ports of the drizzle-kit fixtures writes the same SQL, snapshots and journal."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from kit_helpers import FIX, SEEDS, load_module, strip_ids

from mizzle.errors import MigrationError
from mizzle.kit.api import CUSTOM_SQL, generate
from mizzle.kit.diff import AmbiguityError, Answers
from mizzle.kit.from_schema import load_schema
from mizzle.kit.journal import Journal
from mizzle.kit.snapshot import EMPTY_ID, read_snapshot


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_first_migration_is_identical(seed: str, tmp_path: Path) -> None:
    tables = load_schema([load_module(seed)])
    r = generate(tables, tmp_path, name="init")
    assert r.changed and r.tag == "0000_init"
    assert r.sql == (FIX / seed / "0000_init.sql").read_text(encoding="utf-8")
    sums = dict(reversed(line.split()) for line in (FIX / seed / "sha256sums.txt").read_text().splitlines())
    from mizzle.kit.journal import file_hash

    assert file_hash((tmp_path / "0000_init.sql").read_text()) == sums["0000_init.sql"]
    ours = (tmp_path / "meta" / "0000_snapshot.json").read_text()
    theirs = (FIX / seed / "meta" / "0000_snapshot.json").read_text()
    assert strip_ids(ours) == strip_ids(theirs)
    assert json.loads(ours)["prevId"] == EMPTY_ID
    # byte-identical apart from the id
    their_id = json.loads(theirs)["id"]
    assert ours.replace(json.loads(ours)["id"], their_id) == theirs
    journal = Journal.read(tmp_path)
    ref = Journal.read(FIX / seed)
    assert [(e.idx, e.version, e.tag, e.breakpoints) for e in journal.entries] == [
        (e.idx, e.version, e.tag, e.breakpoints) for e in ref.entries
    ]
    assert not (tmp_path / "meta" / "_journal.json").read_text().endswith("\n")


def test_evolution_sequence_is_identical(tmp_path: Path) -> None:
    evo = load_module("evolution")
    ref = Journal.read(FIX / "evolution_sqlite")
    prev_id = EMPTY_ID
    for step in range(1, 12):
        r = generate(evo.tables(step, hints=True), tmp_path, name=evo.STEPS[step - 1])
        assert r.tag == ref.entries[step - 1].tag
        assert r.sql == (FIX / "evolution_sqlite" / f"{r.tag}.sql").read_text(encoding="utf-8"), r.tag
        assert r.snapshot_path is not None
        ours = r.snapshot_path.read_text()
        assert strip_ids(ours) == strip_ids((FIX / "evolution_sqlite" / "meta" / r.snapshot_path.name).read_text())
        assert json.loads(ours)["prevId"] == prev_id
        prev_id = json.loads(ours)["id"]
    whens = [e.when for e in Journal.read(tmp_path).entries]
    assert whens == sorted(set(whens))


def test_renames_resolved_by_answers_instead_of_hints(tmp_path: Path) -> None:
    evo = load_module("evolution")
    answers = Answers.from_mapping({"tables": {"notes": "comments", "articles": "posts"},
                                    "columns": {"users.full_name": "name"}})
    for step in range(1, 12):
        r = generate(evo.tables(step), tmp_path, name=evo.STEPS[step - 1], resolver=answers)
        assert r.sql == (FIX / "evolution_sqlite" / f"{r.tag}.sql").read_text(encoding="utf-8"), r.tag


def test_rename_without_hint_or_answer_is_an_error(tmp_path: Path) -> None:
    evo = load_module("evolution")
    generate(evo.tables(2), tmp_path)
    with pytest.raises(AmbiguityError) as err:
        generate(evo.tables(3), tmp_path)
    msg = str(err.value)
    assert "users.full_name" in msg and "users.name" in msg
    assert 'renamed_from("name")' in msg or "renamed_from('name')" in msg
    assert "--rename users.name=full_name" in msg and "answers" in msg
    assert len(Journal.read(tmp_path).entries) == 1  # nothing written
    r = generate(evo.tables(3), tmp_path, resolver=Answers.from_flags(creates=["users.full_name"]),
                 allow_not_null_without_default=True)
    assert "ADD `full_name`" in r.sql and "DROP COLUMN `name`" in r.sql


def test_table_rename_ambiguity_names_the_tables(tmp_path: Path) -> None:
    evo = load_module("evolution")
    for step in range(1, 7):
        generate(evo.tables(step, hints=True), tmp_path)
    with pytest.raises(AmbiguityError, match=r"table 'notes' is new and table\(s\) 'comments' vanished"):
        generate(evo.tables(7), tmp_path)
    r = generate(evo.tables(7), tmp_path, resolver=Answers.from_flags(renames=["comments=notes"]))
    assert r.sql.startswith("ALTER TABLE `comments` RENAME TO `notes`;")
    snap = json.loads(r.snapshot_path.read_text()) if r.snapshot_path else {}
    assert snap["_meta"]["tables"] == {'"comments"': '"notes"'}


def test_answers_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "answers.json"
    bad.write_text('{"tables": {"notes": 3}}')
    with pytest.raises(MigrationError, match=r"answers.json: tables.notes: expected the old name"):
        Answers.load(bad)
    good = tmp_path / "answers.toml"
    good.write_text('[tables]\nnotes = "comments"\n[columns]\n"users.full_name" = "create"\n')
    a = Answers.load(good)
    assert a.tables == {"notes": "comments"} and a.columns == {"users.full_name": False}


def test_no_change_writes_nothing(tmp_path: Path) -> None:
    tables = load_schema([load_module("seed001")])
    generate(tables, tmp_path, name="init")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    r = generate(tables, tmp_path)
    assert not r.changed
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_drizzle_folder_then_generate_has_no_diff(tmp_path: Path) -> None:
    for seed in SEEDS:
        folder = tmp_path / seed
        shutil.copytree(FIX / seed, folder)
        r = generate(load_schema([load_module(seed)]), folder)
        assert not r.changed, seed
    folder = tmp_path / "evo"
    shutil.copytree(FIX / "evolution_sqlite", folder)
    r = generate(load_module("evolution").tables(11), folder)
    assert not r.changed


def test_custom_migration(tmp_path: Path) -> None:
    tables = load_schema([load_module("seed000")])
    first = generate(tables, tmp_path, name="init")
    r = generate(tables, tmp_path, custom=True, name="backfill")
    assert r.tag == "0001_backfill"
    assert (tmp_path / "0001_backfill.sql").read_text() == CUSTOM_SQL
    assert first.snapshot_path is not None and r.snapshot_path is not None
    s0, s1 = read_snapshot(first.snapshot_path), read_snapshot(r.snapshot_path)
    assert s1.prev_id == s0.id and s1.id != s0.id and s1.same_schema(s0)
    assert r.down_path is not None and "-- irreversible:" in r.down_path.read_text()


def test_not_null_column_without_default_is_flagged(tmp_path: Path) -> None:
    from mizzle.sqlite import Column, Table, integer, text

    def schema(extra: bool) -> list[type[Table]]:
        class Things(Table, name="things"):
            id: Column[int] = integer().primary_key()
            if extra:
                nickname: Column[str] = text().not_null()

        return [Things]

    generate(schema(False), tmp_path)
    with pytest.raises(MigrationError, match=r"things\.nickname: NOT NULL without a default"):
        generate(schema(True), tmp_path)
    r = generate(schema(True), tmp_path, allow_not_null_without_default=True)
    assert "ADD `nickname` text NOT NULL;" in r.sql


def test_breakpoints_off_and_prefixes(tmp_path: Path) -> None:
    tables = load_schema([load_module("seed001")])
    r = generate(tables, tmp_path / "a", name="init", breakpoints=False)
    assert "--> statement-breakpoint" not in r.sql
    assert r.sql == (FIX / "seed001" / "0000_init.sql").read_text().replace("--> statement-breakpoint\n", "\n")
    r = generate(tables, tmp_path / "b", name="v1", prefix="timestamp", now_ms=1795498715252)
    assert r.tag.endswith("_v1") and len(r.tag.split("_")[0]) == 14
    assert r.snapshot_path is not None and r.snapshot_path.name == r.tag.split("_")[0] + "_snapshot.json"
    r = generate(tables, tmp_path / "c")
    assert r.tag.startswith("0000_") and len(r.tag.split("_")) >= 3
