"""SQLite: combine statements into table rebuilds and write them as drizzle-kit's exact SQL text.

`combine()` is drizzle-kit's `sqliteCombineStatements` (changes `ALTER TABLE` cannot make become a
`recreate_table`), with two fixes: a recreate keeps an earlier column rename in the same migration
(drizzle-kit drops it and the copy then fails), and the copy lists only columns that exist before
and after (so a column added or dropped in the same migration does not break the `INSERT ... SELECT`;
generated columns are not copied). `to_sql()` renders each statement byte-identically to drizzle-kit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import Any

from mizzle.kit import statements as st
from mizzle.kit.dialects.sqlite.snapshot import Column, ForeignKey, Index, SQLiteSnapshot, Table
from mizzle.sql.identifiers import quote_identifier

BREAKPOINT = "--> statement-breakpoint\n"

_RECREATE_TRIGGERS = (
    st.AlterColumn,
    st.CreateCompositePK,
    st.DeleteCompositePK,
    st.CreateCheck,
    st.DeleteCheck,
    st.CreateUniqueConstraint,
    st.DeleteUniqueConstraint,
    st.DeleteReference,
)


def bt(name: str) -> str:
    """A backtick-quoted name (drizzle-kit's SQLite quoting; a backtick inside is doubled)."""
    return quote_identifier(name, "`")


def dq(name: str) -> str:
    """A double-quoted name (a `"` inside is doubled)."""
    return quote_identifier(name)


_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def bare_name(name: str) -> str:
    """A name where drizzle-kit writes it unquoted: as is if it is a plain word, else quoted."""
    return name if _PLAIN.match(name) else bt(name)


def js_value(value: Any) -> str:
    """A snapshot default printed as JavaScript's `String(value)` does."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        text = repr(value)
        if "e" in text:
            mant, _, exp = text.partition("e")
            sign = "-" if exp.startswith("-") else "+"
            text = f"{mant}e{sign}{exp.lstrip('+-').lstrip('0') or '0'}"
        return text
    return str(value)


def affinity(decl: str) -> str:
    """SQLite's column affinity of a declared type (datatype3.html §3.1)."""
    t = decl.upper()
    if "INT" in t:
        return "integer"
    if any(k in t for k in ("CHAR", "CLOB", "TEXT")):
        return "text"
    if "BLOB" in t or not t.strip():
        return "blob"
    if any(k in t for k in ("REAL", "FLOA", "DOUB")):
        return "real"
    return "numeric"


def column_sql(col: Column, *, autoincrement: bool = True) -> str:
    """One column definition in a CREATE TABLE (`autoincrement=False`: as `ALTER TABLE ... ADD` writes it)."""
    out = f"{bt(col.name)} {col.type}"
    if col.primary_key:
        out += " PRIMARY KEY"
    if col.autoincrement and autoincrement:
        out += " AUTOINCREMENT"
    if col.default is not None:
        out += f" DEFAULT {js_value(col.default)}"
    if col.generated is not None:
        out += f" GENERATED ALWAYS AS {col.generated.as_} {col.generated.type.upper()}"
    if col.not_null:
        out += " NOT NULL"
    return out


def create_table_sql(table: Table, name: str | None = None, *, checks: Sequence[tuple[str, str]] | None = None,
                     uniques: bool = True) -> str:
    """`CREATE TABLE` exactly as drizzle-kit's SQLiteCreateTableConvertor writes it (ends in `");\\n"`)."""
    out = f"CREATE TABLE {bt(name or table.name)} (\n"
    out += ",\n".join("\t" + column_sql(c) for c in table.columns.values())
    for pk in table.composite_primary_keys.values():
        out += ",\n\t" + f"PRIMARY KEY({', '.join(bt(c) for c in pk.columns)})"
    for fk in table.foreign_keys.values():
        out += ",\n\t" + fk_clause(fk)
    if uniques:
        for u in table.unique_constraints.values():
            out += ",\n" + f"\tCONSTRAINT {bare_name(u.name)} UNIQUE({','.join(bt(c) for c in u.columns)})"
    for cname, value in checks if checks is not None else [(c.name, c.value) for c in table.check_constraints.values()]:
        out += ",\n" + f"\tCONSTRAINT {dq(cname)} CHECK({value})"
    return out + "\n);\n"


def fk_clause(fk: ForeignKey) -> str:
    """`FOREIGN KEY (...) REFERENCES t(...) ON UPDATE ... ON DELETE ...`."""
    on_update = f" ON UPDATE {fk.on_update}" if fk.on_update else ""
    on_delete = f" ON DELETE {fk.on_delete}" if fk.on_delete else ""
    cols = ",".join(bt(c) for c in fk.columns_from)
    refs = ",".join(bt(c) for c in fk.columns_to)
    return f"FOREIGN KEY ({cols}) REFERENCES {bt(fk.table_to)}({refs}){on_update}{on_delete}"


def create_index_sql(table: str, ix: Index, internal: dict[str, Any] | None = None) -> str:
    """`CREATE [UNIQUE] INDEX`."""
    indexes: dict[str, Any] = (internal or {}).get("indexes") or {}
    entry: dict[str, Any] = indexes.get(ix.name) or {}
    exprs: dict[str, Any] = entry.get("columns") or {}
    cols = ",".join(c if _is_expr(exprs.get(c)) else bt(c) for c in ix.columns)
    where = f" WHERE {ix.where}" if ix.where else ""
    kind = "UNIQUE INDEX" if ix.is_unique else "INDEX"
    return f"CREATE {kind} {bt(ix.name)} ON {bt(table)} ({cols}){where};"


def _is_expr(info: Any) -> bool:
    if not isinstance(info, dict):
        return False
    d: dict[str, Any] = info  # pyright: ignore[reportUnknownVariableType]
    return bool(d.get("isExpression"))


_NOW = ("CURRENT_TIME", "CURRENT_DATE", "CURRENT_TIMESTAMP")


def add_column_problem(col: Column) -> str | None:
    """Why `ALTER TABLE ... ADD` of `col` fails on a table with rows: NOT NULL without a default, or (SQLite) a
    default that is an expression (`(unixepoch())`, `CURRENT_TIMESTAMP`), which SQLite cannot add to existing rows."""
    problem = st.add_column_problem(col)
    if problem is None and isinstance(col.default, str) and (col.default.startswith("(") or col.default.upper() in _NOW):
        problem = (f"DEFAULT {col.default} is not a constant (SQLite: \"Cannot add a column with non-constant "
                   "default\"); a table rebuild can add it: add the column nullable or with a constant default")
    return problem


def add_column_sql(s: st.AddColumn) -> str:
    """`ALTER TABLE t ADD col ...` (a single-column FK of a new column becomes a bare REFERENCES)."""
    col: Column = s.column
    out = f"ALTER TABLE {bt(s.table)} ADD {column_sql(col, autoincrement=False)}"
    if s.reference is not None:
        out += f" REFERENCES {bare_name(s.reference.table_to)}({','.join(bare_name(c) for c in s.reference.columns_to)})"
    return out + ";"


def recreate_sql(s: st.RecreateTable) -> list[str]:
    """The rebuild sequence: PRAGMA off, CREATE __new_t, INSERT ... SELECT, DROP, RENAME, PRAGMA on."""
    table: Table = s.definition
    name = table.name
    new = f"__new_{name}"
    checks = [
        (c.name, c.value.replace(dq(name) + ".", dq(new) + ".").replace(bt(name) + ".", bt(new) + ".")
         .replace(f"{name}.", f"{new}.").replace(f"'{name}'.", f"'{new}'."))
        for c in table.check_constraints.values()
    ]
    cols = ", ".join(dq(c) for c in s.copy_columns)
    return [
        "PRAGMA foreign_keys=OFF;",
        create_table_sql(table, new, checks=checks, uniques=False),
        f"INSERT INTO {bt(new)}({cols}) SELECT {cols} FROM {bt(name)};",
        f"DROP TABLE {bt(name)};",
        f"ALTER TABLE {bt(new)} RENAME TO {bt(name)};",
        "PRAGMA foreign_keys=ON;",
    ]


def to_sql(s: st.Statement, internal: dict[str, Any] | None = None) -> list[str]:
    """The SQL text of one statement (a recreate gives several)."""
    if isinstance(s, st.CreateTable):
        return [create_table_sql(s.definition)]
    if isinstance(s, st.DropTable):
        return [f"DROP TABLE {bt(s.table)};"]
    if isinstance(s, st.RenameTable):
        return [f"ALTER TABLE {bt(s.from_name)} RENAME TO {bt(s.table)};"]
    if isinstance(s, st.RenameColumn):
        return [f"ALTER TABLE {bt(s.table)} RENAME COLUMN {dq(s.from_name)} TO {dq(s.to_name)};"]
    if isinstance(s, st.AddColumn):
        return [add_column_sql(s)]
    if isinstance(s, st.DropColumn):
        return [f"ALTER TABLE {bt(s.table)} DROP COLUMN {bt(s.column)};"]
    if isinstance(s, st.CreateIndex):
        return [create_index_sql(s.table, s.index, internal)]
    if isinstance(s, st.DropIndex):
        return [f"DROP INDEX {bt(s.index.name)};"]
    if isinstance(s, st.RecreateTable):
        return recreate_sql(s)
    if isinstance(s, st.RawSQL):
        return [s.sql]
    if isinstance(s, st.CreateReference):
        return []  # a new column's FK goes into its ADD; any other becomes a recreate
    raise TypeError(f"SQLite has no direct SQL for a {s.type} statement; it must be combined into a recreate")


def recreate_statements(table: str, cur: SQLiteSnapshot, before: dict[str, Any]) -> list[st.Statement]:
    """The rebuild of `table` to its definition in `cur`, followed by its indexes."""
    t = cur.tables[table]
    old: Table | None = before.get(table)
    old_cols: dict[str, Column] = old.columns if old is not None else {}
    copy_cols = tuple(
        c.name for c in t.columns.values()
        if c.name in old_cols and c.generated is None and old_cols[c.name].generated is None
    )
    dropped = tuple(c for c in old_cols if c not in t.columns)
    out: list[st.Statement] = [st.RecreateTable(table, t, copy_cols, dropped)]
    out += [st.CreateIndex(table, ix) for ix in t.indexes.values()]
    return out


def combine(statements: Sequence[st.Statement], cur: SQLiteSnapshot, before: dict[str, Any]) -> list[st.Statement]:
    """Group statements per table, replacing what ALTER TABLE cannot do by a table rebuild (drizzle-kit's order).

    `before` maps each surviving table's (new) name to its previous definition with renames applied.
    """
    groups: dict[str, list[st.Statement]] = {}

    def trigger(table: str) -> None:
        group = groups.get(table)
        if group is None:
            groups[table] = recreate_statements(table, cur, before)
            return
        if any(isinstance(s, st.RecreateTable) for s in group):
            return
        if any(isinstance(s, st.RenameTable | st.RenameColumn) for s in group):
            group.extend(recreate_statements(table, cur, before))
        else:
            groups[table] = recreate_statements(table, cur, before)

    for s in statements:
        table = s.table
        if isinstance(s, _RECREATE_TRIGGERS) or (isinstance(s, st.AddColumn) and s.column.primary_key):
            trigger(table)
            continue
        if isinstance(s, st.CreateReference):
            group = groups.get(table)
            if (
                group is not None and not s.is_multicolumn
                and any(isinstance(g, st.AddColumn) and g.column.name == s.fk.columns_from[0] for g in group)
            ):
                continue
            trigger(table)
            continue
        group = groups.get(table)
        if group is None:
            groups[table] = [s]
        elif not any(isinstance(g, st.RecreateTable) for g in group):
            group.append(s)

    return renames_first([s for g in groups.values() for s in g])


def renames_first(flat: list[st.Statement]) -> list[st.Statement]:
    """Table renames, then column renames, then the rest (each in its order), as drizzle-kit writes them."""
    return ([s for s in flat if isinstance(s, st.RenameTable)] + [s for s in flat if isinstance(s, st.RenameColumn)]
            + [s for s in flat if not isinstance(s, st.RenameTable | st.RenameColumn)])


def sql_statements(statements: Sequence[st.Statement], internal: dict[str, Any] | None = None,
                   render: Callable[[st.Statement], list[str]] | None = None) -> list[str]:
    """SQL text for combined statements (by `render`, this module's `to_sql` unless given); identical statements
    are kept once (first occurrence), as drizzle-kit does. Every dialect's convertor uses it."""
    out: list[str] = []
    for s in statements:
        for text in render(s) if render is not None else to_sql(s, internal):
            if text not in out:
                out.append(text)
    return out


def join_sql(statements: Sequence[str], breakpoints: bool = True) -> str:
    """The `.sql` file text: statements joined by `--> statement-breakpoint` lines (or newlines)."""
    return (BREAKPOINT if breakpoints else "\n").join(statements)


__all__ = [
    "affinity",
    "BREAKPOINT",
    "add_column_problem",
    "add_column_sql",
    "bare_name",
    "bt",
    "column_sql",
    "combine",
    "create_index_sql",
    "create_table_sql",
    "dq",
    "fk_clause",
    "join_sql",
    "js_value",
    "recreate_sql",
    "recreate_statements",
    "renames_first",
    "sql_statements",
    "to_sql",
]
