"""PostgreSQL test fixtures: one throw-away database per session; each test starts with empty schemas."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import mizzle
from _servers import throwaway_database

pytestmark = pytest.mark.postgres

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
if str(EXAMPLES) not in sys.path:
    sys.path.insert(0, str(EXAMPLES))


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of this session's throw-away PostgreSQL database (skips when the server is down)."""
    with throwaway_database("postgres") as url:
        yield url


def reset_database(db: mizzle.Database) -> None:
    """Drop every user schema and recreate an empty `public`."""
    rows = db.execute(
        "select nspname from pg_namespace where nspname not like 'pg\\_%' "
        "and nspname not in ('information_schema')"
    )
    for (name,) in rows:
        db.execute(f'drop schema "{name}" cascade')
    db.execute("create schema public")


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[mizzle.Database]:
    """A connection to an empty database."""
    db = mizzle.connect(pg_url)
    reset_database(db)
    try:
        yield db
    finally:
        db.close()
