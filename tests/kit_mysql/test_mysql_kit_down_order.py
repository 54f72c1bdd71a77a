"""MariaDB: a down migration drops foreign keys and child tables before the tables they reference."""

from __future__ import annotations

import sys
import textwrap
import types
from pathlib import Path
from typing import Any

import pytest

import mizzle
from mizzle.kit.api import generate
from mizzle.kit.migrator import migrate_to

pytestmark = pytest.mark.mysql

V1 = """
from mizzle.mysql import Column, Table, int_

class Items(Table, name="items"):
    id: Column[int] = int_().primary_key()
"""

V2 = """
from mizzle.mysql import Column, Table, int_, varchar

class Tags(Table, name="tags"):
    id: Column[int] = int_().primary_key()
    name: Column[str] = varchar(length=40).not_null()

class Items(Table, name="items"):
    id: Column[int] = int_().primary_key()
    tag_id: Column[int | None] = int_().references(lambda: Tags.id)

class Notes(Table, name="notes"):
    id: Column[int] = int_().primary_key()
    tag_id: Column[int] = int_().not_null().references(lambda: Tags.id)
"""


def _tables(source: str, name: str) -> list[Any]:
    module = types.ModuleType(name)
    sys.modules[name] = module
    exec(compile(textwrap.dedent(source), name, "exec"), module.__dict__)
    return [v for v in vars(module).values() if isinstance(v, type) and "__table__" in vars(v)]


def test_revert_with_rows_drops_children_first(mdb: mizzle.Database, tmp_path: Path) -> None:
    out = tmp_path / "migrations"
    generate(_tables(V1, "_my_down_v1"), out, name="items")
    generate(_tables(V2, "_my_down_v2"), out, name="tags")
    assert mizzle.migrate(mdb, out).applied == ["0000_items", "0001_tags"]
    mdb.execute("insert into tags (id, name) values (1, 'a'), (2, 'b')")
    mdb.execute("insert into items (id, tag_id) values (1, 1), (2, NULL)")
    mdb.execute("insert into notes (id, tag_id) values (1, 2)")
    result = migrate_to(mdb, out, 0, force=True)
    assert result.reverted == ["0001_tags"]
    assert {r[0] for r in mdb.execute("show tables")} >= {"items"}
    assert not {"tags", "notes"} & {r[0] for r in mdb.execute("show tables")}
    assert sorted(r[0] for r in mdb.execute("select id from items")) == [1, 2]
    assert migrate_to(mdb, out, -1, force=True).reverted == ["0000_items"]
