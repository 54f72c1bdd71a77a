"""Fixtures for the PostgreSQL migration-kit tests: a throw-away `mizzle_kit_<random>` database per test.

Skips (with how to start the server) when PostgreSQL is not reachable; see tests/_servers.py.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import mizzle
from _servers import PG_URL, admin_connect, with_database

pytestmark = pytest.mark.postgres

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "drizzle"
for p in (HERE, ROOT / "examples"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))


@pytest.fixture
def pg_kit_url() -> Iterator[str]:
    """URL of a fresh database `mizzle_kit_<random>`, dropped after the test."""
    admin = admin_connect("postgres")
    name = "mizzle_kit_" + secrets.token_hex(4)
    try:
        admin.execute(f"create database {name}")
        yield with_database(PG_URL, name)
    finally:
        try:
            admin.execute(f"drop database if exists {name} with (force)")
        finally:
            admin.close()


@pytest.fixture
def pg_kit_db(pg_kit_url: str) -> Iterator[mizzle.Database]:
    """A connection to a fresh, empty database."""
    db = mizzle.connect(pg_kit_url)
    try:
        yield db
    finally:
        db.close()


COLUMNS_SQL = """
SELECT table_schema, table_name, column_name, ordinal_position, column_default, is_nullable,
       data_type, character_maximum_length, numeric_precision, udt_name
  FROM information_schema.columns
 WHERE table_schema IN ('public', 'drizzle')
 ORDER BY table_schema, table_name, ordinal_position"""

CONSTRAINTS_SQL = """
SELECT c.conrelid::regclass::text AS table_name, c.conname AS name, c.contype AS type,
       pg_get_constraintdef(c.oid) AS definition
  FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
 WHERE n.nspname IN ('public', 'drizzle')
 ORDER BY 1, 2"""

_COLUMN_KEYS = ("table_schema", "table_name", "column_name", "ordinal_position", "column_default", "is_nullable",
                "data_type", "character_maximum_length", "numeric_precision", "udt_name")


def catalog(db: mizzle.Database) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """(information_schema columns, constraints) as the fixture JSON dumps them."""
    cols = [dict(zip(_COLUMN_KEYS, r, strict=True)) for r in db.execute(COLUMNS_SQL)]
    cons = [dict(zip(("table_name", "name", "type", "definition"), r, strict=True)) for r in db.execute(CONSTRAINTS_SQL)]
    return cols, cons


Connect = Callable[[], mizzle.Database]
