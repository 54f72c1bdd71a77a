"""drizzle-orm 1.0's PostgreSQL tracking table (`pg-core/async/session.js`, `up-migrations/pg.js`, rc.5)."""

from __future__ import annotations

from typing import Any

from mizzle.kit.tracking_v1 import TrackingV1
from mizzle.sql.chunks import SQL


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class PgTrackingV1(TrackingV1):
    """`"drizzle"."__drizzle_migrations"` with `name text` and `applied_at timestamptz DEFAULT now()`."""

    @property
    def schema(self) -> str:
        """The tracking schema (`drizzle`)."""
        return str(getattr(self.runner, "schema", "drizzle"))

    def ref(self) -> SQL[Any]:
        """`"drizzle"."__drizzle_migrations"`."""
        return SQL("{}.{}", SQL.identifier(self.schema), SQL.identifier(self.table))

    def create_ddl(self) -> list[str]:
        """drizzle-orm 1.0's CREATE SCHEMA and CREATE TABLE text."""
        return [f"CREATE SCHEMA IF NOT EXISTS {_q(self.schema)}",
                f"\n\t\t\tCREATE TABLE IF NOT EXISTS {_q(self.schema)}.{_q(self.table)} (\n"
                "\t\t\t\tid SERIAL PRIMARY KEY,\n\t\t\t\thash text NOT NULL,\n\t\t\t\tcreated_at bigint,\n"
                "\t\t\t\tname text,\n\t\t\t\tapplied_at timestamp with time zone DEFAULT now()\n\t\t\t)\n\t\t"]

    def exists(self) -> bool:
        """information_schema.tables."""
        return bool(self.q(SQL("SELECT 1 FROM information_schema.tables WHERE table_schema = {} AND table_name = {}",
                               self.schema, self.table)))

    def columns(self) -> list[str]:
        """information_schema.columns."""
        return [str(r[0]) for r in self.q(SQL(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = {} AND table_name = {}",
            self.schema, self.table))]

    def add_columns(self) -> list[str]:
        """`ADD COLUMN IF NOT EXISTS "name" text`, `... "applied_at" timestamp with time zone DEFAULT now()`."""
        ref = f"{_q(self.schema)}.{_q(self.table)}"
        return [f'ALTER TABLE {ref} ADD COLUMN IF NOT EXISTS "name" text',
                f'ALTER TABLE {ref} ADD COLUMN IF NOT EXISTS "applied_at" timestamp with time zone DEFAULT now()']
