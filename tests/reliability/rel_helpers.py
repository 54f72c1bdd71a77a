"""Shared by the reliability tests: a migrations `Target` on one dialect (see conftest.py's `target` fixture)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import mizzle

DIALECTS = ("sqlite", "libsql", "postgres", "mysql")
_MODULES = {"sqlite": "mizzle.sqlite", "libsql": "mizzle.sqlite", "postgres": "mizzle.postgres", "mysql": "mizzle.mysql"}


@dataclass
class Target:
    """A database to migrate, with what a test needs to address it on its dialect."""

    kind: str
    url: str
    mod: ModuleType
    connect_kw: dict[str, Any]

    def connect(self) -> mizzle.Database:
        return mizzle.connect(self.url, **self.connect_kw)

    @property
    def is_sqlite(self) -> bool:
        return self.kind in ("sqlite", "libsql")

    def tables(self, db: mizzle.Database) -> set[str]:
        """The user tables of the database (tracking tables excluded)."""
        if self.is_sqlite:
            rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        elif self.kind == "postgres":
            rows = db.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
        else:
            rows = db.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = database()")
        return {str(r[0]) for r in rows if "drizzle_migrations" not in str(r[0]) and "mizzle_" not in str(r[0])}

    def columns(self, db: mizzle.Database, table: str) -> list[str]:
        """Column names of `table` in declaration order."""
        if self.is_sqlite:
            return [str(r[1]) for r in db.execute("SELECT * FROM pragma_table_info({})", table)]
        schema = "'public'" if self.kind == "postgres" else "database()"
        return [str(r[0]) for r in db.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = " + schema
            + " AND table_name = {} ORDER BY ordinal_position", table)]


def sqlite_target(kind: str, tmp_path: Path) -> Target:
    kw: dict[str, Any] = {}
    if kind == "libsql":
        pytest.importorskip("libsql", reason="libSQL tests need the libsql package: pip install 'mizzle[libsql]'")
        kw["driver"] = "libsql"
    return Target(kind, str(tmp_path / "app.db"), importlib.import_module(_MODULES[kind]), kw)


def server_target(kind: str, url: str) -> Target:
    return Target(kind, url, importlib.import_module(_MODULES[kind]), {})


def record(kind: str, **fields: Any) -> None:
    """Append one JSON line of figures to $MIZZLE_RELIABILITY_OUT (scripts/reliability.sh builds RELIABILITY.md)."""
    import json
    import os

    path = os.environ.get("MIZZLE_RELIABILITY_OUT")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"kind": kind, **fields}) + "\n")
