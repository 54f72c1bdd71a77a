"""dialect "turso": drizzle-kit's libSQL `ALTER COLUMN` migrations, generated and applied through the libSQL driver."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from kit_helpers import FIX, load_module, schema_only, strip_ids

import mizzle
from mizzle import sql
from mizzle.errors import ForeignKeyViolation, MigrationError
from mizzle.kit.api import generate
from mizzle.kit.check import check_folder
from mizzle.kit.journal import Journal
from mizzle.kit.migrator import migrate
from mizzle.sqlite import Column, Table, check, index, integer, text

pytest.importorskip("libsql", reason="turso tests need the libsql package: pip install 'mizzle[libsql]'")

REF = FIX / "evolution_turso"
AFFINITY_LINE = 'UPDATE `users` SET "age" = "age";--> statement-breakpoint\n'
"""mizzle's one addition to drizzle-kit's turso text: re-store values after a type change (affinity)."""


def libsql_db(path: Path) -> mizzle.Database:
    return mizzle.connect(f"sqlite:///{path}", driver="libsql")


def first_n(folder: Path, n: int, dest: Path) -> Path:
    """A copy of a migrations folder holding only its first `n` migrations."""
    shutil.copytree(folder, dest)
    data = json.loads((dest / "meta" / "_journal.json").read_text())
    for entry in data["entries"][n:]:
        (dest / f"{entry['tag']}.sql").unlink()
    data["entries"] = data["entries"][:n]
    (dest / "meta" / "_journal.json").write_text(json.dumps(data, indent=2))
    return dest


def test_evolution_matches_drizzle_kit_turso_byte_for_byte(tmp_path: Path) -> None:
    evo = load_module("evolution")
    ref = Journal.read(REF)
    for step in range(1, 12):
        r = generate(evo.tables(step, hints=True), tmp_path, name=evo.STEPS[step - 1], dialect="turso")
        assert r.tag == ref.entries[step - 1].tag
        theirs = (REF / f"{r.tag}.sql").read_text(encoding="utf-8")
        if r.tag == "0003_change_type":  # integer -> text: the only place mizzle adds a statement
            assert AFFINITY_LINE in r.sql
            assert r.sql.replace(AFFINITY_LINE, "") == theirs
        else:
            assert r.sql == theirs, r.tag
        assert r.snapshot_path is not None
        assert strip_ids(r.snapshot_path.read_text()) == strip_ids((REF / "meta" / r.snapshot_path.name).read_text())
    journal = json.loads((tmp_path / "meta" / "_journal.json").read_text())
    assert journal["dialect"] == "sqlite"  # drizzle-kit writes "sqlite" for turso too
    assert "ALTER COLUMN" in (tmp_path / "0005_add_foreign_key.sql").read_text()


def test_sqlite_dialect_still_rebuilds(tmp_path: Path) -> None:
    evo = load_module("evolution")
    for step in range(1, 7):
        r = generate(evo.tables(step, hints=True), tmp_path, name=evo.STEPS[step - 1], dialect="sqlite")
        assert "ALTER COLUMN" not in r.sql
    assert "CREATE TABLE `__new_users`" in (tmp_path / "0003_change_type.sql").read_text()
    assert "CREATE TABLE `__new_comments`" in (tmp_path / "0005_add_foreign_key.sql").read_text()


def test_drizzle_kit_turso_folder_applies_through_libsql(tmp_path: Path) -> None:
    db = libsql_db(tmp_path / "app.db")
    result = migrate(db, REF)
    assert result.applied == [e.tag for e in Journal.read(REF).entries]
    expected = [tuple(r.values()) for r in json.loads((REF / "expected_sqlite_master.json").read_text())
                if "__drizzle_migrations" not in r["tbl_name"]]
    assert schema_only(db) == expected
    rows = db.execute('SELECT hash, created_at FROM "__drizzle_migrations" ORDER BY rowid')
    assert rows == [(r["hash"], r["created_at"])
                    for r in json.loads((REF / "expected_migrations_rows.json").read_text())]
    db.close()


def test_generated_turso_evolution_keeps_every_row_on_a_populated_database(tmp_path: Path) -> None:
    evo = load_module("evolution")
    folder = tmp_path / "migrations"
    db = libsql_db(tmp_path / "app.db")
    for step in (1, 2):
        generate(evo.tables(step, hints=True), folder, name=evo.STEPS[step - 1], dialect="turso")
    migrate(db, folder)
    db.execute("PRAGMA foreign_keys=ON")
    for i in range(1, 41):
        db.execute("INSERT INTO users (id, name, email, age, created_at, bio) VALUES (?, ?, ?, ?, ?, ?)",
                   i, f"user{i}", f"u{i}@x.io", 20 + i, 1_700_000_000 + i, None if i % 3 else "bio")
    for i in range(1, 81):
        db.execute("INSERT INTO posts (id, user_id, title) VALUES (?, ?, ?)", i, (i % 40) + 1, f"post {i}")
    for i in range(1, 161):
        db.execute("INSERT INTO comments (id, post_id, body, author_id) VALUES (?, ?, ?, ?)",
                   i, (i % 80) + 1, f"c{i}", (i % 40) + 1)
    for step in range(3, 12):
        generate(evo.tables(step, hints=True), folder, name=evo.STEPS[step - 1], dialect="turso")
        result = migrate(db, folder)
        assert len(result.applied) == 1, step
    assert db.execute("SELECT count(*) FROM users")[0][0] == 40
    assert db.execute("SELECT count(*) FROM articles")[0][0] == 80
    assert db.execute("SELECT count(*) FROM notes")[0][0] == 160
    assert db.execute("SELECT full_name, age, typeof(age) FROM users WHERE id = 7") == [("user7", "27", "text")]
    assert db.execute("SELECT count(*) FROM notes WHERE author_id IS NULL")[0][0] == 0
    assert db.execute("PRAGMA foreign_key_check") == []
    fk = db.execute("SELECT \"table\", \"from\", on_delete FROM pragma_foreign_key_list('notes') ORDER BY \"from\"")
    assert ("users", "author_id", "SET NULL") in fk
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
    expected = json.loads((REF / "expected_sqlite_master.json").read_text())
    assert indexes == {r["name"] for r in expected if r["type"] == "index" and r["sql"]}
    report = check_folder(folder)  # up -> down -> up on a scratch libSQL database
    assert {"0003_change_type", "0005_add_foreign_key"} <= set(report.roundtrips)
    db.close()


def _things(step: int) -> list[type[Table]]:
    class Parents(Table, name="parents"):
        id: Column[int] = integer().primary_key()
        label: Column[str | None] = text()
        if step >= 2:
            __constraints__ = lambda t: (check("label_len", sql("{} <> ''", t.label)),)  # noqa: E731

    class Things(Table, name="things"):
        id: Column[int] = integer().primary_key()
        nick: Column[str | None] = text() if step < 2 else text().not_null().default("anon")
        size: Column[int | None] = integer() if step < 2 else text()
        email: Column[str | None] = text().unique()
        parent_id: Column[int | None] = (integer() if step < 2
                                         else integer().references(lambda: Parents.id, on_delete="cascade"))
        if step >= 2:
            tag: Column[str | None] = text()
            __constraints__ = lambda t: (index("things_tag_idx").on(t.tag),)  # noqa: E731

    return [Parents, Things]


def test_only_existing_indexes_are_wrapped(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    generate(_things(1), folder, name="one", dialect="turso")
    r = generate(_things(2), folder, name="two", dialect="turso", allow_not_null_without_default=True)
    sql = r.sql
    assert 'ALTER COLUMN "nick" TO "nick" text NOT NULL DEFAULT \'anon\';' in sql
    assert 'ALTER COLUMN "size" TO "size" text;' in sql and 'UPDATE `things` SET "size" = "size";' in sql
    assert 'ALTER COLUMN "parent_id" TO "parent_id" integer REFERENCES parents(id) ON DELETE cascade' in sql
    assert "CREATE TABLE `__new_parents`" in sql  # a check constraint still needs a rebuild
    assert 'DROP INDEX "things_email_unique";' in sql
    assert 'DROP INDEX "things_tag_idx"' not in sql  # created by this very migration
    db = libsql_db(tmp_path / "a.db")
    migrate(db, first_n(folder, 1, tmp_path / "only1"))
    db.execute("INSERT INTO parents (id, label) VALUES (1, 'p')")
    db.execute("INSERT INTO things (id, nick, size, email, parent_id) VALUES (1, 'a', 3, 'a@x', 1), "
               "(2, 'b', 4, 'b@x', NULL)")
    migrate(db, folder)
    assert db.execute("SELECT id, nick, size, typeof(size), parent_id FROM things ORDER BY id") == [
        (1, "a", "3", "text", 1), (2, "b", "4", "text", None)]
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'") if r[0]}
    assert {"things_email_unique", "things_tag_idx"} <= names
    with pytest.raises(ForeignKeyViolation):
        db.execute("INSERT INTO things (id, parent_id) VALUES (9, 99)")
    db.close()


def _two_step(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "m"
    generate(_things(1), folder, name="one", dialect="turso")
    generate(_things(2), folder, name="two", dialect="turso", allow_not_null_without_default=True)
    return folder, first_n(folder, 1, tmp_path / "only1")


def test_alter_column_not_null_over_nulls_rolls_back(tmp_path: Path) -> None:
    folder, first = _two_step(tmp_path)
    db = libsql_db(tmp_path / "a.db")
    migrate(db, first)
    db.execute("INSERT INTO things (id, nick) VALUES (1, NULL), (2, 'b')")
    before = schema_only(db)
    with pytest.raises(MigrationError, match=r"things\.nick is made NOT NULL but 1 row\(s\) hold NULL"):
        migrate(db, folder)
    assert schema_only(db) == before  # the ALTER COLUMN was rolled back with the rest
    assert db.execute("SELECT id, nick FROM things ORDER BY id") == [(1, None), (2, "b")]
    assert len(db.execute('SELECT * FROM "__drizzle_migrations"')) == 1
    db.close()


def test_alter_column_references_over_orphans_rolls_back(tmp_path: Path) -> None:
    folder, first = _two_step(tmp_path)
    db = libsql_db(tmp_path / "a.db")
    migrate(db, first)
    db.execute("INSERT INTO things (id, nick, parent_id) VALUES (1, 'a', 42)")
    with pytest.raises(MigrationError, match=r"1 row\(s\) of things reference missing rows"):
        migrate(db, folder)
    assert db.execute("SELECT count(*) FROM pragma_foreign_key_list('things')") == [(0,)]
    db.execute("INSERT INTO parents (id, label) VALUES (42, 'p')")
    assert migrate(db, folder).applied == ["0001_two"]
    db.close()


def test_turso_folder_on_stdlib_sqlite_says_to_use_libsql(tmp_path: Path) -> None:
    folder, first = _two_step(tmp_path)
    db = mizzle.connect(f"sqlite:///{tmp_path / 'a.db'}")
    migrate(db, first)
    with pytest.raises(MigrationError, match=r"dialect \"turso\".*driver=\"libsql\""):
        migrate(db, folder)
    db.close()


def test_cli_dialect_turso_generates_alter_column_and_migrates_through_libsql(tmp_path: Path) -> None:
    from mizzle.cli.main import main

    base = (
        "from mizzle.sqlite import Column, Table, integer, text\n\n"
        "class Users(Table, name='users'):\n"
        "    id: Column[int] = integer().primary_key()\n"
        "    age: Column[int | None] = integer()\n"
        "    email: Column[str | None] = text().unique()\n"
    )
    (tmp_path / "schema.py").write_text(base)
    (tmp_path / "mizzle.toml").write_text(
        'schema = "schema.py"\nout = "./migrations"\ndialect = "turso"\nurl = "sqlite:///app.db"\n')
    argv = ["--config", str(tmp_path / "mizzle.toml"), "--no-color"]
    assert main([*argv, "generate", "--name", "init"]) == 0
    assert main([*argv, "migrate"]) == 0
    db = libsql_db(tmp_path / "app.db")
    db.execute("INSERT INTO users (id, age, email) VALUES (1, 30, 'a@x')")
    db.close()
    (tmp_path / "schema2.py").write_text(base.replace("age: Column[int | None] = integer()",
                                                      "age: Column[str | None] = text()"))
    (tmp_path / "mizzle.toml").write_text(
        (tmp_path / "mizzle.toml").read_text().replace('"schema.py"', '"schema2.py"'))
    assert main([*argv, "generate", "--name", "age_text"]) == 0
    sql = (tmp_path / "migrations" / "0001_age_text.sql").read_text()
    assert 'ALTER TABLE `users` ALTER COLUMN "age" TO "age" text;' in sql and "__new_users" not in sql
    assert json.loads((tmp_path / "migrations" / "meta" / "_journal.json").read_text())["dialect"] == "sqlite"
    assert main([*argv, "migrate"]) == 0
    db = libsql_db(tmp_path / "app.db")
    assert db.execute("SELECT id, age, typeof(age), email FROM users") == [(1, "30", "text", "a@x")]
    db.close()


def test_push_with_dialect_turso_alters_in_place(tmp_path: Path) -> None:
    from mizzle.kit.push import apply_push, plan_push

    db = libsql_db(tmp_path / "a.db")
    mizzle.create_all(db, _things(1))
    db.execute("INSERT INTO parents (id, label) VALUES (1, 'p')")
    db.execute("INSERT INTO things (id, nick, size, parent_id) VALUES (1, 'a', 5, 1)")
    plan = plan_push(db, _things(2), dialect="turso")
    assert any('ALTER COLUMN "size" TO "size" text' in s for s in plan.sql)
    assert not any("__new_things" in s for s in plan.sql)
    apply_push(db, plan)
    assert db.execute("SELECT nick, size, typeof(size), parent_id, tag FROM things") == [("a", "5", "text", 1, None)]
    assert plan_push(db, _things(2), dialect="turso").empty
    db.close()
