"""`check` of a drizzle 1.0 folder: the snapshot graph (`prevIds`), its order, and branches that must merge.

drizzle-kit 1.0 (`check`, 1.0.0-rc.5) reads the `snapshot.json` graph and reports two migrations with
the same parent whose changes conflict. mizzle checks: every folder has both files and a readable
snapshot with an `id` and `prevIds`; every parent exists; every migration sorts after its parents
(drizzle-orm applies by name); and for each parent with several children (several first migrations: the
empty schema's), whether the branches commute by drizzle-kit 1.0's rules where the dialect has them
(`KitDialect.v1_footprints`, `kit/commutativity.py`), else by the table/column analysis of their SQL (as
the 0.x journal check; then several first migrations are an error).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from mizzle.errors import MigrationError
from mizzle.kit import folder_v1
from mizzle.kit.check_report import Branch, CheckReport, commute, touches
from mizzle.kit.commutativity import Footprint, first_conflict
from mizzle.kit.dialects import kit_dialect
from mizzle.kit.journal import read_sql
from mizzle.kit.snapshot import EMPTY_ID

_RESTORE = "restore it from version control (`git checkout`), or delete the migration folder and generate it again"


def check_v1(out: Path, report: CheckReport) -> None:
    """Add the findings about the v1 folder `out` to `report`."""
    folders = folder_v1.migration_folders(out)
    report.migrations = len(folders)
    ids: dict[str, str] = {}
    parents: dict[str, list[str]] = {}
    ddls: dict[str, list[dict[str, Any]]] = {}
    for sub in folders:
        try:
            folder_v1.folder_millis(sub.name)
        except MigrationError as exc:
            report.error(str(exc))
        snap = _snapshot(sub, report)
        if snap is None:
            continue
        sid, prev, ddl = snap
        ddls[sub.name] = ddl
        if sid in ids:
            report.error(f"{sub.name}/snapshot.json: id {sid} is also the id of {ids[sid]}",
                         "a snapshot was copied; delete this migration folder and generate it again")
        ids[sid] = sub.name
        parents[sub.name] = prev
    for p in sorted(q for q in out.iterdir() if q.is_dir() and q.name != "down" and not (q / "migration.sql").exists()) \
            if out.is_dir() else []:
        if (p / folder_v1.SNAPSHOT_FILE).exists():
            report.warning(f"{p.name}/: snapshot.json without migration.sql (drizzle and mizzle never apply it)",
                           _RESTORE)
    children: dict[str, list[str]] = {}
    roots: list[str] = []
    for name, prev in parents.items():
        real = [p for p in prev if p and p != EMPTY_ID]
        if not real:
            roots.append(name)
        for pid in real:
            parent = ids.get(pid)
            if parent is None:
                report.error(f"{name}/snapshot.json: follows snapshot {pid}, which no migration of the folder has "
                             "(a migration was deleted in the middle of the history)", _RESTORE)
                continue
            children.setdefault(parent, []).append(name)
            if folder_v1.locale_key(name) <= folder_v1.locale_key(parent):
                report.error(f"{name} sorts before its parent {parent}, so migrate would run it first",
                             f"rename the folder so that it sorts after {parent} (its name starts with the time)")
    rules = _rules(out, ddls)
    if len(roots) > 1:
        if rules is not None:  # drizzle-kit: branches from the empty schema, judged like any other fork
            _branch_rules(report, EMPTY_ID, sorted(roots, key=folder_v1.locale_key), children, ddls, rules)
        else:
            report.error(f"the folder has {len(roots)} first migrations ({', '.join(roots)}); it must have one",
                         "delete one of them with every migration that follows it, then generate again")
    for parent, kids in sorted(children.items()):
        if len(kids) > 1:
            kids = sorted(kids, key=folder_v1.locale_key)
            if rules is not None:
                _branch_rules(report, parent, kids, children, ddls, rules)
            else:
                _branch(out, report, parent, kids, children)


def folder_dialect(out: Path) -> str:
    """The `dialect` of the folder's snapshots (drizzle-kit writes `sqlite` for turso too)."""
    for sub in folder_v1.migration_folders(out):
        try:
            raw: Any = json.loads((sub / folder_v1.SNAPSHOT_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        found = cast("dict[str, Any]", raw).get("dialect") if isinstance(raw, dict) else None
        if isinstance(found, str):
            return found
    raise MigrationError(f"{out}: no snapshot.json names its dialect",
                         "restore the snapshots from version control, or pass --no-roundtrip")


def _snapshot(sub: Path, report: CheckReport) -> tuple[str, list[str], list[dict[str, Any]]] | None:
    path = sub / folder_v1.SNAPSHOT_FILE
    if not path.exists():
        report.error(f"{sub.name}/snapshot.json: missing (`generate` needs the last one)", _RESTORE)
        return None
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        report.error(f"{sub.name}/snapshot.json: not readable JSON ({exc})", _RESTORE)
        return None
    data = cast("dict[str, Any]", raw) if isinstance(raw, dict) else {}
    sid, prev = data.get("id"), data.get("prevIds")
    if not isinstance(sid, str) or not isinstance(prev, list):
        hint = ("it is in the 0.x format: run `mizzle up` (or `drizzle-kit up`)" if "prevId" in data else _RESTORE)
        report.error(f"{sub.name}/snapshot.json: expected an \"id\" and a \"prevIds\" list", hint)
        return None
    ddl = data.get("ddl")
    entities = cast("list[dict[str, Any]]", ddl) if isinstance(ddl, list) else []
    return sid, [str(p) for p in cast("list[object]", prev)], entities


def _branch(out: Path, report: CheckReport, parent: str, kids: list[str], children: dict[str, list[str]]) -> None:
    touched: dict[str, list[str]] = {}
    sets: list[set[str]] = []
    for kid in kids:
        line = _line(kid, children)
        found: set[str] = set()
        for name in line:
            found |= touches(read_sql(out / name / folder_v1.SQL_FILE))
        touched[" -> ".join(line)] = sorted(found)
        sets.append(found)
    ok = all(commute(sets[i], sets[j]) for i in range(len(sets)) for j in range(i + 1, len(sets)))
    report.branches.append(Branch(parent, kids, touched, ok))
    if ok:
        report.warning(f"{len(kids)} branches follow {parent}: {', '.join(kids)}; they commute (disjoint "
                       "tables/columns)", "the next `generate` after both can list both leaves as parents")
    else:
        shared = set(sets[0])
        for other in sets[1:]:
            shared &= other
        report.error(f"{len(kids)} branches follow {parent} and do NOT commute: {', '.join(kids)} all change "
                     + (", ".join(sorted(shared)) or "the same tables"),
                     "keep one branch, delete the other branch's migration folders, merge the schema by hand, "
                     "then generate again")


Rules = Callable[[list[dict[str, Any]], list[dict[str, Any]]], list[Footprint]]


def _rules(out: Path, ddls: dict[str, list[dict[str, Any]]]) -> Rules | None:
    """The dialect's port of drizzle-kit 1.0's commutativity rules, or None (then the SQL is analysed)."""
    try:
        kit = kit_dialect(folder_dialect(out))
        kit.v1_footprints([], [])
    except MigrationError:
        return None
    return kit.v1_footprints


def _branch_rules(report: CheckReport, parent: str, kids: list[str], children: dict[str, list[str]],
                  ddls: dict[str, list[dict[str, Any]]], rules: Rules) -> None:
    """drizzle-kit 1.0's `detectNonCommutative` for one fork: each pair of children, each pair of their leaves,
    the fork's snapshot diffed (no renames) against both leaves, and the first conflicting pair of statements."""
    cache: dict[str, list[Footprint]] = {}
    label = "the empty schema (first migrations)" if parent == EMPTY_ID else parent

    def prints(leaf: str) -> list[Footprint]:
        if leaf not in cache:
            cache[leaf] = rules(ddls.get(parent, []), ddls.get(leaf, []))
        return cache[leaf]

    leaves = {kid: _leaves(kid, children) for kid in kids}
    touched: dict[str, list[str]] = {}
    conflicts: list[str] = []
    try:
        for kid in kids:
            for leaf in leaves[kid]:
                chain = _chain(kid, leaf, children)
                touched[" -> ".join(chain)] = list(dict.fromkeys(fp.description for fp in prints(leaf)))
        for i, a in enumerate(kids):
            for b in kids[i + 1:]:
                if set(leaves[a]) & set(leaves[b]):
                    continue  # merged again below the fork
                for la in leaves[a]:
                    for lb in leaves[b]:
                        found = first_conflict(prints(la), prints(lb))
                        if found is not None:
                            conflicts.append(f"{la}: {found[0].description} / {lb}: {found[1].description}")
    except MigrationError as exc:
        report.warning(f"the branches after {label} could not be diffed as drizzle-kit does ({exc}); their SQL "
                       "is compared instead")
        _branch(report.folder, report, parent, kids, children)
        return
    ok = not conflicts
    report.branches.append(Branch(label, kids, touched, ok))
    if ok:
        report.warning(f"{len(kids)} branches follow {label}: {', '.join(kids)}; they commute (drizzle-kit 1.0's "
                       "rules)", "the next `generate` after both can list both leaves as parents")
    else:
        report.error(f"{len(kids)} branches follow {label} and do NOT commute (drizzle-kit 1.0's rules): "
                     + "; ".join(conflicts),
                     "keep one branch, delete the other branch's migration folders, merge the schema by hand, "
                     "then generate again")


def _leaves(start: str, children: dict[str, list[str]]) -> list[str]:
    """drizzle-kit's `collectLeaves`: the migrations without children reachable from `start`."""
    found: list[str] = []
    seen: set[str] = set()
    stack = [start]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        kids = children.get(node, [])
        if not kids:
            found.append(node)
        stack.extend(k for k in kids if k not in seen)
    return sorted(found, key=folder_v1.locale_key)


def _chain(start: str, target: str, children: dict[str, list[str]]) -> list[str]:
    """The shortest path of migrations from `start` to `target` (drizzle-kit's `buildChain`)."""
    queue: list[list[str]] = [[start]]
    seen: set[str] = set()
    while queue:
        path = queue.pop(0)
        if path[-1] == target:
            return path
        if path[-1] in seen:
            continue
        seen.add(path[-1])
        queue.extend([*path, k] for k in children.get(path[-1], []) if k not in seen)
    return [target]


def _line(start: str, children: dict[str, list[str]]) -> list[str]:
    """`start` and its descendants along single-child links (one branch's migrations)."""
    line = [start]
    while len(children.get(line[-1], [])) == 1:
        line.append(children[line[-1]][0])
    return line


__all__ = ["check_v1", "folder_dialect"]
