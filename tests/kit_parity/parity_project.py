"""A mizzle project (schema module, mizzle.toml, migrations folder, database) on one dialect, and its schemas."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

import mizzle
from mizzle.cli.main import main

DIALECTS = ("sqlite", "libsql", "libsql_remote", "postgres", "mysql")
_CONFIG = {"sqlite": "sqlite", "libsql": "turso", "libsql_remote": "turso", "postgres": "postgresql", "mysql": "mysql"}
_HEAD = {
    "sqlite": "from mizzle.sqlite import Column, Table, integer as INT, text\n"
              "ID = lambda: INT().primary_key()\nNAME = lambda: text()\n",
    "postgres": "from mizzle.postgres import Column, Table, integer as INT, serial, text\n"
                "ID = lambda: serial().primary_key()\nNAME = lambda: text()\n",
    "mysql": "from mizzle.mysql import Column, Table, int_ as INT, varchar\n"
             "ID = lambda: INT().primary_key(autoincrement=True)\nNAME = lambda: varchar(length=100)\n",
}
V1 = """
class Tags(Table, name="tags"):
    id: Column[int] = ID()
    name: Column[str] = NAME().not_null()

class Posts(Table, name="posts"):
    id: Column[int] = ID()
    tag_id: Column[int | None] = INT().references(lambda: Tags.id)
    title: Column[str | None] = NAME()
"""
V2 = V1 + """
    body: Column[str | None] = NAME()
"""
RENAMED = """
class Labels(Table, name="labels", renamed_from="tags"):
    id: Column[int] = ID()
    name: Column[str] = NAME().not_null()

class Posts(Table, name="posts"):
    id: Column[int] = ID()
    tag_id: Column[int | None] = INT().references(lambda: Labels.id)
    heading: Column[str | None] = NAME().renamed_from("title")
"""


class Project:
    """A project directory on one dialect; `cli(...)` runs `mizzle` in it and returns (exit code, stdout + stderr)."""

    def __init__(self, kind: str, root: Path, url: str, capsys: pytest.CaptureFixture[str]) -> None:
        self.kind = kind
        self.root = root
        self.url = url
        self.capsys = capsys
        self.n = 0
        self.connect_kw: dict[str, Any] = {"driver": "libsql"} if kind == "libsql" else {}
        if kind == "libsql_remote":  # the kit's driver for a server; the token comes from TURSO_AUTH_TOKEN
            self.connect_kw = {"driver": "libsql-http"}

    @property
    def migrations(self) -> Path:
        return self.root / "migrations"

    def schema(self, body: str) -> None:
        """Write the schema module (a new file each time: no stale import) and point mizzle.toml at it."""
        self.n += 1
        name = f"schema_{self.n}.py"
        head = _HEAD["postgres" if self.kind == "postgres" else "mysql" if self.kind == "mysql" else "sqlite"]
        (self.root / name).write_text(head + textwrap.dedent(body), encoding="utf-8")
        (self.root / "mizzle.toml").write_text(
            f'schema = "{name}"\nout = "./migrations"\ndialect = "{_CONFIG[self.kind]}"\nurl = "{self.url}"\n',
            encoding="utf-8")

    def cli(self, *args: str) -> tuple[int, str]:
        self.capsys.readouterr()
        code = main(["--config", str(self.root / "mizzle.toml"), *args])
        out = self.capsys.readouterr()
        return code, out.out + out.err

    def ok(self, *args: str) -> str:
        code, text = self.cli(*args)
        assert code == 0, text
        return text

    def connect(self) -> mizzle.Database:
        return mizzle.connect(self.url, **self.connect_kw)

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        db = self.connect()
        try:
            rows: list[tuple[Any, ...]] = db.execute(sql)
            return rows
        finally:
            db.close()

    def tables(self) -> set[str]:
        if self.kind in ("sqlite", "libsql", "libsql_remote"):
            q = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        elif self.kind == "postgres":
            q = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        else:
            q = "SELECT table_name FROM information_schema.tables WHERE table_schema = database()"
        return {str(r[0]) for r in self.rows(q) if "migration" not in str(r[0])}

    def columns(self, table: str) -> list[str]:
        if self.kind in ("sqlite", "libsql", "libsql_remote"):
            return [str(r[1]) for r in self.rows(f"SELECT * FROM pragma_table_info('{table}')")]
        schema = "'public'" if self.kind == "postgres" else "database()"
        return [str(r[0]) for r in self.rows(
            f"SELECT column_name FROM information_schema.columns WHERE table_schema = {schema} "
            f"AND table_name = '{table}' ORDER BY ordinal_position")]
