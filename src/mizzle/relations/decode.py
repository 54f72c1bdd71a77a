"""Turning nested JSON rows back into row objects: one converter compiled per result shape.

A nested row arrives as a JSON array of values in a fixed order (no keys), so decoding is a
tuple build per row with the column decoders applied where a mode needs them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from mizzle.errors import DecodeError, MizzleError
from mizzle.schema.table import make_row_class

Decoder = Callable[[Any], Any]
_new: Callable[..., Any] = tuple.__new__  # pyright: ignore[reportUnknownMemberType,reportUnknownVariableType]


@dataclass(frozen=True, slots=True)
class Slot:
    """How one value of a nested row is decoded.

    kind "value": `decoder(v)` unless v is None; "many": `decoder(v)` (a list, never None);
    "one": `decoder(v)` (the converter handles None).
    """

    kind: str
    decoder: Decoder | None = None


def compose(first: Decoder | None, then: Decoder | None) -> Decoder | None:
    """`then(first(v))`, skipping whichever is None."""
    if first is None:
        return then
    if then is None:
        return first

    def both(v: Any) -> Any:
        return then(first(v))

    return both


def converter(cls: type[Any], slots: Sequence[Slot], many: bool) -> Decoder:
    """A function turning parsed JSON (a list of rows, or one row or None) into row objects."""
    env: dict[str, Any] = {"NEW": _new, "C": cls}
    if all(s.kind == "value" and s.decoder is None for s in slots):
        body = "NEW(C, r)"
    else:
        vals: list[str] = []
        for i, s in enumerate(slots):
            if s.kind == "value" and s.decoder is None:
                vals.append(f"r[{i}]")
                continue
            name = f"D{i}"
            env[name] = s.decoder
            if s.kind == "value":
                vals.append(f"({name}(r[{i}]) if r[{i}] is not None else None)")
            else:
                vals.append(f"{name}(r[{i}])")
        body = f"NEW(C, ({', '.join(vals)},))"
    if many:
        src = f"def conv(v):\n    return [{body} for r in v] if v is not None else []\n"
    else:
        src = f"def conv(r):\n    return None if r is None else {body}\n"
    exec(compile(src, "<mizzle relation decoder>", "exec"), env)
    fast: Decoder = env["conv"]

    def conv(v: Any) -> Any:
        try:
            return fast(v)
        except MizzleError:
            raise  # a deeper level already said which value it could not read
        except Exception as exc:
            err = _nested_failure(cls, slots, v if many else [v], exc)
            if err is None:
                raise
            try:
                raise err from exc
            finally:
                del err

    return conv


def _nested_failure(cls: type[Any], slots: Sequence[Slot], rows: list[Any], exc: BaseException) -> DecodeError | None:
    """The first nested stored value its decoder refuses, as a DecodeError naming the nested table,
    column, row key and raw value (None: the failure was not a decoder's)."""
    meta = getattr(cls, "__table__", None)
    fields: tuple[str, ...] = getattr(cls, "_fields", ())
    for item in rows:
        if not isinstance(item, list | tuple):
            continue
        r: Sequence[Any] = cast("Sequence[Any]", item)
        for i, s in enumerate(slots):
            if s.kind != "value" or s.decoder is None or i >= len(r) or r[i] is None:
                continue
            raw: Any = r[i]
            try:
                s.decoder(raw)
            except MizzleError:
                return None
            except Exception as e:
                column = fields[i] if i < len(fields) else f"#{i + 1}"
                table = meta.name if meta is not None else None
                if meta is not None and column in meta.columns:
                    column = meta.columns[column].name
                key: dict[str, Any] | None = None
                if meta is not None:
                    pk = [c.key for c in meta.primary_key]
                    if pk and all(k in fields and fields.index(k) < len(r) for k in pk):
                        key = {k: r[fields.index(k)] for k in pk}
                where = f"{table}.{column}" if table else f"nested column {column}"
                row = ", ".join(f"{k}={v!r}" for k, v in key.items()) if key else "primary key not selected"
                shown = repr(raw)
                if len(shown) > 200:
                    shown = shown[:200] + f"... ({len(shown)} characters)"
                return DecodeError(
                    f"{where}: cannot read the stored value {shown} (row {row}, in a relation loaded by a "
                    f"relational query): {type(e).__name__}: {e}. Select the column through sql(...) to read "
                    f"the raw value and repair it (see docs/values.md)",
                    table=table, column=column, key=key, raw=raw,
                )
    del exc
    return None


def from_text(loads: Decoder, conv: Decoder) -> Decoder:
    """A decoder for a top-level JSON value: parse the driver's value, then convert it."""

    def decode(value: Any) -> Any:
        return conv(loads(value))

    return decode


_row_classes: dict[tuple[type[Any], tuple[str, ...]], type[Any]] = {}


def row_class(table: type[Any], keys: Sequence[str]) -> type[Any]:
    """The row class for `table` results with these keys (the table's own when they are its columns)."""
    k = tuple(keys)
    meta = table.__table__
    if k == tuple(meta.columns):
        own: type[Any] = meta.row_cls()
        return own
    cls = _row_classes.get((table, k))
    if cls is None:
        cls = make_row_class(table, list(k))
        _row_classes[(table, k)] = cls
    return cls
