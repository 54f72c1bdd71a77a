"""`create_all(db, tables)`: create tables and indexes directly (tests and scripts; use migrations in apps)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mizzle.schema.table import Table, check_unique_names
from mizzle.schema.view import create_view_sql, drop_view_sql, split_views, view_info


def create_all(db: Any, tables: Iterable[type[Table]], *, if_not_exists: bool = True) -> None:
    """Create every table (and its indexes) that does not exist yet, then the views, in one transaction."""
    statements = create_all_statements(db, tables, if_not_exists=if_not_exists)
    with db.transaction():
        for stmt in statements:
            db.execute(stmt)


def create_all_statements(db: Any, tables: Iterable[type[Table]], *, if_not_exists: bool = True) -> list[str]:
    """What `create_all` runs (sync and async): the tables' DDL, then each view's (re)creation."""
    tables = list(tables)
    check_unique_names(tables)
    tables, views = split_views(tables)
    statements = db.dialect_ddl(tables, if_not_exists=if_not_exists) if hasattr(db, "dialect_ddl") else None
    if statements is None:
        statements = ddl_statements(db.dialect, tables, if_not_exists=if_not_exists)
    for v in views:
        if view_info(v).existing:  # type: ignore[union-attr]  # pyright: ignore[reportOptionalMemberAccess]
            continue
        if if_not_exists:  # a view holds no rows: replacing it is creating it if it does not exist
            statements.append(drop_view_sql(v, db.dialect, if_exists=True))
        statements.append(create_view_sql(v, db.dialect))
    return statements


_DDL_MODULES = {"sqlite": "mizzle.kit.dialects.sqlite.ddl"}
"""Dialects whose DDL comes from the migration kit's convertor (the same text `mizzle generate` writes)."""


def ddl_statements(dialect: Any, tables: Iterable[type[Table]], *, if_not_exists: bool = False) -> list[str]:
    """The CREATE statements for `tables` in `dialect`."""
    module_name = (
        getattr(dialect, "ddl_module", None) or _DDL_MODULES.get(dialect.name) or f"mizzle.dialects.{dialect.name}.ddl"
    )
    module = __import__(module_name, fromlist=["create_table_sql"])
    if hasattr(module, "ddl_statements"):  # a dialect that orders its DDL itself (types, FKs after tables)
        return list(module.ddl_statements(tables, dialect, if_not_exists=if_not_exists))
    tables = list(tables)
    out: list[str] = []
    for t in tables:
        stmt: str = module.create_table_sql(t, dialect)
        if if_not_exists:
            stmt = stmt.replace("CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ", 1)
        out.append(stmt)
        for ix in module.create_index_sqls(t, dialect):
            if if_not_exists:
                ix = ix.replace("INDEX ", "INDEX IF NOT EXISTS ", 1)
            out.append(ix)
    return out
