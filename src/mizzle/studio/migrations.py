"""The migrations view: applied and pending migrations, drift, and the plan `push` would run (never run here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from mizzle.errors import DatabaseError, MizzleError
from mizzle.kit.dialects import kit_dialect_of
from mizzle.kit.diff import ChainResolver, Decision, HintResolver
from mizzle.kit.introspect import db_dialect
from mizzle.sql.chunks import SQL
from mizzle.studio.app import Studio

DEFAULT_TABLE = "__drizzle_migrations"


@dataclass(slots=True)
class NoRenames:
    """Answers "new, not renamed" for every undecided rename and remembers the question (shown as a note)."""

    assumed: list[str] = field(default_factory=list[str])

    def table(self, new: str, candidates: Sequence[str]) -> Decision:
        """Treat table `new` as created."""
        self.assumed.append(f"table {new} taken as new (could be a rename of {', '.join(candidates)})")
        return False

    def column(self, table: str, new: str, candidates: Sequence[str]) -> Decision:
        """Treat column `table.new` as created."""
        self.assumed.append(f"column {table}.{new} taken as new (could be a rename of {', '.join(candidates)})")
        return False


def _tracking_table(studio: Studio) -> SQL[Any]:
    name = studio.config.migrations_table if studio.config is not None else DEFAULT_TABLE
    return kit_dialect_of(studio.db).runner(studio.db, name).tracking_table()


def applied_rows(studio: Studio) -> tuple[list[tuple[str, int]], str | None]:
    """(hash, created_at) rows of the tracking table, and a note when it does not exist yet."""
    query = SQL("SELECT hash, created_at FROM {} ORDER BY created_at", _tracking_table(studio))
    try:
        with studio.lock:
            rows = studio.db.execute(query)
    except DatabaseError:
        return [], "the database has no migrations tracking table yet (no migration was applied)"
    return [(str(h), int(c)) for h, c in rows], None


def _when(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat(timespec="seconds")


def migrations_status(studio: Studio) -> dict[str, Any]:
    """The folder's migrations marked applied or pending, and the database's unknown ones."""
    from mizzle.kit.journal import read_migrations
    from mizzle.kit.migrator import AppliedRow, plan

    out: dict[str, Any] = {"folder": None, "migrations": [], "unknown": [], "errors": [], "notes": []}
    if studio.config is None:
        out["errors"].append("no kit config: start the studio with `mizzle studio` next to mizzle.toml or "
                             "[tool.mizzle] to see migrations")
        return out
    folder = studio.config.out
    out["folder"] = str(folder)
    rows, note = applied_rows(studio)
    if note:
        out["notes"].append(note)
    try:
        files = read_migrations(folder)
    except MizzleError as exc:
        out["errors"].append(f"no migrations read from {folder}: {exc}")
        files = []
    pending_tags: set[str] | None = None
    try:
        pending_tags = {m.tag for m in plan(files, [AppliedRow(h, c) for h, c in rows])}
    except MizzleError as exc:
        out["errors"].append(str(exc))
    by_hash = {h: c for h, c in rows}
    by_when = {c: h for h, c in rows}
    matched: set[str] = set()
    for m in files:
        applied_at: int | None = None
        if m.when in by_when:
            applied_at = m.when
            matched.add(by_when[m.when])
        elif m.hash in by_hash:
            applied_at = by_hash[m.hash]
            matched.add(m.hash)
        applied = m.tag not in pending_tags if pending_tags is not None else applied_at is not None
        out["migrations"].append({
            "tag": m.tag, "when": _when(m.when), "applied": applied, "hash": m.hash[:12],
            "statements": len(m.chunks), "sql": m.sql,
        })
    out["unknown"] = [{"hash": h[:12], "created_at": _when(c)} for h, c in rows if h not in matched]
    out["pending"] = sum(1 for m in out["migrations"] if not m["applied"])
    out["applied"] = sum(1 for m in out["migrations"] if m["applied"])
    return out


def _describe(statements: Sequence[Any]) -> list[dict[str, str]]:
    from mizzle.kit.push import describe_statement

    out: list[dict[str, str]] = []
    for s in statements:
        style, action, target, detail = describe_statement(s)
        out.append({"style": style, "action": action, "target": target, "detail": detail})
    return out


def push_plan(studio: Studio) -> dict[str, Any]:
    """The statements `mizzle push` would run against this database, with data checks (nothing is applied)."""
    from mizzle.kit.from_schema import rename_hints
    from mizzle.kit.push import plan_push

    assumed = NoRenames()
    resolver = ChainResolver([HintResolver(rename_hints(studio.tables)), assumed])
    include = studio.config.table_included if studio.config is not None else None
    table = studio.config.migrations_table if studio.config is not None else DEFAULT_TABLE
    try:
        with studio.lock:
            p = plan_push(studio.db, studio.tables, resolver=resolver, include=include, migrations_table=table)
    except MizzleError as exc:
        return {"available": False, "reason": f"push planning is not available here: {exc}"}
    return {
        "available": True,
        "in_sync": p.empty,
        "statements": _describe(p.statements),
        "sql": p.sql,
        "losses": [_finding(f) for f in p.losses],
        "conflicts": [_finding(f) for f in p.conflicts],
        "assumed": assumed.assumed,
    }


def _finding(f: Any) -> dict[str, Any]:
    return {"table": f.table, "column": f.column, "message": f.message, "count": f.count,
            "samples": list(f.samples), "hint": f.hint}


def generate_drift(studio: Studio) -> dict[str, Any]:
    """Schema changes that no migration in the folder holds yet (what `mizzle generate` would write)."""
    from mizzle.kit.api import current_snapshot, last_snapshot, plan

    if studio.config is None:
        return {"available": False, "reason": "no kit config (migrations folder unknown)"}
    try:
        dialect = db_dialect(studio.db)
        cur = current_snapshot(studio.tables, dialect)
        prev = last_snapshot(studio.config.out, dialect)
        assumed = NoRenames()
        p = plan(prev, cur, ChainResolver([HintResolver(rename_hints_of(studio)), assumed]))
    except MizzleError as exc:
        return {"available": False, "reason": f"comparing the schema with the migrations folder is not available "
                                              f"here: {exc}"}
    return {"available": True, "in_sync": not p.sql, "statements": _describe(p.statements), "sql": p.sql,
            "lossy": p.lossy, "problems": p.problems, "assumed": assumed.assumed}


def rename_hints_of(studio: Studio) -> Any:
    """The schema's `renamed_from` hints."""
    from mizzle.kit.from_schema import rename_hints

    return rename_hints(studio.tables)


def overview(studio: Studio) -> dict[str, Any]:
    """Everything the migrations view shows."""
    return {"status": migrations_status(studio), "drift": generate_drift(studio), "push": push_plan(studio)}


__all__ = ["NoRenames", "applied_rows", "generate_drift", "migrations_status", "overview", "push_plan"]
