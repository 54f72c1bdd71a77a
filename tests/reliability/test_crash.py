"""kill -9 of `mizzle migrate` at random moments on every dialect (CI profile: MIZZLE_KILLS, default 2 per dialect;
scripts/reliability.sh runs >= 50 and writes RELIABILITY.md)."""

from __future__ import annotations

import os

from crash import campaign
from rel_helpers import Target, record

KILLS = int(os.environ.get("MIZZLE_KILLS", "2"))


def test_killed_migrate_loses_and_repeats_nothing(target: Target) -> None:
    kills = int(os.environ.get(f"MIZZLE_KILLS_{target.kind.upper()}", KILLS))  # e.g. MIZZLE_KILLS_MYSQL=50
    stats = campaign(target, kills, seed_=int(os.environ.get("MIZZLE_KILL_SEED", "13")))
    record("kills", **vars(stats))
    assert stats.failures == [], "\n".join(stats.failures)
    assert stats.survived == stats.tried == kills
