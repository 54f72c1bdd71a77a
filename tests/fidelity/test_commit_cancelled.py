"""A task cancelled while COMMIT is in flight gets CommitOutcomeUnknown (still a CancelledError for
asyncio's timeouts and task groups), not a plain CancelledError: the caller learns that the
transaction may have committed and must check before retrying."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import mizzle
import mizzle.aio
from mizzle import CommitOutcomeUnknown

from .conftest import Fdb


def test_cancel_during_commit_is_an_unknown_outcome(fdb: Fdb) -> None:
    if fdb.kind == "libsql":
        pytest.skip("no async libSQL driver here")
    V = fdb.s.Vals
    url = f"sqlite:///{fdb.url}" if fdb.kind == "sqlite" else fdb.url

    async def main() -> tuple[BaseException | None, int, list[Any]]:
        adb = await mizzle.aio.connect(url)
        try:
            in_commit = asyncio.Event()

            async def work() -> None:
                async with adb.transaction() as tx:
                    await tx.insert(V).values(id=1, email="x").run()
                    conn = tx._tx.conn  # the transaction's real connection: its COMMIT is slowed down
                    real = conn.commit

                    async def slow_commit() -> None:
                        in_commit.set()
                        await asyncio.sleep(0.2)
                        await real()

                    conn.commit = slow_commit  # type: ignore[method-assign]

            task = asyncio.create_task(work())
            await asyncio.wait_for(in_commit.wait(), 10)
            task.cancel()
            caught: BaseException | None = None
            try:
                await task
            except BaseException as exc:
                caught = exc
            rows = await adb.select().from_(V).all()  # the pool hands out a fresh connection
            return caught, len(rows), rows
        finally:
            await adb.close()

    caught, n, _ = asyncio.run(main())
    assert isinstance(caught, CommitOutcomeUnknown), repr(caught)
    assert isinstance(caught, asyncio.CancelledError) and isinstance(caught, mizzle.OperationalError)
    assert "may or may not have been committed" in str(caught)
    assert n in (0, 1)  # unknown to the caller by design; the database answers
