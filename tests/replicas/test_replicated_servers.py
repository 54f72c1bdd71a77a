"""with_replicas against real replication: a PostgreSQL streaming standby and a MariaDB GTID replica
(`bash scripts/replicas.sh` starts both pairs on loopback; `.ci/run` does it before the tests).

Which server answered is read from the server itself (PostgreSQL `pg_is_in_recovery()`, MariaDB
`@@server_id`), not from anything mizzle says."""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import mizzle
from mizzle import eq, sql, with_replicas
from mizzle.mysql import Column as MyColumn
from mizzle.mysql import Table as MyTable
from mizzle.mysql import int_ as my_int
from mizzle.mysql import varchar
from mizzle.postgres import Column as PgColumn
from mizzle.postgres import Table as PgTable
from mizzle.postgres import integer as pg_integer
from mizzle.postgres import text as pg_text

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "replicas.sh"


class PgItems(PgTable, name="replica_items"):
    id: PgColumn[int] = pg_integer().primary_key()
    label: PgColumn[str] = pg_text().not_null()


class MyItems(MyTable, name="replica_items"):
    id: MyColumn[int] = my_int().primary_key()
    label: MyColumn[str] = varchar(length=40).not_null()


@dataclass(frozen=True)
class Pair:
    kind: str
    primary_url: str
    replica_url: str
    table: type[PgItems] | type[MyItems]
    on_replica: str  # SQL that is true on the replica only
    pause: str  # run on the replica: stop applying changes
    resume: str


PAIRS = {
    "postgres": Pair(
        "postgres",
        os.environ.get("MIZZLE_PG_PRIMARY_URL", "postgresql://postgres@127.0.0.1:5440/test"),
        os.environ.get("MIZZLE_PG_REPLICA_URL", "postgresql://postgres@127.0.0.1:5441/test"),
        PgItems, "pg_is_in_recovery()", "select pg_wal_replay_pause()", "select pg_wal_replay_resume()"),
    "mysql": Pair(
        "mysql",
        os.environ.get("MIZZLE_MYSQL_PRIMARY_URL", "mysql://root@127.0.0.1:3316/test"),
        os.environ.get("MIZZLE_MYSQL_REPLICA_URL", "mysql://root@127.0.0.1:3317/test"),
        MyItems, "@@server_id = 2", "stop slave sql_thread", "start slave sql_thread"),
}


def _connect(url: str, kind: str) -> mizzle.Database:
    try:
        return mizzle.connect(url, connect_timeout=3)
    except (mizzle.MizzleError, ImportError) as exc:
        pytest.skip(f"no {kind} replica pair at {url} ({str(exc).splitlines()[0]}): start it with "
                    f"`bash scripts/replicas.sh` (.ci/run does)")


def _eventually(check: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("replication did not catch up in time")
        time.sleep(0.05)


@pytest.fixture(params=sorted(PAIRS))
def pair(request: pytest.FixtureRequest) -> Iterator[tuple[Pair, mizzle.Database, mizzle.Database]]:
    p = PAIRS[request.param]
    primary = _connect(p.primary_url, p.kind)
    replica = _connect(p.replica_url, p.kind)
    primary.execute("drop table if exists replica_items")
    mizzle.create_all(primary, [p.table])
    _eventually(lambda: bool(replica.execute(
        "select count(*) from information_schema.tables where table_name = 'replica_items'")[0][0]))
    try:
        yield p, primary, replica
    finally:
        with contextlib.suppress(mizzle.MizzleError):
            replica.execute(p.resume)
        primary.execute("drop table if exists replica_items")
        primary.close()
        replica.close()


def _served_by_replica(db: mizzle.Database, p: Pair) -> bool:
    t = p.table
    return bool(db.select(sql[int](p.on_replica)).from_(t).limit(1).one()[0])


def test_reads_on_the_replica_writes_on_the_primary_lag_visible_and_handled(
        pair: tuple[Pair, mizzle.Database, mizzle.Database]) -> None:
    p, primary, replica = pair
    t = p.table
    db = with_replicas(primary, [replica])
    db.insert(t).values(id=1, label="first").run()                      # a write: the primary
    assert primary.select(t.label).from_(t).all() == [("first",)]
    _eventually(lambda: replica.count(t) == 1)
    assert _served_by_replica(db, p)                                     # a select: the replica
    assert not _served_by_replica(db.primary, p)
    assert db.query(t).find_many().all()[0].label == "first"             # relational reads too

    with db.transaction() as tx:                                         # a transaction: the primary
        assert not _served_by_replica(tx, p)

    # lag, made visible: the replica stops applying changes; the write is on the primary only
    replica.execute(p.pause)
    label = "second-" + secrets.token_hex(3)
    db.insert(t).values(id=2, label=label).run()
    time.sleep(0.3)
    assert db.select(t.label).from_(t).where(eq(t.id, 2)).all() == []   # the replica is behind
    assert db.primary.select(t.label).from_(t).where(eq(t.id, 2)).all() == [(label,)]  # read your writes
    replica.execute(p.resume)
    _eventually(lambda: db.select(t.label).from_(t).where(eq(t.id, 2)).all() == [(label,)])


def test_a_stopped_replica_is_tolerated(pair: tuple[Pair, mizzle.Database, mizzle.Database]) -> None:
    p, primary, replica = pair
    t = p.table
    primary.insert(t).values(id=1, label="x").run()
    _eventually(lambda: replica.count(t) == 1)
    db = with_replicas(primary, [replica], retry_after=60)
    assert _served_by_replica(db, p)
    subprocess.run(["bash", str(SCRIPT), "stop-replica", p.kind], check=True, capture_output=True, timeout=60)
    try:
        assert not _served_by_replica(db, p)                              # served by the primary, no error
        assert db.select(t.label).from_(t).all() == [("x",)]
        assert db.replica_set.resting() == [0]
        db.insert(t).values(id=2, label="y").run()                       # writes unaffected
        assert db.count(t) == 2
    finally:
        subprocess.run(["bash", str(SCRIPT)], check=True, capture_output=True, timeout=300)
