"""The migrator through the libSQL driver: drizzle-kit's folders apply byte-for-byte, rebuilds keep child rows."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("libsql", reason="libSQL tests need the libsql package: pip install 'mizzle[libsql]'")

import mizzle
from mizzle.kit.api import generate
from mizzle.kit.migrator import migrate
from mizzle.sqlite import Column, Table, integer, text

sys.path.insert(0, str(Path(__file__).parent))
from _libsql_rebuild_v2 import KidsV2, ParentsV2

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "drizzle"


def _libsql(path: Path) -> Any:
    return mizzle.connect(f"file:{path}", driver="libsql")


@pytest.mark.parametrize("folder", ["evolution_sqlite", "seed003"])
def test_drizzle_kit_folders_apply_like_drizzle_orm(tmp_path: Path, folder: str) -> None:
    db = _libsql(tmp_path / "app.db")
    result = migrate(db, FIX / folder)
    assert result.applied and result.already_applied == 0
    master = db.execute("select type, name, tbl_name, sql from sqlite_master order by name")
    expected = json.loads((FIX / folder / "expected_sqlite_master.json").read_text())
    assert [dict(zip(("type", "name", "tbl_name", "sql"), r, strict=True)) for r in master] == expected
    rows = db.execute("select hash, created_at from __drizzle_migrations order by rowid")
    want = json.loads((FIX / folder / "expected_migrations_rows.json").read_text())
    assert rows == [(r["hash"], r["created_at"]) for r in want]
    assert migrate(db, FIX / folder).applied == []  # idempotent
    assert db.execute("pragma foreign_keys") == [(1,)]  # restored after the rebuilds
    db.close()


# ---- a rebuild of a parent table with ON DELETE CASCADE children ------------------------------


class ParentsV1(Table, name="parents"):
    id: Column[int] = integer().primary_key()
    name: Column[str | None] = text()


class KidsV1(Table, name="kids"):
    id: Column[int] = integer().primary_key()
    parent_id: Column[int] = integer().not_null().references(lambda: ParentsV1.id, on_delete="cascade")


def test_rebuild_keeps_every_cascade_child_row(tmp_path: Path) -> None:
    out = tmp_path / "migrations"
    generate([ParentsV1, KidsV1], out, name="init", now_ms=1_700_000_000_000)
    db = _libsql(tmp_path / "app.db")
    migrate(db, out)
    db.insert(ParentsV1).values([{"id": i, "name": f"p{i}"} for i in range(1, 51)]).run()
    db.insert(KidsV1).values([{"id": i, "parent_id": 1 + i % 50} for i in range(1, 501)]).run()

    generate([ParentsV2, KidsV2], out, name="name_not_null", now_ms=1_700_000_100_000)
    sql = next(out.glob("0001_*.sql")).read_text()
    assert "__new_parents" in sql and "PRAGMA foreign_keys=OFF" in sql  # really a rebuild
    assert migrate(db, out).applied == ["0001_name_not_null"]

    assert db.count(KidsV2) == 500 and db.count(ParentsV2) == 50
    assert db.execute("pragma foreign_key_check") == []
    assert db.execute("pragma foreign_keys") == [(1,)]
    assert "NOT NULL" in db.execute("select sql from sqlite_master where name = 'parents'")[0][0]
    db.delete(ParentsV2).where(mizzle.eq(ParentsV2.id, 1)).run()  # the cascade still works afterwards
    assert db.count(KidsV2) == 490
    db.close()


def test_a_failing_migration_is_rolled_back_whole(tmp_path: Path) -> None:
    out = tmp_path / "migrations"
    generate([ParentsV1, KidsV1], out, name="init", now_ms=1_700_000_000_000)
    db = _libsql(tmp_path / "app.db")
    migrate(db, out)
    db.insert(ParentsV1).values(id=1, name="p1").run()
    db.insert(KidsV1).values(id=1, parent_id=1).run()
    generate([ParentsV2, KidsV2], out, name="name_not_null", now_ms=1_700_000_100_000)
    bad = next(out.glob("0001_*.sql"))
    bad.write_text(bad.read_text() + "\n--> statement-breakpoint\nINSERT INTO `nope` VALUES (1);")
    with pytest.raises(mizzle.MigrationError, match="no such table: nope"):
        migrate(db, out)
    assert "`name` text NOT NULL" not in db.execute("select sql from sqlite_master where name = 'parents'")[0][0]
    assert db.execute("select count(*) from __drizzle_migrations") == [(1,)]
    assert db.count(KidsV1) == 1 and db.execute("pragma foreign_keys") == [(1,)]
    assert not db.driver.in_transaction
    db.close()
