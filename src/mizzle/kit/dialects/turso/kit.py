"""The turso kit dialect: SQLite's, with libSQL's in-place `ALTER COLUMN` and local files opened through libSQL."""

from __future__ import annotations

import contextlib
import importlib.util
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import mizzle
from mizzle.errors import MigrationError
from mizzle.kit.dialects.sqlite.kit import SQLiteKit, is_remote
from mizzle.kit.dialects.turso import convert

if TYPE_CHECKING:
    from mizzle.session.sync import Database


class TursoKit(SQLiteKit):
    """drizzle-kit's `turso` dialect."""

    name = "turso"
    title = "libSQL (turso)"
    driver = "libsql"

    def convertor(self) -> Any:
        """`kit.dialects.turso.convert` (ALTER COLUMN where drizzle-kit's turso uses it)."""
        return convert

    @contextlib.contextmanager
    def scratch(self, url: str) -> Generator[Database, None, None]:
        """An in-memory libSQL database (needs the libsql package)."""
        if importlib.util.find_spec("libsql") is None:
            raise MigrationError("the folder uses libSQL's ALTER COLUMN (dialect \"turso\") and the libsql package "
                                 "is not installed (pip install 'mizzle[libsql]')")
        with super().scratch(url) as db:
            yield db

    def connect(self, url: str) -> Database:
        """A local file through libSQL (stdlib sqlite3 cannot run ALTER COLUMN); a server through Hrana over HTTP."""
        if is_remote(url):
            return mizzle.connect(url, driver="libsql-http")
        local = url.split(":", 1)[0].lower() in ("sqlite", "file")
        return mizzle.connect(url, driver="libsql") if local else mizzle.connect(url)


DIALECT = TursoKit()

__all__ = ["DIALECT", "TursoKit"]
