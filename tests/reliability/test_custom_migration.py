"""`generate --custom` ends its comment line: SQL appended with `>>` runs instead of landing in the comment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rel_helpers import Target

import mizzle
from mizzle.kit.api import generate


def test_sql_appended_to_a_custom_migration_runs(target: Target, tmp_path: Path) -> None:
    mod = target.mod
    items: Any = type("Items", (mod.Table,), {"id": mod.integer("id").primary_key()}, name="items")
    out = tmp_path / "migrations"
    generate([items], out)
    custom = generate([items], out, custom=True, name="fill")
    assert custom.sql_path is not None
    with custom.sql_path.open("a", encoding="utf-8") as f:  # what `echo "..." >> 0001_fill.sql` does
        f.write("INSERT INTO items (id) VALUES (7);\n")
    db = target.connect()
    try:
        mizzle.migrate(db, out)
        assert db.execute("SELECT id FROM items") == [(7,)]
    finally:
        db.close()
