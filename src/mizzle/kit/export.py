"""`export`: the SQL that creates a schema from nothing (what an initial migration would hold)."""

from __future__ import annotations

from collections.abc import Sequence

from mizzle.kit.dialects import kit_dialect_of_tables
from mizzle.kit.diff import diff
from mizzle.schema.table import Table


def export_statements(tables: Sequence[type[Table]], dialect: str | None = None) -> list[str]:
    """The CREATE statements for `tables`, in drizzle-kit's order."""
    kit = kit_dialect_of_tables(tables, dialect)
    cur = kit.schema_snapshot(tables)
    return kit.plan_sql(diff(kit.snapshot_class().empty(), cur), cur, None)[1]


def export_sql(tables: Sequence[type[Table]], dialect: str | None = None, *, breakpoints: bool = True) -> str:
    """The whole schema as one SQL text (statements separated like a migration file)."""
    return kit_dialect_of_tables(tables, dialect).join_sql(export_statements(tables, dialect), breakpoints)


__all__ = ["export_sql", "export_statements"]
