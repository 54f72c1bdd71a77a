"""MySQL/MariaDB column types: integers (unsigned), decimal, text family, json, date/time, enum, binary.

`sql_type` is written the way drizzle-kit's MySQL snapshot writes it (`int unsigned`, `varchar(255)`,
`decimal(10,2)`, `datetime(3)`, `enum('a','b')`), so the migration kit can compare types as text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, Self, overload

from typing_extensions import TypeVar

from mizzle.errors import SchemaError
from mizzle.schema.codecs import (
    all_of,
    decode_json,
    encode_bool,
    encode_json,
    finite_number,
    int_range,
    scale_check,
)
from mizzle.schema.column import Column
from mizzle.sql.chunks import SQL

T = TypeVar("T", default=Any)
U = TypeVar("U")


class MySqlColumn(Column[T]):
    """A MySQL column: `Column` plus `auto_increment()`, `default_now()` and `on_update_now()`."""

    __slots__ = ()

    if TYPE_CHECKING:

        def not_null(self: MySqlColumn[U | None]) -> MySqlColumn[U]: ...

    def primary_key(self: MySqlColumn[U | None], *, autoincrement: bool = False) -> MySqlColumn[U]:
        """Make the column the primary key (implies NOT NULL); `autoincrement=True` adds AUTO_INCREMENT."""
        self.primary = True
        self.not_null_ = True
        if autoincrement:
            self.auto_increment()
        return self  # type: ignore[return-value]

    def auto_increment(self) -> Self:
        """AUTO_INCREMENT: the server numbers new rows (integer columns only)."""
        if "int" not in self.sql_type and self.sql_type != "serial":
            raise SchemaError(f"column {self.qualified_name}: AUTO_INCREMENT needs an integer type, not {self.sql_type}")
        self.autoincrement = True
        self.extra["serial"] = True  # an insert may omit it
        return self

    def default_now(self) -> Self:
        """DEFAULT (now()) — the server's current time (datetime/timestamp columns)."""
        self._need_time("default_now()")
        fsp = self.extra.get("fsp")
        self.default_value = SQL.raw(f"(now({fsp}))" if fsp else "(now())")
        return self

    def on_update_now(self) -> Self:
        """ON UPDATE CURRENT_TIMESTAMP: the server sets the column on every update."""
        self._need_time("on_update_now()")
        self.extra["on_update_now"] = True
        return self

    def _need_time(self, what: str) -> None:
        if not self.sql_type.startswith(("datetime", "timestamp")):
            raise SchemaError(f"column {self.qualified_name}: {what} needs a datetime or timestamp column")


# ---- codecs ----------------------------------------------------------------------


def decode_bool(value: Any) -> bool:
    """tinyint(1) -> bool."""
    return bool(value)


def encode_datetime(value: Any) -> Any:
    """An aware datetime is converted to naive UTC (the session runs with time_zone '+00:00')."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def decode_datetime(value: Any) -> Any:
    """DATETIME text (if the driver gives text) -> naive datetime."""
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    return value


def decode_timestamp(value: Any) -> Any:
    """TIMESTAMP (UTC in the session) -> aware UTC datetime."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def decode_date(value: Any) -> Any:
    """DATE -> date."""
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def decode_time(value: Any) -> Any:
    """TIME (PyMySQL gives a timedelta) -> time of day."""
    if isinstance(value, dt.timedelta):
        secs = int(value.total_seconds())
        return dt.time(secs // 3600 % 24, secs // 60 % 60, secs % 60, value.microseconds)
    if isinstance(value, str):
        return dt.time.fromisoformat(value)
    return value


def _decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _to_str(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _bytes(value: Any) -> bytes:
    return bytes(value)


def _str(value: Any) -> str:
    return value.decode() if isinstance(value, bytes | bytearray) else str(value)


# ---- integers --------------------------------------------------------------------

_INT_BITS = {"tinyint": 8, "smallint": 16, "mediumint": 24, "int": 32, "bigint": 64}
_BYTES = (bytes, bytearray, memoryview)


def _int(kind: str, name: str | None, unsigned: bool) -> MySqlColumn[Any]:
    sql_type = f"{kind} unsigned" if unsigned else kind
    col: MySqlColumn[Any] = MySqlColumn(sql_type, name=name, mode="number", py_types=(int,),
                                        check_value=int_range(_INT_BITS[kind], unsigned))
    if unsigned:
        col.extra["unsigned"] = True
    return col


def int_(name: str | None = None, *, unsigned: bool = False) -> MySqlColumn[int | None]:
    """INT (`unsigned=True`: INT UNSIGNED); chain `.auto_increment()` or `.primary_key(autoincrement=True)`."""
    return _int("int", name, unsigned)


integer = int_


def bigint(name: str | None = None, *, unsigned: bool = False) -> MySqlColumn[int | None]:
    """BIGINT (optionally unsigned)."""
    return _int("bigint", name, unsigned)


def smallint(name: str | None = None, *, unsigned: bool = False) -> MySqlColumn[int | None]:
    """SMALLINT (optionally unsigned)."""
    return _int("smallint", name, unsigned)


def mediumint(name: str | None = None, *, unsigned: bool = False) -> MySqlColumn[int | None]:
    """MEDIUMINT (optionally unsigned)."""
    return _int("mediumint", name, unsigned)


def tinyint(name: str | None = None, *, unsigned: bool = False) -> MySqlColumn[int | None]:
    """TINYINT (optionally unsigned)."""
    return _int("tinyint", name, unsigned)


def serial(name: str | None = None) -> MySqlColumn[int]:
    """SERIAL: BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE (drizzle's `serial`)."""
    col: MySqlColumn[Any] = MySqlColumn("serial", name=name, mode="number", py_types=(int,),
                                        check_value=int_range(64, True))
    col.not_null_ = True
    col.autoincrement = True
    col.extra["serial"] = True
    return col


def boolean(name: str | None = None) -> MySqlColumn[bool | None]:
    """BOOLEAN (stored as tinyint(1), read back as bool)."""
    return MySqlColumn("boolean", name=name, mode="boolean", encoder=encode_bool, decoder=decode_bool,
                       py_types=(bool,), write_types=(bool, int))


# ---- numbers ---------------------------------------------------------------------


@overload
def decimal(
    name: str | None = None, *, precision: int | None = None, scale: int | None = None,
    mode: Literal["decimal"] = "decimal", unsigned: bool = False,
) -> MySqlColumn[Decimal | None]: ...
@overload
def decimal(
    name: str | None = None, *, precision: int | None = None, scale: int | None = None,
    mode: Literal["string"], unsigned: bool = False,
) -> MySqlColumn[str | None]: ...
@overload
def decimal(
    name: str | None = None, *, precision: int | None = None, scale: int | None = None,
    mode: Literal["number"], unsigned: bool = False,
) -> MySqlColumn[float | None]: ...
def decimal(
    name: str | None = None,
    *,
    precision: int | None = None,
    scale: int | None = None,
    mode: str = "decimal",
    unsigned: bool = False,
) -> MySqlColumn[Any]:
    """DECIMAL(precision, scale), read as Decimal (default), str or float.

    MySQL's DECIMAL is DECIMAL(10, 0) and DECIMAL(p) is DECIMAL(p, 0): Decimals with more fractional
    digits than the scale are refused (the server would round them silently)."""
    if scale is not None and precision is None:
        raise SchemaError("decimal(): give precision= along with scale=")
    sql_type = "decimal"
    if precision is not None:
        sql_type += f"({precision},{scale})" if scale is not None else f"({precision})"
    if unsigned:
        sql_type += " unsigned"
    if mode == "decimal":
        col: MySqlColumn[Any] = MySqlColumn(sql_type, name=name, mode=mode, encoder=_to_str, decoder=_decimal,
                                            py_types=(Decimal, int),
                                            check_value=all_of(finite_number, scale_check(scale or 0)))
    elif mode == "string":
        col = MySqlColumn(sql_type, name=name, mode=mode, decoder=_str, py_types=(str,))
    elif mode == "number":
        col = MySqlColumn(sql_type, name=name, mode=mode, decoder=float, py_types=(float, int),
                          check_value=finite_number)
    else:
        raise SchemaError(f"decimal(): unknown mode {mode!r}; use decimal, string or number")
    col.extra.update(precision=precision, scale=scale)
    return col


def double(name: str | None = None, *, unsigned: bool = False) -> MySqlColumn[float | None]:
    """DOUBLE."""
    return MySqlColumn("double unsigned" if unsigned else "double", name=name, mode="number", decoder=float,
                       py_types=(float, int), check_value=finite_number)


def float_(name: str | None = None, *, unsigned: bool = False) -> MySqlColumn[float | None]:
    """FLOAT (single precision: about 7 significant digits)."""
    return MySqlColumn("float unsigned" if unsigned else "float", name=name, mode="number", decoder=float,
                       py_types=(float, int), check_value=finite_number)


def real(name: str | None = None) -> MySqlColumn[float | None]:
    """REAL (a DOUBLE on MySQL)."""
    return MySqlColumn("real", name=name, mode="number", decoder=float, py_types=(float, int),
                       check_value=finite_number)


# ---- text ------------------------------------------------------------------------


def _enum_values(values: Sequence[str] | None, what: str) -> tuple[str, ...] | None:
    if values is None:
        return None
    out = tuple(values)
    if not out or not all(isinstance(v, str) for v in out):
        raise SchemaError(f"{what}(enum=...): give a non-empty sequence of strings")
    return out


def varchar(name: str | None = None, *, length: int, enum: Sequence[str] | None = None) -> MySqlColumn[Any]:
    """VARCHAR(length) — the length is required. `enum=(...)` restricts values (annotate `Column[Literal[...]]`)."""
    if not isinstance(length, int) or isinstance(length, bool) or length < 0:  # pyright: ignore[reportUnnecessaryIsInstance]
        raise SchemaError(f"varchar(): length must be a non-negative int, got {length!r}")
    return MySqlColumn(f"varchar({length})", name=name, mode="text", py_types=(str,),
                       enum_values=_enum_values(enum, "varchar"), length=length)


def char(name: str | None = None, *, length: int | None = None, enum: Sequence[str] | None = None) -> MySqlColumn[Any]:
    """CHAR(length) (CHAR is CHAR(1))."""
    return MySqlColumn(f"char({length})" if length is not None else "char", name=name, mode="text",
                       py_types=(str,), enum_values=_enum_values(enum, "char"), length=length)


def _text(kind: str, name: str | None, enum: Sequence[str] | None) -> MySqlColumn[Any]:
    return MySqlColumn(kind, name=name, mode="text", py_types=(str,), enum_values=_enum_values(enum, kind))


def text(name: str | None = None, *, enum: Sequence[str] | None = None) -> MySqlColumn[Any]:
    """TEXT (up to 64 KiB)."""
    return _text("text", name, enum)


def tinytext(name: str | None = None, *, enum: Sequence[str] | None = None) -> MySqlColumn[Any]:
    """TINYTEXT (up to 255 bytes)."""
    return _text("tinytext", name, enum)


def mediumtext(name: str | None = None, *, enum: Sequence[str] | None = None) -> MySqlColumn[Any]:
    """MEDIUMTEXT (up to 16 MiB)."""
    return _text("mediumtext", name, enum)


def longtext(name: str | None = None, *, enum: Sequence[str] | None = None) -> MySqlColumn[Any]:
    """LONGTEXT (up to 4 GiB)."""
    return _text("longtext", name, enum)


def mysql_enum(values: Sequence[str], name: str | None = None) -> MySqlColumn[Any]:
    """ENUM('a', 'b', ...): annotate as `Column[Literal["a", "b"] | None]`."""
    vals = _enum_values(values, "mysql_enum")
    assert vals is not None
    inner = ",".join("'" + v.replace("\\", "\\\\").replace("'", "''") + "'" for v in vals)
    return MySqlColumn(f"enum({inner})", name=name, mode="text", py_types=(str,), enum_values=vals)


def json_(name: str | None = None) -> MySqlColumn[Any]:
    """JSON: any JSON value; annotate its Python type (`Column[dict[str, int] | None]`)."""
    return MySqlColumn("json", name=name, mode="json", encoder=encode_json, decoder=decode_json)


# ---- binary ----------------------------------------------------------------------


def binary(name: str | None = None, *, length: int | None = None) -> MySqlColumn[bytes | None]:
    """BINARY(length): fixed-size bytes (right-padded with zero bytes)."""
    return MySqlColumn(f"binary({length})" if length is not None else "binary", name=name, mode="buffer",
                       decoder=_bytes, py_types=(bytes,), length=length, write_types=_BYTES)


def varbinary(name: str | None = None, *, length: int) -> MySqlColumn[bytes | None]:
    """VARBINARY(length)."""
    return MySqlColumn(f"varbinary({length})", name=name, mode="buffer", decoder=_bytes, py_types=(bytes,),
                       length=length, write_types=_BYTES)


def blob(name: str | None = None, *, size: Literal["tiny", "medium", "long"] | None = None) -> MySqlColumn[bytes | None]:
    """BLOB (`size=` "tiny", "medium" or "long" for TINYBLOB/MEDIUMBLOB/LONGBLOB)."""
    return MySqlColumn(f"{size or ''}blob", name=name, mode="buffer", decoder=_bytes, py_types=(bytes,),
                       write_types=_BYTES)


# ---- dates and times -------------------------------------------------------------


def _fsp(kind: str, fsp: int | None) -> str:
    if fsp is None:
        return kind
    if not 0 <= fsp <= 6:
        raise SchemaError(f"{kind}(): fsp must be 0..6, got {fsp}")
    return f"{kind}({fsp})"


def date(name: str | None = None) -> MySqlColumn[dt.date | None]:
    """DATE, read as `datetime.date`."""
    return MySqlColumn("date", name=name, mode="date", decoder=decode_date, py_types=(dt.date,))


@overload
def datetime(name: str | None = None, *, fsp: int | None = None, mode: Literal["datetime"] = "datetime") -> MySqlColumn[dt.datetime | None]: ...
@overload
def datetime(name: str | None = None, *, fsp: int | None = None, mode: Literal["string"]) -> MySqlColumn[str | None]: ...
def datetime(name: str | None = None, *, fsp: int | None = None, mode: str = "datetime") -> MySqlColumn[Any]:
    """DATETIME(fsp): a wall-clock time, read as a naive datetime (aware values are stored as UTC)."""
    col = _time_col(_fsp("datetime", fsp), name, mode, decode_datetime)
    col.extra["fsp"] = fsp
    return col


@overload
def timestamp(name: str | None = None, *, fsp: int | None = None, mode: Literal["datetime"] = "datetime") -> MySqlColumn[dt.datetime | None]: ...
@overload
def timestamp(name: str | None = None, *, fsp: int | None = None, mode: Literal["string"]) -> MySqlColumn[str | None]: ...
def timestamp(name: str | None = None, *, fsp: int | None = None, mode: str = "datetime") -> MySqlColumn[Any]:
    """TIMESTAMP(fsp): an instant, read as an aware UTC datetime; `.default_now()`, `.on_update_now()`."""
    col = _time_col(_fsp("timestamp", fsp), name, mode, decode_timestamp)
    col.extra["fsp"] = fsp
    return col


def _time_col(sql_type: str, name: str | None, mode: str, decoder: Any) -> MySqlColumn[Any]:
    if mode == "datetime":
        return MySqlColumn(sql_type, name=name, mode=mode, encoder=encode_datetime, decoder=decoder,
                           py_types=(dt.datetime,))
    if mode == "string":
        return MySqlColumn(sql_type, name=name, mode=mode, decoder=_str, py_types=(str,))
    raise SchemaError(f"{sql_type}: unknown mode {mode!r}; use datetime or string")


def time(name: str | None = None, *, fsp: int | None = None) -> MySqlColumn[dt.time | None]:
    """TIME(fsp), read as `datetime.time`."""
    col: MySqlColumn[Any] = MySqlColumn(_fsp("time", fsp), name=name, mode="time", decoder=decode_time,
                                        py_types=(dt.time,))
    col.extra["fsp"] = fsp
    return col


def year(name: str | None = None) -> MySqlColumn[int | None]:
    """YEAR."""
    return MySqlColumn("year", name=name, mode="number", py_types=(int,))
