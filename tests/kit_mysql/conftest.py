"""MySQL/MariaDB kit fixtures: a throw-away `mizzle_kit_<random>` database per test, dropped afterwards."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import mizzle
from _servers import throwaway_database


@pytest.fixture
def mysql_kit_url() -> Iterator[str]:
    """URL of a fresh `mizzle_kit_<random>` database (skips with how to start the server if it is down)."""
    with throwaway_database("mysql", prefix="mizzle_kit_") as url:
        yield url


@pytest.fixture
def mdb(mysql_kit_url: str) -> Iterator[mizzle.Database]:
    """A connection to the test's throw-away database."""
    db = mizzle.connect(mysql_kit_url)
    try:
        yield db
    finally:
        db.close()
