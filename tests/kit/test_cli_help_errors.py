"""`mizzle --help` and every command's help read well; expected errors exit 1 with a message and a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from mizzle.cli.main import COMMANDS, main

SCHEMA = """
from mizzle.sqlite import Column, Table, integer, text

class Things(Table, name="things"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()
"""


def test_top_level_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in COMMANDS:
        assert f"    {name}" in out
    assert "typical workflow:" in out and "mizzle pull --init" in out
    assert 'dialect = "sqlite"' in out and "turso" in out and "exit status:" in out


@pytest.mark.parametrize("command", [c for c in COMMANDS if c != "studio"])
def test_every_command_has_a_description(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    usage, _, rest = out.partition("\n\n")
    assert usage.startswith(f"usage: mizzle {command}")
    description = rest.split("\n\n")[0]
    assert not description.startswith("options:") and len(description) > 60, description


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "schema_errs.py").write_text(SCHEMA)
    (tmp_path / "mizzle.toml").write_text('schema = "schema_errs.py"\nurl = "sqlite:///app.db"\n')
    return tmp_path


def _fails(argv: list[str], capsys: pytest.CaptureFixture[str], *needles: str) -> None:
    assert main(["--no-color", *argv]) == 1, argv
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert lines[0].startswith("error: ") and "Traceback" not in err, err
    assert any(line.startswith("  ") for line in lines[1:]), f"no hint in {err!r}"
    for needle in needles:
        assert needle in err, (needle, err)


def test_expected_errors_exit_1_with_message_and_hint(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _fails(["migrate"], capsys, "no journal", "mizzle generate")
    _fails(["rollback"], capsys, "no journal")
    assert main(["--no-color", "generate", "--name", "init"]) == 0
    capsys.readouterr()  # the folder is read before the database is opened: a bad url fails with a folder present
    _fails(["migrate", "--url", f"sqlite:///{project / 'missing' / 'x.db'}"], capsys,
           "cannot open the database", "check the config's `url`")
    assert main(["--no-color", "migrate"]) == 0
    capsys.readouterr()
    _fails(["drop"], capsys, "has been applied", "--force")
    _fails(["migrate", "--to", "5"], capsys, "expected an index between -1 and 0")
    _fails(["migrate", "--to", "-1"], capsys, "refusing to revert", "--force")
    _fails(["seed", "--count", "-1"], capsys, "expected 0 or more")
    _fails(["pull", "--init", "--out", "-"], capsys, "--init needs a module file")
    _fails(["pull", "--init"], capsys, "already has 1 migration(s)")
    (project / "mizzle.toml").write_text('schema = "schema_errs.py"\ndialect = "oracle"\n')
    _fails(["generate"], capsys, "key 'dialect' must be one of", "--config")
    (project / "mizzle.toml").write_text('out = "./drizzle"\n')
    _fails(["export"], capsys, "no schema configured")
    (project / "mizzle.toml").write_text('schema = "nothing_here.py"\n')
    _fails(["seed"], capsys, "matches no Python file")


def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2
    assert "invalid choice" in capsys.readouterr().err
    assert main(["seed", "--count", "many"]) == 2
