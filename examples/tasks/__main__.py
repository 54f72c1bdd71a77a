"""`python -m tasks sync` (from examples/) or `python -m examples.tasks sync` (from the repository root).

    sync [--dir .ralph/tasks] [--db .ralph/ralph.db]   task files <-> database, both ways; exit 1 on conflicts
"""

from __future__ import annotations

import argparse
import sys

from .store import get_database
from .sync import sync


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tasks", description="The task runner's database tools.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("sync", help="synchronise task files with the database, both ways",
                       description="Import changed task files, export tasks changed in the database, report "
                                   "conflicts (both sides changed) without overwriting either side.")
    p.add_argument("--dir", default=".ralph/tasks", help="folder of <task id>.json files (default: .ralph/tasks)")
    p.add_argument("--db", default=".ralph/ralph.db", help="SQLite database file (default: .ralph/ralph.db)")
    args = parser.parse_args(argv)
    db = get_database(args.db)
    try:
        report = sync(db, args.dir)
    finally:
        db.close()
    for line in report.lines():
        print(line)
    if report.conflicts or report.invalid:
        print("some tasks were not synchronised: resolve the conflicts / fix the files above and run sync again",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
