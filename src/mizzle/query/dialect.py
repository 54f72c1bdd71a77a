"""What builders need of a dialect: its capabilities and the statement renderers.

A dialect (`mizzle.dialects`) implements this; builders only describe a statement and hand
themselves to it, so this package never imports a dialect or a session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from mizzle.sql.render import Target

if TYPE_CHECKING:
    from mizzle.query.dml import Delete, Insert, Update
    from mizzle.query.select import Select
    from mizzle.schema.column import Column
    from mizzle.sql.chunks import SQL, Expr


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a database can do; builders and tests ask these instead of comparing names."""

    returning: bool = True
    returning_insert: bool = True
    returning_delete: bool = True
    returning_update: bool = True
    nulls_ordering: bool = True
    right_join: bool = True
    full_join: bool = True
    ilike: bool = False
    distinct_on: bool = False
    row_locks: bool = False
    update_limit: bool = False
    transactional_ddl: bool = True
    savepoints: bool = True
    parenthesized_set_ops: bool = True
    intersect_all: bool = False
    executemany: bool = True
    materialized_views: bool = False
    inline_grouped_values: bool = False
    """Each use of a bound value is a new parameter (`$1`, `$2`) that the database compares as a
    different expression, so a grouped expression with values must write them as literals (PostgreSQL;
    SQLite does not check, MySQL's drivers interpolate them)."""


class Renderer(Target, Protocol):
    """A dialect as builders see it (`mizzle.dialects.base.Dialect` implements it)."""

    name: str
    caps: Capabilities
    _query_cache: dict[tuple[Any, ...], str]

    def build_select(self, q: Select[Any], *, in_set_op: bool = False) -> SQL[Any]: ...

    def build_insert(self, q: Insert[Any, Any], returning: tuple[Expr[Any], ...] | None) -> SQL[Any]: ...

    def build_update(self, q: Update[Any, Any], returning: tuple[Expr[Any], ...] | None) -> SQL[Any]: ...

    def build_delete(self, q: Delete[Any], returning: tuple[Expr[Any], ...] | None) -> SQL[Any]: ...

    def excluded(self, column: Column[Any]) -> SQL[Any]: ...


_default: list[Renderer] = []


def set_default_dialect(dialect: Renderer) -> None:
    """The dialect that builders not bound to a database render with (`mizzle` sets SQLite's)."""
    _default[:] = [dialect]


def default_dialect() -> Renderer:
    """The dialect set by `set_default_dialect`."""
    if not _default:
        from mizzle.errors import QueryError

        raise QueryError("no default dialect: pass one, e.g. query.to_sql(SQLiteDialect.default())")
    return _default[0]
