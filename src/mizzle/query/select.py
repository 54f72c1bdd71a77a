"""SELECT: an immutable builder; every method returns a new query."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Generic, Literal, overload

from typing_extensions import TypeVar

from mizzle.errors import QueryError
from mizzle.query._arity import T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16
from mizzle.query.base import Compiled, Returning
from mizzle.query.rows import Part, Shape, record_class
from mizzle.query.selection import Selection
from mizzle.schema.column import Column
from mizzle.schema.table import Table, make_row_class
from mizzle.sql.chunks import SQL, Aliased, Expr, Placeholder, as_chunk
from mizzle.sql.operators import Ordering
from mizzle.sql.render import Query, fingerprint, render

if TYPE_CHECKING:
    from mizzle.query.dialect import Renderer

R = TypeVar("R", covariant=True, default=Any)
T = TypeVar("T", bound=Table)
A = TypeVar("A")
B = TypeVar("B")
C = TypeVar("C")
J = TypeVar("J", bound=Table)

S = TypeVar("S", bound=Selection)

JoinKind = Literal["inner", "left", "right", "full", "cross"]


class Subquery:
    """A query used as a table: `sq = q.as_("sq")`; read its fields as `sq.name`."""

    def __init__(self, query: Select[Any], name: str, cte: bool = False) -> None:
        self._query = query
        self._name = name
        self._cte = cte
        self._columns: dict[str, Column[Any]] = {}
        self._row_cls: type[Any] | None = None
        for key, expr in query._field_items():
            col: Column[Any] = Column("", name=key)
            col.key = key
            col.table_alias = name
            col.decoder = expr.decoder
            col.encoder = expr.encoder
            self._columns[key] = col
        if query._mode == "full" and len(query._tables) == 1 and not isinstance(query._tables[0][0], Subquery):
            table: type[Table] = query._tables[0][0]
            self._row_cls = table.__table__.row_cls()

    def __getattr__(self, key: str) -> Any:
        try:
            return self.__dict__["_columns"][key]
        except KeyError:
            raise AttributeError(
                f"subquery {self.__dict__.get('_name')!r} has no field {key!r}; "
                f"fields are: {', '.join(self.__dict__.get('_columns', {}))}"
            ) from None

    def __repr__(self) -> str:
        return f"Subquery({self._name!r})"


def cte(name: str, query: Select[Any]) -> Subquery:
    """A common table expression: use it with `db.with_(cte).select().from_(cte)`."""
    return Subquery(query, name, cte=True)


Source = type[Table] | Subquery


def _source_columns(src: Any) -> list[tuple[str, Column[Any]]]:
    if isinstance(src, Subquery):
        return list(src._columns.items())
    return list(src.__table__.columns.items())


_part_cache: dict[tuple[Any, bool], Part] = {}
_shape_cache: dict[tuple[Any, ...], Shape] = {}
_compiled_cache: dict[tuple[Any, ...], tuple[str, Shape | None]] = {}
"""Structural key of a select (with its dialect) -> its SQL text and result shape (see `Select.compile`)."""


def _source_part(src: Any, nullable: bool) -> Part:
    if not isinstance(src, Subquery):
        part = _part_cache.get((src, nullable))
        if part is None:
            part = _make_part(src, nullable)
            _part_cache[(src, nullable)] = part
        return part
    return _make_part(src, nullable)


def _make_part(src: Any, nullable: bool) -> Part:
    cols = _source_columns(src)
    decoders = [c.decoder for _, c in cols]
    if isinstance(src, Subquery):
        cls = src._row_cls or record_class([k for k, _ in cols])
        null_check: list[int] = []
    else:
        meta = src.__table__
        cls = meta.row_cls()
        keys = [k for k, _ in cols]
        null_check = [keys.index(c.key) for c in meta.primary_key]
    return Part("row", cls, decoders, nullable=nullable, null_check=null_check)


class Select(Returning[R], Generic[R]):
    """A SELECT query. Full-row selects return table row objects; partial ones tuples or records."""


    def __init__(
        self,
        session: Any,
        mode: Literal["full", "positional", "named"],
        sel: Any = None,
        *,
        distinct: bool = False,
        distinct_on: tuple[Any, ...] | None = None,
        ctes: tuple[Subquery, ...] = (),
    ) -> None:
        self._session = session
        self._compiled = None
        self._mode = mode
        self._sel = sel
        self._distinct = distinct
        self._distinct_on = distinct_on
        self._ctes = ctes
        self._from: Any = None
        self._tables: list[tuple[Any, bool]] = []
        self._joins: tuple[tuple[JoinKind, Any, Any, bool], ...] = ()
        self._where: Any = None
        self._group_by: tuple[Any, ...] = ()
        self._having: Any = None
        self._order_by: tuple[Any, ...] = ()
        self._limit: Any = None
        self._offset: Any = None
        self._set_ops: tuple[tuple[str, Select[Any]], ...] = ()
        self._lock: tuple[str, str | None] | None = None

    # ---- clauses -----------------------------------------------------------------

    def _with_from(self, source: Any) -> Any:
        return self._copy()._set_from(source)

    def _set_from(self, source: Any) -> Any:
        if isinstance(source, Select):
            raise QueryError("select from a subquery: give it a name first, e.g. .from_(query.as_('sq'))")
        if not isinstance(source, Subquery) and not (isinstance(source, type) and issubclass(source, Table)):
            raise QueryError(f"from_() takes a table class or a subquery, got {source!r}")
        self._from = source
        self._tables = [(source, False)]
        return self

    def where(self, condition: SQL[Any] | Expr[Any] | None) -> Self_:
        """Filter rows (`None` means no filter; calling again replaces the filter)."""
        q = self._copy()
        q._where = condition
        return q

    def _join(self, kind: JoinKind, target: Any, on: Any, lateral: bool = False) -> Any:
        if self._from is None:
            raise QueryError("call .from_() before joining")
        q = self._copy()
        q._joins = (*self._joins, (kind, target, on, lateral))
        if kind in ("right", "full"):
            q._tables = [(t, True) for t, _ in self._tables]
        else:
            q._tables = list(self._tables)
        q._tables.append((target, kind in ("left", "full")))
        return q

    def group_by(self, *exprs: Expr[Any] | SQL[Any]) -> Self_:
        """GROUP BY."""
        q = self._copy()
        q._group_by = exprs
        return q

    def having(self, condition: SQL[Any] | None) -> Self_:
        """HAVING."""
        q = self._copy()
        q._having = condition
        return q

    def order_by(self, *terms: Expr[Any] | Ordering | SQL[Any]) -> Self_:
        """ORDER BY; use `asc(x)`, `desc(x)`, `.nulls_first()`, `.nulls_last()`."""
        q = self._copy()
        q._order_by = terms
        return q

    def limit(self, n: int | Placeholder | None) -> Self_:
        """LIMIT (a number or a placeholder)."""
        q = self._copy()
        q._limit = n
        return q

    def offset(self, n: int | Placeholder | None) -> Self_:
        """OFFSET."""
        q = self._copy()
        q._offset = n
        return q

    def for_update(self, *, skip_locked: bool = False, no_wait: bool = False) -> Self_:
        """FOR UPDATE row locks (PostgreSQL, MySQL); ignored by SQLite, which locks the database."""
        q = self._copy()
        q._lock = ("update", "skip locked" if skip_locked else "nowait" if no_wait else None)
        return q

    def for_share(self, *, skip_locked: bool = False, no_wait: bool = False) -> Self_:
        """FOR SHARE row locks."""
        q = self._copy()
        q._lock = ("share", "skip locked" if skip_locked else "nowait" if no_wait else None)
        return q

    def _set_op(self, op: str, other: Select[Any]) -> Self_:
        q = self._copy()
        q._set_ops = (*self._set_ops, (op, other))
        return q

    def union(self, other: Select[Any]) -> Self_:
        """UNION (distinct rows)."""
        return self._set_op("union", other)

    def union_all(self, other: Select[Any]) -> Self_:
        """UNION ALL."""
        return self._set_op("union all", other)

    def intersect(self, other: Select[Any]) -> Self_:
        """INTERSECT."""
        return self._set_op("intersect", other)

    def except_(self, other: Select[Any]) -> Self_:
        """EXCEPT."""
        return self._set_op("except", other)

    def as_(self, name: str) -> Any:
        """Use this query as a named subquery (in FROM, joins, or expressions)."""
        return Subquery(self, name)

    def as_cte(self, name: str) -> Subquery:
        """Use this query as a CTE named `name` (pass it to `db.with_(...)`)."""
        return Subquery(self, name, cte=True)

    def _limited(self) -> Self_:
        """This query with LIMIT 1 unless it has a limit already (for reading one row)."""
        return self if self._limit is not None else self.limit(1)

    def get(self) -> R | None:
        """The first row, or None (sends LIMIT 1 unless the query has a limit)."""
        out: R | None = self._sess().get(self if self._limit is not None else self.limit(1))
        return out

    def first(self) -> R | None:
        """The first row, or None: the query with LIMIT 1 (same as `.get()`)."""
        out: R | None = self._sess().get(self if self._limit is not None else self.limit(1))
        return out

    def _scalar(self) -> Any:
        if self._mode != "positional" or len(self._sel) != 1:
            raise QueryError("scalar() reads a select of one expression, e.g. db.select(count()).from_(T).scalar(); "
                             "use .get() for whole rows")
        q = self._limited()
        session_scalar = getattr(q._sess(), "scalar", None)
        if session_scalar is not None:  # the async session: returns an awaitable
            return session_scalar(q)
        row = q.values()
        return row[0][0] if row else None

    # ---- compilation ---------------------------------------------------------------

    def _field_items(self) -> list[tuple[str, Expr[Any]]]:
        """(key, expression) for each selected field, flattened (used for subqueries)."""
        if self._mode == "full":
            out: list[tuple[str, Expr[Any]]] = []
            for src, _ in self._tables:
                out.extend(_source_columns(src))
            return out
        if self._mode == "positional":
            items: list[tuple[str, Expr[Any]]] = []
            sel: tuple[Any, ...] = self._sel
            for i, e in enumerate(sel):
                inner: Any = e
                if isinstance(e, SQL) and len(e.chunks) == 1:  # nullable(col) keeps the column's name
                    inner = e.chunks[0]
                key = e.alias if isinstance(e, Aliased) else inner.key if isinstance(inner, Column) else f"_{i}"
                items.append((key, e))  # pyright: ignore[reportUnknownArgumentType]
            return items
        flat: list[tuple[str, Expr[Any]]] = []

        def walk(d: Mapping[str, Any], prefix: str) -> None:
            for k, v in d.items():
                if isinstance(v, Mapping):
                    walk(v, f"{prefix}{k}_")  # pyright: ignore[reportUnknownArgumentType]
                else:
                    flat.append((prefix + k, v))

        walk(self._sel, "")
        return flat

    def _exprs(self) -> list[Any]:
        """The selected expressions in result order."""
        return [e for _, e in self._field_items()]

    def _shape(self) -> Shape:
        if self._mode == "full":
            if not self._tables:
                raise QueryError("select() needs .from_(table)")
            key = tuple(self._tables)
            shape = _shape_cache.get(key)
            if shape is None:
                parts = [_source_part(src, nullable) for src, nullable in self._tables]
                shape = Shape(parts, as_tuple=len(parts) > 1)
                if not any(isinstance(src, Subquery) for src, _ in self._tables):
                    _shape_cache[key] = shape
            return shape
        if any(nullable for _, nullable in self._tables):
            self._check_outer_columns()
        if self._mode == "positional":
            decs = [getattr(e, "decoder", None) for e in self._sel]
            return Shape([Part("tuple", None, decs)])
        return Shape([_named_part(self._sel)])

    def _check_outer_columns(self) -> None:
        """Refuse a NOT NULL column of an outer-joined table selected bare: its static type says it
        is never None, but the join makes it None where nothing matched (`nullable(col)` is typed
        `T | None`)."""
        outer = {src: kind for src, nullable in self._tables if nullable
                 for kind in [next((k for k, t, _, _ in self._joins if t is src), "right/full")]}
        for key, expr in self._field_items():
            col = expr.expr if isinstance(expr, Aliased) else expr
            if not isinstance(col, Column):
                continue
            table = col.table if col.not_null_ else None
            if table is not None and table in outer:
                name = table.__name__
                side = f"the {outer[table]} join" if outer[table] in ("left", "full") else "a right/full join"
                raise QueryError(
                    f"select(): {name}.{col.key} ({key!r}) is NOT NULL in {table.__table__.name} but {side} "
                    f"makes it None where no row matched, so its type would lie; select nullable({name}.{col.key}) "
                    f"(typed as None-able)"
                )

    def _build(self, dialect: Renderer) -> SQL[Any]:
        return dialect.build_select(self)

    def compile(self, dialect: Renderer | None = None) -> Compiled:
        """Render once per dialect; equal query structures share one cached SQL text and result shape."""
        d = dialect or self._dialect()
        c = self._compiled
        if c is not None and c.dialect is d:
            return c
        fp = self._fingerprint(d)
        if fp is None:
            return super().compile(d)
        key, params = fp
        hit = _compiled_cache.get(key)
        if hit is None:
            query = render(self._build(d), d)
            shape = self._shape()
            if len(_compiled_cache) > 2048:
                _compiled_cache.clear()
            # the key holds what the shape is made of (tables, or each field's type and decoder), except
            # for named selections, whose nesting it does not describe: their shape is built per query
            _compiled_cache[key] = (query.sql, shape if self._mode != "named" else None)
            texts = d._query_cache  # every statement text the structural caches hold, per dialect
            if len(texts) > 2048:
                texts.clear()
            texts[key] = query.sql
        else:
            text, cached = hit
            query = Query(text, tuple(params))
            shape = cached if cached is not None else self._shape()
        c = Compiled(d, query, shape, "rows")
        self._compiled = c
        return c

    def _fingerprint(self, dialect: Renderer) -> tuple[tuple[Any, ...], list[Any]] | None:
        """A structural key of this query plus its bound values, or None when it cannot be keyed."""
        if self._ctes or self._set_ops or self._distinct_on is not None or isinstance(self._from, Subquery):
            return None
        mode = self._mode
        key: list[Any] = [dialect, type(self), mode, self._distinct, self._lock]
        params: list[Any] = []
        # the parts build_select writes with literal values on such dialects (see _grouped_values)
        grouped = bool(self._group_by) and dialect.caps.inline_grouped_values
        if mode == "full":
            key.append(tuple(self._tables))
        else:
            # each field's type and decoder are keyed too: the cached result shape is built from them
            # (and `col` / `nullable(col)`, keyed alike, differ in the outer-join check)
            items: Any = enumerate(self._sel) if mode == "positional" else self._field_items()
            e: Any
            for k, e in items:
                key += (k, type(e), getattr(e, "decoder", None))
                if type(e) is Aliased:  # rendered as `expr as "alias"` here: key the expression too
                    key.append(("A", e.alias))
                    e = e.expr
                if not fingerprint(e, key, params, dialect, grouped):
                    return None
        key.append(self._from)
        joins = self._joins
        for kind, target, on, lateral in joins:
            if isinstance(target, Subquery):
                return None
            key += (kind, target, lateral, on is None)
            if on is not None and not fingerprint(on, key, params, dialect):
                return None
        where = self._where
        if where is not None and not fingerprint(where, key, params, dialect):
            return None
        group_by = self._group_by
        for g in group_by:
            if not fingerprint(g, key, params, dialect, grouped):
                return None
        having = self._having
        if having is not None and not fingerprint(having, key, params, dialect, grouped):
            return None
        order_by = self._order_by
        if order_by and not order_key(dialect, order_by, key, params, grouped):
            return None
        limit = self._limit
        offset = self._offset
        for n in (limit, offset):
            if n is not None:
                if isinstance(n, Placeholder | Expr):
                    return None
                params.append(n)
        # which clauses are present and how many terms each has: every keyed fragment ends with an end
        # marker, so with these counts the key reads back one way only
        key.append((len(joins), where is not None, len(group_by), having is not None, len(order_by),
                    limit is not None, offset is not None))
        return tuple(key), params


def order_key(dialect: Renderer, terms: tuple[Any, ...], key: list[Any], params: list[Any],
              inline: bool = False) -> bool:
    """Key ORDER BY `terms` (False where NULLS FIRST/LAST is emulated: the expression repeats)."""
    for term in terms:
        if isinstance(term, Ordering) and term.nulls and not dialect.caps.nulls_ordering:
            return False
        key.append("t")
        if not fingerprint(term, key, params, dialect, inline):
            return False
    return True


class ClassFields(dict[str, Any]):
    """The expressions of a `Selection` instance, remembering the class its rows are built as."""

    def __init__(self, exprs: Mapping[str, Any], row_cls: type[Any]) -> None:
        super().__init__(exprs)
        self.row_cls = row_cls


def _named_part(sel: Mapping[str, Any]) -> Part:
    children: list[Part] = []
    for v in sel.values():
        if isinstance(v, Mapping):
            children.append(_named_part(v))  # pyright: ignore[reportUnknownArgumentType]
        else:
            children.append(Part("value", None, [getattr(v, "decoder", None)]))
    cls = sel.row_cls if isinstance(sel, ClassFields) else record_class(list(sel.keys()))
    return Part("record", cls, children=children)


Self_ = Any  # builders return a copy of their own class; see the typed subclasses below


class TableSelect(Select[R], Generic[R]):
    """A full-row select: joins add the joined table's row (nullable on outer joins)."""

    if TYPE_CHECKING:

        def where(self, condition: SQL[Any] | Expr[Any] | None) -> TableSelect[R]: ...
        def group_by(self, *exprs: Expr[Any] | SQL[Any]) -> TableSelect[R]: ...
        def having(self, condition: SQL[Any] | None) -> TableSelect[R]: ...
        def order_by(self, *terms: Expr[Any] | Ordering | SQL[Any]) -> TableSelect[R]: ...
        def limit(self, n: int | Placeholder | None) -> TableSelect[R]: ...
        def offset(self, n: int | Placeholder | None) -> TableSelect[R]: ...
        def for_update(self, *, skip_locked: bool = False, no_wait: bool = False) -> TableSelect[R]: ...
        def for_share(self, *, skip_locked: bool = False, no_wait: bool = False) -> TableSelect[R]: ...
        def union(self, other: Select[Any]) -> TableSelect[R]: ...
        def union_all(self, other: Select[Any]) -> TableSelect[R]: ...
        def intersect(self, other: Select[Any]) -> TableSelect[R]: ...
        def except_(self, other: Select[Any]) -> TableSelect[R]: ...

    @overload
    def inner_join(self: TableSelect[tuple[A, B, C]], table: type[J], on: Any) -> TableSelect[tuple[A, B, C, J]]: ...  # pyright: ignore[reportOverlappingOverload]
    @overload
    def inner_join(self: TableSelect[tuple[A, B]], table: type[J], on: Any) -> TableSelect[tuple[A, B, J]]: ...
    @overload
    def inner_join(self: TableSelect[A], table: type[J], on: Any) -> TableSelect[tuple[A, J]]: ...
    @overload
    def inner_join(self, table: Subquery, on: Any) -> TableSelect[Any]: ...
    def inner_join(self, table: Any, on: Any) -> Any:
        """INNER JOIN `table` ON `on`."""
        return self._join("inner", table, on)

    @overload
    def left_join(  # pyright: ignore[reportOverlappingOverload]
        self: TableSelect[tuple[A, B, C]], table: type[J], on: Any
    ) -> TableSelect[tuple[A, B, C, J | None]]: ...
    @overload
    def left_join(self: TableSelect[tuple[A, B]], table: type[J], on: Any) -> TableSelect[tuple[A, B, J | None]]: ...
    @overload
    def left_join(self: TableSelect[A], table: type[J], on: Any) -> TableSelect[tuple[A, J | None]]: ...
    @overload
    def left_join(self, table: Subquery, on: Any) -> TableSelect[Any]: ...
    def left_join(self, table: Any, on: Any) -> Any:
        """LEFT JOIN: the joined row is None where nothing matched."""
        return self._join("left", table, on)

    @overload
    def right_join(  # pyright: ignore[reportOverlappingOverload]
        self: TableSelect[tuple[A, B]], table: type[J], on: Any
    ) -> TableSelect[tuple[A | None, B | None, J]]: ...
    @overload
    def right_join(self: TableSelect[A], table: type[J], on: Any) -> TableSelect[tuple[A | None, J]]: ...
    @overload
    def right_join(self, table: Subquery, on: Any) -> TableSelect[Any]: ...
    def right_join(self, table: Any, on: Any) -> Any:
        """RIGHT JOIN: the rows selected so far become optional."""
        return self._join("right", table, on)

    @overload
    def full_join(  # pyright: ignore[reportOverlappingOverload]
        self: TableSelect[tuple[A, B]], table: type[J], on: Any
    ) -> TableSelect[tuple[A | None, B | None, J | None]]: ...
    @overload
    def full_join(self: TableSelect[A], table: type[J], on: Any) -> TableSelect[tuple[A | None, J | None]]: ...
    @overload
    def full_join(self, table: Subquery, on: Any) -> TableSelect[Any]: ...
    def full_join(self, table: Any, on: Any) -> Any:
        """FULL OUTER JOIN: every side optional."""
        return self._join("full", table, on)

    @overload
    def cross_join(self: TableSelect[tuple[A, B]], table: type[J]) -> TableSelect[tuple[A, B, J]]: ...  # type: ignore[overload-overlap]  # pyright: ignore[reportOverlappingOverload]
    @overload
    def cross_join(self: TableSelect[A], table: type[J]) -> TableSelect[tuple[A, J]]: ...
    def cross_join(self, table: Any) -> Any:
        """CROSS JOIN."""
        return self._join("cross", table, None)


class PartialSelect(Select[R], Generic[R]):
    """A select of chosen columns/expressions: joins do not change the row type."""

    def scalar(self: PartialSelect[tuple[T1]]) -> T1 | None:
        """The value of the one selected expression in the first row, or None (sends LIMIT 1)."""
        out: T1 | None = self._scalar()
        return out

    if TYPE_CHECKING:

        def where(self, condition: SQL[Any] | Expr[Any] | None) -> PartialSelect[R]: ...
        def group_by(self, *exprs: Expr[Any] | SQL[Any]) -> PartialSelect[R]: ...
        def having(self, condition: SQL[Any] | None) -> PartialSelect[R]: ...
        def order_by(self, *terms: Expr[Any] | Ordering | SQL[Any]) -> PartialSelect[R]: ...
        def limit(self, n: int | Placeholder | None) -> PartialSelect[R]: ...
        def offset(self, n: int | Placeholder | None) -> PartialSelect[R]: ...
        def for_update(self, *, skip_locked: bool = False, no_wait: bool = False) -> PartialSelect[R]: ...
        def for_share(self, *, skip_locked: bool = False, no_wait: bool = False) -> PartialSelect[R]: ...
        def union(self, other: Select[Any]) -> PartialSelect[R]: ...
        def union_all(self, other: Select[Any]) -> PartialSelect[R]: ...
        def intersect(self, other: Select[Any]) -> PartialSelect[R]: ...
        def except_(self, other: Select[Any]) -> PartialSelect[R]: ...

    def inner_join(self, table: Source, on: Any) -> PartialSelect[R]:
        """INNER JOIN."""
        q: PartialSelect[R] = self._join("inner", table, on)
        return q

    def left_join(self, table: Source, on: Any) -> PartialSelect[R]:
        """LEFT JOIN (select nullable columns of the joined table as `T | None`)."""
        q: PartialSelect[R] = self._join("left", table, on)
        return q

    def right_join(self, table: Source, on: Any) -> PartialSelect[R]:
        """RIGHT JOIN."""
        q: PartialSelect[R] = self._join("right", table, on)
        return q

    def full_join(self, table: Source, on: Any) -> PartialSelect[R]:
        """FULL OUTER JOIN."""
        q: PartialSelect[R] = self._join("full", table, on)
        return q

    def cross_join(self, table: Source) -> PartialSelect[R]:
        """CROSS JOIN."""
        q: PartialSelect[R] = self._join("cross", table, None)
        return q


class SelectStart:
    """`db.select()` before `.from_()`."""

    __slots__ = ("_ctes", "_distinct", "_session")

    def __init__(self, session: Any, distinct: bool = False, ctes: tuple[Subquery, ...] = ()) -> None:
        self._session = session
        self._distinct = distinct
        self._ctes = ctes

    @overload
    def from_(self, source: type[T]) -> TableSelect[T]: ...
    @overload
    def from_(self, source: Subquery) -> TableSelect[Any]: ...
    def from_(self, source: Any) -> Any:
        """The table (or subquery) to select from."""
        q: TableSelect[Any] = TableSelect(self._session, "full", distinct=self._distinct, ctes=self._ctes)
        return q._set_from(source)

    if not TYPE_CHECKING:  # runtime help only: type checkers already reject db.select().all()

        def __getattr__(self, name: str) -> Any:
            if name in ("all", "get", "one", "values", "run", "prepare", "to_sql", "where", "order_by", "limit"):
                raise QueryError(f"select() needs a table first: call .from_(Table) before .{name}()")
            raise AttributeError(name)


class PartialStart(Generic[R]):
    """`db.select(cols...)` before `.from_()`."""

    __slots__ = ("_ctes", "_distinct", "_mode", "_sel", "_session")

    def __init__(
        self, session: Any, mode: Literal["positional", "named"], sel: Any, distinct: bool = False,
        ctes: tuple[Subquery, ...] = (),
    ) -> None:
        self._session = session
        self._mode: Literal["positional", "named"] = mode
        self._sel = sel
        self._distinct = distinct
        self._ctes = ctes

    def from_(self, source: Source) -> PartialSelect[R]:
        """The table (or subquery) to select from."""
        q: PartialSelect[R] = PartialSelect(self._session, self._mode, self._sel, distinct=self._distinct, ctes=self._ctes)
        out: PartialSelect[R] = q._with_from(source)
        return out

    def _no_from(self) -> PartialSelect[R]:
        q: PartialSelect[R] = PartialSelect(self._session, self._mode, self._sel, distinct=self._distinct, ctes=self._ctes)
        for _, expr in q._field_items():
            if isinstance(expr, Column) and expr.table is not None:
                raise QueryError(
                    f"select({expr.qualified_name}) reads a table column: call .from_({expr.table.__name__}) first"
                )
        return q

    def all(self) -> list[R]:
        """Run a select without FROM (e.g. `select(sql[int]("1 + 1"))`)."""
        return self._no_from().all()

    def get(self) -> R | None:
        """First row of a select without FROM."""
        return self._no_from().get()

    def to_sql(self) -> Any:
        """Render a select without FROM."""
        return self._no_from().to_sql()


class SelectFactory:
    """`select()` / `db.select()`: full rows with no arguments, typed tuples with columns."""

    __slots__ = ("_ctes", "_distinct", "_session")

    def __init__(self, session: Any = None, distinct: bool = False, ctes: tuple[Subquery, ...] = ()) -> None:
        self._session = session
        self._distinct = distinct
        self._ctes = ctes

    # BEGIN GENERATED select (scripts/gen_typing.py)
    @overload
    def __call__(self) -> SelectStart: ...  # pyright: ignore[reportOverlappingOverload]
    @overload
    def __call__(self, selection: S, /) -> PartialStart[S]: ...
    @overload
    def __call__(self, c1: Expr[T1], /) -> PartialStart[tuple[T1]]: ...
    @overload
    def __call__(self, c1: Expr[T1], c2: Expr[T2], /) -> PartialStart[tuple[T1, T2]]: ...
    @overload
    def __call__(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], /) -> PartialStart[tuple[T1, T2, T3]]: ...
    @overload
    def __call__(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], /) -> PartialStart[tuple[T1, T2, T3, T4]]: ...
    @overload
    def __call__(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], /) -> PartialStart[tuple[T1, T2, T3, T4, T5]]: ...
    @overload
    def __call__(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], c6: Expr[T6], /) -> PartialStart[tuple[T1, T2, T3, T4, T5, T6]]: ...
    @overload
    def __call__(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], c6: Expr[T6], c7: Expr[T7], /) -> PartialStart[tuple[T1, T2, T3, T4, T5, T6, T7]]: ...
    @overload
    def __call__(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], c6: Expr[T6], c7: Expr[T7], c8: Expr[T8], /) -> PartialStart[tuple[T1, T2, T3, T4, T5, T6, T7, T8]]: ...
    @overload
    def __call__(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], c6: Expr[T6], c7: Expr[T7], c8: Expr[T8], c9: Expr[T9], /) -> PartialStart[tuple[T1, T2, T3, T4, T5, T6, T7, T8, T9]]: ...
    @overload
    def __call__(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], c6: Expr[T6], c7: Expr[T7], c8: Expr[T8], c9: Expr[T9], c10: Expr[T10], /) -> PartialStart[tuple[T1, T2, T3, T4, T5, T6, T7, T8, T9, T10]]: ...
    @overload
    def __call__(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], c6: Expr[T6], c7: Expr[T7], c8: Expr[T8], c9: Expr[T9], c10: Expr[T10], c11: Expr[T11], /) -> PartialStart[tuple[T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11]]: ...
    @overload
    def __call__(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], c6: Expr[T6], c7: Expr[T7], c8: Expr[T8], c9: Expr[T9], c10: Expr[T10], c11: Expr[T11], c12: Expr[T12], /) -> PartialStart[tuple[T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12]]: ...
    @overload
    def __call__(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], c6: Expr[T6], c7: Expr[T7], c8: Expr[T8], c9: Expr[T9], c10: Expr[T10], c11: Expr[T11], c12: Expr[T12], c13: Expr[T13], /) -> PartialStart[tuple[T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13]]: ...
    @overload
    def __call__(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], c6: Expr[T6], c7: Expr[T7], c8: Expr[T8], c9: Expr[T9], c10: Expr[T10], c11: Expr[T11], c12: Expr[T12], c13: Expr[T13], c14: Expr[T14], /) -> PartialStart[tuple[T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14]]: ...
    @overload
    def __call__(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], c6: Expr[T6], c7: Expr[T7], c8: Expr[T8], c9: Expr[T9], c10: Expr[T10], c11: Expr[T11], c12: Expr[T12], c13: Expr[T13], c14: Expr[T14], c15: Expr[T15], /) -> PartialStart[tuple[T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15]]: ...
    @overload
    def __call__(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], c6: Expr[T6], c7: Expr[T7], c8: Expr[T8], c9: Expr[T9], c10: Expr[T10], c11: Expr[T11], c12: Expr[T12], c13: Expr[T13], c14: Expr[T14], c15: Expr[T15], c16: Expr[T16], /) -> PartialStart[tuple[T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16]]: ...
    @overload
    def __call__(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], c6: Expr[T6], c7: Expr[T7], c8: Expr[T8], c9: Expr[T9], c10: Expr[T10], c11: Expr[T11], c12: Expr[T12], c13: Expr[T13], c14: Expr[T14], c15: Expr[T15], c16: Expr[T16], c17: Expr[Any], /, *more: Expr[Any]) -> PartialStart[tuple[Any, ...]]: ...
    @overload
    def __call__(self, **named: Expr[Any] | Mapping[str, Any]) -> PartialStart[Any]: ...
    # END GENERATED select
    def __call__(self, *columns: Any, **named: Any) -> Any:
        if len(columns) == 1 and not named and isinstance(columns[0], Selection):
            sel = columns[0]
            return PartialStart(self._session, "named", ClassFields(sel.exprs(), type(sel).row_class()),
                                self._distinct, self._ctes)
        if columns and named:
            raise QueryError("select() takes either positional columns or named fields, not both")
        if named:
            _check_named(named)
            return PartialStart(self._session, "named", named, self._distinct, self._ctes)
        if columns:
            for c in columns:
                if isinstance(c, type) and issubclass(c, Table):
                    raise QueryError(
                        f"select({c.__name__}) is not a column: use select().from_({c.__name__}) for full rows"
                    )
                if not isinstance(c, Expr):
                    raise QueryError(f"select() takes columns or sql expressions, got {c!r}")
            return PartialStart(self._session, "positional", columns, self._distinct, self._ctes)
        return SelectStart(self._session, self._distinct, self._ctes)


def _check_named(named: Mapping[str, Any]) -> None:
    for k, v in named.items():
        if isinstance(v, Mapping):
            _check_named(v)  # pyright: ignore[reportUnknownArgumentType]
        elif not isinstance(v, Expr):
            raise QueryError(f"select(): field {k!r} must be a column or sql expression, got {v!r}")


select = SelectFactory()
"""Build a select not bound to a database (for subqueries or `.to_sql()`)."""
select_distinct = SelectFactory(distinct=True)
"""`select distinct` not bound to a database."""

__all__ = [
    "PartialSelect",
    "PartialStart",
    "Select",
    "SelectFactory",
    "SelectStart",
    "Subquery",
    "TableSelect",
    "as_chunk",
    "cte",
    "make_row_class",
    "select",
    "select_distinct",
]
