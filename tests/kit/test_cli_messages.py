"""Issue 18's misleading CLI messages, each as a new user met it: what the message must say now."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from _servers import throwaway_database
from mizzle.cli.main import main

SCHEMA = """
from mizzle.sqlite import Column, Table, integer, text

class Users(Table, name="users"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "schema.py").write_text(textwrap.dedent(SCHEMA), encoding="utf-8")
    (tmp_path / "mizzle.toml").write_text('schema = "schema.py"\nout = "drizzle"\nurl = "sqlite:///app.db"\n')
    return tmp_path


def _err(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    return captured.out + captured.err


def test_migrate_without_config_or_folder_creates_no_database(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["--no-color", "migrate"]) == 1
    out = _err(capsys)
    assert "no config file sets no" not in out
    assert "no journal" in out and "mizzle generate" in out
    assert list(tmp_path.iterdir()) == []                       # no empty local.db left behind


def test_no_config_label(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.py").write_text(textwrap.dedent(SCHEMA))
    main(["--no-color", "pull", "--out", "-"])
    assert "(the default: no config file was found)" in _err(capsys)


def test_corrupt_journal_hint_says_restore_not_generate(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-color", "generate", "--name", "init"]) == 0
    (project / "drizzle" / "meta" / "_journal.json").write_text("{broken")
    capsys.readouterr()
    assert main(["--no-color", "check"]) == 1
    out = _err(capsys)
    assert "not valid JSON" in out and "version control" in out
    assert "to create the folder" not in out


@pytest.mark.parametrize("url", ["postgresql://nobody@127.0.0.1:1/x", "mysql://nobody@127.0.0.1:1/x"])
def test_connection_failure_hint_is_about_the_connection(
        project: Path, url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-color", "generate", "--name", "init"]) == 0
    capsys.readouterr()
    assert main(["--no-color", "migrate", "--url", url]) == 1
    out = _err(capsys)
    assert "cannot open the database" in out and "the path or host, the credentials" in out
    assert "mizzle check" not in out


@pytest.fixture(params=["postgres", "mysql"])
def server_url(request: pytest.FixtureRequest) -> Iterator[str]:
    with throwaway_database(request.param, prefix="mizzle_msg_") as url:
        yield url


def test_a_sqlite_folder_against_a_server_is_a_dialect_mismatch(
        project: Path, server_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-color", "generate", "--name", "init"]) == 0
    capsys.readouterr()
    assert main(["--no-color", "migrate", "--url", server_url]) == 1
    out = _err(capsys)
    assert "holds SQLite migrations" in out and "syntax" not in out.lower()


def test_migrate_after_push_says_push_applied_it(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-color", "push", "--force"]) == 0           # the table exists, no migration recorded
    assert main(["--no-color", "generate", "--name", "init"]) == 0
    capsys.readouterr()
    assert main(["--no-color", "migrate"]) == 1
    out = _err(capsys)
    assert "already exists" in out and "mizzle push" in out


def test_pull_does_not_write_into_the_migrations_folder(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-color", "push", "--force"]) == 0
    (project / "mizzle.toml").write_text('schema = "app/models.py"\nout = "drizzle"\nurl = "sqlite:///app.db"\n')
    assert main(["--no-color", "pull"]) == 0
    assert (project / "app" / "models.py").exists()              # the configured schema file
    assert not (project / "drizzle" / "schema.py").exists()


def test_schema_module_error_names_file_and_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "schema.py").write_text("from mizzle.sqlite import Table\n\nundefined_name + 1\n")
    assert main(["--no-color", "generate"]) == 1
    out = _err(capsys)
    assert f"{project / 'schema.py'}:3" in out and "NameError" in out
    assert "fix the config" not in out


def test_migrate_progress_verbose_prints_each_statement_quiet_otherwise(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-color", "generate", "--name", "init"]) == 0
    capsys.readouterr()
    assert main(["--no-color", "migrate"]) == 0                    # not a terminal, no -v: only the summary
    quiet = capsys.readouterr().out
    assert "applied 1 migration: 0000_init" in quiet and "[1/1]" not in quiet
    assert main(["--no-color", "migrate", "--to", "-1", "--force"]) == 0
    capsys.readouterr()
    assert main(["--no-color", "-v", "migrate"]) == 0
    loud = capsys.readouterr().out
    assert "[1/1] applying 0000_init (1 statement)" in loud
    assert "CREATE TABLE `users`" in loud and "[1/1] applied 0000_init" in loud


def test_migrate_progress_on_a_terminal(project: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    assert main(["--no-color", "generate", "--name", "init"]) == 0
    leader, follower = pty.openpty()
    proc = subprocess.run([sys.executable, "-m", "mizzle", "migrate"], cwd=project, stdout=follower,
                          stderr=subprocess.PIPE, timeout=60, env={**os.environ, "NO_COLOR": "1"})
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(leader)
    assert proc.returncode == 0, proc.stderr
    text = out.decode()
    assert "1 migration to apply" in text and "[1/1] applied 0000_init" in text


def test_migrate_reports_row_counts_of_rebuilt_tables(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-color", "generate", "--name", "init"]) == 0
    assert main(["--no-color", "migrate"]) == 0
    import mizzle

    db = mizzle.connect("sqlite:///app.db")
    db.execute("insert into users (id, name) values (1, 'a'), (2, 'b'), (3, 'c')")
    db.close()
    # a NOT NULL -> nullable change is a table rebuild on SQLite (a new file: the kit caches imported modules)
    (project / "schema_v2.py").write_text(
        textwrap.dedent(SCHEMA).replace("Column[str] = text().not_null()", "Column[str | None] = text()"))
    (project / "mizzle.toml").write_text('schema = "schema_v2.py"\nout = "drizzle"\nurl = "sqlite:///app.db"\n')
    assert main(["--no-color", "generate", "--name", "relax"]) == 0
    capsys.readouterr()
    assert main(["--no-color", "migrate"]) == 0
    out = capsys.readouterr().out
    assert "rebuilt users, 3 rows kept" in out
