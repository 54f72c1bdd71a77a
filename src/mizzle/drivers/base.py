"""The driver seam: a few methods every database adapter implements, and the URL registry."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from mizzle.errors import ConfigError, DatabaseError

if TYPE_CHECKING:
    from mizzle.dialects.base import Dialect


class Cursor(Protocol):
    """What a driver's execute() returns (a DB-API cursor fits)."""

    rowcount: int
    lastrowid: Any

    def fetchall(self) -> Sequence[Any]: ...
    def fetchone(self) -> Any: ...


class Driver(Protocol):
    """A synchronous connection to one database."""

    dialect: Dialect

    def execute(self, sql: str, params: Sequence[Any]) -> Cursor:
        """Run one statement with its parameters."""
        ...

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> Cursor:
        """Run one statement once per parameter list."""
        ...

    def begin(self, behavior: str | None = None) -> None:
        """Start a transaction."""
        ...

    def commit(self) -> None:
        """Commit the transaction."""
        ...

    def rollback(self) -> None:
        """Roll the transaction back."""
        ...

    def close(self) -> None:
        """Close the connection."""
        ...

    def map_error(self, exc: BaseException, sql: str | None, params: Sequence[Any] | None) -> DatabaseError | None:
        """Translate a driver exception into mizzle's hierarchy (None: not a driver error)."""
        ...


DriverFactory = Callable[..., Driver]
_drivers: dict[str, Callable[[], DriverFactory]] = {}


def register_driver(scheme: str, loader: Callable[[], DriverFactory]) -> None:
    """Register a driver for a URL scheme (`loader` imports it lazily)."""
    _drivers[scheme] = loader


def driver_for(scheme: str) -> DriverFactory:
    """The driver factory for a URL scheme, or a ConfigError listing the known ones."""
    loader = _drivers.get(scheme)
    if loader is None:
        raise ConfigError(
            f"no driver for URL scheme {scheme!r}; known schemes: {', '.join(sorted(_drivers))}"
        )
    return loader()
