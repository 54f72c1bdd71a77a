"""`mizzle migrate`: apply pending migrations (`--to TAG|N`: go up or down to exactly that migration)."""

from __future__ import annotations

import argparse
from typing import Any

from mizzle.cli.context import Context
from mizzle.cli.output import Console, Live, plural


def register(sub: Any) -> None:
    """Add the `migrate` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "migrate", help="apply pending migrations to the database",
        description="Apply every migration of the folder the database lacks, in journal order, each atomically "
                    "(recorded in __drizzle_migrations exactly as drizzle-orm does). With --to, bring the database "
                    "to exactly that migration: later applied ones are reverted with their down migrations, "
                    "pending ones up to it are applied.",
    )
    p.add_argument("--to", metavar="TAG|N",
                   help="target migration: a tag (0003_add_email), its number (0003 or 3), or -1 for none")
    p.add_argument("--force", action="store_true", help="allow down migrations that lose data")
    p.add_argument("--url", help="database URL (default: the config's url)")
    p.add_argument("--out", metavar="DIR", help="migrations folder (default: the config's out)")
    p.set_defaults(func=run)


class MigrateProgress:
    """What `migrate` shows while it works.

    On a terminal: one line per migration and a live status naming the statement running (rich when
    installed). With -v (terminal or not): also every statement sent, numbered within its migration.
    Not a terminal and no -v: nothing but the final summary.
    """

    def __init__(self, console: Console, *, verbose: bool, tty: bool) -> None:
        self.console = console
        self.verbose = verbose
        self.show = tty or verbose
        self.live: Live | None = None
        self.current = ""
        self.count = 0
        self.total = 0

    def __call__(self, event: Any) -> None:
        c = self.console
        if not self.show:
            return
        if event.kind == "start" and event.total:
            c.print(f"{event.total} migration{'' if event.total == 1 else 's'} to apply", "dim")
        elif event.kind in ("applying", "reverting"):
            self.current, self.count, self.total = event.tag, 0, event.statements
            what = "applying" if event.kind == "applying" else "reverting"
            if self.verbose:
                c.print(f"  [{event.index}/{event.total}] {what} {event.tag} ({plural(event.statements, 'statement')})",
                        "dim")
            self.live = c.live(f"{what} {event.tag}")
        elif event.kind in ("applied", "reverted"):
            if self.live is not None:
                self.live.stop()
                self.live = None
            self.current = ""
            style = "ok" if event.kind == "applied" else "alter"
            c.print(f"  [{event.index}/{event.total}] {event.kind} {event.tag} ({event.seconds * 1000:.0f} ms)", style)

    def statement(self, sql: str, params: Any) -> None:
        """The database's logger: every statement sent (the tracking table's too)."""
        if not self.current:
            if self.verbose:
                self.console.print(f"      {_one_line(sql)}", "dim")
            return
        self.count += 1
        if self.verbose:
            self.console.print(f"      {_one_line(sql)}", "dim")
        if self.live is not None:
            self.live.update(f"{self.current}: {_one_line(sql)[:70]}")


def _one_line(sql: str) -> str:
    return " ".join(sql.split())


def progress_printer(console: Console) -> Any:
    """The progress callback `migrate` uses (shown on a terminal, or with -v)."""
    return MigrateProgress(console, verbose=console.verbose, tty=console.interactive_out)


def run(ctx: Context) -> int:
    """Migrate up, or down with --to."""
    from mizzle.kit.journal import read_migrations
    from mizzle.kit.migrator import migrate, migrate_to

    cfg, console, args = ctx.config, ctx.console, ctx.args
    read_migrations(cfg.out)  # a missing or broken folder fails here, before a database file is created
    db = ctx.connect()
    progress = progress_printer(console)
    if progress.show:
        db.logger = progress.statement
    try:
        if args.to is not None:
            target: str | int = int(args.to) if args.to.lstrip("-").isdigit() else args.to
            result = migrate_to(db, cfg.out, target, force=args.force, table=cfg.migrations_table,
                                progress=progress)
        else:
            result = migrate(db, cfg.out, table=cfg.migrations_table, progress=progress)
    finally:
        db.driver.close()
    for note in result.notes:  # what the runner did on its own: rebuilt tables' row counts, resumed statements
        console.print(f"  {note}", "dim")
    console.success(result.summary())
    return 0
