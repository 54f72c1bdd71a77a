"""The `target` fixture: one migrations target per dialect (SQLite file, libSQL file, PostgreSQL, MariaDB).

`target.url` is what `mizzle.connect` and the CLI's `--url` take; `target.mod` is the dialect's schema module
(`mizzle.sqlite`, `mizzle.postgres`, `mizzle.mysql`) so one test body declares the same tables on every dialect.
Server dialects use a throw-away database per test (dropped afterwards) and skip, saying how to start the server,
when it is unreachable.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rel_helpers import DIALECTS, Target, server_target, sqlite_target

from _servers import throwaway_database


@pytest.fixture(params=DIALECTS)
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Target]:
    """A fresh, empty database on each dialect in turn."""
    kind: str = request.param
    if kind in ("sqlite", "libsql"):
        yield sqlite_target(kind, tmp_path)
        return
    with throwaway_database(kind, prefix="mizzle_rel_") as url:
        yield server_target(kind, url)
