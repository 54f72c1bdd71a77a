"""What every query builder shares: immutability, caching of the rendered SQL, terminal methods."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, Generic, Self

from typing_extensions import TypeVar

from mizzle.errors import QueryError
from mizzle.query.dialect import Renderer, default_dialect
from mizzle.query.rows import Shape
from mizzle.sql.chunks import SQL, Buildable
from mizzle.sql.render import Query, render

if TYPE_CHECKING:
    from mizzle.query.prepared import Prepared
    from mizzle.query.streaming import RowStream

R = TypeVar("R", covariant=True, default=Any)

_TUPLE_NEW: Any = getattr(tuple, "__new__")  # noqa: B009


class RunResult(tuple[int, int | None]):
    """What a statement that returns no rows reports: `rows_affected` and `last_insert_id`.

    An immutable pair: `RunResult(rows_affected, last_insert_id=None)` (the constructor it always had);
    the sessions build it with `run_result((rows_affected, last_insert_id))`, no Python call per statement.
    """

    __slots__ = ()

    def __new__(cls, rows_affected: int, last_insert_id: int | None = None) -> Self:
        out: Self = _TUPLE_NEW(cls, (rows_affected, last_insert_id))
        return out

    def __getnewargs__(self) -> tuple[int, int | None]:  # pyright: ignore[reportIncompatibleMethodOverride]
        return (self[0], self[1])

    @property
    def rows_affected(self) -> int:
        """Rows inserted, updated or deleted (as the driver reports them)."""
        return self[0]

    @property
    def last_insert_id(self) -> int | None:
        """The id the database generated for the last inserted row (None where there is none)."""
        return self[1]

    @property
    def count(self) -> int:  # type: ignore[override]  # pyright: ignore[reportIncompatibleMethodOverride]
        """Alias of `rows_affected` (this pair has no tuple `count()` method)."""
        return self[0]

    def __repr__(self) -> str:
        return f"RunResult(rows_affected={self[0]!r}, last_insert_id={self[1]!r})"


run_result: Callable[[tuple[int, int | None]], RunResult] = partial(_TUPLE_NEW, RunResult)
"""`RunResult` from a (rows_affected, last_insert_id) pair, in C (`tuple.__new__`, not the class's `__new__`)."""

EMULATED = "emulated"
"""`Compiled.kind` of a statement the database cannot run as one (its session runs `statement`)."""


class Compiled:
    """A query rendered for one dialect: its SQL, parameters and result shape."""

    __slots__ = ("dialect", "kind", "query", "shape", "statement")

    def __init__(
        self, dialect: Renderer, query: Query, shape: Shape | None, kind: str, statement: Any = None
    ) -> None:
        self.dialect = dialect
        self.query = query
        self.shape = shape
        self.kind = kind  # "rows" (returns rows), "run", or EMULATED (`statement` says what to run)
        self.statement = statement


class Executable(Buildable, Generic[R]):
    """A complete statement: render it with `.to_sql()` or run it through its session."""

    _session: Any
    _compiled: Compiled | None

    def _copy(self) -> Self:
        new = object.__new__(type(self))
        d = new.__dict__
        d.update(self.__dict__)
        d["_compiled"] = None
        return new

    # ---- subclasses provide ---------------------------------------------------

    def _build(self, dialect: Renderer) -> SQL[Any]:
        raise NotImplementedError

    def _shape(self) -> Shape | None:
        """The result shape, or None for statements that return no rows."""
        return None

    # ---- rendering ------------------------------------------------------------

    def _dialect(self) -> Renderer:
        if self._session is not None:
            d: Renderer = self._session.dialect
            return d
        return default_dialect()

    def compile(self, dialect: Renderer | None = None) -> Compiled:
        """Render once per dialect; the result is cached on this (immutable) builder."""
        d = dialect or self._dialect()
        c = self._compiled
        if c is not None and c.dialect is d:
            return c
        query = render(self._build(d), d)
        shape = self._shape()
        c = Compiled(d, query, shape, "rows" if shape is not None else "run")
        self._compiled = c
        return c

    def compile_prepared(self, dialect: Renderer | None = None) -> Compiled:
        """Render for a prepared statement: values computed per run (`default_fn`) stay slots that
        every run fills anew (`compile()` may compute them once for a single execution)."""
        return self.compile(dialect)

    def to_sql(self, dialect: Renderer | None = None) -> Query:
        """The SQL text and parameters this query runs (`sql, params = q.to_sql()`).

        Values computed per run (`default_fn`, `on_update_fn`) are shown as one run would compute
        them; named placeholders stay `None` until a prepared query is run with their values.
        """
        c = self.compile(dialect)
        if c.kind is EMULATED:
            raise QueryError(
                f"this query runs as several statements on {c.dialect.name} (it has no such RETURNING: the "
                "rows are locked, written and read back in one transaction), so there is no single SQL "
                "text to show; run it, or drop .returning()"
            )
        q = c.query
        if not any(s.factory is not None for s in q.slots):
            return q
        params = list(q.params)
        for s in q.slots:
            if s.factory is not None:
                value = s.factory()
                params[s.index] = s.encoder(value) if s.encoder is not None and value is not None else value
        return Query(q.sql, tuple(params), q.slots)

    def _sess(self) -> Any:
        if self._session is None:
            raise QueryError(
                "this query is not bound to a database; build it from a connection (db.select(...)) "
                "or use .to_sql() to render it"
            )
        return self._session

    def run(self) -> RunResult:
        """Execute without fetching rows; returns rows affected and the last inserted row id."""
        session = self._session
        out: RunResult = (session if session is not None else self._sess()).run(self)
        return out

    def prepare(self, name: str | None = None) -> Prepared[R]:
        """Render once and return a prepared query that runs with new placeholder values."""
        out: Prepared[R] = self._sess().prepare(self, name)
        return out


class Returning(Executable[R]):
    """A statement returning rows: `.all()`, `.get()`, `.one()`, `.values()`."""

    def all(self) -> list[R]:
        """Every row."""
        out: list[R] = self._sess().all(self)
        return out

    def get(self) -> R | None:
        """The first row, or None."""
        out: R | None = self._sess().get(self)
        return out

    def iter(self, batch_size: int = 1000) -> RowStream[R]:
        """The rows one by one, fetched `batch_size` at a time (constant memory; see `Database.iter`)."""
        out: RowStream[R] = self._sess().iter(self, batch_size=batch_size)
        return out

    def one(self) -> R:
        """Exactly one row (raises NoResultError / MultipleResultsError otherwise)."""
        out: R = self._sess().one(self)
        return out

    def values(self) -> list[tuple[Any, ...]]:
        """Every row as a plain tuple of (decoded) values."""
        out: list[tuple[Any, ...]] = self._sess().values(self)
        return out
