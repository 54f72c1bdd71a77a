"""SQL as an inert, immutable list of chunks: text, identifiers, bound values and placeholders."""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Generic, Protocol, overload, runtime_checkable

from typing_extensions import TypeVar

if TYPE_CHECKING:
    from mizzle.sql.operators import Ordering

T = TypeVar("T", default=Any)
T_co = TypeVar("T_co", covariant=True)
U = TypeVar("U")
N = TypeVar("N", int, float, Decimal)  # numbers arithmetic keeps (int op int is int, ...)

Codec = Callable[[Any], Any]
"""A function converting one value between Python and the driver (either direction)."""


@runtime_checkable
class SQLWrapper(Protocol):
    """Anything that renders as SQL by returning a fragment from `__sql__()`."""

    def __sql__(self) -> SQL[Any]: ...


class Buildable:
    """A query builder usable inside other SQL (a subquery): the dialect builds its fragment."""

    __slots__ = ()
    _parens: bool = True  # wrap in parentheses when embedded (subqueries)

    def _build(self, dialect: Any) -> SQL[Any]:
        raise NotImplementedError


class Yields(Protocol[T_co]):
    """An expression whose value is a `T_co` (for the type checkers): `Expr[T]` is invariant, so an
    `Expr[list[str]]` is not an `Expr[list[str] | None]`; as a value stored into a column it is a
    `Yields[list[str] | None]` (a never-None expression fits a None-able column)."""

    def _value_type(self) -> T_co: ...


class Expr(Generic[T]):
    """A typed SQL expression: a column, a raw fragment, a function call.

    `decoder` turns a driver value into the Python value of type `T`; `encoder` turns a
    Python value compared with this expression into a driver value.
    """

    __slots__ = ("decoder", "encoder")

    decoder: Codec | None
    encoder: Codec | None

    def __sql__(self) -> SQL[Any]:
        """Return the fragment for this expression."""
        raise NotImplementedError

    if TYPE_CHECKING:
        # for the checkers only: what the expression evaluates to, read covariantly through `Yields`
        def _value_type(self) -> T: ...

    @overload
    def __add__(self: Expr[N], other: N | Expr[N], /) -> SQL[N]: ...
    @overload
    def __add__(self: Expr[int], other: Decimal | Expr[Decimal], /) -> SQL[Decimal]: ...
    @overload
    def __add__(self: Expr[Decimal], other: int | Expr[int], /) -> SQL[Decimal]: ...
    @overload
    def __add__(self: Expr[int], other: float | Expr[float], /) -> SQL[float]: ...  # pyright: ignore[reportOverlappingOverload]
    @overload
    def __add__(self: Expr[float], other: int | Expr[int], /) -> SQL[float]: ...  # pyright: ignore[reportOverlappingOverload]
    @overload
    def __add__(self: Expr[N], other: Expr[N | None] | Expr[int | None] | None, /) -> SQL[N | None]: ...
    @overload
    def __add__(self: Expr[N | None], other: N | int | Expr[N] | Expr[int] | Expr[N | None] | Expr[int | None] | None, /) -> SQL[N | None]: ...
    def __add__(self, other: Any, /) -> Any:
        """`self + other` in SQL, typed by the operands (int, float, Decimal; None-able if either is)."""
        return _arith(self, "+", other)

    @overload
    def __sub__(self: Expr[N], other: N | Expr[N], /) -> SQL[N]: ...
    @overload
    def __sub__(self: Expr[int], other: Decimal | Expr[Decimal], /) -> SQL[Decimal]: ...
    @overload
    def __sub__(self: Expr[Decimal], other: int | Expr[int], /) -> SQL[Decimal]: ...
    @overload
    def __sub__(self: Expr[int], other: float | Expr[float], /) -> SQL[float]: ...  # pyright: ignore[reportOverlappingOverload]
    @overload
    def __sub__(self: Expr[float], other: int | Expr[int], /) -> SQL[float]: ...  # pyright: ignore[reportOverlappingOverload]
    @overload
    def __sub__(self: Expr[N], other: Expr[N | None] | Expr[int | None] | None, /) -> SQL[N | None]: ...
    @overload
    def __sub__(self: Expr[N | None], other: N | int | Expr[N] | Expr[int] | Expr[N | None] | Expr[int | None] | None, /) -> SQL[N | None]: ...
    def __sub__(self, other: Any, /) -> Any:
        """`self - other` in SQL, typed by the operands (int, float, Decimal; None-able if either is)."""
        return _arith(self, "-", other)

    @overload
    def __mul__(self: Expr[N], other: N | Expr[N], /) -> SQL[N]: ...
    @overload
    def __mul__(self: Expr[int], other: Decimal | Expr[Decimal], /) -> SQL[Decimal]: ...
    @overload
    def __mul__(self: Expr[Decimal], other: int | Expr[int], /) -> SQL[Decimal]: ...
    @overload
    def __mul__(self: Expr[int], other: float | Expr[float], /) -> SQL[float]: ...  # pyright: ignore[reportOverlappingOverload]
    @overload
    def __mul__(self: Expr[float], other: int | Expr[int], /) -> SQL[float]: ...  # pyright: ignore[reportOverlappingOverload]
    @overload
    def __mul__(self: Expr[N], other: Expr[N | None] | Expr[int | None] | None, /) -> SQL[N | None]: ...
    @overload
    def __mul__(self: Expr[N | None], other: N | int | Expr[N] | Expr[int] | Expr[N | None] | Expr[int | None] | None, /) -> SQL[N | None]: ...
    def __mul__(self, other: Any, /) -> Any:
        """`self * other` in SQL, typed by the operands (int, float, Decimal; None-able if either is)."""
        return _arith(self, "*", other)

    @overload
    def __truediv__(self: Expr[Decimal], other: int | Decimal | Expr[int] | Expr[Decimal], /) -> SQL[Decimal]: ...
    @overload
    def __truediv__(self: Expr[int] | Expr[float], other: float | Expr[int] | Expr[float], /) -> SQL[float]: ...
    @overload
    def __truediv__(self: Expr[Decimal | None], other: int | Decimal | Expr[int] | Expr[Decimal] | Expr[int | None] | Expr[Decimal | None] | None, /) -> SQL[Decimal | None]: ...  # type: ignore[overload-overlap]  # pyright: ignore[reportOverlappingOverload]
    @overload
    def __truediv__(self: Expr[int | None] | Expr[float | None], other: float | Expr[int] | Expr[float] | Expr[int | None] | Expr[float | None] | None, /) -> SQL[float | None]: ...
    def __truediv__(self, other: Any, /) -> Any:
        """`self / other` in SQL: true division (integers are divided as decimals, read as float)."""
        return _arith(self, "/", other)

    def as_(self, alias: str) -> Aliased[T]:
        """Name this expression in a selection (`expr AS "alias"`)."""
        return Aliased(self, alias)

    def asc(self) -> Ordering:
        """Ascending order on this expression."""
        from mizzle.sql.operators import asc

        return asc(self)

    def desc(self) -> Ordering:
        """Descending order on this expression."""
        from mizzle.sql.operators import desc

        return desc(self)


class ColumnRef(Expr[T]):
    """A column as SQL text sees it: its name, qualified by its table (or the table's alias).

    `mizzle.schema.column.Column` is the implementation; rendering needs only these fields.
    """

    __slots__ = ("name", "render_cache", "table_alias")

    name: str
    table_alias: str
    render_cache: tuple[Any, str, str] | None  # (quote function, qualified text, bare text)


class Identifier:
    """A quoted name (`"users"` or `"main"."users"`)."""

    __slots__ = ("parts",)

    def __init__(self, *parts: str) -> None:
        self.parts = parts

    def __repr__(self) -> str:
        return f"Identifier({'.'.join(self.parts)})"


class Param:
    """A value bound as a query parameter, encoded by `encoder` when rendered.

    `source` is the expression the value is compared with or stored into (for error messages).
    """

    __slots__ = ("encoder", "source", "value")

    def __init__(self, value: Any, encoder: Codec | None = None, source: Any = None) -> None:
        self.value = value
        self.encoder = encoder
        self.source = source

    def __repr__(self) -> str:
        return f"Param({self.value!r})"


class Placeholder:
    """A named slot filled when a prepared query runs: `placeholder("id")`."""

    __slots__ = ("encoder", "name", "source")

    def __init__(self, name: str, encoder: Codec | None = None, source: Any = None) -> None:
        self.name = name
        self.encoder = encoder
        self.source = source  # the column the value is stored into or compared with (for messages)

    def __repr__(self) -> str:
        return f"Placeholder({self.name!r})"


def placeholder(name: str) -> Any:
    """A named value supplied later, when a prepared query runs (`.prepare().all(name=...)`).

    Typed as `Any` so it can stand wherever a value of any type is expected.
    """
    return Placeholder(name)


_formatter = string.Formatter()
_parsed: dict[str, list[tuple[str, str | None]]] = {}


class SQL(Expr[T]):
    """An immutable SQL fragment. `sql("select {} from {}", Users.id, Users)`.

    Values in `{}` slots are always bound as parameters, never written into the SQL text;
    columns, tables and other fragments are rendered in place. `sql[int](...)` gives the
    fragment a result type for selections.
    """

    __slots__ = ("chunks",)

    chunks: tuple[Any, ...]

    def __init__(self, template: str = "", /, *args: Any, **kwargs: Any) -> None:
        self.decoder = None
        self.encoder = None
        if not args and not kwargs and "{" not in template and "}" not in template:
            self.chunks = (template,) if template else ()
            return
        chunks: list[Any] = []
        auto = 0
        parsed = _parsed.get(template)
        if parsed is None:
            parsed = [(lit, field) for lit, field, _s, _c in _formatter.parse(template)]
            if len(_parsed) < 4096:
                _parsed[template] = parsed
        for literal, field in parsed:
            if literal:
                chunks.append(literal)
            if field is None:
                continue
            if field == "":
                if auto >= len(args):
                    raise IndexError(f"sql(): template {template!r} has more {{}} slots than arguments")
                value = args[auto]
                auto += 1
            elif field.isdigit():
                value = args[int(field)]
            else:
                if field not in kwargs:
                    raise KeyError(f"sql(): template {template!r} names {{{field}}} but no such argument")
                value = kwargs[field]
            chunks.append(as_chunk(value))
        if auto and auto != len(args):
            raise ValueError(f"sql(): template {template!r} has {auto} slots but {len(args)} arguments")
        self.chunks = tuple(chunks)

    @classmethod
    def _of(cls, chunks: tuple[Any, ...], decoder: Codec | None = None) -> SQL[Any]:
        obj = cls.__new__(cls)
        obj.chunks = chunks
        obj.decoder = decoder
        obj.encoder = None
        return obj

    def __sql__(self) -> SQL[Any]:
        return self

    def __repr__(self) -> str:
        return f"SQL({self.chunks!r})"

    def map_with(self, decoder: Callable[[Any], U]) -> SQL[U]:
        """Decode this fragment's result values with `decoder` when selected."""
        out: SQL[Any] = SQL._of(self.chunks, decoder)
        out.encoder = self.encoder
        return out

    def append(self, other: SQL[Any] | str) -> SQL[T]:
        """A new fragment with `other` appended."""
        extra: tuple[Any, ...] = (other,)
        out: SQL[Any] = SQL._of(self.chunks + extra, self.decoder)
        return out

    def inline(self) -> SQL[T]:
        """A copy whose bound values are written into the SQL text as literals (DDL, defaults)."""
        out: SQL[Any] = SQL._of((Inline(self),), self.decoder)
        return out

    # ---- constructors (also reachable as `sql.raw(...)` etc.) ----

    @staticmethod
    def raw(text: str) -> SQL[Any]:
        """Trusted SQL text, inserted verbatim (never pass user input)."""
        return SQL._of((text,))

    @staticmethod
    def identifier(*parts: str) -> SQL[Any]:
        """A quoted identifier, e.g. `sql.identifier("users")`."""
        return SQL._of((Identifier(*parts),))

    @staticmethod
    def param(value: Any, encoder: Codec | None = None) -> SQL[Any]:
        """A single bound value."""
        return SQL._of((Param(value, encoder),))

    @staticmethod
    def placeholder(name: str) -> SQL[Any]:
        """A named placeholder filled when a prepared query runs."""
        return SQL._of((Placeholder(name),))

    @staticmethod
    def empty() -> SQL[Any]:
        """An empty fragment."""
        return SQL._of(())

    @staticmethod
    def join(parts: Iterable[Any], separator: str | SQL[Any] = ", ") -> SQL[Any]:
        """Join fragments, columns or values (values are bound) with `separator`."""
        chunks: list[Any] = []
        for i, part in enumerate(parts):
            if i and separator != "":
                chunks.append(separator)
            chunks.append(as_chunk(part))
        return SQL._of(tuple(chunks))


class Factory:
    """A value computed by a Python function each time the statement runs (`default_fn`)."""

    __slots__ = ("encoder", "fn")

    def __init__(self, fn: Callable[[], Any], encoder: Codec | None) -> None:
        self.fn = fn
        self.encoder = encoder


class Inline:
    """A fragment whose params are rendered as SQL literals.

    With `values_only`, only values that have a safe literal on the dialect (`Dialect.inline_value`)
    are written into the text; others, placeholders and factories stay bound. Builders use it where the
    database must see one expression twice (a grouped expression in SELECT, GROUP BY, HAVING and ORDER
    BY), since each use of a bound value gets its own parameter marker.
    """

    __slots__ = ("fragment", "values_only")

    def __init__(self, fragment: Any, values_only: bool = False) -> None:
        self.fragment = fragment
        self.values_only = values_only


class Aliased(Expr[T]):
    """An expression with a name: `expr AS "alias"` in a selection, `"alias"` elsewhere."""

    __slots__ = ("alias", "expr")

    def __init__(self, expr: Expr[T], alias: str) -> None:
        self.expr = expr
        self.alias = alias
        self.decoder = expr.decoder
        self.encoder = expr.encoder

    def __sql__(self) -> SQL[Any]:
        return SQL._of((Identifier(self.alias),))


_CHUNKS = (Expr, Placeholder, Identifier, Param, Inline, Buildable)
_BOUND = (Expr, Identifier, Param, Inline, Buildable)


def as_chunk(value: Any) -> Any:
    """Turn a template argument into a chunk: fragments stay, tables stay, values become params."""
    if isinstance(value, _CHUNKS):
        return value  # pyright: ignore[reportUnknownVariableType]
    if isinstance(value, type) and hasattr(value, "__table__"):
        return value
    if hasattr(value, "__sql__"):
        return value
    return Param(value)


def bind(value: Any, like: Any) -> Any:
    """Bind `value` for comparison with `like`: encode it with `like`'s encoder unless it is SQL."""
    if isinstance(value, _BOUND):
        return value  # pyright: ignore[reportUnknownVariableType]
    if isinstance(value, Placeholder):
        if value.encoder is None and isinstance(like, Expr):
            return Placeholder(value.name, like.encoder, like)
        return value
    if isinstance(value, type) and hasattr(value, "__table__"):
        return value
    if hasattr(value, "__sql__"):
        return value
    if isinstance(like, Expr):
        return Param(value, like.encoder, like)
    return Param(value)


sql = SQL
"""`sql("... {} ...", value)`: build a raw fragment with bound values; `sql[int](...)` to type it."""


def _to_float(v: Any) -> float:
    return float(v)


def _arith(left: Expr[Any], op: str, right: Any) -> SQL[Any]:
    """`(left op right)`, decoded like the operand that has a decoder (a decimal column's)."""
    other: Any = right
    rdec: Codec | None = other.decoder if isinstance(other, Expr) else None
    types: tuple[type, ...] = getattr(left, "py_types", ())
    same = type(other) in types  # pyright: ignore[reportUnknownArgumentType]
    value = bind(right, left) if same else as_chunk(right)  # a literal of the column's type: its encoder
    if op == "/" and not isinstance(right, Decimal) and not _is_decimal(left) and not _is_decimal(right):
        # SQLite and PostgreSQL divide integers as integers: multiply by 1.0 first, read a float
        return SQL._of(("(", left, " * 1.0 / ", value, ")"), _to_float)
    return SQL._of(("(", left, f" {op} ", value, ")"), left.decoder or rdec)


def _is_decimal(e: Any) -> bool:
    types: tuple[type, ...] = getattr(e, "py_types", ())
    return Decimal in types
