"""Shared helpers for the migration-kit tests (schema ports loaded by path, fixture locations)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).parent
FIX = HERE.parent / "fixtures" / "drizzle"
SCHEMAS = HERE / "schemas"
SEEDS = ["seed000", "seed001", "seed002", "seed003"]


def load_module(name: str) -> ModuleType:
    """Import tests/kit/schemas/<name>.py once."""
    key = f"_kit_schema_{name}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, SCHEMAS / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module
        spec.loader.exec_module(module)
    return sys.modules[key]


def strip_ids(snapshot_json: str) -> dict[str, Any]:
    """A snapshot's JSON without its id/prevId."""
    data = json.loads(snapshot_json)
    data.pop("id")
    data.pop("prevId")
    return data


def sqlite_master(db: Any) -> list[dict[str, Any]]:
    """sqlite_master rows as the fixture dumps them."""
    rows = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")
    return [dict(zip(("type", "name", "tbl_name", "sql"), r, strict=True)) for r in rows]


def schema_only(db: Any) -> list[tuple[Any, ...]]:
    """sqlite_master without the tracking table."""
    return [r for r in db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")
            if "__drizzle_migrations" not in r[2]]
