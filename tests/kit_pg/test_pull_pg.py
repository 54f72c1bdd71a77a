"""Introspection and pull on PostgreSQL: the live catalog -> snapshot -> Python module that round-trips."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from kit_pg_helpers import FIXTURES, HERE

import mizzle
from mizzle.kit.api import generate, plan
from mizzle.kit.codegen import pull
from mizzle.kit.from_schema import load_schema, snapshot_of
from mizzle.kit.introspect import introspect

RICH = """
CREATE TYPE "status" AS ENUM('draft', 'live', 'it''s gone');
CREATE TABLE "authors" (
  "id" integer GENERATED ALWAYS AS IDENTITY (sequence name "authors_id_seq" INCREMENT BY 1 MINVALUE 1
        MAXVALUE 2147483647 START WITH 1 CACHE 1) PRIMARY KEY,
  "email" varchar(320) NOT NULL CONSTRAINT "authors_email_unique" UNIQUE,
  "mentor_id" integer,
  "bio" text DEFAULT 'none',
  "score" numeric(10, 2) DEFAULT 0,
  "ratio" double precision,
  "active" boolean DEFAULT true NOT NULL,
  "created" timestamp (3) with time zone DEFAULT now() NOT NULL,
  "meta" jsonb DEFAULT '{"a":1}'::jsonb,
  "uid" uuid DEFAULT gen_random_uuid(),
  CONSTRAINT "authors_score_check" CHECK (score >= 0)
);
ALTER TABLE "authors" ADD CONSTRAINT "authors_mentor_id_authors_id_fk" FOREIGN KEY ("mentor_id")
  REFERENCES "public"."authors"("id") ON DELETE set null ON UPDATE no action;
CREATE TABLE "posts" (
  "author_id" integer NOT NULL,
  "slug" varchar(100) NOT NULL,
  "state" "status" DEFAULT 'draft' NOT NULL,
  "tags" text[],
  "body" text,
  CONSTRAINT "posts_author_id_slug_pk" PRIMARY KEY("author_id","slug"),
  CONSTRAINT "posts_slug_state_unique" UNIQUE("slug","state")
);
ALTER TABLE "posts" ADD CONSTRAINT "posts_author_id_authors_id_fk" FOREIGN KEY ("author_id")
  REFERENCES "public"."authors"("id") ON DELETE cascade ON UPDATE no action;
CREATE INDEX "posts_tags_gin" ON "posts" USING gin ("tags");
CREATE INDEX "posts_live_idx" ON "posts" USING btree ("author_id") WHERE state = 'live'::status;
CREATE INDEX "posts_lower_slug" ON "posts" USING btree (lower(slug));
"""


def _import(path: Path) -> list[type[mizzle.Table]]:
    name = f"_pulled_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return load_schema([module])


def _round_trip(db: mizzle.Database, tmp_path: Path) -> str:
    source, snap = pull(db)
    path = tmp_path / "pulled_schema.py"
    path.write_text(source, encoding="utf-8")
    tables = _import(path)
    rebuilt = snapshot_of(tables)
    p = plan(snap, rebuilt)
    assert p.sql == [], f"pull -> generate is not empty:\n{p.sql}\n--- module ---\n{source}"
    assert rebuilt.schema_dict() == snap.schema_dict()
    return source


def test_pull_rich_database_round_trips(tmp_path: Path, pg_kit_db: mizzle.Database) -> None:
    pg_kit_db.execute(RICH)
    live = introspect(pg_kit_db)
    authors = live.tables["authors"]  # type: ignore[attr-defined]
    assert authors.columns["id"].identity is not None
    assert authors.columns["score"].default == 0
    assert authors.columns["bio"].default == "'none'"
    assert live.tables["posts"].indexes["posts_tags_gin"].method == "gin"  # type: ignore[attr-defined]
    source = _round_trip(pg_kit_db, tmp_path)
    assert "generated_always_as_identity()" in source
    assert 'status_enum = pg_enum("status", ["draft", "live", "it\'s gone"])' in source
    assert 'index("posts_tags_gin").using("gin").on(tags)' in source
    assert "primary_key(author_id, slug)" in source
    assert "r.one(Authors" in source  # relations inferred from foreign keys


def test_pull_seed004_then_generate_is_empty(tmp_path: Path, pg_kit_db: mizzle.Database) -> None:
    import shutil

    folder = tmp_path / "m"
    shutil.copytree(FIXTURES / "seed004_pg", folder, ignore=shutil.ignore_patterns("expected_*", "sha256sums.txt"))
    mizzle.migrate(pg_kit_db, folder)
    source = _round_trip(pg_kit_db, tmp_path)
    (tmp_path / "schema.py").write_text(source, encoding="utf-8")
    assert not generate(load_schema([str(tmp_path / "schema.py")]), folder).changed


def test_introspected_evolution_schema_equals_the_declared_one(tmp_path: Path, pg_kit_db: mizzle.Database) -> None:
    tables = load_schema([str(HERE / "schemas" / "evo_v2.py")])
    generate(tables, tmp_path / "m")
    mizzle.migrate(pg_kit_db, tmp_path / "m")
    assert introspect(pg_kit_db).schema_dict() == snapshot_of(tables).schema_dict()
    _round_trip(pg_kit_db, tmp_path)
