"""push on PostgreSQL: the plan is checked against the actual rows before anything runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from kit_pg_helpers import HERE

import mizzle
from mizzle.errors import MigrationError
from mizzle.kit.api import generate
from mizzle.kit.diff import Answers, ChainResolver, HintResolver
from mizzle.kit.from_schema import load_schema, rename_hints
from mizzle.kit.push import apply_push, plan_push


def _schema(name: str) -> list[type[mizzle.Table]]:
    return load_schema([str(HERE / "schemas" / f"{name}.py")])


def _populate(db: mizzle.Database, tmp_path: Path, rows: int, code: str = "{}") -> None:
    generate(_schema("evo_v1"), tmp_path / "m")
    mizzle.migrate(db, tmp_path / "m")
    for i in range(rows):
        db.execute("INSERT INTO items (code, title, note, feeling, label) VALUES ({}, {}, {}, 'ok', {})",
                   code.format(i), f"t{i}", f"n{i}", f"l{i}")


def _push_plan(db: mizzle.Database, name: str) -> object:
    tables = _schema(name)
    return plan_push(db, tables, resolver=ChainResolver([HintResolver(rename_hints(tables))]))


def test_push_applies_evolution_without_loss(tmp_path: Path, pg_kit_db: mizzle.Database) -> None:
    _populate(pg_kit_db, tmp_path, 50)
    plan = _push_plan(pg_kit_db, "evo_v2")
    assert not plan.losses and not plan.conflicts  # type: ignore[attr-defined]
    assert any('USING "code"::integer' in s for s in plan.sql)  # type: ignore[attr-defined]
    apply_push(pg_kit_db, plan)  # type: ignore[arg-type]
    rows = pg_kit_db.execute("SELECT code, name FROM items ORDER BY id")
    assert rows == [(i, f"l{i}") for i in range(50)]
    assert _push_plan(pg_kit_db, "evo_v2").empty  # type: ignore[attr-defined]


def test_push_counts_lost_values(tmp_path: Path, pg_kit_db: mizzle.Database) -> None:
    _populate(pg_kit_db, tmp_path, 1204)
    pg_kit_db.execute("UPDATE items SET label = NULL WHERE id % 2 = 0")
    plan = plan_push(pg_kit_db, _schema("evo_v3_lossy"), resolver=Answers.from_flags(creates=["items.name"]))
    messages = [f.message for f in plan.losses]  # type: ignore[attr-defined]
    assert "drops column items.note: 1,204 non-null values" in messages
    # `label` -> `name` is not hinted in this schema: answered as a drop + add, it would lose 602 values
    assert "drops column items.label: 602 non-null values" in messages


def test_push_refuses_values_that_do_not_cast(tmp_path: Path, pg_kit_db: mizzle.Database) -> None:
    _populate(pg_kit_db, tmp_path, 20)
    pg_kit_db.execute("UPDATE items SET code = 'x' || id WHERE id <= 3")
    pg_kit_db.execute("UPDATE items SET title = NULL WHERE id = 5")
    plan = _push_plan(pg_kit_db, "evo_v2")
    conflicts = {f.column: f for f in plan.conflicts}  # type: ignore[attr-defined]
    assert conflicts["code"].count == 3
    assert conflicts["code"].samples == ["id=1 (code='x1')", "id=2 (code='x2')", "id=3 (code='x3')"]  # as elsewhere
    assert conflicts["title"].count == 1 and conflicts["title"].samples == ["id=5"]
    with pytest.raises(MigrationError, match="existing data does not fit"):
        apply_push(pg_kit_db, plan)  # type: ignore[arg-type]
    assert pg_kit_db.execute("SELECT count(*) FROM items WHERE code LIKE 'x%'") == [(3,)]  # nothing changed


def test_push_counts_rows_holding_a_removed_enum_value(tmp_path: Path, pg_kit_db: mizzle.Database) -> None:
    tables = _schema("evo_v2")
    generate(tables, tmp_path / "m")
    mizzle.migrate(pg_kit_db, tmp_path / "m")
    pg_kit_db.execute("INSERT INTO items (title, feeling) VALUES ('a', 'meh'), ('b', 'meh'), ('c', 'ok')")
    plan = plan_push(pg_kit_db, _schema("evo_v1"), resolver=Answers.from_flags(renames=["items.name=label"]))
    enum_conflicts = [f for f in plan.conflicts if f.column == "feeling"]
    assert len(enum_conflicts) == 1 and enum_conflicts[0].count == 2
