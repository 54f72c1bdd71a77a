"""Shared helpers of the PostgreSQL migration-kit tests (paths, catalog dumps as the drizzle fixtures have them)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import mizzle

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "drizzle"
for p in (HERE, ROOT / "examples"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))


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
