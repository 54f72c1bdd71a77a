"""Seed 000's development data (db/seed.ts): deterministic, migrated first, re-runnable with --reset."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from examples.webui.seed import seed_database

import mizzle

ROOT = Path(__file__).resolve().parents[2]


def _dump(path: Path) -> list[tuple[object, ...]]:
    db = mizzle.connect(f"sqlite:///{path}")
    try:
        return [*db.execute("select * from sessions order by id"), *db.execute("select * from messages order by id"),
                *db.execute("select * from settings order by key")]
    finally:
        db.close()


def test_seed_data_is_deterministic_and_valid(tmp_path: Path) -> None:
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    result = seed_database(str(a), count=8, seed_value=7)
    assert result.inserted == {"sessions": 8, "messages": 40, "settings": 8}
    seed_database(str(b), count=8, seed_value=7)
    assert _dump(a) == _dump(b)                                      # same seed, same rows
    db = mizzle.connect(f"sqlite:///{a}")
    try:
        assert db.execute("pragma foreign_key_check") == []
        assert db.execute("select count(*) from __drizzle_migrations")[0][0] >= 1
    finally:
        db.close()
    again = seed_database(str(a), count=3, seed_value=7, reset=True)
    assert again.inserted["sessions"] == 3 and len(_dump(a)) == 3 + 15 + 3


def test_command_from_the_readme(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "examples.webui.seed", "--db", str(tmp_path / "dev.db"), "--count", "4"],
                         cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert sorted(out.stdout.splitlines()) == ["messages: 20 rows", "sessions: 4 rows", "settings: 4 rows"]
