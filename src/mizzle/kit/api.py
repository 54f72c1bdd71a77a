"""The kit's programmatic entry points (the CLI is a thin shell over these): generate, plan SQL, down files."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mizzle.errors import MigrationError
from mizzle.kit.check import CheckReport, check_folder
from mizzle.kit.codegen import pull
from mizzle.kit.config import KitConfig, load_config, load_tables
from mizzle.kit.dialects import kit_dialect, kit_dialect_for
from mizzle.kit.diff import ChainResolver, Diff, HintResolver, Resolver, rename_meta
from mizzle.kit.drop import DropResult, drop_last
from mizzle.kit.errors import folder_error
from mizzle.kit.export import export_sql, export_statements
from mizzle.kit.from_schema import rename_hints, snapshot_of
from mizzle.kit.introspect import connect_config, introspect, introspect_config
from mizzle.kit.journal import Journal, JournalEntry, Prefix
from mizzle.kit.migrator import (
    DOWN_IRREVERSIBLE_CUSTOM,
    MigrateResult,
    down_header,
    migrate,
    migrate_to,
    run_script,
)
from mizzle.kit.planner import Plan, convertor, fails_on_rows_error, plan
from mizzle.kit.push import PushPlan, apply_push, plan_push
from mizzle.kit.snapshot import EMPTY_ID, Snapshot, read_snapshot
from mizzle.schema.table import Table

CUSTOM_SQL = "-- Custom SQL migration file, put your code below! --\n"
"""A `--custom` migration's text: drizzle-kit's comment line, ended so SQL appended with `>>` runs."""
DOWN_DIR = "down"
"""Down migrations live in `<out>/down/<tag>.sql` (drizzle's reader only opens `<out>/<tag>.sql`)."""


@dataclass(slots=True)
class GenerateResult:
    """What `generate` wrote (`changed` False: no schema change, nothing written)."""

    changed: bool
    tag: str = ""
    sql: str = ""
    sql_path: Path | None = None
    snapshot_path: Path | None = None
    down_path: Path | None = None
    snapshot: Snapshot | None = None
    plan: Plan | None = None
    down_lossy: list[str] = field(default_factory=list[str])
    pending: list[tuple[Path, str]] = field(default_factory=list[tuple[Path, str]])
    """Files not written yet (`generate(write=False)`): (path, text), the journal last."""

    @property
    def written(self) -> bool:
        """Whether every file of this migration is on disk."""
        return not self.pending

    def write(self) -> None:
        """Write the files `generate(write=False)` prepared (the journal last: an interrupted write leaves no entry)."""
        for path, text in self.pending:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        self.pending = []


def current_snapshot(schema: Sequence[type[Table]] | Snapshot, dialect: str | None = None) -> Snapshot:
    """The snapshot of `schema` (tables are converted; a snapshot is returned as is)."""
    if isinstance(schema, Snapshot):
        return schema
    return snapshot_of(schema, dialect)


def last_snapshot(out: str | Path, dialect: str = "sqlite") -> Snapshot:
    """The snapshot after the folder's last migration (an empty one for a new folder)."""
    folder = Path(out)
    journal = Journal.read_or_new(folder, dialect)
    if not journal.entries:
        return kit_dialect(dialect).snapshot_class().empty()
    last = journal.entries[-1]
    path = folder / "meta" / last.snapshot_name
    if not path.exists():
        candidates = sorted(p for p in (folder / "meta").glob("*_snapshot.json"))
        if not candidates:
            raise MigrationError(f"{path}: missing (snapshot of the last migration {last.tag!r})")
        path = candidates[-1]
    try:
        return read_snapshot(path)
    except MigrationError as exc:
        raise folder_error(exc, str(path)) from None


def _with_ids(snap: Snapshot, prev_id: str, d: Diff | None) -> Snapshot:
    out = snap.chained(prev_id)
    meta = getattr(out, "meta", None)
    if meta is not None:
        tables, columns = rename_meta(d) if d is not None else ({}, {})
        meta.tables = tables
        meta.columns = columns
        meta.schemas = {}
    return out


def generate(
    schema: Sequence[type[Table]] | Snapshot,
    out: str | Path,
    *,
    name: str | None = None,
    custom: bool = False,
    resolver: Resolver | None = None,
    dialect: str | None = None,
    breakpoints: bool = True,
    prefix: Prefix = "index",
    empty_tables: bool = False,
    allow_not_null_without_default: bool = False,
    down: bool = True,
    now_ms: int | None = None,
    write: bool = True,
) -> GenerateResult:
    """Diff the folder's last snapshot against `schema` and write `<tag>.sql`, its snapshot, journal entry and down file.

    Renames are decided by the schema's `renamed_from` hints, then `resolver`; an undecided one raises.
    `custom=True` writes an empty migration for hand-written SQL. A change that fails on a table with rows (NOT NULL
    without a default; on SQLite a non-constant default) is refused unless `empty_tables=True` (older name:
    `allow_not_null_without_default`). Nothing is written when nothing changed,
    nor before every step that can fail has run; `write=False` leaves the files to `result.write()`.
    """
    folder = Path(out)
    cur = current_snapshot(schema, dialect)
    d_name = cur.dialect
    journal = Journal.read_or_new(folder, getattr(cur, "dialect_name", d_name))
    prev = last_snapshot(folder, d_name)
    resolvers: list[Resolver] = []
    if not isinstance(schema, Snapshot):
        resolvers.append(HintResolver(rename_hints(schema)))
    if resolver is not None:
        resolvers.append(resolver)
    chain = ChainResolver(resolvers)
    kit = kit_dialect_for(cur.dialect, dialect)

    if custom:
        fwd = Plan([], [CUSTOM_SQL], None)
        new_snap = _with_ids(prev if journal.entries else cur.__class__.empty(), prev.id, None)
        down_text = down_header() + DOWN_IRREVERSIBLE_CUSTOM
        down_lossy: list[str] = []
    else:
        fwd = plan(prev, cur, chain, dialect=kit.name)
        if not fwd.sql:
            return GenerateResult(changed=False, snapshot=prev, plan=fwd)
        if fwd.problems and not (empty_tables or allow_not_null_without_default):
            raise fails_on_rows_error(fwd.problems)
        assert fwd.diff is not None
        new_snap = _with_ids(cur, prev.id if journal.entries else EMPTY_ID, fwd.diff)
        back = reverse_plan(fwd.diff, cur, prev, dialect=kit.name)
        down_lossy = back.lossy
        down_text = down_header(back.lossy) + kit.join_sql(back.sql, True)

    when = journal.next_when(now_ms)
    tag = journal.next_tag(name, prefix, when)
    text = CUSTOM_SQL if custom else kit.join_sql(fwd.sql, breakpoints)
    entry = JournalEntry(len(journal.entries), new_snap.version, when, tag, breakpoints)
    sql_path = folder / f"{tag}.sql"
    if sql_path.exists():
        raise MigrationError(f"{sql_path}: already exists; choose another --name")
    snap_path = folder / "meta" / entry.snapshot_name
    files: list[tuple[Path, str]] = [(sql_path, text), (snap_path, new_snap.to_json())]
    down_path: Path | None = None
    if down:
        down_path = folder / DOWN_DIR / f"{tag}.sql"
        files.append((down_path, down_text))
    journal.entries.append(entry)
    files.append((folder / "meta" / "_journal.json", journal.to_json()))
    result = GenerateResult(True, tag, text, sql_path, snap_path, down_path, new_snap, fwd, down_lossy, files)
    if write:
        result.write()
    return result


def reverse_plan(forward: Diff, cur: Snapshot, prev: Snapshot, *, dialect: str | None = None) -> Plan:
    """The plan from `cur` back to `prev`, reusing the forward migration's rename decisions."""
    from mizzle.kit.diff import Answers

    answers = Answers()
    for old, new in forward.table_renames:
        answers.tables[old] = new
    created_back = {t for t in getattr(prev, "tables", {}) if t not in getattr(cur, "tables", {})}
    for t in created_back:
        answers.tables.setdefault(t, False)
    from mizzle.kit.views import label

    for v, entry in getattr(prev, "views", {}).items():  # a view renamed forward is dropped and created back
        if v not in getattr(cur, "views", {}):
            answers.tables.setdefault(label(entry, v), False)
    renamed_to_old = {new: old for old, new in forward.table_renames}
    for table, old, new in forward.column_renames:
        answers.columns[f"{renamed_to_old.get(table, table)}.{old}"] = new
    for t_name, t in getattr(prev, "tables", {}).items():
        for c in t.columns:
            answers.columns.setdefault(f"{t_name}.{c}", False)
    return plan(cur, prev, answers, dialect=dialect)


__all__ = [
    "CUSTOM_SQL",
    "DOWN_DIR",
    "CheckReport",
    "DropResult",
    "GenerateResult",
    "KitConfig",
    "MigrateResult",
    "Plan",
    "PushPlan",
    "apply_push",
    "check_folder",
    "connect_config",
    "convertor",
    "current_snapshot",
    "drop_last",
    "export_sql",
    "export_statements",
    "generate",
    "introspect",
    "introspect_config",
    "last_snapshot",
    "load_config",
    "load_tables",
    "migrate",
    "migrate_to",
    "plan",
    "plan_push",
    "pull",
    "reverse_plan",
    "run_script",
]
