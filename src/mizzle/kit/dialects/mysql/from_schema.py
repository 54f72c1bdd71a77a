"""`mizzle.mysql` table classes -> the MySQL snapshot, as drizzle-kit's `generateMySqlSnapshot` writes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from mizzle.errors import SchemaError
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
from mizzle.kit.from_schema import default_name, fk_fields, index_columns
from mizzle.kit.snapshot import put_named
from mizzle.schema.column import MISSING
from mizzle.schema.column import Column as SchemaColumn
from mizzle.schema.table import Table as SchemaTable
from mizzle.schema.table import check_unique_names
from mizzle.sql.chunks import SQL
from mizzle.sql.render import render

_PAREN_TYPES = ("blob", "text", "json")


def _dialect() -> Any:
    from mizzle.dialects.mysql.dialect import MySQLDialect

    return MySQLDialect(paramstyle="qmark")  # no `%` escaping in DDL text


def sql_text(fragment: SQL[Any], *, qualify: bool) -> str:
    """A fragment with its values inlined, as MySQL text."""
    return render(fragment.inline(), _dialect(), qualify=qualify).sql


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def mysql_default(col: SchemaColumn[Any]) -> DefaultValue | None:
    """A column's snapshot `default`, encoded exactly as drizzle-kit's MySQL snapshot does (None: none)."""
    value: Any = col.default_value
    if value is MISSING or value is None:
        return None
    if isinstance(value, SQL):
        frag: SQL[Any] = value  # pyright: ignore[reportUnknownVariableType]
        return sql_text(frag, qualify=False)
    out: DefaultValue
    sql_type = col.sql_type.lower()
    if isinstance(value, bool):
        out = value
    elif isinstance(value, str):
        out = _quote(value)
    elif sql_type == "json":
        from mizzle.schema.codecs import encode_json

        out = _quote(encode_json(value))
    elif isinstance(value, dt.datetime) and sql_type.startswith(("datetime", "timestamp")):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        out = _quote(value.isoformat(sep=" ", timespec="milliseconds"))
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime) and sql_type == "date":
        out = _quote(value.isoformat())
    elif isinstance(value, int):
        out = value
    elif isinstance(value, float):
        out = int(value) if value.is_integer() else value
    elif isinstance(value, Decimal):
        out = _quote(str(value))
    elif isinstance(value, bytes):
        out = "0x" + value.hex()
    elif col.encoder is not None and (encoded := col.encoder(value)) is not value and encoded is not None:
        out = encoded if isinstance(encoded, int | float) and not isinstance(encoded, bool) else _quote(str(encoded))
    else:
        raise SchemaError(f"column {col.qualified_name}: default {value!r} cannot be written into DDL; "
                          "use default_fn() or an sql(...) default")
    if sql_type in _PAREN_TYPES:
        out = f"({out})"
    return out


def mysql_table(table: type[SchemaTable]) -> tuple[Table, dict[str, Any]]:
    """One table's snapshot entry, plus its `internal.indexes` entries (expression columns)."""
    meta = table.__table__
    name = meta.name
    out = Table(name=name)
    internal: dict[str, Any] = {}
    pk_cols = {c.name for c in meta.primary_key}
    for col in meta.columns.values():
        gen = None
        if col.generated is not None:
            expr, mode = col.generated
            gen = Generated(sql_text(expr, qualify=False), mode or "stored")
        out.columns[col.name] = Column(
            name=col.name,
            type=col.sql_type,
            primary_key=False,
            not_null=bool(col.not_null_ or col.name in pk_cols),
            autoincrement=bool(col.autoincrement),
            default=mysql_default(col),
            on_update=bool(col.extra.get("on_update_now")),
            generated=gen,
        )
        if col.primary:
            out.composite_primary_keys[f"{name}_{col.name}"] = CompositePK(f"{name}_{col.name}", [col.name])
        if col.is_unique:
            uname = col.unique_name or default_name(name, [col.name], "unique")
            put_named(out.unique_constraints, uname, UniqueConstraint(uname, [col.name]), name, "unique constraints")
    if meta.primary_key and not (len(meta.primary_key) == 1 and meta.primary_key[0].primary):
        pk_cols_list = [c.name for c in meta.primary_key]
        pk_name = meta.primary_key_name or default_name(name, pk_cols_list, "pk")
        out.composite_primary_keys[pk_name] = CompositePK(pk_name, pk_cols_list)
    for u in meta.uniques:
        u_cols = [c.name for c in u.columns]
        uname = u.name or default_name(name, u_cols, "unique")
        put_named(out.unique_constraints, uname, UniqueConstraint(uname, u_cols), name, "unique constraints")
    for fk in meta.foreign_keys:
        out.foreign_keys[fk.name] = ForeignKey(**fk_fields(fk, name))
    for ix in meta.indexes:
        if ix.where_ is not None:
            raise SchemaError(f"table {name}: index {ix.name} has a WHERE clause; MySQL has no partial indexes")
        cols = index_columns(ix, lambda c: sql_text(c, qualify=False), internal)
        if ix.unique and ix.name in out.unique_constraints:
            raise SchemaError(f"table {name}: unique index {ix.name!r} has the name of a unique constraint")
        if not ix.unique and ix.name in out.foreign_keys:
            raise SchemaError(f"table {name}: index {ix.name!r} has the name of a foreign key (MySQL creates an "
                              "index named after each foreign key); rename one of them")
        using = ix.extra.get("using")
        put_named(out.indexes, ix.name, Index(ix.name, cols, ix.unique, str(using) if using else None), name, "indexes")
    for chk in meta.checks:
        put_named(out.check_constraints, chk.name, CheckConstraint(chk.name, sql_text(chk.expr, qualify=True)), name, "checks")
    return out, internal


def mysql_snapshot(tables: Iterable[type[SchemaTable]]) -> MySQLSnapshot:
    """The MySQL snapshot of `tables` (sorted by name)."""
    tables = list(tables)
    check_unique_names(tables)
    snap = MySQLSnapshot()
    indexes: dict[str, Any] = {}
    for t in sorted(tables, key=lambda t: t.__table__.name):
        entry, extra = mysql_table(t)
        snap.tables[entry.name] = entry
        indexes.update(extra)
    snap.internal = {"tables": {}, "indexes": indexes}
    return snap


def mysql_views(views: Iterable[type[SchemaTable]]) -> dict[str, Any]:
    """The snapshot's `views` (in `kit.from_schema.view_order`), as drizzle-kit's `generateMySqlSnapshot` writes them: a builder
    view has the selected table columns (never a primary key), an SQL (or `existing=True`) view the columns it
    declares; `algorithm` and `sqlSecurity` default to drizzle's "undefined" and "definer"."""
    from mizzle.kit.view_definition import select_definition, source_columns
    from mizzle.schema.view import view_definition, view_info

    out: dict[str, Any] = {}
    from mizzle.kit.from_schema import view_order

    for v in sorted(views, key=view_order):
        info = view_info(v)
        assert info is not None
        d: Any = info.definition
        cols: dict[str, Any] = {}
        definition: str | None = None
        if d is not None and not isinstance(d, SQL | str):
            for col_name, col in source_columns(d):
                if col.table is not None:
                    cols[col_name] = mysql_table(col.table)[0].columns[col.name].to_dict()
            definition = select_definition(d, _dialect(), booleans=("true", "false"))
        else:
            cols = {k: c.to_dict() for k, c in mysql_table(v)[0].columns.items()}
            definition = view_definition(v, _dialect()) if d is not None else None
        for c in cols.values():
            c["primaryKey"] = False
        entry: dict[str, Any] = {"columns": cols, "name": v.__table__.name, "isExisting": info.existing}
        if definition is not None:
            entry["definition"] = definition
        check = getattr(info, "with_check_option", None)
        if check:
            entry["withCheckOption"] = check
        entry["algorithm"] = getattr(info, "algorithm", None) or "undefined"
        entry["sqlSecurity"] = getattr(info, "sql_security", None) or "definer"
        out[v.__table__.name] = entry
    return out


__all__ = ["mysql_default", "mysql_snapshot", "mysql_table", "mysql_views", "sql_text"]
