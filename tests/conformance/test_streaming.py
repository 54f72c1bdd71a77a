"""`.iter(batch_size=...)`: rows streamed in batches on every dialect (sync and async), through a cursor that
does not hold the result (SQLite's stepped statement, a PostgreSQL server-side cursor, an unbuffered MySQL
cursor), and an early `break` or an exception in the loop body releasing the cursor / connection, inside
and outside a transaction."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
from pathlib import Path
from typing import Any

import pytest

import mizzle
import mizzle.aio
from mizzle import eq
from mizzle.errors import QueryError


def _seed(db: mizzle.Database, s: Any, n: int = 10) -> None:
    db.insert(s.Users).values([{"name": f"u{i:02}", "email": f"u{i}@x"} for i in range(n)]).run()


def test_iter_yields_every_row_in_order(dialect_db: tuple[mizzle.Database, Any]) -> None:
    db, s = dialect_db
    _seed(db, s)
    q = db.select().from_(s.Users).order_by(s.Users.id)
    streamed = list(q.iter(batch_size=3))
    assert streamed == q.all()
    assert [u.name for u in streamed] == [f"u{i:02}" for i in range(10)]
    assert list(db.select().from_(s.Users).where(eq(s.Users.id, -1)).iter()) == []


def test_iter_partial_selection(dialect_db: tuple[mizzle.Database, Any]) -> None:
    db, s = dialect_db
    _seed(db, s, 5)
    rows = list(db.select(name=s.Users.name).from_(s.Users).order_by(s.Users.id).iter(batch_size=2))
    assert [r.name for r in rows] == [f"u{i:02}" for i in range(5)]


def test_iter_builds_the_same_rows_as_all_for_every_shape(dialect_db: tuple[mizzle.Database, Any]) -> None:
    """`.iter()` builds a row straight from the driver's row (no Python frame) only when the shape is one
    table's full row with nothing to decode; every other shape must still decode, and the rows of one
    shape must never come out in another's class."""
    db, s = dialect_db
    _seed(db, s, 5)
    db.insert(s.Tags).values([{"name": f"t{i}"} for i in range(5)]).run()
    author = db.select(id=s.Users.id).from_(s.Users).order_by(s.Users.id).all()[0].id
    db.insert(s.Posts).values(author_id=author, title="p", meta={"k": [1, 2]}).run()
    queries = [
        db.select().from_(s.Tags).order_by(s.Tags.id),  # the fast path on every dialect
        db.select().from_(s.Users).order_by(s.Users.id),  # a boolean column (decoded on SQLite / MySQL)
        db.select(name=s.Tags.name, id=s.Tags.id).from_(s.Tags).order_by(s.Tags.id),  # a record
        db.select().from_(s.Posts).order_by(s.Posts.id),  # a JSON column
        db.select().from_(s.Users).left_join(s.Posts, eq(s.Posts.author_id, s.Users.id)).order_by(s.Users.id),
    ]
    for q in queries:
        assert list(q.iter(batch_size=2)) == q.all()
        assert [type(r) for r in q.iter(batch_size=2)] == [type(r) for r in q.all()]
    tags = list(queries[0].iter())
    assert type(tags[0]) is type(queries[0].all()[0]) and tags[0].name == "t0"
    joined = list(queries[4].iter(batch_size=2))
    assert joined[0][1].meta == {"k": [1, 2]} and joined[-1][1] is None
    users = list(queries[1].iter())
    assert users[0].active is True


def test_early_break_outside_transaction_releases_the_connection(dialect_db: tuple[mizzle.Database, Any]) -> None:
    db, s = dialect_db
    _seed(db, s)
    it = db.select().from_(s.Users).order_by(s.Users.id).iter(batch_size=2)
    for row in it:
        assert row.name == "u00"
        break
    it.close()  # what leaving a `for` loop's scope does; explicit for PyPy-like collectors
    # the connection runs other statements, and a transaction can start (no cursor left open)
    db.insert(s.Users).values(name="after", email="after@x").run()
    with db.transaction():
        db.update(s.Users).set(name="renamed").where(eq(s.Users.email, "after@x")).run()
    assert db.count(s.Users) == 11
    assert len(list(db.select().from_(s.Users).iter(batch_size=4))) == 11


def test_early_break_inside_transaction(dialect_db: tuple[mizzle.Database, Any]) -> None:
    db, s = dialect_db
    _seed(db, s)
    with db.transaction() as tx:
        it = tx.select().from_(s.Users).order_by(s.Users.id).iter(batch_size=3)
        first = [next(it), next(it)]
        it.close()
        assert [u.name for u in first] == ["u00", "u01"]
        tx.insert(s.Users).values(name="in-tx", email="in-tx@x").run()
        assert sum(1 for _ in tx.select().from_(s.Users).iter(batch_size=4)) == 11
    assert db.count(s.Users) == 11
    assert not db.in_transaction


# The cursor each driver streams through: none of them holds the whole result in the client.
# (libsql_remote is the exception: a Hrana v2 pipeline answers with all of the statement's rows.)
STREAMING_CURSORS = {
    "SQLiteDriver": "sqlite3.Cursor",  # steps the statement as rows are fetched
    "LibSQLDriver": "builtins.Cursor",  # the libsql package's cursor, stepped by fetchmany
    "PsycopgDriver": "psycopg.ServerCursor",  # DECLARE ... CURSOR, FETCH n
    "PyMySQLDriver": "pymysql.cursors.SSCursor",  # unbuffered: rows read from the socket
    "AioSQLiteDriver": "sqlite3.Cursor",
    "AsyncPsycopgDriver": "psycopg.AsyncServerCursor",
    "AioMySQLDriver": "aiomysql.cursors.SSCursor",
}


def _qualname(obj: Any) -> str:
    return f"{type(obj).__module__}.{type(obj).__qualname__}"


class _Spy:
    """Wraps the driver's batches: the size of each batch handed to the session, the driver's cursor, and
    whether the driver's generator has finished (its `finally` closed the cursor)."""

    def __init__(self) -> None:
        self.sizes: list[int] = []
        self.cursor: Any = None
        self.gens: list[Any] = []

    def sync(self, db: mizzle.Database, monkeypatch: pytest.MonkeyPatch) -> None:
        stream = getattr(db.driver, "stream", None)
        if stream is not None:
            def spied(sql: str, params: Any, batch_size: int) -> Any:
                gen = stream(sql, params, batch_size)
                self.gens.append(gen)
                return self._sync_rows(gen, lambda: gen.gi_frame.f_locals.get("cur") if gen.gi_frame else None)
            monkeypatch.setattr(db.driver, "stream", spied)
        else:  # the session's fallback: the cursor execute() returns, fetchmany(batch_size)
            from mizzle.session import sync as session_sync

            batches = session_sync.cursor_batches

            def spied_batches(cur: Any, batch_size: int) -> Any:
                self.cursor = cur
                gen = batches(cur, batch_size)
                self.gens.append(gen)
                return self._sync_rows(gen, lambda: cur)
            monkeypatch.setattr(session_sync, "cursor_batches", spied_batches)

    def _sync_rows(self, gen: Any, cursor: Any) -> Any:
        try:
            for batch in gen:
                self.cursor = cursor()
                self.sizes.append(len(batch))
                yield batch
        finally:
            gen.close()

    @property
    def closed(self) -> bool:
        return bool(self.gens) and all(g.gi_frame is None if hasattr(g, "gi_frame") else g.ag_frame is None
                                       for g in self.gens)


def test_iter_fetches_in_batches_through_a_streaming_cursor(
    dialect_db: tuple[mizzle.Database, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, s = dialect_db
    _seed(db, s)
    spy = _Spy()
    spy.sync(db, monkeypatch)
    it = db.select().from_(s.Users).order_by(s.Users.id).iter(batch_size=3)
    assert spy.sizes == []  # nothing runs before the first row is asked for
    assert next(it).name == "u00"
    assert spy.sizes == [3]  # one batch fetched, not the result
    expected = STREAMING_CURSORS.get(type(db.driver).__name__)
    if expected is not None:
        assert _qualname(spy.cursor) == expected
    assert [u.name for u in it] == [f"u{i:02}" for i in range(1, 10)]
    assert spy.sizes == [3, 3, 3, 1]
    assert spy.closed


def test_exception_in_the_loop_body_closes_the_cursor(
    dialect_db: tuple[mizzle.Database, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, s = dialect_db
    _seed(db, s)
    spy = _Spy()
    spy.sync(db, monkeypatch)
    seen: list[str] = []
    with pytest.raises(ZeroDivisionError):
        for u in db.select().from_(s.Users).order_by(s.Users.id).iter(batch_size=4):
            seen.append(u.name)
            if len(seen) == 5:
                _ = 1 / 0
    assert seen == [f"u{i:02}" for i in range(5)]
    assert spy.closed  # the driver's cursor was closed as the exception left the loop
    assert not db.in_transaction  # no transaction left open (PostgreSQL's own one rolled back)
    db.insert(s.Users).values(name="after", email="after@x").run()
    with db.transaction():
        db.update(s.Users).set(name="renamed").where(eq(s.Users.email, "after@x")).run()
    assert db.count(s.Users) == 11


def test_exception_in_the_loop_body_inside_a_transaction(
    dialect_db: tuple[mizzle.Database, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, s = dialect_db
    _seed(db, s)
    spy = _Spy()
    spy.sync(db, monkeypatch)
    with pytest.raises(ZeroDivisionError), db.transaction() as tx:
        tx.insert(s.Users).values(name="in-tx", email="in-tx@x").run()
        for _u in tx.select().from_(s.Users).iter(batch_size=2):
            _ = 1 / 0
    assert spy.closed
    assert not db.in_transaction
    assert db.count(s.Users) == 10  # the transaction around the loop was rolled back
    with db.transaction() as tx:  # and the connection runs the next one
        tx.insert(s.Users).values(name="next", email="next@x").run()
        assert sum(1 for _ in tx.select().from_(s.Users).iter(batch_size=3)) == 11
    assert db.count(s.Users) == 11


def test_close_stops_the_iterator(dialect_db: tuple[mizzle.Database, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    db, s = dialect_db
    _seed(db, s)
    spy = _Spy()
    spy.sync(db, monkeypatch)
    it = db.select().from_(s.Users).order_by(s.Users.id).iter(batch_size=2)
    assert next(it).name == "u00"
    it.close()
    assert spy.closed
    assert list(it) == []
    assert not db.in_transaction


def test_batch_size_must_be_positive(dialect_db: tuple[mizzle.Database, Any]) -> None:
    db, s = dialect_db
    with pytest.raises(QueryError, match="batch_size"):
        db.select().from_(s.Users).iter(batch_size=0)


# ---- async -----------------------------------------------------------------------------------

ASYNC_KINDS = ("sqlite", "postgres", "mysql")


@pytest.fixture(params=ASYNC_KINDS)
def async_target(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Any]:
    """(URL for mizzle.aio.connect, schema module), tables created and empty (seeded by the sync session)."""
    kind: str = request.param
    if kind == "sqlite":
        module = importlib.import_module("schemas.sqlite")
        url = str(tmp_path / "stream.db")
        db = mizzle.connect(url)
        mizzle.create_all(db, module.TABLES)
    else:
        if kind == "mysql":
            pytest.importorskip("aiomysql", reason="async MySQL tests need aiomysql: pip install 'mizzle[mysql]'")
        url, module = request.getfixturevalue(f"_{kind}_conformance")
        db = mizzle.connect(url)
        names = [t.__table__.name for t in module.TABLES]
        if kind == "postgres":
            db.execute("truncate " + ", ".join(f'"{n}"' for n in names) + " restart identity cascade")
        else:
            db.execute("set foreign_key_checks = 0")
            for n in names:
                db.execute(f"truncate table `{n}`")
            db.execute("set foreign_key_checks = 1")
    try:
        _seed(db, module)
    finally:
        db.close()
    return url, module


def test_async_iter_and_early_break(async_target: tuple[str, Any]) -> None:
    url, s = async_target

    async def main() -> None:
        adb = await mizzle.aio.connect(url)
        try:
            q = adb.select().from_(s.Users).order_by(s.Users.id)
            names = [u.name async for u in q.iter(batch_size=3)]
            assert names == [f"u{i:02}" for i in range(10)]
            # early break outside a transaction: aclosing releases the cursor and connection now
            async with contextlib.aclosing(q.iter(batch_size=2)) as rows:
                async for u in rows:
                    assert u.name == "u00"
                    break
            await adb.insert(s.Users).values(name="after", email="after@x").run()
            # inside a transaction
            async with adb.transaction() as tx:
                async with contextlib.aclosing(tx.select().from_(s.Users).order_by(s.Users.id).iter(batch_size=2)) as rows:
                    async for u in rows:
                        assert u.name == "u00"
                        break
                await tx.insert(s.Users).values(name="in-tx", email="in-tx@x").run()
            assert await adb.count(s.Users) == 12
        finally:
            await adb.close()

    asyncio.run(main())


def test_async_iter_streams_and_an_exception_in_the_body_releases_it(
    async_target: tuple[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, s = async_target
    spy = _Spy()

    async def main() -> None:
        adb = await mizzle.aio.connect(url)
        try:
            conn = await adb.pool.acquire()
            cls = type(conn)
            await adb.pool.release(conn)
            stream = cls.stream

            async def spied(self: Any, sql: str, params: Any, batch_size: int) -> Any:
                gen = stream(self, sql, params, batch_size)
                spy.gens.append(gen)
                try:
                    async for batch in gen:
                        spy.cursor = gen.ag_frame.f_locals.get("cur") if gen.ag_frame else None
                        spy.sizes.append(len(batch))
                        yield batch
                finally:
                    await gen.aclose()

            monkeypatch.setattr(cls, "stream", spied)
            q = adb.select().from_(s.Users).order_by(s.Users.id)
            async with contextlib.aclosing(q.iter(batch_size=3)) as rows:
                assert (await anext(rows)).name == "u00"
                assert spy.sizes == [3]
                assert _qualname(spy.cursor) == STREAMING_CURSORS[cls.__name__]
            assert spy.closed
            with pytest.raises(ZeroDivisionError):
                async with contextlib.aclosing(q.iter(batch_size=4)) as rows:
                    async for u in rows:
                        if u.name == "u05":
                            _ = 1 / 0
            assert spy.closed
            with pytest.raises(ZeroDivisionError):
                async with adb.transaction() as tx:
                    await tx.insert(s.Users).values(name="in-tx", email="in-tx@x").run()
                    async with contextlib.aclosing(tx.select().from_(s.Users).iter(batch_size=2)) as rows:
                        async for _u in rows:
                            _ = 1 / 0
            assert spy.closed
            assert await adb.count(s.Users) == 10  # rolled back
            await adb.insert(s.Users).values(name="after", email="after@x").run()
            assert len([u async for u in q.iter(batch_size=4)]) == 11
        finally:
            await adb.close()

    asyncio.run(main())
