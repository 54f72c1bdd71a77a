"""libSQL / Turso helpers: `connect_from_env()` as in the Turso + Drizzle setup, replica `sync()`.

    from mizzle.libsql import connect_from_env
    db = connect_from_env(schema=my_schema)   # TURSO_DATABASE_URL, TURSO_AUTH_TOKEN

Local files (`file:./data/app.db`) open through libSQL without a token; `libsql://…` and
`https://…` URLs are remote and use `TURSO_AUTH_TOKEN`. For an embedded replica call
`mizzle.connect("file:./data/app.db", driver="libsql", sync_url=..., auth_token=...,
sync_interval=60)` and `db.sync()`.
"""

from __future__ import annotations

import os
from typing import Any

from mizzle.connect import connect
from mizzle.errors import ConfigError
from mizzle.session.base import SQLLogger
from mizzle.session.sync import Database


def connect_from_env(
    *,
    schema: Any = None,
    logger: SQLLogger | None = None,
    url_var: str = "TURSO_DATABASE_URL",
    token_var: str = "TURSO_AUTH_TOKEN",
    **options: Any,
) -> Database:
    """Open `$TURSO_DATABASE_URL` through libSQL (token from `$TURSO_AUTH_TOKEN`, none for `file:` URLs)."""
    url = os.environ.get(url_var)
    if not url:
        raise ConfigError(f"{url_var} is required")
    is_local_file = url.startswith("file:")
    auth_token = None if is_local_file else os.environ.get(token_var)
    if not is_local_file:
        options.setdefault("auth_token", auth_token)
    return connect(url, driver="libsql", schema=schema, logger=logger, **options)


__all__ = ["connect_from_env"]
