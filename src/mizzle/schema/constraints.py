"""Table-level constraints and indexes: index, unique_index, unique, primary_key, foreign_key, check."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from mizzle.schema.column import Column, FKAction
from mizzle.sql.chunks import SQL


@dataclass(frozen=True, slots=True)
class Index:
    """`CREATE [UNIQUE] INDEX name ON table (columns) [WHERE ...]`."""

    name: str
    columns: tuple[Column[Any] | SQL[Any], ...] = ()
    unique: bool = False
    where_: SQL[Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict[str, Any])

    def on(self, *columns: Column[Any] | SQL[Any]) -> Index:
        """The indexed columns (or expressions)."""
        return replace(self, columns=tuple(columns))

    def where(self, condition: SQL[Any]) -> Index:
        """Make this a partial index."""
        return replace(self, where_=condition)

    def using(self, method: str) -> Index:
        """Index method (PostgreSQL: btree, gin, gist, hash)."""
        return replace(self, extra={**self.extra, "using": method})


def index(name: str) -> Index:
    """An index; call `.on(columns...)`."""
    return Index(name)


def unique_index(name: str) -> Index:
    """A unique index; call `.on(columns...)`."""
    return Index(name, unique=True)


@dataclass(frozen=True, slots=True)
class UniqueConstraint:
    """`CONSTRAINT name UNIQUE(a, b)`."""

    name: str | None
    columns: tuple[Column[Any], ...] = ()

    def on(self, *columns: Column[Any]) -> UniqueConstraint:
        """The columns that are unique together."""
        return replace(self, columns=tuple(columns))


def unique(name: str | None = None) -> UniqueConstraint:
    """A multi-column unique constraint; call `.on(columns...)`."""
    return UniqueConstraint(name)


@dataclass(frozen=True, slots=True)
class PrimaryKey:
    """A composite primary key."""

    columns: tuple[Column[Any], ...]
    name: str | None = None


def primary_key(*columns: Column[Any], name: str | None = None) -> PrimaryKey:
    """A composite primary key over `columns`."""
    return PrimaryKey(tuple(columns), name)


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """A (possibly composite) foreign key."""

    columns: tuple[Column[Any], ...]
    foreign_columns: Callable[[], Sequence[Column[Any]]]
    name: str | None = None
    on_delete_: FKAction | None = None
    on_update_: FKAction | None = None

    def on_delete(self, action: FKAction) -> ForeignKey:
        """ON DELETE action."""
        return replace(self, on_delete_=action)

    def on_update(self, action: FKAction) -> ForeignKey:
        """ON UPDATE action."""
        return replace(self, on_update_=action)

    def targets(self) -> tuple[Column[Any], ...]:
        """The referenced columns."""
        return tuple(self.foreign_columns())


def foreign_key(
    columns: Sequence[Column[Any]],
    foreign_columns: Sequence[Column[Any]] | Callable[[], Sequence[Column[Any]]],
    *,
    name: str | None = None,
) -> ForeignKey:
    """A composite foreign key; `foreign_columns` may be a lambda for tables defined later."""
    if callable(foreign_columns):
        fc: Callable[[], Sequence[Column[Any]]] = foreign_columns
    else:
        fixed = tuple(foreign_columns)

        def fc() -> Sequence[Column[Any]]:
            return fixed

    return ForeignKey(tuple(columns), fc, name)


@dataclass(frozen=True, slots=True)
class Check:
    """`CONSTRAINT name CHECK (expr)`."""

    name: str
    expr: SQL[Any]


def check(name: str, expr: SQL[Any]) -> Check:
    """A named CHECK constraint."""
    return Check(name, expr)


Constraint = Index | UniqueConstraint | PrimaryKey | ForeignKey | Check
