"""The MySQL/MariaDB kit dialect: drizzle-kit's mysql snapshots and DDL, resumable per-statement migrations."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Generator, Sequence
from typing import TYPE_CHECKING, Any, cast

from mizzle.kit.dialects.base import KitDialect, server_scratch
from mizzle.kit.dialects.mysql import convert
from mizzle.kit.dialects.mysql.codegen import generate_module
from mizzle.kit.dialects.mysql.from_schema import mysql_snapshot
from mizzle.kit.dialects.mysql.introspect import introspect_mysql
from mizzle.kit.dialects.mysql.migrator import MySQLRunner
from mizzle.kit.dialects.mysql.push import MySQLChecker, comparable
from mizzle.kit.dialects.mysql.snapshot import MySQLSnapshot
from mizzle.sql.chunks import SQL

if TYPE_CHECKING:
    from mizzle.kit.codegen import CodegenOptions
    from mizzle.kit.diff import Diff
    from mizzle.kit.push import Checker
    from mizzle.kit.runner import ScriptRunner
    from mizzle.kit.snapshot import Snapshot
    from mizzle.kit.tracking_v1 import TrackingV1
    from mizzle.kit.up import SnapshotUpgrade
    from mizzle.schema.table import Table
    from mizzle.session.sync import Database


class MySQLKit(KitDialect):
    """MySQL and MariaDB."""

    name = "mysql"
    title = "MySQL/MariaDB"
    snapshot_dialect = "mysql"
    schema_module = "mizzle.mysql"

    def snapshot_class(self) -> type[Snapshot]:
        """`MySQLSnapshot` (version 5)."""
        return MySQLSnapshot

    def snapshot(self, tables: Sequence[type[Table]]) -> Snapshot:
        """drizzle-kit's `generateMySqlSnapshot`."""
        return mysql_snapshot(tables)

    def push_target(self, tables: Sequence[type[Table]]) -> Snapshot:
        """As introspection reports it (unique indexes as unique constraints)."""
        return comparable(mysql_snapshot(tables))

    def convertor(self) -> Any:
        """`kit.dialects.mysql.convert`."""
        return convert

    def introspect(self, db: Database, *, include: Callable[[str], bool] | None = None,
                   migrations_table: str = "__drizzle_migrations") -> Snapshot:
        """`information_schema`."""
        return introspect_mysql(db.execute, include=include, migrations_table=migrations_table)

    def view_names(self, db: Database) -> list[str]:
        """`information_schema.views` of the current database."""
        return [r[0] for r in db.execute(
            "SELECT table_name FROM information_schema.views WHERE table_schema = database() ORDER BY table_name")]

    def checker(self, db: Database, d: Diff) -> Checker:
        """The generic checks with MySQL's range checks."""
        return MySQLChecker(db, d)

    def generate_module(self, snapshot: Snapshot, options: CodegenOptions | None = None) -> str:
        """A `mizzle.mysql` module."""
        return generate_module(cast(Any, snapshot), options if options is not None and options.header else None)

    def runner(self, db: Database, table: str) -> ScriptRunner:
        """Per-statement resume under `GET_LOCK` (MySQL DDL auto-commits)."""
        return MySQLRunner(db, table)

    def snapshot_upgrade_v1(self) -> SnapshotUpgrade | None:
        """Version 5 -> 6, as drizzle-kit 1.0's `up` (`kit/dialects/mysql/snapshot_v6.py`)."""
        from mizzle.kit.dialects.mysql.snapshot_v6 import upgrade

        return upgrade

    def tracking_v1(self, runner: ScriptRunner) -> TrackingV1:
        """drizzle-orm 1.0's tracking table."""
        from mizzle.kit.dialects.mysql.tracking_v1 import MySQLTrackingV1

        return MySQLTrackingV1(runner)

    def reset(self, db: Database, tables: Sequence[type[Table]], order: Sequence[type[Table]]) -> dict[str, int]:
        """DELETE with `foreign_key_checks` off, then `AUTO_INCREMENT = 1`."""
        deleted: dict[str, int] = {}
        db.execute("SET foreign_key_checks = 0")
        try:
            with db.transaction():
                for t in reversed(order):
                    name = t.__table__.name
                    deleted[name] = int(db.execute(SQL("SELECT count(*) FROM {}", SQL.identifier(name)))[0][0])
                    db.execute(SQL("DELETE FROM {}", SQL.identifier(name)))
            for t in order:
                db.execute(SQL("ALTER TABLE {} AUTO_INCREMENT = 1", SQL.identifier(t.__table__.name)))
        finally:
            db.execute("SET foreign_key_checks = 1")
        return deleted

    @contextlib.contextmanager
    def scratch(self, url: str) -> Generator[Database, None, None]:
        """`CREATE DATABASE mizzle_scratch_<random>` on `url`'s server, dropped afterwards."""
        with server_scratch(self, url, "drop database if exists {}") as db:
            yield db


DIALECT = MySQLKit()

__all__ = ["DIALECT", "MySQLKit"]
