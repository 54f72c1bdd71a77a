"""`mizzle models`: write (or `--check`) the module of pydantic validation models of the configured tables."""

from __future__ import annotations

import argparse
import difflib
import os
from pathlib import Path
from typing import Any

from mizzle.cli.context import CommandError, Context
from mizzle.cli.output import plural


def register(sub: Any) -> None:
    """Add the `models` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "models", help="write pydantic validation models of the schema's tables",
        description="Write a Python module of pydantic models — per table <Name>Select, <Name>Insert and "
                    "<Name>Update — whose fields pyright and mypy see, following mizzle.pydantic's rules "
                    "(required on insert: NOT NULL columns without a default; every field optional on update; "
                    "text lengths as max_length; generated columns left out of insert and update). "
                    "`<Name>Insert.to_insert()` gives a row for `insert(Name).values(...)`, "
                    "`<Name>Update.to_update()` the assignments for `update(Name).set(...)`. Check the file "
                    "into your project; --check (for CI) exits 1 when it is stale.",
    )
    p.add_argument("--output", "-o", metavar="FILE",
                   help="module to write (default: the config's `models`; '-' = stdout)")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 with a diff when the file differs from what would be written")
    p.set_defaults(func=run)


def _target(ctx: Context) -> Path | None:
    out: str | None = ctx.args.output
    if out == "-":
        return None
    if out is not None:
        return (ctx.cwd / out).resolve()
    cfg = ctx.config
    if cfg.models is None:
        raise CommandError(
            f"no models file: pass --output FILE, or set `models` in {cfg.source}",
            hint='add `models = "app/models.py"` to [tool.mizzle] in pyproject.toml (or to mizzle.toml)',
        )
    return cfg.models


def run(ctx: Context) -> int:
    """Render the models; write them, print them, or compare them with the file (--check)."""
    try:
        from mizzle.kit.models import import_name, render_models
    except ImportError as exc:
        raise CommandError(f"mizzle models needs pydantic v2 ({exc})",
                           hint="pip install 'mizzle[pydantic]'") from None
    from mizzle.kit.config import load_tables

    args, console = ctx.args, ctx.console
    target = _target(ctx)
    if args.check and target is None:
        raise CommandError("--check compares with a file, not stdout", hint="drop `--output -`")
    cfg = ctx.config
    tables = load_tables(cfg)
    source = render_models(tables, lambda m: import_name(m, cfg.root))
    if target is None:
        console.raw(source)
        return 0
    shown = os.path.relpath(target, ctx.cwd)
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if args.check:
        if current is None:
            console.error(f"{shown} does not exist")
            console.hint("run `mizzle models` to write it, and commit it")
            return 1
        if current != source:
            diff = difflib.unified_diff(current.splitlines(keepends=True), source.splitlines(keepends=True),
                                        fromfile=f"{shown} (on disk)", tofile=f"{shown} (from the schema)")
            console.raw("".join(diff))
            console.error(f"{shown} is stale: it differs from the models of the current schema (diff above)")
            console.hint("run `mizzle models` to regenerate it, and commit it")
            return 1
        console.success(f"{shown} is up to date ({plural(len(tables), 'table')})")
        return 0
    if current == source:
        console.success(f"{shown} is already up to date ({plural(len(tables), 'table')})")
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source, encoding="utf-8")
    console.success(f"wrote {shown}: select, insert and update models of {plural(len(tables), 'table')}")
    return 0
