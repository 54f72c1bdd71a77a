"""A connection lost between statements (PostgreSQL `pg_terminate_backend`, MariaDB `KILL`) is
replaced before the next statement, never handed out: that statement succeeds. Sync (one
connection, and psycopg's pool) and async (the session's pool), on PostgreSQL and MariaDB."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

import mizzle
import mizzle.aio
from mizzle import eq, sql
from mizzle.mysql import Column as MyColumn
from mizzle.mysql import Table as MyTable
from mizzle.mysql import int_ as my_int
from mizzle.mysql import varchar as my_varchar
from mizzle.postgres import Column as PgColumn
from mizzle.postgres import Table as PgTable
from mizzle.postgres import integer as pg_integer
from mizzle.postgres import text as pg_text


class PgNotes(PgTable, name="live_notes"):
    id: PgColumn[int] = pg_integer().primary_key()
    body: PgColumn[str] = pg_text().not_null()


class MyNotes(MyTable, name="live_notes"):
    id: MyColumn[int] = my_int().primary_key()
    body: MyColumn[str] = my_varchar(length=50).not_null()


def _terminate_others(url: str, kind: str) -> int:
    """End every other connection to the test database; return when the server has ended them."""
    admin = mizzle.connect(url)
    try:
        if kind == "postgres":
            rows = admin.execute(
                "select pg_terminate_backend(pid, 30000) from pg_stat_activity "
                "where datname = current_database() and pid <> pg_backend_pid()"
            )
            return len(rows)
        ids = [r[0] for r in admin.execute(
            "select id from information_schema.processlist where db = database() and id <> connection_id()"
        )]
        for i in ids:
            admin.execute(sql("kill connection {}", i))
        deadline = time.monotonic() + 60  # generous: only a bound, not an assertion on speed
        while time.monotonic() < deadline:
            left = admin.execute(
                "select count(*) from information_schema.processlist where db = database() and id <> connection_id()"
            )[0][0]
            if left == 0:
                break
            time.sleep(0.05)
        return len(ids)
    finally:
        admin.close()


@pytest.fixture(params=["postgres", "mysql"])
def server(request: pytest.FixtureRequest) -> tuple[str, str, Any]:
    kind: str = request.param
    url: str = request.getfixturevalue(f"_fid_{kind}")
    table: Any = PgNotes if kind == "postgres" else MyNotes
    db = mizzle.connect(url)
    try:
        db.execute("drop table if exists live_notes")
        mizzle.create_all(db, [table])
        db.insert(table).values(id=1, body="kept").run()
    finally:
        db.close()
    return kind, url, table


def test_sync_connection_lost_between_statements_is_replaced(server: tuple[str, str, Any]) -> None:
    kind, url, T = server
    db = mizzle.connect(url)
    try:
        assert db.count(T) == 1
        assert _terminate_others(url, kind) >= 1
        assert db.count(T) == 1  # not an error: the lost connection was replaced first
        _terminate_others(url, kind)
        with db.transaction() as tx:  # a transaction starts on a live connection too
            tx.insert(T).values(id=2, body="after").run()
        assert db.count(T) == 2
    finally:
        db.close()


def test_sync_pool_never_hands_out_a_lost_connection(server: tuple[str, str, Any]) -> None:
    kind, url, T = server
    if kind != "postgres":
        pytest.skip("the PyMySQL driver has one connection (covered by the sync test); no sync pool")
    db = mizzle.connect(url, pool_size=2)
    try:
        assert db.count(T) == 1
        with db.transaction() as tx:
            tx.update(T).set(body="x").where(eq(T.id, 1)).run()
        assert _terminate_others(url, kind) >= 1
        for _ in range(4):
            assert db.count(T) == 1
        _terminate_others(url, kind)
        with db.transaction() as tx:
            tx.insert(T).values(id=2, body="after").run()
        assert db.count(T) == 2
    finally:
        db.close()


def test_async_pool_never_hands_out_a_lost_connection(server: tuple[str, str, Any]) -> None:
    kind, url, T = server

    async def main() -> None:
        adb = await mizzle.aio.connect(url, pool_size=3)
        try:
            counts = await asyncio.gather(*(adb.count(T) for _ in range(3)))  # opens several connections
            assert counts == [1, 1, 1]
            assert _terminate_others(url, kind) >= 1
            counts = await asyncio.gather(*(adb.count(T) for _ in range(3)))
            assert counts == [1, 1, 1]
            _terminate_others(url, kind)
            async with adb.transaction() as tx:
                await tx.insert(T).values(id=2, body="after").run()
            assert await adb.count(T) == 2
        finally:
            await adb.close()

    asyncio.run(main())
