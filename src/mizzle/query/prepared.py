"""`Prepared[T]`: what a prepared query offers (a synchronous session implements it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from mizzle.query.base import RunResult

T = TypeVar("T")


class Prepared(Generic[T]):
    """A query rendered once; call `.all(**values)`, `.get(...)`, `.one(...)`, `.run(...)`."""

    __slots__ = ()

    name: str | None

    @property
    def sql(self) -> str:
        """The rendered SQL text."""
        raise NotImplementedError

    def all(self, **values: Any) -> list[T]:
        """Every row."""
        raise NotImplementedError

    def get(self, **values: Any) -> T | None:
        """The first row, or None."""
        raise NotImplementedError

    def one(self, **values: Any) -> T:
        """Exactly one row."""
        raise NotImplementedError

    def values(self, **values: Any) -> list[tuple[Any, ...]]:
        """Rows as plain tuples."""
        raise NotImplementedError

    def run(self, **values: Any) -> RunResult:
        """Execute without fetching rows."""
        raise NotImplementedError

    def execute(self, **values: Any) -> RunResult:
        """Alias of `run`."""
        return self.run(**values)
