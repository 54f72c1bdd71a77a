#!/usr/bin/env bash
# Set up a virtualenv with every extra and dev tool, then run all checks and tests (the README's test command).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
say() { printf '== %s\n' "$*"; }
if [ ! -x .venv/bin/python ]; then
  say "creating .venv with $("$PY" --version 2>&1)"
  "$PY" -m venv .venv
fi
say "installing mizzle with every extra, dev tools, example and docs dependencies into .venv (about a minute the first time)"
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[postgres,mysql,libsql,aio,pydantic,cli]" \
  --group dev --group examples --group docs 2> >(grep -v "^WARNING: Location" >&2)
say "ruff (lint)"; .venv/bin/ruff check src tests
say "mypy --strict (src/mizzle, tests/typing)"; .venv/bin/mypy
say "pyright strict (src/mizzle, tests/typing)"; .venv/bin/pyright
say "mkdocs build --strict (the documentation site, warnings are errors)"
NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict --quiet --site-dir .site
say "pytest (SQLite, libSQL, PostgreSQL, MariaDB; server tests skip with a reason when a server is down)"
.venv/bin/python -m pytest -q "$@"
