"""SQLite column types and their modes: integer, text, real, numeric, blob."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal, overload

from mizzle.errors import SchemaError
from mizzle.schema.codecs import decode_json, encode_json
from mizzle.schema.codecs import json_ok as _json_ok
from mizzle.schema.column import Column

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def _not_a_datetime(value: Any) -> TypeError:
    return TypeError(f"expected a datetime (or an int of stored epoch units), got {type(value).__name__}")


def encode_timestamp(value: Any) -> Any:
    """datetime -> unix seconds (naive datetimes are taken as UTC); ints pass as stored seconds."""
    if isinstance(value, datetime):
        return math.floor(_aware(value).timestamp())
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise _not_a_datetime(value)


def decode_timestamp(value: Any) -> datetime:
    """unix seconds -> aware UTC datetime."""
    return EPOCH + timedelta(seconds=value)


def encode_timestamp_ms(value: Any) -> Any:
    """datetime -> unix milliseconds (naive datetimes are taken as UTC)."""
    if isinstance(value, datetime):
        return (_aware(value) - EPOCH) // _MS
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise _not_a_datetime(value)


def decode_timestamp_ms(value: Any) -> datetime:
    """unix milliseconds -> aware UTC datetime."""
    return EPOCH + timedelta(milliseconds=value)


def encode_json_blob(value: Any) -> bytes:
    """Python value -> JSON bytes."""
    return encode_json(value).encode()


def encode_bool(value: Any) -> Any:
    """bool -> 1/0 (ints 0 and 1 pass as stored)."""
    if isinstance(value, bool):
        return int(value)
    if value in (0, 1) and isinstance(value, int):
        return value
    raise TypeError(f"expected a bool, got {type(value).__name__}")


def encode_bigint_blob(value: Any) -> Any:
    """int -> its decimal text as bytes (drizzle's bigint blob mode)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value).encode()
    raise TypeError(f"expected an int, got {type(value).__name__}")


def enum_encoder(values: tuple[str, ...]) -> Any:
    """An encoder accepting only the enum's values (drizzle checks them only in types)."""
    allowed = frozenset(values)

    def encode(value: Any) -> Any:
        if value in allowed:
            return value
        raise ValueError(f"not one of the enum values {list(values)}")

    return encode


def decode_bigint_blob(value: Any) -> int:
    """bytes of decimal text -> int."""
    return int(bytes(value).decode() if not isinstance(value, str) else value)


def _str(v: Any) -> str:
    return v if isinstance(v, str) else str(v)


def _decimal(v: Any) -> Decimal:
    return Decimal(str(v))


def _to_str(v: Any) -> Any:
    return str(v) if isinstance(v, Decimal) else v


@overload
def integer(name: str | None = None, *, mode: Literal["number"] = "number") -> Column[int | None]: ...
@overload
def integer(name: str | None = None, *, mode: Literal["boolean"]) -> Column[bool | None]: ...
@overload
def integer(name: str | None = None, *, mode: Literal["timestamp", "timestamp_ms"]) -> Column[datetime | None]: ...
def integer(name: str | None = None, *, mode: str = "number") -> Column[Any]:
    """An INTEGER column; `mode` "boolean", "timestamp" (seconds) or "timestamp_ms" changes its Python type."""
    if mode == "number":
        return Column("integer", name=name, mode=mode, py_types=(int,))
    if mode == "boolean":
        return Column("integer", name=name, mode=mode, encoder=encode_bool, decoder=bool, py_types=(bool,))
    if mode == "timestamp":
        return Column("integer", name=name, mode=mode, encoder=encode_timestamp, decoder=decode_timestamp,
                      py_types=(datetime,))
    if mode == "timestamp_ms":
        return Column("integer", name=name, mode=mode, encoder=encode_timestamp_ms, decoder=decode_timestamp_ms,
                      py_types=(datetime,))
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
        return Column("text", name=name, mode="json", encoder=encode_json, decoder=decode_json, check_value=_json_ok)
    if mode != "text":
        raise SchemaError(f"text(): unknown mode {mode!r}; use text or json")
    values = tuple(enum) if enum is not None else None
    if values is not None and (not values or not all(isinstance(v, str) for v in values)):
        raise SchemaError("text(enum=...): give a non-empty sequence of strings")
    encoder = enum_encoder(values) if values is not None else None
    return Column("text", name=name, mode="text", encoder=encoder, py_types=(str,), enum_values=values, length=length)


def real(name: str | None = None) -> Column[float | None]:
    """A REAL (floating point) column."""
    return Column("real", name=name, mode="number", decoder=None, py_types=(float, int))


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
        return Column("numeric", name=name, mode=mode, decoder=_str, py_types=(str,))
    if mode == "number":
        return Column("numeric", name=name, mode=mode, decoder=float, py_types=(float, int))
    if mode == "bigint":
        return Column("numeric", name=name, mode=mode, decoder=int, py_types=(int,))
    if mode == "decimal":
        return Column("numeric", name=name, mode=mode, encoder=_to_str, decoder=_decimal, py_types=(Decimal,))
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
        return Column("blob", name=name, mode=mode, decoder=bytes, py_types=(bytes,))
    if mode == "bigint":
        return Column("blob", name=name, mode=mode, encoder=encode_bigint_blob, decoder=decode_bigint_blob,
                      py_types=(int,))
    if mode == "json":
        return Column("blob", name=name, mode=mode, encoder=encode_json_blob, decoder=decode_json,
                      check_value=_json_ok)
    raise SchemaError(f"blob(): unknown mode {mode!r}; use buffer, bigint or json")
