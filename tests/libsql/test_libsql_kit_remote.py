"""The kit through a libSQL server (Hrana over HTTP, `driver="libsql-http"`): atomic migrations, kill -9, lost streams.

Each test owns its sqld (`sqld_process`): a killed client leaves a transaction holding the write lock
on the server until sqld hands the lock to the next writer (~5 s), which must not slow other tests.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import mizzle
from _sqld import Sqld
from mizzle.errors import OperationalError
from mizzle.kit.journal import Journal
from mizzle.kit.migrator import migrate

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "drizzle"


def _connect(server: Sqld) -> mizzle.Database:
    return mizzle.connect(server.url, driver="libsql-http", auth_token=server.token)


def _evolution(tmp_path: Path, first: int | None) -> Path:
    folder = tmp_path / "evo"
    if not folder.exists():
        shutil.copytree(FIX / "evolution_sqlite", folder)
    journal = Journal.read(folder)
    journal.entries = Journal.read(FIX / "evolution_sqlite").entries[:first]
    journal.write(folder)
    return folder


def _seed(db: mizzle.Database) -> None:
    db.execute("INSERT INTO users (id, full_name, email, age) VALUES (1, 'a', 'a@x', 30), (2, 'b', 'b@x', 40)")
    db.execute("INSERT INTO posts (id, user_id, title) VALUES (10, 1, 'p1'), (11, 2, 'p2'), (12, 1, 'p3')")
    db.execute("INSERT INTO comments (id, post_id, body, author_id) VALUES (100, 10, 'c', 1), (101, 11, 'd', 2)")


def test_no_stream_is_kept_between_calls_outside_a_transaction(sqld_process: Sqld) -> None:
    db = _connect(sqld_process)
    db.execute("CREATE TABLE t (id integer PRIMARY KEY, v)")
    db.execute("INSERT INTO t (v) VALUES (?)", 2**63 - 1)
    assert db.driver.baton is None  # type: ignore[attr-defined]
    db.execute("PRAGMA foreign_keys=OFF")  # a session pragma: replayed at the start of every stream
    assert db.execute("PRAGMA foreign_keys") == [(0,)]
    with db.transaction("immediate"):
        assert db.execute("PRAGMA foreign_keys") == [(0,)]
        assert db.driver.baton is not None  # type: ignore[attr-defined]
    db.execute("PRAGMA foreign_keys=ON")
    assert db.execute("PRAGMA foreign_keys") == [(1,)]
    assert db.execute("SELECT v FROM t") == [(2**63 - 1,)]
    db.close()


def test_a_lost_transaction_stream_is_a_clear_error(sqld_process: Sqld) -> None:
    """The server forgot the stream (expired while idle, or as here an unknown baton): the transaction is
    reported lost, nothing of it is committed, and the connection works again at once."""
    db = _connect(sqld_process)
    db.execute("CREATE TABLE t (id integer PRIMARY KEY)")
    with pytest.raises(OperationalError, match="nothing in it was committed"), db.transaction():
        db.execute("SELECT count(*) FROM t")
        db.driver.baton = "not-a-baton"  # type: ignore[attr-defined]
        db.execute("INSERT INTO t VALUES (1)")
    assert not db.driver.in_transaction  # type: ignore[attr-defined]
    assert db.execute("SELECT count(*) FROM t") == [(0,)]
    db.close()


def test_remote_rebuild_runs_in_one_transaction_and_keeps_children(sqld_process: Sqld, tmp_path: Path) -> None:
    db = _connect(sqld_process)
    migrate(db, _evolution(tmp_path, 3))
    _seed(db)
    result = migrate(db, _evolution(tmp_path, None))
    assert len(result.applied) == 8
    assert db.execute("SELECT id, post_id, body, author_id FROM notes ORDER BY id") == [
        (100, 10, "c", 1), (101, 11, "d", 2)]
    assert db.execute("PRAGMA foreign_keys") == [(1,)]
    assert db.execute("PRAGMA foreign_key_check") == []
    db.close()


_CHILD = r"""
import os, sys, time
import mizzle
from mizzle.kit.migrator import migrate

def logger(sql, params):
    if sql.lstrip().upper().startswith("INSERT INTO") and "__new_" in sql:
        print("MID-REBUILD", flush=True)   # the rebuild's new table exists in the open transaction
        time.sleep(3600)                   # the parent kills this process now (SIGKILL)

db = mizzle.connect(os.environ["URL"], driver="libsql-http", auth_token=os.environ["TOKEN"], logger=logger)
migrate(db, sys.argv[1])
print("FINISHED", flush=True)
"""


def test_kill_9_mid_migration_leaves_nothing_applied(sqld_process: Sqld, tmp_path: Path) -> None:
    """SIGKILL the migrating process inside a table rebuild (foreign keys off, child table half copied):
    the server rolls the transaction back; nothing of the migration is visible, and migrating again applies
    it whole."""
    db = _connect(sqld_process)
    migrate(db, _evolution(tmp_path, 3))
    _seed(db)
    before = db.execute("SELECT name, sql FROM sqlite_master ORDER BY name")
    folder = _evolution(tmp_path, None)
    env = {**os.environ, "URL": sqld_process.url, "TOKEN": sqld_process.token,
           "PYTHONPATH": os.pathsep.join(sys.path)}
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(folder)], stdout=subprocess.PIPE, env=env, text=True)
    assert child.stdout is not None
    line = child.stdout.readline()  # blocks until the child is inside the rebuild (or has exited)
    assert line.strip() == "MID-REBUILD", line
    child.send_signal(signal.SIGKILL)
    assert child.wait(timeout=60) == -signal.SIGKILL

    assert db.execute("SELECT count(*) FROM __drizzle_migrations") == [(3,)]
    assert db.execute("SELECT name, sql FROM sqlite_master ORDER BY name") == before
    assert db.execute("SELECT count(*) FROM comments") == [(2,)]
    # the dead client's transaction still holds the write lock: sqld hands it over after ~5 s, and
    # BEGIN IMMEDIATE waits for it (no retry loop, no sleep here)
    result = migrate(db, folder)
    assert len(result.applied) == 8
    assert db.execute("SELECT count(*) FROM __drizzle_migrations") == [(11,)]
    assert db.execute("SELECT count(*) FROM notes") == [(2,)]
    assert db.execute("PRAGMA foreign_key_check") == []
    db.close()
