"""The console's own connection: one statement, on a fresh connection, in a transaction the database enforces.

Every console request opens a dedicated connection (closed afterwards, so no session state — locks,
`SET`s, temporary tables — survives it), runs exactly one statement through a driver path that accepts
one statement only, and ends the transaction: committed in read-write mode, always rolled back in
read-only mode, where the database itself refuses writes. The dialect modules (`sqlite`, `postgres`,
`mysql`) implement `open_console` and `risky_privileges` behind the interface below.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any, Protocol

from mizzle.session.sync import Database

STATEMENT_TIMEOUT_S = 60
"""A read-only console statement runs at most this long (the database cancels it)."""


class ConsoleConnection(Protocol):
    """One console request's connection."""

    def run(self, sql: str) -> Any:
        """Run exactly one statement; a cursor with `description`, `rowcount`, `fetchmany`."""
        ...

    def finish(self) -> None:
        """Commit (read-write) or roll back (read-only) the transaction."""
        ...

    def close(self) -> None:
        """Close the connection (a read-only transaction still open is rolled back by the database)."""
        ...

    errors: tuple[type[BaseException], ...]
    """The driver's error classes: the database refusing the statement."""


class ConsoleDialect(Protocol):
    """What a dialect module offers the console."""

    def open_console(self, url: str, *, read_only: bool) -> ConsoleConnection:
        """A dedicated connection to `url`, its transaction begun (read-only or read-write)."""
        ...

    def risky_privileges(self, db: Database) -> Sequence[str]:
        """What the connected account may do that a read-only transaction does not stop (empty: nothing)."""
        ...


_MODULES = {"sqlite": "sqlite", "postgresql": "postgres", "mysql": "mysql"}


def console_dialect(dialect: str) -> ConsoleDialect:
    """The console implementation of a dialect ("sqlite", "postgresql", "mysql")."""
    module: Any = importlib.import_module(f"{__name__}.{_MODULES[dialect]}")
    return module  # type: ignore[no-any-return]


__all__ = ["STATEMENT_TIMEOUT_S", "ConsoleConnection", "ConsoleDialect", "console_dialect"]
