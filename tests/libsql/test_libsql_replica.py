"""Embedded replicas against a real libSQL server: sync, sync_interval, write-through,
read-your-writes, another client's writes, the server going down and coming back."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import mizzle
from _sqld import LibSQLServer, Sqld
from mizzle.sqlite import Column, Table, integer, text


class Notes(Table, name="notes"):
    id: Column[int] = integer().primary_key()
    body: Column[str] = text().not_null()


def bodies(db: Any) -> list[str]:
    return [r.body for r in db.select().from_(Notes).order_by(Notes.id).all()]


def eventually(check: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def primary(libsql_server: LibSQLServer) -> Any:
    db = libsql_server.fresh([Notes])
    yield db
    db.close()


def open_replica(path: Path, url: str, token: str, **options: Any) -> mizzle.Database:
    return mizzle.connect(f"file:{path}", driver="libsql", sync_url=url, auth_token=token, **options)


def test_opening_a_replica_pulls_the_primary(libsql_server: LibSQLServer, primary: Any, tmp_path: Path) -> None:
    primary.insert(Notes).values(body="on the server").run()
    for name, options in (("plain.db", {}), ("checked.db", {"check": True})):
        replica = open_replica(tmp_path / name, libsql_server.url, libsql_server.token, **options)
        assert bodies(replica) == ["on the server"]
        replica.close()


def test_another_clients_writes_are_seen_after_sync(libsql_server: LibSQLServer, primary: Any,
                                                    tmp_path: Path) -> None:
    replica = open_replica(tmp_path / "r.db", libsql_server.url, libsql_server.token, check=True)
    primary.insert(Notes).values(body="from another client").run()
    assert bodies(replica) == []  # reads are local: not yet synced
    replica.sync()
    assert bodies(replica) == ["from another client"]
    replica.close()


def test_writes_go_through_to_the_primary_and_are_read_back_at_once(libsql_server: LibSQLServer, primary: Any,
                                                                   tmp_path: Path) -> None:
    replica = open_replica(tmp_path / "r.db", libsql_server.url, libsql_server.token, check=True)
    row = replica.insert(Notes).values(body="written on the replica").returning().one()
    assert bodies(replica) == ["written on the replica"]  # read-your-writes, no sync()
    assert bodies(primary) == ["written on the replica"]  # write-through
    with replica.transaction() as tx:
        tx.update(Notes).set(body="edited").where(mizzle.eq(Notes.id, row.id)).run()
    assert bodies(replica) == bodies(primary) == ["edited"]
    with pytest.raises(mizzle.UniqueViolation):
        replica.insert(Notes).values(id=row.id, body="dup").run()
    replica.close()


def test_sync_interval_pulls_in_the_background(libsql_server: LibSQLServer, primary: Any, tmp_path: Path) -> None:
    replica = open_replica(tmp_path / "r.db", libsql_server.url, libsql_server.token, check=True, sync_interval=0.2)
    primary.insert(Notes).values(body="pushed by someone else").run()
    assert eventually(lambda: bodies(replica) == ["pushed by someone else"])
    replica.close()


def test_server_down_reads_work_writes_and_sync_fail_clearly_then_recover(sqld_process: Sqld, tmp_path: Path) -> None:
    primary = mizzle.connect(sqld_process.url, auth_token=sqld_process.token)
    mizzle.create_all(primary, [Notes])
    primary.insert(Notes).values(body="before").run()
    primary.close()
    replica = open_replica(tmp_path / "r.db", sqld_process.url, sqld_process.token, check=True)
    replica.insert(Notes).values(body="mine").run()

    sqld_process.stop()
    assert bodies(replica) == ["before", "mine"]  # served from the local file
    with pytest.raises(mizzle.UnreachableError):
        replica.insert(Notes).values(body="while down").run()
    with pytest.raises(mizzle.UnreachableError, match="sync of"):
        replica.sync()
    with pytest.raises(mizzle.UnreachableError):
        open_replica(tmp_path / "new.db", sqld_process.url, sqld_process.token, check=True)
    assert bodies(replica) == ["before", "mine"]  # nothing lost

    sqld_process.start()
    replica.sync()
    replica.insert(Notes).values(body="after").run()
    assert bodies(replica) == ["before", "mine", "after"]
    again = mizzle.connect(sqld_process.url, auth_token=sqld_process.token)
    assert bodies(again) == ["before", "mine", "after"]  # the failed write never reached the server
    again.close()
    replica.close()


def test_offline_writes_need_a_newer_client_and_say_so(libsql_server: LibSQLServer, tmp_path: Path) -> None:
    import libsql  # type: ignore[import-untyped]

    if "offline" in (getattr(libsql.connect, "__text_signature__", None) or ""):
        pytest.skip("this libsql package supports offline=True")
    with pytest.raises(mizzle.ConfigError, match=r"offline=True needs libsql>=0\.1\.9"):
        open_replica(tmp_path / "r.db", libsql_server.url, libsql_server.token, offline=True)
