"""The `project` fixture: a mizzle project (schema module, mizzle.toml, migrations folder, database) per dialect.

SQLite file, libSQL file (dialect "turso"), a libSQL server over http:// with a token (`libsql_remote`: dialect
"turso", the kit's Hrana-over-HTTP driver, the server's database emptied first), PostgreSQL and MariaDB; server
dialects get a throw-away database and skip, saying how to start the server, when it is unreachable. Every test
of this folder runs on all five.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from parity_project import DIALECTS, Project

import mizzle
from _servers import throwaway_database
from _sqld import LibSQLServer, reset


@pytest.fixture(params=DIALECTS)
def project(request: pytest.FixtureRequest, tmp_path: Path, capsys: pytest.CaptureFixture[str],
            monkeypatch: pytest.MonkeyPatch) -> Iterator[Project]:
    """An empty project and database on each dialect in turn."""
    kind: str = request.param
    if kind == "libsql_remote":
        server: LibSQLServer = request.getfixturevalue("libsql_server")
        monkeypatch.setenv("TURSO_AUTH_TOKEN", server.token)
        db = mizzle.connect(server.url, driver="libsql-http", auth_token=server.token)
        try:
            reset(db)
        finally:
            db.close()
        yield Project(kind, tmp_path, server.url, capsys)
        return
    if kind in ("sqlite", "libsql"):
        if kind == "libsql":
            pytest.importorskip("libsql", reason="libSQL tests need the libsql package: pip install 'mizzle[libsql]'")
        yield Project(kind, tmp_path, f"sqlite:///{tmp_path / 'app.db'}", capsys)
        return
    with throwaway_database(kind, prefix="mizzle_parity_") as url:
        yield Project(kind, tmp_path, url, capsys)
