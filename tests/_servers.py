"""Helpers for tests that need a database server: reachability, throw-away databases, skip messages.

Server URLs (an account allowed to CREATE DATABASE) come from the environment or the defaults:
`MIZZLE_PG_URL` (default `postgresql://postgres@127.0.0.1:5432/test`) and `MIZZLE_MYSQL_URL`
(default `mysql://root@127.0.0.1:3306/test`). Each test session creates its own databases named
`mizzle_test_<random>` and drops them at the end.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import pytest

import mizzle

PG_URL = os.environ.get("MIZZLE_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
MYSQL_URL = os.environ.get("MIZZLE_MYSQL_URL", "mysql://root@127.0.0.1:3306/test")

PG_SKIP = (
    "PostgreSQL not reachable at {where} — start it with `pg_ctlcluster 15 main start` "
    "(or `.ci/run`) or set MIZZLE_PG_URL ({why})"
)
MYSQL_SKIP = (
    "MariaDB/MySQL not reachable at {where} — start it with "
    "`start-stop-daemon --start --background --exec /usr/sbin/mariadbd` (or `.ci/run`) "
    "or set MIZZLE_MYSQL_URL ({why})"
)


def with_database(url: str, database: str) -> str:
    """`url` pointing at another database."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, parts.fragment))


def _where(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}"


def admin_connect(kind: str) -> mizzle.Database:
    """A connection to the server's admin database, or pytest.skip with how to start the server."""
    url = PG_URL if kind == "postgres" else MYSQL_URL
    template = PG_SKIP if kind == "postgres" else MYSQL_SKIP
    try:
        opts = {"connect_timeout": 3}
        return mizzle.connect(url, **opts)
    except mizzle.ConfigError as exc:
        pytest.skip(template.format(where=_where(url), why=f"no driver: {exc}"))
    except mizzle.MizzleError as exc:
        pytest.skip(template.format(where=_where(url), why=str(exc).splitlines()[0]))
    except ImportError as exc:
        pytest.skip(template.format(where=_where(url), why=f"driver not installed: {exc}"))


@contextmanager
def throwaway_database(kind: str, prefix: str = "mizzle_test_") -> Iterator[str]:
    """Create `<prefix><random>` on the server, yield its URL, drop it afterwards."""
    admin = admin_connect(kind)
    name = prefix + secrets.token_hex(4)
    base = PG_URL if kind == "postgres" else MYSQL_URL
    try:
        admin.execute(f"create database {name}")
        yield with_database(base, name)
    finally:
        try:
            if kind == "postgres":
                admin.execute(f"drop database if exists {name} with (force)")
            else:
                admin.execute(f"drop database if exists {name}")
        finally:
            admin.close()
