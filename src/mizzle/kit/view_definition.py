"""A view's definition and columns as drizzle-orm writes them (no other kit module is imported here)."""

from __future__ import annotations

import copy
from typing import Any


def select_definition(select: Any, dialect: Any, *, booleans: tuple[str, str] | None = None) -> str:
    """A builder select as the SQL text drizzle-orm writes into a view: values inline, and a single-table
    select's fields by bare name (`select "id", "name" from "users" where "users"."active" = 1`);
    `booleans`: how a boolean value is written (MySQL's drizzle-orm: `("true", "false")`)."""
    from mizzle.query.select import Subquery
    from mizzle.schema.column import Column
    from mizzle.schema.view import _Unescaped
    from mizzle.sql.chunks import SQL, Aliased, Identifier, Inline
    from mizzle.sql.render import render

    q = select
    mode = getattr(q, "_mode", None)
    single = (mode in ("positional", "named") and not q._joins and not q._set_ops and not q._ctes
              and q._from is not None and not isinstance(q._from, Subquery))
    if single:
        items: list[Any] = []
        for key, expr in q._field_items():
            if isinstance(expr, Column):
                items.append(SQL._of((Identifier(expr.name),)))  # drizzle-orm: the column's name, no alias
            elif isinstance(expr, Aliased) or key.startswith("_"):
                items.append(expr)
            else:
                items.append(Aliased(expr, key))
        q = copy.copy(q)
        q._mode = "positional"
        q._sel = tuple(items)
        q._compiled = None
    target: Any = _Unescaped(dialect)
    if booleans is None:
        return render(Inline(q._build(dialect)), target).sql
    literal = target.literal
    words = booleans

    def bool_literal(value: Any) -> str:
        if isinstance(value, bool):
            return words[0] if value else words[1]
        text: str = literal(value)
        return text

    target.literal = bool_literal
    params = _bool_params(q)
    saved = [(p, p.encoder) for p in params]
    try:
        for p in params:  # written as drizzle-orm writes a boolean, not as the column's encoding (1/0)
            p.encoder = None
        return render(Inline(q._build(dialect)), target).sql
    finally:
        for p, enc in saved:
            p.encoder = enc


def _bool_params(root: Any) -> list[Any]:
    """The boolean `Param`s reachable from a query's attributes (not through tables or columns)."""
    from mizzle.schema.column import Column
    from mizzle.sql.chunks import Param

    out: list[Any] = []
    seen: set[int] = set()
    stack: list[Any] = [root]
    while stack:
        o = stack.pop()
        if id(o) in seen or isinstance(o, type | Column | str | bytes | int | float | bool) or o is None:
            continue
        seen.add(id(o))
        if isinstance(o, Param):
            if isinstance(o.value, bool) and o.encoder is not None:
                out.append(o)
            continue
        if isinstance(o, dict):
            stack.extend(o.values())  # pyright: ignore[reportUnknownArgumentType, reportUnknownMemberType]
        elif isinstance(o, list | tuple | set | frozenset):
            stack.extend(o)  # pyright: ignore[reportUnknownArgumentType]
        else:
            cls: Any = type(o)  # pyright: ignore[reportUnknownVariableType]
            for name in getattr(cls, "__slots__", ()):
                stack.append(getattr(o, name, None))
            stack.extend(getattr(o, "__dict__", {}).values())
    return out


def source_columns(select: Any) -> list[tuple[str, Any]]:
    """(view column name, source table column) for each selected field that is a table column."""
    from mizzle.schema.column import Column
    from mizzle.sql.chunks import Aliased

    out: list[tuple[str, Any]] = []
    items: list[tuple[str, Any]] = select._field_items()
    for _key, expr in items:
        inner: Any = getattr(expr, "expr", None) if isinstance(expr, Aliased) else expr  # pyright: ignore[reportUnknownArgumentType]
        if isinstance(inner, Column):
            col: Column[Any] = inner  # pyright: ignore[reportUnknownVariableType]
            out.append((col.name, col))
    return out


__all__ = ["select_definition", "source_columns"]
