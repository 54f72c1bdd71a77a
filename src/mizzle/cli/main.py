"""`mizzle` entry point: parse arguments, run one command, turn expected errors into messages."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from mizzle.cli.context import CommandError, Context
from mizzle.cli.output import Console
from mizzle.errors import ConfigError, MizzleError

COMMANDS: tuple[str, ...] = (
    "generate", "migrate", "rollback", "push", "pull", "check", "drop", "export", "seed", "studio",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="mizzle",
        description="mizzle kit: schema migrations compatible with drizzle-kit.",
    )
    parser.add_argument("--config", "-c", metavar="FILE",
                        help="config file (default: nearest mizzle.toml or pyproject.toml [tool.mizzle])")
    parser.add_argument("--verbose", "-v", action="store_true", help="print more detail (SQL, steps)")
    parser.add_argument("--no-color", action="store_true", help="plain output without colours")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"mizzle.cli.commands.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `mizzle ARGS`; returns the exit status (0 ok, 1 failed or refused, 2 bad usage)."""
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    console = Console(color=False if args.no_color else None, verbose=args.verbose)
    if args.command is None:
        parser.print_help(sys.stdout)
        return 2
    ctx = Context(args=args, console=console)
    try:
        status: int = args.func(ctx)
    except CommandError as exc:
        console.error(str(exc))
        if exc.hint:
            console.hint(exc.hint)
        return exc.code
    except ConfigError as exc:
        console.error(str(exc))
        console.hint("fix the config (see `mizzle --help`) or pass another file with --config")
        return 1
    except MizzleError as exc:
        console.error(str(exc))
        return 1
    except KeyboardInterrupt:
        console.error("interrupted")
        return 130
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
