"""The data grid: filters with the builder's operators, sorting, keyset pagination, row encoding."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from mizzle.schema.column import Column
from mizzle.schema.table import Table
from mizzle.sql.chunks import SQL
from mizzle.sql.operators import (
    Ordering,
    and_,
    asc,
    desc,
    eq,
    gt,
    gte,
    ilike,
    in_array,
    is_not_null,
    is_null,
    like,
    lt,
    lte,
    ne,
    not_ilike,
    not_in_array,
    not_like,
    or_,
)
from mizzle.studio.app import ApiError, Studio, json_value
from mizzle.studio.values import BadValue, decode_cell, default_of, from_json, kind_of, to_json

MAX_LIMIT = 1000
DEFAULT_LIMIT = 50

_BINARY: dict[str, Callable[[Any, Any], SQL[bool]]] = {
    "eq": eq, "ne": ne, "gt": gt, "gte": gte, "lt": lt, "lte": lte,
}
_PATTERN: dict[str, Callable[[Any, Any], SQL[bool]]] = {
    "like": like, "not_like": not_like, "ilike": ilike, "not_ilike": not_ilike,
}
_NULLARY: dict[str, Callable[[Any], SQL[bool]]] = {"is_null": is_null, "is_not_null": is_not_null}
_LIST: dict[str, Callable[[Any, Any], SQL[bool]]] = {"in": in_array, "not_in": not_in_array}
FILTER_OPS: tuple[str, ...] = (*_BINARY, *_PATTERN, *_NULLARY, *_LIST)
_TEXTUAL = ("text", "enum", "json", "uuid", "decimal")


@dataclass(frozen=True, slots=True)
class Filter:
    """One column filter: `column op value`."""

    column: Column[Any]
    op: str
    value: Any = None


@dataclass(slots=True)
class GridQuery:
    """What the grid asks for: filters, one sort column, a page size and where the page starts."""

    table: type[Table]
    filters: list[Filter] = field(default_factory=list[Filter])
    sort: Column[Any] | None = None
    descending: bool = False
    limit: int = DEFAULT_LIMIT
    after: list[Any] | None = None
    before: list[Any] | None = None
    offset: int = 0
    last: bool = False
    with_count: bool = False


def _json_param(params: Mapping[str, str], key: str) -> Any:
    raw = params.get(key)
    if raw is None or raw == "":
        return None
    return json_value(raw, f"parameter {key!r}")


def parse_filters(studio: Studio, table: type[Table], raw: Any) -> list[Filter]:
    """Filters from JSON `[{"column": key, "op": "eq", "value": ...}, ...]` (400 naming the bad one)."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ApiError(400, "filters must be a JSON list of {column, op, value}")
    out: list[Filter] = []
    for i, item in enumerate(raw):  # pyright: ignore[reportUnknownVariableType, reportUnknownArgumentType]
        if not isinstance(item, dict):
            raise ApiError(400, f"filter #{i + 1} must be an object {{column, op, value}}")
        spec: dict[str, Any] = item  # pyright: ignore[reportUnknownVariableType]
        col = studio.column(table, str(spec.get("column", "")))
        op = str(spec.get("op", "eq"))
        if op not in FILTER_OPS:
            raise ApiError(400, f"filter on {col.name}: unknown operator {op!r} (use one of {', '.join(FILTER_OPS)})")
        value = spec.get("value")
        try:
            if op in _PATTERN:
                if kind_of(col) not in _TEXTUAL:
                    raise ApiError(400, f"filter on {col.name}: {op} needs a text column ({col.name} is "
                                        f"{kind_of(col)}); use eq, gt, lt... instead")
                value = str(value if value is not None else "")
            elif op in _LIST:
                items: list[Any]
                if isinstance(value, list):
                    items = list(value)  # pyright: ignore[reportUnknownArgumentType]
                else:
                    items = [v.strip() for v in str(value or "").split(",") if v.strip()]
                value = [from_json(col, v) for v in items]
            elif op in _BINARY:
                if value is None:
                    raise ApiError(400, f"filter on {col.name}: {op} needs a value (use is_null for NULL)")
                value = from_json(col, value)
        except BadValue as exc:
            raise ApiError(400, f"filter on {col.name}: {exc}") from None
        out.append(Filter(col, op, value))
    return out


def where_of(filters: list[Filter]) -> SQL[bool] | None:
    """The filters joined with AND (None when there are none)."""
    conds: list[SQL[bool]] = []
    for f in filters:
        if f.op in _NULLARY:
            conds.append(_NULLARY[f.op](f.column))
        elif f.op in _PATTERN:
            conds.append(_PATTERN[f.op](f.column, f.value))
        elif f.op in _LIST:
            conds.append(_LIST[f.op](f.column, f.value))
        else:
            conds.append(_BINARY[f.op](f.column, f.value))
    if not conds:
        return None
    return conds[0] if len(conds) == 1 else and_(*conds)


def parse_query(studio: Studio, table: type[Table], params: Mapping[str, str]) -> GridQuery:
    """A GridQuery from the request's query parameters."""
    q = GridQuery(table)
    q.filters = parse_filters(studio, table, _json_param(params, "filters"))
    if params.get("sort"):
        q.sort = studio.column(table, params["sort"])
    q.descending = params.get("dir", "asc") == "desc"
    try:
        q.limit = max(1, min(MAX_LIMIT, int(params.get("limit") or DEFAULT_LIMIT)))
        q.offset = max(0, int(params.get("offset") or 0))
    except ValueError:
        raise ApiError(400, "limit and offset must be whole numbers") from None
    q.after = _json_param(params, "after")
    q.before = _json_param(params, "before")
    q.last = params.get("last") == "1"
    q.with_count = params.get("count") == "1"
    return q


def order_columns(q: GridQuery) -> list[Column[Any]]:
    """The ORDER BY columns: the sort column, then the primary key as a tie-breaker."""
    pk = list(q.table.__table__.primary_key)
    cols: list[Column[Any]] = []
    if q.sort is not None:
        cols.append(q.sort)
    cols += [c for c in pk if c is not q.sort]
    if not cols:
        cols = list(q.table.__table__.columns.values())
    return cols


def keyset_ok(q: GridQuery) -> bool:
    """Whether pages can start from a key (every order column NOT NULL and a primary key exists)."""
    pk = q.table.__table__.primary_key
    return bool(pk) and all(c.not_null_ for c in order_columns(q))


def _seek(cols: list[Column[Any]], values: list[Any], forward: bool, inclusive: bool = False) -> SQL[bool]:
    """`(a, b) > (x, y)` spelled with AND/OR (works on every dialect)."""
    cmp = gt if forward else lt
    last = (gte if forward else lte) if inclusive else cmp
    terms: list[SQL[bool]] = []
    for i, col in enumerate(cols):
        parts: list[SQL[bool]] = [eq(c, v) for c, v in zip(cols[:i], values[:i], strict=True)]
        parts.append((last if i == len(cols) - 1 else cmp)(col, values[i]))
        terms.append(parts[0] if len(parts) == 1 else and_(*parts))
    if len(terms) == 1:
        return terms[0]
    # a leading range on the first column lets the database walk its index from the cursor
    return and_((gte if forward else lte)(cols[0], values[0]), or_(*terms))


def _cursor_values(cols: list[Column[Any]], raw: Any, what: str) -> list[Any]:
    if not isinstance(raw, list) or len(raw) != len(cols):  # pyright: ignore[reportUnknownArgumentType]
        raise ApiError(400, f"{what} must be a JSON list of {len(cols)} values ({', '.join(c.name for c in cols)})")
    try:
        items: list[Any] = raw  # pyright: ignore[reportUnknownVariableType]
        return [from_json(c, v) for c, v in zip(cols, items, strict=True)]
    except BadValue as exc:
        raise ApiError(400, f"{what}: {exc}") from None


def _orderings(cols: list[Column[Any]], descending: bool) -> list[Ordering]:
    return [desc(c) if descending else asc(c) for c in cols]


def fetch_page(studio: Studio, q: GridQuery) -> dict[str, Any]:
    """One page of rows (keyset when possible, else LIMIT/OFFSET), encoded for the browser."""
    db = studio.db
    table = q.table
    cols = order_columns(q)
    where = where_of(q.filters)
    keyset = keyset_ok(q)
    reverse = False
    mode = "keyset" if keyset else "offset"
    offset = q.offset
    total: int | None = None
    if q.with_count or q.last:
        total = db.count(table, where)
    sel = select_rows(studio, table)
    if keyset and q.after is not None:
        cond = _seek(cols, _cursor_values(cols, q.after, "after"), not q.descending)
        sel = sel.where(and_(where, cond)).order_by(*_orderings(cols, q.descending)).limit(q.limit)
    elif keyset and q.before is not None:
        cond = _seek(cols, _cursor_values(cols, q.before, "before"), q.descending)
        sel = sel.where(and_(where, cond)).order_by(*_orderings(cols, not q.descending)).limit(q.limit)
        reverse = True
    elif q.last:
        assert total is not None
        offset = max(0, (total - 1) // q.limit * q.limit)
        count = total - offset
        sel = sel.where(where).order_by(*_orderings(cols, not q.descending)).limit(max(count, 1))
        reverse = True
    elif keyset and offset > 0:
        # seek: find the page's first key on the ORDER BY columns only (an index walk), then read from it
        start = db.select(*cols).from_(table).where(where).order_by(*_orderings(cols, q.descending))
        first = start.limit(1).offset(offset).get()  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        if first is None:
            sel = sel.where(and_(where, SQL.raw("1 = 0")))
        else:
            cond = _seek(cols, list(first), not q.descending, inclusive=True)  # pyright: ignore[reportUnknownArgumentType]
            sel = sel.where(and_(where, cond)).order_by(*_orderings(cols, q.descending)).limit(q.limit)
    else:
        sel = sel.where(where).order_by(*_orderings(cols, q.descending)).limit(q.limit)
        if offset:
            sel = sel.offset(offset)
            mode = "offset"
    rows = decode_rows(table, sel.all())
    if reverse:
        rows.reverse()
    return {
        "table": table.__table__.name,
        "columns": [column_info(c) for c in table.__table__.columns.values()],
        "rows": encode_rows(table, rows),
        "total": total,
        "offset": offset if not (q.after is not None or q.before is not None) else None,
        "mode": mode,
        "order": [c.key for c in cols],
        "keyset": keyset,
    }


def column_info(col: Column[Any]) -> dict[str, Any]:
    """What the grid needs to know about a column."""
    table = col.table
    fk = None
    if table is not None:
        for f in table.__table__.foreign_keys:
            if len(f.columns) == 1 and f.columns[0] is col:
                fk = {"table": f.foreign_table.__table__.name, "column": f.foreign_columns[0].key}
                break
    return {
        "key": col.key, "name": col.name, "kind": kind_of(col), "sql_type": col.sql_type, "mode": col.mode,
        "not_null": col.not_null_, "primary": col.primary or (table is not None and col in table.__table__.primary_key),
        "unique": col.is_unique, "enum": list(col.enum_values) if col.enum_values else None, "fk": fk,
        "default": default_of(col), "generated": col.generated is not None,
    }


def select_rows(studio: Studio, table: type[Table]) -> Any:
    """`SELECT` of every column of `table`, values as the driver returns them (decoded by `decode_rows`)."""
    return studio.db.select(*[SQL("{}", c) for c in table.__table__.columns.values()]).from_(table)


def decode_rows(table: type[Table], rows: list[Any]) -> list[list[Any]]:
    """Raw rows decoded cell by cell: a value its column cannot decode becomes `Undecodable`, not an error."""
    cols = list(table.__table__.columns.values())
    return [[decode_cell(c, v) for c, v in zip(cols, row, strict=True)] for row in rows]


def encode_rows(table: type[Table], rows: list[Any]) -> list[list[Any]]:
    """Rows (tuples of decoded values) as JSON lists, values encoded by column kind."""
    kinds = [kind_of(c) for c in table.__table__.columns.values()]
    return [[to_json(k, v) for k, v in zip(kinds, row, strict=True)] for row in rows]


def iter_rows(studio: Studio, q: GridQuery, batch: int = 2000) -> Iterator[list[Any]]:
    """Every row matching the grid's filters and sort, in batches (for export), encoded as JSON values."""
    cols = order_columns(q)
    where = where_of(q.filters)
    keyset = keyset_ok(q)
    after: list[Any] | None = None
    offset = 0
    keys = [list(q.table.__table__.columns).index(c.key) for c in cols]
    while True:
        with studio.lock:
            sel = select_rows(studio, q.table)
            if keyset and after is not None:
                sel = sel.where(and_(where, _seek(cols, after, not q.descending)))
            else:
                sel = sel.where(where)
            sel = sel.order_by(*_orderings(cols, q.descending)).limit(batch)
            if not keyset and offset:
                sel = sel.offset(offset)
            rows = decode_rows(q.table, sel.all())
        if not rows:
            return
        yield from encode_rows(q.table, rows)
        if len(rows) < batch:
            return
        offset += len(rows)
        last: Any = rows[-1]
        after = [last[i] for i in keys]


__all__ = [
    "FILTER_OPS",
    "Filter",
    "GridQuery",
    "column_info",
    "decode_rows",
    "encode_rows",
    "fetch_page",
    "iter_rows",
    "keyset_ok",
    "order_columns",
    "parse_filters",
    "parse_query",
    "select_rows",
    "where_of",
]
