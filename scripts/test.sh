#!/usr/bin/env bash
# Set up a virtualenv with every extra and run all checks and tests (the README's test command).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[dev,postgres,mysql,libsql,aio,pydantic,cli,webui]" 2> >(grep -v "^WARNING: Location" >&2)
echo "== ruff"; .venv/bin/ruff check src tests
echo "== mypy"; .venv/bin/mypy
echo "== pyright"; .venv/bin/pyright
echo "== pytest"; .venv/bin/python -m pytest -q "$@"
