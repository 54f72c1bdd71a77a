"""8 `mizzle migrate` processes started at once on one database: each migration is applied exactly once
(the non-idempotent data statements in it show any double application), every process exits 0."""

from __future__ import annotations

import tempfile
from pathlib import Path

from crash import build_folder, check, fresh, seed, start_migrate, write_config
from rel_helpers import Target, record

from mizzle.kit.journal import Journal

PROCESSES = 8


def test_eight_concurrent_migrates_apply_each_migration_once(target: Target) -> None:
    with fresh(target) as t, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folder = work / "migrations"
        build_folder(t, folder)
        seed(t, folder)
        write_config(t, work, folder)
        procs = [start_migrate(work) for _ in range(PROCESSES)]
        results = [p.communicate(timeout=600) for p in procs]
        errors = [err.decode(errors="replace")[-400:] for p, (_, err) in zip(procs, results, strict=True)
                  if p.returncode != 0]
        problems = check(t, len(Journal.read(folder).entries))
        record("concurrent", dialect=t.kind, processes=PROCESSES, failed=len(errors), problems=problems)
        assert errors == []
        assert problems == [], problems
