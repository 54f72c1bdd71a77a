"""SQLite column types and their modes: integer, text, real, numeric, blob."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal, overload

from mizzle.errors import SchemaError
from mizzle.schema.codecs import decode_json, encode_bool, encode_json, finite_float, int_range
from mizzle.schema.column import Column

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_S = timedelta(seconds=1)
_MS = timedelta(milliseconds=1)
_FIRST = datetime(1, 1, 1, tzinfo=UTC)
_LAST = datetime.max.replace(tzinfo=UTC)
_INT64 = int_range(64)


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def _not_a_datetime(value: Any) -> TypeError:
    return TypeError(f"expected a datetime (or an int of stored epoch units), got {type(value).__name__}")


def _epoch_encoder(unit: timedelta, what: str) -> Any:
    """datetime -> whole `unit`s since 1970 UTC (floored; naive datetimes are taken as UTC); ints pass
    as stored units. Values the column could not read back as a datetime are refused."""
    lo, hi = (_FIRST - EPOCH) // unit, (_LAST - EPOCH) // unit

    def encode(value: Any) -> Any:
        if isinstance(value, datetime):
            n = (_aware(value) - EPOCH) // unit  # exact: no float rounding up past the last second
        elif isinstance(value, int) and not isinstance(value, bool):
            n = value
        else:
            raise _not_a_datetime(value)
        if not lo <= n <= hi:
            raise ValueError(
                f"{what} {n} is outside what the column can read back as a datetime "
                f"(0001-01-01 .. 9999-12-31 23:59:59 UTC)"
            )
        return n

    return encode


encode_timestamp = _epoch_encoder(_S, "unix time")
encode_timestamp_ms = _epoch_encoder(_MS, "unix time in milliseconds")


_from_unix = datetime.fromtimestamp
_FIRST_S, _LAST_S = (_FIRST - EPOCH) // _S, (_LAST - EPOCH) // _S


def decode_timestamp(value: Any) -> datetime:
    """unix seconds -> aware UTC datetime (an int: one C call, exact; half the time of the sum below)."""
    if type(value) is int and _FIRST_S <= value <= _LAST_S:
        return _from_unix(value, UTC)
    return EPOCH + timedelta(0, value)  # floats; out of range: OverflowError as ever (not the platform's OSError)


def decode_timestamp_ms(value: Any) -> datetime:
    """unix milliseconds -> aware UTC datetime (exact: no float division)."""
    return EPOCH + timedelta(0, 0, 0, value)  # positional (days, seconds, microseconds, milliseconds): no kwargs


def encode_json_blob(value: Any) -> bytes:
    """Python value -> JSON bytes."""
    return encode_json(value).encode()


def encode_bigint_blob(value: Any) -> Any:
    """int -> its decimal text as bytes (drizzle's bigint blob mode)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value).encode()
    raise TypeError(f"expected an int, got {type(value).__name__}")


def decode_bigint_blob(value: Any) -> int:
    """bytes of decimal text -> int."""
    return int(bytes(value).decode() if not isinstance(value, str) else value)


def _str(v: Any) -> str:
    return v if isinstance(v, str) else str(v)


def _decimal(v: Any) -> Decimal:
    return Decimal(str(v))


def _numeric_value(d: Decimal) -> int | float:
    """What a NUMERIC column stores for `d`: an INTEGER when it is one that fits 64 bits, else a REAL;
    a ValueError when the stored number would read back as a different value."""
    if not d.is_finite():
        raise ValueError(f"SQLite NUMERIC has no {d}; it would be stored as text")
    if d == d.to_integral_value() and -(2**63) <= d < 2**63:
        return int(d)
    f = float(d)
    back = Decimal(repr(f))
    if back != d:
        raise ValueError(
            f"SQLite stores NUMERIC values as 64-bit integers or doubles (about 15-17 significant digits); "
            f"it would read back as {back}. Store exact decimals in a text() column (or reduce the precision)"
        )
    return f


def _encode_decimal(v: Any) -> Any:
    return _numeric_value(Decimal(v))


def _numeric_text(v: Any) -> str | None:
    """Numeric text that SQLite would turn into a different number is refused (see `_numeric_value`)."""
    try:
        d = Decimal(v)
    except ArithmeticError:
        return None  # not a number: stored as text, read back as it is
    if d.is_finite():
        try:
            _numeric_value(d)
        except ValueError as exc:
            return str(exc)
    return None


def _float_ok(v: Any) -> str | None:
    """NaN reads back as NULL; an int a double cannot hold exactly would read back as another number."""
    if isinstance(v, float):
        return finite_float(v)
    if isinstance(v, int) and float(v) != v:
        return f"a REAL column would store {v} as {float(v)!r}"
    return None


@overload
def integer(name: str | None = None, *, mode: Literal["number"] = "number") -> Column[int | None]: ...
@overload
def integer(name: str | None = None, *, mode: Literal["boolean"]) -> Column[bool | None]: ...
@overload
def integer(name: str | None = None, *, mode: Literal["timestamp", "timestamp_ms"]) -> Column[datetime | None]: ...
def integer(name: str | None = None, *, mode: str = "number") -> Column[Any]:
    """An INTEGER column; `mode` "boolean", "timestamp" (seconds) or "timestamp_ms" changes its Python type."""
    if mode == "number":
        return Column("integer", name=name, mode=mode, py_types=(int,), check_value=_INT64)
    if mode == "boolean":
        return Column("integer", name=name, mode=mode, encoder=encode_bool, decoder=bool, py_types=(bool,),
                      write_types=(bool, int))
    if mode == "timestamp":
        return Column("integer", name=name, mode=mode, encoder=encode_timestamp, decoder=decode_timestamp,
                      py_types=(datetime,), write_types=(datetime, int))
    if mode == "timestamp_ms":
        return Column("integer", name=name, mode=mode, encoder=encode_timestamp_ms, decoder=decode_timestamp_ms,
                      py_types=(datetime,), write_types=(datetime, int))
    raise SchemaError(f"integer(): unknown mode {mode!r}; use number, boolean, timestamp or timestamp_ms")


@overload
def text(name: str | None = None, *, length: int | None = None) -> Column[str | None]: ...
@overload
def text(name: str | None = None, *, enum: Sequence[str], length: int | None = None) -> Column[Any]: ...
@overload
def text(name: str | None = None, *, mode: Literal["json"]) -> Column[Any]: ...
@overload
def text(name: str | None = None, *, mode: Literal["text"], length: int | None = None) -> Column[str | None]: ...
def text(
    name: str | None = None,
    *,
    mode: str = "text",
    enum: Sequence[str] | None = None,
    length: int | None = None,
) -> Column[Any]:
    """A TEXT column. `enum=(...)` restricts values (annotate as `Column[Literal[...]]` or `Column[str]`);
    `mode="json"` stores any JSON value (annotate its Python type: `Column[list[str] | None]`)."""
    if mode == "json":
        return Column("text", name=name, mode="json", encoder=encode_json, decoder=decode_json)
    if mode != "text":
        raise SchemaError(f"text(): unknown mode {mode!r}; use text or json")
    values = tuple(enum) if enum is not None else None
    if values is not None and (not values or not all(isinstance(v, str) for v in values)):
        raise SchemaError("text(enum=...): give a non-empty sequence of strings")
    return Column("text", name=name, mode="text", py_types=(str,), enum_values=values, length=length)


def real(name: str | None = None) -> Column[float | None]:
    """A REAL (floating point) column."""
    return Column("real", name=name, mode="number", py_types=(float, int), check_value=_float_ok)


@overload
def numeric(name: str | None = None, *, mode: Literal["string"] = "string") -> Column[str | None]: ...
@overload
def numeric(name: str | None = None, *, mode: Literal["number"]) -> Column[float | None]: ...
@overload
def numeric(name: str | None = None, *, mode: Literal["bigint"]) -> Column[int | None]: ...
@overload
def numeric(name: str | None = None, *, mode: Literal["decimal"]) -> Column[Decimal | None]: ...
def numeric(name: str | None = None, *, mode: str = "string") -> Column[Any]:
    """A NUMERIC column read as str (default, like drizzle), float, int or Decimal."""
    if mode == "string":
        return Column("numeric", name=name, mode=mode, decoder=_str, py_types=(str,), check_value=_numeric_text)
    if mode == "number":
        return Column("numeric", name=name, mode=mode, decoder=float, py_types=(float, int), check_value=_float_ok)
    if mode == "bigint":
        return Column("numeric", name=name, mode=mode, decoder=int, py_types=(int,), check_value=_INT64)
    if mode == "decimal":
        return Column("numeric", name=name, mode=mode, encoder=_encode_decimal, decoder=_decimal,
                      py_types=(Decimal,), write_types=(Decimal, int))
    raise SchemaError(f"numeric(): unknown mode {mode!r}; use string, number, bigint or decimal")


@overload
def blob(name: str | None = None, *, mode: Literal["buffer"] = "buffer") -> Column[bytes | None]: ...
@overload
def blob(name: str | None = None, *, mode: Literal["bigint"]) -> Column[int | None]: ...
@overload
def blob(name: str | None = None, *, mode: Literal["json"]) -> Column[Any]: ...
def blob(name: str | None = None, *, mode: str = "buffer") -> Column[Any]:
    """A BLOB column: bytes (buffer), a big integer (bigint) or a JSON value (json)."""
    if mode == "buffer":
        return Column("blob", name=name, mode=mode, decoder=bytes, py_types=(bytes,),
                      write_types=(bytes, bytearray, memoryview))
    if mode == "bigint":
        return Column("blob", name=name, mode=mode, encoder=encode_bigint_blob, decoder=decode_bigint_blob,
                      py_types=(int,))
    if mode == "json":
        return Column("blob", name=name, mode=mode, encoder=encode_json_blob, decoder=decode_json)
    raise SchemaError(f"blob(): unknown mode {mode!r}; use buffer, bigint or json")
