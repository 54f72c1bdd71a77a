"""Aggregate and scalar SQL functions with result types."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Generic, Literal, TypeAlias, overload

from typing_extensions import TypeVar

from mizzle.errors import QueryError
from mizzle.sql.chunks import SQL, Buildable, Expr, Param, as_chunk, bind

T = TypeVar("T")
S = TypeVar("S", bound=str)
D = TypeVar("D", bound=date)
V = TypeVar("V")


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


@overload
def coalesce(expr: Expr[T | None], /, *fallbacks: Expr[T | None]) -> SQL[T | None]: ...
@overload
def coalesce(expr: Expr[T | None], /, *fallbacks: T | Expr[T] | Expr[T | None]) -> SQL[T]: ...
@overload
def coalesce(expr: Expr[T], /, *fallbacks: T | Expr[T] | Expr[T | None]) -> SQL[T]: ...
def coalesce(expr: Expr[Any], /, *fallbacks: Any) -> SQL[Any]:
    """`coalesce(expr, fallbacks...)`: None-able only when every argument is a None-able expression."""
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


@overload
def lower(expr: Expr[S]) -> SQL[str]: ...
@overload
def lower(expr: Expr[S | None]) -> SQL[str | None]: ...
def lower(expr: Expr[Any]) -> SQL[Any]:
    """`lower(expr)`."""
    return _fn("lower", expr)


@overload
def upper(expr: Expr[S]) -> SQL[str]: ...
@overload
def upper(expr: Expr[S | None]) -> SQL[str | None]: ...
def upper(expr: Expr[Any]) -> SQL[Any]:
    """`upper(expr)`."""
    return _fn("upper", expr)


# ---- functions rendered per dialect (`dialect.functions`, see mizzle.dialects.functions) ----------

class Call(Buildable):
    """A function call the dialect spells (`dialect.functions.<name>(*args)`).

    `mode` tells a dialect how a value is stored when that matters (`now()` is a timestamp in the
    representation of the dialect's timestamp columns).
    """

    __slots__ = ("args", "mode", "name")
    _parens = False
    _keyed_by_build = True  # the structural cache keys it by the fragment the dialect builds (render.fingerprint)

    def __init__(self, name: str, args: tuple[Any, ...], mode: str | None = None) -> None:
        self.name = name
        self.args = args
        self.mode = mode

    def _build(self, dialect: Any) -> SQL[Any]:
        out: SQL[Any] = getattr(dialect.functions, self.name)(*self.args)
        return out

    def __repr__(self) -> str:
        return f"Call({self.name!r}, {self.args!r})"


def _call(name: str, *args: Any, decoder: Any = None, mode: str | None = None) -> SQL[Any]:
    return SQL._of((Call(name, args, mode),), decoder)


def _arg(value: Any) -> Any:
    """A Python value bound as a parameter; expressions unchanged."""
    return bind(value, None)




def _decode_datetime(value: Any) -> datetime:
    """A timestamp as unix seconds, ISO text or a datetime -> an aware datetime (UTC when the
    database gives none)."""
    if isinstance(value, int | float | Decimal):
        return datetime.fromtimestamp(float(value), UTC)
    if isinstance(value, bytes | bytearray):
        value = value.decode()
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    out: datetime = value
    return out


# -- cast

@overload
def cast(expr: Expr[V | None], to: type[T]) -> SQL[T | None]: ...
@overload
def cast(expr: Expr[Any], to: type[T]) -> SQL[T]: ...
def cast(expr: Expr[Any], to: type[Any]) -> SQL[Any]:
    """`cast(expr as <SQL type>)` for `to` in int, str, float, Decimal, date (spelled per dialect)."""
    from mizzle.sql.fnutil import CAST_DECODERS

    if to not in CAST_DECODERS:
        known = ", ".join(t.__name__ for t in CAST_DECODERS)
        raise QueryError(f"cast(): no SQL type for {to!r} (supported: {known})")
    return _call("cast", expr, to, decoder=CAST_DECODERS[to])


# -- case

class Case(Generic[T]):
    """`case when ... then ... [else ...] end`, typed by its branches; finish with `.else_(v)` or `.end()`."""

    __slots__ = ("_branches", "_decoder")

    def __init__(self, branches: tuple[tuple[Any, Any], ...], decoder: Any) -> None:
        self._branches = branches
        self._decoder = decoder

    def when(self, cond: Expr[bool] | Expr[bool | None], value: T | Expr[T]) -> Case[T]:
        """Another branch: `when cond then value`."""
        return Case((*self._branches, (cond, _arg(value))), self._decoder)

    def else_(self, value: T | Expr[T]) -> SQL[T]:
        """The value when no branch matches; ends the expression."""
        return self._sql(_arg(value))

    def end(self) -> SQL[T | None]:
        """End without `else`: NULL when no branch matches."""
        return self._sql(None)

    def _sql(self, default: Any) -> SQL[Any]:
        chunks: list[Any] = ["(case"]
        for cond, value in self._branches:
            chunks += [" when ", cond, " then ", value]
        if default is not None:
            chunks += [" else ", default]
        chunks.append(" end)")
        return SQL._of(tuple(chunks), self._decoder)


class _CaseStart:
    __slots__ = ()

    @overload
    def when(self, cond: Expr[bool] | Expr[bool | None], value: Expr[V]) -> Case[V]: ...
    @overload
    def when(self, cond: Expr[bool] | Expr[bool | None], value: V) -> Case[V]: ...
    def when(self, cond: Expr[bool] | Expr[bool | None], value: Any) -> Case[Any]:
        """The first branch: its value's type is the type of the whole expression."""
        decoder = value.decoder if isinstance(value, Expr) else None
        return Case(((cond, _arg(value)),), decoder)


def case() -> _CaseStart:
    """Start a `case` expression: `case().when(cond, value).when(...).else_(default)`."""
    return _CaseStart()


# -- strings

@overload
def length(expr: Expr[S]) -> SQL[int]: ...
@overload
def length(expr: Expr[S | None]) -> SQL[int | None]: ...
def length(expr: Expr[Any]) -> SQL[Any]:
    """Number of characters (`length` on SQLite, `char_length` elsewhere)."""
    return _call("length", expr, decoder=_to_int)


@overload
def trim(expr: Expr[S]) -> SQL[str]: ...
@overload
def trim(expr: Expr[S | None]) -> SQL[str | None]: ...
def trim(expr: Expr[Any]) -> SQL[Any]:
    """Leading and trailing spaces removed."""
    return _call("trim", expr)


@overload
def concat(*parts: str | Expr[S]) -> SQL[str]: ...  # pyright: ignore[reportOverlappingOverload]
@overload
def concat(*parts: str | Expr[S] | Expr[S | None]) -> SQL[str | None]: ...
def concat(*parts: Any) -> SQL[Any]:
    """Strings joined; NULL when any part is NULL (`||`, or `concat()` on MySQL)."""
    if not parts:
        raise QueryError("concat() needs at least one part")
    return _call("concat", [_arg(p) for p in parts])


@overload
def substr(expr: Expr[S], start: int, length: int | None = None) -> SQL[str]: ...
@overload
def substr(expr: Expr[S | None], start: int, length: int | None = None) -> SQL[str | None]: ...
def substr(expr: Expr[Any], start: int, length: int | None = None) -> SQL[Any]:
    """`length` characters (all when None) from position `start` (1-based)."""
    return _call("substr", expr, _arg(start), None if length is None else _arg(length))


@overload
def replace(expr: Expr[S], old: str | Expr[str], new: str | Expr[str]) -> SQL[str]: ...
@overload
def replace(expr: Expr[S | None], old: str | Expr[str], new: str | Expr[str]) -> SQL[str | None]: ...
def replace(expr: Expr[Any], old: Any, new: Any) -> SQL[Any]:
    """Every occurrence of `old` replaced by `new`."""
    return _call("replace", expr, _arg(old), _arg(new))


def _like(expr: Any, pattern: str) -> SQL[bool]:
    return _call("like_prefix", expr, Param(pattern))


def starts_with(expr: Expr[S] | Expr[S | None], prefix: str) -> SQL[bool]:
    """`expr like 'prefix%'` with `%`, `_` and the escape character in `prefix` matched literally.
    Case sensitivity is the database's LIKE's (see docs/how-to/expressions.md)."""
    from mizzle.sql.fnutil import like_escape

    return _like(expr, like_escape(prefix) + "%")


def ends_with(expr: Expr[S] | Expr[S | None], suffix: str) -> SQL[bool]:
    """`expr like '%suffix'`, `suffix` matched literally."""
    from mizzle.sql.fnutil import like_escape

    return _like(expr, "%" + like_escape(suffix))


def contains(expr: Expr[S] | Expr[S | None], part: str) -> SQL[bool]:
    """`expr like '%part%'`, `part` matched literally."""
    from mizzle.sql.fnutil import like_escape

    return _like(expr, "%" + like_escape(part) + "%")


# -- dates

def now() -> SQL[datetime]:
    """The current time (unix time on SQLite, like its integer timestamp columns; `now()` elsewhere)."""
    return _call("now", decoder=_decode_datetime, mode="timestamp")


@overload
def date_of(expr: Expr[D]) -> SQL[date]: ...
@overload
def date_of(expr: Expr[D | None]) -> SQL[date | None]: ...
def date_of(expr: Expr[Any]) -> SQL[Any]:
    """The calendar date (UTC for stored instants) of a timestamp: a day bucket for `group_by`."""
    from mizzle.sql.fnutil import decode_date

    return _call("date_of", expr, decoder=decode_date)


DatePart = Literal["year", "month", "day", "hour", "minute", "second"]


@overload
def extract(part: DatePart, expr: Expr[D]) -> SQL[int]: ...
@overload
def extract(part: DatePart, expr: Expr[D | None]) -> SQL[int | None]: ...
def extract(part: DatePart, expr: Expr[Any]) -> SQL[Any]:
    """A field of a timestamp or date as an integer (`extract(year from ts)`)."""
    if part not in ("year", "month", "day", "hour", "minute", "second"):
        raise QueryError(f"extract(): unknown part {part!r}; use year, month, day, hour, minute or second")
    return _call("extract", part, expr, decoder=_to_int)


# -- JSON

JSONValue: TypeAlias = "dict[str, JSONValue] | list[JSONValue] | str | int | float | bool | None"
"""A decoded JSON value."""


def _check_path(path: tuple[Any, ...]) -> tuple[str | int, ...]:
    for p in path:
        if isinstance(p, bool) or not isinstance(p, int | str):
            raise QueryError(f"JSON path steps are str (keys) or int (array indexes), not {p!r}")
        if isinstance(p, int) and p < 0:
            raise QueryError(f"JSON path: negative array index {p} is not portable")
    return path


def json_get(expr: Expr[Any], *path: str | int) -> SQL[JSONValue]:
    """The JSON value at `path` (keys and array indexes) of a JSON column, decoded; None when absent."""
    from mizzle.sql.fnutil import decode_json

    return _call("json_get", expr, _check_path(path), decoder=decode_json)


def json_text(expr: Expr[Any], *path: str | int) -> SQL[str | None]:
    """The value at `path` as text (a JSON string unquoted); None when absent."""
    from mizzle.sql.fnutil import decode_str

    return _call("json_text", expr, _check_path(path), decoder=decode_str)
