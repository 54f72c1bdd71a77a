"""The kit dialects: a name -> its `KitDialect` object (`kit/dialects/<package>/kit.py`), listed here only."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from mizzle.errors import MigrationError

if TYPE_CHECKING:
    from mizzle.kit.dialects.base import KitDialect

_PACKAGES = {"sqlite": "sqlite", "turso": "turso", "postgresql": "postgres", "mysql": "mysql"}
_ALIASES = {"postgres": "postgresql", "pg": "postgresql", "mariadb": "mysql"}
NAMES: tuple[str, ...] = tuple(_PACKAGES)
"""Every kit dialect name (the config's `dialect` values)."""


def kit_dialect(name: str) -> KitDialect:
    """The kit dialect called `name` (or an alias: postgres, mariadb)."""
    key = _ALIASES.get(name, name)
    package = _PACKAGES.get(key)
    if package is None:
        raise MigrationError(f"the migration kit does not support dialect {name!r} (supported: {', '.join(NAMES)})")
    found: KitDialect = importlib.import_module(f"mizzle.kit.dialects.{package}.kit").DIALECT
    return found


def kit_dialect_of(db: Any) -> KitDialect:
    """The kit dialect of a connected database."""
    return kit_dialect(str(getattr(getattr(db, "dialect", None), "name", "sqlite")))


def kit_dialect_for(base: str, requested: str | None = None) -> KitDialect:
    """`requested` when it writes `base`'s snapshots (turso over sqlite), else `base`'s dialect."""
    found = kit_dialect(base)
    if requested:
        wanted = kit_dialect(requested)
        if wanted.snapshot_dialect == found.snapshot_dialect:
            return wanted
    return found


def kit_dialect_of_tables(tables: Iterable[Any], requested: str | None = None) -> KitDialect:
    """The kit dialect of schema tables (`requested` wins when given)."""
    from mizzle.errors import SchemaError

    names = {t.__table__.dialect or "sqlite" for t in tables}
    if len(names) > 1:
        raise SchemaError(f"the schema mixes tables of several dialects: {', '.join(sorted(names))}")
    return kit_dialect(requested or (names.pop() if names else "sqlite"))


__all__ = ["NAMES", "kit_dialect", "kit_dialect_for", "kit_dialect_of", "kit_dialect_of_tables"]
