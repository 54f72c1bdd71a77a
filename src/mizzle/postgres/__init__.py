"""Schema declarations for PostgreSQL: `from mizzle.postgres import Table, Column, serial, varchar, jsonb`.

Enums: `mood = pg_enum("mood", ["sad", "ok"])`, then `feeling: Column[str] = mood().not_null()`.
Schemas: `class Users(Table, name="users", schema="auth")` (declare `auth = pg_schema("auth")` for
the kit and for enums living in it). Arrays: `tags: Column[list[str] | None] = text().array()`.
JSON operators and jsonb helpers live in `mizzle.postgres.json`.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from mizzle.dialects.postgres.columns import (
    PgColumn,
    PgEnum,
    PgSchema,
    bigint,
    bigserial,
    boolean,
    bytea,
    char,
    date_,
    decimal,
    double_precision,
    integer,
    interval,
    json_,
    jsonb,
    numeric,
    pg_enum,
    pg_schema,
    real,
    serial,
    smallint,
    smallserial,
    text,
    time_,
    timestamp,
    timestamptz,
    uuid,
    varchar,
)
from mizzle.dialects.postgres.dialect import PostgresDialect
from mizzle.errors import QueryError
from mizzle.query.select import Select
from mizzle.schema.column import Column
from mizzle.schema.constraints import check, foreign_key, index, primary_key, unique, unique_index
from mizzle.schema.table import Table as _BaseTable
from mizzle.schema.table import alias
from mizzle.schema.view_options import PgMaterializedViewWith, PgViewWith
from mizzle.sql.chunks import Expr

Q = TypeVar("Q", bound=Select[Any])

date = date_
time = time_


class Table(_BaseTable, dialect="postgresql"):
    """Base class for PostgreSQL tables: `class Users(Table, name="users", schema="auth"): ...`."""

    __dialect__: ClassVar[str] = "postgresql"
    __identifiers__ = PostgresDialect.identifiers


def distinct_on(query: Q, *exprs: Expr[Any]) -> Q:
    """`select distinct on (exprs) ...`: one row per distinct value (order by those first to pick which)."""
    if not exprs:
        raise QueryError("distinct_on() needs at least one expression")
    q = query._copy()
    q._distinct_on = tuple(exprs)
    q._distinct = False
    return q


__all__ = [
    "Column",
    "PgColumn",
    "PgEnum",
    "PgMaterializedViewWith",
    "PgSchema",
    "PgViewWith",
    "PostgresDialect",
    "Table",
    "alias",
    "bigint",
    "bigserial",
    "boolean",
    "bytea",
    "char",
    "check",
    "date",
    "date_",
    "decimal",
    "distinct_on",
    "double_precision",
    "foreign_key",
    "index",
    "integer",
    "interval",
    "json_",
    "jsonb",
    "numeric",
    "pg_enum",
    "pg_schema",
    "primary_key",
    "real",
    "serial",
    "smallint",
    "smallserial",
    "text",
    "time",
    "time_",
    "timestamp",
    "timestamptz",
    "unique",
    "unique_index",
    "uuid",
    "varchar",
]
