"""Shared helpers for the MySQL kit tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).parent
FIX = HERE.parent / "fixtures" / "drizzle" / "mysql_small"


def load_schema_module(name: str) -> ModuleType:
    """Import tests/kit_mysql/schemas/<name>.py once."""
    key = f"_kit_mysql_schema_{name}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, HERE / "schemas" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module
        spec.loader.exec_module(module)
    return sys.modules[key]


def catalog(db: Any, skip: tuple[str, ...] = ("__drizzle_migrations", "__mizzle_migration_progress")) -> dict[str, Any]:
    """Columns, indexes and foreign keys of the database, from information_schema (for comparisons)."""
    cols = db.execute(
        "select table_name, column_name, column_type, is_nullable, column_default, extra "
        "from information_schema.columns where table_schema = database() order by table_name, ordinal_position")
    idx = db.execute(
        "select table_name, index_name, non_unique, group_concat(column_name order by seq_in_index) "
        "from information_schema.statistics where table_schema = database() "
        "group by table_name, index_name, non_unique order by table_name, index_name")
    fks = db.execute(
        "select table_name, constraint_name, referenced_table_name, update_rule, delete_rule "
        "from information_schema.referential_constraints where constraint_schema = database() "
        "order by table_name, constraint_name")
    checks = db.execute(
        "select table_name, constraint_name, check_clause from information_schema.check_constraints "
        "where constraint_schema = database() order by table_name, constraint_name")
    return {
        "columns": [tuple(r) for r in cols if r[0] not in skip],
        "indexes": [tuple(r) for r in idx if r[0] not in skip],
        "foreign_keys": [tuple(r) for r in fks if r[0] not in skip],
        "checks": [tuple(r) for r in checks if r[0] not in skip],
    }
