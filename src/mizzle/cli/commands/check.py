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
        description="Verify that the journal, the .sql files and the snapshots agree (ids and prevId chain), "
                    "detect two branches that both added migration NNNN (and whether they commute), and run "
                    "every migration up -> down -> up on a scratch database. Exits 1 on any error.",
    )
    p.add_argument("--out", metavar="DIR", help="migrations folder (default: the config's out)")
    p.add_argument("--url", help="server URL a scratch database is created on for up -> down -> up (PostgreSQL, "
                                 "MySQL/MariaDB; default: the config's url)")
    p.add_argument("--no-roundtrip", action="store_true", help="skip up -> down -> up on a scratch database")
    p.set_defaults(func=run)


def run(ctx: Context) -> int:
    """Print the report; exit 1 on any error."""
    from mizzle.kit.check import check_folder
    from mizzle.url import redact

    console = ctx.console
    cfg = ctx.config
    url, source = cfg.url, f"`url` in {cfg.source}"
    if ctx.args.url is not None:
        source = f"--url {redact(ctx.args.url)}"
    elif "url" not in cfg.raw:
        url, source = "", f"none given: no --url, and {cfg.source} sets no `url`"
    report = check_folder(cfg.out, roundtrip=not ctx.args.no_roundtrip, url=url, url_source=source)
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
    if not report.ok:
        return 1
    console.success(f"{plural(report.migrations, 'migration')} checked: journal, files and snapshots agree")
    return 0
