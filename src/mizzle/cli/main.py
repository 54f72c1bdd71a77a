"""`mizzle` entry point: parse arguments, run one command, turn expected errors into messages."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from mizzle._version import __version__
from mizzle.cli.context import CommandError, Context
from mizzle.cli.output import Console
from mizzle.errors import ConfigError, MizzleError, SchemaError

COMMANDS: tuple[str, ...] = (
    "generate", "migrate", "rollback", "push", "pull", "check", "drop", "up", "export", "seed", "studio", "models",
)


DESCRIPTION = """\
mizzle kit: schema migrations for mizzle schemas, in drizzle-kit's format
(a migrations folder can be shared with drizzle-kit and drizzle-orm)."""

EPILOG = """\
typical workflow:
  mizzle generate --name add_users   write the next migration from the schema
  mizzle migrate                     apply pending migrations (--to TAG|N: up or down to it)
  mizzle push --explain              prototype: show what push would change
  mizzle pull --init                 adopt an existing database (schema module + baseline)

configuration: [tool.mizzle] in pyproject.toml or mizzle.toml (or --config FILE):
  schema = "app/schema.py"     module paths or file globs holding the Table classes
  out = "drizzle"              migrations folder
  dialect = "sqlite"           sqlite | turso | postgresql | mysql
  url = "${DATABASE_URL}"      database URL ($VARS expanded; default sqlite:///local.db)
  models = "app/models.py"     where `mizzle models` writes the pydantic models
  also: casing, tables_filter, verbose, strict, breakpoints, migrations_table, prefix

exit status: 0 done, 1 failed or refused (a message and a hint on stderr), 2 bad usage.
`mizzle COMMAND --help` describes each command."""

_SCHEMA_HINT = "fix the table definitions in the schema module named by the config's `schema`"

_HINTS: dict[str, str] = {
    "generate": "`mizzle check` reports problems of the migrations folder; `mizzle generate --help` lists the "
                "options",
    "migrate": "`mizzle check` verifies the migrations folder; `mizzle migrate --help` explains --to and --force",
    "rollback": "`mizzle migrate --to TAG` moves to any migration; --force accepts down migrations that lose data",
    "push": "`mizzle push --explain` prints the plan and its SQL without changing anything",
    "pull": "check the database url (config `url` or --url); `mizzle pull --help` lists the options",
    "check": "fix the files named above, or `mizzle drop` the migration and `mizzle generate` it again",
    "drop": "revert an applied migration first with `mizzle rollback`, or pass --force",
    "up": "fix the file named above and run `mizzle up` again (nothing was changed)",
    "export": "fix the schema module named by the config's `schema`",
    "seed": "`mizzle seed --reset` empties the tables first; `mizzle seed --help` lists the options",
    "studio": "`mizzle studio --help` lists the options",
    "models": "fix the schema module named by the config's `schema`; `mizzle models --help` lists the options",
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="mizzle",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"mizzle {__version__}")
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
        hint = getattr(exc, "hint", None) or (
            _SCHEMA_HINT if isinstance(exc, SchemaError) else _HINTS.get(str(args.command)))
        if hint:
            console.hint(hint)
        return 1
    except KeyboardInterrupt:
        console.error("interrupted")
        return 130
    except BrokenPipeError:  # `mizzle export | head`: the reader left; nothing more to say
        _silence_stdout()
        return 141  # 128 + SIGPIPE, as a process killed by it would report
    return status


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not raise BrokenPipeError again."""
    import os

    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (tests capture it)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
