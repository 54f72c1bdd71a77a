#!/usr/bin/env bash
# The long reliability profile (issue 13): kill -9 of `mizzle migrate` (>= 50 per dialect), 8 concurrent
# migrates, hypothesis schema evolutions and identifier fuzz with many examples, and the value-fidelity sweep
# (issue 14), on SQLite, libSQL, PostgreSQL and MariaDB (servers as in tests/_servers.py). Writes RELIABILITY.md with the figures. CI runs the small profile
# (plain `pytest tests/reliability`). Override sizes with MIZZLE_KILLS, MIZZLE_KIT_EXAMPLES, MIZZLE_FUZZ_EXAMPLES,
# MIZZLE_FIDELITY_EXAMPLES.
set -uo pipefail
cd "$(dirname "$0")/.."
FIGURES=$(mktemp)
START=$(date +%s)
MIZZLE_RELIABILITY_OUT="$FIGURES" \
MIZZLE_KILLS="${MIZZLE_KILLS:-50}" \
MIZZLE_KIT_EXAMPLES="${MIZZLE_KIT_EXAMPLES:-40}" \
MIZZLE_FUZZ_EXAMPLES="${MIZZLE_FUZZ_EXAMPLES:-60}" \
MIZZLE_CRASH_ROWS="${MIZZLE_CRASH_ROWS:-30000}" \
MIZZLE_FIDELITY_EXAMPLES="${MIZZLE_FIDELITY_EXAMPLES:-3000}" \
  .venv/bin/python -m pytest -q -p no:randomly tests/reliability tests/fidelity/test_fidelity.py "$@"
STATUS=$?
.venv/bin/python tests/reliability/report.py "$FIGURES" "$STATUS" "$(( $(date +%s) - START ))" > RELIABILITY.md
rm -f "$FIGURES"
cat RELIABILITY.md
exit $STATUS
