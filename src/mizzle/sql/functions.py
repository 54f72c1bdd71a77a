"""Aggregate and scalar SQL functions with result types."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, overload

from typing_extensions import TypeVar

from mizzle.sql.chunks import SQL, Expr, as_chunk

T = TypeVar("T")


def _fn(name: str, *args: Any, decoder: Any = None) -> SQL[Any]:
    chunks: list[Any] = [name, "("]
    for i, a in enumerate(args):
        if i:
            chunks.append(", ")
        chunks.append(as_chunk(a))
    chunks.append(")")
    return SQL._of(tuple(chunks), decoder)


def _to_int(v: Any) -> int:
    return int(v)


def _to_float(v: Any) -> float:
    return float(v)


def count(expr: Expr[Any] | None = None) -> SQL[int]:
    """`count(*)` or `count(expr)`."""
    if expr is None:
        return SQL._of(("count(*)",), _to_int)
    return _fn("count", expr, decoder=_to_int)


def count_distinct(expr: Expr[Any]) -> SQL[int]:
    """`count(distinct expr)`."""
    return SQL._of(("count(distinct ", expr, ")"), _to_int)


def _number_decoder(expr: Expr[Any]) -> Any:
    dec = expr.decoder
    if dec is not None:
        return dec
    return _num


def _num(v: Any) -> Any:
    if isinstance(v, Decimal) and v == v.to_integral_value():
        return int(v)
    return v


IDENTITY_ON: dict[Any, tuple[type[Any], ...]] = {_to_int: (int,), _to_float: (float,), _num: (int, float)}
"""Result decoders that return their input unchanged for values of these exact types (compiled row
decoders skip the call for them)."""


@overload
def sum_(expr: Expr[T | None]) -> SQL[T | None]: ...
@overload
def sum_(expr: Expr[T]) -> SQL[T | None]: ...
def sum_(expr: Expr[Any]) -> SQL[Any]:
    """`sum(expr)` (None over no rows)."""
    return _fn("sum", expr, decoder=_number_decoder(expr))


@overload
def sum_distinct(expr: Expr[T | None]) -> SQL[T | None]: ...
@overload
def sum_distinct(expr: Expr[T]) -> SQL[T | None]: ...
def sum_distinct(expr: Expr[Any]) -> SQL[Any]:
    """`sum(distinct expr)`."""
    return SQL._of(("sum(distinct ", expr, ")"), _number_decoder(expr))


def avg(expr: Expr[Any]) -> SQL[float | None]:
    """`avg(expr)` as a float (None over no rows)."""
    return _fn("avg", expr, decoder=_to_float)


def avg_distinct(expr: Expr[Any]) -> SQL[float | None]:
    """`avg(distinct expr)`."""
    return SQL._of(("avg(distinct ", expr, ")"), _to_float)


@overload
def min_(expr: Expr[T | None]) -> SQL[T | None]: ...
@overload
def min_(expr: Expr[T]) -> SQL[T | None]: ...
def min_(expr: Expr[Any]) -> SQL[Any]:
    """`min(expr)`, decoded like the column (a timestamp stays a datetime)."""
    return _fn("min", expr, decoder=expr.decoder)


@overload
def max_(expr: Expr[T | None]) -> SQL[T | None]: ...
@overload
def max_(expr: Expr[T]) -> SQL[T | None]: ...
def max_(expr: Expr[Any]) -> SQL[Any]:
    """`max(expr)`, decoded like the column."""
    return _fn("max", expr, decoder=expr.decoder)


def coalesce(expr: Expr[T | None], *fallbacks: T | Expr[T]) -> SQL[T]:
    """`coalesce(expr, fallbacks...)`."""
    out = _fn("coalesce", expr, *fallbacks)
    out.decoder = expr.decoder
    return out


@overload
def nullable(expr: Expr[T | None]) -> SQL[T | None]: ...
@overload
def nullable(expr: Expr[T]) -> SQL[T | None]: ...
def nullable(expr: Expr[Any]) -> SQL[Any]:
    """The same expression typed as possibly None: select a NOT NULL column of an outer-joined
    table with it (`select(Users.email, nullable(Sessions.model))` over a left join is
    `tuple[str, str | None]`); selecting such a column bare is refused, since its type would lie."""
    out: SQL[Any] = SQL._of((expr,), expr.decoder)
    out.encoder = expr.encoder
    return out


def lower(expr: Expr[Any]) -> SQL[str]:
    """`lower(expr)`."""
    return _fn("lower", expr)


def upper(expr: Expr[Any]) -> SQL[str]:
    """`upper(expr)`."""
    return _fn("upper", expr)
