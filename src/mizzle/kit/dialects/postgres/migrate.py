"""PostgreSQL hooks of the migration runner, compatible with drizzle-orm's `pg-core` migrator.

Same tracking table as drizzle-orm (`"drizzle"."__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text
NOT NULL, created_at bigint)`, same rows), and safer:

* each migration runs in its own transaction (PostgreSQL DDL is transactional: all of it or none);
* every transaction first takes `pg_advisory_xact_lock` and re-reads the applied rows under it, so two
  processes migrating at once apply each migration exactly once (drizzle has no lock, drizzle-orm #874).

A migration containing `CREATE INDEX CONCURRENTLY` (which PostgreSQL refuses inside a transaction) runs
statement by statement outside a transaction; it is recorded only after its last statement succeeded.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Callable, Generator, Sequence
from typing import Any

from mizzle.errors import MigrationError, MizzleError
from mizzle.kit.runner import MIGRATIONS_TABLE, ScriptKey, ScriptRunner, has_code
from mizzle.sql.chunks import SQL

MIGRATIONS_SCHEMA = "drizzle"
_CONCURRENTLY = re.compile(r"\bCONCURRENTLY\b", re.IGNORECASE)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def lock_key(schema: str, table: str) -> int:
    """The advisory-lock key of a tracking table (a signed 64-bit int derived from its name)."""
    digest = hashlib.sha256(f"mizzle-migrate:{schema}.{table}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def create_schema_sql(schema: str = MIGRATIONS_SCHEMA) -> str:
    """drizzle-orm's `CREATE SCHEMA IF NOT EXISTS "drizzle"`."""
    return f"CREATE SCHEMA IF NOT EXISTS {_q(schema)}"


def create_table_sql(schema: str = MIGRATIONS_SCHEMA, table: str = MIGRATIONS_TABLE) -> str:
    """drizzle-orm's tracking table DDL (`id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint`)."""
    return (
        f"\n\t\t\tCREATE TABLE IF NOT EXISTS {_q(schema)}.{_q(table)} (\n\t\t\t\tid SERIAL PRIMARY KEY,\n"
        "\t\t\t\thash text NOT NULL,\n\t\t\t\tcreated_at bigint\n\t\t\t)\n\t\t"
    )


class PgRunner(ScriptRunner):
    """Each script in its own transaction under the advisory lock (chunks sent whole, as drizzle-orm does)."""

    def __init__(self, db: Any, table: str = MIGRATIONS_TABLE, schema: str = MIGRATIONS_SCHEMA) -> None:
        super().__init__(db, table)
        self.schema = schema
        self.key = lock_key(schema, table)

    def tracking_table(self) -> SQL[Any]:
        """`"drizzle"."__drizzle_migrations"`."""
        return SQL("{}.{}", SQL.identifier(self.schema), SQL.identifier(self.table))

    def tracking_ddl(self) -> list[str]:
        """drizzle-orm's CREATE SCHEMA and CREATE TABLE text."""
        return [create_schema_sql(self.schema), create_table_sql(self.schema, self.table)]

    def ensure_table(self) -> None:
        """Create the tracking schema and table under the lock (concurrent CREATE ... IF NOT EXISTS can race)."""
        with self.transaction():
            super().ensure_table()

    @contextlib.contextmanager
    def transaction(self) -> Generator[None, None, None]:
        """A transaction holding the transaction-scoped advisory lock (released at COMMIT/ROLLBACK)."""
        with self.db.transaction():
            self.q(f"SELECT pg_advisory_xact_lock({self.key})")
            yield

    def statements(self, chunks: Sequence[str]) -> list[str]:
        """The non-empty chunks of a migration (each sent as one query, as drizzle-orm does)."""
        return [c for c in chunks if has_code(c)]

    def run_script(self, label: str, statements: Sequence[str], finish: Callable[[], None],
                   precheck: Callable[[], bool] | None = None, key: ScriptKey | None = None) -> bool:
        """Transactional, except a script with CREATE INDEX CONCURRENTLY (outside a transaction, session lock)."""
        if not any(_CONCURRENTLY.search(s) for s in statements):
            return super().run_script(label, statements, finish, precheck, key)
        self.q(f"SELECT pg_advisory_lock({self.key})")
        try:
            if precheck is not None and not precheck():
                return False
            for i, stmt in enumerate(statements, 1):
                try:
                    self.q(stmt)
                except MizzleError as exc:
                    raise MigrationError(
                        f"{label}: statement {i} of {len(statements)} failed; this migration uses CREATE INDEX "
                        f"CONCURRENTLY, so it ran outside a transaction and statements 1..{i - 1} stay applied: {exc}"
                    ) from exc
            finish()
            return True
        finally:
            self.q(f"SELECT pg_advisory_unlock({self.key})")


__all__ = ["MIGRATIONS_SCHEMA", "PgRunner", "create_schema_sql", "create_table_sql", "lock_key"]
