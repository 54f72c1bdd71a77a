"""MySQL/MariaDB kit fixtures: a throw-away `mizzle_kit_<random>` database per test, dropped afterwards."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest

import mizzle
from _servers import MYSQL_URL, admin_connect, with_database


@pytest.fixture
def mysql_kit_url() -> Iterator[str]:
    """URL of a fresh `mizzle_kit_<random>` database (skips with how to start the server if it is down)."""
    admin = admin_connect("mysql")
    name = "mizzle_kit_" + secrets.token_hex(4)
    try:
        admin.execute(f"create database {name}")
        yield with_database(MYSQL_URL, name)
    finally:
        try:
            admin.execute(f"drop database if exists {name}")
        finally:
            admin.close()


@pytest.fixture
def mdb(mysql_kit_url: str) -> Iterator[mizzle.Database]:
    """A connection to the test's throw-away database."""
    db = mizzle.connect(mysql_kit_url)
    try:
        yield db
    finally:
        db.close()
