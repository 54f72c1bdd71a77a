"""Shared fixtures: real databases only (SQLite files in tmp dirs; PostgreSQL/MariaDB when reachable)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from _sqld import SQLD_SKIP, LibSQLServer, Sqld, session_server, sqld_binary


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: SQLite-specific behaviour")


@pytest.fixture(scope="session")
def libsql_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LibSQLServer]:
    """A libSQL server (sqld) with JWT auth shared by the session; skips saying how to start one."""
    server, proc = session_server(tmp_path_factory.mktemp("sqld"))
    try:
        yield server
    finally:
        if proc is not None:
            proc.stop()


@pytest.fixture
def sqld_process(tmp_path: Path) -> Iterator[Sqld]:
    """A libSQL server owned by one test, which may stop and restart it (needs the sqld binary)."""
    binary = sqld_binary()
    if binary is None:
        pytest.skip(SQLD_SKIP.format(why="this test starts its own server and needs the sqld binary"))
    pytest.importorskip("libsql", reason="libSQL tests need the libsql package: pip install 'mizzle[libsql]'")
    proc = Sqld(binary, tmp_path / "sqld").start()
    try:
        yield proc
    finally:
        proc.stop()
