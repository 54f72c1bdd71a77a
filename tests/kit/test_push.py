"""`mizzle push`: plan against the live database, data-loss counts, data-fit checks, FK-safe apply."""

from __future__ import annotations

import re
import sqlite3
import textwrap
from pathlib import Path

import pytest

import mizzle
from mizzle.cli.main import main
from mizzle.kit.from_schema import load_schema
from mizzle.kit.push import apply_push, plan_push

V1 = """
from mizzle.sqlite import Column, Table, integer, text

class Users(Table, name="users"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()
    email: Column[str | None] = text()
    bio: Column[str | None] = text()
    age: Column[str | None] = text()

class Posts(Table, name="posts"):
    id: Column[int] = integer().primary_key()
    user_id: Column[int] = integer().not_null().references(lambda: Users.id, on_delete="cascade")
    title: Column[str] = text().not_null()
"""


class Project:
    """A temporary project: schema files, mizzle.toml, a SQLite database."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.db_path = root / "app.db"
        self.version = 0

    def schema(self, source: str, **toml: str) -> None:
        self.version += 1
        name = f"schema_v{self.version}.py"
        (self.root / name).write_text(textwrap.dedent(source), encoding="utf-8")
        extra = "".join(f'{k} = "{v}"\n' for k, v in toml.items())
        (self.root / "mizzle.toml").write_text(f'schema = "{name}"\nurl = "sqlite:///{self.db_path}"\n{extra}')

    def sql(self, text: str, *args: object) -> list[tuple[object, ...]]:
        con = sqlite3.connect(self.db_path)
        try:
            rows = con.execute(text, args).fetchall()
            con.commit()
            return rows
        finally:
            con.close()

    def master(self) -> list[tuple[object, ...]]:
        return self.sql("SELECT type, name, sql FROM sqlite_master ORDER BY name")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.chdir(tmp_path)
    p = Project(tmp_path)
    p.schema(V1)
    assert main(["--no-color", "push"]) == 0
    p.sql("INSERT INTO users (id, name, email, bio, age) VALUES (1, 'ann', 'a@x', 'likes tea', '31'), "
          "(2, 'bob', 'b@x', NULL, '40'), (3, 'cy', 'c@x', 'hi', NULL)")
    p.sql("INSERT INTO posts (id, user_id, title) VALUES (1, 1, 'p1'), (2, 1, 'p2'), (3, 2, 'p3')")
    return p


def test_push_creates_then_reports_nothing(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert {r[1] for r in project.master() if r[0] == "table"} == {"users", "posts"}
    capsys.readouterr()
    assert main(["--no-color", "push"]) == 0
    assert "already matches the schema" in capsys.readouterr().out


def test_drop_column_counts_values_and_needs_force(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.schema(V1.replace('    bio: Column[str | None] = text()\n', ""))
    before = project.master()
    capsys.readouterr()
    assert main(["--no-color", "push"]) == 1
    out, err = capsys.readouterr()
    assert "drops column users.bio: 2 non-null values" in out
    assert re.search(r"-\s+drop column\s+users\.bio", out)
    assert "--force" in err and "Traceback" not in err
    assert project.master() == before

    assert main(["--no-color", "push", "--explain"]) == 0
    out = capsys.readouterr().out
    assert "ALTER TABLE `users` DROP COLUMN `bio`;" in out and "nothing was changed" in out
    assert main(["--no-color", "push", "--explain", "--ci"]) == 1
    assert main(["--no-color", "push", "--ci"]) == 1
    assert project.master() == before

    assert main(["--no-color", "push", "--force"]) == 0
    assert project.sql("SELECT id, name, email, age FROM users ORDER BY id") == [
        (1, "ann", "a@x", "31"), (2, "bob", "b@x", "40"), (3, "cy", "c@x", None)]


def test_not_null_unique_and_narrowing_report_offending_rows(project: Project,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    project.sql("UPDATE users SET email = 'a@x' WHERE id = 2")
    project.sql("UPDATE users SET age = 'forty' WHERE id = 2")
    project.schema(V1.replace("bio: Column[str | None] = text()", "bio: Column[str] = text().not_null()")
                   .replace("email: Column[str | None] = text()", "email: Column[str | None] = text().unique()")
                   .replace("age: Column[str | None] = text()", "age: Column[int | None] = integer()"))
    db = mizzle.connect(str(project.db_path))
    plan = plan_push(db, load_schema([str(project.root / "schema_v2.py")]))
    messages = [f.message for f in plan.conflicts]
    assert "users.bio becomes NOT NULL but 1 row holds NULL" in messages
    assert any("unique index users_email_unique on users(email) but 1 value occurs more than once" in m
               for m in messages)
    assert any("changes users.age from text to integer but 1 value is not integer-valued" in m for m in messages)
    by_col = {f.column: f for f in plan.conflicts}
    assert by_col["bio"].samples == ["id=2"]
    assert by_col["email"].samples == ["email='a@x' (2 rows)"]
    assert by_col["age"].samples == ["id=2 (age='forty')"]
    with pytest.raises(mizzle.MigrationError, match="does not fit"):
        apply_push(db, plan)
    db.driver.close()

    before = project.master()
    capsys.readouterr()
    assert main(["--no-color", "push", "--force"]) == 1  # --force never overrides data that does not fit
    out, err = capsys.readouterr()
    assert "e.g. id=2" in out and "nothing was changed" in err
    assert project.master() == before


def test_rebuild_keeps_child_rows_with_cascade(project: Project) -> None:
    # a type change on posts forces a rebuild; users (referenced with ON DELETE CASCADE) rebuilt too
    project.schema(V1.replace("title: Column[str] = text().not_null()", "title: Column[str] = text().not_null()\n"
                              "    score: Column[int] = integer().not_null().default(0)")
                   .replace("name: Column[str] = text().not_null()", "name: Column[str | None] = text()"))
    assert main(["--no-color", "push"]) == 0
    assert project.sql("SELECT count(*) FROM posts")[0][0] == 3
    assert project.sql("SELECT id, name FROM users ORDER BY id") == [(1, "ann"), (2, "bob"), (3, "cy")]
    assert project.sql("PRAGMA foreign_key_check") == []
    db = mizzle.connect(str(project.db_path))
    assert plan_push(db, load_schema([str(project.root / "schema_v2.py")])).empty


def test_rename_needs_an_answer_without_terminal(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.schema(V1.replace("    bio: Column[str | None] = text()", "    about: Column[str | None] = text()"))
    capsys.readouterr()
    assert main(["--no-color", "push"]) == 1
    err = capsys.readouterr().err
    assert "users.about" in err and "--rename users.bio=about" in err and "renamed_from" in err
    assert main(["--no-color", "push", "--rename", "users.bio=about"]) == 0
    assert project.sql("SELECT about FROM users ORDER BY id") == [("likes tea",), (None,), ("hi",)]


def test_drop_table_counts_rows_and_strict_needs_terminal(project: Project,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    project.schema(V1.split("class Posts")[0])
    capsys.readouterr()
    assert main(["--no-color", "push", "--explain"]) == 0
    assert "drops table posts: 3 rows" in capsys.readouterr().out
    project.schema(V1 + "\nclass Tags(Table, name='tags'):\n    id: Column[int] = integer().primary_key()\n")
    assert main(["--no-color", "push", "--strict"]) == 1
    assert "no terminal" in capsys.readouterr().err
    assert main(["--no-color", "push", "--strict", "--force"]) == 0
    assert "tags" in {r[1] for r in project.master()}
