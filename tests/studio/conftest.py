"""Studio fixtures: a seeded database per dialect (SQLite file; PostgreSQL/MariaDB when reachable) and a live server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from studio_helpers import DIALECTS, Env, _Lazy, make_env


@pytest.fixture(scope="session")
def server_urls() -> Iterator[dict[str, str]]:
    """Throw-away databases on the servers, created on first use."""
    from contextlib import ExitStack

    from _servers import throwaway_database

    urls: dict[str, str] = {}
    with ExitStack() as stack:
        def get(kind: str) -> str:
            if kind not in urls:
                urls[kind] = stack.enter_context(throwaway_database(kind))
            return urls[kind]

        yield _Lazy(get)  # type: ignore[misc]


@pytest.fixture(params=DIALECTS)
def env(request: pytest.FixtureRequest, tmp_path: Path, server_urls: dict[str, str]) -> Iterator[Env]:
    """A read-write studio over a seeded database, for each dialect."""
    yield from make_env(request.param, tmp_path, server_urls)


@pytest.fixture(params=DIALECTS)
def ro_env(request: pytest.FixtureRequest, tmp_path: Path, server_urls: dict[str, str]) -> Iterator[Env]:
    """A read-only studio over a seeded database, for each dialect."""
    yield from make_env(request.param, tmp_path, server_urls, read_only=True)
