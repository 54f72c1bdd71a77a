"""`mizzle generate`: diff the last snapshot against the schema and write the next migration."""

from __future__ import annotations

import argparse
import os
from typing import Any

from mizzle.cli.commands.push import add_rename_flags
from mizzle.cli.context import CommandError, Context
from mizzle.cli.output import plural

_SYMBOL = {"create": "+", "drop": "-", "alter": "~", "rename": "~"}


def register(sub: Any) -> None:
    """Add the `generate` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "generate", help="write the next migration from schema changes",
        description="Diff the folder's last snapshot against the configured schema and write <out>/NNNN_name.sql, "
                    "its snapshot and journal entry (drizzle-kit's format) plus <out>/down/NNNN_name.sql, the "
                    "reverse. A vanished and a new table/column may be a rename: a `renamed_from=` hint, "
                    "--rename/--create or --answers decide it, a terminal asks; otherwise generate stops and "
                    "names the ambiguity. dialect = \"turso\" writes libSQL ALTER COLUMN instead of rebuilds.",
    )
    p.add_argument("--name", help="migration name (default: a random adjective_noun)")
    p.add_argument("--custom", action="store_true",
                   help="write an empty migration for hand-written SQL (data migrations)")
    p.add_argument("--out", metavar="DIR", help="migrations folder (default: the config's out)")
    p.add_argument("--empty-tables", action="store_true",
                   help="the changed tables are always empty: allow changes that fail on a table with rows "
                        "(a NOT NULL column without a default; on SQLite a non-constant default)")
    add_rename_flags(p)
    p.add_argument("--hints", metavar="JSON",
                   help="drizzle 1.0 layout: rename/create answers as drizzle-kit 1.0 takes them, a JSON array such as "
                        "'[{\"type\": \"rename\", \"kind\": \"column\", \"from\": [\"public\", \"users\", "
                        "\"name\"], \"to\": [\"public\", \"users\", \"full_name\"]}]'")
    p.add_argument("--hints-file", metavar="FILE", help="drizzle 1.0 layout: the --hints JSON read from FILE")
    p.set_defaults(func=run)


def run(ctx: Context) -> int:
    """Generate and report what was written."""
    from mizzle.cli.resolver import build_resolver
    from mizzle.kit.api import generate
    from mizzle.kit.config import load_tables
    from mizzle.kit.push import describe_statement

    args, console, cfg = ctx.args, ctx.console, ctx.config
    if _v1(ctx):
        return _run_v1(ctx)
    if args.hints is not None or args.hints_file is not None:
        raise CommandError("--hints/--hints-file answer drizzle 1.0 `generate`; this folder uses the 0.x journal",
                           hint="set format = \"v1\" in the config for the drizzle 1.0 layout, or answer with "
                           "--rename/--create/--answers")
    tables = load_tables(cfg)
    resolver = build_resolver(console, tables, renames=args.rename, creates=args.create, answers=args.answers)
    result = generate(tables, cfg.out, name=args.name, custom=args.custom, resolver=resolver,
                      dialect=cfg.dialect, breakpoints=cfg.breakpoints, prefix=cfg.prefix,
                      empty_tables=args.empty_tables, write=False)
    if not result.changed:
        console.success("no schema changes, nothing to migrate")
        return 0
    # everything that can fail (describing the plan, relative paths) runs before a file is written
    sql_rel = _rel(result.sql_path, ctx)
    rows: list[list[tuple[str, str | None]]] = []
    plan = result.plan
    if not args.custom and plan is not None and plan.diff is not None:
        for s in plan.diff.statements:
            style, action, target, detail = describe_statement(s)
            rows.append([(_SYMBOL[style], style), (action, style), (target, None), (detail, "dim")])
    down_rel = _rel(result.down_path, ctx) if result.down_path is not None else None
    result.write()
    if args.custom:
        console.success(f"wrote {sql_rel}: put your SQL below the comment line")
        return 0
    if rows:
        console.rows(rows)
    for item in plan.lossy if plan is not None else []:
        console.print(f"! {item}: its data is lost when this migration runs", "loss")
    console.success(
        f"wrote {sql_rel} ({plural(len(plan.sql) if plan else 0, 'statement')}), snapshot and journal entry"
    )
    if down_rel is not None:
        note = f" (lossy: {', '.join(result.down_lossy)}; needs --force)" if result.down_lossy else ""
        console.print(f"  down migration: {down_rel}{note}", "dim")
    return 0


def _v1(ctx: Context) -> bool:
    """Whether `generate` writes the drizzle 1.0 layout: the config's `format`, else the folder's own layout."""
    from mizzle.kit.folder_v1 import layout

    fmt = ctx.config.format
    out = ctx.config.out
    if fmt is None:
        return layout(out) == "v1"
    if fmt == "journal" and layout(out) == "v1":
        raise CommandError(f"{out}: a drizzle 1.0 folder, and the config asks for format = \"journal\"",
                           hint="set format = \"v1\" (or remove the key) to generate into it")
    return fmt == "v1"


def _run_v1(ctx: Context) -> int:
    """drizzle-kit 1.0 `generate`: `<out>/<YYYYMMDDHHMMSS>_<name>/migration.sql` + `snapshot.json`."""
    from pathlib import Path

    from mizzle.kit.config import load_tables
    from mizzle.kit.generate_v1 import Hints, MissingHintsError, generate_v1

    args, console, cfg = ctx.args, ctx.console, ctx.config
    unsupported = [flag for flag, on in (("--rename", args.rename), ("--create", args.create),
                                         ("--answers", args.answers), ("--empty-tables", args.empty_tables)) if on]
    if unsupported:
        raise CommandError(f"{', '.join(unsupported)}: not supported by drizzle 1.0 `generate` (format = \"v1\")",
                           hint="answer renames with --hints/--hints-file (drizzle-kit 1.0's format) or renamed_from=")
    if args.hints is not None and args.hints_file is not None:
        raise CommandError("give --hints or --hints-file, not both")
    if args.hints_file is not None:
        try:
            text = Path(args.hints_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"--hints-file {args.hints_file}: cannot read it ({exc.strerror})") from None
        hints = Hints.parse(text, f"--hints-file {args.hints_file}")
    else:
        hints = Hints.parse(args.hints)
    tables = load_tables(cfg)
    out = cfg.out
    try:
        result = generate_v1(tables, out, dialect=cfg.dialect, name=args.name, hints=hints, custom=args.custom,
                             breakpoints=cfg.breakpoints, write=False)
    except MissingHintsError as exc:  # drizzle-kit 1.0 exits 2 for missing hints
        raise CommandError(str(exc), hint=exc.hint, code=2) from None
    if not result.changed:
        console.success("no schema changes, nothing to migrate")
        return 0
    folder = result.write(out)
    rel = _rel(folder / "migration.sql", ctx)
    if args.custom:
        console.success(f"wrote {rel}: put your SQL below the comment line")
        return 0
    console.success(f"wrote {rel} ({plural(len(result.statements), 'statement')}) and its snapshot.json "
                    "(drizzle 1.0 layout)")
    return 0


def _rel(path: Any, ctx: Context) -> str:
    if path is None:
        raise CommandError("generate wrote no file")
    try:
        return os.path.relpath(path, ctx.cwd)
    except ValueError:
        return str(path)
