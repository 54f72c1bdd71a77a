"""Introspect a live database into a snapshot (the dialect-specific work lives in `kit/dialects/*`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mizzle.errors import MigrationError, MizzleError
from mizzle.kit.config import KitConfig
from mizzle.kit.snapshot import Snapshot
from mizzle.session.sync import Database
from mizzle.sql.chunks import SQL
from mizzle.url import redact

_SQLITE_DIALECTS = ("sqlite", "turso")


def db_dialect(db: Database) -> str:
    """The kit dialect name of a connected database ("sqlite", "postgresql", "mysql")."""
    name = str(getattr(db.dialect, "name", "sqlite"))
    return {"postgres": "postgresql", "pg": "postgresql", "mariadb": "mysql"}.get(name, name)


def introspect(
    db: Database,
    *,
    include: Callable[[str], bool] | None = None,
    migrations_table: str = "__drizzle_migrations",
) -> Snapshot:
    """The snapshot of the tables of `db` that `include(name)` keeps (migrations table excluded)."""
    dialect = db_dialect(db)
    if dialect in _SQLITE_DIALECTS:
        from mizzle.kit.dialects.sqlite.introspect import introspect_sqlite

        return introspect_sqlite(db.execute, include=include, migrations_table=migrations_table)
    if dialect == "postgresql":
        from mizzle.kit.dialects.postgres.introspect import introspect_pg

        return introspect_pg(db.execute, include=include, migrations_table=migrations_table)
    if dialect == "mysql":
        from mizzle.kit.dialects.mysql.introspect import introspect_mysql

        return introspect_mysql(db.execute, include=include, migrations_table=migrations_table)
    raise MigrationError(f"introspecting a {dialect} database is not supported yet (SQLite only for now)")


def introspect_config(db: Database, config: KitConfig) -> Snapshot:
    """`introspect` honouring the config's `tables_filter` and `migrations_table`."""
    return introspect(db, include=config.table_included, migrations_table=config.migrations_table)


class ConnectError(MigrationError):
    """The configured database could not be opened."""

    hint = "check the config's `url` (or the --url flag): the path or host, the credentials, that the server runs"


def connect_config(config: KitConfig) -> Database:
    """Open the database named by the config's `url` (a local file through libSQL for dialect "turso")."""
    import mizzle

    if not config.url:
        raise MigrationError(
            f"no database url in {config.source}: add `url = \"...\"` (e.g. sqlite:///app.db or "
            "${DATABASE_URL}) or pass --url"
        )
    # turso migrations use libSQL's ALTER COLUMN, which stdlib sqlite3 cannot run
    local_turso = config.dialect == "turso" and config.url.split(":", 1)[0].lower() in ("sqlite", "file")
    try:
        return mizzle.connect(config.url, driver="libsql") if local_turso else mizzle.connect(config.url)
    except MizzleError:
        raise
    except Exception as exc:  # the driver's own error (file not found, refused connection, bad credentials)
        raise ConnectError(
            f"cannot open the database {redact(config.url)} (url from {config.source}): {type(exc).__name__}: {exc}"
        ) from exc


def table_row_count(db: Database, table: str) -> int:
    """`SELECT count(*)` of a table by name."""
    rows: list[Any] = db.execute(SQL("SELECT count(*) FROM {}", SQL.identifier(table)))
    return int(rows[0][0])


__all__ = ["ConnectError", "connect_config", "db_dialect", "introspect", "introspect_config", "table_row_count"]
