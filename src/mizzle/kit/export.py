"""`export`: the SQL that creates a schema from nothing (what an initial migration would hold)."""

from __future__ import annotations

from collections.abc import Sequence

from mizzle.kit.snapshot import snapshot_class
from mizzle.schema.table import Table


def export_statements(tables: Sequence[type[Table]], dialect: str | None = None) -> list[str]:
    """The CREATE statements for `tables`, in drizzle-kit's order."""
    from mizzle.kit.api import current_snapshot, plan

    cur = current_snapshot(tables, dialect)
    return plan(snapshot_class(cur.dialect).empty(), cur, dialect=dialect).sql


def export_sql(tables: Sequence[type[Table]], dialect: str | None = None, *, breakpoints: bool = True) -> str:
    """The whole schema as one SQL text (statements separated like a migration file)."""
    from mizzle.kit.dialects.sqlite.convert import join_sql

    return join_sql(export_statements(tables, dialect), breakpoints)


__all__ = ["export_sql", "export_statements"]
