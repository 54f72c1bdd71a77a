"""Views are not migrated by the kit yet: a schema declaring one is refused (exit 1, naming it), never
migrated without it; `existing=True` views are the application's and are left out of snapshots."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mizzle.cli.main import main
from mizzle.errors import SchemaError
from mizzle.kit.from_schema import snapshot_of

SCHEMA = """
from mizzle import select
from mizzle.sqlite import Column, Table, integer, text

class Users(Table, name="users"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()

class Legacy(Table, name="legacy", existing=True):
    n: Column[int] = integer()
"""

VIEW = """
class Names(Table, name="names", view=select(Users.name).from_(Users)):
    name: Column[str] = text()
"""


def _project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "schema.py").write_text(textwrap.dedent(source), encoding="utf-8")
    (tmp_path / "mizzle.toml").write_text('schema = "schema.py"\nout = "drizzle"\nurl = "sqlite:///app.db"\n')


@pytest.mark.parametrize("command", [["generate"], ["generate", "--custom"], ["push", "--force"], ["export"]])
def test_managed_view_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    _project(tmp_path, monkeypatch, SCHEMA + VIEW)
    assert main(["--no-color", *command]) == 1
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert "views are not supported by the migration kit yet" in out and "names" in out
    assert not (tmp_path / "drizzle").exists() or not list((tmp_path / "drizzle").glob("*.sql"))


def test_existing_view_is_left_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path, monkeypatch, SCHEMA)
    assert main(["--no-color", "generate"]) == 0
    sql = "".join(p.read_text() for p in (tmp_path / "drizzle").glob("*.sql"))
    assert "users" in sql and "legacy" not in sql


def test_snapshot_of_refuses_views() -> None:
    from mizzle import select
    from mizzle.sqlite import Column, Table, integer

    class Things(Table, name="views_refused_things"):
        id: Column[int] = integer().primary_key()

    class ThingIds(Table, name="views_refused_thing_ids", view=select(Things.id).from_(Things)):
        id: Column[int] = integer()

    with pytest.raises(SchemaError, match="views_refused_thing_ids"):
        snapshot_of([Things, ThingIds])
