"""The same relational queries on the async session (awaited), and their static types."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest

import mizzle
from mizzle import desc, eq, placeholder
from mizzle.errors import QueryError
from mizzle.session.sync import Database

from .models import Boxes, Things


def test_async_session_runs_relational_queries(tmp_path: Path) -> None:
    pytest.importorskip("aiosqlite", reason="async SQLite tests need aiosqlite: pip install 'mizzle[aio]'")
    import mizzle.aio

    async def main() -> None:
        adb = await mizzle.aio.connect(str(tmp_path / "a.db"))
        try:
            await adb.create_all([Boxes, Things])
            await adb.insert(Boxes).values([{"id": 1, "label": "a"}, {"id": 2, "label": "b"}]).run()
            await adb.insert(Things).values([{"id": 1, "box_id": 1, "flag": True}]).run()
            boxes = await adb.query.rel_boxes.find_many(with_={"things": True}, order_by=Boxes.id)
            assert [[t.flag for t in b.things] for b in boxes] == [[True], []]
            first = await adb.query(Boxes).find_first(where=eq(Boxes.id, 2), with_={"things": True})
            assert first is not None and first.label == "b" and first.things == []
            assert [b.id for b in await adb.query(Boxes).find_many().all()] == [1, 2]
            prepared = adb.query(Things).find_first(where=eq(Things.id, placeholder("id")),
                                                    with_={"box": True}).prepare()
            thing = await prepared.get(id=1)
            assert thing is not None and thing.box.label == "a"
        finally:
            await adb.close()

    asyncio.run(main())


def test_await_on_a_sync_session_is_a_clear_error() -> None:
    db = mizzle.connect(":memory:")

    async def main() -> None:
        await db.query(Boxes).find_many()

    with pytest.raises(QueryError, match="await works on queries of an async session"):
        asyncio.run(main())


@pytest.mark.parametrize("dialect_name", ["postgres", "mysql"], indirect=True)
def test_async_relational_queries_on_servers(request: pytest.FixtureRequest, dialect_name: str,
                                             make_db: Callable[..., Database], s: ModuleType) -> None:
    """psycopg's and aiomysql's async drivers: nested rows, modes and prepare like the sync session."""
    if dialect_name == "mysql":
        pytest.importorskip("aiomysql", reason="async MySQL tests need aiomysql: pip install 'mizzle[aio]'")
    import mizzle.aio

    make_db([s.Boxes, s.Things]).close()  # tables created (or emptied) in the session's database
    url: str = request.getfixturevalue(f"_{dialect_name}_relations").url
    moment = datetime(2024, 2, 29, 23, 59, 58, tzinfo=UTC)

    async def main() -> None:
        adb = await mizzle.aio.connect(url)
        try:
            await adb.insert(s.Boxes).values([{"id": 1, "label": "a"}, {"id": 2, "label": "b"}]).run()
            await adb.insert(s.Things).values([
                {"id": 1, "box_id": 1, "flag": True, "at": moment, "doc": {"k": [1]}, "amount": Decimal("1.5")},
                {"id": 2, "box_id": 1, "flag": False}]).run()
            flat = await adb.select().from_(s.Things).order_by(s.Things.id).all()
            boxes = await adb.query(s.Boxes).find_many(with_={"things": {"order_by": desc(s.Things.id)}},
                                                       order_by=s.Boxes.id)
            assert [[tuple(t) for t in b.things] for b in boxes] == [[tuple(flat[1]), tuple(flat[0])], []]
            assert boxes[0].things[1].at == moment and boxes[0].things[1].flag is True
            prepared = adb.query(s.Things).find_first(where=eq(s.Things.id, placeholder("id")),
                                                      with_={"box": {"with_": {"things": True}}}).prepare()
            thing = await prepared.get(id=2)
            assert thing is not None and thing.box.label == "a" and len(thing.box.things) == 2
            assert await prepared.get(id=3) is None
        finally:
            await adb.close()

    asyncio.run(main())
