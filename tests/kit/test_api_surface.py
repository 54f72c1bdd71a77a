"""`mizzle.kit.api` is the one import for programmatic use; `run_script` is the migrator's safe runner."""

from __future__ import annotations

from pathlib import Path

import pytest

import mizzle
from mizzle.errors import MigrationError
from mizzle.kit import api


def test_api_reexports_the_programmatic_entry_points() -> None:
    from mizzle.kit import check, codegen, config, drop, export, introspect, migrator, push

    expected = {
        "plan_push": push.plan_push, "apply_push": push.apply_push, "check_folder": check.check_folder,
        "drop_last": drop.drop_last, "export_sql": export.export_sql, "pull": codegen.pull,
        "load_config": config.load_config, "load_tables": config.load_tables,
        "introspect": introspect.introspect, "migrate": migrator.migrate, "migrate_to": migrator.migrate_to,
        "run_script": migrator.run_script,
    }
    for name, obj in expected.items():
        assert getattr(api, name) is obj, name
        assert name in api.__all__


def _db(path: Path) -> mizzle.Database:
    db = mizzle.connect(f"sqlite:///{path}")
    db.execute("CREATE TABLE parents (id integer PRIMARY KEY, name text)")
    db.execute("CREATE TABLE kids (id integer PRIMARY KEY, "
               "parent_id integer REFERENCES parents(id) ON DELETE CASCADE)")
    db.execute("INSERT INTO parents VALUES (1, 'a'), (2, 'b')")
    db.execute("INSERT INTO kids VALUES (1, 1), (2, 1), (3, 2)")
    return db


REBUILD = [
    "PRAGMA foreign_keys=OFF;",
    "CREATE TABLE `__new_parents` (`id` integer PRIMARY KEY, `name` text NOT NULL DEFAULT '');",
    "INSERT INTO `__new_parents`(\"id\", \"name\") SELECT \"id\", \"name\" FROM `parents`;",
    "DROP TABLE `parents`;",
    "ALTER TABLE `__new_parents` RENAME TO `parents`;",
    "PRAGMA foreign_keys=ON;",
]


def test_run_script_rebuilds_a_parent_without_cascading(tmp_path: Path) -> None:
    db = _db(tmp_path / "a.db")
    api.run_script(db, REBUILD, label="rebuild")
    assert db.execute("SELECT count(*) FROM kids") == [(3,)]
    assert db.execute("PRAGMA foreign_keys") == [(1,)]
    assert "NOT NULL" in db.execute("SELECT sql FROM sqlite_master WHERE name = 'parents'")[0][0]
    db.close()


def test_run_script_is_all_or_nothing(tmp_path: Path) -> None:
    db = _db(tmp_path / "a.db")
    before = db.execute("SELECT sql FROM sqlite_master ORDER BY name")
    with pytest.raises(MigrationError, match=r"fix: statement failed, migration rolled back"):
        api.run_script(db, ["ALTER TABLE kids ADD note text;", "INSERT INTO nowhere VALUES (1);"], label="fix")
    assert db.execute("SELECT sql FROM sqlite_master ORDER BY name") == before
    db.close()
