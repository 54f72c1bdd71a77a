"""The `mizzle` command line end to end on real temporary projects (schema module + mizzle.toml + SQLite file)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mizzle.cli.main import main

V1 = """
from mizzle.sqlite import Column, Table, index, integer, text

class Users(Table, name="users"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()
    email: Column[str | None] = text().unique()

class Posts(Table, name="posts"):
    id: Column[int] = integer().primary_key()
    user_id: Column[int] = integer().not_null().references(lambda: Users.id, on_delete="cascade")
    title: Column[str] = text().not_null()
    __constraints__ = lambda t: (index("posts_user_idx").on(t.user_id),)  # noqa: E731
"""

V2 = V1.replace('    title: Column[str] = text().not_null()\n',
                '    title: Column[str] = text().not_null()\n    body: Column[str | None] = text()\n')


class Project:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.db = root / "app.db"
        self.n = 0

    def schema(self, source: str) -> None:
        self.n += 1
        name = f"schema_{self.n}.py"
        (self.root / name).write_text(textwrap.dedent(source), encoding="utf-8")
        (self.root / "mizzle.toml").write_text(
            f'schema = "{name}"\nout = "./migrations"\nurl = "sqlite:///app.db"\n', encoding="utf-8")

    def sql(self, text: str) -> list[tuple[object, ...]]:
        con = sqlite3.connect(self.db)
        try:
            rows = con.execute(text).fetchall()
            con.commit()
            return rows
        finally:
            con.close()

    def journal(self) -> dict[str, object]:
        data: dict[str, object] = json.loads((self.root / "migrations" / "meta" / "_journal.json").read_text())
        return data


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.chdir(tmp_path)
    p = Project(tmp_path)
    p.schema(V1)
    return p


def tags(p: Project) -> list[str]:
    entries = p.journal()["entries"]
    assert isinstance(entries, list)
    return [e["tag"] for e in entries]


def test_generate_migrate_check_rollback_drop(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-color", "generate", "--name", "init"]) == 0
    out = capsys.readouterr().out
    assert "migrations/0000_init.sql" in out and "create table" in out
    assert main(["--no-color", "generate"]) == 0
    assert "no schema changes" in capsys.readouterr().out

    assert main(["--no-color", "migrate"]) == 0
    assert "applied 1 migration" in capsys.readouterr().out
    project.sql("INSERT INTO users (id, name) VALUES (1, 'ann')")
    project.sql("INSERT INTO posts (id, user_id, title) VALUES (1, 1, 'hello')")

    project.schema(V2)
    assert main(["--no-color", "generate", "--name", "add_body"]) == 0
    capsys.readouterr()
    assert tags(project) == ["0000_init", "0001_add_body"]
    assert main(["--no-color", "check"]) == 0
    out = capsys.readouterr().out
    assert "2 migrations checked" in out and "up → down → up verified" in out

    # drop refuses nothing here (0001 is not applied yet), then generate again
    assert main(["--no-color", "drop"]) == 0
    assert "dropped migration 0001_add_body" in capsys.readouterr().out
    assert tags(project) == ["0000_init"]
    assert not (project.root / "migrations" / "0001_add_body.sql").exists()
    assert not (project.root / "migrations" / "meta" / "0001_snapshot.json").exists()
    assert main(["--no-color", "generate", "--name", "add_body"]) == 0
    assert main(["--no-color", "migrate"]) == 0
    assert [r[1] for r in project.sql("PRAGMA table_info(posts)")] == ["id", "user_id", "title", "body"]

    # the applied migration cannot be dropped without --force
    capsys.readouterr()
    assert main(["--no-color", "drop"]) == 1
    err = capsys.readouterr().err
    assert "has been applied" in err and "--force" in err and "Traceback" not in err

    # rollback reverts it with its down migration (dropping a column needs --force), keeping the rows
    assert main(["--no-color", "rollback"]) == 1
    assert "drops column posts.body" in capsys.readouterr().err
    assert main(["--no-color", "rollback", "--force"]) == 0
    assert "reverted 1 migration" in capsys.readouterr().out
    assert [r[1] for r in project.sql("PRAGMA table_info(posts)")] == ["id", "user_id", "title"]
    assert project.sql("SELECT id, user_id, title FROM posts") == [(1, 1, "hello")]
    assert main(["--no-color", "drop"]) == 0  # no longer applied
    assert tags(project) == ["0000_init"]


def test_export_prints_schema_sql(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-color", "export"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("CREATE TABLE `posts` (")
    assert "CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);" in out
    assert "--> statement-breakpoint" in out
    con = sqlite3.connect(":memory:")
    for chunk in out.split("--> statement-breakpoint"):
        con.execute(chunk)
    assert {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} == {"users", "posts"}


def test_rename_without_terminal_names_every_way_out(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-color", "generate", "--name", "init"]) == 0
    project.schema(V1.replace("    name: Column[str] = text().not_null()", "    full_name: Column[str] = text().not_null()"))
    capsys.readouterr()
    assert main(["--no-color", "generate"]) == 1
    err = capsys.readouterr().err
    assert "users.full_name" in err and "--rename users.name=full_name" in err
    assert "--answers" in err and "renamed_from" in err and "Traceback" not in err
    answers = project.root / "answers.json"
    answers.write_text(json.dumps({"columns": {"users.full_name": "name"}}))
    assert main(["--no-color", "generate", "--name", "rename", "--answers", str(answers)]) == 0
    sql = (project.root / "migrations" / "0001_rename.sql").read_text()
    assert sql == 'ALTER TABLE `users` RENAME COLUMN "name" TO "full_name";'


def test_check_detects_parallel_branches(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-color", "generate", "--name", "init"]) == 0
    mig = project.root / "migrations"
    base = mig.parent / "base"
    shutil.copytree(mig, base)
    # branch A adds posts.body
    project.schema(V2)
    assert main(["--no-color", "generate", "--name", "a_body"]) == 0
    a_sql = (mig / "0001_a_body.sql").read_text()
    # branch B (from the same parent) adds users.age
    shutil.rmtree(mig)
    shutil.copytree(base, mig)
    project.schema(V1.replace("    email:", "    age: Column[int | None] = integer()\n    email:"))
    assert main(["--no-color", "generate", "--name", "b_age"]) == 0
    # a naive merge: both files, both journal entries
    (mig / "0001_a_body.sql").write_text(a_sql)
    journal = json.loads((mig / "meta" / "_journal.json").read_text())
    extra = dict(journal["entries"][1], tag="0001_a_body", idx=2, when=journal["entries"][1]["when"] + 1)
    journal["entries"].append(extra)
    (mig / "meta" / "_journal.json").write_text(json.dumps(journal, indent=2))
    capsys.readouterr()
    assert main(["--no-color", "check"]) == 1
    captured = capsys.readouterr()
    assert "two branches both added migration 0001: 0001_b_age, 0001_a_body" in captured.err
    assert "they commute" in captured.err
    assert "commute" in captured.out

    # a conflicting pair (both touch posts.body) does not commute
    (mig / "0001_b_age.sql").write_text("ALTER TABLE `posts` ADD `body` integer;")
    assert main(["--no-color", "check"]) == 1
    assert "do NOT commute: both change posts.body" in capsys.readouterr().err


def test_broken_config_and_missing_studio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mizzle.toml").write_text('dialekt = "sqlite"\n')
    assert main(["--no-color", "export"]) == 1
    err = capsys.readouterr().err
    assert "unknown key 'dialekt'; did you mean 'dialect'?" in err and "Traceback" not in err
    (tmp_path / "mizzle.toml").write_text('out = "m"\n')
    monkeypatch.setitem(sys.modules, "mizzle.studio", None)  # as if the studio were not installed
    assert main(["--no-color", "studio"]) == 1
    assert "studio is not installed" in capsys.readouterr().err
    assert main(["--no-color", "nonsense"]) == 2
    assert main([]) == 2


def test_console_script_runs_as_subprocess(project: Project) -> None:
    proc = subprocess.run([sys.executable, "-m", "mizzle.cli.main", "--no-color", "generate", "--name", "init"],
                          cwd=project.root, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert (project.root / "migrations" / "0000_init.sql").is_file()
    proc = subprocess.run([sys.executable, "-m", "mizzle.cli.main", "migrate", "--to", "nope"],
                          cwd=project.root, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "no such migration" in proc.stderr and "Traceback" not in proc.stderr
