"""Apply a migrations folder: a pure planner plus the generic loop over the dialect's `ScriptRunner`.

Compatible with drizzle-orm: the same `__drizzle_migrations` table (same DDL text), the same rows
(`hash` = SHA-256 of the file, `created_at` = the journal's `when`). Safer than drizzle-orm:

* every migration the database lacks is applied (matched by `created_at`, checked by `hash`), so a
  merged branch's older migration is not skipped; a database migration missing from the folder or an
  edited migration (hash mismatch) is refused with a clear message;
* each migration runs atomically where the dialect's DDL is transactional (SQLite, libSQL, PostgreSQL)
  and resumably, statement by statement, where it auto-commits (MySQL/MariaDB);
* the pending list is re-read under the dialect's migration lock, so two processes migrating at once
  apply each migration once.

How scripts run, and the tracking table and lock, are the dialect's (`kit/runner.py`, `kit/dialects/*/migrate.py`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Literal, Protocol

from mizzle.errors import MigrationError
from mizzle.kit import folder_v1
from mizzle.kit.errors import HintedError
from mizzle.kit.journal import Journal, MigrationFile, read_migrations, read_sql, split_statements
from mizzle.kit.runner import MIGRATIONS_TABLE, AppliedRow, ScriptKey, ScriptRunner, split_sql

REVERT_HINT = ("pass --force (force=True) to revert anyway and lose that data, or choose a later target; "
               "an irreversible down migration needs its reverse written by hand first")


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
    """A progress report: `kind` is "start", "applying" / "reverting" (before a script runs; `statements` is
    its statement count), "applied" / "reverted" (after) or "done"."""

    kind: Literal["start", "applying", "applied", "reverting", "reverted", "done"]
    tag: str = ""
    index: int = 0
    total: int = 0
    seconds: float = 0.0
    statements: int = 0


@dataclass(slots=True)
class MigrateResult:
    """What a migrate call did."""

    applied: list[str] = field(default_factory=list[str])
    reverted: list[str] = field(default_factory=list[str])
    already_applied: int = 0
    seconds: float = 0.0
    statements: int = 0
    left_pending: int = 0
    """Migrations not applied because they come after the target (`up_to` / `migrate_to`)."""
    target: str = ""
    """The migration the database was brought to (`up_to` / `migrate_to`; "" = the last, or none for -1)."""
    resumed: list[str] = field(default_factory=list[str])
    """Migrations whose interrupted run was continued (where DDL auto-commits: MySQL/MariaDB)."""
    notes: list[str] = field(default_factory=list[str])
    """What the runner decided on its own (an in-flight statement found already applied)."""

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


class _Tracking(Protocol):
    """What the loop needs of a tracking table: 0.x (journal folders) or drizzle 1.0's (`TrackingV1`)."""

    def ensure(self, local: Sequence[MigrationFile]) -> object: ...
    def pending(self, local: Sequence[MigrationFile]) -> list[MigrationFile]: ...
    def record(self, m: MigrationFile) -> None: ...
    def unrecord(self, m: MigrationFile) -> None: ...


class _JournalTracking:
    """drizzle-orm 0.x's table: rows matched by `created_at` and hash (`plan`)."""

    def __init__(self, runner: ScriptRunner) -> None:
        self.runner = runner

    def ensure(self, local: Sequence[MigrationFile]) -> object:
        self.runner.ensure_table()
        return None

    def pending(self, local: Sequence[MigrationFile]) -> list[MigrationFile]:
        return plan(local, self.runner.applied())

    def record(self, m: MigrationFile) -> None:
        self.runner.record(m.hash, m.when)

    def unrecord(self, m: MigrationFile) -> None:
        self.runner.unrecord(m.hash, m.when)


def _tracking(db: Any, runner: ScriptRunner, folder: str | Path) -> _Tracking:
    """The tracking table a folder's layout goes with (drizzle 1.0 folders: drizzle-orm 1.0's, upgraded if old)."""
    from mizzle.kit.dialects import kit_dialect_of

    if folder_v1.layout(folder) == "v1":
        return kit_dialect_of(db).tracking_v1(runner)
    return _JournalTracking(runner)


def _runner(db: Any, table: str, folder: str | Path | None = None) -> ScriptRunner:
    from mizzle.kit.dialects import kit_dialect, kit_dialect_of

    if getattr(db, "in_transaction", False):
        raise MigrationError("migrate() needs a connection outside any transaction (it manages its own)")
    mine = kit_dialect_of(db)
    if folder is not None and folder_v1.layout(folder) != "v1" and (Path(folder) / "meta" / "_journal.json").exists():
        theirs = kit_dialect(Journal.read(folder).dialect)
        if theirs.snapshot_dialect != mine.snapshot_dialect:  # its SQL would not even parse there
            raise HintedError(
                f"{folder} holds {theirs.title} migrations (meta/_journal.json says dialect \"{theirs.name}\") but "
                f"the database is {mine.title}",
                f"point --out (or the config's `out`) at the folder generated for {mine.title}, or --url at a "
                f"{theirs.title} database")
    return mine.runner(db, table)


def migrate(
    db: Any,
    folder: str | Path,
    *,
    table: str = MIGRATIONS_TABLE,
    progress: Progress | None = None,
    up_to: str | int | None = None,
) -> MigrateResult:
    """Apply every migration of `folder` the database lacks, in journal order (each atomically where DDL is
    transactional, resumably where it is not). `up_to` (a tag or journal index) stops after that migration.
    """
    started = time.perf_counter()
    runner = _runner(db, table, folder)
    tracking = _tracking(db, runner, folder)
    migrations = read_migrations(folder)
    keep = target_index(migrations, up_to, folder) if up_to is not None else len(migrations) - 1
    result = MigrateResult()
    with runner.session():
        tracking.ensure(migrations)
        _forward(runner, tracking, migrations, keep, result, progress)
    if up_to is not None and result.left_pending:
        result.target = migrations[keep].tag
    result.seconds = time.perf_counter() - started
    if progress is not None:
        progress(MigrationEvent("done", total=len(result.applied), seconds=result.seconds))
    return result


def _forward(runner: ScriptRunner, tracking: _Tracking, migrations: Sequence[MigrationFile], keep: int,
             result: MigrateResult, progress: Progress | None) -> None:
    """Apply the pending migrations up to journal index `keep`, re-reading what is pending after each."""
    allowed = {m.tag for m in migrations[: keep + 1]}
    pending = tracking.pending(migrations)
    result.already_applied = len(migrations) - len(pending)
    pending = [m for m in pending if m.tag in allowed]
    total = len(pending)
    if progress is not None:
        progress(MigrationEvent("start", total=total))
    while pending:
        m = pending[0]
        t0 = time.perf_counter()

        def precheck(m: MigrationFile = m) -> bool:  # re-checked under the lock: another process may have run it
            return m.tag in {x.tag for x in tracking.pending(migrations)}

        statements = runner.statements(m.chunks)
        if progress is not None:
            progress(MigrationEvent("applying", m.tag, len(result.applied) + 1, total, statements=len(statements)))
        done = runner.run_script(m.path.name, statements, partial(tracking.record, m),
                                 precheck, ScriptKey(m.tag, m.hash, m.when))
        if done:
            result.applied.append(m.tag)
            if progress is not None:
                progress(MigrationEvent("applied", m.tag, len(result.applied), total, time.perf_counter() - t0))
        else:
            result.already_applied += 1
        pending = [m for m in tracking.pending(migrations) if m.tag in allowed]
    result.left_pending = len(tracking.pending(migrations))
    result.resumed, result.notes = runner.resumed, runner.notes


def run_script(db: Any, statements: Sequence[str], *, label: str = "script",
               table: str = MIGRATIONS_TABLE) -> None:
    """Run SQL statements with the migrator's safety checks, without recording a migration.

    Atomic where DDL is transactional: on SQLite, table rebuilds run with foreign keys off outside the
    transaction, then `PRAGMA foreign_key_check` and row counts of rebuilt and child tables are compared.
    A statement may hold several (a whole chunk); anything failing rolls everything back.
    """
    runner = _runner(db, table)
    with runner.session():
        runner.run_script(label, runner.statements(statements), lambda: None)


# ---- down migrations --------------------------------------------------------------------


@dataclass(slots=True)
class DownScript:
    """A parsed `<out>/down/<tag>.sql`."""

    path: Path
    chunks: list[str]
    lossy: list[str]
    irreversible: list[str]


DOWN_IRREVERSIBLE_CUSTOM = "-- irreversible: custom SQL migration; write its reverse here and delete this line\n"
"""The body of a custom migration's down file (`migrate --to` refuses it until its reverse is written)."""


def down_header(lossy: Sequence[str] = (), irreversible: Sequence[str] = ()) -> str:
    """The first lines of a generated down migration: what it is, and each `-- lossy:` / `-- irreversible:` item
    `read_down` parses."""
    lines = ["-- mizzle down migration: reverses the migration of the same name (`mizzle migrate --to`)\n"]
    lines += [f"-- lossy: {item} (its data is lost)\n" for item in lossy]
    lines += [f"-- irreversible: {item}\n" for item in irreversible]
    return "".join(lines)


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
    return DownScript(path, split_statements(text), lossy, irreversible)


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

    Applied migrations after `target` are reverted with their down scripts, newest first, each as the
    dialect runs a script; a lossy or irreversible down script is refused unless `force=True`. Then, with
    `apply=True`, pending migrations up to and including `target` are applied.
    """
    started = time.perf_counter()
    runner = _runner(db, table, folder)
    tracking = _tracking(db, runner, folder)
    migrations = read_migrations(folder)
    keep = target_index(migrations, target, folder)
    result = MigrateResult()
    with runner.session():
        tracking.ensure(migrations)
        pending = {m.tag for m in tracking.pending(migrations)}
        to_revert = [m for m in migrations[keep + 1:] if m.tag not in pending][::-1]
        downs = [(m, read_down(folder, m.tag)) for m in to_revert]
        refused = [(m, d) for m, d in downs if (d.lossy or d.irreversible)]
        if refused and not force:
            lines = [f"  {m.tag}: " + "; ".join(d.irreversible + d.lossy) for m, d in refused]
            raise HintedError("refusing to revert without force=True (--force):\n" + "\n".join(lines), REVERT_HINT)
        for i, (m, d) in enumerate(downs, 1):
            t0 = time.perf_counter()
            statements = runner.statements(d.chunks)
            if progress is not None:
                progress(MigrationEvent("reverting", m.tag, i, len(downs), statements=len(statements)))
            runner.run_script(d.path.name, statements, partial(tracking.unrecord, m),
                              key=ScriptKey(m.tag, m.hash, m.when, "down"))
            result.reverted.append(m.tag)
            if progress is not None:
                progress(MigrationEvent("reverted", m.tag, i, len(downs), time.perf_counter() - t0))
        _forward(runner, tracking, migrations, keep if apply else -1, result, progress if apply and keep >= 0 else None)
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
    "DOWN_IRREVERSIBLE_CUSTOM",
    "MIGRATIONS_TABLE",
    "AppliedRow",
    "DownScript",
    "MigrateResult",
    "MigrationEvent",
    "down_header",
    "migrate",
    "migrate_to",
    "plan",
    "read_down",
    "run_script",
    "split_sql",
    "target_index",
]
