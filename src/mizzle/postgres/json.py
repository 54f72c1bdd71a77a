"""JSON and jsonb operators for PostgreSQL: `->`, `->>`, `#>`, `@>`, `?`, and jsonb update helpers.

    from mizzle.postgres import json as pj
    db.select(pj.get_text(Projects.settings, "aiModel")).from_(Projects)
    db.update(Chats).set(messages=pj.append(Chats.messages, {"role": "user", "content": "hi"}))

Values are always bound as parameters (JSON-encoded and cast to jsonb), never written into SQL text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from mizzle.schema.codecs import decode_json, encode_json
from mizzle.sql.chunks import SQL, Expr, Param, as_chunk


def _jsonb_param(value: Any) -> Any:
    if isinstance(value, Expr):
        return cast(Any, value)
    return SQL._of((Param(encode_json(value)), "::jsonb"))


def _key(key: str | int) -> Any:
    if isinstance(key, bool) or not isinstance(key, str | int):
        raise TypeError(f"a JSON key must be a str (object key) or int (array index), got {key!r}")
    return SQL._of((Param(key), "::text" if isinstance(key, str) else "::int"))


def _path(path: Sequence[str | int]) -> Any:
    if isinstance(path, str):
        raise TypeError("a JSON path is a list of keys, e.g. ['a', 'b', 0], not a string")
    return SQL._of((Param([str(p) for p in path]), "::text[]"))


def get(expr: Expr[Any], key: str | int) -> SQL[Any]:
    """`expr -> key`: the JSON value under an object key or array index."""
    return SQL._of(("(", as_chunk(expr), " -> ", _key(key), ")"), decode_json)


def get_text(expr: Expr[Any], key: str | int) -> SQL[str | None]:
    """`expr ->> key`: the value under a key as text."""
    return SQL._of(("(", as_chunk(expr), " ->> ", _key(key), ")"))


def get_path(expr: Expr[Any], path: Sequence[str | int]) -> SQL[Any]:
    """`expr #> '{a,b}'`: the JSON value at a path."""
    return SQL._of(("(", as_chunk(expr), " #> ", _path(path), ")"), decode_json)


def get_path_text(expr: Expr[Any], path: Sequence[str | int]) -> SQL[str | None]:
    """`expr #>> '{a,b}'`: the value at a path as text."""
    return SQL._of(("(", as_chunk(expr), " #>> ", _path(path), ")"))


def contains(expr: Expr[Any], value: Any) -> SQL[bool]:
    """`expr @> value` (jsonb): the document contains `value` (e.g. `{"role": "user"}`)."""
    return SQL._of((as_chunk(expr), " @> ", _jsonb_param(value)))


def contained_by(expr: Expr[Any], value: Any) -> SQL[bool]:
    """`expr <@ value` (jsonb)."""
    return SQL._of((as_chunk(expr), " <@ ", _jsonb_param(value)))


def has_key(expr: Expr[Any], key: str) -> SQL[bool]:
    """`expr ? key` (jsonb): a top-level key (or array string element) exists."""
    return SQL._of(("jsonb_exists(", as_chunk(expr), ", ", Param(key), "::text)"))


def has_any_key(expr: Expr[Any], keys: Sequence[str]) -> SQL[bool]:
    """`expr ?| keys` (jsonb)."""
    return SQL._of(("jsonb_exists_any(", as_chunk(expr), ", ", Param(list(keys)), "::text[])"))


def has_all_keys(expr: Expr[Any], keys: Sequence[str]) -> SQL[bool]:
    """`expr ?& keys` (jsonb)."""
    return SQL._of(("jsonb_exists_all(", as_chunk(expr), ", ", Param(list(keys)), "::text[])"))


def append(expr: Expr[Any], *values: Any) -> SQL[Any]:
    """`coalesce(expr, '[]') || jsonb_build_array(values...)`: a jsonb array with `values` added at the end.

    Each value is added as ONE element (a list value becomes a nested array), unlike `||` with a
    bare array, which concatenates. A NULL column is treated as an empty array.
    """
    if not values:
        raise TypeError("append() needs at least one value")
    chunks: list[Any] = ["(coalesce(", as_chunk(expr), ", '[]'::jsonb) || jsonb_build_array("]
    for i, v in enumerate(values):
        if i:
            chunks.append(", ")
        chunks.append(_jsonb_param(v))
    chunks.append("))")
    return SQL._of(tuple(chunks), expr.decoder)


def concat(expr: Expr[Any], value: Any) -> SQL[Any]:
    """`expr || value` (jsonb): merge objects, or concatenate arrays."""
    return SQL._of(("(", as_chunk(expr), " || ", _jsonb_param(value), ")"), expr.decoder)


def set_(expr: Expr[Any], path: Sequence[str | int], value: Any, *, create_missing: bool = True) -> SQL[Any]:
    """`jsonb_set(expr, path, value, create_missing)`: the document with the value at `path` replaced."""
    return SQL._of(
        ("jsonb_set(", as_chunk(expr), ", ", _path(path), ", ", _jsonb_param(value),
         ", true)" if create_missing else ", false)"),
        expr.decoder,
    )


def remove(expr: Expr[Any], key: str | int) -> SQL[Any]:
    """`expr - key` (jsonb): the document without an object key / array element."""
    return SQL._of(("(", as_chunk(expr), " - ", _key(key), ")"), expr.decoder)


def remove_path(expr: Expr[Any], path: Sequence[str | int]) -> SQL[Any]:
    """`expr #- path` (jsonb)."""
    return SQL._of(("(", as_chunk(expr), " #- ", _path(path), ")"), expr.decoder)


def array_length(expr: Expr[Any]) -> SQL[int | None]:
    """`jsonb_array_length(expr)`."""
    return SQL._of(("jsonb_array_length(", as_chunk(expr), ")"))


def build_object(**fields: Any) -> SQL[Any]:
    """`jsonb_build_object('k', v, ...)` (values bound; expressions rendered in place)."""
    chunks: list[Any] = ["jsonb_build_object("]
    for i, (k, v) in enumerate(fields.items()):
        if i:
            chunks.append(", ")
        chunks += [Param(k), "::text, ", as_chunk(v) if isinstance(v, Expr) else _jsonb_param(v)]
    chunks.append(")")
    return SQL._of(tuple(chunks), decode_json)


__all__ = [
    "append",
    "array_length",
    "build_object",
    "concat",
    "contained_by",
    "contains",
    "get",
    "get_path",
    "get_path_text",
    "get_text",
    "has_all_keys",
    "has_any_key",
    "has_key",
    "remove",
    "remove_path",
    "set_",
]
