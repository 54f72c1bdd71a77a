"""`generate` in the drizzle 1.0 layout: `<YYYYMMDDHHMMSS>_<name>/migration.sql` + `snapshot.json`.

The dialect writes the entities and SQL (`KitDialect.v1_generate`); this module reads the folder's snapshots
(the last by name is the previous state, the leaves are the new migration's `prevIds`, as drizzle-kit 1.0's
`prepareSqliteSnapshot`), parses drizzle-kit's `--hints` and writes the folder. Nothing is written before
every step that can fail has run.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from mizzle.errors import MigrationError
from mizzle.kit.dialects import kit_dialect
from mizzle.kit.errors import HintedError
from mizzle.kit.folder_v1 import (
    SNAPSHOT_FILE,
    folder_millis,
    next_folder_name,
    refuse_journal,
    write_migration,
)
from mizzle.kit.migrator import DOWN_IRREVERSIBLE_CUSTOM, down_header
from mizzle.schema.table import Table

EMPTY_V1_ID = "00000000-0000-0000-0000-000000000000"
DOWN_DIR = "down"
BREAKPOINT = "--> statement-breakpoint\n"
CUSTOM_V1_SQL = "-- Custom SQL migration file, put your code below! --"
_WORDS = (["brave", "calm", "eager", "fancy", "gentle", "happy", "jolly", "lively", "proud", "silly"],
          ["falcon", "hulk", "storm", "thor", "wolverine", "cyclops", "gambit", "rogue", "vision", "wasp"])


class MissingHintsError(HintedError):
    """A vanished and a new table/column need a decision (drizzle-kit's `missing_hints`)."""


@dataclass(slots=True)
class Hints:
    """drizzle-kit 1.0's `--hints`: rename and create answers, addressed as `[schema, table[, column]]`."""

    renames: list[tuple[str, list[str], list[str]]] = field(default_factory=list[tuple[str, list[str], list[str]]])
    creates: list[tuple[str, list[str]]] = field(default_factory=list[tuple[str, list[str]]])
    missing: list[dict[str, Any]] = field(default_factory=list[dict[str, Any]])

    @classmethod
    def parse(cls, text: str | None, source: str = "--hints") -> Hints:
        """Parse a JSON array of hints (`{"type": "rename"|"create"|"confirm_data_loss", "kind", ...}`)."""
        out = cls()
        if text is None or not text.strip():
            return out
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise MigrationError(f"{source}: not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
        if not isinstance(data, list):
            raise MigrationError(f"{source}: expected a JSON array of hints, got {type(data).__name__}")
        for i, raw in enumerate(cast("list[object]", data)):
            if not isinstance(raw, dict):
                raise MigrationError(f"{source}[{i}]: expected an object")
            h = cast("dict[str, Any]", raw)
            kind, typ = h.get("kind"), h.get("type")
            if not isinstance(kind, str):
                raise MigrationError(f"{source}[{i}]: `kind` must be a string")
            if typ == "rename":
                frm, to = h.get("from"), h.get("to")
                if not (_ids(frm) and _ids(to)):
                    raise MigrationError(f"{source}[{i}]: a rename hint needs `from` and `to` arrays of names")
                out.renames.append((kind, cast("list[str]", frm), cast("list[str]", to)))
            elif typ == "create":
                ent = h.get("entity")
                if not _ids(ent):
                    raise MigrationError(f"{source}[{i}]: a create hint needs an `entity` array of names")
                out.creates.append((kind, cast("list[str]", ent)))
            elif typ == "confirm_data_loss":
                continue
            else:
                raise MigrationError(f"{source}[{i}]: `type` must be rename, create or confirm_data_loss")
        return out

    def add_schema_renames(self, tables: Sequence[type[Table]]) -> None:
        """The schema's `renamed_from=` hints as rename hints."""
        for t in tables:
            meta = t.__table__
            schema = meta.schema or "public"
            if meta.renamed_from:
                self.renames.append(("table", [schema, meta.renamed_from], [schema, meta.name]))
            for col in meta.columns.values():
                old = col.renamed_from_
                if old:
                    self.renames.append(("column", [schema, meta.name, old], [schema, meta.name, col.name]))

    def resolve(self, kind: str, created: list[dict[str, Any]], deleted: list[dict[str, Any]]) -> tuple[
            list[dict[str, Any]], list[dict[str, Any]], list[tuple[dict[str, Any], dict[str, Any]]]]:
        """drizzle-kit's non-interactive `resolver(kind, hints)`."""
        if not created or not deleted:
            return created, deleted, []
        left: list[dict[str, Any]] = list(deleted)
        out_c: list[dict[str, Any]] = []
        renamed: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for new in created:
            nid = _entity_id(kind, new)
            hint = next((r for r in self.renames if r[0] == kind and r[2] == nid), None)
            if hint is not None:
                src = next((d for d in left if _entity_id(kind, d) == hint[1]), None)
                if src is None:
                    raise MigrationError(f"rename hint's `from` {json.dumps(hint[1])} doesn't match any deleted {kind}")
                renamed.append((src, new))
                left.remove(src)
                continue
            if not any(c[0] == kind and c[1] == nid for c in self.creates) and left:
                self.missing.append({"type": "rename_or_create", "kind": kind, "entity": nid,
                                     "candidates": [_entity_id(kind, d) for d in left]})
            out_c.append(new)
        return out_c, left, renamed


def _ids(value: Any) -> bool:
    if not isinstance(value, list):
        return False
    items = cast("list[object]", value)
    return len(items) > 0 and all(isinstance(x, str) for x in items)


def _entity_id(kind: str, e: dict[str, Any]) -> list[str]:
    schema = e.get("schema") or "public"
    if kind == "schema":
        return [e["name"]]
    return [schema, e["name"]] if kind in ("table", "enum", "sequence", "view") else [schema, e["table"], e["name"]]


@dataclass(slots=True)
class V1Result:
    """What `generate_v1` prepared or wrote (`changed` False: nothing to migrate)."""

    changed: bool
    tag: str = ""
    sql: str = ""
    snapshot_json: str = ""
    statements: list[str] = field(default_factory=list[str])
    folder: Path | None = None
    written: bool = False
    down_sql: str | None = None
    """mizzle's down migration, written to `<out>/down/<tag>.sql` (None: not written)."""
    down_lossy: list[str] = field(default_factory=list[str])
    down_path: Path | None = None

    def write(self, out: str | Path) -> Path:
        """Write the prepared folder (refuses an existing one) and the down migration."""
        down = Path(out) / DOWN_DIR / f"{self.tag}.sql"
        if self.down_sql is not None and down.exists():
            raise HintedError(f"{down}: a down migration with this name exists already",
                              "delete it if its migration folder is gone, or choose another --name")
        self.folder = write_migration(out, self.tag, self.sql, self.snapshot_json)
        if self.down_sql is not None:
            down.parent.mkdir(parents=True, exist_ok=True)
            down.write_text(self.down_sql, encoding="utf-8")
            self.down_path = down
        self.written = True
        return self.folder


@dataclass(slots=True)
class _Recorder:
    """Wraps a `resolve` to record its renames (forward) or, reversed, to answer the down migration's diff."""

    resolve: Callable[..., Any]
    renames: list[tuple[str, list[str], list[str]]] = field(default_factory=list[tuple[str, list[str], list[str]]])
    dropped_tables: list[str] = field(default_factory=list[str])
    lossy: list[str] = field(default_factory=list[str])

    def forward(self, kind: str, created: list[dict[str, Any]], deleted: list[dict[str, Any]]) -> tuple[
            list[dict[str, Any]], list[dict[str, Any]], list[tuple[dict[str, Any], dict[str, Any]]]]:
        made, gone, moved = self.resolve(kind, created, deleted)
        self.renames += [(kind, _entity_id(kind, f), _entity_id(kind, t)) for f, t in moved]
        return made, gone, moved

    def backward(self, kind: str, created: list[dict[str, Any]], deleted: list[dict[str, Any]]) -> tuple[
            list[dict[str, Any]], list[dict[str, Any]], list[tuple[dict[str, Any], dict[str, Any]]]]:
        """The forward renames undone; everything else created or dropped (and what a drop loses noted)."""
        tables_back = {tuple(t): f for k, f, t in self.renames if k == "table"}
        wanted: dict[tuple[str, ...], list[str]] = {}
        for k, f, t in self.renames:
            if k != kind:
                continue
            now_id = t if len(t) < 3 else [*tables_back.get(tuple(t[:2]), t[:2]), *t[2:]]
            was_id = f if len(f) < 3 else [*tables_back.get(tuple(f[:2]), f[:2]), *f[2:]]
            wanted[tuple(was_id)] = now_id
        left = list(deleted)
        made: list[dict[str, Any]] = []
        moved: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for new in created:
            src_id = wanted.get(tuple(_entity_id(kind, new)))
            src = next((d for d in left if _entity_id(kind, d) == src_id), None) if src_id else None
            if src is None:
                made.append(new)
            else:
                moved.append((src, new))
                left.remove(src)
        if kind == "table":
            self.dropped_tables += [d["name"] for d in left]
            self.lossy += [f"drops table {d['name']}" for d in left]
        elif kind == "column":
            self.lossy += [f"drops column {d['table']}.{d['name']}" for d in left
                           if d["table"] not in self.dropped_tables]
        return made, left, moved


def _values_taken_back(now: list[dict[str, Any]], before: list[dict[str, Any]]) -> list[str]:
    """Enum values the migration adds, which its down migration takes away again: the database refuses that while
    rows hold them, so such a down is marked irreversible (written by hand: change those rows first)."""
    had = {(e.get("schema"), e["name"]): e["values"] for e in before if e.get("entityType") == "enums"}
    return [f"removes the value {v!r} of enum {e['name']}, which the database refuses while rows hold it; "
            "change those rows first in this file, then delete this line"
            for e in now if e.get("entityType") == "enums" and (e.get("schema"), e["name"]) in had
            for v in e["values"] if v not in had[(e.get("schema"), e["name"])]]


def snapshots(out: str | Path) -> list[tuple[Path, dict[str, Any]]]:
    """The folder's `*/snapshot.json`, by path name (drizzle-kit's plain `sort()`)."""
    root = Path(out)
    if not root.is_dir():
        return []
    found: list[tuple[Path, dict[str, Any]]] = []
    for p in sorted(root.glob(f"*/{SNAPSHOT_FILE}"), key=lambda p: str(p)):
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise MigrationError(f"{p}: unreadable snapshot ({exc})") from None
        if not isinstance(data, dict):
            raise MigrationError(f"{p}: not a drizzle 1.0 snapshot (not a JSON object)")
        snap = cast("dict[str, Any]", data)
        if "id" not in snap or not isinstance(snap.get("prevIds"), list):
            raise MigrationError(f"{p}: not a drizzle 1.0 snapshot (no id / prevIds)")
        found.append((p, snap))
    return found


def _leaves(snaps: list[tuple[Path, dict[str, Any]]]) -> list[str]:
    ids = [s["id"] for _, s in snaps]
    parents = {pid for _, s in snaps for pid in s["prevIds"]}
    leaves = list(dict.fromkeys(i for i in ids if i not in parents))
    return leaves or [ids[-1]]


def generate_v1(
    tables: Sequence[type[Table]],
    out: str | Path,
    *,
    dialect: str = "sqlite",
    name: str | None = None,
    hints: Hints | None = None,
    custom: bool = False,
    breakpoints: bool = True,
    now_ms: int | None = None,
    snapshot_id: str | None = None,
    write: bool = True,
    down: bool = True,
) -> V1Result:
    """drizzle-kit 1.0 `generate` into `out`: diff the last snapshot against `tables` and write the next folder.

    Renames come from `hints` (drizzle-kit's `--hints`) and the schema's `renamed_from=`; an undecided
    vanished-and-new pair raises `MissingHintsError` naming the hints to add. Refuses a 0.x journal folder.
    With `down`, mizzle's down migration goes to `<out>/down/<folder name>.sql` (the new snapshot diffed back to
    the previous one, the renames reversed; drizzle-kit and drizzle-orm 1.0 ignore `down/`: it has no
    `migration.sql` nor `snapshot.json`).
    """
    refuse_journal(out)
    kit = kit_dialect(dialect)
    snaps = snapshots(out)
    prev: dict[str, Any] = snaps[-1][1] if snaps else {"id": EMPTY_V1_ID, "prevIds": [], "ddl": [], "renames": []}
    if snaps and prev.get("dialect") not in (None, kit.v1_dialect()):
        raise MigrationError(f"{snaps[-1][0]}: a {prev.get('dialect')} snapshot; the config's dialect is {dialect}")
    h = hints if hints is not None else Hints()
    h.add_schema_renames(tables)
    new_id = snapshot_id or str(uuid.uuid4())
    prev_ids = _leaves(snaps) if snaps else [EMPTY_V1_ID]
    parents = [p.parent.name for p, _ in snaps]
    floor = max((folder_millis(n) + 1000 for n in parents), default=0)
    stamp_ms = max(now_ms if now_ms is not None else _now_ms(), floor)
    tag = next_folder_name(name or f"{random.choice(_WORDS[0])}_{random.choice(_WORDS[1])}", stamp_ms)
    raw = [s for _, s in snaps]
    if custom:
        result = V1Result(True, tag, CUSTOM_V1_SQL, _dump(kit.v1_custom_snapshot(raw, new_id, prev_ids)), [])
        if down:
            result.down_sql = down_header() + DOWN_IRREVERSIBLE_CUSTOM
    else:
        rec = _Recorder(h.resolve)
        plan = kit.v1_plan(tables, raw, prev_ids, rec.forward)
        statements = plan.statements
        if h.missing:
            lines = [json.dumps({"type": "rename", "kind": m["kind"], "from": m["candidates"][0], "to": m["entity"]})
                     for m in h.missing]
            creates = [json.dumps({"type": "create", "kind": m["kind"], "entity": m["entity"]}) for m in h.missing]
            raise MissingHintsError(
                f"missing_hints: {len(h.missing)} unresolved decision(s): "
                + "; ".join(f"{m['kind']} {'.'.join(m['entity'][1:])} is new and "
                            f"{', '.join('.'.join(c[1:]) for c in m['candidates'])} vanished" for m in h.missing),
                "answer with --hints '[...]' / --hints-file: a rename, e.g. " + lines[0] + ", or a create, e.g. "
                + creates[0] + " (or add renamed_from= to the schema)")
        if not statements:
            return V1Result(False)
        sql = (BREAKPOINT if breakpoints else "\n").join(statements)
        result = V1Result(True, tag, sql, _dump(plan.snapshot(new_id, prev_ids)), statements)
        if down:
            back, _ = kit.v1_diff(plan.ddl, plan.prev_ddl, rec.backward)
            result.down_sql = down_header(rec.lossy, _values_taken_back(plan.ddl, plan.prev_ddl)) + BREAKPOINT.join(back)
            result.down_lossy = rec.lossy
    if write:
        result.write(out)
    return result


def _now_ms() -> int:
    import time

    return int(time.time() * 1000)


def _dump(snap: dict[str, Any]) -> str:
    """`JSON.stringify(snapshot, null, 2)`."""
    return json.dumps(snap, indent=2, ensure_ascii=False)


def folder_format(config_raw: dict[str, Any]) -> str:
    """The layout `generate` writes: the config's `format` ("journal" by default)."""
    return str(config_raw.get("format", "journal"))


__all__ = ["CUSTOM_V1_SQL", "EMPTY_V1_ID", "Hints", "MissingHintsError", "V1Result", "generate_v1", "snapshots"]
