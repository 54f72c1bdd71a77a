"""`generate` in the drizzle 1.0 layout on PostgreSQL writes what drizzle-kit 1.0 writes (tests/fixtures/drizzle_v1:
seed004_pg and evolution_pg), byte for byte: SQL, and the snapshot JSON (base and diff snapshots, footprints)
once drizzle-kit's random ids are swapped in."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from kit_helpers import load_module
from test_generate_v1 import assert_same

import mizzle
from _servers import throwaway_database
from mizzle import postgres as pg
from mizzle.errors import MigrationError
from mizzle.kit.folder_v1 import folder_millis
from mizzle.kit.from_schema import load_schema
from mizzle.kit.generate_v1 import CUSTOM_V1_SQL, EMPTY_V1_ID, Hints, MissingHintsError, generate_v1
from mizzle.kit.journal import read_migrations
from mizzle.kit.migrator import migrate_to

V1 = Path(__file__).parent.parent / "fixtures" / "drizzle_v1"
SEED004 = Path(__file__).parent.parent.parent / "examples" / "better_gpt" / "schema.py"  # seed 004's Python port
EVO = sorted((V1 / "evolution_pg").iterdir())


def _evolve(out: Path, kit_hints: bool, steps: range = range(1, 12)) -> list[str]:
    evo = load_module("evolution_pg")
    ids: list[str] = []
    for step in steps:
        theirs = EVO[step - 1]
        hints = Hints.parse(evo.KIT_HINTS.get(step, "[]")) if kit_hints else None
        r = generate_v1(evo.tables(step, hints=not kit_hints), out, dialect="postgresql", name=evo.STEPS[step - 1],
                        hints=hints, now_ms=folder_millis(theirs.name))
        assert r.changed and r.tag == theirs.name
        assert_same(out / r.tag, theirs)
        ids.append(json.loads((out / r.tag / "snapshot.json").read_text())["id"])
    return ids


def test_seed004_is_drizzle_kits(tmp_path: Path) -> None:
    theirs = next((V1 / "seed004_pg").iterdir())
    r = generate_v1(load_schema([str(SEED004)]), tmp_path, dialect="postgresql", name="init",
                    now_ms=folder_millis(theirs.name))
    assert r.changed and r.tag == theirs.name
    assert_same(tmp_path / r.tag, theirs)
    snap = json.loads((tmp_path / r.tag / "snapshot.json").read_text())
    assert (snap["type"], snap["version"], snap["dialect"], snap["prevIds"]) == ("base", "9", "postgres", [EMPTY_V1_ID])


@pytest.mark.parametrize("kit_hints", [False, True], ids=["renamed_from", "drizzle-kit-hints"])
def test_evolution_is_drizzle_kits(kit_hints: bool, tmp_path: Path) -> None:
    """11 steps: enum create/add value, columns added/renamed/retyped/dropped, NOT NULL, indexes, FKs, a table and a
    referenced table renamed, a schema, identity, composite PK, uniques, a check, jsonb/array/numeric defaults."""
    ids = _evolve(tmp_path, kit_hints)
    snaps = [json.loads((tmp_path / p.name / "snapshot.json").read_text()) for p in EVO]
    assert [s["type"] for s in snaps] == ["base"] + ["diff"] * 10
    assert [s["prevIds"] for s in snaps] == [[EMPTY_V1_ID], *([i] for i in ids[:-1])]
    assert [m.tag for m in read_migrations(tmp_path)] == [p.name for p in EVO]
    evo = load_module("evolution_pg")
    assert not generate_v1(evo.tables(11), tmp_path, dialect="postgresql", name="again").changed


def test_continuing_drizzle_kits_folder(tmp_path: Path) -> None:
    """mizzle rebuilds the state from drizzle-kit's base + diff snapshots: steps 6..11 on top of its first five."""
    for theirs in EVO[:5]:
        shutil.copytree(theirs, tmp_path / theirs.name)
    _evolve(tmp_path, True, range(6, 12))


@pytest.mark.postgres
def test_mizzle_applies_its_pg_v1_folder(tmp_path: Path) -> None:
    _evolve(tmp_path, False)
    with throwaway_database("postgres", prefix="mizzle_v1pg_") as url:
        db = mizzle.connect(url)
        try:
            assert len(mizzle.migrate(db, tmp_path).applied) == 11
            rows = db.execute("SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema IN "
                              "('public', 'audit') AND table_name <> '__drizzle_migrations' ORDER BY 1, 2")
            assert [tuple(r) for r in rows] == [("audit", "events"), ("public", "articles"), ("public", "notes"),
                                                ("public", "post_tags"), ("public", "users")]
            # and mizzle's down migrations take it back to the first step
            migrate_to(db, tmp_path, EVO[0].name, force=True)
            rows = db.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                              "AND table_name <> '__drizzle_migrations' ORDER BY 1")
            assert [r[0] for r in rows] == ["comments", "posts", "users"]
        finally:
            db.close()


def _items(column: str) -> list[type[pg.Table]]:
    """`items(id, <column> text)`: a new class each call (same qualified name: a redefinition, not a clash)."""
    ns = {"__annotations__": {"id": "pg.Column[int]", column: "pg.Column[str | None]"},
          "id": pg.serial("id").primary_key(), column: pg.text(column), "__module__": __name__,
          "__qualname__": "Items"}
    return [type("Items", (pg.Table,), ns, name="items")]


def test_custom_missing_hints_and_refusals(tmp_path: Path) -> None:
    first = generate_v1(_items("name"), tmp_path, dialect="postgresql", name="init", now_ms=1_000_000_000_000)
    r = generate_v1(_items("name"), tmp_path, dialect="postgresql", name="data", custom=True, now_ms=1_000_000_000_000)
    assert (tmp_path / r.tag / "migration.sql").read_text() == CUSTOM_V1_SQL
    snap = json.loads((tmp_path / r.tag / "snapshot.json").read_text())
    parent = json.loads((tmp_path / first.tag / "snapshot.json").read_text())
    assert snap == {"type": "diff", "version": "9", "dialect": "postgres", "id": snap["id"],
                    "prevIds": [parent["id"]], "footprints": [], "deltas": []}
    with pytest.raises(MissingHintsError, match=r"column items\.title is new and items\.name vanished"):
        generate_v1(_items("title"), tmp_path, dialect="postgresql", name="ren")
    assert len(list(tmp_path.glob("*/snapshot.json"))) == 2
    hint = '[{"type":"rename","kind":"column","from":["public","items","name"],"to":["public","items","title"]}]'
    r = generate_v1(_items("title"), tmp_path, dialect="postgresql", name="ren", hints=Hints.parse(hint))
    assert r.sql == 'ALTER TABLE "items" RENAME COLUMN "name" TO "title";'
    assert r.down_sql is not None and r.down_sql.endswith('ALTER TABLE "items" RENAME COLUMN "title" TO "name";')
    # a SQLite folder is not continued as PostgreSQL; MySQL has no drizzle 1.0 generate yet
    lite = tmp_path / "lite"
    generate_v1(load_module("evolution").tables(1), lite, name="init")
    with pytest.raises(MigrationError, match="a sqlite snapshot"):
        generate_v1(_items("name"), lite, dialect="postgresql", name="next")
    with pytest.raises(MigrationError, match="not supported on MySQL"):
        generate_v1(_items("name"), tmp_path / "my", dialect="mysql", name="init")
    assert not (tmp_path / "my").exists()
