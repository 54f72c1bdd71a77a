"""Schema declarations for MySQL and MariaDB: `from mizzle.mysql import Table, Column, int_, varchar`.

Names follow drizzle's `mysql-core` (`int` is `int_`, `float` is `float_`, `mysqlEnum` is `mysql_enum`).
Auto-numbered keys: `id: Column[int] = int_().primary_key(autoincrement=True)` (or `.auto_increment()`).
Server-side time: `timestamp().default_now().on_update_now()`.
"""

from __future__ import annotations

from typing import ClassVar

from mizzle.dialects.mysql.columns import (
    MySqlColumn,
    bigint,
    binary,
    blob,
    boolean,
    char,
    date,
    datetime,
    decimal,
    double,
    float_,
    int_,
    integer,
    json_,
    longtext,
    mediumint,
    mediumtext,
    mysql_enum,
    real,
    serial,
    smallint,
    text,
    time,
    timestamp,
    tinyint,
    tinytext,
    varbinary,
    varchar,
    year,
)
from mizzle.dialects.mysql.dialect import MySQLDialect
from mizzle.schema.column import Column
from mizzle.schema.constraints import check, foreign_key, index, primary_key, unique, unique_index
from mizzle.schema.table import Table as _BaseTable
from mizzle.schema.table import alias
from mizzle.schema.view_options import ViewAlgorithm, ViewCheckOption, ViewSqlSecurity

json = json_
"""JSON column (drizzle's name; `json_` avoids shadowing the stdlib module)."""


class Table(_BaseTable, dialect="mysql"):
    """Base class for MySQL/MariaDB tables: `class Users(Table, name="users"): ...`."""

    __dialect__: ClassVar[str] = "mysql"
    __identifiers__ = MySQLDialect.identifiers


__all__ = [
    "Column",
    "MySQLDialect",
    "MySqlColumn",
    "Table",
    "ViewAlgorithm",
    "ViewCheckOption",
    "ViewSqlSecurity",
    "alias",
    "bigint",
    "binary",
    "blob",
    "boolean",
    "char",
    "check",
    "date",
    "datetime",
    "decimal",
    "double",
    "float_",
    "foreign_key",
    "index",
    "int_",
    "integer",
    "json",
    "json_",
    "longtext",
    "mediumint",
    "mediumtext",
    "mysql_enum",
    "primary_key",
    "real",
    "serial",
    "smallint",
    "text",
    "time",
    "timestamp",
    "tinyint",
    "tinytext",
    "unique",
    "unique_index",
    "varbinary",
    "varchar",
    "year",
]
