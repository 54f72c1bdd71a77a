"""The `fdb` fixture: one test body on SQLite, a libSQL file, PostgreSQL and MariaDB.

Each server gets one throw-away database per test session (`mizzle_fid_<random>`, dropped at the
end); tables a test creates with `fdb.create(...)` are dropped after it. Server tests skip with a
message saying how to start the server (see tests/_servers.py). Select one dialect with `-k`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import mizzle
from _servers import throwaway_database

from .schemas import tables

KINDS = ("sqlite", "libsql", "postgres", "mysql")


@dataclass
class Fdb:
    """A database of one dialect, its `kind`, its schema namespace `s` (tables created)."""

    db: mizzle.Database
    kind: str
    s: SimpleNamespace
    url: str
    created: list[type[Any]] = field(default_factory=list[type[Any]])

    def create(self, *tables: type[Any]) -> None:
        """Create `tables` now; they are dropped after the test."""
        for t in tables:
            self._drop(t)
        mizzle.create_all(self.db, list(tables))
        self.created.extend(tables)

    def _drop(self, t: type[Any]) -> None:
        q = self.db.dialect.quote(t.__table__.name)
        self.db.execute(f"drop table if exists {q}")

    def drop_created(self) -> None:
        for t in reversed(self.created):
            self._drop(t)


@pytest.fixture(scope="session")
def _fid_postgres() -> Iterator[str]:
    with throwaway_database("postgres", "mizzle_fid_") as url:
        yield url


@pytest.fixture(scope="session")
def _fid_mysql() -> Iterator[str]:
    with throwaway_database("mysql", "mizzle_fid_") as url:
        yield url


def open_db(request: pytest.FixtureRequest, kind: str, tmp_path: Path) -> tuple[mizzle.Database, str]:
    """A connection for `kind` (server kinds: to the session's throw-away database)."""
    if kind == "sqlite":
        url = str(tmp_path / "fid.db")
        return mizzle.connect(url), url
    if kind == "libsql":
        pytest.importorskip("libsql", reason="libSQL tests need the libsql package: pip install 'mizzle[libsql]'")
        url = str(tmp_path / "fid.db")
        return mizzle.connect(url, driver="libsql"), url
    url = request.getfixturevalue(f"_fid_{kind}")
    return mizzle.connect(url), url


@pytest.fixture(params=KINDS)
def fdb(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Fdb]:
    """(db, kind, schema) for sqlite, libsql, postgres and mysql in turn; `fid_vals` exists and is empty."""
    kind: str = request.param
    db, url = open_db(request, kind, tmp_path)
    f = Fdb(db, kind, tables(kind), url)
    try:
        f.create(*f.s.TABLES)
        yield f
    finally:
        try:
            f.drop_created()
        finally:
            db.close()
