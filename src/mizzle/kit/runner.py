"""The one migration runner skeleton: tracking table, locks and script execution, with per-dialect hooks.

`kit.migrator` drives a `ScriptRunner` (what is pending, targets, progress); each kit dialect subclasses it
(`kit/dialects/<d>/migrate.py`) and fills in its hooks:

* tracking — `tracking_ddl()` (drizzle-orm's CREATE text), `tracking_table()` (its qualified name),
  `order_column` (ties between equal `created_at`); `applied()`, `record()`, `unrecord()` are generic;
* locking — `session()` is held for a whole run (MySQL: `GET_LOCK`); `transaction()` is one script's
  transaction with its lock taken (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: `pg_advisory_xact_lock`);
* scripts — `statements(chunks)` splits a file; `run_script()` runs one script and then `finish()` (its
  tracking row). By default, where DDL is transactional: `transaction()`, `precheck()`, `before_script()`,
  `run_statement()` for each statement, `after_script()` checks, `finish()`, COMMIT — all or nothing. Where DDL
  auto-commits, the dialect overrides `run_script` (MySQL: per-statement resume, each step through `run_step`).
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from mizzle.errors import DatabaseError, MigrationError, MizzleError
from mizzle.sql.chunks import SQL

MIGRATIONS_TABLE = "__drizzle_migrations"


@dataclass(frozen=True, slots=True)
class AppliedRow:
    """A row of `__drizzle_migrations`."""

    hash: str
    created_at: int


@dataclass(frozen=True, slots=True)
class ScriptKey:
    """Which migration a script belongs to (for resumable runners' progress rows)."""

    tag: str
    hash: str
    when: int
    direction: str = "up"


def split_sql(chunk: str) -> list[str]:
    """Split a chunk into complete SQL statements (a chunk may hold several when breakpoints are off)."""
    out: list[str] = []
    buf = ""
    for part in chunk.split(";"):
        buf += part + ";"
        if sqlite3.complete_statement(buf):
            out.append(buf)
            buf = ""
    rest = (buf[:-1] if buf.endswith(";") else buf)
    if rest.strip():
        out.append(rest)
    return [s for s in out if has_code(s)]


def has_code(stmt: str) -> bool:
    """Whether a statement holds anything but whitespace and comments."""
    text = re.sub(r"--[^\n]*", "", stmt)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return bool(text.strip().strip(";").strip())


class ScriptRunner:
    """Runs migration scripts on one connection; subclasses fill in the dialect's hooks (see the module doc)."""

    order_column: ClassVar[str] = "id"

    def __init__(self, db: Any, table: str = MIGRATIONS_TABLE) -> None:
        self.db = db
        self.table = table
        self.resumed: list[str] = []
        """Tags whose interrupted run was continued (resumable runners)."""
        self.notes: list[str] = []
        """What a resumable runner decided on its own (an in-flight statement found already applied)."""

    def q(self, text: str | SQL[Any], *args: Any) -> list[tuple[Any, ...]]:
        """Run one statement."""
        rows: list[tuple[Any, ...]] = self.db.execute(text, *args)
        return rows

    # ---- tracking ---------------------------------------------------------------------------

    def tracking_table(self) -> SQL[Any]:
        """The tracking table's (qualified) name."""
        return SQL.identifier(self.table)

    def tracking_ddl(self) -> list[str]:
        """The statements creating the tracking table(s) if missing (drizzle-orm's text)."""
        raise NotImplementedError

    def ensure_table(self) -> None:
        """Create the tracking table(s) if missing."""
        for text in self.tracking_ddl():
            self.q(text)

    def has_table(self) -> bool:
        """Whether the tracking table exists (nothing was ever migrated when it does not)."""
        try:
            self.q(SQL("SELECT 1 FROM {} WHERE 1 = 0", self.tracking_table()))
        except DatabaseError:
            return False
        return True

    def applied(self) -> list[AppliedRow]:
        """The tracking rows, oldest first."""
        rows = self.q(SQL("SELECT hash, created_at FROM {} ORDER BY created_at, {}", self.tracking_table(),
                          SQL.raw(self.order_column)))
        return [AppliedRow(str(h), int(c) if c is not None else 0) for h, c in rows]

    def record(self, hash: str, when: int) -> None:
        """Insert the tracking row of an applied migration."""
        self.q(SQL("INSERT INTO {} ({}, {}) VALUES ({}, {})", self.tracking_table(), SQL.identifier("hash"),
                   SQL.identifier("created_at"), hash, when))

    def unrecord(self, hash: str, when: int) -> None:
        """Delete the tracking row of a reverted migration."""
        self.q(SQL("DELETE FROM {} WHERE hash = {} AND created_at = {}", self.tracking_table(), hash, when))

    # ---- locking ----------------------------------------------------------------------------

    @contextlib.contextmanager
    def session(self) -> Generator[None, None, None]:
        """Held for a whole migrate / migrate_to run (default: nothing; per-script locks suffice)."""
        yield

    def transaction(self) -> contextlib.AbstractContextManager[Any]:
        """One script's transaction, its migration lock taken."""
        return self.db.transaction()  # type: ignore[no-any-return]

    # ---- scripts ----------------------------------------------------------------------------

    def statements(self, chunks: Sequence[str]) -> list[str]:
        """The statements of a migration file's chunks, in order."""
        return [s for chunk in chunks for s in split_sql(chunk)]

    def run_script(self, label: str, statements: Sequence[str], finish: Callable[[], None],
                   precheck: Callable[[], bool] | None = None, key: ScriptKey | None = None) -> bool:
        """Run `statements` then `finish()` atomically; False when `precheck()` says it was done meanwhile."""
        with self.transaction():
            if precheck is not None and not precheck():
                return False
            state = self.before_script(statements)
            for i, stmt in enumerate(statements):
                self.run_statement(label, i, stmt)
            self.after_script(label, statements, state)
            finish()
        return True

    def before_script(self, statements: Sequence[str]) -> Any:
        """Hook: what to remember before a script runs (passed to `after_script`)."""
        return None

    def run_statement(self, label: str, index: int, statement: str) -> None:
        """Hook: run one statement of a transactional script; a failure rolls the script back."""
        try:
            self.q(statement)
        except MizzleError as exc:
            raise MigrationError(
                f"{label}: statement failed, migration rolled back: {exc}{self.failure_hint(statement, exc)}"
                f"{exists_hint(exc)}"
            ) from exc

    def failure_hint(self, statement: str, exc: MizzleError) -> str:
        """Hook: a hint appended to a failed statement's message."""
        return ""

    def after_script(self, label: str, statements: Sequence[str], state: Any) -> None:
        """Hook: checks before COMMIT (raise MigrationError to roll the script back)."""


def exists_hint(exc: BaseException) -> str:
    """For "already exists" / "duplicate column" failures: the usual cause (the change was made outside migrations)."""
    text = str(exc).lower()
    if "already exists" not in text and "duplicate column" not in text:
        return ""
    return ("\n  the database already has what this migration creates: was it applied by `mizzle push` or by hand? "
            "push changes a database without recording migrations, so do not mix push and migrate on one database "
            "(recreate it from the migrations, or adopt it with `mizzle pull --init`)")


__all__ = ["MIGRATIONS_TABLE", "AppliedRow", "ScriptKey", "ScriptRunner", "exists_hint", "has_code", "split_sql"]
