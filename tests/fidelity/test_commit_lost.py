"""The connection dies while COMMIT is in flight (a proxy cuts it the moment the COMMIT bytes pass):
the outcome is unknown to the client, so the caller gets CommitOutcomeUnknown (an OperationalError,
and in sync code not a CancelledError), not a generic error. PostgreSQL and MariaDB, sync and async."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

import mizzle
import mizzle.aio
from mizzle import CommitOutcomeUnknown

from ._proxy import commit_cutter
from .conftest import Fdb


def _via(url: str, port: int) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    host = f"127.0.0.1:{port}"
    return urlunsplit((parts.scheme, f"{netloc[0]}@{host}" if len(netloc) == 2 else host, parts.path,
                       parts.query, parts.fragment))


def _target(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or (5432 if parts.scheme.startswith("postgres") else 3306)


def test_sync_connection_lost_during_commit_is_an_unknown_outcome(fdb: Fdb) -> None:
    if fdb.kind not in ("postgres", "mysql"):
        pytest.skip("needs a server reached over TCP")
    V = fdb.s.Vals
    with commit_cutter(*_target(fdb.url)) as proxy:
        db = mizzle.connect(_via(fdb.url, proxy.port))
        try:
            proxy.armed = True
            with pytest.raises(CommitOutcomeUnknown) as info, db.transaction() as tx:
                tx.insert(V).values(id=1, email="x").run()
            proxy.armed = False
            assert proxy.cuts == 1
            assert not isinstance(info.value, asyncio.CancelledError)
            assert isinstance(info.value, mizzle.OperationalError)
            assert "may or may not have been committed" in str(info.value)
            assert db.count(V) in (0, 1)  # the next statement runs on a fresh connection; the database answers
        finally:
            db.close()


def test_async_connection_lost_during_commit_is_an_unknown_outcome(fdb: Fdb) -> None:
    if fdb.kind not in ("postgres", "mysql"):
        pytest.skip("needs a server reached over TCP")
    V = fdb.s.Vals

    async def main(url: str, proxy: Any) -> tuple[BaseException | None, int]:
        adb = await mizzle.aio.connect(url)
        try:
            proxy.armed = True
            caught: BaseException | None = None
            try:
                async with adb.transaction() as tx:
                    await tx.insert(V).values(id=1, email="x").run()
            except BaseException as exc:
                caught = exc
            proxy.armed = False
            return caught, await adb.count(V)
        finally:
            await adb.close()

    with commit_cutter(*_target(fdb.url)) as proxy:
        caught, n = asyncio.run(main(_via(fdb.url, proxy.port), proxy))
    assert isinstance(caught, CommitOutcomeUnknown), repr(caught)
    assert not isinstance(caught, asyncio.CancelledError)
    assert proxy.cuts == 1 and n in (0, 1)
