"""Issue 13 case 1: kill -9 of `mizzle migrate` while a non-idempotent data statement runs, then migrate again:
the statement takes effect exactly once (MariaDB used to finish and commit the UPDATE after the client died,
and the resumed run applied it a second time: every row ended at n = 2)."""

from __future__ import annotations

import os
import signal
import tempfile
import time
from pathlib import Path

import pytest
from crash import fresh, start_migrate, write_config
from rel_helpers import Target

import mizzle
from mizzle.kit.api import generate

ROWS = int(os.environ.get("MIZZLE_MID_ROWS", "300000"))


def _running(t: Target, db: mizzle.Database, work: Path) -> bool:
    """Whether the UPDATE is executing now (server: its activity view; SQLite: a write transaction's journal)."""
    if t.is_sqlite:
        return (Path(t.url + "-journal").exists() or Path(t.url + "-wal").exists())
    if t.kind == "postgres":
        q = ("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%UPDATE items SET n = n + 1%' "
             "AND state = 'active' AND pid <> pg_backend_pid()")
    else:
        q = ("SELECT count(*) FROM information_schema.processlist WHERE info LIKE '%UPDATE items SET n = n + 1%' "
             "AND id <> connection_id()")
    return int(db.execute(q)[0][0]) > 0


def test_kill_during_update_applies_it_once(target: Target) -> None:
    mod = target.mod
    items = type("Items", (mod.Table,), {"id": mod.integer("id").primary_key(),
                                         "n": mod.integer("n").not_null().default(0)}, name="items")
    hits = 0
    for _ in range(int(os.environ.get("MIZZLE_MID_ROUNDS", "2"))):
        with fresh(target) as t, tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            folder = work / "migrations"
            generate([items], folder, name="init")
            db = t.connect()
            try:
                mizzle.migrate(db, folder)
                with db.transaction():
                    for i in range(0, ROWS, 5000):
                        db.execute("INSERT INTO items (id, n) VALUES "
                                   + ", ".join(f"({k}, 0)" for k in range(i + 1, min(i + 5000, ROWS) + 1)))
                custom = generate([items], folder, custom=True, name="bump")
                assert custom.sql_path is not None
                with custom.sql_path.open("a", encoding="utf-8") as f:
                    f.write("UPDATE items SET n = n + 1;\n")
                write_config(t, work, folder)
                proc = start_migrate(work)
                deadline = time.monotonic() + 60
                while proc.poll() is None and not _running(t, db, work) and time.monotonic() < deadline:
                    time.sleep(0.002)
                if proc.poll() is None:
                    time.sleep(0.05)  # well inside the statement
                    os.kill(proc.pid, signal.SIGKILL)
                    hits += 1
                proc.communicate()
                again = start_migrate(work)
                _, err = again.communicate(timeout=600)
                assert again.returncode == 0, err.decode(errors="replace")
                assert db.execute("SELECT n, count(*) FROM items GROUP BY n") == [(1, ROWS)]
            finally:
                db.close()
    if hits == 0:
        pytest.fail("the kill never landed while the UPDATE ran (raise MIZZLE_MID_ROWS)")
