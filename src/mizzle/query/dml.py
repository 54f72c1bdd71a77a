"""INSERT, UPDATE and DELETE builders (immutable), with upserts and RETURNING."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, cast, overload

from typing_extensions import TypeVar

from mizzle.errors import QueryError
from mizzle.query.base import Executable, Returning
from mizzle.query.rows import Part, Shape
from mizzle.query.select import Select
from mizzle.schema.column import MISSING, Column
from mizzle.schema.table import Table
from mizzle.sql.chunks import SQL, Buildable, Expr, Factory, bind
from mizzle.sql.operators import Ordering

if TYPE_CHECKING:
    from mizzle.dialects.base import Dialect
    from mizzle.query.returning_id import ReturningId

P = ParamSpec("P")
R = TypeVar("R", bound=Table, default=Any)
RR = TypeVar("RR", covariant=True, default=Any)
T1 = TypeVar("T1")
T2 = TypeVar("T2")
T3 = TypeVar("T3")
T4 = TypeVar("T4")
T5 = TypeVar("T5")
T = TypeVar("T")


class Excluded(Buildable, Expr[Any]):
    """The row proposed for insertion, in an upsert's `set` (`excluded."col"`)."""

    __slots__ = ("column",)
    _parens = False

    def __init__(self, column: Column[Any]) -> None:
        self.column = column
        self.decoder = column.decoder
        self.encoder = column.encoder

    def _build(self, dialect: Dialect) -> SQL[Any]:
        return dialect.excluded(self.column)


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

    def _build_returning(self, dialect: Dialect, fields: tuple[Expr[Any], ...] | None) -> SQL[Any]:
        raise NotImplementedError

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

    def _build(self, dialect: Dialect) -> SQL[Any]:
        return self._stmt._build_returning(dialect, self._fields)

    def _shape(self) -> Shape:
        return self._stmt._returning_shape(self._fields)

    @property
    def table(self) -> type[Table]:
        """The table written to."""
        return self._stmt._table


class _ReturningMixin(Generic[R]):
    @overload
    def returning(self) -> ReturningQuery[R]: ...  # pyright: ignore[reportOverlappingOverload]
    @overload
    def returning(self, c1: Expr[T1], /) -> ReturningQuery[tuple[T1]]: ...
    @overload
    def returning(self, c1: Expr[T1], c2: Expr[T2], /) -> ReturningQuery[tuple[T1, T2]]: ...
    @overload
    def returning(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], /) -> ReturningQuery[tuple[T1, T2, T3]]: ...
    @overload
    def returning(
        self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], /
    ) -> ReturningQuery[tuple[T1, T2, T3, T4]]: ...
    @overload
    def returning(self, *fields: Expr[Any]) -> ReturningQuery[tuple[Any, ...]]: ...
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
        if args and kwargs:
            raise QueryError("values(): pass keywords for one row, or a list of rows, not both")
        if kwargs:
            rows = [kwargs]
        elif len(args) == 1:
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

    def _build(self, dialect: Dialect) -> SQL[Any]:
        return dialect.build_insert(self, None)

    def _build_returning(self, dialect: Dialect, fields: tuple[Expr[Any], ...] | None) -> SQL[Any]:
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
        _check_keys(self._table, values, "update")
        q = self._copy()
        q._set = {**self._set, **values}
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

    def _build(self, dialect: Dialect) -> SQL[Any]:
        return dialect.build_update(self, None)

    def _build_returning(self, dialect: Dialect, fields: tuple[Expr[Any], ...] | None) -> SQL[Any]:
        return dialect.build_update(self, fields or ())


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

    def _build(self, dialect: Dialect) -> SQL[Any]:
        return dialect.build_delete(self, None)

    def _build_returning(self, dialect: Dialect, fields: tuple[Expr[Any], ...] | None) -> SQL[Any]:
        return dialect.build_delete(self, fields or ())


def insert(table: Callable[P, R]) -> Insert[P, R]:
    """An INSERT not bound to a database (render with `.to_sql()`)."""
    return Insert(None, table)  # type: ignore[arg-type]


def update(table: Callable[P, R]) -> Update[P, R]:
    """An UPDATE not bound to a database."""
    return Update(None, table)  # type: ignore[arg-type]


def delete(table: type[R]) -> Delete[R]:
    """A DELETE not bound to a database."""
    return Delete(None, table)
