"""The same relational queries on the async session (awaited), and their static types."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

import mizzle
from mizzle import eq, placeholder
from mizzle.errors import QueryError

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
