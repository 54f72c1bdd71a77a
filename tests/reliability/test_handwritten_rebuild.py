"""Issue 13 case 2: a hand-written table rebuild (no `__new_` prefix, no PRAGMA) must not cascade-delete children.

`CREATE TABLE tmp_parent ...; INSERT INTO tmp_parent SELECT ... FROM parent; DROP TABLE parent;
ALTER TABLE tmp_parent RENAME TO parent;` used to apply with exit 0 while `ON DELETE CASCADE` children went
10,000 -> 0 and grandchildren 20,000 -> 0 on SQLite. Every dialect runs it; the rows must all be there, and a
migration that really loses rows of a table it did not DELETE from is rolled back naming the table and counts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rel_helpers import Target

import mizzle
from mizzle.errors import MigrationError
from mizzle.kit.api import generate

PARENTS, CHILDREN, GRANDCHILDREN = 1000, 10000, 20000


def _tables(mod: Any) -> list[type[Any]]:
    p = type("Parent", (mod.Table,), {"id": mod.integer("id").primary_key(), "name": mod.text("name")},
             name="parent")
    c = type("Child", (mod.Table,), {
        "id": mod.integer("id").primary_key(),
        "parent_id": mod.integer("parent_id").references(lambda: p.id, on_delete="cascade")}, name="child")
    g = type("Grandchild", (mod.Table,), {
        "id": mod.integer("id").primary_key(),
        "child_id": mod.integer("child_id").references(lambda: c.id, on_delete="cascade")}, name="grandchild")
    return [p, c, g]


def _setup(target: Target, folder: Path) -> mizzle.Database:
    generate(_tables(target.mod), folder, name="init")
    db = target.connect()
    mizzle.migrate(db, folder)
    with db.transaction():
        db.execute("INSERT INTO parent (id, name) VALUES " + ", ".join(f"({i}, 'p{i}')" for i in range(1, PARENTS + 1)))
        for start in range(1, CHILDREN + 1, 2000):
            db.execute("INSERT INTO child (id, parent_id) VALUES "
                       + ", ".join(f"({i}, {(i - 1) % PARENTS + 1})" for i in range(start, start + 2000)))
        for start in range(1, GRANDCHILDREN + 1, 2000):
            db.execute("INSERT INTO grandchild (id, child_id) VALUES "
                       + ", ".join(f"({i}, {(i - 1) % CHILDREN + 1})" for i in range(start, start + 2000)))
    return db


def _custom(target: Target, folder: Path, name: str, sql: list[str]) -> None:
    r = generate(_tables(target.mod), folder, custom=True, name=name)
    assert r.sql_path is not None
    r.sql_path.write_text(r.sql + "--> statement-breakpoint\n".join(sql), encoding="utf-8")


def _rebuild_sql(target: Target, where: str = "") -> list[str]:
    rename = ("RENAME TABLE tmp_parent TO parent;" if target.kind == "mysql"
              else "ALTER TABLE tmp_parent RENAME TO parent;")
    drop = "DROP TABLE parent CASCADE;" if target.kind == "postgres" else "DROP TABLE parent;"
    if target.kind == "mysql":
        return ["SET FOREIGN_KEY_CHECKS = 0;", "CREATE TABLE tmp_parent (id integer PRIMARY KEY, name text);",
                f"INSERT INTO tmp_parent (id, name) SELECT id, name FROM parent{where};", drop, rename,
                "SET FOREIGN_KEY_CHECKS = 1;"]
    return ["CREATE TABLE tmp_parent (id integer PRIMARY KEY, name text);",
            f"INSERT INTO tmp_parent (id, name) SELECT id, name FROM parent{where};", drop, rename]


def _counts(db: mizzle.Database) -> tuple[int, int, int]:
    return tuple(int(db.execute(f"SELECT count(*) FROM {t}")[0][0]) for t in ("parent", "child", "grandchild"))  # type: ignore[return-value]


def test_handwritten_rebuild_keeps_cascade_children(target: Target, tmp_path: Path) -> None:
    folder = tmp_path / "m"
    db = _setup(target, folder)
    try:
        _custom(target, folder, "rebuild", _rebuild_sql(target))
        mizzle.migrate(db, folder)
        assert _counts(db) == (PARENTS, CHILDREN, GRANDCHILDREN)
        if target.is_sqlite:
            assert db.execute("PRAGMA foreign_key_check") == []
            assert db.execute("PRAGMA foreign_keys") == [(1,)]
    finally:
        db.close()


def test_rebuild_that_loses_child_rows_is_rolled_back_with_a_report(target: Target, tmp_path: Path) -> None:
    if not target.is_sqlite:
        pytest.skip(f"{target.kind}: DROP TABLE of a referenced table never deletes child rows (it fails, or CASCADE "
                    "drops the constraint); the rows-lost check guards SQLite/libSQL, where it did")
    folder = tmp_path / "m"
    db = _setup(target, folder)
    try:
        # the copy leaves parents out: their children would be orphans (FK check) — or, with FKs on, deleted
        _custom(target, folder, "lossy", [*_rebuild_sql(target, " WHERE id <= 500"), "DELETE FROM child WHERE parent_id > 500;"])
        with pytest.raises(MigrationError, match=r"grandchild") as info:
            mizzle.migrate(db, folder)
        assert "rolled back" in str(info.value)
        assert _counts(db) == (PARENTS, CHILDREN, GRANDCHILDREN)
    finally:
        db.close()
