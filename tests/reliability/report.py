"""RELIABILITY.md from the JSON lines the reliability tests append to $MIZZLE_RELIABILITY_OUT.

Usage: python tests/reliability/report.py FIGURES.jsonl PYTEST_EXIT_STATUS SECONDS > RELIABILITY.md
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DIALECTS = ("sqlite", "libsql", "postgres", "mysql")


def main(path: str, status: str, seconds: str) -> str:
    rows: list[dict[str, Any]] = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()
                                  if line.strip()]
    by: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by[(r["kind"], r["dialect"])].append(r)
    out = [
        "# RELIABILITY",
        "",
        f"Long profile of `tests/reliability/` (`scripts/reliability.sh`), run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC "
        f"in {float(seconds) / 60:.0f} min; pytest exit status {status} "
        f"({'all guarantees held' if status == '0' else 'SOME TESTS FAILED: see below'}).",
        "",
        "| dialect | kills survived / tried (landed mid-run) | rows lost | double-applied | concurrent migrates "
        "(8 processes) | identifiers fuzzed / injections | evolutions run (steps) / rows lost |",
        "|---|---|---|---|---|---|---|",
    ]
    failures: list[str] = []
    for d in DIALECTS:
        k = by[("kills", d)]
        tried = sum(r["tried"] for r in k)
        kills = (f"{sum(r['survived'] for r in k)} / {tried} ({sum(r['landed'] for r in k)})" if k else "not run")
        lost = sum(r["rows_lost"] for r in k)
        double = sum(r["double_applied"] for r in k)
        failures += [f"{d}: {f}" for r in k for f in r["failures"]]
        c = by[("concurrent", d)]
        conc = (f"{sum(1 for r in c if not r['failed'] and not r['problems'])} / {len(c)} runs clean" if c
                else "not run")
        f = by[("fuzz", d)]
        fuzz = f"{sum(r['names'] for r in f)} names in {len(f)} schemas / {sum(r['injections'] for r in f)}"
        e = by[("evolution", d)]
        evo = f"{len(e)} ({sum(r['steps'] for r in e)}) / {sum(r['rows_lost'] for r in e)}"
        out.append(f"| {d} | {kills} | {lost} | {double} | {conc} | {fuzz} | {evo} |")
    out += [
        "",
        "A kill is *survived* when, after `kill -9` of `mizzle migrate` at a random moment (0 .. 1.3 x an",
        "uninterrupted run) and a re-run: the re-run exits 0, SQLite's integrity_check and foreign_key_check pass,",
        "the tracking table has one row per migration, every table has all its rows, the non-idempotent statements",
        "(`UPDATE items SET n = n + 1`, `INSERT INTO audit ... SELECT`) took effect exactly once, and the rebuilt",
        "table's values are intact. *Landed mid-run*: the process was still running when killed.",
        "Fuzz and evolution counts are hypothesis examples that completed (a failing example stops its test).",
    ]
    out += fidelity_section(by)
    if failures:
        out += ["", "## Failures", ""] + [f"- {x}" for x in failures]
    return "\n".join(out) + "\n"


def fidelity_section(by: dict[tuple[str, str], list[dict[str, Any]]]) -> list[str]:
    """The value-fidelity table (tests/fidelity/test_fidelity.py with MIZZLE_FIDELITY_EXAMPLES examples)."""
    rows = [(d, r) for d in DIALECTS for r in by[("fidelity", d)]]
    if not rows:
        return []
    out = [
        "",
        "## Value fidelity (issue 14)",
        "",
        "Hypothesis examples of every column type and mode, each written and read back through a flat select, a",
        "prepared select, a relational query and (but libSQL) the async API. A *mismatch* is a value read back",
        "different from what docs/values.md promises for its mode; *refused* values raised ValueRefusedError on write",
        "and were allowed to.",
        "",
        "| dialect | examples | values tried | refused | mismatches |",
        "|---|---|---|---|---|",
    ]
    out += [f"| {d} | {r['examples']} | {r['tried']} | {r['refused']} | {r['mismatches']} |" for d, r in rows]
    return out


if __name__ == "__main__":
    sys.stdout.write(main(*sys.argv[1:4]))
