"""drizzle-orm 1.0's SQLite/libSQL tracking table (`sqlite-core/async/session.js`, `up-migrations/sqlite.js`, rc.5)."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from mizzle.kit.journal import MigrationFile
from mizzle.kit.tracking_v1 import Backfill, TrackingV1
from mizzle.sql.chunks import SQL


def iso_now() -> str:
    """`new Date().toISOString()`: UTC, milliseconds, `Z`."""
    now = datetime.datetime.now(datetime.UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


class SQLiteTrackingV1(TrackingV1):
    """`id INTEGER PRIMARY KEY` (a rowid alias now), `applied_at` TEXT written by the migrator."""

    order_column: ClassVar[str] = "rowid"  # an upgraded 0.x table's `id SERIAL` column is NULL

    def create_ddl(self) -> list[str]:
        """better-sqlite3 migrator's text (SQLite stores it from `CREATE TABLE` on)."""
        name = self.table.replace('"', '""')
        return [f'\n\t\t\tCREATE TABLE IF NOT EXISTS "{name}" (\n\t\t\t\tid INTEGER PRIMARY KEY,\n'
                "\t\t\t\thash text NOT NULL,\n\t\t\t\tcreated_at numeric,\n\t\t\t\tname text,\n"
                "\t\t\t\tapplied_at TEXT\n\t\t\t)"]

    def exists(self) -> bool:
        """`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`."""
        return bool(self.q(SQL("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = {}", self.table)))

    def columns(self) -> list[str]:
        """`pragma_table_info`."""
        return [str(r[0]) for r in self.q(SQL("SELECT name FROM pragma_table_info({})", self.table))]

    def add_columns(self) -> list[str]:
        """`ADD COLUMN "name" text`, `ADD COLUMN "applied_at" TEXT`."""
        ref = '"' + self.table.replace('"', '""') + '"'
        return [f'ALTER TABLE {ref} ADD COLUMN "name" text', f'ALTER TABLE {ref} ADD COLUMN "applied_at" TEXT']

    def backfill(self, b: Backfill) -> SQL[Any]:
        """By `id` when the row has one, else by `created_at` (as text) or `hash`, as drizzle-orm matched it."""
        head = SQL("UPDATE {} SET {} = {}, {} = NULL WHERE ", self.ref(), SQL.identifier("name"), b.name,
                   SQL.identifier("applied_at"))
        if b.by == "id":
            return SQL("{}{} = {}", head, SQL.identifier("id"), b.id)
        if b.by == "millis":
            return SQL("{}{} = {}", head, SQL.identifier("created_at"), b.created_at)
        return SQL("{}{} = {}", head, SQL.identifier("hash"), b.hash)

    def insert(self, m: MigrationFile) -> SQL[Any]:
        """`hash, created_at, name, applied_at` (the time as an ISO string)."""
        return SQL("INSERT INTO {} ({}, {}, {}, {}) VALUES ({}, {}, {}, {})", self.ref(), SQL.identifier("hash"),
                   SQL.identifier("created_at"), SQL.identifier("name"), SQL.identifier("applied_at"), m.hash,
                   m.when, m.tag, iso_now())
