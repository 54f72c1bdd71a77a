"""`generate` in the drizzle 1.0 layout writes what drizzle-kit 1.0 writes (tests/fixtures/drizzle_v1), byte for byte."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from kit_helpers import SEEDS, load_module

import mizzle
from mizzle.cli.main import main
from mizzle.errors import MigrationError
from mizzle.kit.api import generate
from mizzle.kit.folder_v1 import folder_millis, migration_folders
from mizzle.kit.from_schema import load_schema
from mizzle.kit.generate_v1 import CUSTOM_V1_SQL, EMPTY_V1_ID, Hints, MissingHintsError, generate_v1
from mizzle.kit.journal import read_migrations

V1 = Path(__file__).parent.parent / "fixtures" / "drizzle_v1"
EVO = sorted((V1 / "evolution_sqlite").iterdir())
# the --hints regen.sh gives drizzle-kit for steps 3, 7 and 11
KIT_HINTS = {
    3: '[{"type":"rename","kind":"column","from":["public","users","name"],"to":["public","users","full_name"]}]',
    7: '[{"type":"rename","kind":"table","from":["public","comments"],"to":["public","notes"]}]',
    11: '[{"type":"rename","kind":"table","from":["public","posts"],"to":["public","articles"]}]',
}


def assert_same(ours: Path, theirs: Path) -> None:
    """migration.sql byte-identical; snapshot.json byte-identical once drizzle-kit's random ids are swapped in."""
    assert (ours / "migration.sql").read_bytes() == (theirs / "migration.sql").read_bytes(), theirs.name
    o_text, t_text = (ours / "snapshot.json").read_text(), (theirs / "snapshot.json").read_text()
    o, t = json.loads(o_text), json.loads(t_text)
    for a, b in zip([o["id"], *o["prevIds"]], [t["id"], *t["prevIds"]], strict=True):
        o_text = o_text.replace(a, b)
    assert o_text == t_text, theirs.name


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_first_migration_is_drizzle_kits(seed: str, tmp_path: Path) -> None:
    theirs = next((V1 / seed).iterdir())
    r = generate_v1(load_schema([load_module(seed)]), tmp_path, name="init", now_ms=folder_millis(theirs.name))
    assert r.changed and r.tag == theirs.name and r.folder == tmp_path / theirs.name
    assert_same(tmp_path / r.tag, theirs)
    assert json.loads((tmp_path / r.tag / "snapshot.json").read_text())["prevIds"] == [EMPTY_V1_ID]


@pytest.mark.parametrize("kit_hints", [False, True], ids=["renamed_from", "drizzle-kit-hints"])
def test_evolution_is_drizzle_kits(kit_hints: bool, tmp_path: Path) -> None:
    evo = load_module("evolution")
    prev = EMPTY_V1_ID
    for step, theirs in enumerate(EVO, start=1):
        hints = Hints.parse(KIT_HINTS.get(step, "[]")) if kit_hints else None
        r = generate_v1(evo.tables(step, hints=not kit_hints), tmp_path, name=evo.STEPS[step - 1], hints=hints,
                        now_ms=folder_millis(theirs.name))
        # deliberate difference: drizzle-kit (SQLite) gave steps 8 and 9 the same second; mizzle's folder is
        # one second after its parent's so the folders always sort in generation order
        expected = theirs.name if step != 9 else "20261203205815_drop_index_unique"
        assert r.tag == expected
        assert_same(tmp_path / r.tag, theirs)
        snap = json.loads((tmp_path / r.tag / "snapshot.json").read_text())
        assert snap["prevIds"] == [prev]
        prev = snap["id"]
    assert [m.tag for m in read_migrations(tmp_path)] == sorted(p.name for p in tmp_path.iterdir() if p.name != "down")
    # and nothing more to generate
    assert not generate_v1(evo.tables(11), tmp_path, name="again").changed
    # mizzle applies its own folder
    db = mizzle.connect(f"sqlite:///{tmp_path / 'app.db'}")
    try:
        assert len(mizzle.migrate(db, tmp_path).applied) == 11
    finally:
        db.close()


def test_a_rename_without_an_answer_names_the_hint_to_add(tmp_path: Path) -> None:
    evo = load_module("evolution")
    generate_v1(evo.tables(2), tmp_path, name="a", now_ms=1_000_000_000_000)
    with pytest.raises(MissingHintsError) as err:
        generate_v1(evo.tables(3), tmp_path, name="b", now_ms=1_000_000_010_000)
    assert "column users.full_name is new and users.name vanished" in str(err.value)
    assert '"from": ["public", "users", "name"]' in err.value.hint
    assert len(migration_folders(tmp_path)) == 1 and len(list((tmp_path / "down").iterdir())) == 1  # nothing written
    # a create hint answers it the other way: drop + add
    create = '[{"type":"create","kind":"column","entity":["public","users","full_name"]}]'
    r = generate_v1(evo.tables(3), tmp_path, name="b", hints=Hints.parse(create), now_ms=1_000_000_010_000)
    assert "ADD `full_name`" in r.sql and "DROP COLUMN `name`" in r.sql
    with pytest.raises(MigrationError, match="doesn't match any deleted column"):
        bad = '[{"type":"rename","kind":"column","from":["public","users","nope"],"to":["public","users","x"]}]'
        Hints.parse(bad).resolve("column", [{"table": "users", "name": "x"}], [{"table": "users", "name": "y"}])


@pytest.mark.parametrize("text", ["{", "{}", '[{"type":"rename","kind":"table","from":"a","to":["b"]}]',
                                  '[{"type":"move","kind":"table"}]'])
def test_bad_hints_are_refused(text: str) -> None:
    with pytest.raises(MigrationError):
        Hints.parse(text)


def test_custom_keeps_the_schema_and_refusals_write_nothing(tmp_path: Path) -> None:
    evo = load_module("evolution")
    first = generate_v1(evo.tables(1), tmp_path, name="init", now_ms=1_000_000_000_000)
    r = generate_v1(evo.tables(1), tmp_path, name="data", custom=True, now_ms=1_000_000_000_000)
    assert r.tag == "20010909014641_data"  # one second after its parent
    assert (tmp_path / r.tag / "migration.sql").read_text() == CUSTOM_V1_SQL
    a = json.loads((tmp_path / first.tag / "snapshot.json").read_text())
    b = json.loads((tmp_path / r.tag / "snapshot.json").read_text())
    assert b["prevIds"] == [a["id"]] and b["ddl"] == a["ddl"]
    # a 0.x journal folder is refused (other dialects: tests/kit/test_generate_v1_pg.py)
    old = tmp_path / "old"
    generate(evo.tables(1), old, name="init")
    with pytest.raises(MigrationError, match="old drizzle-kit migrations folder"):
        generate_v1(evo.tables(2), old, name="next")


SCHEMA = """
from mizzle.sqlite import Column, Table, integer, text

class Users(Table, name="users"):
    id: Column[int] = integer().primary_key()
    {name}: Column[str] = text().not_null()
"""


def test_cli_generate_v1_with_hints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)

    n = [0]

    def project(name: str, fmt: str = 'format = "v1"\n') -> None:
        n[0] += 1  # a new module name each time (an imported schema module is cached)
        (tmp_path / f"schema_{n[0]}.py").write_text(textwrap.dedent(SCHEMA.format(name=name)))
        (tmp_path / "mizzle.toml").write_text(f'schema = "schema_{n[0]}.py"\nout = "./migrations"\n{fmt}')

    project("name")
    assert main(["--no-color", "generate", "--name", "init"]) == 0
    (first,) = migration_folders(tmp_path / "migrations")
    assert first.name.endswith("_init") and (first / "snapshot.json").exists()
    assert "drizzle 1.0 layout" in capsys.readouterr().out
    project("full_name")
    assert main(["--no-color", "generate", "--name", "ren"]) == 2  # drizzle-kit's exit code for missing hints
    assert "missing_hints" in capsys.readouterr().err
    assert main(["--no-color", "generate", "--rename", "users.name=users.full_name"]) == 1
    hint = '[{"type":"rename","kind":"column","from":["public","users","name"],"to":["public","users","full_name"]}]'
    (tmp_path / "hints.json").write_text(hint)
    assert main(["--no-color", "generate", "--name", "ren", "--hints-file", "hints.json"]) == 0
    sql = sorted((tmp_path / "migrations").glob("*_ren/migration.sql"))[0].read_text()
    assert sql == "ALTER TABLE `users` RENAME COLUMN `name` TO `full_name`;"
    # the folder's own layout is followed without the key; format = "journal" on it is refused
    project("full_name", "")
    assert main(["--no-color", "generate"]) == 0
    assert "no schema changes" in capsys.readouterr().out
    project("full_name", 'format = "journal"\n')
    assert main(["--no-color", "generate"]) == 1
    assert main(["--no-color", "migrate", "--url", f"sqlite:///{tmp_path / 'app.db'}"]) == 0


def test_continuing_drizzle_kits_folder_writes_its_next_migrations(tmp_path: Path) -> None:
    """mizzle reads drizzle-kit 1.0's snapshots: steps 6..11 generated on top of its first five are its own."""
    import shutil

    evo = load_module("evolution")
    for theirs in EVO[:5]:
        shutil.copytree(theirs, tmp_path / theirs.name)
    for step in range(6, 12):
        theirs = EVO[step - 1]
        r = generate_v1(evo.tables(step, hints=True), tmp_path, name=evo.STEPS[step - 1],
                        now_ms=folder_millis(theirs.name))
        assert_same(tmp_path / r.tag, theirs)
        mine = json.loads((tmp_path / r.tag / "snapshot.json").read_text())
        parent = json.loads((migration_folders(tmp_path)[-2] / "snapshot.json").read_text())
        assert mine["prevIds"] == [parent["id"]]
