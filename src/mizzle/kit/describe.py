"""One line per migration statement for people: (style, action, target, detail), for every dialect's kinds.

The payloads differ by dialect (a PostgreSQL index holds `IndexColumn`s, SQLite's and MySQL's plain names;
PostgreSQL adds schemas, enums, sequences and identity; MySQL and libSQL have their own column changes), so
every field is read through a helper that accepts each shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mizzle.kit import statements as st

Description = tuple[str, str, str, str]
"""(style, action, target, detail); style is one of create, drop, alter, rename."""


def _names(items: Iterable[Any]) -> str:
    """Column names of an index/key: strings as they are, PostgreSQL `IndexColumn`s by their expression."""
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        else:
            expr = getattr(item, "expression", None)
            out.append(str(expr) if expr is not None else str(item))
    return ", ".join(out)


def _col_summary(col: Any) -> str:
    """`type [primary key] [not null] [default x]` of a snapshot column (any dialect)."""
    parts = [str(getattr(col, "type", "") or "(no type)")]
    if getattr(col, "primary_key", False):
        parts.append("primary key")
    elif getattr(col, "not_null", False):
        parts.append("not null")
    default = getattr(col, "default", None)
    if default is not None:
        parts.append(f"default {default}")
    return " ".join(parts)


def _column_count(definition: Any) -> str:
    columns = getattr(definition, "columns", None)
    return f"{len(columns)} columns" if columns is not None else ""


def _value(v: Any) -> str:
    """An old/new value of a column change (an identity or generated clause by its main field)."""
    if v is None:
        return "none"
    for attr in ("as_", "type"):
        inner = getattr(v, attr, None)
        if isinstance(inner, str) and not isinstance(v, str):
            return inner
    return str(v)


def _generic(s: st.Statement) -> Description:
    return ("drop" if s.type.startswith(("delete", "drop")) else "create"), s.type.replace("_", " "), s.table, ""


def _describe_pg(s: st.Statement) -> Description | None:
    from mizzle.kit.dialects.postgres import statements as pst

    if isinstance(s, pst.CreateEnum):
        return "create", "create enum", s.table, ", ".join(getattr(s.enum, "values", []))
    if isinstance(s, pst.DropEnum):
        return "drop", "drop enum", s.table, ""
    if isinstance(s, pst.AddEnumValue):
        where = f" before {s.before}" if s.before else ""
        return "alter", "add enum value", s.table, f"{s.value}{where}"
    if isinstance(s, pst.RenameEnumValue):
        return "rename", "rename enum value", s.table, f"{s.old} → {s.new}"
    if isinstance(s, pst.RecreateEnum):
        cols = ", ".join(f"{t}.{c}" for _schema, t, c, _type, _default in s.columns)
        detail = f"removes {', '.join(s.removed)}" + (f"; converts {cols}" if cols else "")
        return "alter", "recreate enum", s.table, detail
    if isinstance(s, pst.AlterSequence):
        return "alter", "alter sequence", s.table, ""
    if isinstance(s, pst.AlterIdentity):
        if s.old is None:
            return "alter", "add identity", f"{s.table}.{s.column}", _value(s.new)
        if s.new is None:
            return "alter", "drop identity", f"{s.table}.{s.column}", ""
        return "alter", "alter identity", f"{s.table}.{s.column}", ""
    return None


def _describe_libsql(s: st.Statement) -> Description | None:
    from mizzle.kit.dialects.turso import convert as turso

    if isinstance(s, turso.ModifyColumn):
        name = getattr(s.column, "name", "?")
        return "alter", "alter column", f"{s.table}.{name}", _col_summary(s.column)
    if isinstance(s, turso.AddReference):
        fk = s.fk
        return ("create", "add foreign key", f"{s.table}({_names(getattr(fk, 'columns_from', []))})",
                f"→ {getattr(fk, 'table_to', '?')}")
    return None


def describe_statement(s: st.Statement) -> Description:
    """(style, action, target, detail) for one statement of any dialect: style is create/drop/alter/rename."""
    if isinstance(s, st.CreateTable):
        return "create", "create table", s.table, _column_count(s.definition)
    if isinstance(s, st.CreateView):
        kind = "create materialized view" if s.view.get("materialized") else "create view"
        return "create", kind, s.view.get("name", s.table), str(s.view.get("definition", ""))
    if isinstance(s, st.RenameView):
        return "rename", "rename view", f"{s.old.get('name', s.from_name)} → {s.view.get('name', s.table)}", ""
    if isinstance(s, st.AlterView):
        return "alter", "alter view", s.view.get("name", s.table), str(s.view.get("definition", ""))
    if isinstance(s, st.DropView):
        return "drop", "drop materialized view" if s.view.get("materialized") else "drop view", s.view.get("name", s.table), ""
    if isinstance(s, st.RenameTable):
        return "rename", "rename table", f"{s.from_name} → {s.table}", ""
    if isinstance(s, st.RenameColumn):
        return "rename", "rename column", f"{s.table}.{s.from_name} → {s.to_name}", ""
    if isinstance(s, st.AddColumn):
        return "create", "add column", f"{s.table}.{getattr(s.column, 'name', '?')}", _col_summary(s.column)
    if isinstance(s, st.DropColumn):
        return "drop", "drop column", f"{s.table}.{s.column}", ""
    if isinstance(s, st.AlterColumn):
        what = s.what.replace("_", " ") or "alter column"
        detail = (f"{_value(s.old)} → {_value(s.new)}"
                  if s.what in ("set_type", "set_default", "drop_default", "set_generated", "drop_generated") else "")
        return "alter", what, f"{s.table}.{s.column}", detail
    if isinstance(s, st.CreateIndex):
        kind = "create unique index" if s.index.is_unique else "create index"
        where = getattr(s.index, "where", None)
        return "create", kind, s.index.name, f"on {s.table}({_names(s.index.columns)})" + (
            f" where {where}" if where else "")
    if isinstance(s, st.DropIndex):
        return "drop", "drop index", s.index.name, f"on {s.table}"
    if isinstance(s, st.CreateReference):
        fk = s.fk
        return "create", "add foreign key", f"{s.table}({_names(fk.columns_from)})", f"→ {fk.table_to}"
    if isinstance(s, st.DeleteReference):
        return "drop", "drop foreign key", s.fk.name, f"on {s.table}"
    if isinstance(s, st.CreateCompositePK):
        return "create", "add primary key", f"{s.table}({_names(s.pk.columns)})", ""
    if isinstance(s, st.DeleteCompositePK):
        return "drop", "drop primary key", f"{s.table}({_names(s.pk.columns)})", ""
    if isinstance(s, st.CreateUniqueConstraint):
        return "create", "add unique", s.unique.name, f"on {s.table}({_names(s.unique.columns)})"
    if isinstance(s, st.DeleteUniqueConstraint):
        return "drop", "drop unique", s.unique.name, f"on {s.table}"
    if isinstance(s, st.CreateCheck):
        return "create", "add check", s.check.name, f"on {s.table}: {s.check.value}"
    if isinstance(s, st.DeleteCheck):
        return "drop", "drop check", s.check.name, f"on {s.table}"
    if isinstance(s, st.RecreateTable):
        return "alter", "rebuild table", s.table, f"copies {len(s.copy_columns)} columns; rows and foreign keys kept"
    if isinstance(s, st.RawSQL):
        return "alter", "custom sql", s.table, s.sql.strip().splitlines()[0] if s.sql.strip() else ""
    found = _describe_pg(s) or _describe_libsql(s)
    return found if found is not None else _generic(s)


__all__ = ["Description", "describe_statement"]
