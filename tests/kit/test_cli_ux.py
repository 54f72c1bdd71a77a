"""CLI output a new user reported: which database a command uses, a coherent `migrate --to` summary, hints
that fit the error, a quiet broken pipe, and tables of another dialect than the config's."""

from __future__ import annotations

import argparse
import io
import json
import textwrap
from pathlib import Path

import pytest

from mizzle.cli.context import Context
from mizzle.cli.main import main
from mizzle.cli.output import Console

SCHEMA = """
from mizzle.sqlite import Column, Table, integer, text

class Users(Table, name="users"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()
"""

SCHEMA_V2 = SCHEMA + "    bio: Column[str | None] = text()\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "schema.py").write_text(textwrap.dedent(SCHEMA), encoding="utf-8")
    (tmp_path / "mizzle.toml").write_text('schema = "schema.py"\nout = "./migrations"\nurl = "sqlite:///app.db"\n',
                                          encoding="utf-8")
    return tmp_path


def _two_migrations(project: Path) -> None:
    assert main(["--no-color", "generate", "--name", "init"]) == 0
    (project / "schema_v2.py").write_text(textwrap.dedent(SCHEMA_V2), encoding="utf-8")
    (project / "mizzle.toml").write_text('schema = "schema_v2.py"\nout = "./migrations"\nurl = "sqlite:///app.db"\n',
                                         encoding="utf-8")
    assert main(["--no-color", "generate", "--name", "bio"]) == 0
    assert (project / "migrations" / "0001_bio.sql").exists()


def test_commands_say_which_database(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _two_migrations(project)
    capsys.readouterr()
    assert main(["--no-color", "migrate"]) == 0
    assert "database: sqlite:///app.db\n" in capsys.readouterr().out
    (project / "mizzle.toml").write_text('schema = "schema_v2.py"\nout = "./migrations"\n', encoding="utf-8")
    assert main(["--no-color", "migrate"]) == 0
    out = capsys.readouterr().out
    assert "database: sqlite:///local.db (the default: mizzle.toml sets no `url`)" in out
    assert main(["--no-color", "pull", "--out", "-"]) == 0
    captured = capsys.readouterr()
    assert "database: sqlite:///local.db" in captured.err and "database:" not in captured.out  # stdout is the module


def test_database_label_redacts_passwords(project: Path) -> None:
    ctx = Context(args=argparse.Namespace(config=None, url="postgresql://app:s3cret@db.example:5432/shop",
                                          out=None, dialect=None, verbose=False),
                  console=Console(color=False), cwd=project)
    label = ctx.database_label()
    assert "s3cret" not in label and "db.example:5432/shop" in label


def test_migrate_to_summary_is_coherent(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _two_migrations(project)
    capsys.readouterr()
    assert main(["--no-color", "migrate", "--to", "0"]) == 0
    out = capsys.readouterr().out
    assert "applied 1 migration: 0000_init" in out and "database is at 0000_init" in out
    assert "1 later migration not applied" in out
    assert main(["--no-color", "migrate", "--to", "0"]) == 0
    out = capsys.readouterr().out
    assert "no pending migrations" not in out
    assert "database is already at 0000_init (1 migration applied); 1 later migration not applied" in out
    assert main(["--no-color", "migrate"]) == 0
    assert "database is up to date" in capsys.readouterr().out


def test_refused_revert_hint_is_about_force(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _two_migrations(project)
    assert main(["--no-color", "migrate"]) == 0
    capsys.readouterr()
    assert main(["--no-color", "migrate", "--to", "0"]) == 1
    err = capsys.readouterr().err
    assert "refusing to revert" in err and "pass --force" in err
    assert "a failing migration" not in err


def test_corrupt_snapshot_hint_fits_the_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _two_migrations(project)
    snap = project / "migrations" / "meta" / "0001_snapshot.json"
    snap.write_text(json.dumps({"version": "6", "dialect": "sqlite", "tables": 3}), encoding="utf-8")
    capsys.readouterr()
    assert main(["--no-color", "generate"]) == 1
    err = capsys.readouterr().err
    assert "0001_snapshot.json" in err and "restore" in err and "from version control" in err
    assert "fix the schema" not in err and "--rename" not in err
    (project / "migrations" / "meta" / "_journal.json").write_text("{", encoding="utf-8")
    assert main(["--no-color", "migrate"]) == 1
    err = capsys.readouterr().err
    assert "_journal.json: not valid JSON" in err and "restore" in err and "a failing migration" not in err


class _ClosedPipe(io.StringIO):
    def write(self, s: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_broken_pipe_is_quiet(project: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdout", _ClosedPipe())
    assert main(["--no-color", "export"]) == 141
    monkeypatch.undo()
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "BrokenPipe" not in captured.err


def test_tables_of_another_dialect_are_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "mizzle.toml").write_text('schema = "schema.py"\nout = "./migrations"\ndialect = "postgresql"\n',
                                         encoding="utf-8")
    assert main(["--no-color", "generate", "--name", "init"]) == 1
    err = capsys.readouterr().err
    assert "key 'dialect' is 'postgresql'" in err and "users are sqlite tables (declared with mizzle.sqlite)" in err
    assert 'set dialect = "sqlite"' in err and "mizzle.postgres" in err
    assert not (project / "migrations").exists()
    assert main(["--no-color", "export"]) == 1
    (project / "mizzle.toml").write_text('schema = "schema.py"\nout = "./migrations"\ndialect = "turso"\n',
                                         encoding="utf-8")
    assert main(["--no-color", "export"]) == 0  # turso uses SQLite tables
