"""kill -9 of `mizzle migrate` at random moments on every dialect (CI profile: MIZZLE_KILLS, default 3 per dialect;
scripts/reliability.sh runs >= 50 and writes RELIABILITY.md)."""

from __future__ import annotations

import json
import os

from crash import campaign
from rel_helpers import Target

KILLS = int(os.environ.get("MIZZLE_KILLS", "3"))


def test_killed_migrate_loses_and_repeats_nothing(target: Target) -> None:
    stats = campaign(target, KILLS, seed_=int(os.environ.get("MIZZLE_KILL_SEED", "13")))
    report = os.environ.get("MIZZLE_RELIABILITY_OUT")
    if report:
        with open(report, "a", encoding="utf-8") as f:
            f.write(json.dumps({"kind": "kills", **vars(stats)}) + "\n")
    assert stats.failures == [], "\n".join(stats.failures)
    assert stats.survived == stats.tried == KILLS
