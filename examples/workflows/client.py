"""15.2 / 15.6: database clients — `createDbClient()` from the environment, and the desktop app's file.

- backend: `create_db_client()` reads `TURSO_DATABASE_URL` / `TURSO_AUTH_TOKEN` (a `file:` URL
  needs no token) exactly like the seed's `createDbClient`;
- desktop app: `open_desktop_db("file:<appData>/app.db")` works offline on the local file; give it
  `sync_url=` (and a token) to make the file an embedded replica of the Turso database.
"""

from __future__ import annotations

from typing import Any

import mizzle
from mizzle.libsql import connect_from_env
from mizzle.session.sync import Database

from . import schema


def create_db_client(**options: Any) -> Database:
    """`createDbClient()`: the database named by `TURSO_DATABASE_URL`, with the seed's schema."""
    return connect_from_env(schema=schema, **options)


def open_desktop_db(
    url: str = "file:./data/app.db",
    *,
    sync_url: str | None = None,
    auth_token: str | None = None,
    sync_interval: float | None = None,
    driver: str = "libsql",
) -> Database:
    """The desktop app's local database (an embedded replica of `sync_url` when given), tables created."""
    options: dict[str, Any] = {}
    if sync_url is not None:
        options.update(sync_url=sync_url, auth_token=auth_token, sync_interval=sync_interval)
    db = mizzle.connect(url, driver=driver, schema=schema, **options)
    mizzle.create_all(db, schema.TABLES)
    return db
