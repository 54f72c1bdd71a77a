"""The schema view: tables with columns, keys, indexes, checks, foreign keys and relations; row counts."""

from __future__ import annotations

from typing import Any

from mizzle.errors import DatabaseError
from mizzle.schema.column import Column
from mizzle.schema.table import Table
from mizzle.sql.chunks import SQL
from mizzle.sql.render import render
from mizzle.studio.app import Studio
from mizzle.studio.grid import column_info
from mizzle.studio.related import relation_summary


def _expr_text(studio: Studio, part: Column[Any] | SQL[Any]) -> str:
    if isinstance(part, Column):
        return part.name
    try:
        return render(part, studio.db.dialect).sql
    except Exception:  # an expression that only renders inside a statement
        return "(expression)"


def table_detail(studio: Studio, table: type[Table]) -> dict[str, Any]:
    """Everything the schema view shows about one table."""
    meta = table.__table__
    return {
        "name": meta.name,
        "schema": meta.schema,
        "class": table.__name__,
        "columns": [column_info(c) for c in meta.columns.values()],
        "primary_key": [c.name for c in meta.primary_key],
        "indexes": [{"name": ix.name, "unique": ix.unique, "columns": [_expr_text(studio, p) for p in ix.columns],
                     "where": _expr_text(studio, ix.where_) if ix.where_ is not None else None}
                    for ix in meta.indexes],
        "uniques": [{"name": u.name, "columns": [c.name for c in u.columns]} for u in meta.uniques]
        + [{"name": c.unique_name, "columns": [c.name]} for c in meta.columns.values() if c.is_unique],
        "checks": [{"name": ch.name, "expr": _expr_text(studio, ch.expr)} for ch in meta.checks],
        "foreign_keys": [{"name": fk.name, "columns": [c.name for c in fk.columns],
                          "table": fk.foreign_table.__table__.name,
                          "foreign_columns": [c.name for c in fk.foreign_columns],
                          "on_delete": fk.on_delete, "on_update": fk.on_update} for fk in meta.foreign_keys],
        "relations": relation_summary(table),
    }


def schema(studio: Studio) -> dict[str, Any]:
    """Every table of the schema, described."""
    return {"dialect": studio.dialect, "tables": [table_detail(studio, t) for t in studio.tables]}


def table_list(studio: Studio) -> list[dict[str, Any]]:
    """Tables with row counts (`rows` None with `error` when the table is missing from the database)."""
    out: list[dict[str, Any]] = []
    with studio.lock:
        for t in studio.tables:
            view = t.__table__.view is not None
            item: dict[str, Any] = {"name": t.__table__.name, "columns": len(t.__table__.columns),
                                    "editable": bool(t.__table__.primary_key) and not view and not studio.read_only}
            if view:
                item["view"] = True
            try:
                item["rows"] = studio.db.count(t)
            except DatabaseError as exc:
                item["rows"] = None
                item["error"] = f"not in the database ({exc.message.splitlines()[0]}); run `mizzle migrate` or `mizzle push`"
                if studio.db.in_transaction:
                    raise
            out.append(item)
    return out


__all__ = ["schema", "table_detail", "table_list"]
