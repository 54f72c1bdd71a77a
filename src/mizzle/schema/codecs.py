"""Value codecs shared by every dialect: JSON, and the write-time check every column's encoder runs.

Every column's `encoder` is built by `checked_encoder`: a value is accepted only if it has one of
the column's Python types, is one of its enum values and passes its check (range, precision);
otherwise the encoder raises TypeError/ValueError, which the renderer turns into an error naming
the table and column. Inserts (keyword, dict, row objects), updates, upsert `set`s, defaults from
`default_fn` and where-comparisons all bind values through this one encoder.

An encoder that only checks (no conversion, enum or check) carries the set of exact types it returns
unchanged (`unchanged_types`): hot paths (compiled parameter fillers) test `type(v) in types` and call
the encoder only for other values, which it converts or refuses as before.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

Codec = Callable[[Any], Any]


def encode_json(value: Any) -> str:
    """Python value -> compact JSON text (as JavaScript's JSON.stringify writes it).

    NaN/Infinity (not JSON) and mapping keys that are not strings (they would come back as
    strings) are refused with a ValueError.
    """
    _check_json(value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _check_json(value: Any) -> None:
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            for k, item in v.items():  # pyright: ignore[reportUnknownVariableType]
                if not isinstance(k, str):
                    raise ValueError(f"JSON object keys must be str (a {type(k).__name__} key {k!r} would come back as a string)")  # pyright: ignore[reportUnknownArgumentType]
                stack.append(item)
        elif isinstance(v, list | tuple):
            stack.extend(v)  # pyright: ignore[reportUnknownArgumentType]


def decode_json(value: Any) -> Any:
    """JSON text (or bytes) -> Python value; anything else is returned as it is."""
    if isinstance(value, str | bytes | bytearray):
        return json.loads(value)
    return value


def json_ok(value: Any) -> bool:
    """Whether `value` can be written as JSON (and read back as the same value)."""
    try:
        encode_json(value)
    except (TypeError, ValueError, RecursionError):
        return False
    return True


def _type_names(types: tuple[type, ...]) -> str:
    return " or ".join(t.__name__ for t in types)


def checked_encoder(
    encoder: Codec | None,
    py_types: tuple[type, ...],
    enum_values: tuple[str, ...] | None,
    check: Callable[[Any], Any] | None,
) -> Codec | None:
    """The write-time encoder of a column: type check, enum check, `check`, then `encoder`.

    `check(value)` returns None (or True) when the value is fine, or a string saying why it is
    refused (False: refused without a reason). bool is not accepted where int/float is expected,
    nor datetime where a date is expected (the database would silently drop the time).
    """
    if not py_types and enum_values is None and check is None:
        return encoder
    exact = frozenset(py_types)
    refuse_bool = bool not in py_types
    refuse_datetime = date in py_types and datetime not in py_types
    allowed = frozenset(enum_values) if enum_values is not None else None
    names = _type_names(py_types)

    def encode(value: Any) -> Any:
        tv: type[Any] = type(value)  # pyright: ignore[reportUnknownVariableType]
        if exact and tv not in exact and (
            not isinstance(value, py_types)
            or (refuse_bool and tv is bool)
            or (refuse_datetime and isinstance(value, datetime))
        ):
            raise TypeError(f"expected {names}, got {tv.__name__}")
        if allowed is not None and value not in allowed:
            raise ValueError(f"not one of the enum values {list(enum_values or ())}")
        if check is not None:
            why = check(value)
            if why is False:
                raise ValueError("the value does not fit the column")
            if isinstance(why, str):
                raise ValueError(why)
        return encoder(value) if encoder is not None else value

    if encoder is None and allowed is None and check is None:
        encode.unchanged = exact  # type: ignore[attr-defined]  # see unchanged_types
    bounds = getattr(check, "bounds", None)
    if encoder is None and allowed is None and bounds is not None and exact == {int}:
        encode.int_bounds = bounds  # type: ignore[attr-defined]  # see int_bounds
    return encode


def int_bounds(encoder: Codec | None) -> tuple[int, int] | None:
    """(lo, hi) when `encoder` returns an exact int in lo..hi unchanged and checks nothing else (an
    integer column's range check); None otherwise."""
    bounds: tuple[int, int] | None = getattr(encoder, "int_bounds", None)
    return bounds


def unchanged_types(encoder: Codec | None) -> frozenset[type]:
    """The exact types `encoder` returns unchanged after its type check (empty: call it for every value)."""
    types: frozenset[type] = getattr(encoder, "unchanged", frozenset())
    return types


def int_range(bits: int, unsigned: bool = False) -> Callable[[Any], str | None]:
    """A check refusing ints outside a signed (or unsigned) integer of `bits` bits."""
    lo, hi = (0, 2**bits - 1) if unsigned else (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)

    def check(value: Any) -> str | None:
        if isinstance(value, int) and not lo <= value <= hi:
            return f"out of range for the column's type ({lo} .. {hi})"
        return None

    check.bounds = (lo, hi)  # type: ignore[attr-defined]  # see int_bounds

    return check


def finite_float(value: Any) -> str | None:
    """Refuse NaN (stored as NULL by SQLite, refused by MySQL)."""
    if isinstance(value, float) and value != value:
        return "NaN cannot be stored in this column (it would be read back as NULL or refused)"
    return None


def encode_bool(value: Any) -> Any:
    """bool -> 1/0 (ints 0 and 1 pass as stored)."""
    if isinstance(value, bool):
        return int(value)
    if value in (0, 1) and isinstance(value, int):
        return value
    raise TypeError(f"expected a bool, got {type(value).__name__}")


def scale_check(scale: int | None) -> Callable[[Any], str | None]:
    """Refuse Decimals with more fractional digits than `scale` (the database would round them)."""

    def check(value: Any) -> str | None:
        if scale is None or not isinstance(value, Decimal) or not value.is_finite():
            return None
        exp = value.as_tuple().exponent
        if isinstance(exp, int) and exp < -scale and value != round(value, scale):
            return (
                f"has more than {scale} decimal places and would be rounded; "
                f"round it first (value.quantize(Decimal('1e-{scale}')))"
            )
        return None

    return check


def no_nul(value: Any) -> str | None:
    """Refuse text containing NUL characters (PostgreSQL text cannot hold them)."""
    if isinstance(value, str) and "\x00" in value:
        return "text containing NUL (\\x00) characters cannot be stored in PostgreSQL text"
    return None


def finite_number(value: Any) -> str | None:
    """Refuse NaN and infinities (the column's type has none)."""
    if isinstance(value, float) and (value != value or value in (_INF, -_INF)):
        return f"{value!r} cannot be stored in this column's type"
    if isinstance(value, Decimal) and not value.is_finite():
        return f"{value} cannot be stored in this column's type"
    return None


_INF = float("inf")


def all_of(*checks: Callable[[Any], Any] | None) -> Callable[[Any], Any] | None:
    """One check running `checks` in order (the first refusal wins)."""
    present = [c for c in checks if c is not None]
    if len(present) <= 1:
        return present[0] if present else None

    def check(value: Any) -> Any:
        for c in present:
            why = c(value)
            if why is not None and why is not True:
                return why
        return None

    return check


def decode_or_raw(column: Any, raw: Any) -> tuple[Any, bool]:
    """`(value, True)` decoded with `column`'s decoder, or `(raw, False)` when the stored value cannot
    be decoded (for tools such as the studio that show an undecodable cell raw instead of failing)."""
    dec = getattr(column, "decoder", None)
    if dec is None or raw is None:
        return raw, True
    try:
        return dec(raw), True
    except Exception:
        return raw, False
