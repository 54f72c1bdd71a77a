"""PostgreSQL DDL for table classes, in drizzle-kit's text layout: schemas, enum types, tables, FKs, indexes."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from mizzle.dialects.postgres.dialect import PostgresDialect
from mizzle.schema.column import MISSING, Column
from mizzle.schema.constraints import Index
from mizzle.schema.table import ResolvedForeignKey, Table
from mizzle.sql.chunks import SQL
from mizzle.sql.identifiers import quote_identifier
from mizzle.sql.render import render

_DDL = PostgresDialect("qmark")  # DDL text is not passed through psycopg's %-formatting here

_INT_MAX = {"smallint": 32767, "integer": 2147483647, "bigint": 9223372036854775807}


def q(name: str) -> str:
    """A double-quoted identifier."""
    return quote_identifier(name)


def table_ref(table: type[Table], *, qualify_public: bool = False) -> str:
    """`"schema"."name"`, or `"name"` for the public schema (`"public"."name"` if `qualify_public`)."""
    meta = table.__table__
    if meta.schema and meta.schema != "public":
        return q(meta.schema) + "." + q(meta.name)
    return (q("public") + "." if qualify_public else "") + q(meta.name)


def inline_sql(fragment: SQL[Any]) -> str:
    """A fragment rendered with its values inlined (defaults, checks, index expressions)."""
    return render(fragment.inline(), _DDL, qualify=False).sql


def default_sql(col: Column[Any]) -> str | None:
    """The DEFAULT clause text of a column (drizzle-kit's spelling), or None."""
    value = col.default_value
    if value is MISSING:
        return None
    if isinstance(value, SQL):
        frag: SQL[Any] = value  # pyright: ignore[reportUnknownVariableType]
        return inline_sql(frag)
    if value is None:
        return "null"
    base = str(col.extra.get("element_type") or col.sql_type)
    if col.extra.get("array"):
        return "'" + _array_literal(value).replace("'", "''") + "'"
    if base in ("json", "jsonb"):
        return "'" + json.dumps(value, separators=(",", ":")).replace("'", "''") + "'::" + base
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float) or base.startswith("numeric"):
        return str(value)
    if isinstance(value, datetime):
        return "'" + value.isoformat(sep=" ", timespec="milliseconds") + "'"
    if isinstance(value, date | time):
        return "'" + value.isoformat() + "'"
    if col.encoder is not None:
        value = col.encoder(value)
    return _DDL.literal(value)


def _array_literal(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "{" + ",".join(_array_literal(v) for v in value) + "}"  # pyright: ignore[reportUnknownVariableType]
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def identity_sql(col: Column[Any], table_name: str) -> str:
    """`GENERATED ALWAYS AS IDENTITY (sequence name ... )` as drizzle-kit writes it."""
    ident = col.extra["identity"]
    kind = "ALWAYS" if ident["type"] == "always" else "BY DEFAULT"
    seq = ident.get("name") or f"{table_name}_{col.name}_seq"
    inc = int(ident.get("increment", 1))
    minv = ident.get("min_value", 1 if inc > 0 else -_INT_MAX.get(col.sql_type, _INT_MAX["integer"]))
    maxv = ident.get("max_value", _INT_MAX.get(col.sql_type, _INT_MAX["integer"]) if inc > 0 else -1)
    start = ident.get("start", minv if inc > 0 else maxv)
    cache = ident.get("cache", 1)
    cycle = " CYCLE" if ident.get("cycle") else ""
    return (
        f"GENERATED {kind} AS IDENTITY (sequence name {q(seq)} INCREMENT BY {inc} MINVALUE {minv} "
        f"MAXVALUE {maxv} START WITH {start} CACHE {cache}{cycle})"
    )


def column_sql(col: Column[Any], table_name: str, *, inline_pk: bool = True) -> str:
    """One column definition: name, type, PRIMARY KEY, DEFAULT, GENERATED, NOT NULL, identity."""
    parts = [q(col.name), col.sql_type]
    if col.primary and inline_pk:
        parts.append("PRIMARY KEY")
    default = default_sql(col)
    if default is not None:
        parts.append("DEFAULT " + default)
    if col.generated is not None:
        parts.append(f"GENERATED ALWAYS AS ({inline_sql(col.generated[0])}) STORED")
    if col.not_null_:
        parts.append("NOT NULL")
    if col.extra.get("identity"):
        parts.append(identity_sql(col, table_name))
    return " ".join(parts)


def unique_constraints(table: type[Table]) -> list[tuple[str, list[str]]]:
    """(name, column names) of every UNIQUE constraint, column-level ones first."""
    meta = table.__table__
    out: list[tuple[str, list[str]]] = []
    for col in meta.columns.values():
        if col.is_unique:
            out.append((col.unique_name or f"{meta.name}_{col.name}_unique", [col.name]))
    for u in meta.uniques:
        cols = [c.name for c in u.columns]
        out.append((u.name or f"{meta.name}_{'_'.join(cols)}_unique", cols))
    return out


def create_table_sql(table: type[Table], dialect: Any = None, name: str | None = None) -> str:
    """`CREATE TABLE ...` for `table` (drizzle-kit layout; foreign keys are separate statements)."""
    meta = table.__table__
    composite = len(meta.primary_key) > 1
    lines = [f"\t{column_sql(c, meta.name, inline_pk=not composite)}" for c in meta.columns.values()]
    if composite:
        pk_name = meta.primary_key_name or f"{meta.name}_{'_'.join(c.name for c in meta.primary_key)}_pk"
        lines.append(f"\tCONSTRAINT {q(pk_name)} PRIMARY KEY({','.join(q(c.name) for c in meta.primary_key)})")
    for uname, cols in unique_constraints(table):
        lines.append(f"\tCONSTRAINT {q(uname)} UNIQUE({','.join(q(c) for c in cols)})")
    for chk in meta.checks:
        lines.append(f"\tCONSTRAINT {q(chk.name)} CHECK ({inline_sql(chk.expr)})")
    ref = table_ref(table) if name is None else q(name)
    return f"CREATE TABLE {ref} (\n" + ",\n".join(lines) + "\n);\n"


def foreign_key_sql(table: type[Table], fk: ResolvedForeignKey) -> str:
    """`ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY ... REFERENCES "schema"."t"(...) ON DELETE ... ON UPDATE ...;`."""
    cols = ",".join(q(c.name) for c in fk.columns)
    fcols = ",".join(q(c.name) for c in fk.foreign_columns)
    target = table_ref(fk.foreign_table, qualify_public=True)
    return (
        f"ALTER TABLE {table_ref(table)} ADD CONSTRAINT {q(fk.name)} FOREIGN KEY ({cols}) "
        f"REFERENCES {target}({fcols}) ON DELETE {fk.on_delete or 'no action'} "
        f"ON UPDATE {fk.on_update or 'no action'};"
    )


def index_sql(table: type[Table], ix: Index) -> str:
    """`CREATE [UNIQUE] INDEX "name" ON "t" USING method (...) [WHERE ...];`."""
    parts: list[str] = []
    for c in ix.columns:
        parts.append(q(c.name) if isinstance(c, Column) else inline_sql(c))
    method = ix.extra.get("using", "btree")
    stmt = (
        f"CREATE {'UNIQUE ' if ix.unique else ''}INDEX {q(ix.name)} ON {table_ref(table)} "
        f"USING {method} ({','.join(parts)})"
    )
    if ix.where_ is not None:
        stmt += " WHERE " + inline_sql(ix.where_)
    return stmt + ";"


def create_index_sqls(table: type[Table], dialect: Any = None) -> list[str]:
    """`CREATE INDEX` statements for the table's indexes."""
    return [index_sql(table, ix) for ix in table.__table__.indexes]


def enums_of(tables: Iterable[type[Table]]) -> list[Any]:
    """The enum types the tables' columns use, in first-use order."""
    seen: dict[tuple[str | None, str], Any] = {}
    for t in tables:
        for col in t.__table__.columns.values():
            e = col.extra.get("enum")
            if e is not None:
                seen.setdefault((e.schema, e.name), e)
    return list(seen.values())


def create_enum_sql(enum: Any) -> str:
    """`CREATE TYPE "schema"."name" AS ENUM('a', 'b');`."""
    values = ", ".join(_DDL.literal(v) for v in enum.values)
    return f"CREATE TYPE {q(enum.schema or 'public')}.{q(enum.name)} AS ENUM({values});"


def _guard(stmt: str) -> str:
    """Wrap a statement that has no IF NOT EXISTS form so an existing object is not an error."""
    return f"DO $$ BEGIN {stmt} EXCEPTION WHEN duplicate_object OR duplicate_table THEN null; END $$;"


def ddl_statements(tables: Iterable[type[Table]], dialect: Any = None, *, if_not_exists: bool = False) -> list[str]:
    """Schemas, enum types, tables, foreign keys, then indexes: the order drizzle-kit uses."""
    tables = list(tables)
    out: list[str] = []
    schemas = sorted({t.__table__.schema for t in tables if t.__table__.schema not in (None, "public")}
                     | {e.schema for e in enums_of(tables) if e.schema not in (None, "public")})
    for s in schemas:
        out.append(f"CREATE SCHEMA{' IF NOT EXISTS' if if_not_exists else ''} {q(s)};")
    for e in enums_of(tables):
        stmt = create_enum_sql(e)
        out.append(_guard(stmt) if if_not_exists else stmt)
    for t in tables:
        stmt = create_table_sql(t)
        if if_not_exists:
            stmt = stmt.replace("CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ", 1)
        out.append(stmt)
    for t in tables:
        for fk in t.__table__.foreign_keys:
            stmt = foreign_key_sql(t, fk)
            out.append(_guard(stmt) if if_not_exists else stmt)
    for t in tables:
        for stmt in create_index_sqls(t):
            if if_not_exists:
                stmt = stmt.replace("INDEX ", "INDEX IF NOT EXISTS ", 1)
            out.append(stmt)
    return out
