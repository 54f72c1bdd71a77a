"""`mizzle studio`: start the studio if `mizzle.studio` is installed."""

from __future__ import annotations

import argparse
import importlib
from typing import Any

from mizzle.cli.context import CommandError, Context


def register(sub: Any) -> None:
    """Add the `studio` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser("studio", help="browse the database in a local web UI")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=4983, help="port (default 4983)")
    p.add_argument("--write", action="store_true", help="allow edits (read-only by default)")
    p.set_defaults(func=run)


def run(ctx: Context) -> int:
    """Import `mizzle.studio` and hand over; say so when it is not installed."""
    try:
        studio = importlib.import_module("mizzle.studio")
    except ModuleNotFoundError as exc:
        if exc.name not in ("mizzle.studio", "mizzle"):
            raise CommandError(f"mizzle studio could not start: missing module {exc.name!r}") from None
        raise CommandError(
            "mizzle studio is not installed in this environment",
            hint="install a mizzle version that ships mizzle.studio, then run `mizzle studio` again",
        ) from None
    main = getattr(studio, "main", None) or getattr(studio, "serve", None)
    if main is None:
        raise CommandError("mizzle.studio has no main() or serve() entry point")
    result: Any = main(ctx.config, host=ctx.args.host, port=ctx.args.port, write=ctx.args.write)
    return int(result or 0)
