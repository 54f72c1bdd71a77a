"""INSERT, UPDATE and DELETE builders (immutable), with upserts and RETURNING."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, Self, cast, overload
from uuid import UUID

from typing_extensions import TypeVar

from mizzle.errors import QueryError
from mizzle.query._arity import T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16
from mizzle.query.base import EMULATED, Compiled, Executable, Returning
from mizzle.query.rows import Part, Shape
from mizzle.query.select import Select, order_key
from mizzle.schema.codecs import int_bounds, unchanged_types
from mizzle.schema.column import MISSING, Column
from mizzle.schema.table import Table
from mizzle.sql.chunks import SQL, Buildable, Expr, Factory, Param, Placeholder, bind
from mizzle.sql.operators import Ordering
from mizzle.sql.render import Query, encode, fingerprint, render

if TYPE_CHECKING:
    from mizzle.query.dialect import Renderer
    from mizzle.query.returning_id import ReturningId

P = ParamSpec("P")
R = TypeVar("R", bound=Table, default=Any)
RR = TypeVar("RR", covariant=True, default=Any)
T = TypeVar("T")


class Excluded(Buildable, Expr[Any]):
    """The row proposed for insertion, in an upsert's `set` (`excluded."col"`)."""

    __slots__ = ("column",)
    _parens = False

    def __init__(self, column: Column[Any]) -> None:
        self.column = column
        self.decoder = column.decoder
        self.encoder = column.encoder

    def _build(self, dialect: Renderer) -> SQL[Any]:
        return dialect.excluded(self.column)

    def _fingerprint_parts(self) -> tuple[Any, tuple[Any, ...]]:
        """Structural key: the column (a dialect renders it without bound values)."""
        return ("excluded", self.column), ()


class Assignments(dict[str, Any], Generic[R]):
    """Column assignments made by `assign(Table, col=value, ...)`: a dict whose keys and values the type
    checkers checked against `Table`'s columns (for `set=` of an upsert, or `update(...).set(...)`)."""


def assign(table: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> Assignments[R]:
    """Typed assignments for dict-shaped `set=` arguments: `on_conflict_do_update(target=Users.email,
    set=assign(Users, name=excluded(Users.name)))`. Keyword names and value types are checked like
    `insert(Users).values(...)` (an unknown column is a static error in pyright and mypy, and a
    `QueryError` naming the table at run time); a plain dict still works, unchecked by the checkers."""
    if args:
        raise QueryError(f"assign({getattr(table, '__name__', table)!r}, ...): pass columns by keyword")
    cols = getattr(table, "__table__", None)
    if cols is not None:
        _check_keys(cast("type[Table]", table), kwargs, "assignment to")
    return Assignments(kwargs)


def excluded(column: Column[T]) -> Expr[T]:
    """The value `column` would have had in the rejected insert (for `on_conflict_do_update`)."""
    return Excluded(column)


def _columns(table: type[Table]) -> dict[str, Column[Any]]:
    return table.__table__.columns


def _row_dict(table: type[Table], row: Any) -> dict[str, Any]:
    if isinstance(row, Table):
        if isinstance(row, tuple):
            as_dict: dict[str, Any] = getattr(row, "_asdict")()  # noqa: B009
            return as_dict
        return dict(row.__dict__)
    if isinstance(row, Mapping):
        return dict(row)  # pyright: ignore[reportUnknownArgumentType]
    raise QueryError(f"insert into {table.__table__.name}: a row must be a dict or {table.__name__}(...), got {row!r}")


def _check_keys(table: type[Table], row: Mapping[str, Any], what: str) -> None:
    cols = _columns(table)
    for key in row:
        if key not in cols:
            raise QueryError(
                f"{what} {table.__table__.name}: unknown column {key!r}; columns are: {', '.join(cols)}"
            )


class _DML(Executable[Any]):

    _table: type[Table]

    def _fingerprint(self, dialect: Renderer, returning: tuple[Expr[Any], ...] | None) -> _Fingerprint | None:
        """A structural key of this statement, its bound values in render order, and whether a
        value computed per run (`default_fn` / `on_update_fn`) was computed; None: not keyable."""
        return None

    def compile(self, dialect: Renderer | None = None) -> Compiled:
        """Render once per dialect; equal statement structures share one cached SQL text."""
        return _compile(self, self, None, dialect)

    def compile_prepared(self, dialect: Renderer | None = None) -> Compiled:
        """Render with per-run values as slots (for prepared statements: fresh values each run)."""
        return Executable.compile(self, dialect)

    def _build_returning(self, dialect: Renderer, fields: tuple[Expr[Any], ...] | None) -> SQL[Any]:
        raise NotImplementedError

    def _returns_natively(self, dialect: Renderer) -> bool:
        """Whether `dialect` runs this statement's RETURNING itself (else the session emulates it)."""
        return True

    def _on_rows(self, condition: SQL[Any]) -> Self:
        """This UPDATE/DELETE on the rows `condition` picks, without ORDER BY / LIMIT (emulated RETURNING)."""
        q = self._copy()
        q.__dict__.update(_where=condition, _order_by=(), _limit=None)
        return q

    def _returning_shape(self, fields: tuple[Expr[Any], ...] | None) -> Shape:
        if fields is None:
            meta = self._table.__table__
            return Shape([Part("row", meta.row_cls(), [c.decoder for c in meta.columns.values()])])
        return Shape([Part("tuple", None, [f.decoder for f in fields])])


class ReturningQuery(Returning[RR], Generic[RR]):
    """An insert/update/delete with RETURNING."""


    def __init__(self, stmt: _DML, fields: tuple[Expr[Any], ...] | None) -> None:
        self._session = stmt._session
        self._compiled = None
        self._stmt = stmt
        self._fields = fields

    def _build(self, dialect: Renderer) -> SQL[Any]:
        return self._stmt._build_returning(dialect, self._fields)

    def compile(self, dialect: Renderer | None = None) -> Compiled:
        """Render once per dialect; equal statement structures share one cached SQL text."""
        d = dialect or self._dialect()
        if not self._stmt._returns_natively(d):
            return self._emulated(d)
        return _compile(self, self._stmt, self._fields or (), d)

    def compile_prepared(self, dialect: Renderer | None = None) -> Compiled:
        """Render with per-run values as slots (for prepared statements: fresh values each run)."""
        d = dialect or self._dialect()
        if not self._stmt._returns_natively(d):
            return self._emulated(d)
        return Executable.compile(self, d)

    def _emulated(self, d: Renderer) -> Compiled:
        """The database has no such RETURNING: the session runs this statement in several steps."""
        c = self._compiled
        if c is None or c.dialect is not d:
            c = self._compiled = Compiled(d, Query("", ()), self._shape(), EMULATED, self)
        return c

    def _shape(self) -> Shape:
        return self._stmt._returning_shape(self._fields)

    @property
    def table(self) -> type[Table]:
        """The table written to."""
        return self._stmt._table


class _ReturningMixin(Generic[R]):
    # BEGIN GENERATED returning (scripts/gen_typing.py)
    @overload
    def returning(self) -> ReturningQuery[R]: ...  # pyright: ignore[reportOverlappingOverload]
    @overload
    def returning(self, c1: Expr[T1], /) -> ReturningQuery[tuple[T1]]: ...
    @overload
    def returning(self, c1: Expr[T1], c2: Expr[T2], /) -> ReturningQuery[tuple[T1, T2]]: ...
    @overload
    def returning(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], /) -> ReturningQuery[tuple[T1, T2, T3]]: ...
    @overload
    def returning(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], /) -> ReturningQuery[tuple[T1, T2, T3, T4]]: ...
    @overload
    def returning(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], /) -> ReturningQuery[tuple[T1, T2, T3, T4, T5]]: ...
    @overload
    def returning(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], c6: Expr[T6], /) -> ReturningQuery[tuple[T1, T2, T3, T4, T5, T6]]: ...
    @overload
    def returning(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], c6: Expr[T6], c7: Expr[T7], /) -> ReturningQuery[tuple[T1, T2, T3, T4, T5, T6, T7]]: ...
    @overload
    def returning(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], c6: Expr[T6], c7: Expr[T7], c8: Expr[T8], /) -> ReturningQuery[tuple[T1, T2, T3, T4, T5, T6, T7, T8]]: ...
    @overload
    def returning(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], c6: Expr[T6], c7: Expr[T7], c8: Expr[T8], c9: Expr[T9], /) -> ReturningQuery[tuple[T1, T2, T3, T4, T5, T6, T7, T8, T9]]: ...
    @overload
    def returning(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], c6: Expr[T6], c7: Expr[T7], c8: Expr[T8], c9: Expr[T9], c10: Expr[T10], /) -> ReturningQuery[tuple[T1, T2, T3, T4, T5, T6, T7, T8, T9, T10]]: ...
    @overload
    def returning(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], c6: Expr[T6], c7: Expr[T7], c8: Expr[T8], c9: Expr[T9], c10: Expr[T10], c11: Expr[T11], /) -> ReturningQuery[tuple[T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11]]: ...
    @overload
    def returning(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], c6: Expr[T6], c7: Expr[T7], c8: Expr[T8], c9: Expr[T9], c10: Expr[T10], c11: Expr[T11], c12: Expr[T12], /) -> ReturningQuery[tuple[T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12]]: ...
    @overload
    def returning(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], c6: Expr[T6], c7: Expr[T7], c8: Expr[T8], c9: Expr[T9], c10: Expr[T10], c11: Expr[T11], c12: Expr[T12], c13: Expr[T13], /) -> ReturningQuery[tuple[T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13]]: ...
    @overload
    def returning(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], c6: Expr[T6], c7: Expr[T7], c8: Expr[T8], c9: Expr[T9], c10: Expr[T10], c11: Expr[T11], c12: Expr[T12], c13: Expr[T13], c14: Expr[T14], /) -> ReturningQuery[tuple[T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14]]: ...
    @overload
    def returning(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], c6: Expr[T6], c7: Expr[T7], c8: Expr[T8], c9: Expr[T9], c10: Expr[T10], c11: Expr[T11], c12: Expr[T12], c13: Expr[T13], c14: Expr[T14], c15: Expr[T15], /) -> ReturningQuery[tuple[T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15]]: ...
    @overload
    def returning(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], c6: Expr[T6], c7: Expr[T7], c8: Expr[T8], c9: Expr[T9], c10: Expr[T10], c11: Expr[T11], c12: Expr[T12], c13: Expr[T13], c14: Expr[T14], c15: Expr[T15], c16: Expr[T16], /) -> ReturningQuery[tuple[T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16]]: ...
    @overload
    def returning(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], c6: Expr[T6], c7: Expr[T7], c8: Expr[T8], c9: Expr[T9], c10: Expr[T10], c11: Expr[T11], c12: Expr[T12], c13: Expr[T13], c14: Expr[T14], c15: Expr[T15], c16: Expr[T16], c17: Expr[Any], /, *more: Expr[Any]) -> ReturningQuery[tuple[Any, ...]]: ...
    # END GENERATED returning
    def returning(self, *fields: Expr[Any]) -> Any:
        """RETURNING the whole row (no arguments) or the given columns as a tuple."""
        return ReturningQuery(self, fields or None)  # type: ignore[arg-type]


class Insert(_ReturningMixin[R], _DML, Generic[P, R]):
    """`insert(T).values(...)`: keyword values are type-checked against the table's columns."""


    def __init__(self, session: Any, table: type[R]) -> None:
        self._session = session
        self._compiled = None
        self._table = table
        self._rows: list[dict[str, Any]] = []
        self._select: Select[Any] | None = None
        self._conflict: tuple[Any, ...] | None = None

    @overload
    def values(self, rows: R | Mapping[str, Any] | Sequence[R | Mapping[str, Any]], /) -> Insert[P, R]: ...
    @overload
    def values(self, *args: P.args, **kwargs: P.kwargs) -> Insert[P, R]: ...
    def values(self, *args: Any, **kwargs: Any) -> Insert[P, R]:
        """One row as keywords (`values(title="x")`), or a row / dict / list of them."""
        if kwargs:
            if args:
                raise QueryError("values(): pass keywords for one row, or a list of rows, not both")
            if not kwargs.keys() <= self._table.__table__.columns.keys():
                _check_keys(self._table, kwargs, "insert into")  # raises, naming the key
            q = self._copy()
            q._rows = [kwargs]
            return q
        if len(args) == 1:
            arg = args[0]
            if isinstance(arg, list | tuple) and not isinstance(arg, Table):
                items: list[Any] = list(arg)  # pyright: ignore[reportUnknownArgumentType]
                table = self._table
                rows = [
                    cast("dict[str, Any]", r).copy() if type(r) is dict else _row_dict(table, r) for r in items
                ]
            else:
                rows = [_row_dict(self._table, arg)]
        else:
            raise QueryError("values() needs a row")
        if not rows:
            raise QueryError(f"insert into {self._table.__table__.name}: values() got an empty list of rows")
        if len(rows) > 1 and set().union(*rows) <= _columns(self._table).keys():
            pass  # every key of every row is a column (checked at C speed for large batches)
        else:
            for row in rows:
                _check_keys(self._table, row, "insert into")
        q = self._copy()
        q._rows = rows
        return q

    def select(self, query: Select[Any]) -> Insert[P, R]:
        """`insert into T (cols) select ...`: the query's fields map to columns by key, in order."""
        q = self._copy()
        q._select = query
        return q

    def on_conflict_do_nothing(
        self, *, target: Column[Any] | Sequence[Column[Any]] | None = None, where: SQL[Any] | None = None
    ) -> Insert[P, R]:
        """Skip rows that violate a unique constraint (`on conflict do nothing`)."""
        q = self._copy()
        q._conflict = ("nothing", _targets(target), where, None, None)
        return q

    def on_conflict_do_update(
        self,
        *,
        target: Column[Any] | Sequence[Column[Any]],
        set: Mapping[str, Any],
        where: SQL[Any] | None = None,
        target_where: SQL[Any] | None = None,
    ) -> Insert[P, R]:
        """Upsert: update `set` (values, `excluded(col)` or sql) where the row already exists."""
        if not set:
            raise QueryError("on_conflict_do_update(): `set` is empty")
        _check_keys(self._table, set, "on conflict update of")
        q = self._copy()
        q._conflict = ("update", _targets(target), where, dict(set), target_where)
        return q

    def on_duplicate_key_update(self, *, set: Mapping[str, Any]) -> Insert[P, R]:
        """MySQL's upsert: `on duplicate key update` (the conflict target is implied)."""
        _check_keys(self._table, set, "on duplicate key update of")
        q = self._copy()
        q._conflict = ("update", (), None, dict(set), None)
        return q

    def returning_id(self) -> ReturningId:
        """The inserted rows' primary keys, `[{"id": 1}, ...]` — RETURNING where the database has it,
        else computed from the generated id the server reports (MySQL; drizzle's `$returningId()`)."""
        from mizzle.query.returning_id import ReturningId

        return ReturningId(self)

    # ---- compilation -------------------------------------------------------------

    def insert_columns(self) -> tuple[list[Column[Any]], list[list[Any]]]:
        """The column list and one list of value chunks per row (defaults filled in)."""
        cols = _columns(self._table)
        if not self._rows:
            raise QueryError(f"insert into {self._table.__table__.name}: call .values(...) or .select(...)")
        keys: list[str] = []
        for key, col in cols.items():
            if any(key in r for r in self._rows) or col.default_factory is not None or col.on_update_factory is not None:
                keys.append(key)
        out_rows: list[list[Any]] = []
        for row in self._rows:
            values: list[Any] = []
            for key in keys:
                col = cols[key]
                if key in row:
                    values.append(bind(row[key], col))
                elif col.default_factory is not None:
                    values.append(Factory(col.default_factory, col.encoder))
                elif col.on_update_factory is not None:
                    values.append(Factory(col.on_update_factory, col.encoder))
                elif col.default_value is not MISSING:
                    dv = col.default_value
                    values.append(dv if isinstance(dv, SQL) else bind(dv, col))
                else:
                    values.append(bind(None, col))
            out_rows.append(values)
        for row in self._rows:
            for key, col in cols.items():
                if key not in row and not col.has_default():
                    raise QueryError(
                        f"insert into {self._table.__table__.name}: column {key!r} is NOT NULL and has no "
                        f"default; give it a value"
                    )
        return [cols[k] for k in keys], out_rows

    def _fingerprint(self, dialect: Renderer, returning: tuple[Expr[Any], ...] | None) -> _Fingerprint | None:
        """Key: table, per row the columns given / defaulted (in render order), conflict clause, returning."""
        key: list[Any] = [Insert, self._table]
        params: list[Any] = []
        fresh = False
        if self._select is not None:
            sfp = self._select._fingerprint(dialect)
            if sfp is None:
                return None
            key.append(sfp[0])
            params += sfp[1]
        else:
            rows = self._rows
            if not rows:
                return None
            if len(rows) == 1:
                keys = tuple(rows[0])
                form = _forms.get((self._table, keys, False)) or _values_form(self._table, keys, False)
                filled = form.fill(rows[0])
                if filled is not None:  # every value plain: the keys say what the SQL is
                    key += (_FORM, keys)
                    params, fresh, rows = filled, form.fresh, []
            plan = _plan(self._table) if rows else ()
            given: Collection[str] = set[str]().union(*rows) if len(rows) > 1 else rows[0].keys() if rows else ()
            for row in rows:
                key.append("(")
                for k, col, enc, fn in plan:
                    if k in row:
                        value = row[k]
                        if type(value) in _SCALARS:  # bound as is (the common case, inlined)
                            key.append(k)
                            params.append(value if enc is None or value is None else _encode(col, value))
                        else:
                            key += (k, _EXPR)
                            if not fingerprint(bind(value, col), key, params, dialect):
                                return None
                    elif fn is not None:
                        key.append(("f", k))
                        value = fn()
                        if value is not None and enc is not None:
                            value = _encode(col, value)
                        params.append(value)
                        fresh = True
                    elif k in given:  # another row gives it: this row takes its default
                        key.append(("d", k))
                        dv = col.default_value
                        if dv is MISSING:
                            params.append(None)
                        elif isinstance(dv, SQL):
                            if not fingerprint(dv, key, params, dialect):
                                return None
                        elif not _value_key(dv, col, key, params, dialect):
                            return None
        conflict = self._conflict
        if conflict is None:
            key.append("C-")
        else:
            kind, targets, where, set_, target_where = conflict
            if target_where is not None:
                return None  # rendered only with targets, and not at all on MySQL: not keyed
            key += ("C", kind, targets)
            if kind == "nothing":
                if where is not None:
                    return None
            else:
                cols = _columns(self._table)
                for k, v in set_.items():
                    key.append(k)
                    if not _value_key(v, cols[k], key, params, dialect):
                        return None
                key.append("W-" if where is None else "W")
                if where is not None and not fingerprint(where, key, params, dialect):
                    return None
        if returning is None:
            key.append("R-")
        elif not _returning_key(returning, key, params, dialect):
            return None
        return tuple(key), params, fresh

    def _build(self, dialect: Renderer) -> SQL[Any]:
        return dialect.build_insert(self, None)

    def _build_returning(self, dialect: Renderer, fields: tuple[Expr[Any], ...] | None) -> SQL[Any]:
        return dialect.build_insert(self, fields or ())


def _targets(target: Column[Any] | Sequence[Column[Any]] | None) -> tuple[Column[Any], ...]:
    if target is None:
        return ()
    if isinstance(target, Column):
        return (target,)
    return tuple(target)


class Update(_ReturningMixin[R], _DML, Generic[P, R]):
    """`update(T).set(...).where(...)`; `on_update_fn` columns are set automatically."""


    def __init__(self, session: Any, table: type[R]) -> None:
        self._session = session
        self._compiled = None
        self._table = table
        self._set: dict[str, Any] = {}
        self._where: Any = None
        self._order_by: tuple[Any, ...] = ()
        self._limit: Any = None

    @overload
    def set(self, values: Mapping[str, Any], /) -> Update[P, R]: ...
    @overload
    def set(self, *args: P.args, **kwargs: P.kwargs) -> Update[P, R]: ...
    def set(self, *args: Any, **kwargs: Any) -> Update[P, R]:
        """The new values (keywords are type-checked; values may be sql expressions)."""
        if args:
            if len(args) != 1 or kwargs:
                raise QueryError("set(): pass keywords or one dict")
            values = _row_dict(self._table, args[0])
        else:
            values = kwargs
        if not values.keys() <= self._table.__table__.columns.keys():
            _check_keys(self._table, values, "update")  # raises, naming the key
        q = self._copy()
        q._set = {**self._set, **values} if self._set else values
        return q

    def where(self, condition: SQL[Any] | None) -> Update[P, R]:
        """Which rows to update (no where: every row)."""
        q = self._copy()
        q._where = condition
        return q

    def order_by(self, *terms: Expr[Any] | Ordering) -> Update[P, R]:
        """ORDER BY (SQLite/MySQL, with limit)."""
        q = self._copy()
        q._order_by = terms
        return q

    def limit(self, n: int) -> Update[P, R]:
        """LIMIT (SQLite/MySQL)."""
        q = self._copy()
        q._limit = n
        return q

    def assignments(self) -> list[tuple[Column[Any], Any]]:
        """(column, value chunk) for each SET, with on_update functions filled in."""
        cols = _columns(self._table)
        if not self._set:
            raise QueryError(f"update {self._table.__table__.name}: call .set(...) with at least one column")
        out: list[tuple[Column[Any], Any]] = []
        for key, value in self._set.items():
            out.append((cols[key], bind(value, cols[key])))
        for key, col in cols.items():
            if key not in self._set and col.on_update_factory is not None:
                out.append((col, Factory(col.on_update_factory, col.encoder)))
        return out

    def _fingerprint(self, dialect: Renderer, returning: tuple[Expr[Any], ...] | None) -> _Fingerprint | None:
        """Key: table, the SET columns and their values' structure, where, order by / limit, returning."""
        if not self._set:
            return None
        key: list[Any] = [Update, self._table]
        params: list[Any] = []
        fresh = False
        cols = _columns(self._table)
        set_ = self._set
        keys = tuple(set_)
        form = _forms.get((self._table, keys, True)) or _values_form(self._table, keys, True)
        filled = form.fill(set_)
        if filled is not None:  # every value plain: the keys say what the SET is
            key += (_FORM, form.keys)
            params, fresh = filled, form.fresh
        else:
            for k, v in set_.items():
                key.append(k)
                if not _value_key(v, cols[k], key, params, dialect):
                    return None
            for k, col, fn in _on_update(self._table):  # on_update_fn columns not set (implied by the SET keys)
                if k not in set_:
                    value = fn()
                    if value is not None and col.encoder is not None:
                        value = _encode(col, value)
                    params.append(value)
                    fresh = True
        where = self._where
        if where is not None and not self._order_by and self._limit is None:  # the common tail, inlined
            key.append("W")
            if not fingerprint(where, key, params, dialect):
                return None
            key.append("T-")
        elif not _where_tail_key(dialect, where, self._order_by, self._limit, key, params):
            return None
        if returning is None:
            key.append("R-")
        elif not _returning_key(returning, key, params, dialect):
            return None
        return tuple(key), params, fresh

    def _build(self, dialect: Renderer) -> SQL[Any]:
        return dialect.build_update(self, None)

    def _build_returning(self, dialect: Renderer, fields: tuple[Expr[Any], ...] | None) -> SQL[Any]:
        return dialect.build_update(self, fields or ())

    def _returns_natively(self, dialect: Renderer) -> bool:
        return dialect.caps.returning_update


class Delete(_ReturningMixin[R], _DML, Generic[R]):
    """`delete(T).where(...)`."""


    def __init__(self, session: Any, table: type[R]) -> None:
        self._session = session
        self._compiled = None
        self._table = table
        self._where: Any = None
        self._order_by: tuple[Any, ...] = ()
        self._limit: Any = None

    def where(self, condition: SQL[Any] | None) -> Delete[R]:
        """Which rows to delete (no where: every row)."""
        q = self._copy()
        q._where = condition
        return q

    def order_by(self, *terms: Expr[Any] | Ordering) -> Delete[R]:
        """ORDER BY (SQLite/MySQL, with limit)."""
        q = self._copy()
        q._order_by = terms
        return q

    def limit(self, n: int) -> Delete[R]:
        """LIMIT (SQLite/MySQL)."""
        q = self._copy()
        q._limit = n
        return q

    def _fingerprint(self, dialect: Renderer, returning: tuple[Expr[Any], ...] | None) -> _Fingerprint | None:
        """Key: table, where, order by / limit, returning."""
        key: list[Any] = [Delete, self._table]
        params: list[Any] = []
        if not _where_tail_key(dialect, self._where, self._order_by, self._limit, key, params):
            return None
        if not _returning_key(returning, key, params, dialect):
            return None
        return tuple(key), params, False

    def _build(self, dialect: Renderer) -> SQL[Any]:
        return dialect.build_delete(self, None)

    def _build_returning(self, dialect: Renderer, fields: tuple[Expr[Any], ...] | None) -> SQL[Any]:
        return dialect.build_delete(self, fields or ())

    def _returns_natively(self, dialect: Renderer) -> bool:
        return dialect.caps.returning_delete


# ---- the structural SQL cache for INSERT / UPDATE / DELETE ----------------------------------

_Fingerprint = tuple[tuple[Any, ...], list[Any], bool]
_SCALARS = frozenset((str, int, float, bool, bytes, type(None)))  # never SQL: bound as parameters
_EXPR = object()  # key marker: a value that is not a plain scalar follows (its fingerprint ends with a marker)
_CACHE_LIMIT = 2048
_Plan = tuple[tuple[str, Column[Any], Any, Any], ...]
_plans: dict[type[Table], _Plan] = {}
_on_updates: dict[type[Table], tuple[tuple[str, Column[Any], Any], ...]] = {}


def _plan(table: type[Table]) -> _Plan:
    """Per column of `table`, in order: (key, column, encoder, per-run factory for inserts or None)."""
    plan = _plans.get(table)
    if plan is None:
        plan = _plans[table] = tuple(
            (k, c, c.encoder, c.default_factory if c.default_factory is not None else c.on_update_factory)
            for k, c in _columns(table).items()
        )
    return plan


def _on_update(table: type[Table]) -> tuple[tuple[str, Column[Any], Any], ...]:
    """(key, column, function) for the columns of `table` with an `on_update_fn`."""
    out = _on_updates.get(table)
    if out is None:
        out = _on_updates[table] = tuple(
            (k, c, c.on_update_factory) for k, c in _columns(table).items() if c.on_update_factory is not None
        )
    return out


_FORM = object()  # key marker: the values of one row / SET, all plain, keyed by their keys (see _values_form)
_PLAIN = frozenset(
    (str, int, float, bool, bytes, type(None), datetime, date, time, timedelta, Decimal, UUID, dict, list)
)  # exact types whose values are always bound as parameters (never SQL, no instance attributes)


class _Slow(Exception):
    """A value the compiled form does not take (SQL, a placeholder, another type): key it value by value."""


def _plain(encoder: Any, value: Any) -> Any:
    """`value` encoded, or _Slow when it is not a plain value or the encoder refuses it (the long way
    reports that, naming the column)."""
    if type(value) not in _PLAIN:
        raise _Slow
    if value is None or encoder is None:
        return value
    try:
        return encoder(value)
    except (TypeError, ValueError, OverflowError):
        raise _Slow from None


class _ValuesForm:
    """The parameters of one row (insert, `for_set=False`) or SET (update) given as `keys`, as one
    compiled function: `fill(values) -> [params in render order]`, or None when a value is not plain.

    Insert order: the table's columns given or with a per-run function (`default_fn` / `on_update_fn`);
    SET order: the keys as given, then the columns with an `on_update_fn` not among them. Per-run
    functions are called on every fill (after every given value has been checked).
    """

    __slots__ = ("fill", "fresh", "keys")

    def __init__(self, table: type[Table], keys: tuple[str, ...], for_set: bool) -> None:
        cols = _columns(table)
        given = set(keys)
        order: list[tuple[str, Column[Any], Any]] = []  # (key, column, per-run function or None)
        if for_set:
            order += [(k, cols[k], None) for k in keys]
            order += [(k, c, fn) for k, c, fn in _on_update(table) if k not in given]
        else:
            order += [(k, c, None if k in given else fn) for k, c, _, fn in _plan(table) if k in given or fn is not None]
        env: dict[str, Any] = {"_plain": _plain, "_Slow": _Slow, "_encode": _encode}
        checks: list[str] = []
        items: list[str] = []
        for i, (k, col, fn) in enumerate(order):
            env[f"k{i}"], env[f"c{i}"], env[f"e{i}"] = k, col, col.encoder
            if fn is not None:
                env[f"f{i}"] = fn
                items.append(f"(_encode(c{i}, y{i}) if (y{i} := f{i}()) is not None else None)"
                             if col.encoder is not None else f"f{i}()")
                continue
            unchanged = unchanged_types(col.encoder) if col.encoder is not None else _PLAIN
            env[f"u{i}"] = (unchanged & _PLAIN) | {type(None)}
            bounds = int_bounds(col.encoder)
            if bounds is not None:
                env[f"lo{i}"], env[f"hi{i}"] = bounds
                checks.append(f"        x{i} = x if type(x := v[k{i}]) is int and lo{i} <= x <= hi{i} "
                              f"or x is None else _plain(e{i}, x)\n")
            else:
                checks.append(f"        x{i} = x if type(x := v[k{i}]) in u{i} else _plain(e{i}, x)\n")
            items.append(f"x{i}")
        src = (
            "def fill(v):\n    try:\n" + "".join(checks or ["        pass\n"])
            + "    except _Slow:\n        return None\n"
            + f"    return [{', '.join(items)}]\n"
        )
        exec(compile(src, "<mizzle values form>", "exec"), env)
        self.fill: Callable[[Mapping[str, Any]], list[Any] | None] = env["fill"]
        self.fresh = any(fn is not None for _, _, fn in order)
        self.keys = keys


_forms: dict[tuple[type[Table], tuple[str, ...], bool], _ValuesForm] = {}


def _values_form(table: type[Table], keys: tuple[str, ...], for_set: bool) -> _ValuesForm:
    """The compiled form of `table`'s values given as `keys` (in that order), cached."""
    form = _forms.get((table, keys, for_set))
    if form is None:
        if len(_forms) > _CACHE_LIMIT:
            _forms.clear()
        form = _forms[table, keys, for_set] = _ValuesForm(table, keys, for_set)
    return form


def _compile(
    q: Executable[Any], stmt: _DML, returning: tuple[Expr[Any], ...] | None, dialect: Renderer | None
) -> Compiled:
    """Compile `q` (the statement, or its RETURNING form) through the per-dialect SQL text cache.

    Values computed per run are computed here, so such a result is not kept on the builder:
    running the same builder again computes them again (prepared statements use slots instead).
    """
    d = dialect or q._dialect()
    c = q._compiled
    if c is not None and c.dialect is d:
        return c
    fp = stmt._fingerprint(d, returning)
    if fp is None:
        return Executable.compile(q, d)
    key, params, fresh = fp
    cache = d._query_cache
    text = cache.get(key)
    if text is None:
        rendered = render(q._build(d), d)
        if not _same_values(rendered, params):  # the key missed something: never cache, render each time
            return Executable.compile(q, d)
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        text = cache[key] = rendered.sql
    shape = q._shape() if returning is not None else None  # a statement without RETURNING has no rows
    c = Compiled(d, Query(text, tuple(params)), shape, "rows" if shape is not None else "run")
    if not fresh:
        q._compiled = c
    return c


def _same_values(rendered: Query, params: list[Any]) -> bool:
    """Whether a fresh render bound the values the fingerprint collected (slots aside), in order."""
    if len(rendered.params) != len(params):
        return False
    computed = {s.index for s in rendered.slots if s.factory is not None}
    if len(computed) != len(rendered.slots):
        return False  # a named placeholder: never keyed
    try:
        for i, (a, b) in enumerate(zip(rendered.params, params, strict=True)):
            if i not in computed and a is not b and (type(a) is not type(b) or not bool(a == b)):
                return False
    except Exception:
        return False
    return True


def _encode(col: Column[Any], value: Any) -> Any:
    """`value` encoded for `col` (a value that does not fit names the column, as rendering does)."""
    assert col.encoder is not None
    try:
        return col.encoder(value)
    except (TypeError, ValueError, OverflowError):
        return encode(Param(value, col.encoder, col), value)


def _value_key(value: Any, col: Column[Any], key: list[Any], params: list[Any], dialect: Renderer) -> bool:
    """Key a value stored into `col` (bound like `bind(value, col)` renders it)."""
    if type(value) in _SCALARS:
        params.append(_encode(col, value) if value is not None and col.encoder is not None else value)
        return True
    key.append(_EXPR)
    return fingerprint(bind(value, col), key, params, dialect)


def _where_tail_key(
    dialect: Renderer, where: Any, order_by: tuple[Any, ...], limit: Any, key: list[Any], params: list[Any]
) -> bool:
    """Key ` where ...`, ` order by ...` and ` limit n` of an UPDATE / DELETE."""
    if where is None:
        key.append("W-")
    else:
        key.append("W")
        if not fingerprint(where, key, params, dialect):
            return False
    if not order_by and limit is None:
        key.append("T-")
        return True
    key.append("O")
    if not order_key(dialect, order_by, key, params):
        return False
    if limit is None:
        key.append("L-")
    elif isinstance(limit, Placeholder | Expr):
        return False
    else:
        key.append("L")
        params.append(limit)
    return True


def _returning_key(
    returning: tuple[Expr[Any], ...] | None, key: list[Any], params: list[Any], dialect: Renderer
) -> bool:
    """Key the RETURNING list (None: no RETURNING; empty: every column)."""
    if returning is None:
        key.append("R-")
        return True
    key.append("R")
    for f in returning:
        if isinstance(f, Column):
            key.append(("c", f))  # rendered by bare name
        else:
            key.append("e")
            if not fingerprint(f, key, params, dialect):
                return False
    return True


def insert(table: Callable[P, R]) -> Insert[P, R]:
    """An INSERT not bound to a database (render with `.to_sql()`)."""
    return Insert(None, table)  # type: ignore[arg-type]


def update(table: Callable[P, R]) -> Update[P, R]:
    """An UPDATE not bound to a database."""
    return Update(None, table)  # type: ignore[arg-type]


def delete(table: type[R]) -> Delete[R]:
    """A DELETE not bound to a database."""
    return Delete(None, table)
