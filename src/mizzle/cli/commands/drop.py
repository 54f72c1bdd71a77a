"""`mizzle drop`: remove the last migration (refused if the configured database applied it)."""

from __future__ import annotations

import argparse
import os
from typing import Any

from mizzle.cli.context import Context


def register(sub: Any) -> None:
    """Add the `drop` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "drop", help="remove the last migration and its snapshot",
        description="Delete the newest migration's .sql file, down file, snapshot and journal entry, so "
                    "`mizzle generate` can write it again. Refused when the configured database has applied "
                    "it (revert it first with `mizzle rollback`) unless --force.",
    )
    p.add_argument("--force", action="store_true", help="drop even if the configured database applied it")
    p.add_argument("--out", metavar="DIR", help="migrations folder (default: the config's out)")
    p.set_defaults(func=run)


def run(ctx: Context) -> int:
    """Drop and list the removed files."""
    from mizzle.kit.drop import drop_last

    cfg, console = ctx.config, ctx.console
    from mizzle.kit.dialects import kit_dialect

    # no database yet (a SQLite file not created): nothing can have been applied
    db = ctx.connect() if cfg.url and kit_dialect(cfg.dialect).exists(cfg.url) else None
    try:
        result = drop_last(cfg.out, db=db, migrations_table=cfg.migrations_table, force=ctx.args.force)
    finally:
        if db is not None:
            db.driver.close()
    console.success(f"dropped migration {result.tag}")
    for removed in result.removed:
        console.print(f"  - removed {os.path.relpath(removed, ctx.cwd)}", "drop")
    if result.was_applied:
        console.warn(f"{result.tag} was applied to the database; its changes are still there")
    return 0
