"""Apply a migrations folder: a pure planner plus a short runner over a `Database`.

Compatible with drizzle-orm: the same `__drizzle_migrations` table (same DDL text), the same rows
(`hash` = SHA-256 of the file, `created_at` = the journal's `when`). Safer than drizzle-orm:

* every migration the database lacks is applied (matched by `created_at`, checked by `hash`), so a
  merged branch's older migration is not skipped; a database migration missing from the folder or an
  edited migration (hash mismatch) is refused with a clear message;
* each migration runs in its own transaction (all of its statements or none);
* `BEGIN IMMEDIATE` holds the write lock, and the pending list is re-read under it, so two processes
  migrating at once apply each migration once;
* table rebuilds are FK-safe: `PRAGMA foreign_keys=OFF` runs *outside* the transaction (inside one it
  is a no-op and `ON DELETE CASCADE` empties child tables), `PRAGMA foreign_key_check` runs before
  COMMIT, and row counts of rebuilt tables and of tables referencing them are compared; any
  disagreement rolls the migration back with a report;
* libSQL's in-place `ALTER TABLE t ALTER COLUMN "c" TO "c" ...` (dialect "turso") does not check the
  rows it already holds, so before COMMIT the runner counts NULLs of a column made NOT NULL and runs
  `PRAGMA foreign_key_check` on a column given REFERENCES; violations roll the migration back.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from mizzle.errors import MigrationError, MizzleError
from mizzle.kit import folder_v1
from mizzle.kit.errors import HintedError
from mizzle.kit.journal import MigrationFile, read_migrations, read_sql, split_statements

MIGRATIONS_TABLE = "__drizzle_migrations"
REVERT_HINT = ("pass --force (force=True) to revert anyway and lose that data, or choose a later target; "
               "an irreversible down migration needs its reverse written by hand first")


def create_table_sql(table: str = MIGRATIONS_TABLE) -> str:
    """drizzle-orm's (better-sqlite3) DDL for the tracking table, whitespace included."""
    return (
        f'\n\t\t\tCREATE TABLE IF NOT EXISTS "{table}" (\n\t\t\t\tid SERIAL PRIMARY KEY,\n'
        "\t\t\t\thash text NOT NULL,\n\t\t\t\tcreated_at numeric\n\t\t\t)\n\t\t"
    )


@dataclass(frozen=True, slots=True)
class AppliedRow:
    """A row of `__drizzle_migrations`."""

    hash: str
    created_at: int


def plan(migrations: Sequence[MigrationFile], applied: Sequence[AppliedRow]) -> list[MigrationFile]:
    """The migrations to apply, in journal order (pure: no I/O).

    A row is matched to the folder's migration with the same `created_at` (journal `when`), or the
    same hash. Raises MigrationError for a row no migration matches (the folder lacks it) or whose
    hash differs (the migration file was edited after it was applied).
    """
    by_when: dict[int, MigrationFile] = {}
    for mf in migrations:
        by_when.setdefault(mf.when, mf)
    by_hash = {m.hash: m for m in migrations}
    done: set[str] = set()
    for row in applied:
        m: MigrationFile | None = by_when.get(row.created_at)
        if m is not None and m.hash != row.hash:
            if row.hash in by_hash:
                m = by_hash[row.hash]
            else:
                raise MigrationError(
                    f"migration {m.path.name} was edited after it was applied: the database recorded hash "
                    f"{row.hash[:12]}… (created_at {row.created_at}) but the file now hashes to {m.hash[:12]}…. "
                    "Restore the file (git checkout) and put further changes into a new migration"
                )
        if m is None:
            m = by_hash.get(row.hash)
        if m is None:
            raise MigrationError(
                f"the database has a migration the folder lacks (hash {row.hash[:12]}…, created_at {row.created_at}): "
                "it was applied from another branch or folder. Add that migration to this folder (merge the branch) "
                "before migrating, or point at the right folder"
            )
        done.add(m.tag)
    return [m for m in migrations if m.tag not in done]


@dataclass(frozen=True, slots=True)
class MigrationEvent:
    """A progress report: `kind` is "start", "applied", "reverted" or "done"."""

    kind: Literal["start", "applied", "reverted", "done"]
    tag: str = ""
    index: int = 0
    total: int = 0
    seconds: float = 0.0


@dataclass(slots=True)
class MigrateResult:
    """What a migrate call did."""

    applied: list[str] = field(default_factory=list[str])
    reverted: list[str] = field(default_factory=list[str])
    already_applied: int = 0
    seconds: float = 0.0
    left_pending: int = 0
    """Migrations not applied because they come after the target (`up_to` / `migrate_to`)."""
    target: str = ""
    """The migration the database was brought to (`up_to` / `migrate_to`; "" = the last, or none for -1)."""

    def summary(self) -> str:
        """One line for humans: what changed, then where the database is and what is still pending."""
        n_applied = self.already_applied + len(self.applied)
        word = "later migration" if self.target else "migration"
        later = (f"; {_count(self.left_pending, word)} not applied (`mizzle migrate` applies "
                 f"{'it' if self.left_pending == 1 else 'them'})") if self.left_pending else ""
        nothing = not n_applied and (self.reverted or self.left_pending)
        where = f"at {self.target}" if self.target else ("at no migration" if nothing else "up to date")
        parts: list[str] = []
        if self.reverted:
            parts.append(f"reverted {_count(len(self.reverted), 'migration')}: {', '.join(self.reverted)}")
        if self.applied:
            parts.append(f"applied {_count(len(self.applied), 'migration')}: {', '.join(self.applied)}")
        if not parts:
            if nothing:
                return f"database has no migration applied{later}"
            already = "already " if self.target else ""
            return f"database is {already}{where} ({_count(n_applied, 'migration')} applied){later}"
        return f"{' and '.join(parts)} in {self.seconds:.2f}s; database is {where}{later}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


Progress = Callable[[MigrationEvent], None]

_NEW_TABLE = re.compile(r"CREATE TABLE\s+[`\"\[]?__new_([^`\"\]\s(]+)", re.IGNORECASE)
_FK_PRAGMA = re.compile(r"^\s*PRAGMA\s+foreign_keys\s*=\s*(\w+)\s*;?\s*$", re.IGNORECASE)
_ALTER_COLUMN = re.compile(
    r"^\s*ALTER\s+TABLE\s+[`\"\[]?([^`\"\]\s]+)[`\"\]]?\s+ALTER\s+COLUMN\s+\"([^\"]+)\"\s+TO\s+\"[^\"]+\"(.*)$",
    re.IGNORECASE | re.DOTALL,
)


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
    return [s for s in out if _has_code(s)]


def _has_code(stmt: str) -> bool:
    text = re.sub(r"--[^\n]*", "", stmt)
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return bool(text.strip().strip(";").strip())


def _needs_fk_off(statements: Sequence[str]) -> bool:
    return any(_NEW_TABLE.search(s) or _FK_PRAGMA.match(s) for s in statements)


def _altered_columns(statements: Sequence[str]) -> list[tuple[str, str, bool, bool]]:
    """(table, column, made NOT NULL, given REFERENCES) of each libSQL `ALTER COLUMN` statement."""
    out: list[tuple[str, str, bool, bool]] = []
    for stmt in statements:
        m = _ALTER_COLUMN.match(stmt)
        if m is None:
            continue
        tail = re.sub(r"'(?:[^']|'')*'", "''", m.group(3)).upper()  # ignore quoted defaults
        before_refs = tail.split(" REFERENCES ", 1)[0]
        out.append((m.group(1), m.group(2), " NOT NULL" in before_refs, " REFERENCES " in tail))
    return out


class Runner:
    """SQLite/libSQL execution of one migration script with the FK-safe rebuild checks."""

    def __init__(self, db: Any, table: str) -> None:
        self.db = db
        self.table = table

    def q(self, text: str, *args: Any) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = self.db.execute(text, *args)
        return rows

    def ensure_table(self) -> None:
        self.q(create_table_sql(self.table))

    def applied(self) -> list[AppliedRow]:
        rows = self.q(f'SELECT hash, created_at FROM "{self.table}" ORDER BY created_at, rowid')
        return [AppliedRow(str(h), int(c)) for h, c in rows]

    def tables(self) -> list[str]:
        return [r[0] for r in self.q("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]

    def children(self, parents: set[str]) -> set[str]:
        out: set[str] = set()
        for t in self.tables():
            for row in self.q(f"SELECT * FROM pragma_foreign_key_list('{t.replace(chr(39), chr(39) * 2)}')"):
                if row[2] in parents:
                    out.add(t)
        return out

    def count(self, table: str) -> int:
        return int(self.q(f'SELECT count(*) FROM "{table.replace(chr(34), chr(34) * 2)}"')[0][0])

    def check_altered_columns(self, label: str, statements: Sequence[str]) -> None:
        """Refuse NULLs in a column libSQL made NOT NULL and orphans of a column it gave REFERENCES."""
        for table, column, not_null, references in _altered_columns(statements):
            qt = table.replace(chr(34), chr(34) * 2)
            if not_null:
                # not `IS NULL`: SQLite folds that to false on a column declared NOT NULL
                nulls = self.count_where(qt, f"typeof(\"{column.replace(chr(34), chr(34) * 2)}\") = 'null'")
                if nulls:
                    raise MigrationError(
                        f"{label}: rolled back: {table}.{column} is made NOT NULL but {nulls} row(s) hold NULL "
                        "(libSQL's ALTER COLUMN does not check existing rows); fill them first with a data "
                        "migration (`mizzle generate --custom`) or give the column a default"
                    )
            if references:
                problems = self.q(f"PRAGMA foreign_key_check(\"{qt}\")")
                if problems:
                    sample = "; ".join(f"{r[0]} rowid {r[1]} -> {r[2]}" for r in problems[:5])
                    raise MigrationError(
                        f"{label}: rolled back: {len(problems)} row(s) of {table} reference missing rows after "
                        f"{table}.{column} got a foreign key ({sample})"
                    )

    def count_where(self, quoted_table: str, condition: str) -> int:
        """`count(*)` of the rows of a (quote-escaped) table matching `condition`."""
        return int(self.q(f'SELECT count(*) FROM "{quoted_table}" WHERE {condition}')[0][0])

    def fk_enabled(self) -> bool:
        return bool(self.q("PRAGMA foreign_keys")[0][0])

    def run_script(self, label: str, statements: Sequence[str], track: Callable[[], None],
                   precheck: Callable[[], None] | None = None) -> None:
        """Run `statements` atomically (BEGIN IMMEDIATE ... COMMIT) with FK-safe rebuild checks."""
        fk_off = _needs_fk_off(statements)
        fk_was_on = self.fk_enabled()
        if fk_off and fk_was_on:
            self.q("PRAGMA foreign_keys=OFF")
            if self.fk_enabled():
                raise MigrationError(
                    f"{label}: not applied: it rebuilds tables, which needs PRAGMA foreign_keys=OFF to hold until "
                    "the migration commits, and this connection does not keep it (a libSQL server over HTTP runs "
                    "each statement on a stream of its own); rebuilding with foreign keys on would let ON DELETE "
                    "CASCADE empty child tables. Apply this migration on a local copy of the database, or "
                    "through a connection that keeps session state"
                )
        try:
            with self.db.transaction("immediate"):
                if precheck is not None:
                    precheck()
                rebuilt: set[str] = {m.group(1) for s in statements for m in [_NEW_TABLE.search(s)] if m}
                watched: set[str] = (rebuilt | self.children(rebuilt)) & set(self.tables()) if rebuilt else set()
                before = {t: self.count(t) for t in watched}
                for stmt in statements:
                    if _FK_PRAGMA.match(stmt):
                        continue  # a no-op inside a transaction; handled around it instead
                    try:
                        self.q(stmt)
                    except MizzleError as exc:
                        hint = ""
                        if _ALTER_COLUMN.match(stmt) and "syntax error" in str(exc).lower():
                            hint = (" (ALTER COLUMN is libSQL's: this folder was generated for dialect \"turso\"; "
                                    "apply it through the libsql driver, e.g. mizzle.connect(url, driver=\"libsql\"))")
                        raise MigrationError(
                            f"{label}: statement failed, migration rolled back: {exc}{hint}"
                        ) from exc
                self.check_altered_columns(label, statements)
                if fk_off:
                    problems = self.q("PRAGMA foreign_key_check")
                    if problems:
                        sample = "; ".join(f"{r[0]} rowid {r[1]} -> {r[2]}" for r in problems[:5])
                        raise MigrationError(
                            f"{label}: rolled back: {len(problems)} row(s) violate foreign keys after the migration "
                            f"({sample})"
                        )
                existing = set(self.tables())
                changed = [(t, n, self.count(t)) for t, n in before.items() if t in existing]
                lost = [(t, n, m) for t, n, m in changed if n != m]
                if lost:
                    detail = ", ".join(f"{t}: {n} -> {m} rows" for t, n, m in lost)
                    raise MigrationError(f"{label}: rolled back: table rebuild changed row counts ({detail})")
                track()
        finally:
            if fk_off and fk_was_on:
                self.q("PRAGMA foreign_keys=ON")


def _is_postgres(db: Any) -> bool:
    return getattr(getattr(db, "dialect", None), "name", "") in ("postgresql", "postgres")


def _is_mysql(db: Any) -> bool:
    return getattr(getattr(db, "dialect", None), "name", "") == "mysql"


def _check_db(db: Any) -> None:
    if getattr(db, "in_transaction", False):
        raise MigrationError("migrate() needs a connection outside any transaction (it manages its own)")
    if getattr(getattr(db, "dialect", None), "name", "sqlite") != "sqlite":
        raise MigrationError(f"the migrator supports SQLite only so far, not {db.dialect.name}")


def migrate(
    db: Any,
    folder: str | Path,
    *,
    table: str = MIGRATIONS_TABLE,
    progress: Progress | None = None,
    up_to: str | int | None = None,
) -> MigrateResult:
    """Apply every migration of `folder` the database lacks, in journal order, each atomically.

    `up_to` (a tag or journal index; SQLite/libSQL) stops after that migration: later ones stay pending.
    """
    _refuse_v1(folder)
    if up_to is not None and (_is_postgres(db) or _is_mysql(db)):
        raise MigrationError(
            f"migrating up to a target ({up_to!r}) is supported on SQLite/libSQL only so far; "
            "migrate without a target, or revert with migrate_to"
        )
    if _is_postgres(db):
        from mizzle.kit.dialects.postgres.migrate import migrate_pg

        return migrate_pg(db, folder, table=table, progress=progress)
    if _is_mysql(db):  # DDL is not transactional there: resumable, statement by statement
        from mizzle.kit.dialects.mysql.migrator import migrate_mysql

        return migrate_mysql(db, folder, table=table, progress=progress)
    _check_db(db)
    started = time.perf_counter()
    migrations = read_migrations(folder)
    allowed = {m.tag for m in migrations[: target_index(migrations, up_to, folder) + 1]} \
        if up_to is not None else {m.tag for m in migrations}
    runner = Runner(db, table)
    runner.ensure_table()
    result = MigrateResult()
    pending = plan(migrations, runner.applied())
    result.already_applied = len(migrations) - len(pending)
    pending = [m for m in pending if m.tag in allowed]
    total = len(pending)
    if progress is not None:
        progress(MigrationEvent("start", total=total))
    state: set[str] = set()
    while pending:
        m = pending[0]
        t0 = time.perf_counter()
        statements = [s for chunk in m.chunks for s in split_sql(chunk)]
        state.clear()

        def precheck(m: MigrationFile = m) -> None:
            # re-check under the write lock: another process may have applied it meanwhile
            if m.tag not in {x.tag for x in plan(migrations, runner.applied())}:
                raise _AlreadyApplied()

        def track(m: MigrationFile = m) -> None:
            runner.q(f'INSERT INTO "{table}" ("hash", "created_at") VALUES(?, ?)', m.hash, m.when)
            state.add(m.tag)

        with contextlib.suppress(_AlreadyApplied):
            runner.run_script(m.path.name, statements, track, precheck)
        if m.tag in state:
            result.applied.append(m.tag)
            if progress is not None:
                progress(MigrationEvent("applied", m.tag, len(result.applied), total, time.perf_counter() - t0))
        else:
            result.already_applied += 1
        pending = [m for m in plan(migrations, runner.applied()) if m.tag in allowed]
    result.left_pending = len(plan(migrations, runner.applied()))
    if up_to is not None and result.left_pending:
        result.target = migrations[target_index(migrations, up_to, folder)].tag
    result.seconds = time.perf_counter() - started
    if progress is not None:
        progress(MigrationEvent("done", total=total, seconds=result.seconds))
    return result


def _refuse_v1(folder: str | Path) -> None:
    if folder_v1.layout(folder) == "v1":
        raise HintedError(f"{folder}: drizzle 1.0 layout (<timestamp>_<name>/migration.sql): migrate does not "
                          "apply it yet", "apply it with drizzle-orm 1.0's migrator for now")


class _AlreadyApplied(Exception):
    pass


def run_script(db: Any, statements: Sequence[str], *, label: str = "script",
               table: str = MIGRATIONS_TABLE) -> None:
    """Run SQL statements atomically with the migrator's safety checks, without recording a migration.

    Table rebuilds run with foreign keys off outside the transaction, then `PRAGMA foreign_key_check`
    and row counts of rebuilt and child tables are compared; libSQL `ALTER COLUMN`s are checked too.
    A statement may hold several (a whole chunk); anything failing rolls everything back.
    """
    _check_db(db)
    split = [s for text in statements for s in split_sql(text)]
    Runner(db, table).run_script(label, split, lambda: None)


# ---- down migrations --------------------------------------------------------------------


@dataclass(slots=True)
class DownScript:
    """A parsed `<out>/down/<tag>.sql`."""

    path: Path
    statements: list[str]
    lossy: list[str]
    irreversible: list[str]


def read_down(folder: str | Path, tag: str) -> DownScript:
    """Read the down migration of `tag` (`<folder>/down/<tag>.sql`)."""
    path = Path(folder) / "down" / f"{tag}.sql"
    if not path.exists():
        raise MigrationError(f"{path}: no down migration for {tag} (it was not generated by mizzle); "
                             "write one by hand to revert it")
    text = read_sql(path)
    lossy = [line[len("-- lossy:"):].strip() for line in text.splitlines() if line.startswith("-- lossy:")]
    irreversible = [line[len("-- irreversible:"):].strip() for line in text.splitlines()
                    if line.startswith("-- irreversible:")]
    statements = [s for chunk in split_statements(text) for s in split_sql(chunk)]
    return DownScript(path, statements, lossy, irreversible)


def migrate_to(
    db: Any,
    folder: str | Path,
    target: str | int,
    *,
    force: bool = False,
    table: str = MIGRATIONS_TABLE,
    progress: Progress | None = None,
    apply: bool = True,
) -> MigrateResult:
    """Bring the database to `target` (a tag, or the journal index of the last migration to keep; -1 = none).

    Applied migrations after `target` are reverted with their down scripts, newest first, each
    atomically; a lossy or irreversible down script is refused unless `force=True`. Then, with
    `apply=True` (SQLite/libSQL), pending migrations up to and including `target` are applied.
    """
    _refuse_v1(folder)
    if _is_postgres(db):
        from mizzle.kit.dialects.postgres.migrate import migrate_to_pg

        return migrate_to_pg(db, folder, target, force=force, table=table, progress=progress)
    if _is_mysql(db):
        from mizzle.kit.dialects.mysql.migrator import migrate_to_mysql

        return migrate_to_mysql(db, folder, target, force=force, table=table, progress=progress)
    _check_db(db)
    started = time.perf_counter()
    migrations = read_migrations(folder)
    keep = target_index(migrations, target, folder)
    runner = Runner(db, table)
    runner.ensure_table()
    pending = {m.tag for m in plan(migrations, runner.applied())}
    to_revert = [m for m in migrations[keep + 1:] if m.tag not in pending][::-1]
    downs = [(m, read_down(folder, m.tag)) for m in to_revert]
    refused = [(m, d) for m, d in downs if (d.lossy or d.irreversible)]
    if refused and not force:
        lines = [f"  {m.tag}: " + "; ".join(d.irreversible + d.lossy) for m, d in refused]
        raise HintedError("refusing to revert without force=True (--force):\n" + "\n".join(lines), REVERT_HINT)
    result = MigrateResult(already_applied=len(migrations) - len(pending))
    for i, (m, d) in enumerate(downs, 1):
        t0 = time.perf_counter()

        def untrack(m: MigrationFile = m) -> None:
            runner.q(f'DELETE FROM "{table}" WHERE hash = ? AND created_at = ?', m.hash, m.when)

        runner.run_script(d.path.name, d.statements, untrack)
        result.reverted.append(m.tag)
        if progress is not None:
            progress(MigrationEvent("reverted", m.tag, i, len(downs), time.perf_counter() - t0))
    if apply and keep >= 0:
        forward = migrate(db, folder, table=table, progress=progress, up_to=keep)
        result.applied = forward.applied
        result.already_applied = forward.already_applied
        result.left_pending = forward.left_pending
    else:
        result.left_pending = len(plan(migrations, runner.applied()))
        result.already_applied = len(migrations) - result.left_pending  # what stays applied
    if keep >= 0 and (result.left_pending or result.reverted):
        result.target = migrations[keep].tag
    result.seconds = time.perf_counter() - started
    return result


def target_index(migrations: Sequence[MigrationFile], target: str | int, folder: str | Path = "") -> int:
    """The journal index of `target`: a tag, an index (`-1` = before the first) or an index as text."""
    tags = [m.tag for m in migrations]
    if isinstance(target, int) or target.lstrip("-").isdigit():
        keep = int(target)
        if not -1 <= keep < len(migrations):
            raise MigrationError(f"--to {target}: expected an index between -1 and {len(migrations) - 1} "
                                 f"(or a tag: {', '.join(tags) or 'the folder has no migrations'})")
        return keep
    if target in tags:
        return tags.index(target)
    by_prefix = [t for t in tags if t.split("_", 1)[0] == target]
    if len(by_prefix) == 1:
        return tags.index(by_prefix[0])
    raise MigrationError(f"--to {target!r}: no such migration in {folder} (tags: {', '.join(tags)})")


__all__ = [
    "MIGRATIONS_TABLE",
    "AppliedRow",
    "DownScript",
    "MigrateResult",
    "MigrationEvent",
    "Runner",
    "create_table_sql",
    "migrate",
    "migrate_to",
    "plan",
    "read_down",
    "run_script",
    "split_sql",
    "target_index",
]
