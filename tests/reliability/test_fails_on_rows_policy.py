"""One rule for changes that fail on a table with rows: generate refuses them (the CLI has the flag its message names),
check warns about them, push refuses them when the table has rows (issue 13 case 4)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from rel_helpers import Target

import mizzle
from mizzle.cli.main import main
from mizzle.errors import MigrationError
from mizzle.kit.api import generate
from mizzle.kit.check import check_folder
from mizzle.kit.push import plan_push


def _items(mod: Any, extra: dict[str, Any]) -> Any:
    return type("Items", (mod.Table,), {"id": mod.integer("id").primary_key(), **extra}, name="items")


def _non_constant_default(target: Target) -> dict[str, Any]:
    if target.is_sqlite:
        return {"ts": target.mod.integer("ts").default(mizzle.sql("(unixepoch())")).not_null()}
    return {}


def test_generate_refuses_not_null_without_default_and_names_a_real_flag(
    target: Target, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "m"
    generate([_items(target.mod, {})], out)
    v2 = [_items(target.mod, {"n": target.mod.integer("n").not_null()})]
    with pytest.raises(MigrationError, match=r"items\.n: NOT NULL without a default") as info:
        generate(v2, out)
    flags = re.findall(r"--[a-z][a-z-]+", str(info.value))
    assert "--empty-tables" in flags
    # every flag the message names exists on `mizzle generate`
    assert main(["generate", "--help"]) == 0
    help_text = capsys.readouterr().out
    assert all(f in help_text for f in flags), (flags, help_text)
    assert generate(v2, out, empty_tables=True).changed


def test_sqlite_non_constant_default_is_refused_like_not_null(target: Target, tmp_path: Path) -> None:
    extra = _non_constant_default(target)
    if not extra:
        pytest.skip(f"{target.kind} adds a column with an expression default to existing rows")
    out = tmp_path / "m"
    generate([_items(target.mod, {})], out)
    db = target.connect()
    try:
        mizzle.migrate(db, out)
        db.execute("INSERT INTO items (id) VALUES (1)")
        with pytest.raises(MigrationError, match=r"items\.ts: DEFAULT \(unixepoch\(\)\) is not a constant"):
            generate([_items(target.mod, extra)], out)
        # what generate refuses, push refuses on a table with rows, with the same reason
        plan = plan_push(db, [_items(target.mod, extra)])
        assert any("is not a constant" in f.message for f in plan.conflicts)
        # and check warns about a migration written anyway
        generate([_items(target.mod, extra)], out, empty_tables=True)
        report = check_folder(out, roundtrip=False)
        assert any("fails on a table that has rows" in p.message and "items.ts" in p.message for p in report.problems)
        # the migration really fails on rows: the refusal is not overcautious
        with pytest.raises(MigrationError, match="non-constant default"):
            mizzle.migrate(db, out)
    finally:
        db.close()
