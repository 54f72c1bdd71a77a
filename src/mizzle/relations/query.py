"""`FindMany` / `FindFirst`: relational queries as ordinary executable statements.

They are `Returning` statements like a select, so `.all()`, `.get()`, `.one()`, `.prepare()`
and `.to_sql()` work, and any session (sync or async) runs them with no special code.
`.execute()` returns the natural result: a list for `find_many`, a row or None for `find_first`;
on an async session, `await db.query.users.find_first(...)` gives the same.
"""

from __future__ import annotations

import inspect
from collections.abc import Generator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from mizzle.dialects.base import Dialect
from mizzle.errors import QueryError
from mizzle.query.base import Returning
from mizzle.query.rows import Shape
from mizzle.relations.build import Compiler
from mizzle.relations.config import Level
from mizzle.schema.table import Table
from mizzle.sql.chunks import SQL

if TYPE_CHECKING:
    from mizzle.query.dialect import Renderer

T = TypeVar("T", bound=Table)


class RelationalQuery(Returning[T], Generic[T]):
    """A relational query on table `T`: one SQL statement whatever the nesting depth."""

    def __init__(self, session: Any, level: Level, first: bool) -> None:
        self._session = session
        self._compiled = None
        self._level = level
        self._first = first
        self._shape_obj: Shape | None = None

    def _build(self, dialect: Renderer) -> SQL[Any]:
        if not isinstance(dialect, Dialect):
            raise QueryError(f"relational queries render with a mizzle dialect, got {dialect!r}")
        plan = dialect.compile_relational(self._level, self._first)
        frag, part = plan if plan is not None else Compiler(dialect, self._level).compile_root(self._first)
        self._shape_obj = Shape([part], nested=True)
        return frag

    def _shape(self) -> Shape:
        if self._shape_obj is None:
            self._build(self._dialect())
        assert self._shape_obj is not None
        return self._shape_obj

    def _awaitable(self) -> None:
        session: object = self._sess()
        if not inspect.iscoroutinefunction(getattr(type(session), "all", None)):
            raise QueryError("await works on queries of an async session (mizzle.aio); "
                             "on a Database call .all() / .get() / .execute()")

    def __repr__(self) -> str:
        kind = "find_first" if self._first else "find_many"
        return f"<{kind} on {self._level.table.__table__.name}>"


class FindMany(RelationalQuery[T]):
    """`db.query.<table>.find_many(...)`: `.all()` (or `.execute()`) gives `list[T]`."""

    def execute(self) -> list[T]:
        """Every matching row, with its relations."""
        return self.all()

    def __await__(self) -> Generator[Any, None, list[T]]:
        """`await adb.query.users.find_many(...)` on an async session: every row."""
        self._awaitable()
        it: Generator[Any, None, list[T]] = self._sess().all(self).__await__()
        return (yield from it)


class FindFirst(RelationalQuery[T]):
    """`db.query.<table>.find_first(...)`: `.get()` (or `.execute()`) gives `T | None`."""

    def execute(self) -> T | None:
        """The first matching row with its relations, or None."""
        return self.get()

    def __await__(self) -> Generator[Any, None, T | None]:
        """`await adb.query.users.find_first(...)` on an async session: the row or None."""
        self._awaitable()
        it: Generator[Any, None, T | None] = self._sess().get(self).__await__()
        return (yield from it)
