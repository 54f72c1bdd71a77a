"""The ported repositories on the async session: set_many is one transaction, delete says if it deleted."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from examples.webui.db import close_database, open_database, run_migrations
from examples.webui.repositories import (
    MessageRepository,
    RepositoryError,
    SessionRepository,
    SettingsRepository,
)
from examples.webui.schema import Settings

import mizzle


def test_repositories(tmp_path: Path) -> None:
    async def body() -> None:
        db = await open_database(str(tmp_path / "r.db"))
        try:
            assert (await db.execute("pragma journal_mode"))[0][0] == "wal"
            await run_migrations(db)
            await run_migrations(db)  # idempotent
            sessions, messages, settings = SessionRepository(db), MessageRepository(db), SettingsRepository(db)
            s = await sessions.create({"title": "t", "cwd": "/a"})
            assert (await sessions.find_by_id(s.id)) == s
            assert await sessions.find_by_id("nope") is None
            await messages.batch_create([{"session_id": s.id, "type": "x", "data": {"i": i}} for i in range(3)])
            assert [m.data["i"] for m in await messages.find_by_session_id(s.id)] == [0, 1, 2]
            assert (await sessions.update(s.id, {"status": "running"})).status == "running"  # type: ignore[union-attr]
            assert [x.id for x in await sessions.find_by_status("running")] == [s.id]
            assert await sessions.update("nope", {"title": "x"}) is None
            assert await sessions.get_recent_cwds() == ["/a"]

            await settings.set("A", "1")
            assert (await settings.set("A", "2")).value == "2"
            await settings.set_many({"B": "1", "C": "2"})
            assert await settings.get_all() == {"A": "2", "B": "1", "C": "2"}
            # all or nothing: the second row violates NOT NULL, the first is rolled back
            with pytest.raises(RepositoryError, match="set many settings") as ei:
                await settings.set_many({"D": "1", "E": None})  # type: ignore[dict-item]
            assert isinstance(ei.value.__cause__, mizzle.NotNullViolation)
            assert await settings.get("D") is None
            assert await db.count(Settings) == 3
            assert await settings.delete("A") is True
            assert await settings.delete("A") is False

            with pytest.raises(RepositoryError, match="create message"):
                await messages.create({"session_id": "missing", "type": "x", "data": {}})
            assert await messages.delete_by_session_id(s.id) == 3
            assert await sessions.delete(s.id) is True
            assert await sessions.delete(s.id) is False
            # the connection is fine after all those errors
            assert await db.execute("select 1") == [(1,)]
        finally:
            await close_database(db)

    asyncio.run(body())
