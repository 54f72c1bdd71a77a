"""`drop`: remove the last migration (its SQL, snapshot, down file and journal entry)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mizzle.errors import MigrationError
from mizzle.kit.dialects import kit_dialect_of
from mizzle.kit.journal import Journal, file_hash, read_sql
from mizzle.session.sync import Database

DOWN_DIR = "down"


@dataclass(slots=True)
class DropResult:
    """What `drop_last` removed."""

    tag: str
    removed: list[Path] = field(default_factory=list[Path])
    was_applied: bool = False


def applied_rows(db: Database, migrations_table: str = "__drizzle_migrations") -> list[tuple[str, int]]:
    """(hash, created_at) of every migration recorded in the database (empty when it has no tracking table)."""
    runner = kit_dialect_of(db).runner(db, migrations_table)
    return [(r.hash, r.created_at) for r in runner.applied()] if runner.has_table() else []


def is_applied(db: Database, text: str, when: int, migrations_table: str = "__drizzle_migrations") -> bool:
    """Whether a migration (by its file hash or journal `when`) is recorded in the database."""
    digest = file_hash(text)
    return any(h == digest or c == when for h, c in applied_rows(db, migrations_table))


def drop_last(
    folder: str | Path,
    *,
    db: Database | None = None,
    migrations_table: str = "__drizzle_migrations",
    force: bool = False,
) -> DropResult:
    """Delete the folder's last migration; refuse if `db` has applied it (unless `force`)."""
    out = Path(folder)
    journal = Journal.read(out)
    if not journal.entries:
        raise MigrationError(f"{out}/meta/_journal.json: no migrations to drop")
    entry = journal.entries[-1]
    sql_path = out / f"{entry.tag}.sql"
    applied = False
    if db is not None and sql_path.exists():
        applied = is_applied(db, read_sql(sql_path), entry.when, migrations_table)
        if applied and not force:
            raise MigrationError(
                f"migration {entry.tag} has been applied to the database; dropping it would leave the database "
                "ahead of the folder. Roll it back first (`mizzle rollback`), or pass --force to drop the files anyway"
            )
    result = DropResult(entry.tag, was_applied=applied)
    candidates: list[Path] = [sql_path, out / DOWN_DIR / f"{entry.tag}.sql"]
    # the snapshot file, unless an earlier entry shares its name (prefix "none")
    if not any(e.snapshot_name == entry.snapshot_name for e in journal.entries[:-1]):
        candidates.append(out / "meta" / entry.snapshot_name)
    for path in candidates:
        if path.exists():
            path.unlink()
            result.removed.append(path)
    journal.entries.pop()
    journal.write(out)
    return result


__all__ = ["DropResult", "applied_rows", "drop_last", "is_applied"]
