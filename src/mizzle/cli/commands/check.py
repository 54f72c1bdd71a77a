"""`mizzle check`: journal, files and snapshots agree; branches; down migrations round-trip."""

from __future__ import annotations

import argparse
from typing import Any

from mizzle.cli.context import Context
from mizzle.cli.output import plural


def register(sub: Any) -> None:
    """Add the `check` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "check", help="check the migrations folder for consistency",
        description="Verify that the journal, the .sql files and the snapshots agree (ids and prevId chain; in "
                    "the drizzle 1.0 layout the snapshot graph of prevIds), detect branches (two migrations "
                    "NNNN, or two children of one snapshot) and whether they commute, and run every migration "
                    "up -> down -> up on a scratch database holding rows. A migration without a down migration "
                    "(drizzle-kit writes none) is applied up only and named in a warning. Exits 1 on any error.",
    )
    p.add_argument("--out", metavar="DIR", help="migrations folder (default: the config's out)")
    p.add_argument("--url", help="server URL a scratch database is created on for up -> down -> up (PostgreSQL, "
                                 "MySQL/MariaDB; default: the config's url)")
    p.add_argument("--no-roundtrip", action="store_true", help="skip up -> down -> up on a scratch database")
    p.set_defaults(func=run)


def run(ctx: Context) -> int:
    """Print the report; exit 1 on any error."""
    from mizzle.kit.check import check_folder
    from mizzle.kit.folder_v1 import layout
    from mizzle.url import redact

    console = ctx.console
    cfg = ctx.config
    url, source = cfg.url, f"`url` in {cfg.source}"
    if ctx.args.url is not None:
        source = f"--url {redact(ctx.args.url)}"
    elif "url" not in cfg.raw:
        url, source = "", f"none given: no --url, and {cfg.source} sets no `url`"
    report = check_folder(cfg.out, roundtrip=not ctx.args.no_roundtrip, url=url, url_source=source,
                          dialect=cfg.dialect)
    for b in report.branches:
        console.print(f"branch conflict at {b.number}: {'commute' if b.commute else 'do not commute'}",
                      "warn" if b.commute else "error")
        console.rows([[(tag, None), (", ".join(t) or "(nothing)", "dim")] for tag, t in b.touches.items()])
    for p in report.problems:
        if p.severity == "error":
            console.error(p.message)
        else:
            console.warn(p.message)
        if p.hint:
            console.hint("→ " + p.hint)
    if report.roundtrips:
        console.print(f"up → down → up verified on a scratch database: {plural(len(report.roundtrips), 'migration')}",
                      "dim")
    if report.unverified:
        console.warn(f"up → down → up not run for {plural(len(report.unverified), 'migration')} (no down migration, "
                     "or an irreversible one: see above); they were applied up only")
    if not report.ok:
        return 1
    what = "snapshot graph, files and snapshots agree" if layout(cfg.out) == "v1" else \
        "journal, files and snapshots agree"
    console.success(f"{plural(report.migrations, 'migration')} checked: {what}")
    return 0
