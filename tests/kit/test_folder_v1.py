"""drizzle 1.0's migrations layout: reading drizzle-kit 1.0's folders, `up`, and the tracking-table matching."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from kit_helpers import load_module

from mizzle.errors import MigrationError
from mizzle.kit import folder_v1
from mizzle.kit.api import generate
from mizzle.kit.dialects.sqlite.snapshot_v7 import to_v7, upgrade
from mizzle.kit.drop import drop_last
from mizzle.kit.from_schema import load_schema
from mizzle.kit.journal import read_migrations
from mizzle.kit.tracking_v1 import TrackedRow, match_rows, pending, upgrade_plan
from mizzle.kit.up import up

FIX = Path(__file__).parent.parent / "fixtures"
V1 = FIX / "drizzle_v1"
OLD = FIX / "drizzle"


@pytest.mark.parametrize("seed", ["seed000", "seed001", "seed002", "seed003", "seed004_pg", "evolution_sqlite"])
def test_reads_drizzle_kit_1_folders_as_drizzle_orm_does(seed: str) -> None:
    migrations = read_migrations(V1 / seed)
    names = sorted(p.name for p in (V1 / seed).iterdir() if (p / "migration.sql").exists())
    assert [m.tag for m in migrations] == names  # ASCII stamps + lowercase names: localeCompare = sorted
    for m in migrations:
        raw = (V1 / seed / m.tag / "migration.sql").read_bytes()
        assert m.hash == hashlib.sha256(raw).hexdigest()
        assert m.when % 1000 == 0 and folder_v1.folder_stamp(m.when) == m.tag[:14]
        assert m.path == V1 / seed / m.tag / "migration.sql"


def test_folder_millis_is_date_utc_of_the_stamp() -> None:
    assert folder_v1.folder_millis("20261124054158_initial") == 1795498918000
    assert folder_v1.folder_stamp(1795498918471) == "20261124054158"
    with pytest.raises(MigrationError, match="14-digit UTC time"):
        folder_v1.folder_millis("2026_initial")


def test_locale_order_puts_case_and_punctuation_where_icu_does() -> None:
    # the order node 20's localeCompare gave for these names (docs/drizzle-v1.md)
    expected = ["_A", "_a_", "_a-b", "_a.b", "_a1", "_ab", "_aB", "_b", "_B"]
    names = [f"20260101000000{n}" for n in reversed(expected)]
    assert sorted(names, key=folder_v1.locale_key) == [f"20260101000000{n}" for n in expected]


def test_a_folder_with_journal_and_migration_folders_is_refused(tmp_path: Path) -> None:
    shutil.copytree(OLD / "seed000", tmp_path / "m")
    shutil.copytree(V1 / "seed000", tmp_path / "m", dirs_exist_ok=True)
    with pytest.raises(MigrationError, match=r"both meta/_journal\.json"):
        read_migrations(tmp_path / "m")


def _old_folder(tmp_path: Path, journal: Path | None = None) -> Path:
    out = tmp_path / "m"
    shutil.copytree(OLD / "evolution_sqlite", out)
    for extra in (*out.glob("*.json"), out / "sha256sums.txt"):
        extra.unlink()
    if journal is not None:
        shutil.copy(journal, out / "meta" / "_journal.json")
    return out


def test_up_is_byte_identical_to_drizzle_kit_up(tmp_path: Path) -> None:
    out = _old_folder(tmp_path, V1 / "up_evolution_sqlite" / "journal.json")
    (out / "down").mkdir()
    (out / "down" / "0002_rename_column.sql").write_text("ALTER TABLE `users` RENAME COLUMN `full_name` TO `name`;")
    result = up(out, upgrade)
    expected = V1 / "up_evolution_sqlite" / "expected"
    assert result.moved == sorted(p.name for p in expected.iterdir())
    assert len(result.upgraded) == 11
    old_sql = sorted((OLD / "evolution_sqlite").glob("*.sql"))
    for folder, sql in zip(sorted(expected.iterdir()), old_sql, strict=True):
        assert (out / folder.name / "snapshot.json").read_bytes() == (folder / "snapshot.json").read_bytes()
        assert (out / folder.name / "migration.sql").read_bytes() == sql.read_bytes()  # drizzle-kit copies it
    assert not (out / "meta").exists() and not list(out.glob("*.sql"))
    assert (out / "down" / "20261124054202_rename_column.sql").exists()  # the down migration moved along
    assert up(out, upgrade).summary().endswith("nothing to do")  # idempotent
    # the converted folder reads in the journal's order, with the 0.x files' hashes
    old = read_migrations(OLD / "evolution_sqlite")
    assert [m.hash for m in read_migrations(out)] == [m.hash for m in old]


def test_up_refuses_names_that_would_reorder_migrations_and_changes_nothing(tmp_path: Path) -> None:
    out = _old_folder(tmp_path)  # generated quickly: several migrations share a second
    before = sorted(str(p.relative_to(out)) for p in out.rglob("*"))
    with pytest.raises(MigrationError, match="would sort before or equal to") as info:
        up(out, upgrade)
    assert "set `when` of 0001_add_column_index" in getattr(info.value, "hint", "")
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == before


def test_sqlite_snapshot_v7_matches_drizzle_kit_for_every_step() -> None:
    journal = json.loads((V1 / "up_evolution_sqlite" / "journal.json").read_text())
    for entry in journal["entries"]:
        number, _, rest = entry["tag"].partition("_")
        snap = json.loads((OLD / "evolution_sqlite" / "meta" / f"{number}_snapshot.json").read_text())
        theirs = json.loads((V1 / "up_evolution_sqlite" / "expected" / f"{folder_v1.folder_stamp(entry['when'])}_{rest}"
                             / "snapshot.json").read_text())
        assert to_v7(snap) == theirs
    with pytest.raises(MigrationError, match="version '5'"):
        upgrade({"version": "5"}, "x.json")


# ---- tracking-table matching -------------------------------------------------------------


def _migrations(tmp_path: Path, names: list[str]) -> Path:
    for i, name in enumerate(names):
        (tmp_path / name).mkdir()
        (tmp_path / name / "migration.sql").write_text(f"SELECT {i};")
    return tmp_path


def test_old_rows_are_matched_by_second_then_hash(tmp_path: Path) -> None:
    local = read_migrations(_migrations(tmp_path, ["20260101000000_a", "20260101000000_b", "20260101000005_c"]))
    a, b, c = local
    rows = [TrackedRow(None, a.hash, a.when + 471), TrackedRow(None, b.hash, b.when + 900),
            TrackedRow(None, c.hash, c.when + 12)]
    plan = upgrade_plan(rows, local, "__drizzle_migrations")
    assert [(p.name, p.by, p.created_at) for p in plan] == [
        (a.tag, "hash", str(a.when + 471)), (b.tag, "hash", str(b.when + 900)), (c.tag, "millis", str(c.when + 12))]
    assert [p.by for p in upgrade_plan([TrackedRow(7, c.hash, c.when)], local, "t")] == ["id"]


def test_an_old_row_matching_no_migration_refuses_the_upgrade(tmp_path: Path) -> None:
    local = read_migrations(_migrations(tmp_path, ["20260101000000_a"]))
    with pytest.raises(MigrationError, match="match no migration of the folder"):
        upgrade_plan([TrackedRow(1, "f" * 64, 1)], local, "__drizzle_migrations")


def test_a_unique_hash_wins_over_the_same_second_guess(tmp_path: Path) -> None:
    # drizzle-kit's own fix for the order hazard moves b's stamp; b's old row still has a's second
    local = read_migrations(_migrations(tmp_path, ["20260101000000_a", "20260101000001_b"]))
    a, b = local
    matched, unmatched = match_rows([TrackedRow(None, a.hash, a.when + 100), TrackedRow(None, b.hash, a.when + 600)],
                                    local)
    assert [m.name for m in matched] == [a.tag, b.tag] and not unmatched


def test_pending_by_name_and_refusals(tmp_path: Path) -> None:
    local = read_migrations(_migrations(tmp_path, ["20260101000000_a", "20260101000001_b", "20260101000002_c"]))
    a, b, c = local
    assert pending(local, [TrackedRow(1, a.hash, a.when, a.tag)]) == [b, c]
    # a merged branch's older migration is applied, not skipped
    assert pending(local, [TrackedRow(1, a.hash, a.when, a.tag), TrackedRow(2, c.hash, c.when, c.tag)]) == [b]
    # a row without a name (written by a 0.x tool) counts as applied, matched like an old row
    assert pending(local, [TrackedRow(1, a.hash, a.when, a.tag), TrackedRow(2, b.hash, b.when + 5)]) == [c]
    with pytest.raises(MigrationError, match="the folder lacks"):
        pending(local, [TrackedRow(1, a.hash, a.when, "20250101000000_gone")])
    with pytest.raises(MigrationError, match="edited after it was applied"):
        pending(local, [TrackedRow(1, "0" * 64, a.when, a.tag)])



# ---- check on the snapshot graph ----------------------------------------------------------


def _branch_folder(tmp_path: Path, step: int, extra: bool) -> Path:
    """drizzle-kit 1.0's evolution folder plus a second child of its 9th migration (as a merged branch would add):
    mizzle's v1 `generate` of evolution step `step`'s schema (plus a new `tags` table when `extra`) on its first 9."""
    from mizzle.kit.generate_v1 import generate_v1
    from mizzle.sqlite import Column, Table, integer

    class Tags(Table, name="tags"):
        id: Column[int] = integer("id").primary_key()

    out, work = tmp_path / "m", tmp_path / "work"
    shutil.copytree(V1 / "evolution_sqlite", out)
    for sub in folder_v1.migration_folders(out)[:9]:
        shutil.copytree(sub, work / sub.name)
    tables = [*load_module("evolution").tables(step, hints=True), *([Tags] if extra else [])]
    kid = generate_v1(tables, work, name="branch", now_ms=folder_v1.folder_millis("20991231000000")).tag
    shutil.copytree(work / kid, out / kid)
    return out


@pytest.mark.parametrize(("step", "extra", "commutes"), [
    (11, False, False),  # renames posts -> articles and adds posts.editor_id, as the other branch does
    (9, True, True),  # only creates a table
])
def test_check_reports_branches_of_the_graph(tmp_path: Path, step: int, extra: bool, commutes: bool) -> None:
    from mizzle.kit.check import check_folder

    clean = check_folder(V1 / "evolution_sqlite", roundtrip=False)
    assert clean.ok and not clean.branches and clean.migrations == 11
    report = check_folder(_branch_folder(tmp_path, step, extra), roundtrip=False)
    assert len(report.branches) == 1 and report.branches[0].commute is commutes
    assert report.ok is commutes


def test_check_finds_a_missing_parent_and_misordering(tmp_path: Path) -> None:
    from mizzle.kit.check import check_folder

    out = tmp_path / "m"
    shutil.copytree(V1 / "evolution_sqlite", out)
    names = sorted(p.name for p in out.iterdir())
    shutil.rmtree(out / names[4])
    (out / names[7]).rename(out / f"20000101000000_{names[7][15:]}")
    messages = " | ".join(p.message for p in check_folder(out, roundtrip=False).problems)
    assert "no migration of the folder has" in messages and "sorts before its parent" in messages


# ---- the command line -------------------------------------------------------------------------


def test_cli_up_then_migrate_and_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    from mizzle.cli.main import main

    monkeypatch.chdir(tmp_path)
    _old_folder(tmp_path, V1 / "up_evolution_sqlite" / "journal.json")
    (tmp_path / "mizzle.toml").write_text('out = "./m"\nurl = "sqlite:///app.db"\n', encoding="utf-8")
    assert main(["--no-color", "up"]) == 0
    out = capsys.readouterr().out
    assert "m/20261124054158_initial/" in out and "moved 11 migration(s)" in out and "upgraded 11 snapshot(s)" in out
    assert main(["--no-color", "migrate"]) == 0
    assert "applied 11 migrations" in capsys.readouterr().out
    assert main(["--no-color", "check", "--no-roundtrip"]) == 0
    assert "11 migrations checked" in capsys.readouterr().out
    assert main(["--no-color", "up"]) == 0
    assert "nothing to do" in capsys.readouterr().out


def test_cli_up_refusal_exits_1_with_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    from mizzle.cli.main import main

    monkeypatch.chdir(tmp_path)
    _old_folder(tmp_path)
    (tmp_path / "mizzle.toml").write_text('out = "./m"\n', encoding="utf-8")
    assert main(["--no-color", "up"]) == 1
    err = capsys.readouterr().err
    assert "would sort before or equal to" in err and "set `when` of 0001_add_column_index" in err
    assert (tmp_path / "m" / "meta" / "_journal.json").exists()


def test_generate_and_drop_refuse_a_v1_folder_instead_of_mixing_layouts(tmp_path: Path) -> None:
    out = tmp_path / "m"
    shutil.copytree(V1 / "seed000", out)
    before = sorted(str(p.relative_to(out)) for p in out.rglob("*"))
    with pytest.raises(MigrationError, match=r"is a drizzle 1\.0 migrations folder") as info:
        generate(load_schema([load_module("seed000")]), out, name="x")
    assert "mizzle up" in getattr(info.value, "hint", "")
    with pytest.raises(MigrationError, match=r"is a drizzle 1\.0 migrations folder"):
        drop_last(out)
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == before


# ---- `up` per dialect: byte for byte what drizzle-kit 1.0's `up` writes -----------------------------------

# dialect -> (the 0.x folder, drizzle-kit 1.0.0-rc.5 `up`'s snapshot.json files of it)
UP_FIXTURES = {
    "sqlite": None,  # test_up_is_byte_identical_to_drizzle_kit_up (the journal `when`s are replaced there)
    "mysql": (V1 / "up_mysql_small" / "before", V1 / "up_mysql_small" / "expected"),
    "postgresql": (V1 / "up_evolution_pg" / "before", V1 / "up_evolution_pg" / "expected"),
}


@pytest.mark.parametrize("dialect", [d for d, fx in UP_FIXTURES.items() if fx is not None])
def test_up_converts_snapshots_as_drizzle_kit_up(dialect: str, tmp_path: Path) -> None:
    from mizzle.kit.up import snapshot_upgrade

    fixture = UP_FIXTURES[dialect]
    assert fixture is not None
    before, expected = fixture
    out = tmp_path / "m"
    shutil.copytree(before, out)
    result = up(out, snapshot_upgrade(dialect))
    folders = sorted(p.name for p in expected.iterdir())
    assert result.moved == folders and len(result.upgraded) == len(folders) and not result.kept
    for name, sql in zip(folders, sorted(before.glob("*.sql")), strict=True):
        assert (out / name / "snapshot.json").read_bytes() == (expected / name / "snapshot.json").read_bytes(), name
        assert (out / name / "migration.sql").read_bytes() == sql.read_bytes()
        assert (out / "down" / f"{name}.sql").exists()
    assert up(out, snapshot_upgrade(dialect)).summary().endswith("nothing to do")
