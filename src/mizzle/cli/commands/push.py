"""`mizzle push`: make the database match the schema directly (prototyping), checking the data first."""

from __future__ import annotations

import argparse
from typing import Any

from mizzle.cli.context import CommandError, Context
from mizzle.cli.output import Console, plural

_SYMBOL = {"create": "+", "drop": "-", "alter": "~", "rename": "~"}


def register(sub: Any) -> None:
    """Add the `push` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "push", help="apply the schema to the database without migrations",
        description="Introspect the database, diff it against the configured schema and apply the difference "
                    "directly (for prototyping). The plan is printed first with what it would lose, counted "
                    "from the actual rows; changes the existing data does not fit (NULLs for NOT NULL, "
                    "duplicates for UNIQUE, narrowed types, orphans) are reported with samples and nothing is "
                    "changed. Losing data needs a yes or --force.",
    )
    p.add_argument("--force", action="store_true", help="apply even when data would be lost (no question)")
    p.add_argument("--strict", action="store_true", help="ask before applying any change")
    p.add_argument("--explain", action="store_true", help="print the plan and its SQL; change nothing")
    p.add_argument("--ci", action="store_true", help="never ask; exit 1 if the plan would lose data or cannot apply")
    p.add_argument("--url", help="database URL (default: the config's url)")
    add_rename_flags(p)
    p.set_defaults(func=run)


def add_rename_flags(p: argparse.ArgumentParser) -> None:
    """`--rename old=new`, `--create name`, `--answers FILE` (shared with generate)."""
    p.add_argument("--rename", action="append", default=[], metavar="OLD=NEW",
                   help="a rename: table old=new or column table.old=new (repeatable)")
    p.add_argument("--create", action="append", default=[], metavar="NAME",
                   help="a table (or table.column) that is new, not renamed (repeatable)")
    p.add_argument("--answers", metavar="FILE", help="rename answers file (JSON or TOML)")


def print_plan(console: Console, plan: Any) -> None:
    """The statements, aligned and coloured, then the findings about existing data."""
    from mizzle.kit import statements as st
    from mizzle.kit.push import describe_statement

    rows: list[list[tuple[str, str | None]]] = []
    shown = list(plan.diff.statements) + [s for s in plan.statements if isinstance(s, st.RecreateTable)]
    for s in shown:
        style, action, target, detail = describe_statement(s)
        rows.append([(_SYMBOL[style], style), (action, style), (target, None), (detail, "dim")])
    console.print(f"Plan ({plural(len(plan.sql), 'statement')}):", "title")
    console.rows(rows)
    for f in plan.findings:
        console.print(("! " if f.kind == "loss" else "✗ ") + f.message, "loss" if f.kind == "loss" else "error")
        for sample in f.samples:
            console.print(f"    e.g. {sample}", "dim")
        if f.hint:
            console.print(f"    → {f.hint}", "dim")


def run(ctx: Context) -> int:
    """Plan, show, ask, apply."""
    from mizzle.cli.resolver import build_resolver
    from mizzle.kit.config import load_tables
    from mizzle.kit.push import apply_push, plan_push

    args, console = ctx.args, ctx.console
    cfg = ctx.config
    tables = load_tables(cfg)
    resolver = build_resolver(console, tables, renames=args.rename, creates=args.create, answers=args.answers)
    db = ctx.connect()
    try:
        plan = plan_push(db, tables, resolver=resolver, include=cfg.table_included,
                         migrations_table=cfg.migrations_table, dialect=cfg.dialect)
        if plan.empty:
            console.success("the database already matches the schema; nothing to push")
            return 0
        print_plan(console, plan)
        if args.explain or console.verbose:
            console.print("")
            console.print("SQL:", "title")
            for text in plan.sql:
                console.print("  " + text.rstrip().replace("\n", "\n  "), "dim")
        if args.explain:
            if args.ci and (plan.losses or plan.conflicts):
                console.error("the plan would lose data or does not fit the existing rows")
                return 1
            console.print("(--explain: nothing was changed)", "dim")
            return 0
        if plan.conflicts:
            raise CommandError(
                f"existing data does not fit the schema ({plural(len(plan.conflicts), 'problem')} above); nothing was changed",
                hint="fix the rows listed above (or change the schema), then run `mizzle push` again",
            )
        if plan.losses and not args.force:
            lost = ", ".join(f.message for f in plan.losses)
            if args.ci or not console.interactive:
                raise CommandError(
                    f"the plan would lose data ({lost}); nothing was changed",
                    hint="re-run with --force to accept the loss, or change the schema (renamed_from=, --rename)",
                )
            if not console.confirm(f"This loses data ({lost}). Apply anyway?"):
                console.print("nothing was changed")
                return 1
        elif (args.strict or cfg.strict) and not args.force and not args.ci:
            if not console.interactive:
                raise CommandError("--strict asks before applying, but there is no terminal",
                                   hint="run in a terminal, or pass --force to apply without asking")
            if not console.confirm("Apply these changes?"):
                console.print("nothing was changed")
                return 1
        apply_push(db, plan, migrations_table=cfg.migrations_table)
    finally:
        db.driver.close()
    console.success(f"pushed: {plural(len(plan.sql), 'statement')} applied")
    return 0
