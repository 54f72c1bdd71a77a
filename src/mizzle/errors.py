"""The exception hierarchy: every error mizzle raises is a MizzleError."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any


class MizzleError(Exception):
    """Base class of every error raised by mizzle."""


class SchemaError(MizzleError):
    """A table, column or constraint definition is malformed."""


class ConfigError(MizzleError):
    """A connection URL or kit configuration is invalid."""


class QueryError(MizzleError):
    """A query could not be built (bad arguments to a builder)."""


class ValueRefusedError(QueryError):
    """A value cannot be stored in (or compared with) a column: wrong type, not one of its enum
    values, out of range, or it would not read back as the same value. Raised before any SQL runs."""

    def __init__(self, message: str, *, column: str | None = None, value: Any = None) -> None:
        super().__init__(message)
        self.column = column  # "table.column"
        self.value = value


class RelationNotLoadedError(QueryError, AttributeError):
    """A row's relation was read but the query did not load it (add it to `with_`)."""


class ResultError(MizzleError):
    """A result did not have the expected shape (e.g. `.one()` found no row)."""


class NoResultError(ResultError):
    """`.one()` found no row."""


class MultipleResultsError(ResultError):
    """`.one()` found more than one row."""


class DecodeError(ResultError):
    """A stored value could not be read as its column's Python type (bad data written around mizzle).

    Names the table, the column, the row's primary key (when the query selected it) and the raw
    value; read the raw value with `sql` (e.g. `db.select(id=T.id, raw=sql("{}", T.col).map_with(str))`,
    see docs/values.md) to repair it.
    """

    def __init__(
        self,
        message: str,
        *,
        table: str | None = None,
        column: str | None = None,
        key: dict[str, Any] | None = None,
        raw: Any = None,
    ) -> None:
        super().__init__(message)
        self.table = table
        self.column = column
        self.key = key
        self.raw = raw


class DatabaseError(MizzleError):
    """An error reported by the database driver, with the statement that caused it."""

    def __init__(
        self,
        message: str,
        *,
        sql: str | None = None,
        params: Sequence[Any] | None = None,
        table: str | None = None,
        column: str | None = None,
        constraint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.sql = sql
        self.params = params
        self.table = table
        self.column = column
        self.constraint = constraint

    def __str__(self) -> str:
        text = self.message
        if self.sql is not None:
            text += f"\n  while running: {self.sql}"
        return text


class OperationalError(DatabaseError):
    """The database could not run the statement (locked, missing table, syntax, lost connection)."""


class CommitOutcomeUnknown(OperationalError):
    """COMMIT was sent but its outcome is unknown: the connection died while COMMIT was in flight
    (or, as `CommitCancelled`, the task was cancelled then). The transaction may or may not have
    been committed (the server may have committed before the connection was lost), and the
    connection is discarded. Check the database (e.g. look for the rows written) before retrying."""


class CommitCancelled(CommitOutcomeUnknown, asyncio.CancelledError):
    """The task was cancelled while COMMIT was in flight: a `CommitOutcomeUnknown` that is an
    `asyncio.CancelledError` too, so timeouts and task groups still see a cancellation; catch
    `CommitOutcomeUnknown` first to check the database before retrying."""


class UnreachableError(OperationalError):
    """The database server could not be reached (connection refused, timed out, unknown host)."""


class AuthError(OperationalError):
    """The server refused the credentials (missing, invalid or expired token; no permission)."""


class IntegrityError(DatabaseError):
    """A constraint was violated."""


class UniqueViolation(IntegrityError):
    """A UNIQUE or PRIMARY KEY constraint was violated."""


class ForeignKeyViolation(IntegrityError):
    """A FOREIGN KEY constraint was violated."""


class NotNullViolation(IntegrityError):
    """A NOT NULL constraint was violated."""


class CheckViolation(IntegrityError):
    """A CHECK constraint was violated."""


class MigrationError(MizzleError):
    """A migration folder or migration run is invalid."""


__all__ = [
    "AuthError",
    "CheckViolation",
    "CommitCancelled",
    "CommitOutcomeUnknown",
    "ConfigError",
    "DatabaseError",
    "DecodeError",
    "ForeignKeyViolation",
    "IntegrityError",
    "MigrationError",
    "MizzleError",
    "MultipleResultsError",
    "NoResultError",
    "NotNullViolation",
    "OperationalError",
    "QueryError",
    "ResultError",
    "SchemaError",
    "UniqueViolation",
    "UnreachableError",
    "ValueRefusedError",
]
