"""The database client, like the seed's `getLocalDb()` / `createDb()`: a local SQLite file in development,
a MySQL-compatible server in production — chosen by the environment, migrated when opened.

    USER_SERVICE_DATABASE_URL unset          -> sqlite:///<USER_SERVICE_DB or ./user_service.db>
    USER_SERVICE_DATABASE_URL=mysql://...    -> that server (MariaDB / MySQL / PlanetScale-compatible)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import mizzle
from mizzle.session.sync import Database

from . import schema, schema_mysql

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Client:
    """An open, migrated database and the schema module whose tables it has."""

    db: Database
    tables: ModuleType


_local: Client | None = None


def open_database(url: str) -> Client:
    """Connect to `url`, apply the committed migrations for its dialect, return the client."""
    is_mysql = url.split(":", 1)[0] in ("mysql", "mariadb")
    tables = schema_mysql if is_mysql else schema
    db = mizzle.connect(url, schema=tables)
    mizzle.migrate(db, HERE / "drizzle" / ("mysql" if is_mysql else "sqlite"))
    return Client(db, tables)


def get_db() -> Client:
    """The process-wide client (the seed's `getLocalDb()` singleton), opened on first use."""
    global _local
    if _local is None:
        url = os.environ.get("USER_SERVICE_DATABASE_URL") or (
            "sqlite:///" + os.environ.get("USER_SERVICE_DB", "user_service.db"))
        _local = open_database(url)
    return _local


def reset_db() -> None:
    """Close the process-wide client (tests, shutdown)."""
    global _local
    if _local is not None:
        _local.db.close()
        _local = None
