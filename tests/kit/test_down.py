"""Down migrations: generated with each migration, restore the previous schema (and data where nothing was dropped)."""

from __future__ import annotations

from pathlib import Path

import pytest
from kit_helpers import load_module, schema_only

import mizzle
from mizzle.errors import MigrationError
from mizzle.kit.api import generate
from mizzle.kit.migrator import migrate, migrate_to


def _generate_evolution(folder: Path) -> list[str]:
    evo = load_module("evolution")
    return [generate(evo.tables(step, hints=True), folder, name=evo.STEPS[step - 1]).tag for step in range(1, 12)]


def _populate(db: mizzle.Database) -> None:
    db.execute("INSERT INTO users (id, full_name, email, age, status) VALUES (1, 'a', 'a@x', '30', 'active'), "
               "(2, 'b', NULL, NULL, 'gone')")
    db.execute("INSERT INTO articles (id, user_id, title, editor_id) VALUES (10, 1, 't', 2), (11, 2, 'u', NULL)")
    db.execute("INSERT INTO notes (id, post_id, body, author_id) VALUES (100, 10, 'x', 1), (101, 11, 'y', NULL)")
    db.execute("INSERT INTO post_tags (post_id, tag, weight) VALUES (10, 'red', 2.0), (11, 'blue', 3.5)")


def test_down_files_are_written_beside_the_journal(tmp_path: Path) -> None:
    tags = _generate_evolution(tmp_path)
    for tag in tags:
        assert (tmp_path / "down" / f"{tag}.sql").exists()
    assert "-- lossy: drops column users.bio" in (tmp_path / "down" / "0001_add_column_index.sql").read_text()
    assert "-- lossy" not in (tmp_path / "down" / "0002_rename_column.sql").read_text()
    assert 'RENAME COLUMN "full_name" TO "name"' in (tmp_path / "down" / "0002_rename_column.sql").read_text()


def test_down_restores_each_previous_schema_and_data(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    tags = _generate_evolution(folder)
    # schema after each step, from a fresh database migrated up to it
    expected: list[dict[str, object]] = []
    for i in range(len(tags)):
        ref = mizzle.connect(f"sqlite:///{tmp_path / f'ref{i}.db'}")
        sub = tmp_path / f"sub{i}"
        _copy_prefix(folder, sub, i + 1)
        migrate(ref, sub)
        expected.append(_normalise(ref))
        ref.close()
    db = mizzle.connect(f"sqlite:///{tmp_path / 'app.db'}")
    migrate(db, folder)
    _populate(db)
    users_before = db.execute("SELECT id, full_name, email, age, created_at, status FROM users ORDER BY id")
    # 0010 is a pure rename of posts: reverting it keeps every row and value
    r = migrate_to(db, folder, "0009_add_column_with_fk")
    assert r.reverted == ["0010_rename_referenced_table"]
    assert len(expected[9]) == 4 and _normalise(db) == expected[9]
    assert db.execute("SELECT id, user_id, title, editor_id FROM posts ORDER BY id") == [(10, 1, "t", 2), (11, 2, "u", None)]
    assert db.execute("SELECT count(*) FROM notes") == [(2,)]
    assert db.execute("SELECT count(*) FROM post_tags") == [(2,)]
    # 0009 added posts.editor_id: reverting it drops data -> refused without force
    with pytest.raises(MigrationError, match=r"0009_add_column_with_fk: drops column posts.editor_id"):
        migrate_to(db, folder, 8)
    migrate_to(db, folder, 8, force=True)
    assert _normalise(db) == expected[8]
    # 0008 dropped an index and a unique index: reverting restores them, data intact
    migrate_to(db, folder, 7)
    assert _normalise(db) == expected[7]
    assert db.execute("SELECT id, full_name, email, age, created_at, status FROM users ORDER BY id") == users_before
    # all the way down, with force
    migrate_to(db, folder, -1, force=True)
    assert schema_only(db) == []
    assert db.execute('SELECT count(*) FROM "__drizzle_migrations"') == [(0,)]
    # and up again
    assert len(migrate(db, folder).applied) == 11
    assert _normalise(db) == expected[10]


def _normalise(db: mizzle.Database) -> dict[str, object]:
    """The structure of every table: columns, indexes, foreign keys (the stored DDL text differs in quoting and
    in drizzle-kit's `ADD ... REFERENCES` form, which drops the FK actions; the down rebuild restores them)."""
    out: dict[str, object] = {}
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' "
                              "ORDER BY name"):
        cols = db.execute(f"SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('{name}')")
        idx = sorted(
            (i[1], i[2], tuple(c[2] for c in db.execute(f"SELECT * FROM pragma_index_info('{i[1]}')")))
            for i in db.execute(f"SELECT * FROM pragma_index_list('{name}')") if not i[1].startswith("sqlite_")
        )
        fks = sorted((f[2], f[3], f[4]) for f in db.execute(f"SELECT * FROM pragma_foreign_key_list('{name}')"))
        out[name] = (cols, idx, fks)
    return out


def _copy_prefix(src: Path, dst: Path, n: int) -> None:
    import shutil

    from mizzle.kit.journal import Journal

    shutil.copytree(src, dst)
    j = Journal.read(dst)
    j.entries = j.entries[:n]
    j.write(dst)


def test_custom_migration_is_irreversible_without_force(tmp_path: Path) -> None:
    tables = load_module("evolution").tables(1)
    generate(tables, tmp_path)
    generate(tables, tmp_path, custom=True, name="data")
    (tmp_path / "0001_data.sql").write_text("INSERT INTO users (id, name) VALUES (1, 'x');")
    db = mizzle.connect(f"sqlite:///{tmp_path / 'app.db'}")
    migrate(db, tmp_path)
    with pytest.raises(MigrationError, match=r"refusing to revert without force=True.*\n  0001_data: custom SQL migration"):
        migrate_to(db, tmp_path, 0)
    (tmp_path / "down" / "0001_data.sql").write_text("DELETE FROM users WHERE id = 1;")
    migrate_to(db, tmp_path, "0000")
    assert db.execute("SELECT count(*) FROM users") == [(0,)]


def test_migrate_to_unknown_target(tmp_path: Path) -> None:
    generate(load_module("evolution").tables(1), tmp_path, name="init")
    db = mizzle.connect(f"sqlite:///{tmp_path / 'app.db'}")
    migrate(db, tmp_path)
    with pytest.raises(MigrationError, match=r"--to 'nope': no such migration .*0000_init"):
        migrate_to(db, tmp_path, "nope")
