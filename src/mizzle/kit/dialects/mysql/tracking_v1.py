"""drizzle-orm 1.0's MySQL tracking table (`mysql-core/async/session.js`, `up-migrations/mysql.js`, rc.5)."""

from __future__ import annotations

from mizzle.kit.tracking_v1 import TrackingV1
from mizzle.sql.chunks import SQL


def _q(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


class MySQLTrackingV1(TrackingV1):
    """`name TEXT`, `applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP`."""

    def create_ddl(self) -> list[str]:
        """drizzle-orm 1.0's CREATE TABLE text."""
        return [f"\n\t\t\tCREATE TABLE IF NOT EXISTS {_q(self.table)} (\n\t\t\t\tid SERIAL PRIMARY KEY,\n"
                "\t\t\t\thash TEXT NOT NULL,\n\t\t\t\tcreated_at BIGINT,\n\t\t\t\tname TEXT,\n"
                "\t\t\t\tapplied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP\n\t\t\t)\n\t\t"]

    def support_ddl(self) -> list[str]:
        """mizzle's progress table of resumable migrations."""
        from mizzle.kit.dialects.mysql.migrator import progress_table_sql

        return [progress_table_sql(self.runner.progress_table)]

    def exists(self) -> bool:
        """information_schema.tables of the current database."""
        return bool(self.q(SQL("SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND "
                               "table_name = {}", self.table)))

    def columns(self) -> list[str]:
        """information_schema.columns of the current database."""
        return [str(r[0]) for r in self.q(SQL(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = {}",
            self.table))]

    def add_columns(self) -> list[str]:
        """``ADD `name` text``, ``ADD `applied_at` TIMESTAMP DEFAULT CURRENT_TIMESTAMP``."""
        ref = _q(self.table)
        return [f"ALTER TABLE {ref} ADD `name` text",
                f"ALTER TABLE {ref} ADD `applied_at` TIMESTAMP DEFAULT CURRENT_TIMESTAMP"]
