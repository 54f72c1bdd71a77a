"""`mizzle export` (being written)."""

from __future__ import annotations

from typing import Any

from mizzle.cli.context import CommandError, Context


def register(sub: Any) -> None:
    """Add the `export` sub-command."""
    p = sub.add_parser("export", help="export")
    p.set_defaults(func=run)


def run(ctx: Context) -> int:
    """Not yet available."""
    raise CommandError("export is not available yet")
