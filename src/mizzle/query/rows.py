"""Row materialization: one decoder function compiled per result shape, no per-row dispatch."""

from __future__ import annotations

import gc
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from mizzle.errors import DecodeError, MizzleError
from mizzle.schema.table import make_row_class
from mizzle.sql.functions import IDENTITY_ON

Decoder = Callable[[Any], Any]


@dataclass(slots=True)
class Part:
    """One object built from a slice of the row: a table row, a record, or a single value."""

    kind: str  # "row" (tuple-backed class), "value", "tuple", "record"
    cls: type[Any] | None = None
    decoders: list[Decoder | None] = field(default_factory=list[Decoder | None])
    nullable: bool = False  # an outer-joined side: None when its key columns are all NULL
    null_check: list[int] = field(default_factory=list[int])  # offsets tested for NULL
    children: list[Part] = field(default_factory=list["Part"])  # for records with nested objects

    def width(self) -> int:
        """How many result columns this part consumes."""
        if self.kind == "record":
            return sum(c.width() for c in self.children)
        return len(self.decoders)


@dataclass(slots=True)
class Shape:
    """The shape of every row of a result: one part (a row object) or several (a tuple of them)."""

    parts: list[Part]
    as_tuple: bool = False  # several parts -> a tuple of objects
    nested: bool = False  # .values(): a value per field of the one object, nested objects included (relational)
    _compiled: tuple[Callable[[Iterable[Any]], list[Any]], Callable[[Any], Any]] | None = None

    def decoders(self) -> tuple[Callable[[Iterable[Any]], list[Any]], Callable[[Any], Any]]:
        """(decode_all(rows) -> list, decode_one(row) -> object), compiled once per distinct shape."""
        if self._compiled is None:
            key = self.key()
            compiled = _cache.get(key)
            if compiled is None:
                compiled = _compile(self)
                if len(_cache) > 4096:
                    _cache.clear()
                _cache[key] = compiled
            self._compiled = _explained(self, compiled)
        return self._compiled

    def key(self) -> tuple[Any, ...]:
        """A hashable description of the shape (same key, same decoder)."""
        return (self.as_tuple, tuple(_part_key(p) for p in self.parts))

    def row_class(self) -> type[Any] | None:
        """The class of every row when it is the driver's row as it is (a table row, or a plain tuple, with
        no column to decode): building one cannot fail, and `tuple.__new__(cls, r)` needs no Python frame."""
        if len(self.parts) != 1 or self.as_tuple:
            return None
        p = self.parts[0]
        if p.nullable or not p.decoders or any(d is not None for d in p.decoders):
            return None
        return p.cls if p.kind == "row" else tuple if p.kind == "tuple" else None


def _explained(
    shape: Shape, compiled: tuple[Callable[[Iterable[Any]], list[Any]], Callable[[Any], Any]]
) -> tuple[Callable[[Iterable[Any]], list[Any]], Callable[[Any], Any]]:
    """`compiled` with a stored value that fails to decode reported as a DecodeError (table, column,
    primary key, raw value) instead of the decoder's bare exception."""
    fast_all, fast_one = compiled

    def decode_all(rows: Iterable[Any]) -> list[Any]:
        paused = pause_collector()
        try:
            return fast_all(rows)
        except Exception as exc:
            err = decode_failure(_slots(shape), _failed_rows(rows, exc), exc)
            if err is None:
                raise
            try:
                raise err from exc
            finally:
                del err  # no frame <-> traceback cycle keeping the driver's cursor (and its locks) alive
        finally:
            if paused:
                resume_collector()

    return decode_all, fast_one  # decode_one explains its own failures (`_explain_one`): no wrapper frame


def _explain_one(shape: Shape, exc: Exception, r: Any) -> None:
    """Raise the DecodeError describing why `r` failed to decode (return: `exc` is not a decoding error)."""
    err = decode_failure(_slots(shape), [r], exc)
    if err is None:
        return
    try:
        raise err from exc
    finally:
        del err  # no frame <-> traceback cycle keeping the driver's cursor (and its locks) alive


def _failed_rows(rows: Iterable[Any], exc: BaseException) -> Sequence[Any]:
    """The rows to search for the value a decoder refused: all of them, or, when they came straight from the
    driver's cursor (consumed as decoded), the row the compiled decoder was reading when `exc` was raised."""
    if isinstance(rows, Sequence):
        return rows  # pyright: ignore[reportUnknownVariableType]
    tb = exc.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_code.co_filename == _SOURCE and "r" in frame.f_locals:
            return [frame.f_locals["r"]]
        tb = tb.tb_next
    return []


# The cycle collector never untracks tuple subclasses (it does untrack the driver's plain tuples), so while
# a large result is decoded every collection walks the rows built so far, and the full ones walk the whole
# heap: 1M rows took 2.5x the time of fetchall() with the collector on, 1.2x with it off. Decoding pauses
# it; the pauses nest across threads (a count under a lock), and the last one to finish re-enables it only
# if it was on when the first one began, so a collector the application turned off stays off.
_collector = threading.Lock()
_pauses = 0
_reenable = False


def pause_collector() -> bool:
    """Pause the cycle collector (True: it was on, call `resume_collector()` exactly once, in a finally)."""
    global _pauses, _reenable
    with _collector:
        if _pauses == 0:
            if not gc.isenabled():
                return False
            gc.disable()
            _reenable = True
        _pauses += 1
        return True


def resume_collector() -> None:
    """End one `pause_collector()`; the last one re-enables the collector."""
    global _pauses, _reenable
    with _collector:
        _pauses -= 1
        if _pauses == 0 and _reenable:
            _reenable = False
            gc.enable()


def _slots(shape: Shape) -> list[tuple[Decoder | None, Part, int, int]]:
    """Per result column: (decoder, its part, index in the part, offset of the part)."""
    out: list[tuple[Decoder | None, Part, int, int]] = []

    def walk(p: Part) -> None:
        if p.kind == "record":
            start = len(out)
            for i, c in enumerate(p.children):
                if c.kind == "value" and hasattr(p.cls, "__table__"):
                    out.append((c.decoders[0], p, i, start))  # a table row's column (a relational query's row)
                else:
                    walk(c)
            return
        start = len(out)
        for j, d in enumerate(p.decoders):
            out.append((d, p, j, start))

    for p in shape.parts:
        walk(p)
    return out


def decode_failure(
    slots: Sequence[tuple[Decoder | None, Part | None, int, int]], rows: Sequence[Any], exc: BaseException
) -> DecodeError | None:
    """Find the first stored value in `rows` its decoder refuses and describe it (None: not a decoding error)."""
    for r in rows:
        for i, (dec, part, j, start) in enumerate(slots):
            if dec is None or i >= len(r) or r[i] is None:
                continue
            raw = r[i]
            try:
                dec(raw)
            except MizzleError:
                return None  # the decoder's own error already says what is wrong
            except Exception as e:
                return _describe(part, j, start, i, r, raw, e)
    return None


def _describe(part: Part | None, j: int, start: int, i: int, r: Any, raw: Any, exc: BaseException) -> DecodeError:
    cls = part.cls if part is not None else None
    meta = getattr(cls, "__table__", None)
    fields: tuple[str, ...] = getattr(cls, "_fields", ())
    table = meta.name if meta is not None else None
    column = fields[j] if j < len(fields) else f"#{i + 1}"
    if meta is not None and column in meta.columns:
        column = meta.columns[column].name
    key: dict[str, Any] | None = None
    if meta is not None:
        pk = [c.key for c in meta.primary_key]
        if pk and all(k in fields for k in pk):
            key = {k: r[start + fields.index(k)] for k in pk}
    where = f"{table}.{column}" if table else f"result column {column}"
    row = ", ".join(f"{k}={v!r}" for k, v in key.items()) if key else "primary key not selected"
    shown = repr(raw)
    if len(shown) > 200:
        shown = shown[:200] + f"... ({len(shown)} characters)"
    return DecodeError(
        f"{where}: cannot read the stored value {shown} (row {row}): {type(exc).__name__}: {exc}. "
        f"Select the column through sql(...) to read the raw value and repair it (see docs/values.md)",
        table=table, column=column, key=key, raw=raw,
    )


def _part_key(p: Part) -> tuple[Any, ...]:
    return (p.kind, p.cls, tuple(p.decoders), p.nullable, tuple(p.null_check), tuple(_part_key(c) for c in p.children))


_SOURCE = "<mizzle row decoder>"
_cache: dict[tuple[Any, ...], tuple[Callable[[Iterable[Any]], list[Any]], Callable[[Any], Any]]] = {}


_TUPLE_NEW: Any = getattr(tuple, "__new__")  # noqa: B009


def _callable(cls: type[Any]) -> bool:
    """True when `cls(t)` is exactly `tuple.__new__(cls, t)`: one call, no wrapper re-slicing its arguments
    (row classes reset `__init__` to object's; a metaclass `__call__` or an own `__new__` keeps NEW)."""
    new: Any = cls.__new__
    return type(cls).__call__ is type.__call__ and new is _TUPLE_NEW and cls.__init__ is object.__init__


def row_constructor(cls: type[Any]) -> Callable[[Any], Any]:
    """`t -> tuple.__new__(cls, t)` in C: `cls` itself when calling it is exactly that (see `_callable`)."""
    return cls if _callable(cls) else partial(_TUPLE_NEW, cls)


def _compile(shape: Shape) -> tuple[Callable[[Iterable[Any]], list[Any]], Callable[[Any], Any]]:
    env: dict[str, Any] = {"NEW": _TUPLE_NEW}
    counter = [0]

    def name_of(obj: Any, prefix: str) -> str:
        counter[0] += 1
        n = f"{prefix}{counter[0]}"
        env[n] = obj
        return n

    def new(cls: Any, arg: str) -> str:
        c = name_of(cls, "C")
        return f"{c}({arg})" if _callable(cls) else f"NEW({c}, {arg})"

    def value_expr(i: int, dec: Decoder | None) -> str:
        if dec is None:
            return f"r[{i}]"
        d = name_of(dec, "D")
        return _decode_expr(i, dec, d, env)

    def part_expr(part: Part, start: int) -> tuple[str, int]:
        if part.kind == "record":
            inner: list[str] = []
            pos = start
            for child in part.children:
                expr, pos = part_expr(child, pos)
                inner.append(expr)
            body = new(part.cls, f"({', '.join(inner)},)")
            end = pos
        else:
            n = len(part.decoders)
            end = start + n
            if part.kind == "value":
                body = value_expr(start, part.decoders[0])
            elif all(d is None for d in part.decoders) and part.kind == "row":
                body = new(part.cls, "r" if start == 0 and not shape.as_tuple and n > 0 else f"r[{start}:{end}]")
            else:
                vals = ", ".join(value_expr(start + j, d) for j, d in enumerate(part.decoders))
                if part.kind == "tuple":
                    body = f"({vals},)"
                else:
                    body = new(part.cls, f"({vals},)")
        if part.nullable:
            checks = part.null_check or list(range(end - start))
            cond = " and ".join(f"r[{start + k}] is None" for k in checks)
            body = f"(None if ({cond}) else {body})"
        return body, end

    if len(shape.parts) == 1 and not shape.as_tuple:
        expr, _ = part_expr(shape.parts[0], 0)
        only = shape.parts[0]
        if only.kind == "tuple" and all(d is None for d in only.decoders):
            # plain tuples straight from the driver
            return (lambda rows: rows if isinstance(rows, list) else list(rows)), (lambda r: r)
    else:
        pos = 0
        exprs: list[str] = []
        for p in shape.parts:
            e, pos = part_expr(p, pos)
            exprs.append(e)
        expr = f"({', '.join(exprs)},)"
    whole = re.fullmatch(r"(C\d+)\(r\)", expr)  # the driver's row as it is: map the class over the rows
    each = f"list(map({whole.group(1)}, rows))" if whole else f"[{expr} for r in rows]"
    env["EXPLAIN"] = partial(_explain_one, shape)
    src = (
        f"def decode_all(rows):\n    return {each}\n"
        f"def decode_one(r):\n    try:\n        return {expr}\n"
        f"    except Exception as exc:\n        EXPLAIN(exc, r)\n        raise\n"
    )
    exec(compile(src, _SOURCE, "exec"), env)
    return env["decode_all"], env["decode_one"]


def _decode_expr(i: int, dec: Decoder, name: str, env: dict[str, Any]) -> str:
    """Source decoding `r[i]` with `dec` (bound as `name` in env): NULL stays None; values of the
    exact types `dec` returns unchanged (IDENTITY_ON) skip the call."""
    types = IDENTITY_ON.get(dec)
    if types is None:
        return f"({name}(r[{i}]) if r[{i}] is not None else None)"
    if len(types) == 1:
        env[f"T{name}"] = types[0]
        return f"(x if (x := r[{i}]) is None or type(x) is T{name} else {name}(x))"
    env[f"T{name}"] = types
    return f"(x if (x := r[{i}]) is None or type(x) in T{name} else {name}(x))"


def flat_decoders(part: Part) -> list[Decoder | None]:
    """The decoder of each result column `part` reads, in order."""
    if part.kind == "record":
        return [d for ch in part.children for d in flat_decoders(ch)]
    return list(part.decoders)


def values_of(shape: Shape) -> Callable[[Sequence[Any]], list[tuple[Any, ...]]] | None:
    """How `.values()` turns the driver's rows of `shape` into tuples (None: they are already).

    A relational query's tuple has one value per field of its root object, a relation being its
    nested object(s) whether the plan joined it as columns or read it as JSON; any other query's
    tuple is its result columns, each decoded by its column's mode.
    """
    if shape.nested:
        decode_all = shape.decoders()[0]
        return lambda rows: [tuple(o) for o in decode_all(rows)]
    decoders = [d for p in shape.parts for d in flat_decoders(p)]
    return values_decoder(decoders) if any(decoders) else None


_values_cache: dict[tuple[Decoder | None, ...], Callable[[Sequence[Any]], list[tuple[Any, ...]]]] = {}


def values_decoder(decoders: Sequence[Decoder | None]) -> Callable[[Sequence[Any]], list[tuple[Any, ...]]]:
    """A compiled `rows -> [tuple]` applying each column's decoder to non-NULL values (cached)."""
    key = tuple(decoders)
    fn = _values_cache.get(key)
    if fn is None:
        env: dict[str, Any] = {}
        items: list[str] = []
        for i, dec in enumerate(key):
            if dec is None:
                items.append(f"r[{i}]")
            else:
                env[f"D{i}"] = dec
                items.append(_decode_expr(i, dec, f"D{i}", env))
        src = f"def decode_values(rows):\n    return [({', '.join(items)},) for r in rows]\n"
        exec(compile(src, "<mizzle values decoder>", "exec"), env)
        fn = _explained_values(env["decode_values"], key)
        if len(_values_cache) > 4096:
            _values_cache.clear()
        _values_cache[key] = fn
    return fn


def _explained_values(
    fast: Callable[[Sequence[Any]], list[tuple[Any, ...]]], decoders: tuple[Decoder | None, ...]
) -> Callable[[Sequence[Any]], list[tuple[Any, ...]]]:
    slots = [(d, None, i, 0) for i, d in enumerate(decoders)]

    def decode_values(rows: Sequence[Any]) -> list[tuple[Any, ...]]:
        try:
            return fast(rows)
        except Exception as exc:
            err = decode_failure(slots, rows, exc)
            if err is None:
                raise
            try:
                raise err from exc
            finally:
                del err  # no frame <-> traceback cycle keeping the driver's cursor (and its locks) alive

    return decode_values


_record_classes: dict[tuple[str, ...], type[Any]] = {}


class Record(tuple[Any, ...]):
    """A result row of a named selection: read its fields as attributes (`row.name`)."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"record has no field {name!r}; fields are: {', '.join(self._fields)}")


def record_class(keys: Sequence[str]) -> type[Any]:
    """The row class for a named selection with these keys (cached)."""
    k = tuple(keys)
    cls = _record_classes.get(k)
    if cls is None:
        cls = make_row_class(Record, list(k), "Record")
        _record_classes[k] = cls
    return cls
