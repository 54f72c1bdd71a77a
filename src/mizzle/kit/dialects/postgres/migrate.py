"""Apply a migrations folder to PostgreSQL, compatible with drizzle-orm's `pg-core` migrator.

Same tracking table as drizzle-orm (`"drizzle"."__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text
NOT NULL, created_at bigint)`, same rows), and safer:

* each migration runs in its own transaction (PostgreSQL DDL is transactional: all of it or none);
* every transaction first takes `pg_advisory_xact_lock` and re-reads the applied rows under it, so two
  processes migrating at once apply each migration exactly once (drizzle has no lock, drizzle-orm #874);
* every migration the database lacks is applied (the generic pure planner `kit.migrator.plan`), and
  a database migration missing from the folder or an edited file is refused.

A migration containing `CREATE INDEX CONCURRENTLY` (which PostgreSQL refuses inside a transaction) runs
statement by statement outside a transaction; it is recorded only after its last statement succeeded.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from mizzle.errors import MigrationError, MizzleError
from mizzle.kit.journal import MigrationFile, read_migrations, read_sql, split_statements
from mizzle.kit.migrator import (
    MIGRATIONS_TABLE,
    AppliedRow,
    MigrateResult,
    MigrationEvent,
    Progress,
    plan,
    read_down,
)
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


def has_code(chunk: str) -> bool:
    """Whether a chunk holds anything but whitespace and comments."""
    text = re.sub(r"--[^\n]*", "", chunk)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return bool(text.strip().strip(";").strip())


class PgRunner:
    """Runs migration scripts on a PostgreSQL `Database`, each atomically under the advisory lock."""

    def __init__(self, db: Any, table: str = MIGRATIONS_TABLE, schema: str = MIGRATIONS_SCHEMA) -> None:
        self.db = db
        self.table = table
        self.schema = schema
        self.key = lock_key(schema, table)
        self.ref = f"{_q(schema)}.{_q(table)}"

    def q(self, text: str | SQL[Any], *args: Any) -> list[tuple[Any, ...]]:
        """Run one statement."""
        rows: list[tuple[Any, ...]] = self.db.execute(text, *args)
        return rows

    def lock(self) -> None:
        """Take the transaction-scoped advisory lock (released at COMMIT/ROLLBACK)."""
        self.q(f"SELECT pg_advisory_xact_lock({self.key})")

    def ensure_table(self) -> None:
        """Create the tracking schema and table (under the lock: concurrent CREATE ... IF NOT EXISTS can race)."""
        with self.db.transaction():
            self.lock()
            self.q(create_schema_sql(self.schema))
            self.q(create_table_sql(self.schema, self.table))

    def applied(self) -> list[AppliedRow]:
        """The tracking rows, oldest first."""
        rows = self.q(f"SELECT hash, created_at FROM {self.ref} ORDER BY created_at, id")
        return [AppliedRow(str(h), int(c)) for h, c in rows]

    def run_script(self, label: str, statements: Sequence[str], track: Callable[[], None],
                   precheck: Callable[[], bool] | None = None) -> bool:
        """Run `statements` then `track()` atomically; False when `precheck()` says it was done meanwhile."""
        if any(_CONCURRENTLY.search(s) for s in statements):
            return self._run_outside(label, statements, track, precheck)
        with self.db.transaction():
            self.lock()
            if precheck is not None and not precheck():
                return False
            for stmt in statements:
                try:
                    self.q(stmt)
                except MizzleError as exc:
                    raise MigrationError(f"{label}: statement failed, migration rolled back: {exc}") from exc
            track()
        return True

    def _run_outside(self, label: str, statements: Sequence[str], track: Callable[[], None],
                     precheck: Callable[[], bool] | None) -> bool:
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
            track()
            return True
        finally:
            self.q(f"SELECT pg_advisory_unlock({self.key})")


def script_statements(chunks: Sequence[str]) -> list[str]:
    """The non-empty chunks of a migration (each sent as one query, as drizzle-orm does)."""
    return [c for c in chunks if has_code(c)]


def migrate_pg(
    db: Any,
    folder: str | Path,
    *,
    table: str = MIGRATIONS_TABLE,
    schema: str = MIGRATIONS_SCHEMA,
    progress: Progress | None = None,
) -> MigrateResult:
    """Apply every migration of `folder` the database lacks, in journal order, each in its own transaction."""
    if getattr(db, "in_transaction", False):
        raise MigrationError("migrate() needs a connection outside any transaction (it manages its own)")
    started = time.perf_counter()
    migrations = read_migrations(folder)
    runner = PgRunner(db, table, schema)
    runner.ensure_table()
    result = MigrateResult()
    pending = plan(migrations, runner.applied())
    total = len(pending)
    result.already_applied = len(migrations) - total
    if progress is not None:
        progress(MigrationEvent("start", total=total))
    while pending:
        m = pending[0]
        t0 = time.perf_counter()

        def precheck(m: MigrationFile = m) -> bool:
            return m.tag in {x.tag for x in plan(migrations, runner.applied())}

        def track(m: MigrationFile = m) -> None:
            runner.q(SQL(f'INSERT INTO {runner.ref} ("hash", "created_at") VALUES ({{}}, {{}})', m.hash, m.when))

        if runner.run_script(m.path.name, script_statements(m.chunks), track, precheck):
            result.applied.append(m.tag)
            if progress is not None:
                progress(MigrationEvent("applied", m.tag, len(result.applied), total, time.perf_counter() - t0))
        else:
            result.already_applied += 1
        pending = plan(migrations, runner.applied())
    result.seconds = time.perf_counter() - started
    if progress is not None:
        progress(MigrationEvent("done", total=total, seconds=result.seconds))
    return result


def migrate_to_pg(
    db: Any,
    folder: str | Path,
    target: str | int,
    *,
    force: bool = False,
    table: str = MIGRATIONS_TABLE,
    schema: str = MIGRATIONS_SCHEMA,
    progress: Progress | None = None,
) -> MigrateResult:
    """Revert applied migrations after `target` with their down scripts, newest first, each atomically."""
    started = time.perf_counter()
    migrations = read_migrations(folder)
    tags = [m.tag for m in migrations]
    if isinstance(target, int):
        keep = target
        if not -1 <= keep < len(migrations):
            raise MigrationError(f"--to {target}: expected an index between -1 and {len(migrations) - 1}")
    elif target in tags:
        keep = tags.index(target)
    elif target.isdigit() and int(target) < len(migrations):
        keep = int(target)
    else:
        raise MigrationError(f"--to {target!r}: no such migration in {folder} (tags: {', '.join(tags)})")
    runner = PgRunner(db, table, schema)
    runner.ensure_table()
    pending = {m.tag for m in plan(migrations, runner.applied())}
    to_revert = [m for m in migrations[keep + 1:] if m.tag not in pending][::-1]
    downs = [(m, read_down(folder, m.tag)) for m in to_revert]
    refused = [(m, d) for m, d in downs if (d.lossy or d.irreversible)]
    if refused and not force:
        lines = [f"  {m.tag}: " + "; ".join(d.irreversible + d.lossy) for m, d in refused]
        raise MigrationError("refusing to revert without force=True (--force):\n" + "\n".join(lines))
    result = MigrateResult(already_applied=len(migrations) - len(pending))
    for i, (m, d) in enumerate(downs, 1):
        t0 = time.perf_counter()

        def untrack(m: MigrationFile = m) -> None:
            runner.q(SQL(f"DELETE FROM {runner.ref} WHERE hash = {{}} AND created_at = {{}}", m.hash, m.when))

        statements = script_statements(split_statements(read_sql(d.path)))
        runner.run_script(d.path.name, statements, untrack)
        result.reverted.append(m.tag)
        if progress is not None:
            progress(MigrationEvent("reverted", m.tag, i, len(downs), time.perf_counter() - t0))
    result.seconds = time.perf_counter() - started
    return result


__all__ = [
    "MIGRATIONS_SCHEMA",
    "PgRunner",
    "create_schema_sql",
    "create_table_sql",
    "has_code",
    "lock_key",
    "migrate_pg",
    "migrate_to_pg",
    "script_statements",
]
