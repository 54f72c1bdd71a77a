"""JSON codecs shared by every dialect's json columns."""

from __future__ import annotations

import json
from typing import Any


def encode_json(value: Any) -> str:
    """Python value -> compact JSON text (as JavaScript's JSON.stringify writes it)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def decode_json(value: Any) -> Any:
    """JSON text (or bytes) -> Python value; anything else is returned as it is."""
    if isinstance(value, str | bytes | bytearray):
        return json.loads(value)
    return value


def json_ok(value: Any) -> bool:
    """Whether `value` can be written as JSON (used to validate json defaults)."""
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True
