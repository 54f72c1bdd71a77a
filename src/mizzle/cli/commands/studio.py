"""`mizzle studio [URL]`: browse and edit a database in a local web UI."""

from __future__ import annotations

import argparse
from dataclasses import replace
from typing import Any

from mizzle.cli.context import CommandError, Context
from mizzle.kit.config import _absolute_sqlite as absolute_sqlite  # pyright: ignore[reportPrivateUsage]

DESCRIPTION = """\
Serve a web UI for a database on loopback (a random token in the printed URL guards it): browse
tables with filters, sorting and foreign-key links, edit rows, run SQL in a console, see migrations.

With a schema configured (`schema` in mizzle.toml / [tool.mizzle]) the studio shows columns by their
modes (JSON, booleans, timestamps, enums). Without one — or for a database given as the URL argument —
it reads the tables from the database the way `mizzle pull` does; rows of tables with a primary key
can be edited.

--read-only refuses every write; the console then runs each statement in a read-only transaction that
the database enforces and always rolls back. Give the studio an account without superuser/FILE
privileges: for such accounts the database cannot hold a read-only console back, so it stays off."""

EXAMPLES = """\
examples:
  mizzle studio                              the configured database and schema
  mizzle studio sqlite:///app.db             any SQLite file, no config needed
  mizzle studio postgresql://ro@localhost/app --read-only
  mizzle studio --port 0 --open              any free port, opened in the browser"""


def register(sub: Any) -> None:
    """Add the `studio` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "studio", help="browse the database in a local web UI", description=DESCRIPTION, epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("database_url", nargs="?", metavar="URL",
                   help="database to open (default: the config's url); no schema module needed")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1; others print a warning)")
    p.add_argument("--port", type=int, default=4983, help="port (default 4983; 0 picks a free one)")
    p.add_argument("--read-only", action="store_true",
                   help="refuse every write (the console's statements run in a read-only transaction)")
    p.add_argument("--open", action="store_true", help="open the studio in the default browser")
    p.add_argument("--url", help="database URL replacing the config's url, keeping its schema (the URL argument "
                                 "reads the tables from the database instead)")
    p.set_defaults(func=run)


def run(ctx: Context) -> int:
    """Start the studio server for the configured (or given) database; Ctrl+C stops it."""
    try:
        from mizzle.studio import serve
    except ImportError as exc:
        if getattr(exc, "name", None) not in ("mizzle.studio", None):
            raise CommandError(f"mizzle studio could not start: missing module {exc.name!r}") from None
        raise CommandError(
            "mizzle studio is not installed in this environment",
            hint="install a mizzle version that ships mizzle.studio, then run `mizzle studio` again",
        ) from None
    given = ctx.args.database_url
    if given is not None:
        if ctx.args.url is not None and ctx.args.url != given:
            raise CommandError(f"two database URLs given ({given} and --url {ctx.args.url})",
                               hint="pass the URL once, as the argument or with --url")
        # relative to the working folder: the console opens its own connection to the same file
        ctx.args.url = absolute_sqlite(given, ctx.cwd)
    config = ctx.config
    if given is not None:  # any database, read the way `pull` reads it: the configured schema may describe another
        config = replace(config, schema=())
    return serve(config, host=ctx.args.host, port=ctx.args.port, read_only=ctx.args.read_only,
                 open_browser=ctx.args.open)
