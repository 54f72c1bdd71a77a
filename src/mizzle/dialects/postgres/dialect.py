"""PostgreSQL: `%s` placeholders (psycopg), double-quoted names, ILIKE, DISTINCT ON, row locks, RETURNING."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID

from mizzle.dialects.base import Capabilities, Dialect, _value  # pyright: ignore[reportPrivateUsage]
from mizzle.dialects.postgres.functions import PostgresFunctions
from mizzle.dialects.postgres.relational import PostgresRelational
from mizzle.sql.chunks import SQL
from mizzle.sql.identifiers import IdentifierRules


class PostgresDialect(PostgresRelational, Dialect):
    """The PostgreSQL dialect (paramstyle `format` for psycopg, `numeric_dollar` for `$1` drivers)."""

    functions = PostgresFunctions()
    name = "postgresql"
    identifiers = IdentifierRules("PostgreSQL", max_bytes=63)
    ddl_module = "mizzle.dialects.postgres.ddl"
    caps = Capabilities(
        returning=True,
        returning_insert=True,
        returning_update=True,
        returning_delete=True,
        nulls_ordering=True,
        right_join=True,
        full_join=True,
        ilike=True,
        distinct_on=True,
        row_locks=True,
        update_limit=False,
        transactional_ddl=True,
        savepoints=True,
        parenthesized_set_ops=True,
        intersect_all=True,
        executemany=True,
        materialized_views=True,
        inline_grouped_values=True,
    )
    _default: ClassVar[PostgresDialect | None] = None

    def __init__(self, paramstyle: str = "format") -> None:
        super().__init__(paramstyle)

    @classmethod
    def default(cls) -> PostgresDialect:
        """A shared instance (for rendering queries that are not bound to a database)."""
        if cls._default is None:
            cls._default = cls()
        return cls._default

    def literal(self, value: Any) -> str:
        """PostgreSQL literals: bytea as `'\\x..'::bytea`, dates and times as typed strings."""
        if isinstance(value, bool) or value is None or isinstance(value, int | float):
            return super().literal(value)
        if isinstance(value, bytes):
            return "'\\x" + value.hex() + "'::bytea"
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, datetime):
            return "'" + value.isoformat(sep=" ") + "'"
        if isinstance(value, date | time | UUID):
            return "'" + str(value) + "'"
        if isinstance(value, timedelta):
            return f"'{value.total_seconds()} seconds'::interval"
        return super().literal(value)

    def inline_value(self, value: Any) -> str | None:
        """Strings as `E'...'` (read the same whatever `standard_conforming_strings` says), floats as
        `'x'::float8` (a bare `1.5` would be numeric, where psycopg binds a float as float8)."""
        if type(value) is str and "\x00" not in value:
            return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'"
        if type(value) is float and math.isfinite(value):
            return f"'{value!r}'::float8"
        return super().inline_value(value)

    def ilike(self, column: Any, pattern: Any, negate: bool) -> SQL[Any]:
        """Native `ILIKE`."""
        return SQL._of((column, " not ilike " if negate else " ilike ", pattern))

    def limit_offset(self, limit: Any, offset: Any) -> list[Any]:
        """` limit ? offset ?` (PostgreSQL allows OFFSET without LIMIT)."""
        out: list[Any] = []
        if limit is not None:
            out += [" limit ", _value(limit)]
        if offset is not None:
            out += [" offset ", _value(offset)]
        return out
