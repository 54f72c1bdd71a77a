"""Comparison and logical operators: each builds one small fragment; values are always bound."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, overload

from typing_extensions import TypeVar

from mizzle.errors import QueryError
from mizzle.sql.chunks import SQL, Buildable, Expr, Param, Placeholder, as_chunk, bind

T = TypeVar("T")

Condition = SQL[bool]
"""A boolean SQL fragment usable in `where`, `having`, `on`."""


def _cond(*chunks: Any) -> SQL[bool]:
    return SQL._of(chunks)


_PLAIN = frozenset((int, str, float, bool, bytes))


def _binary(left: Any, op: str, right: Any) -> SQL[bool]:
    if right is None:
        # `x = NULL` is never true in SQL: say what is meant instead of silently matching nothing
        if op == " = ":
            return _cond(as_chunk(left), " is null")
        if op == " <> ":
            return _cond(as_chunk(left), " is not null")
        raise QueryError(f"comparing with None ({op.strip()} NULL) is never true in SQL; use is_null()/is_not_null()")
    if type(right) in _PLAIN and isinstance(left, Expr):
        expr: Expr[Any] = left  # pyright: ignore[reportUnknownVariableType]
        return SQL._of((expr, op, Param(right, expr.encoder, expr)))
    return _cond(as_chunk(left), op, bind(right, left))


@overload
def eq(left: Expr[T | None], right: T | Expr[T] | Expr[T | None] | None) -> SQL[bool]: ...
@overload
def eq(left: Expr[T], right: T | Expr[T] | Expr[T | None]) -> SQL[bool]: ...
def eq(left: Expr[Any], right: Any) -> SQL[bool]:
    """`left = right`; `eq(col, None)` means `col is null` (the right side may be a value or a column)."""
    return _binary(left, " = ", right)


@overload
def ne(left: Expr[T | None], right: T | Expr[T] | Expr[T | None] | None) -> SQL[bool]: ...
@overload
def ne(left: Expr[T], right: T | Expr[T] | Expr[T | None]) -> SQL[bool]: ...
def ne(left: Expr[Any], right: Any) -> SQL[bool]:
    """`left <> right`; `ne(col, None)` means `col is not null` (the right side may be a value or a column)."""
    return _binary(left, " <> ", right)


@overload
def gt(left: Expr[T | None], right: T | Expr[T] | Expr[T | None] | None) -> SQL[bool]: ...
@overload
def gt(left: Expr[T], right: T | Expr[T] | Expr[T | None]) -> SQL[bool]: ...
def gt(left: Expr[Any], right: Any) -> SQL[bool]:
    """`left > right` (the right side may be a value of the left's type or a column of that type, nullable or not)."""
    return _binary(left, " > ", right)


@overload
def gte(left: Expr[T | None], right: T | Expr[T] | Expr[T | None] | None) -> SQL[bool]: ...
@overload
def gte(left: Expr[T], right: T | Expr[T] | Expr[T | None]) -> SQL[bool]: ...
def gte(left: Expr[Any], right: Any) -> SQL[bool]:
    """`left >= right` (the right side may be a value of the left's type or a column of that type, nullable or not)."""
    return _binary(left, " >= ", right)


@overload
def lt(left: Expr[T | None], right: T | Expr[T] | Expr[T | None] | None) -> SQL[bool]: ...
@overload
def lt(left: Expr[T], right: T | Expr[T] | Expr[T | None]) -> SQL[bool]: ...
def lt(left: Expr[Any], right: Any) -> SQL[bool]:
    """`left < right` (the right side may be a value of the left's type or a column of that type, nullable or not)."""
    return _binary(left, " < ", right)


@overload
def lte(left: Expr[T | None], right: T | Expr[T] | Expr[T | None] | None) -> SQL[bool]: ...
@overload
def lte(left: Expr[T], right: T | Expr[T] | Expr[T | None]) -> SQL[bool]: ...
def lte(left: Expr[Any], right: Any) -> SQL[bool]:
    """`left <= right` (the right side may be a value of the left's type or a column of that type, nullable or not)."""
    return _binary(left, " <= ", right)


def and_(*conditions: SQL[Any] | Expr[Any] | None) -> SQL[bool]:
    """All conditions hold; `None` entries are skipped (handy for optional filters)."""
    conds = [c for c in conditions if c is not None]
    if not conds:
        return SQL._of(("1 = 1",))
    if len(conds) == 1:
        return _cond(conds[0])
    chunks: list[Any] = ["("]
    for i, c in enumerate(conds):
        if i:
            chunks.append(" and ")
        chunks.append(c)
    chunks.append(")")
    return SQL._of(tuple(chunks))


def or_(*conditions: SQL[Any] | Expr[Any] | None) -> SQL[bool]:
    """Any condition holds; `None` entries are skipped."""
    conds = [c for c in conditions if c is not None]
    if not conds:
        return SQL._of(("1 = 0",))
    if len(conds) == 1:
        return _cond(conds[0])
    chunks: list[Any] = ["("]
    for i, c in enumerate(conds):
        if i:
            chunks.append(" or ")
        chunks.append(c)
    chunks.append(")")
    return SQL._of(tuple(chunks))


def not_(condition: SQL[Any] | Expr[Any]) -> SQL[bool]:
    """`not (condition)`."""
    return _cond("not ", "(", condition, ")")


def _list(values: Iterable[Any] | Buildable | Placeholder, like: Any) -> list[Any] | None:
    if isinstance(values, Buildable):
        return None
    if isinstance(values, str | bytes):
        raise QueryError("in_array() takes a list of values or a subquery, not a string")
    return list(values)  # type: ignore[arg-type]


def in_array(column: Expr[T], values: Iterable[T] | Buildable) -> SQL[bool]:
    """`column in (values...)` or `column in (subquery)`; an empty list is always false."""
    items = _list(values, column)
    if items is None:
        return _cond(column, " in ", values)
    if not items:
        return SQL._of(("1 = 0",))
    chunks: list[Any] = [column, " in ("]
    for i, v in enumerate(items):
        if i:
            chunks.append(", ")
        chunks.append(bind(v, column))
    chunks.append(")")
    return SQL._of(tuple(chunks))


def not_in_array(column: Expr[T], values: Iterable[T] | Buildable) -> SQL[bool]:
    """`column not in (values...)`; an empty list is always true."""
    items = _list(values, column)
    if items is None:
        return _cond(column, " not in ", values)
    if not items:
        return SQL._of(("1 = 1",))
    chunks: list[Any] = [column, " not in ("]
    for i, v in enumerate(items):
        if i:
            chunks.append(", ")
        chunks.append(bind(v, column))
    chunks.append(")")
    return SQL._of(tuple(chunks))


def is_null(value: Expr[Any]) -> SQL[bool]:
    """`value is null`."""
    return _cond(value, " is null")


def is_not_null(value: Expr[Any]) -> SQL[bool]:
    """`value is not null`."""
    return _cond(value, " is not null")


def like(column: Expr[Any], pattern: str | Expr[Any]) -> SQL[bool]:
    """`column like pattern` (case-sensitivity depends on the database)."""
    return _cond(column, " like ", bind(pattern, None))


def not_like(column: Expr[Any], pattern: str | Expr[Any]) -> SQL[bool]:
    """`column not like pattern`."""
    return _cond(column, " not like ", bind(pattern, None))


class ILike(Buildable):
    """Case-insensitive LIKE, rendered per dialect (ILIKE on PostgreSQL, lower() LIKE lower() elsewhere)."""

    __slots__ = ("column", "negate", "pattern")
    _parens = False

    def __init__(self, column: Any, pattern: Any, negate: bool) -> None:
        self.column = column
        self.pattern = pattern
        self.negate = negate

    def _build(self, dialect: Any) -> SQL[Any]:
        out: SQL[Any] = dialect.ilike(self.column, bind(self.pattern, None), self.negate)
        return out

    def _fingerprint_parts(self) -> tuple[Any, tuple[Any, ...]]:
        """The structural key and the parts every dialect's `ilike()` renders, in render order.

        Every `Dialect.ilike` renders the column once, then the pattern once (so their bound
        values come in this order); a dialect that does otherwise must not be keyed this way.
        """
        return ("ilike", self.negate), (self.column, bind(self.pattern, None))


def ilike(column: Expr[Any], pattern: str | Expr[Any]) -> SQL[bool]:
    """Case-insensitive `like`."""
    return _cond(ILike(column, pattern, False))


def not_ilike(column: Expr[Any], pattern: str | Expr[Any]) -> SQL[bool]:
    """Case-insensitive `not like`."""
    return _cond(ILike(column, pattern, True))


def between(column: Expr[T], low: T | Expr[T], high: T | Expr[T]) -> SQL[bool]:
    """`column between low and high`."""
    return _cond(column, " between ", bind(low, column), " and ", bind(high, column))


def not_between(column: Expr[T], low: T | Expr[T], high: T | Expr[T]) -> SQL[bool]:
    """`column not between low and high`."""
    return _cond(column, " not between ", bind(low, column), " and ", bind(high, column))


def exists(subquery: Buildable) -> SQL[bool]:
    """`exists (subquery)`."""
    return _cond("exists ", subquery)


def not_exists(subquery: Buildable) -> SQL[bool]:
    """`not exists (subquery)`."""
    return _cond("not exists ", subquery)


class Ordering:
    """An ORDER BY term: expression, direction and nulls placement."""

    __slots__ = ("direction", "expr", "nulls")

    direction: Literal["asc", "desc"]
    nulls: Literal["first", "last"] | None

    def __init__(self, expr: Any, direction: Literal["asc", "desc"], nulls: Literal["first", "last"] | None = None):
        self.expr = expr
        self.direction = direction
        self.nulls = nulls

    def nulls_first(self) -> Ordering:
        """Put NULLs first."""
        return Ordering(self.expr, self.direction, "first")

    def nulls_last(self) -> Ordering:
        """Put NULLs last."""
        return Ordering(self.expr, self.direction, "last")

    def __sql__(self) -> SQL[Any]:
        chunks: list[Any] = [as_chunk(self.expr), " " + self.direction]
        if self.nulls:
            chunks.append(" nulls " + self.nulls)
        return SQL._of(tuple(chunks))


def asc(expr: Expr[Any] | Any) -> Ordering:
    """Ascending order."""
    return Ordering(expr, "asc")


def desc(expr: Expr[Any] | Any) -> Ordering:
    """Descending order."""
    return Ordering(expr, "desc")
