"""Fixtures: the relational suite on SQLite (stdlib and libsql), PostgreSQL and MySQL/MariaDB.

A test asks for `s` (the dialect's schema module, `schemas/sqlite.py`, `schemas/postgres.py` or
`schemas/mysql.py`: the same table classes with the same column names in each dialect's types)
and `make_db(tables, schema=None)`, which opens a database whose driver reports every statement
to `recorder`, with exactly `tables` created and empty:

- sqlite / libsql: a fresh file in `tmp_path`;
- libsql_remote: a libSQL server over http:// with a JWT (`tests/_sqld.py`), emptied on each make();
- postgres / mysql: one throw-away database per test session (`mizzle_test_<random>`, dropped at
  the end); the tables are created on first use and emptied before each later test.

Server tests skip with a message saying how to start the server when it is unreachable
(`MIZZLE_PG_URL` / `MIZZLE_MYSQL_URL` override the defaults, see `tests/_servers.py`). Select one
dialect with `-k sqlite`, `-k libsql` (file and remote), `-k postgres` or `-k mysql`.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import mizzle
from _servers import throwaway_database
from _sqld import LibSQLServer, reset
from mizzle.session.sync import Database

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
if str(EXAMPLES) not in sys.path:
    sys.path.insert(0, str(EXAMPLES))

DIALECTS = ("sqlite", "libsql", "libsql_remote", "postgres", "mysql")


class Recorder:
    """Collects the SQL of every statement (the `logger=` hook of `mizzle.connect`)."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, sql: str, params: Sequence[Any]) -> None:
        self.statements.append(sql)

    def clear(self) -> None:
        """Forget what was recorded so far."""
        self.statements.clear()

    @property
    def selects(self) -> list[str]:
        """The recorded statements that read (select ...)."""
        return [s for s in self.statements if s.lstrip().lower().startswith("select")]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


class ServerDatabase:
    """A throw-away server database; remembers which tables exist so a test only empties them."""

    def __init__(self, kind: str, url: str) -> None:
        self.kind = kind
        self.url = url
        self.created: tuple[str, ...] = ()

    def prepare(self, db: Database, tables: Sequence[type[Any]]) -> None:
        """Make exactly `tables` exist, empty."""
        names = tuple(t.__table__.name for t in tables)
        if names == self.created:
            self._empty(db, names)
            return
        self._drop_all(db)
        self.created = ()
        mizzle.create_all(db, list(tables))
        self.created = names

    def _empty(self, db: Database, names: tuple[str, ...]) -> None:
        if self.kind == "postgres":
            db.execute("truncate " + ", ".join(f'"{n}"' for n in names) + " restart identity cascade")
            return
        db.execute("set foreign_key_checks = 0")
        for n in names:
            db.execute(f"truncate table `{n}`")
        db.execute("set foreign_key_checks = 1")

    def _drop_all(self, db: Database) -> None:
        if self.kind == "postgres":
            rows = db.execute("select tablename from pg_tables where schemaname = 'public'")
            for (name,) in rows:
                db.execute(f'drop table if exists "{name}" cascade')
            for (name,) in db.execute("select typname from pg_type where typtype = 'e' "
                                      "and typnamespace = 'public'::regnamespace"):
                db.execute(f'drop type if exists "{name}" cascade')
            return
        rows = db.execute("select table_name from information_schema.tables where table_schema = database()")
        db.execute("set foreign_key_checks = 0")
        for (name,) in rows:
            db.execute(f"drop table if exists `{name}`")
        db.execute("set foreign_key_checks = 1")


@pytest.fixture(scope="session")
def _postgres_relations() -> Iterator[ServerDatabase]:
    with throwaway_database("postgres") as url:
        yield ServerDatabase("postgres", url)


@pytest.fixture(scope="session")
def _mysql_relations() -> Iterator[ServerDatabase]:
    with throwaway_database("mysql") as url:
        yield ServerDatabase("mysql", url)


@pytest.fixture(params=DIALECTS)
def dialect_name(request: pytest.FixtureRequest) -> str:
    """sqlite, libsql, postgres and mysql in turn."""
    name: str = request.param
    if name.startswith("libsql"):
        pytest.importorskip("libsql", reason="libSQL tests need the libsql package: pip install 'mizzle[libsql]'")
    return name


@pytest.fixture
def s(dialect_name: str) -> ModuleType:
    """The schema module of the dialect under test (libsql runs the SQLite one)."""
    kind = "sqlite" if dialect_name.startswith("libsql") else dialect_name
    return importlib.import_module(f"{__package__}.schemas.{kind}")


@pytest.fixture
def make_db(
    request: pytest.FixtureRequest, dialect_name: str, tmp_path: Path, recorder: Recorder
) -> Iterator[Callable[..., Database]]:
    """`make(tables, schema=None)`: a database of the dialect under test with `tables` created and empty."""
    opened: list[Database] = []
    server: ServerDatabase | None = None
    remote: LibSQLServer | None = None
    if dialect_name in ("postgres", "mysql"):
        server = request.getfixturevalue(f"_{dialect_name}_relations")
    elif dialect_name == "libsql_remote":
        remote = request.getfixturevalue("libsql_server")

    def make(tables: Sequence[type[Any]], schema: Any = None) -> Database:
        if remote is not None:
            db = mizzle.connect(remote.url, auth_token=remote.token, logger=recorder, schema=schema)
            opened.append(db)
            reset(db)
            mizzle.create_all(db, list(tables))
        elif server is None:
            db = mizzle.connect(str(tmp_path / f"rel{len(opened)}.db"), driver=dialect_name, logger=recorder,
                                schema=schema)
            opened.append(db)
            mizzle.create_all(db, list(tables))
        else:
            db = mizzle.connect(server.url, logger=recorder, schema=schema)
            opened.append(db)
            server.prepare(db, tables)
        recorder.clear()
        return db

    yield make
    for db in opened:
        db.close()
