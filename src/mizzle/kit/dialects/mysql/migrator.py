"""Apply a migrations folder to MySQL/MariaDB: resumable, statement by statement, under `GET_LOCK`.

MySQL cannot roll DDL back (every `CREATE`/`ALTER`/`DROP` commits on its own), so a migration that
fails half-way cannot be undone the way SQLite's and PostgreSQL's are. Instead each migration is
made *resumable*:

* `__mizzle_migration_progress` holds one row per migration in progress: how many of its statements
  completed (`done`) and which one is in flight (`running`, set before a statement runs and cleared
  after it is recorded);
* a failed statement stops the migration with a message naming it; what ran before it stays applied
  and recorded; the next `migrate` continues at the failed statement;
* before resuming, the completed statements' visible effects (tables, columns, indexes created,
  dropped or renamed) are checked against the live schema, and a migration whose file changed since
  it was partially applied is refused;
* if the process died while a statement was in flight, that statement is run again; an error that
  says its effect is already there (table/column/index exists or is gone) counts as done;
* the tracking row (`__drizzle_migrations`, the same table and rows as drizzle-orm's MySQL migrator)
  is inserted and the progress row deleted in one transaction, after the last statement;
* `GET_LOCK` serialises concurrent `migrate` calls; the pending list is re-read under the lock.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mizzle.errors import MigrationError, MizzleError
from mizzle.kit.journal import MigrationFile, read_migrations
from mizzle.kit.migrator import (
    MIGRATIONS_TABLE,
    AppliedRow,
    MigrateResult,
    MigrationEvent,
    Progress,
    plan,
    read_down,
    split_sql,
)
from mizzle.sql.chunks import SQL

PROGRESS_TABLE = "__mizzle_migration_progress"
LOCK_TIMEOUT = 60.0
"""Seconds `migrate` waits for another process's migration lock."""

ALREADY_DONE = {
    1050,  # table already exists
    1051,  # unknown table (DROP TABLE)
    1054,  # unknown column (a rename/drop already made)
    1060,  # duplicate column name
    1061,  # duplicate key name
    1068,  # multiple primary key defined
    1091,  # can't DROP ...; check that it exists
    1146,  # table doesn't exist (RENAME TABLE already made)
    1826,  # duplicate foreign key constraint name
    3822,  # duplicate check constraint name (MySQL)
    4031,  # duplicate CHECK constraint name (MariaDB)
}
"""MySQL error codes meaning "the statement's effect is already there" (used only for an in-flight statement)."""


def tracking_table_sql(table: str = MIGRATIONS_TABLE) -> str:
    """drizzle-orm's (mysql-core) DDL for the tracking table, whitespace included."""
    return (
        f"\n\t\t\tcreate table if not exists `{table}` (\n\t\t\t\tid serial primary key,\n"
        "\t\t\t\thash text not null,\n\t\t\t\tcreated_at bigint\n\t\t\t)\n\t\t"
    )


def progress_table_sql(table: str = PROGRESS_TABLE) -> str:
    """DDL of the per-statement progress table."""
    return (
        f"create table if not exists `{table}` (\n"
        "  `id` varchar(80) not null primary key,\n"
        "  `tag` varchar(255) not null,\n"
        "  `direction` varchar(4) not null,\n"
        "  `created_at` bigint not null,\n"
        "  `total` int not null,\n"
        "  `done` int not null,\n"
        "  `running` int null,\n"
        "  `updated_at` timestamp(3) not null default current_timestamp(3) on update current_timestamp(3)\n"
        ")"
    )


@dataclass(slots=True)
class MySQLMigrateResult(MigrateResult):
    """`MigrateResult` plus what was resumed and notes about in-flight statements found already applied."""

    resumed: list[str] = field(default_factory=list[str])
    notes: list[str] = field(default_factory=list[str])


@dataclass(frozen=True, slots=True)
class ProgressRow:
    """A row of the progress table."""

    id: str
    tag: str
    direction: str
    created_at: int
    total: int
    done: int
    running: int | None


def error_code(exc: BaseException) -> int:
    """The MySQL error number behind a mapped mizzle error (0 if unknown)."""
    cause = exc.__cause__
    if cause is not None and getattr(cause, "args", None) and isinstance(cause.args[0], int):
        return int(cause.args[0])
    m = re.search(r"\(MySQL error (\d+)\)", str(exc))
    return int(m.group(1)) if m else 0


def _short(stmt: str) -> str:
    text = " ".join(stmt.split())
    return text if len(text) <= 160 else text[:157] + "..."


class MySQLRunner:
    """Statement-by-statement execution with progress rows, on one connection holding `GET_LOCK`."""

    def __init__(self, db: Any, table: str = MIGRATIONS_TABLE, progress_table: str = PROGRESS_TABLE) -> None:
        self.db = db
        self.table = table
        self.progress_table = progress_table
        self.lock_name = ""

    def q(self, text: str | SQL[Any], *args: Any) -> list[tuple[Any, ...]]:
        """Run one statement (`{}` placeholders bind `args`)."""
        rows: list[tuple[Any, ...]] = self.db.execute(text, *args)
        return rows

    def ensure_tables(self) -> None:
        """Create the tracking and progress tables if missing."""
        self.q(tracking_table_sql(self.table))
        self.q(progress_table_sql(self.progress_table))

    # ---- lock ---------------------------------------------------------------------------

    def lock(self, timeout: float = LOCK_TIMEOUT) -> None:
        """`GET_LOCK('mizzle_migrate:<database>')`, waiting up to `timeout` seconds."""
        (db_name,) = self.q("select database()")[0]
        self.lock_name = f"mizzle_migrate:{db_name}"[:64]
        got = self.q("select get_lock({}, {})", self.lock_name, timeout)[0][0]
        if got != 1:
            raise MigrationError(
                f"another process holds the migration lock {self.lock_name!r} (waited {timeout:g}s); "
                "let it finish, or find it with `select * from information_schema.processlist`"
            )

    def unlock(self) -> None:
        """`RELEASE_LOCK` (errors ignored: the connection may be gone)."""
        if self.lock_name:
            with contextlib.suppress(MizzleError):
                self.q("select release_lock({})", self.lock_name)
            self.lock_name = ""

    # ---- state --------------------------------------------------------------------------

    def applied(self) -> list[AppliedRow]:
        """Rows of the tracking table, oldest first."""
        rows = self.q(SQL("select hash, created_at from {} order by created_at, id", SQL.identifier(self.table)))
        return [AppliedRow(str(h), int(c)) for h, c in rows]

    def progress_rows(self) -> list[ProgressRow]:
        """Every migration in progress."""
        rows = self.q(SQL("select id, tag, direction, created_at, total, done, running from {} order by created_at",
                          SQL.identifier(self.progress_table)))
        return [ProgressRow(str(a), str(b), str(c), int(d), int(e), int(f), None if g is None else int(g))
                for a, b, c, d, e, f, g in rows]

    def _set(self, key: str, **values: Any) -> None:
        cols = list(values)
        sets = ", ".join(f"`{c}` = {{}}" for c in cols)
        self.q(SQL(f"update {{}} set {sets} where id = {{}}", SQL.identifier(self.progress_table),
                   *values.values(), key))

    # ---- verification -------------------------------------------------------------------

    def schema_objects(self) -> tuple[set[str], set[tuple[str, str]], set[tuple[str, str]]]:
        """(tables, (table, column), (table, index)) of the current database."""
        tables = {str(r[0]) for r in self.q(
            "select table_name from information_schema.tables where table_schema = database()")}
        cols = {(str(t), str(c)) for t, c in self.q(
            "select table_name, column_name from information_schema.columns where table_schema = database()")}
        idx = {(str(t), str(i)) for t, i in self.q(
            "select table_name, index_name from information_schema.statistics where table_schema = database()")}
        return tables, cols, idx

    def verify_done(self, label: str, statements: Sequence[str], done: int) -> None:
        """Check the visible effects of the first `done` statements; raise if the database disagrees."""
        expected = expected_effects(statements[:done])
        if not expected:
            return
        tables, cols, idx = self.schema_objects()
        problems: list[str] = []
        for (kind, name), present in expected.items():
            have = (name[0] in tables if kind == "table" else
                    (name[0], name[1]) in cols if kind == "column" else (name[0], name[1]) in idx)
            if have != present:
                what = (f"table {name[0]}" if kind == "table" else
                        f"column {name[0]}.{name[1]}" if kind == "column" else f"index {name[1]} on {name[0]}")
                problems.append(f"{what} should {'exist' if present else 'be gone'} but {'is missing' if present else 'exists'}")
        if problems:
            raise MigrationError(
                f"{label}: cannot resume: the progress table says {done} statement(s) completed, but the database "
                f"does not show their effects ({'; '.join(problems[:5])}). The database was changed or restored "
                f"since the interrupted run. Bring it back to a known state, delete the row of this migration from "
                f"`{self.progress_table}` to start it over, and migrate again"
            )

    # ---- running ------------------------------------------------------------------------

    def run(
        self,
        m: MigrationFile,
        statements: Sequence[str],
        direction: str,
        finish: Callable[[], None],
        result: MySQLMigrateResult,
        label: str | None = None,
    ) -> None:
        """Run `statements` of `m` from where a previous run stopped, recording each; then `finish()` atomically."""
        label = label or m.path.name
        key = f"{direction}:{m.hash}"
        rows = [r for r in self.progress_rows() if r.direction == direction and r.created_at == m.when]
        row = next((r for r in rows if r.id == key), None)
        stale = [r for r in rows if r.id != key]
        if stale:
            r = stale[0]
            raise MigrationError(
                f"{label}: a different version of this migration was partially applied ({r.done} of {r.total} "
                f"statements; recorded hash {r.id.partition(':')[2][:12]}…, the file now hashes to {m.hash[:12]}…). "
                "Restore the file as it was (git checkout) and migrate to finish it, or repair the database by hand "
                f"and delete that row from `{self.progress_table}`"
            )
        total = len(statements)
        start = 0
        in_flight: int | None = None
        if row is None:
            self.q(SQL("insert into {} (id, tag, direction, created_at, total, done, running) "
                       "values ({}, {}, {}, {}, {}, 0, null)", SQL.identifier(self.progress_table),
                       key, m.tag, direction, m.when, total))
        else:
            if row.total != total:
                raise MigrationError(f"{label}: the progress row records {row.total} statements but the file has "
                                     f"{total}; delete its row from `{self.progress_table}` after checking the database")
            start = row.done
            in_flight = row.running
            self.verify_done(label, statements, start)
            result.resumed.append(m.tag)
        for i in range(start, total):
            stmt = statements[i]
            self._set(key, running=i)
            try:
                self.q(stmt)
            except MizzleError as exc:
                code = error_code(exc)
                if i == in_flight and code in ALREADY_DONE:
                    result.notes.append(
                        f"{label}: statement {i + 1} of {total} was in flight when the previous run stopped and its "
                        f"effect is already there (MySQL error {code}); counted as done: {_short(stmt)}"
                    )
                else:
                    self._set(key, running=None)
                    raise MigrationError(
                        f"{label}: statement {i + 1} of {total} failed: {exc}\n    {_short(stmt)}\n"
                        f"MySQL cannot roll back DDL: the {i} statement(s) before it stay applied and are recorded in "
                        f"`{self.progress_table}`. Fix the cause and run migrate again: it resumes at statement {i + 1}"
                    ) from exc
            self._set(key, done=i + 1, running=None)
        with self.db.transaction():
            finish()
            self.q(SQL("delete from {} where id = {}", SQL.identifier(self.progress_table), key))


_NAME = r"`((?:[^`]|``)+)`"
_EFFECTS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"^\s*CREATE TABLE (?:IF NOT EXISTS )?{_NAME}", re.I), "create_table"),
    (re.compile(rf"^\s*DROP TABLE (?:IF EXISTS )?{_NAME}", re.I), "drop_table"),
    (re.compile(rf"^\s*RENAME TABLE {_NAME} TO {_NAME}", re.I), "rename_table"),
    (re.compile(rf"^\s*ALTER TABLE {_NAME} ADD {_NAME}", re.I), "add_column"),
    (re.compile(rf"^\s*ALTER TABLE {_NAME} DROP COLUMN {_NAME}", re.I), "drop_column"),
    (re.compile(rf"^\s*ALTER TABLE {_NAME} RENAME COLUMN {_NAME} TO {_NAME}", re.I), "rename_column"),
    (re.compile(rf"^\s*CREATE (?:UNIQUE )?INDEX {_NAME} ON {_NAME}", re.I), "create_index"),
    (re.compile(rf"^\s*DROP INDEX {_NAME} ON {_NAME}", re.I), "drop_index"),
]


def expected_effects(statements: Sequence[str]) -> dict[tuple[str, tuple[str, ...]], bool]:
    """What `statements` leave visible: (kind, name) -> exists, for the statement shapes drizzle-kit writes."""
    out: dict[tuple[str, tuple[str, ...]], bool] = {}
    for stmt in statements:
        for rx, kind in _EFFECTS:
            m = rx.match(stmt)
            if m is None:
                continue
            g = [x.replace("``", "`") for x in m.groups()]
            if kind == "create_table":
                out[("table", (g[0],))] = True
            elif kind == "drop_table":
                out[("table", (g[0],))] = False
            elif kind == "rename_table":
                out[("table", (g[0],))] = False
                out[("table", (g[1],))] = True
            elif kind == "add_column":
                out[("column", (g[0], g[1]))] = True
            elif kind == "drop_column":
                out[("column", (g[0], g[1]))] = False
            elif kind == "rename_column":
                out[("column", (g[0], g[1]))] = False
                out[("column", (g[0], g[2]))] = True
            elif kind == "create_index":
                out[("index", (g[1], g[0]))] = True
            elif kind == "drop_index":
                out[("index", (g[1], g[0]))] = False
            break
    # a table renamed or dropped later carries its columns and indexes away: only check the ones still there
    gone = {n[0] for (k, n), present in out.items() if k == "table" and not present}
    return {(k, n): p for (k, n), p in out.items() if k == "table" or n[0] not in gone}


def _split(chunks: Sequence[str]) -> list[str]:
    return [s for chunk in chunks for s in split_sql(chunk)]


def migrate_mysql(
    db: Any,
    folder: str | Path,
    *,
    table: str = MIGRATIONS_TABLE,
    progress: Progress | None = None,
    progress_table: str = PROGRESS_TABLE,
    lock_timeout: float = LOCK_TIMEOUT,
) -> MySQLMigrateResult:
    """Apply every migration of `folder` the database lacks, in journal order, resumably (see the module doc)."""
    if getattr(db, "in_transaction", False):
        raise MigrationError("migrate() needs a connection outside any transaction (it manages its own)")
    started = time.perf_counter()
    migrations = read_migrations(folder)
    runner = MySQLRunner(db, table, progress_table)
    runner.ensure_tables()
    result = MySQLMigrateResult()
    runner.lock(lock_timeout)
    try:
        pending = plan(migrations, runner.applied())  # re-read under the lock
        total = len(pending)
        result.already_applied = len(migrations) - total
        if progress is not None:
            progress(MigrationEvent("start", total=total))
        for m in pending:
            t0 = time.perf_counter()

            def finish(m: MigrationFile = m) -> None:
                runner.q(SQL("insert into {} (`hash`, `created_at`) values({}, {})", SQL.identifier(table),
                             m.hash, m.when))

            runner.run(m, _split(m.chunks), "up", finish, result)
            result.applied.append(m.tag)
            if progress is not None:
                progress(MigrationEvent("applied", m.tag, len(result.applied), total, time.perf_counter() - t0))
    finally:
        runner.unlock()
    result.seconds = time.perf_counter() - started
    if progress is not None:
        progress(MigrationEvent("done", total=len(result.applied), seconds=result.seconds))
    return result


def migrate_to_mysql(
    db: Any,
    folder: str | Path,
    target: str | int,
    *,
    force: bool = False,
    table: str = MIGRATIONS_TABLE,
    progress: Progress | None = None,
    progress_table: str = PROGRESS_TABLE,
    lock_timeout: float = LOCK_TIMEOUT,
) -> MySQLMigrateResult:
    """Revert applied migrations after `target` with their down scripts, newest first, resumably."""
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
    runner = MySQLRunner(db, table, progress_table)
    runner.ensure_tables()
    result = MySQLMigrateResult()
    runner.lock(lock_timeout)
    try:
        pending = {m.tag for m in plan(migrations, runner.applied())}
        to_revert = [m for m in migrations[keep + 1:] if m.tag not in pending][::-1]
        downs = [(m, read_down(folder, m.tag)) for m in to_revert]
        refused = [(m, d) for m, d in downs if (d.lossy or d.irreversible)]
        if refused and not force:
            lines = [f"  {m.tag}: " + "; ".join(d.irreversible + d.lossy) for m, d in refused]
            raise MigrationError("refusing to revert without force=True (--force):\n" + "\n".join(lines))
        result.already_applied = len(migrations) - len(pending)
        for i, (m, d) in enumerate(downs, 1):
            t0 = time.perf_counter()

            def untrack(m: MigrationFile = m) -> None:
                runner.q(SQL("delete from {} where hash = {} and created_at = {}", SQL.identifier(table),
                             m.hash, m.when))

            runner.run(m, d.statements, "down", untrack, result, d.path.name)
            result.reverted.append(m.tag)
            if progress is not None:
                progress(MigrationEvent("reverted", m.tag, i, len(downs), time.perf_counter() - t0))
    finally:
        runner.unlock()
    result.seconds = time.perf_counter() - started
    return result


__all__ = [
    "ALREADY_DONE",
    "LOCK_TIMEOUT",
    "PROGRESS_TABLE",
    "MySQLMigrateResult",
    "MySQLRunner",
    "ProgressRow",
    "error_code",
    "expected_effects",
    "migrate_mysql",
    "migrate_to_mysql",
    "progress_table_sql",
    "tracking_table_sql",
]
