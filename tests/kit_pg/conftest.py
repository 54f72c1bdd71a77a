"""Fixtures for the PostgreSQL migration-kit tests: a throw-away `mizzle_kit_<random>` database per test.

Skips (with how to start the server) when PostgreSQL is not reachable; see tests/_servers.py.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import mizzle
from _servers import throwaway_database

pytestmark = pytest.mark.postgres

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import kit_pg_helpers  # noqa: E402,F401  (puts examples/ on sys.path)


@pytest.fixture
def pg_kit_url() -> Iterator[str]:
    """URL of a fresh database `mizzle_kit_<random>`, dropped after the test."""
    with throwaway_database("postgres", prefix="mizzle_kit_") as url:
        yield url


@pytest.fixture
def pg_kit_db(pg_kit_url: str) -> Iterator[mizzle.Database]:
    """A connection to a fresh, empty database."""
    db = mizzle.connect(pg_kit_url)
    try:
        yield db
    finally:
        db.close()
