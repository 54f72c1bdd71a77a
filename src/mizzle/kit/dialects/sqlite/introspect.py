"""Read a live SQLite database into a drizzle v6 snapshot (`mizzle pull`, `mizzle push`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from mizzle.kit.dialects.sqlite.ddlparse import parse_create_index, parse_create_table
from mizzle.kit.dialects.sqlite.snapshot import (
    CheckConstraint,
    Column,
    CompositePK,
    DefaultValue,
    ForeignKey,
    Generated,
    Index,
    SQLiteSnapshot,
    Table,
    UniqueConstraint,
)
from mizzle.sql.chunks import SQL

Execute = Callable[..., list[tuple[Any, ...]]]
"""`db.execute(sql, *args) -> rows` (the session's raw-SQL method)."""

_INT = re.compile(r"^[-+]?\d+$")
_FLOAT = re.compile(r"^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$")
_ALWAYS_EXCLUDED = ("sqlite_%", "_cf_%", "_litestream_%", "libsql_%")


def parse_default(text: str | None) -> DefaultValue | None:
    """PRAGMA table_info's `dflt_value` text -> the snapshot `default` (numbers and booleans as JSON)."""
    if text is None:
        return None
    t = text.strip()
    if _INT.match(t):
        return int(t)
    if _FLOAT.match(t):
        return float(t)
    if t.lower() in ("true", "false"):
        return t.lower() == "true"
    return t


def _pragma(pragma: str, name: str) -> SQL[Any]:
    return SQL("PRAGMA " + pragma + "({})", SQL.identifier(name))


def _like(name: str, pattern: str) -> bool:
    rx = "^" + re.escape(pattern).replace("%", ".*").replace("_", ".") + "$"
    return re.match(rx, name) is not None


def table_names(execute: Execute, migrations_table: str = "__drizzle_migrations") -> list[str]:
    """User tables of the database (no `sqlite_*`, no migrations table), sorted."""
    rows = execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    names: list[str] = []
    for (name,) in rows:
        if name == migrations_table or any(_like(name, p) for p in _ALWAYS_EXCLUDED):
            continue
        names.append(name)
    return names


def introspect_sqlite(
    execute: Execute,
    *,
    include: Callable[[str], bool] | None = None,
    migrations_table: str = "__drizzle_migrations",
) -> SQLiteSnapshot:
    """The snapshot of every user table that `include(name)` keeps."""
    snap = SQLiteSnapshot.empty()
    for name in table_names(execute, migrations_table):
        if include is not None and not include(name):
            continue
        snap.tables[name] = introspect_table(execute, name)
    snap.tables = dict(sorted(snap.tables.items()))
    snap.views = introspect_views(execute, include)
    return snap


def introspect_table(execute: Execute, name: str) -> Table:
    """One table: columns, keys, indexes, foreign keys and checks."""
    (create_sql,) = execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", name)[0]
    ddl = parse_create_table(create_sql or "")
    table = Table(name)
    infos = execute(_pragma("table_xinfo", name))
    pk_cols = sorted((r for r in infos if r[5]), key=lambda r: r[5])
    single_pk = len(pk_cols) == 1
    for cid, col_name, col_type, notnull, dflt, pk, hidden in infos:
        del cid
        if hidden == 1:  # a hidden column of a virtual table
            continue
        extra = ddl.columns.get(col_name)
        generated = None
        if hidden in (2, 3) and extra is not None and extra.generated_as is not None:
            generated = Generated(extra.generated_as, "stored" if hidden == 3 else "virtual")
        is_pk = bool(pk) and single_pk
        table.columns[col_name] = Column(
            name=col_name,
            type=(col_type or "").lower(),
            primary_key=is_pk,
            not_null=bool(notnull) or is_pk,
            autoincrement=is_pk and extra is not None and extra.autoincrement,
            default=parse_default(extra.default_text if extra is not None and extra.default_text else dflt),
            generated=generated,
        )
    if len(pk_cols) > 1:
        cols = [r[1] for r in pk_cols]
        pk_name = f"{name}_{'_'.join(cols)}_pk"
        table.composite_primary_keys[pk_name] = CompositePK(cols, pk_name)
    _indexes(execute, table)
    _foreign_keys(execute, table, ddl.fk_names)
    for i, (check_name, value) in enumerate(ddl.checks, 1):
        cname = check_name or f"{name}_check_{i}"
        table.check_constraints[cname] = CheckConstraint(cname, value)
    return table


def _indexes(execute: Execute, table: Table) -> None:
    name = table.name
    for _seq, idx_name, unique, origin, partial in reversed(execute(_pragma("index_list", name))):
        del partial
        if origin == "pk":
            continue
        info = [r for r in execute(_pragma("index_xinfo", idx_name)) if r[5]]
        if origin == "u":
            cols = [r[2] for r in info]
            uname = f"{name}_{'_'.join(cols)}_unique"
            table.unique_constraints[uname] = UniqueConstraint(uname, cols)
            continue
        rows = execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", idx_name)
        parsed = parse_create_index(rows[0][0] if rows and rows[0][0] else "")
        columns: list[str] = []
        for i, r in enumerate(info):
            if r[2] is not None:
                columns.append(r[2])
            elif i < len(parsed.columns):
                columns.append(parsed.columns[i])
        table.indexes[idx_name] = Index(idx_name, columns, bool(unique), parsed.where)


def _foreign_keys(execute: Execute, table: Table, names: dict[tuple[str, ...], str]) -> None:
    groups: dict[int, list[tuple[Any, ...]]] = {}
    for row in execute(_pragma("foreign_key_list", table.name)):
        groups.setdefault(row[0], []).append(row)
    for fk_id in sorted(groups, reverse=True):  # SQLite lists the last-declared key first
        rows = sorted(groups[fk_id], key=lambda r: r[1])
        table_to = rows[0][2]
        cols_from = [r[3] for r in rows]
        cols_to = [r[4] for r in rows]
        if any(c is None for c in cols_to):  # `REFERENCES t` without columns: the target's primary key
            target_pk = [r[1] for r in sorted(
                (r for r in execute(_pragma("table_info", table_to)) if r[5]), key=lambda r: r[5])]
            cols_to = target_pk or cols_to
        fk_name = names.get(tuple(cols_from)) or (
            f"{table.name}_{'_'.join(cols_from)}_{table_to}_{'_'.join(str(c) for c in cols_to)}_fk"
        )
        table.foreign_keys[fk_name] = ForeignKey(
            fk_name, table.name, table_to, cols_from, [str(c) for c in cols_to],
            on_delete=str(rows[0][6]).lower(), on_update=str(rows[0][5]).lower(),
        )


def table_options(execute: Execute, name: str) -> list[str]:
    """Table options after the column list (`STRICT`, `WITHOUT`, `ROWID`), upper-case."""
    rows = execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", name)
    return parse_create_table(rows[0][0] or "").options if rows else []


__all__ = ["introspect_sqlite", "introspect_table", "parse_default", "table_names", "table_options"]


_VIEW_AS = re.compile(r"\bAS\b\s+(SELECT.+)$", re.IGNORECASE | re.DOTALL)


def introspect_views(execute: Execute, include: Callable[[str], bool] | None = None) -> dict[str, Any]:
    """The views of the database as drizzle-kit's `pull` reads them: the definition is the text after `AS`
    in `sqlite_master.sql`, the columns what `PRAGMA table_xinfo` reports (never NOT NULL)."""
    from mizzle.errors import MigrationError

    out: dict[str, Any] = {}
    for name, sql in execute("SELECT name, sql FROM sqlite_master WHERE type = 'view' ORDER BY name"):
        if include is not None and not include(name):
            continue
        m = _VIEW_AS.search(sql or "")
        if m is None:
            raise MigrationError(f"view {name}: cannot read its definition from {sql!r} (expected CREATE VIEW ... AS SELECT ...)")
        columns: dict[str, Any] = {}
        for row in execute(_pragma("table_xinfo", name)):
            col_name, col_type, notnull = row[1], row[2], row[3]
            columns[col_name] = Column(name=col_name, type=(col_type or "").lower(), not_null=bool(notnull)).to_dict()
        out[name] = {"columns": columns, "isExisting": False, "name": name, "definition": m.group(1)}
    return out
