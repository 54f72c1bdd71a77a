"""`mizzle rollback`: revert the last applied migration with its down migration."""

from __future__ import annotations

import argparse
from typing import Any

from mizzle.cli.commands.migrate import progress_printer
from mizzle.cli.context import CommandError, Context


def register(sub: Any) -> None:
    """Add the `rollback` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "rollback", help="revert the last applied migration",
        description="Run the down migration (<out>/down/<tag>.sql) of the newest applied migration atomically "
                    "and remove its row from __drizzle_migrations. A down migration that drops data needs "
                    "--force. `mizzle migrate --to TAG` reverts (or applies) several at once.",
    )
    p.add_argument("--force", action="store_true", help="allow a down migration that loses data")
    p.add_argument("--url", help="database URL (default: the config's url)")
    p.add_argument("--out", metavar="DIR", help="migrations folder (default: the config's out)")
    p.set_defaults(func=run)


def run(ctx: Context) -> int:
    """Find the newest applied migration and migrate to the one before it."""
    from mizzle.kit.drop import applied_rows
    from mizzle.kit.journal import read_migrations
    from mizzle.kit.migrator import migrate_to

    cfg, console = ctx.config, ctx.console
    migrations = read_migrations(cfg.out)
    db = ctx.connect()
    try:
        rows = applied_rows(db, cfg.migrations_table)
        hashes = {h for h, _ in rows}
        whens = {c for _, c in rows}
        applied = [i for i, m in enumerate(migrations) if m.hash in hashes or m.when in whens]
        if not applied:
            raise CommandError("no migration of this folder is applied to the database; nothing to roll back")
        result = migrate_to(db, cfg.out, applied[-1] - 1, force=ctx.args.force, table=cfg.migrations_table,
                            progress=progress_printer(console))
    finally:
        db.driver.close()
    console.success(result.summary())
    return 0
