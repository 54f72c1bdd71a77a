"""The psycopg drivers reuse one cursor per connection (sync: the thread that made it; other threads
get their own): every statement still reads its own rows — after other statements, after an error,
across threads, inside and after a transaction, after the connection was replaced, async."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

import mizzle
import mizzle.aio
from mizzle import eq, placeholder
from mizzle.postgres import Column, Table, integer, text


class Reused(Table, name="reused_items"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()


@pytest.fixture
def items(pg_db: mizzle.Database) -> mizzle.Database:
    mizzle.create_all(pg_db, [Reused])
    pg_db.insert(Reused).values([{"id": i, "name": n} for i, n in ((1, "a"), (2, "b"), (3, "c"))]).run()
    return pg_db


SQL_BY_ID = "select name from reused_items where id = %s"


def test_alternating_statements_read_their_own_rows(items: mizzle.Database) -> None:
    by_id = items.select().from_(Reused).where(eq(Reused.id, placeholder("id"))).prepare()
    names = items.select(Reused.name).from_(Reused).where(eq(Reused.id, placeholder("id"))).prepare()
    for _ in range(8):  # past psycopg's server-side prepare threshold (5 executions)
        row = by_id.get(id=1)
        assert row is not None and row.name == "a"
        assert names.all(id=2) == [("b",)]
        assert by_id.get(id=99) is None
        built = items.select().from_(Reused).where(eq(Reused.id, 3)).get()
        assert built is not None and built.name == "c"
        assert [r.id for r in items.select().from_(Reused).order_by(Reused.id).all()] == [1, 2, 3]
        assert items.count(Reused) == 3


def test_a_cursor_is_not_overwritten_by_another_threads_statement(items: mizzle.Database) -> None:
    drv: Any = items.driver
    mine = drv.execute(SQL_BY_ID, [1])
    seen: list[Any] = []
    t = threading.Thread(target=lambda: seen.append(drv.execute(SQL_BY_ID, [2]).fetchall()))
    t.start()
    t.join()
    assert seen == [[("b",)]]
    assert mine.fetchall() == [("a",)]  # still this thread's rows
    assert drv.execute(SQL_BY_ID, [3]).fetchall() == [("c",)]


def test_threads_sharing_one_database_read_their_own_rows(items: mizzle.Database) -> None:
    by_id = items.select(Reused.id, Reused.name).from_(Reused).where(eq(Reused.id, placeholder("id"))).prepare()
    wrong: list[Any] = []

    def work(i: int) -> None:
        for _ in range(30):
            got = by_id.all(id=i)
            if got != [(i, "abc"[i - 1])]:
                wrong.append((i, got))

    threads = [threading.Thread(target=work, args=(i,)) for i in (1, 2, 3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wrong == []


def test_a_statement_after_an_error_or_a_closed_cursor_reads_its_own_rows(items: mizzle.Database) -> None:
    with pytest.raises(mizzle.OperationalError, match="division by zero"):
        items.execute("select 1 / 0")
    assert items.execute("select name from reused_items where id = 2") == [("b",)]
    drv: Any = items.driver
    drv.execute(SQL_BY_ID, [1]).close()  # a caller closing the cursor it was given
    assert drv.execute(SQL_BY_ID, [3]).fetchall() == [("c",)]
    assert items.select(Reused.name).from_(Reused).where(eq(Reused.id, 1)).all() == [("a",)]


def test_statements_inside_and_after_a_transaction(items: mizzle.Database) -> None:
    with pytest.raises(RuntimeError), items.transaction() as tx:
        tx.insert(Reused).values(id=4, name="d").run()
        assert tx.select(Reused.name).from_(Reused).where(eq(Reused.id, 4)).all() == [("d",)]
        raise RuntimeError("undo")
    assert items.select(Reused.name).from_(Reused).where(eq(Reused.id, 4)).all() == []
    with items.transaction() as tx:
        tx.insert(Reused).values(id=5, name="e").run()
    assert items.select(Reused.name).from_(Reused).where(eq(Reused.id, 5)).all() == [("e",)]


def test_a_replaced_connection_gets_a_new_cursor(items: mizzle.Database, pg_url: str) -> None:
    by_id = items.select(Reused.name).from_(Reused).where(eq(Reused.id, placeholder("id"))).prepare()
    assert by_id.all(id=1) == [("a",)]
    pid = items.driver.backend_pid()  # type: ignore[attr-defined]
    admin = mizzle.connect(pg_url)
    try:
        admin.execute(mizzle.sql("select pg_terminate_backend({}, 30000)", pid))
    finally:
        admin.close()
    assert by_id.all(id=2) == [("b",)]
    assert items.driver.backend_pid() != pid  # type: ignore[attr-defined]
    items.close()
    assert by_id.all(id=3) == [("c",)]  # a closed driver reconnects, as before


def test_async_statements_read_their_own_rows(items: mizzle.Database, pg_url: str) -> None:
    async def main() -> None:
        db = await mizzle.aio.connect(pg_url)  # one connection: the tasks take turns on it
        try:
            by_id = db.select(Reused.id, Reused.name).from_(Reused).where(eq(Reused.id, placeholder("id"))).prepare()

            async def check(i: int) -> tuple[int, Any]:
                return i, await by_id.all(id=i)

            results = await asyncio.gather(*(check(1 + k % 3) for k in range(30)))
            assert all(got == [(i, "abc"[i - 1])] for i, got in results)
            with pytest.raises(mizzle.OperationalError, match="division by zero"):
                await db.execute("select 1 / 0")
            assert await db.execute("select name from reused_items where id = 2") == [("b",)]
        finally:
            await db.close()

    asyncio.run(main())
