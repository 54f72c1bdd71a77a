"""Fixtures: a SQLite file database in tmp_path that records every statement the driver sees."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

import mizzle
from mizzle.session.sync import Database

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
if str(EXAMPLES) not in sys.path:
    sys.path.insert(0, str(EXAMPLES))


class Recorder:
    """Collects the SQL of every statement (the `logger=` hook of `mizzle.connect`)."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, sql: str, params: Sequence[Any]) -> None:
        self.statements.append(sql)

    def clear(self) -> None:
        """Forget what was recorded so far."""
        self.statements.clear()

    @property
    def selects(self) -> list[str]:
        """The recorded statements that read (select ...)."""
        return [s for s in self.statements if s.lstrip().lower().startswith("select")]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture(params=["sqlite", "libsql"])
def make_db(request: pytest.FixtureRequest, tmp_path: Path, recorder: Recorder) -> Iterator[Callable[..., Database]]:
    """Open SQLite files through stdlib sqlite3, then through the libsql package (`driver="libsql"`)."""
    driver: str = request.param
    if driver == "libsql":
        pytest.importorskip("libsql", reason="libSQL tests need the libsql package: pip install 'mizzle[libsql]'")
    opened: list[Database] = []

    def make(tables: Sequence[type[Any]], schema: Any = None) -> Database:
        db = mizzle.connect(str(tmp_path / f"rel{len(opened)}.db"), driver=driver, logger=recorder, schema=schema)
        opened.append(db)
        mizzle.create_all(db, list(tables))
        recorder.clear()
        return db

    yield make
    for db in opened:
        db.close()
