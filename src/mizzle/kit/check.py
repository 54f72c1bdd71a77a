"""`check`: is a migrations folder consistent, are there parallel branches, do down migrations round-trip?"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from mizzle.errors import MigrationError
from mizzle.kit.check_report import Branch, CheckReport, Problem, commute, touches
from mizzle.kit.dialects import kit_dialect, kit_dialect_for
from mizzle.kit.folder_v1 import layout
from mizzle.kit.journal import Journal, JournalEntry, read_sql
from mizzle.kit.snapshot import EMPTY_ID, Snapshot, read_snapshot

DOWN_DIR = "down"
_NUM = re.compile(r"^(\d+)_")


# ---- the folder ----------------------------------------------------------------------------------------


def check_folder(folder: str | Path, *, roundtrip: bool = True, url: str = "", url_source: str = "",
                 dialect: str | None = None) -> CheckReport:
    """Check journal (or drizzle 1.0 snapshot graph), files and snapshot chain; find parallel branches; run up ->
    down -> up on a scratch database with rows (SQLite: in memory; a server dialect: a throw-away database on `url`'s
    server, an error when it cannot be made; `url_source` says where `url` came from, for that error). `dialect`
    (the config's) picks libSQL's scratch database for a `turso` project's folder."""
    out = Path(folder)
    report = CheckReport(out)
    try:
        if layout(out) == "v1":
            from mizzle.kit.check_v1 import check_v1, folder_dialect

            check_v1(out, report)
            if roundtrip and report.ok:
                from mizzle.kit.folder_v1 import SQL_FILE, migration_folders
                from mizzle.kit.roundtrip import roundtrip as run_roundtrip

                tags = [p.name for p in migration_folders(out)]
                sql = {t: read_sql(out / t / SQL_FILE) for t in tags}
                kit = kit_dialect_for(folder_dialect(out), dialect)
                run_roundtrip(report, out, tags, sql, kit, url, url_source)
            return report
        journal = Journal.read(out)
    except MigrationError as exc:
        hint = getattr(exc, "hint", None) or "run `mizzle generate` to create the folder, or point --out/`out` at it"
        report.error(str(exc), hint)
        return report
    report.migrations = len(journal.entries)
    texts: dict[str, str] = {}
    snaps: dict[str, Snapshot] = {}
    renamed = _renamed_files(out, journal.entries)
    for i, e in enumerate(journal.entries):
        if e.idx != i:
            report.error(f"journal entry {i} ({e.tag}) has idx {e.idx}",
                         "entries must be numbered 0, 1, 2, ... in order; fix the idx values in meta/_journal.json")
        sql_path = out / f"{e.tag}.sql"
        if e.tag in renamed:
            found = renamed[e.tag]
            down_too = (out / DOWN_DIR / f"{found}.sql").exists() and not (out / DOWN_DIR / f"{e.tag}.sql").exists()
            report.error(
                f"{sql_path.name}: the journal names this file but it is missing, and {found}.sql (same number "
                f"{_number(e.tag)}) is not in the journal: probably a renamed file",
                f"rename {found}.sql back to {e.tag}.sql"
                + (f" (and {DOWN_DIR}/{found}.sql to {DOWN_DIR}/{e.tag}.sql)" if down_too else "")
                + f", or change the entry's \"tag\" from \"{e.tag}\" to \"{found}\" in meta/_journal.json",
            )
        elif not sql_path.exists():
            report.error(f"{sql_path.name}: listed in the journal but missing",
                         "restore the file from version control, or remove its journal entry")
        else:
            texts[e.tag] = read_sql(sql_path)
        snap_path = out / "meta" / e.snapshot_name
        if not snap_path.exists():
            report.error(f"meta/{e.snapshot_name}: snapshot of {e.tag} is missing",
                         "restore it from version control; `mizzle generate` needs the last one")
            continue
        try:
            snaps[e.tag] = read_snapshot(snap_path)
        except MigrationError as exc:
            report.error(str(exc), "restore the snapshot from version control")
    _check_chain(report, journal.entries, snaps)
    listed = {f"{e.tag}.sql" for e in journal.entries} | {f"{t}.sql" for t in renamed.values()}
    for path in sorted(out.glob("*.sql")):
        if path.name not in listed:
            report.warning(f"{path.name}: not in the journal (drizzle and mizzle will never apply it)",
                           "delete it, or re-create it with `mizzle generate` so it gets a journal entry")
    _check_whens(report, journal.entries)
    _check_fails_on_rows(report, journal.entries, snaps)
    _branches(report, out, journal, set(renamed.values()))
    if roundtrip and report.ok and not report.branches:
        from mizzle.kit.roundtrip import roundtrip as run_roundtrip

        tags = [e.tag for e in journal.entries]
        run_roundtrip(report, out, tags, texts, kit_dialect(journal.dialect), url, url_source)
    return report


@dataclass(slots=True)
class _MetaResolver:
    """Renames as a migration's snapshot recorded them (`_meta`); anything else was created, not renamed."""

    tables: dict[str, str]
    columns: dict[str, str]

    def table(self, new: str, candidates: Sequence[str]) -> str | Literal[False]:
        for old in candidates:
            if any(k.endswith(f'"{old.split(".")[-1]}"') and v.endswith(f'"{new.split(".")[-1]}"')
                   for k, v in self.tables.items()):
                return old
        return False

    def column(self, table: str, new: str, candidates: Sequence[str]) -> str | Literal[False]:
        for old in candidates:
            if any(k.endswith(f'"{old}"') and v.endswith(f'"{new}"') for k, v in self.columns.items()):
                return old
        return False


def _check_fails_on_rows(report: CheckReport, entries: Sequence[JournalEntry], snaps: dict[str, Snapshot]) -> None:
    """Warn about generated changes that fail on a table with rows (the rule `generate` refuses them by)."""
    from mizzle.kit.planner import plan

    for prev_e, e in itertools.pairwise(entries):
        prev, cur = snaps.get(prev_e.tag), snaps.get(e.tag)
        if prev is None or cur is None:
            continue
        meta: Any = getattr(cur, "meta", None)
        resolver = _MetaResolver(dict(getattr(meta, "tables", {})), dict(getattr(meta, "columns", {})))
        try:
            problems = plan(prev, cur, resolver).problems
        except MigrationError as exc:
            report.warning(f"{e.tag}.sql: could not re-plan it from its snapshots to check it: {exc}")
            continue
        if problems:
            report.warning(
                f"{e.tag}.sql: fails on a table that has rows: " + "; ".join(problems),
                "apply it only to empty tables, or regenerate it with a constant default / a nullable column "
                "filled by a data migration (`mizzle generate --custom`)",
            )


def _check_chain(report: CheckReport, entries: Sequence[JournalEntry], snaps: dict[str, Snapshot]) -> None:
    prev_id = EMPTY_ID
    seen: dict[str, str] = {}
    for e in entries:
        snap = snaps.get(e.tag)
        if snap is None:
            prev_id = ""
            continue
        if snap.id in seen:
            report.error(f"snapshots of {seen[snap.id]} and {e.tag} have the same id {snap.id}",
                         "a snapshot was copied; regenerate the later migration (`mizzle drop` then `mizzle generate`)")
        seen[snap.id] = e.tag
        if prev_id and snap.prev_id != prev_id:
            report.error(
                f"meta/{e.snapshot_name}: prevId {snap.prev_id} does not match the id of the previous snapshot "
                f"({prev_id})",
                "two branches probably generated migrations from the same parent; see the branch report, "
                "or regenerate this migration",
            )
        prev_id = snap.id


def _check_whens(report: CheckReport, entries: Sequence[JournalEntry]) -> None:
    for a, b in itertools.pairwise(entries):
        if b.when <= a.when:
            report.warning(
                f"journal: {b.tag} has when={b.when}, not after {a.tag} (when={a.when}); drizzle-orm's migrator "
                "skips a migration older than the newest applied one (mizzle's does not)",
                f"set its \"when\" above {a.when} in meta/_journal.json",
            )


def _number(tag: str) -> str:
    m = _NUM.match(tag)
    return m.group(1) if m else ""


def _renamed_files(out: Path, entries: Sequence[JournalEntry]) -> dict[str, str]:
    """Journal tags whose file is missing -> the one unlisted `.sql` file with the same number (a rename)."""
    tags = {e.tag for e in entries}
    unlisted: dict[str, list[str]] = {}
    for p in sorted(out.glob("*.sql")):
        if p.stem not in tags and _number(p.stem):
            unlisted.setdefault(_number(p.stem), []).append(p.stem)
    out_map: dict[str, str] = {}
    for e in entries:
        num = _number(e.tag)
        same_num = [x.tag for x in entries if _number(x.tag) == num]
        candidates = unlisted.get(num, [])
        if num and len(candidates) == 1 and len(same_num) == 1 and not (out / f"{e.tag}.sql").exists():
            out_map[e.tag] = candidates[0]
    return out_map


def _branches(report: CheckReport, out: Path, journal: Journal, renamed: set[str] | None = None) -> None:
    by_num: dict[str, list[str]] = {}
    tags = [e.tag for e in journal.entries]
    tags += [p.stem for p in sorted(out.glob("*.sql")) if p.stem not in tags and p.stem not in (renamed or set())]
    for tag in tags:
        m = _NUM.match(tag)
        if m:
            by_num.setdefault(m.group(1), []).append(tag)
    for num, group in sorted(by_num.items()):
        if len(group) < 2:
            continue
        touched = {t: touches(read_sql(out / f"{t}.sql")) for t in group if (out / f"{t}.sql").exists()}
        sets = list(touched.values())
        ok = all(commute(sets[i], sets[j]) for i in range(len(sets)) for j in range(i + 1, len(sets)))
        report.branches.append(Branch(num, group, {t: sorted(s) for t, s in touched.items()}, ok))
        keep, *others = group
        if ok:
            hint = (
                f"they commute (disjoint tables/columns). Keep {keep}; for {', '.join(others)}: move its change "
                "back into the schema only, `mizzle drop` it (or delete its .sql and journal entry), then run "
                "`mizzle generate` to renumber it after the last migration"
            )
        else:
            shared: set[str] = set(sets[0]) if sets else set()
            for other in sets[1:]:
                shared &= other
            common = sorted(shared)
            hint = (
                "they do NOT commute: both change "
                + (", ".join(common) if common else "the same tables")
                + f". Keep {keep}, delete the others' files and journal entries, merge the schema by hand, "
                "then run `mizzle generate`"
            )
        report.error(f"two branches both added migration {num}: {', '.join(group)}", hint)


__all__ = ["Branch", "CheckReport", "Problem", "check_folder", "commute", "touches"]
