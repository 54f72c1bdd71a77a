"""`check` on drizzle 1.0 folders: the up -> down -> up round trip with rows, on every dialect that writes v1 folders.

mizzle's `generate` (format = "v1") writes a down migration per migration folder in `<out>/down/<folder>.sql`
(drizzle-kit 1.0 and drizzle-orm 1.0 ignore it: `tests/kit/test_interop_node_v1.py` runs them on such a folder);
`check` runs up -> down -> up with rows on a scratch database; a migration without a down file (drizzle-kit's
own folders) is applied up only and `check` names it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from kit_helpers import load_module

from _servers import PG_URL
from mizzle.cli.main import main
from mizzle.errors import MigrationError
from mizzle.kit.check import check_folder
from mizzle.kit.dialects import NAMES, kit_dialect
from mizzle.kit.folder_v1 import migration_folders
from mizzle.kit.generate_v1 import CUSTOM_V1_SQL, generate_v1

V1 = Path(__file__).parent.parent / "fixtures" / "drizzle_v1"
START = 1_795_498_918_000


def _v1_dialects() -> list[str]:
    """Every kit dialect whose `generate` writes the drizzle 1.0 layout."""
    found: list[str] = []
    for name in NAMES:
        try:
            kit_dialect(name).v1_version()
        except MigrationError:
            continue
        found.append(name)
    return found


V1_DIALECTS = _v1_dialects()
# the 11-step evolution per snapshot dialect: a dialect that starts writing v1 folders must add its schema here
EVOLUTIONS: dict[str, Callable[[], ModuleType]] = {"sqlite": lambda: load_module("evolution"),
                                                   "postgresql": lambda: load_module("evolution_pg")}


def _evolution(dialect: str) -> ModuleType:
    snap = kit_dialect(dialect).snapshot_dialect
    if snap not in EVOLUTIONS:
        pytest.fail(f"{dialect} writes drizzle 1.0 folders: add its evolution schema to EVOLUTIONS")
    return EVOLUTIONS[snap]()


def _server(dialect: str) -> str:
    """The server a server dialect's scratch databases are made on ("" for SQLite/libSQL)."""
    return PG_URL if kit_dialect(dialect).snapshot_dialect == "postgresql" else ""


def _generate(dialect: str, folder: Path) -> list[str]:
    evo = _evolution(dialect)
    return [generate_v1(evo.tables(step, hints=True), folder, dialect=dialect, name=evo.STEPS[step - 1],
                        now_ms=START + step * 2000).tag for step in range(1, 12)]


def test_v1_dialects_include_sqlite_and_libsql() -> None:
    assert {"sqlite", "turso"} <= set(V1_DIALECTS)


@pytest.mark.parametrize("dialect", V1_DIALECTS)
def test_v1_generate_writes_down_migrations_beside_the_folders(dialect: str, tmp_path: Path) -> None:
    tags = _generate(dialect, tmp_path)
    assert [p.name for p in migration_folders(tmp_path)] == tags  # down/ is not a migration folder
    for tag in tags:
        assert (tmp_path / "down" / f"{tag}.sql").read_text().startswith("-- mizzle down migration")
    assert "-- lossy: drops column users.bio" in (tmp_path / "down" / f"{tags[1]}.sql").read_text()
    renamed = (tmp_path / "down" / f"{tags[2]}.sql").read_text()
    q = '"' if kit_dialect(dialect).snapshot_dialect == "postgresql" else "`"
    assert "-- lossy" not in renamed and f"RENAME COLUMN {q}full_name{q} TO {q}name{q}" in renamed
    assert f"RENAME TO {q}comments{q}" in (tmp_path / "down" / f"{tags[6]}.sql").read_text()


@pytest.mark.parametrize("dialect", V1_DIALECTS)
def test_check_runs_up_down_up_with_rows_on_a_v1_folder(dialect: str, tmp_path: Path) -> None:
    tags = _generate(dialect, tmp_path)
    report = check_folder(tmp_path, dialect=dialect, url=_server(dialect))
    assert report.ok, [p.message for p in report.problems]
    if kit_dialect(dialect).snapshot_dialect == "postgresql":
        # step 10 adds the enum value `happy`: taking it back fails while rows hold it, so that down migration is
        # marked irreversible (written by hand), and check names it instead of failing on it
        assert "-- irreversible: removes the value 'happy' of enum mood" in (
            tmp_path / "down" / f"{tags[9]}.sql").read_text()
        assert report.roundtrips == tags[:9] + tags[10:]
        assert [p.severity for p in report.problems if tags[9] in p.message] == ["warning"]
        return
    assert report.roundtrips == tags
    assert not [p for p in report.problems if "down" in p.message]


@pytest.mark.parametrize("dialect", V1_DIALECTS)
def test_check_fails_a_v1_down_migration_that_does_not_restore(dialect: str, tmp_path: Path) -> None:
    tags = _generate(dialect, tmp_path)
    down = tmp_path / "down" / f"{tags[2]}.sql"  # the rename of users.name -> full_name
    down.write_text("-- mizzle down migration: reverses the migration of the same name\nSELECT 1;\n")
    report = check_folder(tmp_path, dialect=dialect, url=_server(dialect))
    assert not report.ok
    assert any(tags[2] in p.message and "does not restore" in p.message for p in report.problems)
    assert report.roundtrips == tags[:2]


@pytest.mark.parametrize("dialect", V1_DIALECTS)
def test_v1_custom_migration_has_an_irreversible_down_that_check_names(dialect: str, tmp_path: Path) -> None:
    evo = _evolution(dialect)
    first = generate_v1(evo.tables(1), tmp_path, dialect=dialect, name="init", now_ms=START).tag
    custom = generate_v1(evo.tables(1), tmp_path, dialect=dialect, name="data", custom=True, now_ms=START + 2000).tag
    assert (tmp_path / custom / "migration.sql").read_text() == CUSTOM_V1_SQL
    assert "-- irreversible" in (tmp_path / "down" / f"{custom}.sql").read_text()
    report = check_folder(tmp_path, dialect=dialect, url=_server(dialect))
    assert report.ok and report.roundtrips == [first]
    assert any(custom in p.message and "irreversible" in p.message for p in report.problems)


@pytest.mark.parametrize("fixture", ["evolution_sqlite", "seed000"])
def test_check_on_drizzle_kits_folder_says_it_cannot_round_trip(fixture: str, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """drizzle-kit writes no down migrations: every migration is still applied up on the scratch database, and
    `check` says, per migration, that up -> down -> up could not run and why (never a silent pass)."""
    shutil.copytree(V1 / fixture, tmp_path / "m")
    report = check_folder(tmp_path / "m")
    assert report.ok and report.roundtrips == []
    tags = [p.name for p in migration_folders(tmp_path / "m")]
    skipped = [p for p in report.problems if "no down migration" in p.message]
    assert len(skipped) == 1 and all(t in skipped[0].message for t in tags)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mizzle.toml").write_text('out = "./m"\n', encoding="utf-8")
    assert main(["--no-color", "check"]) == 0
    out = capsys.readouterr()
    text = out.out + out.err
    assert "up → down → up not run" in text and "no down migration" in text


def test_check_still_applies_every_migration_up_without_downs(tmp_path: Path) -> None:
    """A drizzle-kit folder whose SQL fails is an error even without down migrations."""
    shutil.copytree(V1 / "evolution_sqlite", tmp_path / "m")
    broken = migration_folders(tmp_path / "m")[3] / "migration.sql"
    broken.write_text("ALTER TABLE `nope` ADD `x` integer;")
    report = check_folder(tmp_path / "m")
    assert not report.ok and any("fails on a scratch database" in p.message for p in report.problems)
