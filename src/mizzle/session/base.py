"""What sync and async sessions share: results, logging, savepoint names, query factories."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from mizzle.errors import MultipleResultsError, NoResultError
from mizzle.query.base import RunResult as RunResult
from mizzle.query.dml import Delete, Insert, Update
from mizzle.query.select import SelectFactory, Subquery
from mizzle.schema.table import Table
from mizzle.sql.chunks import SQL
from mizzle.sql.render import render

if TYPE_CHECKING:
    from mizzle.dialects.base import Dialect
    from mizzle.query.base import Compiled

P = ParamSpec("P")
R = TypeVar("R", bound=Table)

sql_logger = logging.getLogger("mizzle.sql")
"""SQL statements are logged here at DEBUG level (with their parameters)."""

debug_answers: dict[int, bool] = getattr(sql_logger, "_cache", {})
"""`sql_logger`'s own cache of `isEnabledFor` answers (logging clears it whenever levels change): hot
paths skip the `isEnabledFor` call when it holds False for DEBUG (`debug_answers.get(10) is False`)."""

SQLLogger = Callable[[str, Sequence[Any]], None]


class Rollback(Exception):
    """Raised by `tx.rollback()` to leave a transaction block, rolling it back."""


def one_of(rows: Sequence[Any], what: str) -> Any:
    """The only row, or NoResultError / MultipleResultsError naming the query."""
    if not rows:
        raise NoResultError(f"expected exactly one row, got none: {what}")
    if len(rows) > 1:
        raise MultipleResultsError(f"expected exactly one row, got {len(rows)}: {what}")
    return rows[0]


class Builders:
    """The query-builder entry points shared by every session (sync and async)."""

    dialect: Dialect
    _ctes: tuple[Subquery, ...] = ()

    @property
    def select(self) -> SelectFactory:
        """`db.select()` for full rows; `db.select(col, ...)` for typed tuples; `db.select(a=col)` for records."""
        return SelectFactory(self, False, self._ctes)

    @property
    def select_distinct(self) -> SelectFactory:
        """`select distinct ...`."""
        return SelectFactory(self, True, self._ctes)

    def insert(self, table: Callable[P, R]) -> Insert[P, R]:
        """`insert into table`."""
        return Insert(self, table)  # type: ignore[arg-type]

    def update(self, table: Callable[P, R]) -> Update[P, R]:
        """`update table`."""
        return Update(self, table)  # type: ignore[arg-type]

    def delete(self, table: type[R]) -> Delete[R]:
        """`delete from table`."""
        return Delete(self, table)


def log_sql(logger: SQLLogger | None, sql: str, params: Sequence[Any]) -> None:
    """Send one statement to the configured logger and to the `mizzle.sql` logging channel."""
    if logger is not None:
        logger(sql, params)
    if sql_logger.isEnabledFor(logging.DEBUG):
        sql_logger.debug("%s -- params: %r", sql, list(params))


def describe(c: Compiled) -> str:
    """A short description of a compiled query for error messages."""
    text = c.query.sql
    return text if len(text) < 200 else text[:197] + "..."


def raw_statement(query: SQL[Any] | str, args: Sequence[Any], dialect: Dialect) -> tuple[str, list[Any]]:
    """SQL text and parameters for `db.execute(query, *args)` (a `sql` fragment or trusted text)."""
    if isinstance(query, str):
        templated = bool(args) and "{}" in query
        frag: SQL[Any] = SQL(query, *args) if templated else SQL.raw(query)
        extra: Sequence[Any] = () if templated else args
    else:
        frag, extra = query, ()
    rq = render(frag, dialect)
    return rq.sql, [*rq.params, *extra]
