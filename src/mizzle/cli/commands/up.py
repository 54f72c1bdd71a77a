"""`mizzle up`: move a 0.x migrations folder into drizzle 1.0's layout, as `drizzle-kit up` does."""

from __future__ import annotations

import argparse
import os
from typing import Any

from mizzle.cli.context import Context


def register(sub: Any) -> None:
    """Add the `up` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "up", help="convert the migrations folder to the drizzle 1.0 layout",
        description="Move every migration of meta/_journal.json into its own <YYYYMMDDHHMMSS>_<name>/ folder "
                    "(migration.sql + snapshot.json, byte copies; the time is the journal's `when`), move "
                    "mizzle's down/<tag>.sql along, delete meta/, and upgrade SQLite snapshots to version 7 and "
                    "MySQL ones to version 6 (PostgreSQL snapshots are moved as they are: `drizzle-kit up` "
                    "converts them), "
                    "as drizzle-kit 1.0's `up` does. Refused, changing nothing, when two migrations would "
                    "swap order (same second). Re-running on a converted folder changes nothing.",
    )
    p.add_argument("--out", metavar="DIR", help="migrations folder (default: the config's out)")
    p.set_defaults(func=run)


def run(ctx: Context) -> int:
    """Convert and list what changed."""
    from mizzle.kit.up import snapshot_upgrade, up

    cfg, console = ctx.config, ctx.console
    result = up(cfg.out, snapshot_upgrade(cfg.dialect))
    for folder in result.moved:
        console.print(f"  + {os.path.relpath(os.path.join(cfg.out, folder), ctx.cwd)}/", "create")
    for path in result.upgraded:
        console.print(f"  ~ {os.path.relpath(path, ctx.cwd)}", "dim")
    if result.kept:
        console.warn(result.summary())
    else:
        console.success(result.summary())
    return 0
