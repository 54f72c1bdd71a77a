"""Schema evolutions on a populated PostgreSQL database lose no data: USING casts, NOT NULL flips, enum values,
a column rename, gin and hash indexes; and the generated down migration brings the previous schema and data back."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from kit_pg_helpers import HERE

import mizzle
from mizzle.kit.api import generate
from mizzle.kit.from_schema import load_schema
from mizzle.kit.migrator import migrate_to

ROWS = 300


def _schema(name: str) -> list[type[mizzle.Table]]:
    return load_schema([str(HERE / "schemas" / f"{name}.py")])


def test_evolution_keeps_every_row(tmp_path: Path, pg_kit_db: mizzle.Database) -> None:
    out = tmp_path / "m"
    generate(_schema("evo_v1"), out, name="v1")
    mizzle.migrate(pg_kit_db, out)
    when = datetime(2024, 5, 1, 12, 30)
    for i in range(ROWS):
        pg_kit_db.execute(
            "INSERT INTO items (code, title, note, feeling, label, tags, seen) VALUES ({}, {}, {}, {}, {}, {}, {})",
            str(i * 7), f"title {i}", f"note {i}", "sad" if i % 2 else "ok", f"label {i}",
            [f"t{i}", "x"], when)
    before = pg_kit_db.execute("SELECT id, code, title, note, feeling::text, label, tags FROM items ORDER BY id")

    result = generate(_schema("evo_v2"), out, name="v2")
    sql = result.sql
    assert 'ALTER TYPE "public"."mood" ADD VALUE \'meh\' BEFORE \'ok\';' in sql
    assert 'ALTER TYPE "public"."mood" ADD VALUE \'happy\';' in sql
    assert 'ALTER TABLE "items" RENAME COLUMN "label" TO "name";' in sql
    assert 'ALTER TABLE "items" ALTER COLUMN "code" SET DATA TYPE integer USING "code"::integer;' in sql
    assert 'ALTER TABLE "items" ALTER COLUMN "title" SET NOT NULL;' in sql
    assert 'ALTER TABLE "items" ALTER COLUMN "note" DROP NOT NULL;' in sql
    assert 'ALTER TABLE "items" ALTER COLUMN "seen" SET DATA TYPE timestamp with time zone;' in sql
    assert 'CREATE INDEX "items_tags_gin" ON "items" USING gin ("tags");' in sql
    assert 'CREATE INDEX "items_title_hash" ON "items" USING hash ("title");' in sql
    assert result.plan is not None and not result.plan.lossy

    assert mizzle.migrate(pg_kit_db, out).applied == ["0001_v2"]
    after = pg_kit_db.execute("SELECT id, code, title, note, feeling::text, name, tags FROM items ORDER BY id")
    assert len(after) == ROWS
    assert [(r[0], int(r[1]), *r[2:]) for r in before] == after
    methods = dict(pg_kit_db.execute(
        "SELECT indexname, am.amname FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname "
        "JOIN pg_am am ON am.oid = c.relam WHERE i.tablename = 'items' AND indexname <> 'items_pkey'"))
    assert methods == {"items_tags_gin": "gin", "items_title_hash": "hash"}
    labels = [r[0] for r in pg_kit_db.execute(
        "SELECT enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = 'mood' "
        "ORDER BY enumsortorder")]
    assert labels == ["sad", "meh", "ok", "happy"]
    pg_kit_db.execute("INSERT INTO items (title, feeling) VALUES ('new', 'happy')")  # the new value is usable
    pg_kit_db.execute("DELETE FROM items WHERE title = 'new'")
    assert not generate(_schema("evo_v2"), out).changed

    # down: back to v1 with the same data (no column was dropped)
    migrate_to(pg_kit_db, out, "0000_v1")
    back = pg_kit_db.execute("SELECT id, code, title, note, feeling::text, label, tags FROM items ORDER BY id")
    assert back == before
