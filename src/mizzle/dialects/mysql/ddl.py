"""MySQL DDL for a table class, in drizzle-kit's MySQL text layout.

`CREATE TABLE` holds columns, the primary key, unique and check constraints; indexes are separate
`CREATE INDEX` statements and foreign keys are `ALTER TABLE ... ADD CONSTRAINT` statements run after
every table exists (MySQL checks a foreign key's target when the key is created).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mizzle.dialects.mysql.dialect import MySQLDialect
from mizzle.schema.column import MISSING, Column
from mizzle.schema.table import ResolvedForeignKey, Table
from mizzle.sql.chunks import SQL
from mizzle.sql.identifiers import quote_identifier
from mizzle.sql.render import render

_PAREN_DEFAULT = ("text", "tinytext", "mediumtext", "longtext", "blob", "tinyblob", "mediumblob", "longblob",
                  "json")


def bt(name: str) -> str:
    """A backtick-quoted identifier."""
    return quote_identifier(name, "`")


_TEXT = MySQLDialect(paramstyle="qmark")  # renders DDL text with no `%` escaping


def expr_sql(fragment: SQL[Any], dialect: MySQLDialect) -> str:
    """A fragment with its values written inline (for defaults, checks, generated columns)."""
    return render(fragment.inline(), _TEXT, qualify=False).sql


def default_sql(col: Column[Any], dialect: MySQLDialect) -> str | None:
    """The DEFAULT clause text of a column, or None."""
    value: Any = col.default_value
    if value is MISSING:
        return None
    if isinstance(value, SQL):
        frag: SQL[Any] = value  # pyright: ignore[reportUnknownVariableType]
        return expr_sql(frag, dialect)
    if isinstance(value, bool):
        return "true" if value else "false"
    if col.encoder is not None and value is not None:
        value = col.encoder(value)
    # strings as drizzle-kit writes them (backslashes doubled); inlined query values use hex instead
    text = "'" + value.replace("\\", "\\\\").replace("'", "''") + "'" if isinstance(value, str) else dialect.literal(value)
    if col.sql_type in _PAREN_DEFAULT and value is not None:
        return f"({text})"
    return text


def column_sql(col: Column[Any], dialect: MySQLDialect) -> str:
    """One column definition: name, type, AUTO_INCREMENT, GENERATED, NOT NULL, DEFAULT, ON UPDATE."""
    parts = [bt(col.name), col.sql_type]
    if col.autoincrement and col.sql_type != "serial":  # SERIAL already implies AUTO_INCREMENT (MariaDB rejects both)
        parts.append("AUTO_INCREMENT")
    if col.generated is not None:
        expr, mode = col.generated
        parts.append(f"GENERATED ALWAYS AS ({expr_sql(expr, dialect)}) {mode.upper()}")
    if col.not_null_:
        parts.append("NOT NULL")
    default = default_sql(col, dialect)
    if default is not None:
        parts.append("DEFAULT " + default)
    if col.extra.get("on_update_now"):
        fsp = col.extra.get("fsp")
        parts.append(f"ON UPDATE CURRENT_TIMESTAMP({fsp})" if fsp else "ON UPDATE CURRENT_TIMESTAMP")
    return " ".join(parts)


def pk_name(table: str, columns: Iterable[Column[Any]]) -> str:
    """drizzle-kit's primary key name: `<table>_<col>_<col>`."""
    return f"{table}_{'_'.join(c.name for c in columns)}"


def unique_name(table: str, columns: Iterable[Column[Any]]) -> str:
    """drizzle-kit's unique constraint name: `<table>_<col>_<col>_unique`."""
    return f"{table}_{'_'.join(c.name for c in columns)}_unique"


def create_table_sql(table: type[Table], dialect: MySQLDialect | None = None, name: str | None = None) -> str:
    """`CREATE TABLE ...` (tab-indented, backticked, constraints named as drizzle-kit names them)."""
    d = dialect or MySQLDialect.default()
    meta = table.__table__
    tname = name or meta.name
    lines = [f"\t{column_sql(c, d)}" for c in meta.columns.values()]
    if meta.primary_key:
        pname = meta.primary_key_name or pk_name(tname, meta.primary_key)
        lines.append(f"\tCONSTRAINT {bt(pname)} PRIMARY KEY({','.join(bt(c.name) for c in meta.primary_key)})")
    for col in meta.columns.values():
        if col.is_unique:
            uname = col.unique_name or unique_name(tname, [col])
            lines.append(f"\tCONSTRAINT {bt(uname)} UNIQUE({bt(col.name)})")
    for u in meta.uniques:
        uname = u.name or unique_name(tname, u.columns)
        lines.append(f"\tCONSTRAINT {bt(uname)} UNIQUE({','.join(bt(c.name) for c in u.columns)})")
    for chk in meta.checks:
        lines.append(f"\tCONSTRAINT {bt(chk.name)} CHECK({expr_sql(chk.expr, d)})")
    return f"CREATE TABLE {bt(tname)} (\n" + ",\n".join(lines) + "\n);\n"


def create_index_sqls(table: type[Table], dialect: MySQLDialect | None = None) -> list[str]:
    """`CREATE [UNIQUE] INDEX` statements for the table's indexes."""
    d = dialect or MySQLDialect.default()
    meta = table.__table__
    out: list[str] = []
    for ix in meta.indexes:
        if ix.where_ is not None:
            from mizzle.errors import SchemaError

            raise SchemaError(f"table {meta.name}: index {ix.name} has a WHERE clause; MySQL has no partial indexes")
        cols = ",".join(bt(c.name) if isinstance(c, Column) else f"({expr_sql(c, d)})" for c in ix.columns)
        using = ix.extra.get("using")
        tail = f" USING {str(using).upper()}" if using else ""
        out.append(f"CREATE {'UNIQUE ' if ix.unique else ''}INDEX {bt(ix.name)} ON {bt(meta.name)} ({cols}){tail};")
    return out


def foreign_key_sql(table_name: str, fk: ResolvedForeignKey) -> str:
    """`ALTER TABLE t ADD CONSTRAINT name FOREIGN KEY (...) REFERENCES ...` (drizzle-kit's layout)."""
    cols = ",".join(bt(c.name) for c in fk.columns)
    fcols = ",".join(bt(c.name) for c in fk.foreign_columns)
    ftable = fk.foreign_table.__table__.name
    return (
        f"ALTER TABLE {bt(table_name)} ADD CONSTRAINT {bt(fk.name)} FOREIGN KEY ({cols}) "
        f"REFERENCES {bt(ftable)}({fcols}) ON DELETE {fk.on_delete or 'no action'} "
        f"ON UPDATE {fk.on_update or 'no action'};"
    )


def create_deferred_sqls(
    tables: Iterable[type[Table]], dialect: MySQLDialect | None = None, *, if_not_exists: bool = False
) -> list[str]:
    """The foreign keys of `tables`, added once every table exists."""
    out: list[str] = []
    for t in tables:
        meta = t.__table__
        for fk in meta.foreign_keys:
            stmt = foreign_key_sql(meta.name, fk)
            if if_not_exists:
                stmt = stmt.replace(" FOREIGN KEY (", " FOREIGN KEY IF NOT EXISTS (", 1)
            out.append(stmt)
    return out


def ddl_statements(
    tables: Iterable[type[Table]], dialect: MySQLDialect | None = None, *, if_not_exists: bool = False
) -> list[str]:
    """Every table, then every index, then every foreign key (so a key may target a later table)."""
    tables = list(tables)
    out: list[str] = []
    for t in tables:
        stmt = create_table_sql(t, dialect)
        out.append(stmt.replace("CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ", 1) if if_not_exists else stmt)
    for t in tables:
        for ix in create_index_sqls(t, dialect):
            out.append(ix.replace("INDEX ", "INDEX IF NOT EXISTS ", 1) if if_not_exists else ix)
    out += create_deferred_sqls(tables, dialect, if_not_exists=if_not_exists)
    return out
