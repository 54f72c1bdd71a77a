"""SQLite DDL for `create_all`: the same snapshot -> convertor path the migration kit uses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mizzle.kit.dialects.sqlite.convert import create_index_sql, create_table_sql
from mizzle.kit.from_schema import sqlite_snapshot
from mizzle.schema.table import Table


def _options(table: type[Table]) -> str:
    opts = table.__table__.options
    out: list[str] = []
    if opts.get("without_rowid"):
        out.append("WITHOUT ROWID")
    if opts.get("strict"):
        out.append("STRICT")
    return (" " + ", ".join(out)) if out else ""


def ddl_statements(tables: Iterable[type[Table]], dialect: Any = None, *, if_not_exists: bool = False) -> list[str]:
    """CREATE TABLE (+ table options) and CREATE INDEX statements, tables by name, each followed by its indexes."""
    tables = list(tables)
    by_name = {t.__table__.name: t for t in tables}
    snap = sqlite_snapshot(tables)
    out: list[str] = []
    for name, t in snap.tables.items():
        stmt = create_table_sql(t)
        stmt = stmt[: -len(");\n")] + ")" + _options(by_name[name]) + ";\n"
        if if_not_exists:
            stmt = stmt.replace("CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ", 1)
        out.append(stmt)
        for ix in t.indexes.values():
            text = create_index_sql(name, ix, snap.internal)
            if if_not_exists:
                text = text.replace(" INDEX ", " INDEX IF NOT EXISTS ", 1)
            out.append(text)
    return out


__all__ = ["ddl_statements"]
