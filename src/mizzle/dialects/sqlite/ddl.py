"""SQLite DDL for a table class: CREATE TABLE and CREATE INDEX, in drizzle-kit's text layout."""

from __future__ import annotations

from typing import Any

from mizzle.dialects.sqlite.dialect import SQLiteDialect
from mizzle.schema.column import MISSING, Column
from mizzle.schema.table import Table
from mizzle.sql.chunks import SQL
from mizzle.sql.render import render


def _bt(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def default_sql(col: Column[Any], dialect: SQLiteDialect) -> str | None:
    """The DEFAULT clause text of a column, or None."""
    value = col.default_value
    if value is MISSING:
        return None
    if isinstance(value, SQL):
        return render(value.inline(), dialect, qualify=False).sql
    if col.encoder is not None and value is not None:
        value = col.encoder(value)
    return dialect.literal(value)


def column_sql(col: Column[Any], dialect: SQLiteDialect, *, inline_pk: bool = True) -> str:
    """One column definition line."""
    parts = [_bt(col.name), col.sql_type]
    if col.primary and inline_pk:
        parts.append("PRIMARY KEY")
        if col.autoincrement:
            parts.append("AUTOINCREMENT")
    default = default_sql(col, dialect)
    if default is not None:
        parts.append("DEFAULT " + default)
    if col.generated is not None:
        expr, mode = col.generated
        parts.append(f"GENERATED ALWAYS AS ({render(expr.inline(), dialect, qualify=False).sql}) {mode.upper()}")
    if col.not_null_:
        parts.append("NOT NULL")
    return " ".join(parts)


def create_table_sql(table: type[Table], dialect: SQLiteDialect | None = None, name: str | None = None) -> str:
    """`CREATE TABLE ...` for `table` (drizzle-kit layout: tab-indented, backticked)."""
    d = dialect or SQLiteDialect.default()
    meta = table.__table__
    lines = [f"\t{column_sql(c, d, inline_pk=len(meta.primary_key) == 1)}" for c in meta.columns.values()]
    if len(meta.primary_key) > 1:
        lines.append(f"\tPRIMARY KEY({', '.join(_bt(c.name) for c in meta.primary_key)})")
    for fk in meta.foreign_keys:
        cols = ", ".join(_bt(c.name) for c in fk.columns)
        fcols = ", ".join(_bt(c.name) for c in fk.foreign_columns)
        ftable = fk.foreign_table.__table__.name
        lines.append(
            f"\tFOREIGN KEY ({cols}) REFERENCES {_bt(ftable)}({fcols}) "
            f"ON UPDATE {fk.on_update or 'no action'} ON DELETE {fk.on_delete or 'no action'}"
        )
    for chk in meta.checks:
        lines.append(f'\tCONSTRAINT "{chk.name}" CHECK({render(chk.expr.inline(), d).sql})')
    opts: list[str] = []
    if meta.options.get("without_rowid"):
        opts.append("WITHOUT ROWID")
    if meta.options.get("strict"):
        opts.append("STRICT")
    tail = (" " + ", ".join(opts)) if opts else ""
    return f"CREATE TABLE {_bt(name or meta.name)} (\n" + ",\n".join(lines) + f"\n){tail};\n"


def create_index_sqls(table: type[Table], dialect: SQLiteDialect | None = None) -> list[str]:
    """`CREATE [UNIQUE] INDEX` statements for the table's indexes and unique constraints."""
    d = dialect or SQLiteDialect.default()
    meta = table.__table__
    out: list[str] = []
    for col in meta.columns.values():
        if col.is_unique:
            name = col.unique_name or f"{meta.name}_{col.name}_unique"
            out.append(f"CREATE UNIQUE INDEX {_bt(name)} ON {_bt(meta.name)} ({_bt(col.name)});")
    for u in meta.uniques:
        name = u.name or f"{meta.name}_{'_'.join(c.name for c in u.columns)}_unique"
        out.append(f"CREATE UNIQUE INDEX {_bt(name)} ON {_bt(meta.name)} ({','.join(_bt(c.name) for c in u.columns)});")
    for ix in meta.indexes:
        cols = ",".join(
            _bt(c.name) if isinstance(c, Column) else render(c.inline(), d, qualify=False).sql for c in ix.columns
        )
        stmt = f"CREATE {'UNIQUE ' if ix.unique else ''}INDEX {_bt(ix.name)} ON {_bt(meta.name)} ({cols})"
        if ix.where_ is not None:
            stmt += " WHERE " + render(ix.where_.inline(), d, qualify=False).sql
        out.append(stmt + ";")
    return out
