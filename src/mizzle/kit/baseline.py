"""A baseline migration for an existing database (`mizzle pull --init`, drizzle-kit introspect's `0000`).

drizzle-kit's `pull` writes the first migration with its SQL commented out and leaves it to the user
to make the migrator skip it. mizzle writes the real `CREATE` statements (so a fresh database gets
the schema from `migrate`) and records the migration as applied in the pulled database's
`__drizzle_migrations`, exactly as drizzle-orm would have; then `generate` reports no changes and
`migrate` applies nothing there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from mizzle.errors import MigrationError
from mizzle.kit.api import GenerateResult, current_snapshot, generate, plan
from mizzle.kit.dialects import kit_dialect_of
from mizzle.kit.diff import Decision
from mizzle.kit.introspect import introspect
from mizzle.kit.journal import Journal, file_hash
from mizzle.kit.runner import MIGRATIONS_TABLE
from mizzle.schema.table import Table
from mizzle.session.sync import Database


def check_empty_folder(out: str | Path) -> None:
    """Refuse (MigrationError) when `out` already holds migrations: a baseline is migration 0000."""
    folder = Path(out)
    if not (folder / "meta" / "_journal.json").exists():
        return
    journal = Journal.read(folder)
    if journal.entries:
        raise MigrationError(
            f"{folder}: already has {len(journal.entries)} migration(s); a baseline is only written into an empty "
            "migrations folder (run `mizzle generate` for further changes)")


def write_baseline(
    db: Database,
    tables: Sequence[type[Table]],
    out: str | Path,
    *,
    name: str = "baseline",
    dialect: str | None = None,
    migrations_table: str = MIGRATIONS_TABLE,
    include: Callable[[str], bool] | None = None,
) -> GenerateResult:
    """Write migration 0000 creating `tables` into the empty folder `out` and mark it applied in `db`.

    Refuses when the folder already has migrations, when the database already records migrations,
    or when `tables` do not describe the database exactly (the differences are listed).
    """
    kit = kit_dialect_of(db)
    folder = Path(out)
    check_empty_folder(folder)
    Journal.read_or_new(folder, kit.snapshot_dialect)  # a journal that does not parse fails here
    runner = kit.runner(db, migrations_table)
    if runner.has_table() and runner.applied():
        raise MigrationError(
            f"the database already records {len(runner.applied())} migration(s) in {migrations_table}: it is "
            "managed by another migrations folder; point `out` at that folder instead of writing a baseline"
        )
    target = current_snapshot(list(tables), dialect)
    live = introspect(db, include=include, migrations_table=migrations_table)
    gap = plan(live, target, _NoRenames(), dialect=dialect)
    if gap.sql:
        listed = "\n".join(f"  {s.splitlines()[0]}" for s in gap.sql[:10])
        raise MigrationError(
            f"the schema does not match the database ({len(gap.sql)} statement(s) would change it), so it cannot "
            f"be its baseline:\n{listed}"
        )
    result = generate(list(tables), folder, name=name, dialect=dialect)
    if not result.changed or result.sql_path is None:
        raise MigrationError("the schema has no tables; nothing to record as a baseline")
    entry = Journal.read(folder).entries[-1]
    runner.ensure_table()
    with runner.transaction():
        runner.record(file_hash(result.sql_path.read_text(encoding="utf-8")), entry.when)
    return result


class _NoRenames:
    """A resolver that treats every vanished+new pair as a drop and a create (a baseline has no renames)."""

    def table(self, new: str, candidates: Sequence[str]) -> Decision:
        """Never a rename."""
        return False

    def column(self, table: str, new: str, candidates: Sequence[str]) -> Decision:
        """Never a rename."""
        return False


__all__ = ["write_baseline"]
