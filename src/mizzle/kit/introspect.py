"""Introspect a live database into a snapshot (the dialect-specific work lives in `kit/dialects/*`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mizzle.errors import ConfigError, MigrationError, MizzleError
from mizzle.kit.config import KitConfig
from mizzle.kit.dialects import kit_dialect, kit_dialect_of
from mizzle.kit.snapshot import Snapshot
from mizzle.session.sync import Database
from mizzle.sql.chunks import SQL
from mizzle.url import redact


def db_dialect(db: Database) -> str:
    """The kit dialect name of a connected database ("sqlite", "postgresql", "mysql")."""
    return kit_dialect_of(db).name


def introspect(
    db: Database,
    *,
    include: Callable[[str], bool] | None = None,
    migrations_table: str = "__drizzle_migrations",
) -> Snapshot:
    """The snapshot of the tables of `db` that `include(name)` keeps (migrations table excluded)."""
    return kit_dialect_of(db).introspect(db, include=include, migrations_table=migrations_table)


def introspect_config(db: Database, config: KitConfig) -> Snapshot:
    """`introspect` honouring the config's `tables_filter` and `migrations_table`."""
    return introspect(db, include=config.table_included, migrations_table=config.migrations_table)


class ConnectError(MigrationError):
    """The configured database could not be opened."""

    hint = "check the config's `url` (or the --url flag): the path or host, the credentials, that the server runs"


def connect_config(config: KitConfig) -> Database:
    """Open the database named by the config's `url` (a local file through libSQL for dialect "turso")."""
    if not config.url:
        raise MigrationError(
            f"no database url in {config.source}: add `url = \"...\"` (e.g. sqlite:///app.db or "
            "${DATABASE_URL}) or pass --url"
        )
    try:
        return kit_dialect(config.dialect).connect(config.url)
    except (ConfigError, MigrationError):
        raise
    except MizzleError as exc:  # the driver said why (refused connection, bad credentials, no such database)
        raise ConnectError(f"cannot open the database {redact(config.url)} (url from {config.source}): {exc}") from exc
    except Exception as exc:  # the driver's own error (file not found, refused connection, bad credentials)
        raise ConnectError(
            f"cannot open the database {redact(config.url)} (url from {config.source}): {type(exc).__name__}: {exc}"
        ) from exc


def table_row_count(db: Database, table: str) -> int:
    """`SELECT count(*)` of a table by name."""
    rows: list[Any] = db.execute(SQL("SELECT count(*) FROM {}", SQL.identifier(table)))
    return int(rows[0][0])


__all__ = ["ConnectError", "connect_config", "db_dialect", "introspect", "introspect_config", "table_row_count"]
