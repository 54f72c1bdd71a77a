"""`mizzle.postgres` table classes -> the v7 snapshot, as drizzle-kit's `generatePgSnapshot` writes it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from mizzle.dialects.postgres.ddl import default_sql, inline_sql
from mizzle.dialects.postgres.dialect import PostgresDialect
from mizzle.errors import SchemaError
from mizzle.kit.dialects.postgres.snapshot import (
    CheckConstraint,
    Column,
    CompositePK,
    DefaultValue,
    Enum,
    ForeignKey,
    Generated,
    Identity,
    Index,
    IndexColumn,
    PgSnapshot,
    Table,
    UniqueConstraint,
    table_key,
)
from mizzle.kit.from_schema import default_name, fk_fields
from mizzle.kit.snapshot import put_named
from mizzle.schema.column import MISSING
from mizzle.schema.column import Column as SchemaColumn
from mizzle.schema.table import Table as SchemaTable
from mizzle.schema.table import check_unique_names
from mizzle.sql.chunks import SQL
from mizzle.sql.render import render

_DDL = PostgresDialect("qmark")
INT_MAX = {"smallint": "32767", "integer": "2147483647", "bigint": "9223372036854775807"}
INT_MIN = {"smallint": "-32768", "integer": "-2147483648", "bigint": "-9223372036854775808"}


def _qualified_sql(fragment: SQL[Any]) -> str:
    return render(fragment.inline(), _DDL, qualify=True).sql


def _schema(meta_schema: str | None) -> str:
    return "" if meta_schema in (None, "", "public") else str(meta_schema)


def pg_default(col: SchemaColumn[Any]) -> DefaultValue | None:
    """A column's snapshot `default` in drizzle-kit's encoding (numbers and booleans stay JSON values)."""
    value = col.default_value
    if value is MISSING or value is None:
        return None
    if isinstance(value, SQL):
        return default_sql(col)
    if col.extra.get("array"):
        return default_sql(col)
    base = str(col.extra.get("element_type") or col.sql_type)
    if base in ("json", "jsonb"):
        return "'" + json.dumps(value, separators=(",", ":"), ensure_ascii=False).replace("'", "''") + "'::" + base
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, datetime | date | time):
        return default_sql(col)
    text = default_sql(col)
    if text is None:
        raise SchemaError(f"column {col.qualified_name}: default {value!r} cannot be written into DDL")
    return text


def _column_type(col: SchemaColumn[Any]) -> tuple[str, str | None]:
    enum = col.extra.get("enum")
    if enum is None:
        return col.sql_type, None
    dims = int(col.extra.get("array") or 0)
    return enum.name + "[]" * dims, enum.schema or "public"


def _identity(col: SchemaColumn[Any], table: str, schema: str) -> Identity | None:
    ident = col.extra.get("identity")
    if not ident:
        return None
    inc = int(ident.get("increment", 1))
    min_v = str(ident["min_value"]) if "min_value" in ident else ("1" if inc > 0 else INT_MIN.get(col.sql_type, INT_MIN["integer"]))
    max_v = str(ident["max_value"]) if "max_value" in ident else (
        INT_MAX.get(col.sql_type, INT_MAX["integer"]) if inc > 0 else "-1")
    start = str(ident["start"]) if "start" in ident else (min_v if inc > 0 else max_v)
    return Identity(
        type=str(ident["type"]),
        name=str(ident.get("name") or f"{table}_{col.name}_seq"),
        schema=schema or "public",
        increment=str(inc),
        start_with=start,
        min_value=min_v,
        max_value=max_v,
        cache=str(ident.get("cache", 1)),
        cycle=bool(ident.get("cycle", False)),
    )


def pg_table(table: type[SchemaTable]) -> Table:
    """One table's snapshot entry."""
    meta = table.__table__
    name = meta.name
    schema = _schema(meta.schema)
    single_pk = meta.primary_key[0] if len(meta.primary_key) == 1 else None
    out = Table(name=name, schema=schema)
    for col in meta.columns.values():
        primary = col.primary or col is single_pk
        sql_type, type_schema = _column_type(col)
        gen = None
        if col.generated is not None:
            gen = Generated(_qualified_sql(col.generated[0]), "stored")
        out.columns[col.name] = Column(
            name=col.name,
            type=sql_type,
            type_schema=type_schema,
            primary_key=primary,
            not_null=bool(col.not_null_ or primary),
            generated=gen,
            identity=_identity(col, name, meta.schema or ""),
            default=pg_default(col),
        )
        if col.is_unique:
            uname = col.unique_name or default_name(name, [col.name], "unique")
            put_named(out.unique_constraints, uname, UniqueConstraint(uname, [col.name]), name, "unique constraints")
    if len(meta.primary_key) > 1:
        cols = [c.name for c in meta.primary_key]
        pk_name = meta.primary_key_name or default_name(name, cols, "pk")
        out.composite_primary_keys[pk_name] = CompositePK(pk_name, cols)
    for u in meta.uniques:
        cols = [c.name for c in u.columns]
        uname = u.name or default_name(name, cols, "unique")
        put_named(out.unique_constraints, uname, UniqueConstraint(uname, cols), name, "unique constraints")
    for fk in meta.foreign_keys:
        target = fk.foreign_table.__table__
        out.foreign_keys[fk.name] = ForeignKey(**fk_fields(fk, name),
                                               schema_to=target.schema if _schema(target.schema) else None)
    for ix in meta.indexes:
        cols_: list[IndexColumn] = []
        for c in ix.columns:
            if isinstance(c, SchemaColumn):
                cols_.append(IndexColumn(c.name))
            else:
                cols_.append(IndexColumn(inline_sql(c), is_expression=True))
        where = _qualified_sql(ix.where_) if ix.where_ is not None else None
        put_named(out.indexes, ix.name, Index(ix.name, cols_, ix.unique, where, False, str(ix.extra.get("using", "btree")),
                                              dict(ix.extra.get("with", {}))), name, "indexes")
    for chk in meta.checks:
        put_named(out.check_constraints, chk.name, CheckConstraint(chk.name, _qualified_sql(chk.expr)), name, "checks")
    return out


def pg_snapshot(tables: Iterable[type[SchemaTable]]) -> PgSnapshot:
    """The PostgreSQL snapshot of `tables`, plus the enums and schemas they use."""
    tables = list(tables)
    check_unique_names(tables)
    snap = PgSnapshot()
    index_owner: dict[tuple[str, str], str] = {}
    for t in sorted(tables, key=lambda t: ((t.__table__.schema or "public"), t.__table__.name)):
        entry = pg_table(t)
        for iname in entry.indexes:
            k = (entry.schema_name, iname)
            if k in index_owner:
                raise SchemaError(f"index name {iname!r} is used by tables {index_owner[k]} and {entry.name} "
                                  f"(PostgreSQL index names are unique per schema)")
            index_owner[k] = entry.name
        snap.tables[entry.key] = entry
        if entry.schema:
            snap.schemas[entry.schema] = entry.schema
        for col in t.__table__.columns.values():
            e = col.extra.get("enum")
            if e is None:
                continue
            en = Enum(e.name, e.schema or "public", list(e.values))
            seen = snap.enums.get(en.key)
            if seen is not None and seen.values != en.values:
                raise SchemaError(f"enum {en.key} is declared twice with different values")
            snap.enums[en.key] = en
            if e.schema and e.schema != "public":
                snap.schemas[e.schema] = e.schema
    snap.tables = dict(sorted(snap.tables.items(), key=lambda kv: (kv[1].schema_name, kv[1].name)))
    return snap


def option_key(name: str) -> str:
    """`check_option` -> `checkOption` (drizzle's snapshot keys of view options)."""
    head, *rest = name.split("_")
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


def pg_views(views: Iterable[type[SchemaTable]]) -> dict[str, Any]:
    """The snapshot's `views` (keyed `schema.name`; the views, then the materialized views, each in
    `kit.from_schema.view_order`), as drizzle-kit's `generatePgSnapshot` writes them:
    a builder view has the selected table columns, an SQL (or `existing=True`) view the columns it declares."""
    from mizzle.kit.from_schema import view_order
    from mizzle.kit.view_definition import select_definition, source_columns
    from mizzle.schema.view import view_definition, view_info

    out: dict[str, Any] = {}
    for v in sorted(views, key=lambda v: (bool(getattr(view_info(v), "materialized", False)), view_order(v))):
        info = view_info(v)
        assert info is not None
        meta = v.__table__
        schema = meta.schema or "public"
        d: Any = info.definition
        columns: dict[str, Any] = {}
        definition: str | None = None
        if d is not None and not isinstance(d, SQL | str):
            for col_name, col in source_columns(d):
                if col.table is not None:
                    columns[col_name] = pg_table(col.table).columns[col.name].to_dict()
            definition = select_definition(d, _DDL)
        else:
            columns = {k: c.to_dict() for k, c in pg_table(v).columns.items()}
            definition = view_definition(v, _DDL) if d is not None else None
        entry: dict[str, Any] = {"columns": columns}
        if definition is not None:
            entry["definition"] = definition
        entry.update({"name": meta.name, "schema": schema, "isExisting": info.existing})
        with_: Any = getattr(info, "with_", None)
        if with_:
            entry["with"] = {option_key(k): v for k, v in with_.items()}
        if getattr(info, "with_no_data", False):
            entry["withNoData"] = True
        entry["materialized"] = info.materialized
        for key in ("tablespace", "using"):
            if getattr(info, key, None):
                entry[key] = getattr(info, key)
        out[f"{schema}.{meta.name}"] = entry
    return out


def rename_hint_keys(table: type[SchemaTable]) -> tuple[str, str | None]:
    """(key, renamed-from key) of a table for the differ's rename hints."""
    meta = table.__table__
    schema = _schema(meta.schema)
    old = table_key(schema, meta.renamed_from) if meta.renamed_from else None
    return table_key(schema, meta.name), old


__all__ = ["pg_default", "pg_snapshot", "pg_table", "rename_hint_keys"]
