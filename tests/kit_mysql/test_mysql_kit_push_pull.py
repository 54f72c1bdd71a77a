"""Introspection, pull and push on a real MariaDB."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest
from mysql_kit_helpers import load_schema_module

import mizzle
from mizzle.errors import MigrationError
from mizzle.kit.api import generate
from mizzle.kit.dialects.mysql.codegen import pull_mysql
from mizzle.kit.dialects.mysql.from_schema import mysql_snapshot
from mizzle.kit.dialects.mysql.push import comparable
from mizzle.kit.diff import diff
from mizzle.kit.from_schema import load_schema
from mizzle.kit.introspect import introspect
from mizzle.kit.push import apply_push, plan_push

pytestmark = pytest.mark.mysql
small = load_schema_module("small")


def _migrated(db: mizzle.Database, tmp_path: Path, steps: int) -> None:
    out = tmp_path / "m"
    for step in range(1, steps + 1):
        generate(small.tables(step), out, name=small.STEPS[step - 1])
    mizzle.migrate(db, out)


@pytest.mark.parametrize("step", [1, 2, 3])
def test_introspection_matches_the_schema(mdb: mizzle.Database, tmp_path: Path, step: int) -> None:
    _migrated(mdb, tmp_path, step)
    live = introspect(mdb)
    d = diff(live, comparable(mysql_snapshot(small.tables(step))))
    assert d.empty, d.statements
    users = live.tables["users"].columns  # type: ignore[attr-defined]
    assert users["settings"].type == "json" and users["active"].default is True
    assert users["created_at"].default == "(now())"


def _import(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(f"_pulled_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_pull_round_trips(mdb: mizzle.Database, tmp_path: Path) -> None:
    _migrated(mdb, tmp_path, 3)
    source, snap = pull_mysql(mdb)
    path = tmp_path / "pulled_schema.py"
    path.write_text(source)
    tables = load_schema([_import(path)])
    again = mysql_snapshot(tables)
    assert again.schema_dict() == snap.schema_dict(), source
    assert "from mizzle.mysql import" in source and ".on_update_now()" not in source
    # generate from the pulled module on top of the live database: no changes
    assert plan_push(mdb, tables).empty


def test_push_warns_with_row_counts_and_applies(mdb: mizzle.Database, tmp_path: Path) -> None:
    _migrated(mdb, tmp_path, 2)
    for i in range(1, 13):
        mdb.execute("insert into users (name, email, age, bio, nickname) values ({}, {}, {}, {}, {})",
                    f"n{i}", f"e{i}@x", i, f"bio{i}", f"nick{i}" if i % 3 else None)
    plan = plan_push(mdb, small.tables(1), resolver=None)
    losses = {f.message for f in plan.losses}
    assert "drops column users.nickname: 8 non-null values" in losses
    assert "drops table comments" not in " ".join(losses)  # comments is empty: nothing lost
    assert not plan.conflicts
    assert any("MODIFY COLUMN `age` int" in s for s in plan.sql)
    apply_push(mdb, plan)
    assert plan_push(mdb, small.tables(1)).empty
    assert mdb.execute("select count(*), sum(age) from users")[0] == (12, 78)


def test_push_reports_rows_that_do_not_fit(mdb: mizzle.Database, tmp_path: Path) -> None:
    from mizzle.mysql import Column, Table, int_, varchar

    def schema(narrow: bool) -> list[type[Table]]:
        class Items(Table, name="items"):
            id: Column[int] = int_().primary_key(autoincrement=True)
            code: Column[str] = varchar(length=4 if narrow else 20).not_null()
            qty: Column[int | None] = int_() if narrow else varchar(length=10)
            sku: Column[str | None] = varchar(length=10).unique() if narrow else varchar(length=10)

        return [Items]

    plan = plan_push(mdb, schema(False))
    apply_push(mdb, plan)
    mdb.execute("insert into items (code, qty, sku) values ('ab', '1', 'x'), ('toolong', 'x2', 'x'), "
                "('abcd', '9999999999', 'y')")
    plan = plan_push(mdb, schema(True))
    messages = [f.message for f in plan.conflicts]
    assert any("items.code from varchar(20) to varchar(4) but 1 value is longer than 4" in m for m in messages)
    assert any("items.qty" in m and "2 values are not integer-valued" in m for m in messages)
    assert any("unique constraint items_sku_unique" in m for m in messages)
    sample = next(f for f in plan.conflicts if f.column == "code").samples
    assert sample == ["id=2 (code='toolong')"]
    with pytest.raises(MigrationError, match="existing data does not fit"):
        apply_push(mdb, plan)
    assert mdb.execute("select count(*) from items") == [(3,)]
