"""MySQL/MariaDB test fixtures: one throw-away database per session, emptied after every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import mizzle
from _servers import throwaway_database


@pytest.fixture(scope="session")
def mysql_url() -> Iterator[str]:
    """URL of a `mizzle_test_<random>` database (skips with how to start the server if it is down)."""
    with throwaway_database("mysql") as url:
        yield url


def drop_all_tables(db: mizzle.Database) -> None:
    """Drop every table of the connected database."""
    names = [r[0] for r in db.execute("select table_name from information_schema.tables where table_schema = database()")]
    db.execute("set foreign_key_checks = 0")
    for name in names:
        db.execute(mizzle.sql("drop table {}", mizzle.sql.identifier(name)))
    db.execute("set foreign_key_checks = 1")


@pytest.fixture
def mdb(mysql_url: str) -> Iterator[mizzle.Database]:
    """A connection to the session's database; every table is dropped after the test."""
    db = mizzle.connect(mysql_url)
    try:
        yield db
    finally:
        db.close()
        cleanup = mizzle.connect(mysql_url)  # a fresh one: the test may have killed its connection
        try:
            drop_all_tables(cleanup)
        finally:
            cleanup.close()
