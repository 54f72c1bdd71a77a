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
* a data statement (INSERT/UPDATE/DELETE/REPLACE) runs in one transaction with its progress record:
  after a crash it is either committed and recorded, or not applied at all — never run twice;
* if the process died while a DDL statement was in flight, that statement is run again; an error that
  says its effect is already there (table/column/index exists or is gone) counts as done;
* the tracking row (`__drizzle_migrations`, the same table and rows as drizzle-orm's MySQL migrator)
  is inserted and the progress row deleted in one transaction, after the last statement;
* `GET_LOCK` serialises concurrent `migrate` calls; the pending list is re-read under the lock.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Any

from mizzle.errors import MigrationError, MizzleError
from mizzle.kit.runner import MIGRATIONS_TABLE, ScriptKey, ScriptRunner
from mizzle.sql.chunks import SQL
from mizzle.sql.identifiers import quote_identifier

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
        f"\n\t\t\tcreate table if not exists {quote_identifier(table, '`')} (\n\t\t\t\tid serial primary key,\n"
        "\t\t\t\thash text not null,\n\t\t\t\tcreated_at bigint\n\t\t\t)\n\t\t"
    )


def progress_table_sql(table: str = PROGRESS_TABLE) -> str:
    """DDL of the per-statement progress table."""
    return (
        f"create table if not exists {quote_identifier(table, '`')} (\n"
        "  `id` varchar(80) not null primary key,\n"
        "  `tag` varchar(255) not null,\n"
        "  `direction` varchar(4) not null,\n"
        "  `created_at` bigint not null,\n"
        "  `total` int not null,\n"
        "  `done` int not null,\n"
        "  `running` int null,\n"
        "  `updated_at` timestamp(3) not null default current_timestamp(3) on update current_timestamp(3)\n"
        ") engine = InnoDB"  # transactional: a data statement and its progress record commit together
    )


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


class MySQLRunner(ScriptRunner):
    """Statement-by-statement execution with progress rows, on one connection holding `GET_LOCK`."""

    def __init__(self, db: Any, table: str = MIGRATIONS_TABLE, progress_table: str = PROGRESS_TABLE,
                 lock_timeout: float = LOCK_TIMEOUT) -> None:
        super().__init__(db, table)
        self.progress_table = progress_table
        self.lock_timeout = lock_timeout
        self.lock_name = ""

    def tracking_ddl(self) -> list[str]:
        """drizzle-orm's tracking table and mizzle's progress table."""
        return [tracking_table_sql(self.table), progress_table_sql(self.progress_table)]

    # ---- lock ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def session(self) -> Generator[None, None, None]:
        """`GET_LOCK('mizzle_migrate:<database>')` for the whole run (the pending list is read under it)."""
        self.lock(self.lock_timeout)
        try:
            yield
        finally:
            self.unlock()

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

    def run_script(self, label: str, statements: Sequence[str], finish: Callable[[], None],
                   precheck: Callable[[], bool] | None = None, key: ScriptKey | None = None) -> bool:
        """Run `statements` from where a previous run stopped, each step recorded; then `finish()` atomically.

        Without a `key` (push, `run_script`) nothing is recorded: statements run in order, the first failure stops.
        """
        if precheck is not None and not precheck():
            return False
        if key is None:
            for i, stmt in enumerate(statements):
                self.run_step(None, i, stmt, label, len(statements), None)
            finish()
            return True
        row_id = f"{key.direction}:{key.hash}"
        rows = [r for r in self.progress_rows() if r.direction == key.direction and r.created_at == key.when]
        row = next((r for r in rows if r.id == row_id), None)
        stale = [r for r in rows if r.id != row_id]
        if stale:
            r = stale[0]
            raise MigrationError(
                f"{label}: a different version of this migration was partially applied ({r.done} of {r.total} "
                f"statements; recorded hash {r.id.partition(':')[2][:12]}…, the file now hashes to {key.hash[:12]}…). "
                "Restore the file as it was (git checkout) and migrate to finish it, or repair the database by hand "
                f"and delete that row from `{self.progress_table}`"
            )
        total = len(statements)
        start = 0
        in_flight: int | None = None
        if row is None:
            self.q(SQL("insert into {} (id, tag, direction, created_at, total, done, running) "
                       "values ({}, {}, {}, {}, {}, 0, null)", SQL.identifier(self.progress_table),
                       row_id, key.tag, key.direction, key.when, total))
        else:
            if row.total != total:
                raise MigrationError(f"{label}: the progress row records {row.total} statements but the file has "
                                     f"{total}; delete its row from `{self.progress_table}` after checking the database")
            start = row.done
            in_flight = row.running
            self.verify_done(label, statements, start)
            self.resumed.append(key.tag)
        for i in range(start, total):
            self.run_step(row_id, i, statements[i], label, total, in_flight)
        with self.db.transaction():
            finish()
            self.q(SQL("delete from {} where id = {}", SQL.identifier(self.progress_table), row_id))
        return True

    def run_step(self, row_id: str | None, i: int, stmt: str, label: str, total: int, in_flight: int | None) -> None:
        """Run statement `i` (0-based) and record it in progress row `row_id` (None: nothing is recorded).

        A data statement (INSERT/UPDATE/DELETE/REPLACE) runs in one transaction with its progress record, so a
        crash leaves it either committed and recorded or not applied at all: it is never run twice. DDL commits
        on its own: it is marked in flight first, and after a crash its effect is checked before it runs again.
        """
        if row_id is not None and is_dml(stmt):
            self.run_dml_step(row_id, i, stmt, label, total, in_flight)
            return
        if row_id is not None:
            self._set(row_id, running=i)
        try:
            self.q(stmt)
        except MizzleError as exc:
            code = error_code(exc)
            if i == in_flight and code in ALREADY_DONE:
                self.notes.append(
                    f"{label}: statement {i + 1} of {total} was in flight when the previous run stopped and its "
                    f"effect is already there (MySQL error {code}); counted as done: {_short(stmt)}"
                )
            elif row_id is None:
                raise MigrationError(
                    f"{label}: statement {i + 1} of {total} failed: {exc}\n    {_short(stmt)}\nMySQL cannot roll "
                    f"back DDL: the {i} statement(s) before it were applied; run {label} again to plan the rest"
                ) from exc
            else:
                self._set(row_id, running=None)
                raise MigrationError(
                    f"{label}: statement {i + 1} of {total} failed: {exc}\n    {_short(stmt)}\n"
                    f"MySQL cannot roll back DDL: the {i} statement(s) before it stay applied and are recorded in "
                    f"`{self.progress_table}`. Fix the cause and run migrate again: it resumes at statement {i + 1}"
                ) from exc
        if row_id is not None:
            self._set(row_id, done=i + 1, running=None)


    def run_dml_step(self, row_id: str, i: int, stmt: str, label: str, total: int, in_flight: int | None) -> None:
        """Run data statement `i` and record it done in the same transaction."""
        if i == in_flight:
            raise MigrationError(
                f"{label}: statement {i + 1} of {total} (a data statement) was in flight when a previous run stopped, "
                f"outside a transaction (an older mizzle): whether it took effect is unknown, and running it again "
                f"could apply it twice.\n    {_short(stmt)}\nCheck the data: if it took effect, set `done` = {i + 1} "
                f"and `running` = NULL in the row {row_id!r} of `{self.progress_table}`; if not, set `running` = NULL; "
                "then migrate again"
            )
        try:
            with self.db.transaction():
                self.q(stmt)
                self._set(row_id, done=i + 1, running=None)
        except MizzleError as exc:
            raise MigrationError(
                f"{label}: statement {i + 1} of {total} failed and was rolled back: {exc}\n    {_short(stmt)}\n"
                f"The {i} statement(s) before it stay applied (MySQL cannot roll back DDL) and are recorded in "
                f"`{self.progress_table}`. Fix the cause and run migrate again: it resumes at statement {i + 1}"
            ) from exc


_DML = re.compile(r"(?:\s+|--[^\n]*(?:\n|$)|#[^\n]*(?:\n|$)|/\*.*?\*/)*(INSERT|UPDATE|DELETE|REPLACE)\b",
                  re.IGNORECASE | re.DOTALL)


def is_dml(stmt: str) -> bool:
    """Whether `stmt` (leading comments skipped) changes rows rather than the schema."""
    return _DML.match(stmt) is not None


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


__all__ = [
    "ALREADY_DONE",
    "LOCK_TIMEOUT",
    "PROGRESS_TABLE",
    "MySQLRunner",
    "ProgressRow",
    "error_code",
    "expected_effects",
    "is_dml",
    "progress_table_sql",
    "tracking_table_sql",
]
