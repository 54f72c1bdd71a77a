"""Column kinds for the studio, and converting values between Python (column modes) and JSON."""

from __future__ import annotations

import base64
import json
import math
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from mizzle.schema.column import MISSING, Column
from mizzle.sql.chunks import SQL
from mizzle.sql.functions import IDENTITY_ON

KINDS = ("number", "decimal", "text", "enum", "boolean", "datetime", "date", "time", "json", "blob", "uuid", "interval")


class BadValue(ValueError):
    """A value typed in the studio does not fit its column (the message names the column)."""


def kind_of(col: Column[Any]) -> str:
    """How the studio shows and edits `col`: one of KINDS."""
    types = col.py_types
    if col.enum_values:
        return "enum"
    if col.mode == "json":
        return "json"
    if col.mode == "boolean" or bool in types:
        return "boolean"
    if datetime in types:
        return "datetime"
    if date in types:
        return "date"
    if time in types:
        return "time"
    if timedelta in types:
        return "interval"
    if bytes in types:
        return "blob"
    if uuid.UUID in types:
        return "uuid"
    if Decimal in types or (col.mode in ("decimal", "string") and col.sql_type in ("numeric", "decimal")):
        return "decimal"
    if int in types or float in types:
        return "number"
    return "text"


BLOB_PREVIEW = 32


@dataclass(frozen=True, slots=True)
class Undecodable:
    """A stored value its column cannot decode (invalid JSON in a JSON column...): shown raw, with the reason."""

    raw: Any
    error: str


def decode_cell(col: Column[Any], raw: Any) -> Any:
    """`raw` (as the driver returned it) decoded by `col`, or `Undecodable` when the column's decoder fails."""
    dec = col.decoder
    if raw is None or dec is None:
        return raw
    skip = IDENTITY_ON.get(dec)
    if skip is not None and type(raw) in skip:
        return raw
    try:
        return dec(raw)
    except Exception as exc:  # whatever the decoder raises: one cell shows raw, the page still renders
        return Undecodable(raw, f"{type(exc).__name__}: {exc}")


def to_json(kind: str, value: Any) -> Any:
    """A decoded column value as JSON (datetimes ISO 8601, blobs as size + hex head, decimals as text)."""
    if value is None:
        return None
    if isinstance(value, Undecodable):
        raw = value.raw
        shown = bytes(cast(Any, raw)).hex() if isinstance(raw, bytes | bytearray | memoryview) else str(raw)
        return {"$raw": shown, "error": f"the column cannot decode this stored value ({value.error})"}
    if kind == "blob" or isinstance(value, bytes | bytearray | memoryview):
        raw = bytes(cast(Any, value))
        return {"$blob": len(raw), "hex": raw[:BLOB_PREVIEW].hex(), "b64": base64.b64encode(raw).decode()
                if len(raw) <= 4096 else None}
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if kind == "json":
        return value
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | dict):
        return json.loads(json.dumps(cast(Any, value), default=str))
    return str(value)


def _fail(col: Column[Any], value: Any, expected: str) -> BadValue:
    return BadValue(f"column {col.qualified_name}: {value!r} is not {expected}")


def from_json(col: Column[Any], value: Any) -> Any:
    """A JSON value from the browser as the Python value `col`'s mode expects (BadValue if it does not fit)."""
    if value is None:
        return None
    kind = kind_of(col)
    if kind == "json":
        return value
    if _is_blob(value):
        return _blob_back(col, value)
    if kind == "enum":
        if value not in (col.enum_values or ()):
            raise _fail(col, value, f"one of {', '.join(col.enum_values or ())}")
        return value
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "1", "yes", "on", "t"):
            return True
        if text in ("false", "0", "no", "off", "f"):
            return False
        raise _fail(col, value, "true or false")
    if kind == "number":
        if isinstance(value, bool):
            raise _fail(col, value, "a number")
        if isinstance(value, int | float):
            out: Any = value
        else:
            text = str(value).strip()
            try:
                out = int(text)
            except ValueError:
                try:
                    out = float(text)
                except ValueError:
                    raise _fail(col, value, "a number") from None
        if float not in col.py_types and isinstance(out, float):
            if not out.is_integer():
                raise _fail(col, value, "a whole number")
            out = int(out)
        return out
    if kind == "decimal":
        try:
            dec = Decimal(str(value).strip())
        except InvalidOperation:
            raise _fail(col, value, "a decimal number") from None
        return dec if Decimal in col.py_types else str(dec)
    if kind in ("datetime", "date", "time"):
        return _parse_time(col, kind, value)
    if kind == "blob":
        if isinstance(value, str):
            text = value.strip().removeprefix("0x").removeprefix("\\x").replace(" ", "")
            try:
                return bytes.fromhex(text)
            except ValueError:
                raise _fail(col, value, "hex bytes (like 0a1bff)") from None
        raise _fail(col, value, "hex bytes (like 0a1bff)")
    if kind == "uuid":
        try:
            parsed = uuid.UUID(str(value))
        except ValueError:
            raise _fail(col, value, "a UUID") from None
        return parsed if col.mode == "uuid" else str(parsed)
    if kind == "interval":
        return str(value)
    if not isinstance(value, str):
        return json.dumps(value) if isinstance(value, list | dict) else str(value)
    return value


def _is_blob(value: Any) -> bool:
    return isinstance(value, dict) and "$blob" in value


def _blob_back(col: Column[Any], value: dict[str, Any]) -> bytes:
    b64 = value.get("b64")
    if not isinstance(b64, str):
        raise _fail(col, value, "a blob the studio can send back (too large to edit)")
    return base64.b64decode(b64)


def _parse_time(col: Column[Any], kind: str, value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool) and kind == "datetime":
        return datetime.fromtimestamp(value / 1000 if value > 1e11 else value, tz=UTC)
    text = str(value).strip()
    try:
        if kind == "date":
            return date.fromisoformat(text[:10])
        if kind == "time":
            return time.fromisoformat(text)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        expected = {"date": "a date (YYYY-MM-DD)", "time": "a time (HH:MM[:SS])"}.get(
            kind, "a date and time (YYYY-MM-DD HH:MM[:SS][+zone])"
        )
        raise _fail(col, value, expected) from None
    if "with time zone" in col.sql_type and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def default_of(col: Column[Any]) -> dict[str, Any] | None:
    """How the column's default is described to the insert form (`None`: no default)."""
    if col.generated is not None:
        return {"kind": "generated", "text": "generated by the database"}
    if col.default_factory is not None:
        name = getattr(col.default_factory, "__name__", "function")
        return {"kind": "function", "text": f"{name}() at insert" if name != "<lambda>" else "computed at insert"}
    if col.default_value is not MISSING:
        value = col.default_value
        if isinstance(value, SQL):
            return {"kind": "sql", "text": "database default"}
        shown = to_json(kind_of(col), value)
        return {"kind": "value", "text": json.dumps(shown, ensure_ascii=False), "value": shown}
    if col.primary and (col.sql_type == "integer" or col.autoincrement or col.extra.get("serial")
                        or col.extra.get("identity") or col.sql_type in ("serial", "bigserial", "smallserial")):
        return {"kind": "auto", "text": "assigned by the database"}
    return None


__all__ = ["KINDS", "BadValue", "Undecodable", "decode_cell", "default_of", "from_json", "kind_of", "to_json"]
