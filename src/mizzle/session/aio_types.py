# mypy: disable-error-code="empty-body"
"""Static types for the async session: the same builders, with awaitable terminal methods.

Only imported under `TYPE_CHECKING`. At run time `adb.select()` returns the ordinary builders
(`TableSelect`, `Insert`, ...) whose `.all()` forwards to `AsyncDatabase.all`, a coroutine
function; these subclasses only re-declare return types so that pyright and mypy see
`await adb.select().from_(T).all()` as `list[T]`. No query logic lives here.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from typing import Any, Generic, ParamSpec, overload

from typing_extensions import TypeVar

from mizzle.query.dml import Delete, Insert, ReturningQuery, Update
from mizzle.query.select import (
    PartialSelect,
    PartialStart,
    Select,
    SelectFactory,
    SelectStart,
    Source,
    Subquery,
    TableSelect,
)
from mizzle.relations.api import RelationalQueries, TableQueries
from mizzle.relations.query import FindFirst, FindMany
from mizzle.schema.column import Column
from mizzle.schema.table import Table
from mizzle.session.aio import AsyncPrepared
from mizzle.session.base import Builders, RunResult
from mizzle.sql.chunks import SQL, Expr, Placeholder
from mizzle.sql.operators import Ordering

P = ParamSpec("P")
R = TypeVar("R", covariant=True, default=Any)
TT = TypeVar("TT", bound=Table, default=Any)
T = TypeVar("T", bound=Table)
A = TypeVar("A")
B = TypeVar("B")
C = TypeVar("C")
J = TypeVar("J", bound=Table)
T1 = TypeVar("T1")
T2 = TypeVar("T2")
T3 = TypeVar("T3")
T4 = TypeVar("T4")
T5 = TypeVar("T5")
T6 = TypeVar("T6")
T7 = TypeVar("T7")
T8 = TypeVar("T8")


class _AsyncRun:
    """Awaitable `run()` / `prepare()` for statements."""

    async def run(self) -> RunResult: ...
    def prepare(self, name: str | None = None) -> AsyncPrepared[Any]: ...


class _AsyncRows(Generic[R]):
    """Awaitable terminal methods of a statement that returns rows of type `R`."""

    async def all(self) -> list[R]: ...
    async def get(self) -> R | None: ...
    async def one(self) -> R: ...
    async def values(self) -> list[tuple[Any, ...]]: ...
    async def scalar(self) -> Any: ...
    async def run(self) -> RunResult: ...
    def prepare(self, name: str | None = None) -> AsyncPrepared[R]: ...


class AsyncTableSelect(_AsyncRows[R], TableSelect[R]):  # type: ignore[misc]  # pyright: ignore[reportIncompatibleMethodOverride]
    """`TableSelect` with awaitable terminals."""

    def where(self, condition: SQL[Any] | Expr[Any] | None) -> AsyncTableSelect[R]: ...
    def group_by(self, *exprs: Expr[Any] | SQL[Any]) -> AsyncTableSelect[R]: ...
    def having(self, condition: SQL[Any] | None) -> AsyncTableSelect[R]: ...
    def order_by(self, *terms: Expr[Any] | Ordering | SQL[Any]) -> AsyncTableSelect[R]: ...
    def limit(self, n: int | Placeholder | None) -> AsyncTableSelect[R]: ...
    def offset(self, n: int | Placeholder | None) -> AsyncTableSelect[R]: ...
    def for_update(self, *, skip_locked: bool = False, no_wait: bool = False) -> AsyncTableSelect[R]: ...
    def for_share(self, *, skip_locked: bool = False, no_wait: bool = False) -> AsyncTableSelect[R]: ...
    def union(self, other: Select[Any]) -> AsyncTableSelect[R]: ...
    def union_all(self, other: Select[Any]) -> AsyncTableSelect[R]: ...
    def intersect(self, other: Select[Any]) -> AsyncTableSelect[R]: ...
    def except_(self, other: Select[Any]) -> AsyncTableSelect[R]: ...

    @overload
    def inner_join(  # pyright: ignore[reportOverlappingOverload]
        self: AsyncTableSelect[tuple[A, B, C]], table: type[J], on: Any
    ) -> AsyncTableSelect[tuple[A, B, C, J]]: ...
    @overload
    def inner_join(self: AsyncTableSelect[tuple[A, B]], table: type[J], on: Any) -> AsyncTableSelect[tuple[A, B, J]]: ...
    @overload
    def inner_join(self: AsyncTableSelect[A], table: type[J], on: Any) -> AsyncTableSelect[tuple[A, J]]: ...
    @overload
    def inner_join(self, table: Subquery, on: Any) -> AsyncTableSelect[Any]: ...
    def inner_join(self, table: Any, on: Any) -> Any: ...  # pyright: ignore[reportIncompatibleMethodOverride]

    @overload
    def left_join(  # pyright: ignore[reportOverlappingOverload]
        self: AsyncTableSelect[tuple[A, B, C]], table: type[J], on: Any
    ) -> AsyncTableSelect[tuple[A, B, C, J | None]]: ...
    @overload
    def left_join(
        self: AsyncTableSelect[tuple[A, B]], table: type[J], on: Any
    ) -> AsyncTableSelect[tuple[A, B, J | None]]: ...
    @overload
    def left_join(self: AsyncTableSelect[A], table: type[J], on: Any) -> AsyncTableSelect[tuple[A, J | None]]: ...
    @overload
    def left_join(self, table: Subquery, on: Any) -> AsyncTableSelect[Any]: ...
    def left_join(self, table: Any, on: Any) -> Any: ...  # pyright: ignore[reportIncompatibleMethodOverride]

    @overload
    def right_join(  # pyright: ignore[reportOverlappingOverload]
        self: AsyncTableSelect[tuple[A, B]], table: type[J], on: Any
    ) -> AsyncTableSelect[tuple[A | None, B | None, J]]: ...
    @overload
    def right_join(self: AsyncTableSelect[A], table: type[J], on: Any) -> AsyncTableSelect[tuple[A | None, J]]: ...
    @overload
    def right_join(self, table: Subquery, on: Any) -> AsyncTableSelect[Any]: ...
    def right_join(self, table: Any, on: Any) -> Any: ...  # pyright: ignore[reportIncompatibleMethodOverride]

    @overload
    def full_join(  # pyright: ignore[reportOverlappingOverload]
        self: AsyncTableSelect[tuple[A, B]], table: type[J], on: Any
    ) -> AsyncTableSelect[tuple[A | None, B | None, J | None]]: ...
    @overload
    def full_join(
        self: AsyncTableSelect[A], table: type[J], on: Any
    ) -> AsyncTableSelect[tuple[A | None, J | None]]: ...
    @overload
    def full_join(self, table: Subquery, on: Any) -> AsyncTableSelect[Any]: ...
    def full_join(self, table: Any, on: Any) -> Any: ...  # pyright: ignore[reportIncompatibleMethodOverride]

    @overload
    def cross_join(self: AsyncTableSelect[tuple[A, B]], table: type[J]) -> AsyncTableSelect[tuple[A, B, J]]: ...  # type: ignore[overload-overlap]  # pyright: ignore[reportOverlappingOverload]
    @overload
    def cross_join(self: AsyncTableSelect[A], table: type[J]) -> AsyncTableSelect[tuple[A, J]]: ...
    def cross_join(self, table: Any) -> Any: ...  # pyright: ignore[reportIncompatibleMethodOverride]


class AsyncPartialSelect(_AsyncRows[R], PartialSelect[R]):  # type: ignore[misc]  # pyright: ignore[reportIncompatibleMethodOverride]
    """`PartialSelect` with awaitable terminals."""

    def where(self, condition: SQL[Any] | Expr[Any] | None) -> AsyncPartialSelect[R]: ...
    def group_by(self, *exprs: Expr[Any] | SQL[Any]) -> AsyncPartialSelect[R]: ...
    def having(self, condition: SQL[Any] | None) -> AsyncPartialSelect[R]: ...
    def order_by(self, *terms: Expr[Any] | Ordering | SQL[Any]) -> AsyncPartialSelect[R]: ...
    def limit(self, n: int | Placeholder | None) -> AsyncPartialSelect[R]: ...
    def offset(self, n: int | Placeholder | None) -> AsyncPartialSelect[R]: ...
    def for_update(self, *, skip_locked: bool = False, no_wait: bool = False) -> AsyncPartialSelect[R]: ...
    def for_share(self, *, skip_locked: bool = False, no_wait: bool = False) -> AsyncPartialSelect[R]: ...
    def union(self, other: Select[Any]) -> AsyncPartialSelect[R]: ...
    def union_all(self, other: Select[Any]) -> AsyncPartialSelect[R]: ...
    def intersect(self, other: Select[Any]) -> AsyncPartialSelect[R]: ...
    def except_(self, other: Select[Any]) -> AsyncPartialSelect[R]: ...
    def inner_join(self, table: Source, on: Any) -> AsyncPartialSelect[R]: ...
    def left_join(self, table: Source, on: Any) -> AsyncPartialSelect[R]: ...
    def right_join(self, table: Source, on: Any) -> AsyncPartialSelect[R]: ...
    def full_join(self, table: Source, on: Any) -> AsyncPartialSelect[R]: ...
    def cross_join(self, table: Source) -> AsyncPartialSelect[R]: ...


class AsyncSelectStart(SelectStart):
    """`adb.select()` before `.from_()`."""

    @overload
    def from_(self, source: type[T]) -> AsyncTableSelect[T]: ...
    @overload
    def from_(self, source: Subquery) -> AsyncTableSelect[Any]: ...
    def from_(self, source: Any) -> Any: ...


class AsyncPartialStart(PartialStart[R]):
    """`adb.select(cols...)` before `.from_()`."""

    def from_(self, source: Source) -> AsyncPartialSelect[R]: ...
    async def all(self) -> list[R]: ...  # type: ignore[override]  # pyright: ignore[reportIncompatibleMethodOverride]
    async def get(self) -> R | None: ...  # type: ignore[override]  # pyright: ignore[reportIncompatibleMethodOverride]


class AsyncSelectFactory(SelectFactory):
    """`adb.select(...)`."""

    @overload
    def __call__(self) -> AsyncSelectStart: ...  # pyright: ignore[reportOverlappingOverload]
    @overload
    def __call__(self, c1: Expr[T1], /) -> AsyncPartialStart[tuple[T1]]: ...
    @overload
    def __call__(self, c1: Expr[T1], c2: Expr[T2], /) -> AsyncPartialStart[tuple[T1, T2]]: ...
    @overload
    def __call__(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], /) -> AsyncPartialStart[tuple[T1, T2, T3]]: ...
    @overload
    def __call__(
        self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], /
    ) -> AsyncPartialStart[tuple[T1, T2, T3, T4]]: ...
    @overload
    def __call__(
        self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], /
    ) -> AsyncPartialStart[tuple[T1, T2, T3, T4, T5]]: ...
    @overload
    def __call__(
        self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], c6: Expr[T6], /
    ) -> AsyncPartialStart[tuple[T1, T2, T3, T4, T5, T6]]: ...
    @overload
    def __call__(
        self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], c6: Expr[T6], c7: Expr[T7], /
    ) -> AsyncPartialStart[tuple[T1, T2, T3, T4, T5, T6, T7]]: ...
    @overload
    def __call__(
        self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], c5: Expr[T5], c6: Expr[T6], c7: Expr[T7],
        c8: Expr[T8], /,
    ) -> AsyncPartialStart[tuple[T1, T2, T3, T4, T5, T6, T7, T8]]: ...
    @overload
    def __call__(self, *columns: Expr[Any], **named: Expr[Any] | Mapping[str, Any]) -> AsyncPartialStart[Any]: ...
    def __call__(self, *columns: Any, **named: Any) -> Any: ...  # pyright: ignore[reportIncompatibleMethodOverride]


class AsyncReturningQuery(_AsyncRows[R], ReturningQuery[R]):  # type: ignore[misc]  # pyright: ignore[reportIncompatibleMethodOverride]
    """An insert/update/delete with RETURNING, awaited."""


class _AsyncReturningMixin(Generic[TT]):
    @overload
    def returning(self) -> AsyncReturningQuery[TT]: ...  # pyright: ignore[reportOverlappingOverload]
    @overload
    def returning(self, c1: Expr[T1], /) -> AsyncReturningQuery[tuple[T1]]: ...
    @overload
    def returning(self, c1: Expr[T1], c2: Expr[T2], /) -> AsyncReturningQuery[tuple[T1, T2]]: ...
    @overload
    def returning(self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], /) -> AsyncReturningQuery[tuple[T1, T2, T3]]: ...
    @overload
    def returning(
        self, c1: Expr[T1], c2: Expr[T2], c3: Expr[T3], c4: Expr[T4], /
    ) -> AsyncReturningQuery[tuple[T1, T2, T3, T4]]: ...
    @overload
    def returning(self, *fields: Expr[Any]) -> AsyncReturningQuery[tuple[Any, ...]]: ...
    def returning(self, *fields: Expr[Any]) -> Any: ...


class AsyncInsert(_AsyncReturningMixin[TT], _AsyncRun, Insert[P, TT], Generic[P, TT]):  # type: ignore[misc]  # pyright: ignore[reportIncompatibleMethodOverride]
    """`Insert` with awaitable `run()` and async RETURNING."""

    @overload
    def values(self, rows: TT | Mapping[str, Any] | Sequence[TT | Mapping[str, Any]], /) -> AsyncInsert[P, TT]: ...
    @overload
    def values(self, *args: P.args, **kwargs: P.kwargs) -> AsyncInsert[P, TT]: ...
    def values(self, *args: Any, **kwargs: Any) -> AsyncInsert[P, TT]: ...  # pyright: ignore[reportIncompatibleMethodOverride]
    def select(self, query: Select[Any]) -> AsyncInsert[P, TT]: ...
    def on_conflict_do_nothing(
        self, *, target: Column[Any] | Sequence[Column[Any]] | None = None, where: SQL[Any] | None = None
    ) -> AsyncInsert[P, TT]: ...
    def on_conflict_do_update(
        self,
        *,
        target: Column[Any] | Sequence[Column[Any]],
        set: Mapping[str, Any],
        where: SQL[Any] | None = None,
        target_where: SQL[Any] | None = None,
    ) -> AsyncInsert[P, TT]: ...
    def on_duplicate_key_update(self, *, set: Mapping[str, Any]) -> AsyncInsert[P, TT]: ...


class AsyncUpdate(_AsyncReturningMixin[TT], _AsyncRun, Update[P, TT], Generic[P, TT]):  # type: ignore[misc]  # pyright: ignore[reportIncompatibleMethodOverride]
    """`Update` with awaitable `run()` and async RETURNING."""

    @overload
    def set(self, values: Mapping[str, Any], /) -> AsyncUpdate[P, TT]: ...
    @overload
    def set(self, *args: P.args, **kwargs: P.kwargs) -> AsyncUpdate[P, TT]: ...
    def set(self, *args: Any, **kwargs: Any) -> AsyncUpdate[P, TT]: ...  # pyright: ignore[reportIncompatibleMethodOverride]
    def where(self, condition: SQL[Any] | None) -> AsyncUpdate[P, TT]: ...
    def order_by(self, *terms: Expr[Any] | Ordering) -> AsyncUpdate[P, TT]: ...
    def limit(self, n: int) -> AsyncUpdate[P, TT]: ...


class AsyncDelete(_AsyncReturningMixin[TT], _AsyncRun, Delete[TT]):  # type: ignore[misc]  # pyright: ignore[reportIncompatibleMethodOverride]
    """`Delete` with awaitable `run()` and async RETURNING."""

    def where(self, condition: SQL[Any] | None) -> AsyncDelete[TT]: ...
    def order_by(self, *terms: Expr[Any] | Ordering) -> AsyncDelete[TT]: ...
    def limit(self, n: int) -> AsyncDelete[TT]: ...


class AsyncBuilders(Builders):
    """The builder entry points of `AsyncDatabase`, as the type checker sees them."""

    @property
    def select(self) -> AsyncSelectFactory: ...
    @property
    def select_distinct(self) -> AsyncSelectFactory: ...
    def insert(self, table: Callable[P, T]) -> AsyncInsert[P, T]: ...
    def update(self, table: Callable[P, T]) -> AsyncUpdate[P, T]: ...
    def delete(self, table: type[T]) -> AsyncDelete[T]: ...


class AsyncFindMany(_AsyncRows[T], FindMany[T]):  # type: ignore[misc]  # pyright: ignore[reportIncompatibleMethodOverride]
    """`find_many` on an async session: `await q.all()` or `await q` gives `list[T]`."""

    async def execute(self) -> list[T]: ...  # type: ignore[override]  # pyright: ignore[reportIncompatibleMethodOverride]
    def __await__(self) -> Generator[Any, None, list[T]]: ...


class AsyncFindFirst(_AsyncRows[T], FindFirst[T]):  # type: ignore[misc]  # pyright: ignore[reportIncompatibleMethodOverride]
    """`find_first` on an async session: `await q.get()` or `await q` gives `T | None`."""

    async def execute(self) -> T | None: ...  # type: ignore[override]  # pyright: ignore[reportIncompatibleMethodOverride]
    def __await__(self) -> Generator[Any, None, T | None]: ...


class AsyncTableQueries(TableQueries[T]):
    """`adb.query(Users)`: relational queries whose results are awaited."""

    def find_many(  # pyright: ignore[reportIncompatibleMethodOverride]
        self,
        *,
        columns: Mapping[str, bool] | Iterable[Any] | None = None,
        with_: Mapping[str, Any] | None = None,
        where: Any = None,
        order_by: Any = None,
        limit: Any = None,
        offset: Any = None,
        extras: Mapping[str, Any] | Any = None,
    ) -> AsyncFindMany[T]: ...
    def find_first(  # pyright: ignore[reportIncompatibleMethodOverride]
        self,
        *,
        columns: Mapping[str, bool] | Iterable[Any] | None = None,
        with_: Mapping[str, Any] | None = None,
        where: Any = None,
        order_by: Any = None,
        offset: Any = None,
        extras: Mapping[str, Any] | Any = None,
    ) -> AsyncFindFirst[T]: ...


class AsyncRelationalQueries(RelationalQueries):
    """`adb.query`: `adb.query(Users)` is typed; `adb.query.users` is `AsyncTableQueries[Any]`."""

    def __call__(self, table: type[T]) -> AsyncTableQueries[T]: ...
    def __getattr__(self, name: str) -> AsyncTableQueries[Any]: ...
