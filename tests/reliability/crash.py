"""kill -9 of `mizzle migrate` at random moments, then: integrity and FK checks, the tracking table matches the
schema, a re-run completes, every row is there exactly once. Used by test_crash.py (CI: a few kills) and by
scripts/reliability.sh (the long profile, figures in RELIABILITY.md).

A campaign builds, per kill, a fresh database with `ROWS` rows and two pending migrations:

* `0001_data` (custom, hand-written): non-idempotent DML and DDL mixed —
  `UPDATE items SET n = n + 1`, `ALTER TABLE items ADD m integer`, `UPDATE items SET m = n * 10`,
  `INSERT INTO audit (item_id) SELECT id FROM items WHERE id <= AUDIT`, `CREATE INDEX items_n ON items (n)`;
* `0002_rebuild` (generated): `parent.score` integer -> text and a new column on `parent`, which `ON DELETE
  CASCADE` children and grandchildren reference (a table rebuild on SQLite/libSQL, ALTERs elsewhere).

then starts `python -m mizzle migrate`, sleeps a random time (0 .. 1.3 x an uninterrupted run) and kills it
with SIGKILL, checks the database, runs migrate again and checks the invariants.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rel_helpers import Target, server_target, sqlite_target

import mizzle
from _servers import throwaway_database
from mizzle.kit.api import generate
from mizzle.kit.journal import Journal

ROWS = int(os.environ.get("MIZZLE_CRASH_ROWS", "60000"))
AUDIT = 1000
CHILDREN = 2  # per parent
PARENTS = 2000
_CONFIG_DIALECT = {"sqlite": "sqlite", "libsql": "turso", "postgres": "postgresql", "mysql": "mysql"}


@dataclass
class Stats:
    """What a campaign did and found."""

    dialect: str
    tried: int = 0
    landed: int = 0  # kills that hit a running migrate (it had not finished)
    survived: int = 0
    rows_lost: int = 0
    double_applied: int = 0
    failures: list[str] = field(default_factory=list[str])


def _tables(mod: Any, v2: bool) -> list[type[Any]]:
    parent: dict[str, Any] = {"id": mod.integer("id").primary_key(),
                              "score": mod.text("score") if v2 else mod.integer("score")}
    if v2:
        parent["note"] = mod.text("note")
    p = type("Parent", (mod.Table,), parent, name="parent")
    c = type("Child", (mod.Table,), {
        "id": mod.integer("id").primary_key(),
        "parent_id": mod.integer("parent_id").references(lambda: p.id, on_delete="cascade"),
    }, name="child")
    g = type("Grandchild", (mod.Table,), {
        "id": mod.integer("id").primary_key(),
        "child_id": mod.integer("child_id").references(lambda: c.id, on_delete="cascade"),
    }, name="grandchild")
    items = type("Items", (mod.Table,), {"id": mod.integer("id").primary_key(),
                                         "n": mod.integer("n").not_null().default(0)}, name="items")
    audit = type("Audit", (mod.Table,), {"item_id": mod.integer("item_id").not_null()}, name="audit")  # no key:
    # a statement applied twice shows as duplicate rows instead of failing
    return [p, c, g, items, audit]


DATA_SQL = [
    "UPDATE items SET n = n + 1;",
    "ALTER TABLE items ADD m integer;",
    "UPDATE items SET m = n * 10;",
    f"INSERT INTO audit (item_id) SELECT id FROM items WHERE id <= {AUDIT};",
    "CREATE INDEX items_n ON items (n);",
]


def build_folder(target: Target, folder: Path) -> None:
    """0000 (tables), 0001_data (custom), 0002_rebuild (generated) in `folder`."""
    mod = target.mod
    generate(_tables(mod, False), folder, name="init")
    custom = generate(_tables(mod, False), folder, custom=True, name="data")
    assert custom.sql_path is not None
    custom.sql_path.write_text(custom.sql + "--> statement-breakpoint\n".join(DATA_SQL), encoding="utf-8")
    generate(_tables(mod, True), folder, name="rebuild")


def _split_first(folder: Path, keep: int) -> Path:
    """A copy of `folder` whose journal lists only the first `keep` migrations."""
    import shutil

    dst = folder.parent / f"{folder.name}_first{keep}"
    shutil.copytree(folder, dst)
    journal = Journal.read(dst)
    journal.entries = journal.entries[:keep]
    journal.write(dst)
    return dst


def seed(target: Target, folder: Path) -> None:
    """Apply 0000 in-process and insert the rows."""
    db = target.connect()
    try:
        mizzle.migrate(db, _split_first(folder, 1))
        with db.transaction():
            _fill(db, "items", "id, n", [(i, 0) for i in range(1, ROWS + 1)])
            _fill(db, "parent", "id, score", [(i, i) for i in range(1, PARENTS + 1)])
            _fill(db, "child", "id, parent_id", [(i, (i - 1) // CHILDREN + 1) for i in range(1, PARENTS * CHILDREN + 1)])
            _fill(db, "grandchild", "id, child_id", [(i, i) for i in range(1, PARENTS * CHILDREN + 1)])
    finally:
        db.close()


def _fill(db: mizzle.Database, table: str, cols: str, rows: list[tuple[int, int]]) -> None:
    for i in range(0, len(rows), 1000):
        chunk = rows[i:i + 1000]
        db.execute(f"INSERT INTO {table} ({cols}) VALUES " + ", ".join(f"({a}, {b})" for a, b in chunk))


def write_config(target: Target, root: Path, folder: Path) -> None:
    url = target.url if not target.is_sqlite else "sqlite:///" + target.url
    (root / "mizzle.toml").write_text(
        f'out = "{folder}"\nurl = "{url}"\ndialect = "{_CONFIG_DIALECT[target.kind]}"\n', encoding="utf-8")


def start_migrate(root: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.Popen([sys.executable, "-m", "mizzle", "migrate"], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def check(target: Target, migrations: int) -> list[str]:
    """Invariants after a completed migrate: [] when all hold."""
    problems: list[str] = []
    db = target.connect()
    try:
        if target.is_sqlite:
            ok = db.execute("PRAGMA integrity_check")
            if ok != [("ok",)]:
                problems.append(f"integrity_check: {ok[:3]}")
            fk = db.execute("PRAGMA foreign_key_check")
            if fk:
                problems.append(f"foreign_key_check: {len(fk)} violations")
        tracked = _tracked(target, db)
        if tracked != migrations:
            problems.append(f"tracking table has {tracked} rows, the folder {migrations} migrations")
        counts = {t: int(db.execute(f"SELECT count(*) FROM {t}")[0][0]) for t in ("items", "parent", "child", "grandchild")}
        want = {"items": ROWS, "parent": PARENTS, "child": PARENTS * CHILDREN, "grandchild": PARENTS * CHILDREN}
        for t, n in counts.items():
            if n != want[t]:
                problems.append(f"rows lost: {t} has {n} rows, expected {want[t]}")
        bad_n = int(db.execute("SELECT count(*) FROM items WHERE n <> 1 OR m <> 10 OR m IS NULL")[0][0])
        if bad_n:
            problems.append(f"double-applied: {bad_n} items rows with n <> 1 or m <> 10")
        audit = db.execute("SELECT count(*), count(DISTINCT item_id) FROM audit")[0]
        if tuple(audit) != (AUDIT, AUDIT):
            problems.append(f"double-applied: audit holds {audit[0]} rows ({audit[1]} distinct), expected {AUDIT}")
        scores = int(db.execute("SELECT count(*) FROM parent WHERE score IS NULL")[0][0])
        if scores:
            problems.append(f"rows lost: {scores} parent.score values became NULL")
    finally:
        db.close()
    return problems


def _tracked(target: Target, db: mizzle.Database) -> int:
    if target.kind == "postgres":
        return int(db.execute('SELECT count(*) FROM "drizzle"."__drizzle_migrations"')[0][0])
    return int(db.execute("SELECT count(*) FROM __drizzle_migrations")[0][0])


@contextmanager
def fresh(target: Target) -> Iterator[Target]:
    """A new empty database of the target's dialect."""
    if target.is_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            yield sqlite_target(target.kind, Path(tmp))
        return
    with throwaway_database(target.kind, prefix="mizzle_crash_") as url:
        yield server_target(target.kind, url)


def _once(target: Target, work: Path, delay: float | None) -> tuple[bool, float, list[str]]:
    """One round: seed, migrate (killed after `delay` s, or not), migrate again, check. (landed, seconds, problems)."""
    folder = work / "migrations"
    build_folder(target, folder)
    seed(target, folder)
    write_config(target, work, folder)
    t0 = time.monotonic()
    proc = start_migrate(work)
    landed = False
    if delay is not None:
        try:
            proc.wait(delay)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            landed = True
    out, err = proc.communicate()
    took = time.monotonic() - t0
    problems: list[str] = []
    if not landed and proc.returncode != 0:
        problems.append(f"migrate failed: {err.decode(errors='replace')[-600:]}")
    if target.is_sqlite:
        db = target.connect()
        try:
            if db.execute("PRAGMA integrity_check") != [("ok",)]:
                problems.append("integrity_check failed right after the kill")
        finally:
            db.close()
    again = start_migrate(work)
    out2, err2 = again.communicate(timeout=600)
    if again.returncode != 0:
        problems.append(f"re-run failed: {(err2 or out2).decode(errors='replace')[-800:]}")
    else:
        problems += check(target, len(Journal.read(folder).entries))
    del out
    return landed, took, problems


def campaign(target: Target, kills: int, seed_: int = 0) -> Stats:
    """`kills` rounds on fresh databases of `target`'s dialect."""
    rng = random.Random(seed_)
    stats = Stats(target.kind)
    with fresh(target) as t, tempfile.TemporaryDirectory() as tmp:
        _, base, problems = _once(t, Path(tmp), None)  # calibrate: an uninterrupted run
        if problems:
            stats.failures.append("uninterrupted run: " + "; ".join(problems))
            return stats
    for i in range(kills):
        delay = rng.uniform(0.0, 1.3 * base)
        with fresh(target) as t, tempfile.TemporaryDirectory() as tmp:
            landed, _, problems = _once(t, Path(tmp), delay)
        stats.tried += 1
        stats.landed += landed
        if problems:
            stats.failures.append(f"kill {i} at {delay:.2f}s: " + "; ".join(problems))
            stats.rows_lost += any(p.startswith("rows lost") for p in problems)
            stats.double_applied += any(p.startswith("double-applied") for p in problems)
        else:
            stats.survived += 1
    return stats


__all__ = ["Stats", "campaign", "check"]
