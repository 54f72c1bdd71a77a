"""Development data for the agent console (the seed's `db/seed.ts`, `bun run db:seed`), through mizzle's
deterministic seeding: the same `--seed` gives the same rows on every machine.

    python -m examples.webui.seed [--db webui.db] [--count 20] [--seed 1] [--reset]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import mizzle
from mizzle.kit.seed import SeedResult, seed

from .db import MIGRATIONS
from .schema import Messages, Sessions, Settings

TABLES = [Sessions, Messages, Settings]


def seed_database(path: str, *, count: int = 20, seed_value: int = 1, reset: bool = False) -> SeedResult:
    """Migrate the database at `path` and fill it with `count` sessions (5 messages each) and settings."""
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = mizzle.connect(path)
    try:
        mizzle.migrate(db, MIGRATIONS)
        return seed(db, TABLES, count=count, seed=seed_value, reset_first=reset,
                    counts={"messages": count * 5, "settings": min(count, 10)})
    finally:
        db.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m examples.webui.seed", description=__doc__.splitlines()[0])
    p.add_argument("--db", default="webui.db", help="SQLite file (default: webui.db, the service's default)")
    p.add_argument("--count", type=int, default=20, help="sessions to create (messages: 5 each)")
    p.add_argument("--seed", type=int, default=1, help="random seed: the same value gives the same rows")
    p.add_argument("--reset", action="store_true", help="empty the tables first")
    args = p.parse_args(argv)
    result = seed_database(args.db, count=args.count, seed_value=args.seed, reset=args.reset)
    for table, n in result.inserted.items():
        print(f"{table}: {n} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
