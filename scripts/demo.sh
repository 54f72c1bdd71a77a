#!/usr/bin/env bash
# The main flow on embedded SQLite: schema (examples/quickstart/schema.py) -> migration -> queries -> output.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv with $("$PY" --version 2>&1)"
  "$PY" -m venv .venv
fi
echo "== installing mizzle (and rich for the CLI) into .venv — about 20 s the first time"
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[cli]" 2> >(grep -v "^WARNING: Location" >&2)
cd examples/quickstart
rm -f quickstart.db quickstart.db-wal quickstart.db-shm
step() { printf '\n\033[1;36m$ %s\033[0m\n' "$*"; }
step "mizzle generate          # diff schema.py against drizzle/meta (nothing new: the migration is committed)"
../../.venv/bin/mizzle generate
step "cat drizzle/0000_init.sql  # drizzle-kit's exact format"
cat drizzle/0000_init.sql; echo
step "mizzle migrate           # apply it to quickstart.db, tracked in __drizzle_migrations"
../../.venv/bin/mizzle migrate
step "python demo.py           # write rows and read them back through the builder"
../../.venv/bin/python demo.py
