"""Read a live MySQL/MariaDB database into a drizzle v5 MySQL snapshot (`mizzle pull`, `mizzle push`).

Types are normalised to how the snapshot writes them (`int(11)` -> `int`, `tinyint(1)` -> `boolean`,
MariaDB's JSON — a `longtext` with a `json_valid()` check — -> `json`), defaults to drizzle-kit's
encoding (`current_timestamp()` -> `(now())`, a JSON/text default in parentheses, numbers as JSON
numbers, decimals quoted), `ON UPDATE current_timestamp()` to `onUpdate`. Every primary key goes into
`compositePrimaryKeys` (as drizzle-kit does); unique keys become `uniqueConstraints`; the index MySQL
creates for a foreign key (named after it) is left out. Checks keep the server's text (MariaDB drops
the table qualifier: `` `views` >= 0 ``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from mizzle.kit.dialects.mysql.snapshot import (
    CheckConstraint,
    Column,
    CompositePK,
    DefaultValue,
    ForeignKey,
    Index,
    MySQLSnapshot,
    Table,
    UniqueConstraint,
)
from mizzle.kit.dialects.sqlite.snapshot import Generated
from mizzle.sql.identifiers import quote_identifier

Execute = Callable[..., list[tuple[Any, ...]]]
"""`db.execute(sql, *args) -> rows` (the session's raw-SQL method)."""

_WIDTH = re.compile(r"^(tinyint|smallint|mediumint|int|bigint|year)\(\d+\)")
_INT = re.compile(r"^[-+]?\d+$")
_FLOAT = re.compile(r"^[-+]?(\d+\.\d*|\.\d+)([eE][-+]?\d+)?$")
_NOW = re.compile(r"^current_timestamp(?:\((\d*)\))?$", re.I)
_PAREN = ("blob", "text", "json", "tinytext", "mediumtext", "longtext", "tinyblob", "mediumblob", "longblob")
ALWAYS_EXCLUDED = ("__mizzle_migration_progress",)


def normalize_type(column_type: str) -> str:
    """`information_schema.columns.column_type` -> the snapshot `type`."""
    t = column_type.strip().lower()
    if t == "tinyint(1)":
        return "boolean"
    t = _WIDTH.sub(r"\1", t)
    return t.replace(" zerofill", "")


def parse_default(text: str | None, sql_type: str, nullable: bool) -> DefaultValue | None:
    """`information_schema.columns.column_default` -> the snapshot `default`."""
    if text is None or (text == "NULL" and nullable):
        return None
    t = text.strip()
    m = _NOW.match(t)
    if m is not None:
        return f"(now({m.group(1)}))" if m.group(1) else "(now())"
    base = sql_type.split("(")[0].split(" ")[0]
    if sql_type == "boolean" and t in ("0", "1"):
        return t == "1"
    if base in _PAREN:
        return f"({t})"
    if base in ("decimal", "numeric") and (_INT.match(t) or _FLOAT.match(t)):
        return f"'{t}'"
    if _INT.match(t):
        return int(t)
    if _FLOAT.match(t):
        return float(t)
    if t.startswith(("'", "(")):
        return t
    return f"({t})"  # an expression default


def table_names(execute: Execute, migrations_table: str = "__drizzle_migrations") -> list[str]:
    """Base tables of the current database (no migrations or progress table), sorted."""
    rows = execute("select table_name from information_schema.tables "
                   "where table_schema = database() and table_type = 'BASE TABLE' order by table_name")
    return [str(r[0]) for r in rows if r[0] != migrations_table and r[0] not in ALWAYS_EXCLUDED]


def introspect_mysql(
    execute: Execute,
    *,
    include: Callable[[str], bool] | None = None,
    migrations_table: str = "__drizzle_migrations",
) -> MySQLSnapshot:
    """The snapshot of every base table that `include(name)` keeps."""
    snap = MySQLSnapshot.empty()
    names = [n for n in table_names(execute, migrations_table) if include is None or include(n)]
    wanted = set(names)
    checks: dict[str, list[tuple[str, str]]] = {}
    for t, name, clause in execute("select table_name, constraint_name, check_clause "
                                   "from information_schema.check_constraints where constraint_schema = database() "
                                   "order by table_name, constraint_name"):
        checks.setdefault(str(t), []).append((str(name), str(clause)))
    for name in names:
        snap.tables[name] = Table(name)
    for (t, col, ctype, nullable, default, extra, gen_expr) in execute(
        "select table_name, column_name, column_type, is_nullable, column_default, extra, generation_expression "
        "from information_schema.columns where table_schema = database() order by table_name, ordinal_position"
    ):
        if t not in wanted:
            continue
        table_checks = checks.get(str(t), [])
        sql_type = normalize_type(str(ctype))
        if sql_type == "longtext" and (str(col), f"json_valid({quote_identifier(str(col), '`')})") in table_checks:
            sql_type = "json"
        extra_l = str(extra or "").lower()
        generated = None
        if "generated" in extra_l and gen_expr:
            generated = Generated(str(gen_expr), "stored" if "stored" in extra_l else "virtual")
        snap.tables[str(t)].columns[str(col)] = Column(
            name=str(col),
            type=sql_type,
            not_null=nullable == "NO",
            autoincrement="auto_increment" in extra_l,
            default=None if generated is not None else parse_default(
                None if default is None else str(default), sql_type, nullable == "YES"),
            on_update="on update current_timestamp" in extra_l,
            generated=generated,
        )
    for t, table in snap.tables.items():
        json_cols = {c.name for c in table.columns.values() if c.type == "json"}
        for cname, clause in checks.get(t, []):
            if cname in json_cols and clause == f"json_valid({quote_identifier(cname, '`')})":
                continue
            table.check_constraints[cname] = CheckConstraint(cname, clause)
    _foreign_keys(execute, snap, wanted)
    _indexes(execute, snap, wanted)
    return snap


def _foreign_keys(execute: Execute, snap: MySQLSnapshot, wanted: set[str]) -> None:
    rules = {(str(t), str(n)): (str(u).lower(), str(d).lower()) for t, n, u, d in execute(
        "select table_name, constraint_name, update_rule, delete_rule from information_schema.referential_constraints "
        "where constraint_schema = database()")}
    for t, name, col, ref_table, ref_col in execute(
        "select table_name, constraint_name, column_name, referenced_table_name, referenced_column_name "
        "from information_schema.key_column_usage where table_schema = database() "
        "and referenced_table_name is not null order by table_name, constraint_name, ordinal_position"
    ):
        if t not in wanted:
            continue
        table = snap.tables[str(t)]
        fk = table.foreign_keys.get(str(name))
        if fk is None:
            on_update, on_delete = rules.get((str(t), str(name)), ("no action", "no action"))
            fk = ForeignKey(str(name), str(t), str(ref_table), [], [], on_delete=on_delete, on_update=on_update)
            table.foreign_keys[str(name)] = fk
        fk.columns_from.append(str(col))
        fk.columns_to.append(str(ref_col))
    for table in snap.tables.values():  # MySQL reports RESTRICT for a key declared without an action
        for fk in table.foreign_keys.values():
            fk.on_delete = "no action" if fk.on_delete == "restrict" else fk.on_delete
            fk.on_update = "no action" if fk.on_update == "restrict" else fk.on_update


def _indexes(execute: Execute, snap: MySQLSnapshot, wanted: set[str]) -> None:
    groups: dict[tuple[str, str], tuple[bool, list[str]]] = {}
    for t, name, non_unique, col, expr in execute(
        "select table_name, index_name, non_unique, column_name, null from information_schema.statistics "
        "where table_schema = database() order by table_name, index_name, seq_in_index"
    ):
        if t not in wanted:
            continue
        entry = groups.setdefault((str(t), str(name)), (not int(non_unique), []))
        entry[1].append(str(col if col is not None else expr))
    for (t, name), (unique, cols) in groups.items():
        table = snap.tables[t]
        if name == "PRIMARY":
            pk_name = f"{t}_{cols[0]}" if len(cols) == 1 else f"{t}_{'_'.join(cols)}_pk"
            table.composite_primary_keys[pk_name] = CompositePK(pk_name, cols)
        elif unique:
            table.unique_constraints[name] = UniqueConstraint(name, cols)
        elif name not in table.foreign_keys:
            table.indexes[name] = Index(name, cols, False)


__all__ = ["ALWAYS_EXCLUDED", "introspect_mysql", "normalize_type", "parse_default", "table_names"]


def introspect_views(execute: Execute, include: Callable[[str], bool] | None = None) -> dict[str, Any]:
    """The views of the current database as drizzle-kit's `pull` reads them: `VIEW_DEFINITION` as the
    definition, `CHECK_OPTION` and `SECURITY_TYPE` lowered, the algorithm from `SHOW CREATE VIEW`."""
    import re

    from mizzle.sql.chunks import SQL

    out: dict[str, Any] = {}
    rows = execute("select table_name, view_definition, check_option, security_type from information_schema.views "
                   "where table_schema = database() order by table_name")
    for name, definition, check, security in rows:
        name = str(name)
        if include is not None and not include(name):
            continue
        columns: dict[str, Any] = {}
        for col, ctype, nullable in execute(SQL(
                "select column_name, column_type, is_nullable from information_schema.columns "
                "where table_schema = database() and table_name = {} order by ordinal_position", name)):
            columns[str(col)] = Column(name=str(col), type=normalize_type(str(ctype)), not_null=nullable == "NO").to_dict()
        create = str(execute(SQL("SHOW CREATE VIEW {}", SQL.identifier(name)))[0][1])
        m = re.search(r"ALGORITHM=([^ ]+)", create)
        entry: dict[str, Any] = {"columns": columns, "name": name, "isExisting": False, "definition": str(definition)}
        if check and str(check).upper() != "NONE":
            entry["withCheckOption"] = str(check).lower()
        entry["algorithm"] = m.group(1).lower() if m else "undefined"
        entry["sqlSecurity"] = str(security).lower()
        out[name] = entry
    return out
