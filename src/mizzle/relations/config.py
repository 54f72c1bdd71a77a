"""Checking and normalising the options of `find_many` / `find_first` and of each `with_` level."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mizzle.errors import QueryError
from mizzle.relations.resolve import Link, link
from mizzle.schema.column import Column
from mizzle.schema.relation import Load, class_relations
from mizzle.schema.table import Table
from mizzle.sql.chunks import Expr, Placeholder

LEVEL_KEYS = ("columns", "with_", "where", "order_by", "limit", "offset", "extras")
"""Keys a nested `with_` entry accepts (`"with"` is accepted as a spelling of `"with_"`)."""


@dataclass(slots=True)
class Level:
    """One table's part of a relational query: what to select, filter, order, nest."""

    table: type[Table]
    path: str
    columns: list[str]
    where: Any = None  # fragment, or callable(table) -> fragment
    order_by: Any = ()  # tuple of terms, or callable(table) -> term(s)
    limit: Any = None
    offset: Any = None
    extras: Any = None  # dict name -> expression, or callable(table) -> dict
    with_: dict[str, tuple[Link, Level]] = field(default_factory=dict[str, tuple[Link, "Level"]])


def parse_level(
    table: type[Table],
    path: str,
    *,
    columns: Any = None,
    with_: Any = None,
    where: Any = None,
    order_by: Any = None,
    limit: Any = None,
    offset: Any = None,
    extras: Any = None,
) -> Level:
    """Validate one level's options (errors name the path, e.g. `users.posts.comments`)."""
    keys = _columns(table, path, columns)
    _check_count(limit, f"{path}: limit")
    _check_count(offset, f"{path}: offset")
    if where is not None and not (callable(where) or isinstance(where, Expr) or hasattr(where, "__sql__")):
        raise QueryError(f"{path}: where must be a condition such as eq(...) or a function of the table, got {where!r}")
    if order_by is None:
        order: Any = ()
    elif callable(order_by) and not isinstance(order_by, Expr):
        order = order_by
    elif isinstance(order_by, list | tuple):
        order = tuple[Any, ...](order_by)  # pyright: ignore[reportUnknownArgumentType]
    else:
        order = (order_by,)
    if extras is not None and not callable(extras):
        _check_extras(table, path, extras, keys)
    level = Level(table, path, keys, where, order, limit, offset, extras)
    if with_ is not None:
        for name, opts in _with_entries(table, path, with_):
            if name in table.__table__.columns:
                raise QueryError(f"{path}: {name!r} is a column, not a relation; list columns in columns=")
            if name in level.with_:
                raise QueryError(f"{path}: with_ names the relation {name!r} twice")
            lk = link(table, name)
            sub_path = f"{path}.{name}"
            if opts is True:
                sub = parse_level(lk.target, sub_path)
            elif isinstance(opts, Mapping):
                sub = parse_level(lk.target, sub_path, **_level_kwargs(sub_path, opts))  # pyright: ignore[reportUnknownArgumentType]
            else:
                raise QueryError(f"{sub_path}: give True or a dict of options ({', '.join(LEVEL_KEYS)}), got {opts!r}")
            if lk.kind == "one" and sub.limit is not None:
                raise QueryError(f"{sub_path}: limit does not apply to a one() relation")
            level.with_[name] = (lk, sub)
    if extras is not None and not callable(extras):
        for name in extras:
            if name in level.with_:
                raise QueryError(f"{path}: extra {name!r} has the same name as a relation in with_")
    return level


def _with_entries(table: type[Table], path: str, with_: Any) -> list[tuple[str, Any]]:
    """`with_` as (relation name, True or options) pairs.

    The typed form is a list of relations read on the table class, alone or with options
    (`[Users.posts.load(limit=3), Users.profile]`); Drizzle's dict of names (`{"posts": {"limit": 3}}`)
    is accepted at run time (unknown names raise `QueryError` listing the relations) but not by the
    type checkers, which cannot check its keys.
    """
    if isinstance(with_, Mapping):
        out: list[tuple[str, Any]] = []
        for name, opts in with_.items():  # pyright: ignore[reportUnknownVariableType]
            if not isinstance(name, str):
                raise QueryError(f"{path}: with_ keys must be relation names, got {name!r}; "
                                 f"the typed form is a list: with_=[{table.__name__}.<relation>, ...]")
            entry: tuple[str, Any] = (name, opts)  # pyright: ignore[reportUnknownVariableType]
            out.append(entry)
        return out
    if isinstance(with_, Load | str) or not isinstance(with_, Sequence):
        raise QueryError(f"{path}: with_ takes a list of relations of {table.__name__} "
                         f"(with_=[{table.__name__}.<relation>, {table.__name__}.<relation>.load(...)]), got {with_!r}")
    out = []
    for item in with_:  # pyright: ignore[reportUnknownVariableType]
        if not isinstance(item, Load):
            raise QueryError(f"{path}: with_ items must be relations read on {table.__name__} "
                             f"({table.__name__}.<relation> or {table.__name__}.<relation>.load(...)), got {item!r}")
        ld: Load[Any] = item  # pyright: ignore[reportUnknownVariableType]
        declared = class_relations(table).get(ld.name)
        if declared is not ld.declaration:
            names = ", ".join(sorted(class_relations(table))) or "none declared on the class"
            raise QueryError(f"{path}: {ld!r} is a relation of {ld.owner.__name__}, not of {table.__name__} "
                             f"(its relations: {names})")
        out.append((ld.name, dict(ld.options) if ld.options else True))
    return out


def _level_kwargs(path: str, opts: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in opts.items():
        key = "with_" if k == "with" else k
        if key not in LEVEL_KEYS:
            raise QueryError(f"{path}: unknown option {k!r}; options are: {', '.join(LEVEL_KEYS)}")
        if key in out:
            raise QueryError(f"{path}: give with_ once (as 'with_' or 'with')")
        out[key] = v
    return out


def _columns(table: type[Table], path: str, columns: Any) -> list[str]:
    cols = table.__table__.columns
    if columns is None:
        return list(cols)
    if isinstance(columns, Mapping):
        columns = {_column_key(table, path, k): v for k, v in columns.items()}  # pyright: ignore[reportUnknownVariableType]
        for k, v in columns.items():  # pyright: ignore[reportUnknownVariableType]
            if k not in cols:
                raise QueryError(f"{path}: columns names {k!r}, which is not a column of {table.__table__.name} "
                                 f"(columns: {', '.join(cols)})")
            if not isinstance(v, bool):
                raise QueryError(f"{path}: columns[{k!r}] must be True or False, got {v!r}")
        picked = {k for k, v in columns.items() if v}  # pyright: ignore[reportUnknownVariableType]
        if picked:
            return [k for k in cols if k in picked]
        dropped: set[Any] = set(columns)  # pyright: ignore[reportUnknownArgumentType]
        return [k for k in cols if k not in dropped]
    if isinstance(columns, Sequence) and not isinstance(columns, str):
        wanted: set[str] = set()
        for c in columns:  # pyright: ignore[reportUnknownVariableType]
            key: Any = c.key if isinstance(c, Column) else c  # pyright: ignore[reportUnknownMemberType,reportUnknownVariableType]
            if not isinstance(key, str) or key not in cols or (
                isinstance(c, Column) and c.table is not None and not issubclass(table, c.table)
            ):
                raise QueryError(f"{path}: {c!r} is not a column of {table.__table__.name}")
            wanted.add(key)
        return [k for k in cols if k in wanted]
    raise QueryError(f"{path}: columns takes {{'name': True, ...}}, {{'name': False, ...}} or a list of columns")


def _column_key(table: type[Table], path: str, key: Any) -> Any:
    """A `columns={...}` key: a column name, or a column of `table` (its attribute name)."""
    if not isinstance(key, Column):
        return key
    col: Column[Any] = key  # pyright: ignore[reportUnknownVariableType]
    if col.table is not None and not issubclass(table, col.table):
        raise QueryError(f"{path}: {col!r} is not a column of {table.__table__.name}")
    return col.key


def _check_count(value: Any, what: str) -> None:
    if value is None or isinstance(value, Placeholder | Expr):
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise QueryError(f"{what} must be a non-negative int or a placeholder, got {value!r}")


def _check_extras(table: type[Table], path: str, extras: Any, keys: list[str]) -> None:
    if not isinstance(extras, Mapping):
        raise QueryError(f"{path}: extras takes a dict of name -> sql expression, got {extras!r}")
    for name, expr in extras.items():  # pyright: ignore[reportUnknownVariableType]
        if not isinstance(name, str) or not name.isidentifier():
            raise QueryError(f"{path}: extra name {name!r} is not an identifier")
        if name in table.__table__.columns:
            raise QueryError(f"{path}: extra {name!r} has the same name as a column of {table.__table__.name}")
        if not isinstance(expr, Expr):
            raise QueryError(f"{path}: extra {name!r} must be an sql expression (e.g. sql[int](...)), got {expr!r}")


def resolve_callable(value: Any, table: type[Table]) -> Any:
    """`value(table)` when `value` is a function of the table (where/order_by/extras), else `value`."""
    if callable(value) and not isinstance(value, Expr | type):
        fn: Callable[[type[Table]], Any] = value
        return fn(table)
    return value  # pyright: ignore[reportUnknownVariableType]
