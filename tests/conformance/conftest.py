"""The `dialect_db` fixture: run one test body on SQLite, PostgreSQL and MySQL/MariaDB.

Usage in `tests/conformance/test_*.py`:

    def test_insert_returning(dialect_db):
        db, s = dialect_db                    # a mizzle Database and the dialect's schema module
        row = db.insert(s.Users).values(name="a", email="a@x").returning().one()
        assert row.id == 1                    # identities restart at 1 for every test
        if not db.dialect.caps.returning: ... # ask capabilities, never compare dialect names

`s` is `schemas/sqlite.py`, `schemas/postgres.py` or `schemas/mysql.py`: the same table classes
(`Users`, `Posts`, `Comments`, `Tags`, `PostTags`, `KeyValues`) with the same column names, in
each dialect's types; `s.TABLES` lists them parents-first. Every test starts with the tables
created and empty:

- sqlite: a fresh database file in `tmp_path`;
- postgres / mysql: one throw-away database per test session (`mizzle_test_<random>`, dropped at
  the end), tables created once, emptied (identities reset) before each test.

Server tests skip with a message saying how to start the server when it is unreachable
(`MIZZLE_PG_URL` / `MIZZLE_MYSQL_URL` override the defaults, see `tests/_servers.py`).
`libsql` runs the sqlite schema on a file through the libsql package (`driver="libsql"`);
`libsql_remote` runs it on a libSQL server over http:// with a JWT (`tests/_sqld.py`: skipped,
saying how to start one, when there is none; the database is emptied before each test).
Select one dialect with `-k sqlite`, `-k libsql` (file and remote), `-k postgres` or `-k mysql`. For tests that need extra
tables, declare them in all three schema modules (same names) and add them to `TABLES`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import mizzle
from _servers import throwaway_database

DIALECTS = ("sqlite", "libsql", "libsql_remote", "postgres", "mysql")


def schema_module(name: str) -> ModuleType:
    """The conformance schema module of a dialect, or skip if it is not written yet."""
    try:
        return importlib.import_module(f"schemas.{name}")
    except ModuleNotFoundError as exc:
        if exc.name in (f"schemas.{name}",):
            pytest.skip(f"tests/conformance/schemas/{name}.py does not exist yet")
        raise


def _reset_sql(kind: str, module: ModuleType) -> list[str]:
    names = [t.__table__.name for t in module.TABLES]
    if kind == "postgres":
        return ["truncate " + ", ".join(f'"{n}"' for n in names) + " restart identity cascade"]
    return ["set foreign_key_checks = 0", *[f"truncate table `{n}`" for n in names], "set foreign_key_checks = 1"]


def _server(kind: str) -> Iterator[tuple[str, ModuleType]]:
    module = schema_module(kind)
    with throwaway_database(kind) as url:
        db = mizzle.connect(url)
        try:
            mizzle.create_all(db, module.TABLES)
        finally:
            db.close()
        yield url, module


@pytest.fixture(scope="session")
def _postgres_conformance() -> Iterator[tuple[str, ModuleType]]:
    yield from _server("postgres")


@pytest.fixture(scope="session")
def _mysql_conformance() -> Iterator[tuple[str, ModuleType]]:
    yield from _server("mysql")


@pytest.fixture(params=DIALECTS)
def dialect_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[mizzle.Database, Any]]:
    """(db, schema module) for sqlite, libsql, postgres and mysql in turn; tables exist and are empty."""
    kind: str = request.param
    if kind == "sqlite":
        module = schema_module("sqlite")
        db = mizzle.connect(str(tmp_path / "conformance.db"))
        mizzle.create_all(db, module.TABLES)
    elif kind == "libsql":  # the SQLite schema through the libsql package (`pip install mizzle[libsql]`)
        pytest.importorskip("libsql", reason="libSQL tests need the libsql package: pip install 'mizzle[libsql]'")
        module = schema_module("sqlite")
        db = mizzle.connect(str(tmp_path / "conformance.db"), driver="libsql")
        mizzle.create_all(db, module.TABLES)
    elif kind == "libsql_remote":  # the SQLite schema on a libSQL server (sqld), emptied first
        module = schema_module("sqlite")
        db = request.getfixturevalue("libsql_server").fresh(module.TABLES)
    else:
        url, module = request.getfixturevalue(f"_{kind}_conformance")
        db = mizzle.connect(url)
        for stmt in _reset_sql(kind, module):
            db.execute(stmt)
    try:
        yield db, module
    finally:
        db.close()
