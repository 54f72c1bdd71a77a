"""mizzle against the real drizzle-kit 1.0 / drizzle-orm 1.0 (the v1 folder layout and tracking table).

Needs node and npm; installs drizzle-kit, drizzle-orm (1.0.0-rc.5, override with MIZZLE_DRIZZLE1_VERSION),
better-sqlite3 and pg once into ~/.cache/mizzle-interop-v1 (override with MIZZLE_INTEROP_V1_DIR). Skipped
with a message when node/npm are missing or the install fails (offline).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kit_helpers import load_module
from node_cache import npm_folder

import mizzle
from _servers import throwaway_database
from mizzle.kit.api import generate
from mizzle.kit.dialects.sqlite.snapshot_v7 import upgrade
from mizzle.kit.journal import read_migrations
from mizzle.kit.up import up

VERSION = os.environ.get("MIZZLE_DRIZZLE1_VERSION", "1.0.0-rc.5")
CACHE = Path(os.environ.get("MIZZLE_INTEROP_V1_DIR", Path.home() / ".cache" / "mizzle-interop-v1"))
V1 = Path(__file__).parent.parent / "fixtures" / "drizzle_v1"
START = 1_795_498_918_000
PACKAGES = (f"drizzle-kit@{VERSION}", f"drizzle-orm@{VERSION}", "better-sqlite3@12", "pg@8")


def node_v1() -> Path:
    """The npm folder with drizzle-kit/drizzle-orm 1.0 installed (skips the test when that is impossible)."""
    return npm_folder(CACHE, PACKAGES, purpose="the drizzle 1.0 interop tests")


def drizzle_kit(cache: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed drizzle-kit in `cwd`."""
    return subprocess.run([str(cache / "node_modules" / ".bin" / "drizzle-kit"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def write_config(cwd: Path, dialect: str, out: str = "migrations") -> None:
    """A drizzle.config.ts for `drizzle-kit up` / `check` (no schema needed)."""
    (cwd / "drizzle.config.ts").write_text(
        'import { defineConfig } from "drizzle-kit";\n'
        f'export default defineConfig({{ schema: "./schema.ts", out: "./{out}", dialect: "{dialect}" }});\n')
    link = cwd / "node_modules"
    if not link.exists():
        link.symlink_to(CACHE / "node_modules")


def mysql_history(out: Path) -> int:
    """mizzle's 0.x MySQL folder of tests/kit_mysql/schemas/small.py's steps, 2 s apart; the number of steps."""
    import importlib.util

    path = Path(__file__).parent.parent / "kit_mysql" / "schemas" / "small.py"
    spec = importlib.util.spec_from_file_location("_up_mysql_small", path)
    assert spec is not None and spec.loader is not None
    small = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(small)
    for step in range(1, len(small.STEPS) + 1):
        generate(small.tables(step), out, name=small.STEPS[step - 1], dialect="mysql",
                 now_ms=START + step * 2000, empty_tables=True)
    return len(small.STEPS)


def pg_history(out: Path) -> int:
    """mizzle's 0.x PostgreSQL folder of the 11-step `evolution_pg`, 2 s apart; the number of migrations."""
    evo = load_module("evolution_pg")
    for step in range(1, 12):
        generate(evo.tables(step, hints=True), out, name=evo.STEPS[step - 1], now_ms=START + step * 2000)
    return 11


@pytest.mark.parametrize("dialect", ["sqlite", "mysql", "postgresql"])
def test_mizzle_up_writes_what_drizzle_kit_up_writes(dialect: str, tmp_path: Path) -> None:
    from mizzle.kit.up import snapshot_upgrade

    cache = node_v1()
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    if dialect == "sqlite":
        history("sqlite", ours / "migrations", 11)
        steps = 11
    elif dialect == "mysql":
        steps = mysql_history(ours / "migrations")
    else:
        steps = pg_history(ours / "migrations")
    shutil.copytree(ours, theirs)
    write_config(theirs, dialect)
    proc = drizzle_kit(cache, theirs, "up")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = up(ours / "migrations", snapshot_upgrade(dialect))
    assert len(result.moved) == steps and len(result.upgraded) == steps
    files = sorted(str(p.relative_to(theirs / "migrations")) for p in (theirs / "migrations").rglob("*")
                   if p.is_file() and "down" not in p.parts)
    assert files == sorted(str(p.relative_to(ours / "migrations")) for p in (ours / "migrations").rglob("*")
                           if p.is_file() and "down" not in p.parts)
    for rel in files:
        assert (ours / "migrations" / rel).read_bytes() == (theirs / "migrations" / rel).read_bytes(), rel
    # mizzle moved its down migrations with their migrations; drizzle-kit leaves down/ alone
    downs = {p.stem for p in (ours / "migrations" / "down").iterdir()}
    assert downs and downs <= {r.split("/")[0] for r in files}
    # and drizzle-kit 1.0 accepts mizzle's converted folder as current
    write_config(ours, dialect)
    proc = drizzle_kit(cache, ours, "check")
    assert proc.returncode == 0, proc.stdout + proc.stderr


# ---- applying folders: drizzle-orm 1.0 and mizzle, alternately -------------------------------------

APPLY_SQLITE = r"""
const Database = require("better-sqlite3");
const { drizzle } = require("drizzle-orm/better-sqlite3");
const { migrate } = require("drizzle-orm/better-sqlite3/migrator");
const [folder, file] = process.argv.slice(2);
const sqlite = new Database(file);
migrate(drizzle({ client: sqlite }), { migrationsFolder: folder });
const master = sqlite.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").all();
const rows = sqlite.prepare('SELECT hash, created_at, name, applied_at FROM "__drizzle_migrations" ORDER BY rowid').all();
console.log(JSON.stringify({ master, rows }));
"""

APPLY_PG = r"""
const { Client } = require("pg");
const { drizzle } = require("drizzle-orm/node-postgres");
const { migrate } = require("drizzle-orm/node-postgres/migrator");
const [folder, url] = process.argv.slice(2);
(async () => {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await migrate(drizzle({ client }), { migrationsFolder: folder });
    const rows = (await client.query(
      'SELECT hash, created_at, name, applied_at FROM drizzle.__drizzle_migrations ORDER BY id')).rows;
    const columns = (await client.query(
      "SELECT table_name, column_name, data_type, column_default FROM information_schema.columns " +
      "WHERE table_schema IN ('public', 'drizzle') ORDER BY table_name, ordinal_position")).rows;
    console.log(JSON.stringify({ rows, columns }));
  } finally { await client.end(); }
})().catch((e) => { console.error(e.message); process.exit(1); });
"""


class Db:
    """One database of a kind ("sqlite" file or "postgres" throw-away), opened by mizzle or by node."""

    def __init__(self, kind: str, where: str) -> None:
        self.kind, self.where = kind, where

    def url(self) -> str:
        return f"sqlite:///{self.where}" if self.kind == "sqlite" else self.where

    def drizzle(self, cache: Path, folder: Path) -> dict[str, Any]:
        """Apply `folder` with drizzle-orm 1.0; its tracking rows (and schema dump)."""
        script = cache / f"apply_v1_{self.kind}.cjs"
        script.write_text(APPLY_SQLITE if self.kind == "sqlite" else APPLY_PG)
        proc = subprocess.run(["node", str(script), str(folder), self.where], capture_output=True, text=True,
                              timeout=120, cwd=cache)
        assert proc.returncode == 0, proc.stderr
        data: dict[str, Any] = json.loads(proc.stdout)
        return data

    def mizzle(self, folder: Path) -> list[str]:
        """Apply `folder` with mizzle; the migrations it applied."""
        db = mizzle.connect(self.url())
        try:
            return mizzle.migrate(db, folder).applied
        finally:
            db.close()

    def rows(self) -> list[tuple[str, int, str | None, bool]]:
        """(hash, created_at, name, applied_at set) of the tracking rows, oldest first."""
        db = mizzle.connect(self.url())
        ref, order = (('"__drizzle_migrations"', "rowid") if self.kind == "sqlite"
                      else ('"drizzle"."__drizzle_migrations"', "id"))
        try:
            return [(str(h), int(c), n, a is not None) for h, c, n, a in
                    db.execute(f"SELECT hash, created_at, name, applied_at FROM {ref} ORDER BY {order}")]
        finally:
            db.close()

    def schema(self) -> Any:
        """sqlite_master (SQLite) or the columns of public + drizzle (PostgreSQL)."""
        db = mizzle.connect(self.url())
        try:
            if self.kind == "sqlite":
                return db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")
            return db.execute("SELECT table_name, column_name, data_type, column_default FROM "
                              "information_schema.columns WHERE table_schema IN ('public', 'drizzle') "
                              "ORDER BY table_name, ordinal_position")
        finally:
            db.close()


@pytest.fixture(params=["sqlite", "postgres"])
def dbs(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Db, Db]]:
    """Two empty databases of one kind (one per tool)."""
    kind: str = request.param
    if kind == "sqlite":
        yield Db(kind, str(tmp_path / "a.db")), Db(kind, str(tmp_path / "b.db"))
        return
    with throwaway_database("postgres", prefix="mizzle_v1_") as a, throwaway_database("postgres", prefix="mizzle_v1_") as b:
        yield Db(kind, a), Db(kind, b)


def kit_folder(kind: str) -> Path:
    """drizzle-kit 1.0's own output (tests/fixtures/drizzle_v1)."""
    return V1 / ("evolution_sqlite" if kind == "sqlite" else "seed004_pg")


def pg_steps(step: int) -> list[Any]:
    """A PostgreSQL evolution: 1 items; 2 items.note; 3 + tags -> items; 4 tags.label; 5 items.note text -> varchar."""
    from mizzle import postgres as pg

    items: dict[str, Any] = {"id": pg.serial("id").primary_key()}
    if step >= 2:
        items["note"] = pg.varchar("note", length=40) if step >= 5 else pg.text("note")
    Items: Any = type("Items", (pg.Table,), items, name="items")
    out: list[Any] = [Items]
    if step >= 3:
        tags: dict[str, Any] = {"id": pg.serial("id").primary_key(),
                                "item_id": pg.integer("item_id").references(lambda: Items.id)}
        if step >= 4:
            tags["label"] = pg.text("label").not_null().default("x")
        out.append(type("Tags", (pg.Table,), tags, name="tags"))
    return out


def history(kind: str, out: Path, last: int, first: int = 1) -> Path:
    """mizzle's 0.x folder of steps first..last (SQLite: the evolution schema; PostgreSQL: `pg_steps`), 1 s apart."""
    evo = load_module("evolution")
    for step in range(first, last + 1):
        tables = evo.tables(step, hints=True) if kind == "sqlite" else pg_steps(step)
        name = evo.STEPS[step - 1] if kind == "sqlite" else f"step{step}"
        generate(tables, out, name=name, now_ms=START + step * 1000)
    return out


def mizzle_folder(kind: str, out: Path) -> Path:
    """mizzle's folder (SQLite: 11 steps, PostgreSQL: 5), converted to the 1.0 layout by `up`."""
    history(kind, out, 11 if kind == "sqlite" else 5)
    up(out, upgrade if kind == "sqlite" else None)
    return out


def test_drizzle_kit_folders_are_applied_alike_by_mizzle_and_drizzle_orm(dbs: tuple[Db, Db]) -> None:
    cache = node_v1()
    theirs, ours = dbs
    folder = kit_folder(theirs.kind)
    dumped = theirs.drizzle(cache, folder)
    assert ours.mizzle(folder) == [m.tag for m in read_migrations(folder)]
    assert ours.rows() == theirs.rows()
    assert all(applied for *_, applied in ours.rows())
    assert ours.schema() == theirs.schema()
    assert [r["name"] for r in dumped["rows"]] == [m.tag for m in read_migrations(folder)]
    # each sees the other's database as up to date
    assert ours.mizzle(folder) == [] and theirs.mizzle(folder) == []
    assert len(ours.drizzle(cache, folder)["rows"]) == len(read_migrations(folder))


def test_mizzle_folders_are_applied_by_drizzle_orm(dbs: tuple[Db, Db], tmp_path: Path) -> None:
    cache = node_v1()
    theirs, ours = dbs
    folder = mizzle_folder(theirs.kind, tmp_path / "migrations")
    theirs.drizzle(cache, folder)
    ours.mizzle(folder)
    assert ours.rows() == theirs.rows() and len(ours.rows()) == len(read_migrations(folder))
    assert ours.schema() == theirs.schema()


def _prefix(folder: Path, n: int, dest: Path) -> Path:
    """A copy of `folder` with only its first `n` migrations (a checkout from earlier in the history)."""
    for m in read_migrations(folder)[:n]:
        shutil.copytree(m.path.parent, dest / m.tag)
    return dest


def test_switching_tools_mid_history(tmp_path: Path) -> None:
    cache = node_v1()
    folder = kit_folder("sqlite")
    n = len(read_migrations(folder))
    a, b = Db("sqlite", str(tmp_path / "a.db")), Db("sqlite", str(tmp_path / "b.db"))
    a.drizzle(cache, _prefix(folder, 4, tmp_path / "p4"))
    assert len(a.mizzle(folder)) == n - 4
    b.mizzle(_prefix(folder, 7, tmp_path / "p7"))
    assert len(b.drizzle(cache, folder)["rows"]) == n
    assert a.rows()[:4] == b.rows()[:4] and [r[2] for r in a.rows()] == [r[2] for r in b.rows()]
    assert a.schema() == b.schema()
    assert len(a.drizzle(cache, folder)["rows"]) == n and b.mizzle(folder) == []  # nothing applied twice


def test_old_tracking_table_upgrade_in_both_orders(dbs: tuple[Db, Db], tmp_path: Path) -> None:
    """0.x tooling first (mizzle's 0.x migrator writes what drizzle-orm 0.x writes), then each 1.0 tool upgrades."""
    cache = node_v1()
    one, two = dbs
    old = history(one.kind, tmp_path / "old", 3)
    for db in dbs:
        assert db.mizzle(old)  # 0.x layout: the old table
    new = tmp_path / "new"
    shutil.copytree(old, new)
    history(one.kind, new, 5, first=4)
    up(new, upgrade if one.kind == "sqlite" else None)
    total = len(read_migrations(new))
    one.mizzle(new)  # mizzle upgrades the table, then continues
    assert len(one.drizzle(cache, new)["rows"]) == total  # drizzle-orm 1.0 applies nothing twice
    two.drizzle(cache, new)  # drizzle-orm 1.0 upgrades, then continues
    assert two.mizzle(new) == []
    assert one.rows() == two.rows() and len(one.rows()) == total
    assert one.schema() == two.schema()  # incl. the upgraded tracking table's DDL text


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_mizzle_v1_generate_is_accepted_by_drizzle_kit_and_drizzle_orm(kind: str, tmp_path: Path) -> None:
    """mizzle's `generate` (format = "v1") of the 11-step evolution (SQLite: `evolution`, PostgreSQL:
    `evolution_pg`), down migrations included: drizzle-kit 1.0 `check` passes, its `generate` of the same schema
    (steps/11_*.ts) finds no changes, and drizzle-orm 1.0's migrator applies it as mizzle does."""
    from mizzle.kit.generate_v1 import generate_v1

    cache = node_v1()
    evo = load_module("evolution" if kind == "sqlite" else "evolution_pg")
    dialect = "sqlite" if kind == "sqlite" else "postgresql"
    folder = tmp_path / "migrations"
    for step in range(1, 12):
        generate_v1(evo.tables(step, hints=True), folder, dialect=dialect, name=evo.STEPS[step - 1],
                    now_ms=START + step * 1000)
    # mizzle's down migrations sit in <out>/down/: drizzle-kit's check/generate and drizzle-orm's migrator below
    # run on the folder with them and ignore them
    assert len(list((folder / "down").glob("*.sql"))) == 11
    steps = Path(__file__).parent.parent / "fixtures" / "drizzle" / "src" / ("evolution_sqlite" if kind == "sqlite" else "evolution_pg") / "steps"
    shutil.copy(next(steps.glob("11_*.ts")), tmp_path / "schema.ts")
    write_config(tmp_path, dialect)
    proc = drizzle_kit(cache, tmp_path, "check")
    assert proc.returncode == 0 and "Everything's fine" in proc.stdout, proc.stdout + proc.stderr
    proc = drizzle_kit(cache, tmp_path, "generate", "--name=again")
    assert proc.returncode == 0 and "No schema changes" in proc.stdout, proc.stdout + proc.stderr
    assert len(read_migrations(folder)) == 11
    with contextlib.ExitStack() as stack:
        if kind == "sqlite":
            theirs, ours = Db(kind, str(tmp_path / "a.db")), Db(kind, str(tmp_path / "b.db"))
        else:
            theirs = Db(kind, stack.enter_context(throwaway_database("postgres", prefix="mizzle_v1pg_")))
            ours = Db(kind, stack.enter_context(throwaway_database("postgres", prefix="mizzle_v1pg_")))
        dumped = theirs.drizzle(cache, folder)
        assert [r["name"] for r in dumped["rows"]] == [m.tag for m in read_migrations(folder)]
        assert len(ours.mizzle(folder)) == 11
        assert ours.rows() == theirs.rows() and ours.schema() == theirs.schema()
