"""`mizzle.connect(url)`: open a database and get a `Database` session."""

from __future__ import annotations

from typing import Any

from mizzle.drivers.base import driver_for, register_driver
from mizzle.errors import ConfigError
from mizzle.session.base import SQLLogger
from mizzle.session.sync import Database
from mizzle.url import parse_url


def _sqlite() -> Any:
    from mizzle.drivers.pysqlite import SQLiteDriver

    return SQLiteDriver


register_driver("sqlite", _sqlite)


def _psycopg() -> Any:
    from mizzle.drivers.psycopg import PsycopgDriver

    return PsycopgDriver


register_driver("postgresql", _psycopg)
register_driver("postgres", _psycopg)


def _pymysql() -> Any:
    from mizzle.drivers.pymysql import PyMySQLDriver

    return PyMySQLDriver


register_driver("mysql", _pymysql)
register_driver("mariadb", _pymysql)


def _libsql() -> Any:
    try:
        from mizzle.drivers.libsql import LibSQLDriver
    except ImportError as exc:
        raise ConfigError(f"the libSQL driver needs the libsql package: pip install 'mizzle[libsql]' ({exc})") from None
    return LibSQLDriver


for _scheme in ("libsql", "https", "http"):
    register_driver(_scheme, _libsql)


def _libsql_http() -> Any:
    from mizzle.drivers.libsql_stream import LibSQLStreamDriver

    return LibSQLStreamDriver


register_driver("libsql-http", _libsql_http)


def connect(
    url: str = ":memory:",
    *,
    driver: str | None = None,
    logger: SQLLogger | None = None,
    schema: Any = None,
    **options: Any,
) -> Database:
    """Open `url` (":memory:", "app.db", "sqlite:///app.db", "file:app.db?mode=ro", "postgresql://...").

    SQLite connections get `foreign_keys=ON`, WAL journal for files and a 5 s busy timeout.
    `driver` picks another adapter for the same URL (e.g. "libsql"); `logger(sql, params)` sees
    every statement; `schema` (a module or list of tables) feeds `db.query`.
    """
    spec = parse_url(url)
    scheme = driver or spec.scheme
    factory = driver_for(scheme)
    try:
        if spec.scheme == "sqlite" and scheme == "sqlite":
            drv = factory(spec.database, uri=spec.uri, **options)
        else:
            drv = factory(spec, **options)
    except TypeError as exc:
        raise ConfigError(f"connect({url!r}): bad option ({exc})") from None
    return Database(drv, logger=logger, schema=schema)
