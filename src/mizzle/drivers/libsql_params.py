"""Parameter binding the `libsql` package gets wrong, rewritten before it sees the statement.

The package binds a Python int that does not fit in 32 bits as a REAL (`2**53 + 1` loses
precision, `2**31` is stored with REAL type) and refuses dict (named) parameters. `bind()`
rewrites such a statement: named placeholders (`:name`, `@name`, `$name`) become `?` with the
values in order, and each integer outside 32 bits becomes an exact SQL literal in place of its
placeholder. Placeholders are found by scanning the SQL outside string literals, quoted
identifiers and comments.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mizzle.errors import DatabaseError
from mizzle.kit.dialects.sqlite.ddlparse import _quoted_end, _skip_comment

_I32_MIN, _I32_MAX = -(2**31), 2**31 - 1
_I64_MIN, _I64_MAX = -(2**63), 2**63 - 1
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def _wide(v: object) -> bool:
    return type(v) is int and not _I32_MIN <= v <= _I32_MAX


def needs_rewrite(params: Sequence[Any] | Mapping[str, Any]) -> bool:
    """True when `params` would be bound wrongly as they are (a dict, or an int beyond 32 bits)."""
    if isinstance(params, Mapping):
        return True
    return any(_wide(v) for v in params)


def _literal(v: int, sql: str) -> str:
    if not _I64_MIN <= v <= _I64_MAX:
        raise DatabaseError(f"integer parameter {v} does not fit in SQLite's 64-bit INTEGER", sql=sql)
    return "(-9223372036854775807 - 1)" if v == _I64_MIN else str(v)


def bind(sql: str, params: Sequence[Any] | Mapping[str, Any]) -> tuple[str, list[Any]]:
    """`sql` with positional `?` placeholders only and the values `libsql` binds exactly."""
    out: list[str] = []
    values: list[Any] = []
    named = isinstance(params, Mapping)
    seq: Sequence[Any] = () if isinstance(params, Mapping) else params
    mapping: Mapping[str, Any] = params if isinstance(params, Mapping) else {}
    next_index = 0
    start = i = 0
    n = len(sql)
    while i < n:
        c = sql[i]
        if c in "'\"`[":
            i = _quoted_end(sql, i)
            continue
        if c in "-/" and (after := _skip_comment(sql, i)) != i:
            i = after
            continue
        if c == "?" or (
            c in ":@$" and i + 1 < n and sql[i + 1] in _NAME_CHARS and (i == 0 or sql[i - 1] not in _NAME_CHARS)
        ):
            j = i + 1
            while j < n and sql[j] in _NAME_CHARS:
                j += 1
            token = sql[i + 1 : j]
            if c == "?":
                if named:
                    raise DatabaseError("positional placeholder '?' with named (dict) parameters", sql=sql)
                index = int(token) - 1 if token else next_index
                next_index = max(next_index, index + 1)
                if index >= len(seq):
                    raise DatabaseError(f"statement uses parameter {index + 1}, {len(seq)} supplied", sql=sql)
                value = seq[index]
            else:
                if not named:
                    raise DatabaseError(f"named placeholder {c}{token} needs a dict of parameters", sql=sql)
                if token not in mapping:
                    raise DatabaseError(f"no value for named parameter {token!r}", sql=sql)
                value = mapping[token]
            out.append(sql[start:i])
            if _wide(value):
                out.append(_literal(value, sql))
            else:
                out.append("?")
                values.append(value)
            start = i = j
            continue
        i += 1
    out.append(sql[start:])
    return "".join(out), values
