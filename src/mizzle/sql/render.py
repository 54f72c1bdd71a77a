"""`render(fragment, dialect)`: the one place where SQL text is joined together."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from mizzle.errors import QueryError, ValueRefusedError
from mizzle.sql.chunks import (
    SQL,
    Aliased,
    Buildable,
    ColumnRef,
    Factory,
    Identifier,
    Inline,
    Param,
    Placeholder,
)


class Target(Protocol):
    """What rendering needs of a dialect: identifier quoting, parameter markers, literals."""

    @property
    def escape_text(self) -> Callable[[str], str] | None: ...

    @property
    def quote(self) -> Callable[[str], str]: ...

    @property
    def placeholder(self) -> Callable[[int], str]: ...

    def literal(self, value: Any) -> str: ...


@dataclass(frozen=True, slots=True)
class Slot:
    """A placeholder's position in the parameter list."""

    index: int
    name: str
    encoder: Any
    factory: Any = None
    source: Any = None  # the column a placeholder's value goes into (for messages)


class Query:
    """Rendered SQL text with its parameter list (placeholders left as `None` until filled)."""

    __slots__ = ("_filler", "params", "slots", "sql")

    def __init__(self, sql: str, params: tuple[Any, ...], slots: tuple[Slot, ...] = ()) -> None:
        self.sql = sql
        self.params = params
        self.slots = slots
        self._filler: Any = None

    def filler(self) -> Any:
        """A compiled function `values -> params` (placeholders encoded, factories called)."""
        f = self._filler
        if f is None:
            f = self._filler = _compile_filler(self)
        return f

    def __repr__(self) -> str:
        return f"Query(sql={self.sql!r}, params={self.params!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Query):
            return (self.sql, self.params, self.slots) == (other.sql, other.params, other.slots)
        if isinstance(other, tuple) and len(other) == 2:  # pyright: ignore[reportUnknownArgumentType]
            return (self.sql, list(self.params)) == (other[0], list(other[1]))  # pyright: ignore[reportUnknownArgumentType]
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __iter__(self) -> Any:
        """Unpack as `(sql, params)`."""
        return iter((self.sql, list(self.params)))

    def fill(self, values: dict[str, Any]) -> list[Any]:
        """The parameter list with every placeholder replaced by its (encoded) value."""
        params = list(self.params)
        for slot in self.slots:
            if slot.factory is not None:
                value = slot.factory()
                if slot.encoder is not None and value is not None:
                    value = slot.encoder(value)
                params[slot.index] = value
                continue
            try:
                value = values[slot.name]
            except KeyError:
                raise QueryError(
                    f"missing value for placeholder {slot.name!r}; pass it as {slot.name}=... "
                    f"(placeholders in this query: {', '.join(sorted({s.name for s in self.slots if s.name}))}; "
                    f"given: {', '.join(sorted(values)) or 'none'})"
                ) from None
            if slot.encoder is not None and value is not None:
                try:
                    value = slot.encoder(value)
                except (TypeError, ValueError, OverflowError) as exc:
                    where = getattr(slot.source, "qualified_name", None)
                    raise ValueRefusedError(
                        f"{where or f'placeholder {slot.name!r}'}: cannot store {value!r}: {exc}",
                        column=where, value=value,
                    ) from None
            params[slot.index] = value
        return params


def _compile_filler(q: Query) -> Any:
    env: dict[str, Any] = {"_slow": q.fill}
    by_index = {s.index: s for s in q.slots}
    items: list[str] = []
    for i, value in enumerate(q.params):
        slot = by_index.get(i)
        if slot is None:
            env[f"p{i}"] = value
            items.append(f"p{i}")
            continue
        if slot.factory is not None:
            env[f"f{i}"] = slot.factory
            expr = f"f{i}()"
        else:
            expr = f"v[{slot.name!r}]"
        if slot.encoder is not None:
            env[f"e{i}"] = slot.encoder
            # the exact types the encoder returns unchanged (see mizzle.schema.codecs.unchanged_types)
            unchanged: frozenset[type] = getattr(slot.encoder, "unchanged", frozenset())
            bounds: tuple[int, int] | None = getattr(slot.encoder, "int_bounds", None)  # codecs.int_bounds
            if unchanged:
                env[f"u{i}"] = unchanged | {type(None)}
                expr = f"(x{i} if type(x{i} := {expr}) in u{i} else e{i}(x{i}) if x{i} is not None else None)"
            elif bounds is not None:
                env[f"lo{i}"], env[f"hi{i}"] = bounds
                expr = (f"(x{i} if type(x{i} := {expr}) is int and lo{i} <= x{i} <= hi{i} "
                        f"else e{i}(x{i}) if x{i} is not None else None)")
            else:
                expr = f"(e{i}(x{i}) if (x{i} := {expr}) is not None else None)"
        items.append(expr)
    src = (
        "def fill(v):\n"
        "    try:\n"
        f"        return ({', '.join(items)}{',' if items else ''})\n"
        "    except (KeyError, TypeError, ValueError, OverflowError):\n"
        "        return _slow(v)\n"
    )
    exec(compile(src, "<mizzle param filler>", "exec"), env)
    return env["fill"]


def render(fragment: Any, dialect: Target, *, qualify: bool = True) -> Query:
    """Render a fragment (or anything with `__sql__`) to SQL text and bound parameters."""
    out: list[str] = []
    params: list[Any] = []
    slots: list[Slot] = []
    _render_into(fragment, dialect, out, params, slots, qualify, False)
    return Query("".join(out), tuple(params), tuple(slots))


_PARAM = object()
_END = object()


def encode(param: Param, value: Any) -> Any:
    """Encode a bound value with its column's encoder; a value that does not fit names the column."""
    assert param.encoder is not None
    try:
        return param.encoder(value)
    except (TypeError, ValueError, OverflowError) as exc:
        where = getattr(param.source, "qualified_name", None)
        raise ValueRefusedError(f"{where or 'value'}: cannot store {value!r}: {exc}", column=where, value=value) from None


def inline_value(dialect: Any, value: Any) -> str | None:
    """`value` written as a literal for a values-only `Inline`, or None to keep it bound."""
    hook = getattr(dialect, "inline_value", None)
    if hook is None:
        return None
    out: str | None = hook(value)
    return out


def fingerprint(fragment: Any, key: list[Any], params: list[Any], dialect: Any = None, inline: bool = False) -> bool:
    """Append a structural key of `fragment` to `key` and its bound values to `params`.

    Two fragments with equal keys render to the same SQL text, so the text can be cached and
    only the values collected. The key ends with an end marker, so keys appended one after the
    other (a field's name, then its expression) cannot be confused. Returns False for fragments
    that cannot be keyed this way (placeholders, per-call factories, dialect-built pieces without
    `_fingerprint_parts`). With the `dialect` it renders for, pieces marked `_keyed_by_build` (the
    expression functions' `Call`) are keyed by what the dialect builds from them. `inline`: the
    fragment is rendered in a values-only `Inline` (values the dialect writes as literals go into the
    key instead of `params`).
    """
    stack: list[Any] = [fragment]
    while stack:
        c = stack.pop()
        tc: type[Any] = type(c)  # pyright: ignore[reportUnknownVariableType]
        if tc is str:
            key.append(c)
        elif tc is SQL:
            stack.extend(reversed(c.chunks))
        elif tc is Param:
            value = c.value
            if c.encoder is not None and value is not None:
                try:
                    value = c.encoder(value)
                except (TypeError, ValueError, OverflowError):
                    value = encode(c, value)  # raises the error naming the column
            if inline and (lit := inline_value(dialect, value)) is not None:
                key.append(("V", lit))
            else:
                key.append(_PARAM)
                params.append(value)
        elif isinstance(c, ColumnRef):
            key.append(c)
        elif tc is Identifier:
            key.append(("I", *c.parts))
        elif tc is Aliased:
            key.append(("A", c.alias))
        elif tc is Inline and c.values_only and not inline:
            return False  # keyed by Select._fingerprint (inline=True), which knows which parts are inlined
        elif tc in (Placeholder, Factory) or (tc is Inline and not c.values_only):
            return False
        elif tc is Inline:
            stack.append(c.fragment)
        elif isinstance(c, Buildable):
            # a dialect-built piece is keyable when it says which fragments every dialect renders
            # from it, in render order (`_fingerprint_parts() -> (key, parts)`; see ILike, Excluded)
            parts = getattr(c, "_fingerprint_parts", None)
            if parts is not None:
                k, chunks = parts()
                key.append(k)
                stack.extend(reversed(chunks))
            elif dialect is not None and getattr(c, "_keyed_by_build", False):
                # what the dialect builds from it is what render renders: key that, chunk by chunk
                key.append(tc)
                built: Any = c._build(dialect)
                stack.extend((")", built, "(") if c._parens else (built,))
            else:
                return False
        elif isinstance(c, type) and hasattr(c, "__table__"):
            key.append(c)
        elif hasattr(c, "__sql__"):
            key.append(tc)
            stack.append(getattr(c, "__sql__")())  # noqa: B009
        elif c is None:
            continue
        else:
            return False
    key.append(_END)  # closes this fragment: text that follows cannot be read as part of it
    return True


def _render_into(
    chunk: Any,
    dialect: Target,
    out: list[str],
    params: list[Any],
    slots: list[Slot],
    qualify: bool,
    inline: bool | str,
) -> None:
    # inline: False (values bound), True (every value a literal: DDL), "values" (literals where the
    # dialect has a safe one, see Inline)
    quote = dialect.quote
    escape_text = dialect.escape_text
    stack: list[Any] = [chunk]
    while stack:
        c = stack.pop()
        tc: type[Any] = type(c)  # pyright: ignore[reportUnknownVariableType]
        if tc is str:
            out.append(escape_text(c) if escape_text is not None else c)
        elif tc is SQL:
            stack.extend(reversed(c.chunks))
        elif tc is Param:
            value = c.value
            if c.encoder is not None and value is not None:
                value = encode(c, value)
            lit = (dialect.literal(value) if inline is True else inline_value(dialect, value)) if inline else None
            if lit is not None:  # the driver reads `%` in the text as its parameter marker: escaped like text
                out.append(escape_text(lit) if escape_text is not None else lit)
            else:
                out.append(dialect.placeholder(len(params)))
                params.append(value)
        elif isinstance(c, ColumnRef):
            rc = c.render_cache
            if rc is None or rc[0] is not quote:
                name = quote(c.name)
                rc = (quote, quote(c.table_alias) + "." + name if c.table_alias else name, name)
                c.render_cache = rc
            out.append(rc[1] if qualify else rc[2])
        elif tc is Identifier:
            out.append(".".join(quote(p) for p in c.parts))
        elif tc is Placeholder:
            if inline is True:
                raise QueryError(f"placeholder {c.name!r} cannot be used where values are inlined (DDL)")
            slots.append(Slot(len(params), c.name, c.encoder, None, c.source))
            out.append(dialect.placeholder(len(params)))
            params.append(None)
        elif tc is Factory:
            slots.append(Slot(len(params), "", c.encoder, c.fn))
            out.append(dialect.placeholder(len(params)))
            params.append(None)
        elif tc is Inline:
            mode: bool | str = "values" if c.values_only and inline is not True else True
            _render_into(c.fragment, dialect, out, params, slots, qualify, mode)
        elif tc is Aliased:
            out.append(quote(c.alias))
        elif isinstance(c, Buildable):
            if c._parens:
                stack.append(")")
                stack.append(c._build(dialect))
                stack.append("(")
            else:
                stack.append(c._build(dialect))
        elif isinstance(c, type) and hasattr(c, "__table__"):
            meta: Any = getattr(c, "__table__")  # noqa: B009
            out.append(meta.ref_sql(quote))
        elif hasattr(c, "__sql__"):
            stack.append(getattr(c, "__sql__")())  # noqa: B009
        elif c is None:
            continue
        else:
            if isinstance(c, bool):
                raise QueryError(
                    f"cannot render the Python value {c!r} as SQL: a comparison like `Table.col == 1` is "
                    "evaluated by Python; write eq(Table.col, 1) (or ne/gt/lt/...) instead"
                )
            raise QueryError(f"cannot render {c!r} as SQL")
