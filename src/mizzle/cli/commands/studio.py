"""`mizzle studio`: browse and edit the configured database in a local web UI."""

from __future__ import annotations

import argparse
from typing import Any

from mizzle.cli.context import CommandError, Context


def register(sub: Any) -> None:
    """Add the `studio` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser("studio", help="browse the database in a local web UI")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1; others print a warning)")
    p.add_argument("--port", type=int, default=4983, help="port (default 4983; 0 picks a free one)")
    p.add_argument("--read-only", action="store_true", help="refuse every write (the console runs SELECTs only)")
    p.add_argument("--open", action="store_true", help="open the studio in the default browser")
    p.add_argument("--url", help="database URL (overrides the config's url)")
    p.set_defaults(func=run)


def run(ctx: Context) -> int:
    """Start the studio server for the configured schema and database (Ctrl+C stops it)."""
    try:
        from mizzle.studio import serve
    except ImportError as exc:
        if getattr(exc, "name", None) not in ("mizzle.studio", None):
            raise CommandError(f"mizzle studio could not start: missing module {exc.name!r}") from None
        raise CommandError(
            "mizzle studio is not installed in this environment",
            hint="install a mizzle version that ships mizzle.studio, then run `mizzle studio` again",
        ) from None
    return serve(ctx.config, host=ctx.args.host, port=ctx.args.port, read_only=ctx.args.read_only,
                 open_browser=ctx.args.open)
