"""Every kit command on every dialect (SQLite, libSQL, PostgreSQL, MariaDB): the same test functions, one project each.

`COMMANDS_WALKED` maps each `mizzle` command to the test that runs it and checks what it did: no command may
exit 0 having done nothing (a silent no-op); what a dialect cannot do must exit non-zero naming it.
"""

from __future__ import annotations

import importlib
import importlib.util
from urllib.parse import urlsplit, urlunsplit

import pytest
from parity_project import _CONFIG, RENAMED, V1, V2, Project

from mizzle.cli.main import COMMANDS
from mizzle.kit import statements as st
from mizzle.kit.config import load_config, load_tables
from mizzle.kit.diff import HintResolver
from mizzle.kit.from_schema import rename_hints
from mizzle.kit.push import plan_push


def _two_migrations(p: Project) -> None:
    p.schema(V1)
    p.ok("generate", "--name", "v1")
    p.schema(V2)
    p.ok("generate", "--name", "v2")


def test_generate_writes_migrations_and_their_down_files(project: Project) -> None:
    _two_migrations(project)
    sql = sorted(project.migrations.glob("*.sql"))
    assert [f.name for f in sql] == ["0000_v1.sql", "0001_v2.sql"]
    assert (project.migrations / "down" / "0001_v2.sql").exists()
    assert "nothing to generate" in project.ok("generate").lower() or "no schema changes" in project.ok("generate")


def test_migrate_to_goes_up_and_down(project: Project) -> None:
    _two_migrations(project)
    out = project.ok("migrate", "--to", "0000")
    assert "applied 1 migration: 0000_v1" in out, out
    assert project.tables() == {"tags", "posts"} and "body" not in project.columns("posts")
    out = project.ok("migrate")
    assert "0001_v2" in out and "body" in project.columns("posts")
    code, out = project.cli("migrate", "--to", "0000")  # the down migration drops posts.body
    assert code == 1 and "refusing to revert" in out and "body" in project.columns("posts"), out
    out = project.ok("migrate", "--to", "0000", "--force")
    assert "reverted 1 migration: 0001_v2" in out, out
    assert "body" not in project.columns("posts")
    out = project.ok("migrate", "--to", "-1", "--force")
    assert "reverted 1 migration: 0000_v1" in out and project.tables() == set()
    out = project.ok("migrate", "--to", "1")
    assert "applied 2 migrations" in out and "body" in project.columns("posts")


def test_rollback_reverts_the_last_migration(project: Project) -> None:
    _two_migrations(project)
    project.ok("migrate")
    assert "reverted 1 migration: 0001_v2" in project.ok("rollback", "--force")
    assert "body" not in project.columns("posts")


def test_check_round_trips_every_migration_with_rows(project: Project) -> None:
    _two_migrations(project)
    out = project.ok("check")
    assert "up → down → up verified on a scratch database: 2 migrations" in out, out
    assert "skipped" not in out and "could not seed" not in out and "warning" not in out.lower(), out


def test_check_without_a_scratch_server_exits_1_naming_where_the_url_came_from(project: Project) -> None:
    _two_migrations(project)
    config = project.root / "mizzle.toml"
    config.write_text("".join(line for line in config.read_text().splitlines(True) if not line.startswith("url =")))
    code, out = project.cli("check")
    if project.kind in ("sqlite", "libsql", "libsql_remote"):  # the scratch database is in memory: no server url
        assert code == 0 and "verified on a scratch database: 2 migrations" in out, out
        return
    assert code == 1 and "up -> down -> up cannot run" in out and "no --url" in out and "sets no `url`" in out, out
    assert "verified on a scratch database: 2 migrations" in project.ok("check", "--url", project.url)
    parts = urlsplit(project.url)
    refused = urlunsplit(parts._replace(netloc=f"{parts.username}@127.0.0.1:1"))  # nothing listens on port 1
    code, out = project.cli("check", "--url", refused)
    assert code == 1 and "up -> down -> up cannot run" in out and "--url" in out and "127.0.0.1:1" in out, out


def test_push_applies_table_and_column_renames_keeping_rows_and_keys(project: Project) -> None:
    project.schema(V1)
    project.ok("push", "--force")
    db = project.connect()
    try:
        db.execute("INSERT INTO tags (name) VALUES ('a')")
        db.execute("INSERT INTO posts (tag_id, title) VALUES (1, 'hello')")
    finally:
        db.close()
    project.schema(RENAMED)
    _keeps_tables_and_keys(project)
    project.ok("push", "--force")
    assert project.tables() == {"labels", "posts"}
    assert project.rows("SELECT heading FROM posts") == [("hello",)]
    _in_sync(project)
    db = project.connect()
    try:  # the key still numbers new rows after the rename
        db.execute("INSERT INTO labels (name) VALUES ('b')")
        assert sorted(r[0] for r in db.execute("SELECT id FROM labels")) == [1, 2]
    finally:
        db.close()


def test_push_finds_nothing_after_migrating_renames(project: Project) -> None:
    project.schema(V1)
    project.ok("generate", "--name", "v1")
    project.schema(RENAMED)
    project.ok("generate", "--name", "renames")
    project.ok("migrate")
    assert project.tables() == {"labels", "posts"}
    _in_sync(project)
    assert "already matches the schema; nothing to push" in project.ok("push", "--explain")


def _keeps_tables_and_keys(project: Project) -> None:
    """push plans the renames, and neither drops a table nor touches a primary key or a column's type."""
    cfg = load_config(project.root / "mizzle.toml")
    db = project.connect()
    try:
        tables = load_tables(cfg)
        plan = plan_push(db, tables, resolver=HintResolver(rename_hints(tables)))
    finally:
        db.close()
    kinds = [type(s).__name__ for s in plan.statements]
    assert "RenameTable" in kinds and ("RenameColumn" in kinds or "RecreateTable" in kinds), kinds
    bad = [s for s in plan.statements if isinstance(s, st.DropTable | st.CreateCompositePK | st.DeleteCompositePK)
           or (isinstance(s, st.AlterColumn) and s.what in ("set_type", "set_pk", "drop_pk"))]
    assert not bad, plan.sql


def _in_sync(project: Project) -> None:
    cfg = load_config(project.root / "mizzle.toml")
    db = project.connect()
    try:
        plan = plan_push(db, load_tables(cfg))
        assert plan.empty, plan.sql
    finally:
        db.close()


def test_pull_writes_a_module_declaring_the_tables(project: Project) -> None:
    project.schema(V1)
    project.ok("generate", "--name", "v1")
    project.ok("migrate")
    out = project.ok("pull", "--out", str(project.root / "pulled.py"))
    assert "pulled 2 tables" in out, out
    spec = importlib.util.spec_from_file_location("pulled_schema", project.root / "pulled.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    names = {v.__table__.name for v in vars(module).values() if hasattr(v, "__table__") and isinstance(v, type)}
    assert names == {"tags", "posts"}


def test_pull_writes_the_views_or_refuses_to_lose_them(project: Project) -> None:
    from mizzle.kit.dialects import kit_dialect

    project.schema(V1)
    project.ok("generate", "--name", "v1")
    project.ok("migrate")
    db = project.connect()
    try:
        db.execute("CREATE VIEW tag_names AS SELECT name FROM tags")
    finally:
        db.close()
    target = project.root / "pulled.py"
    if kit_dialect(_CONFIG[project.kind]).pulls_views:
        project.ok("pull", "--out", str(target))
        text = target.read_text(encoding="utf-8")
        assert "name='tag_names', view=" in text or 'name="tag_names", view=' in text, text
        return
    code, out = project.cli("pull", "--out", str(target))
    assert code == 1, out
    assert "pull cannot write views yet" in out and "tag_names" in out and "tables_filter" in out, out
    assert not target.exists()  # nothing written
    with open(project.root / "mizzle.toml", "a", encoding="utf-8") as f:
        f.write('tables_filter = ["!tag_names"]\n')
    out = project.ok("pull", "--out", str(target))
    assert "pulled 2 tables" in out, out


def test_seed_fills_and_resets_every_table(project: Project) -> None:
    project.schema(V1)
    project.ok("generate", "--name", "v1")
    project.ok("migrate")
    out = project.ok("seed", "--count", "4")
    assert "seeded 8 rows into 2 tables" in out, out
    assert project.rows("SELECT count(*) FROM posts") == [(4,)]
    assert all(r[0] is None or r[0] >= 1 for r in project.rows("SELECT tag_id FROM posts"))
    out = project.ok("seed", "--reset", "--count", "0")
    assert "deleted 8 rows" in out and project.rows("SELECT count(*) FROM tags") == [(0,)]


def test_drop_refuses_an_applied_migration_and_removes_a_reverted_one(project: Project) -> None:
    _two_migrations(project)
    project.ok("migrate")
    code, out = project.cli("drop")
    assert code == 1 and "has been applied" in out, out
    project.ok("rollback", "--force")
    assert "dropped migration 0001_v2" in project.ok("drop")
    assert not (project.migrations / "0001_v2.sql").exists()


def test_export_prints_sql_that_creates_the_schema(project: Project) -> None:
    project.schema(V1)
    sql = project.ok("export")
    assert sql.count("CREATE TABLE") == 2, sql
    from mizzle.kit.migrator import run_script

    db = project.connect()
    try:
        run_script(db, [s for s in sql.split("--> statement-breakpoint") if "CREATE" in s])
    finally:
        db.close()
    assert project.tables() == {"tags", "posts"}


def test_up_converts_to_the_drizzle_1_layout_and_migrate_applies_it(project: Project) -> None:
    import json

    _two_migrations(project)
    journal = project.migrations / "meta" / "_journal.json"
    data = json.loads(journal.read_text())
    for i, entry in enumerate(data["entries"]):  # generated within a second: give each its own second
        entry["when"] = 1_795_498_918_000 + 2000 * i
    journal.write_text(json.dumps(data, indent=2))
    out = project.ok("up")
    assert "moved 2 migration(s)" in out, out
    assert sorted(p.name for p in project.migrations.iterdir()) == [
        "20261124054158_v1", "20261124054200_v2", "down"]
    assert "20261124054200_v2.sql" in {p.name for p in (project.migrations / "down").iterdir()}  # moved along
    assert "applied 2 migrations" in project.ok("migrate")
    assert "body" in project.columns("posts")
    assert "reverted 1 migration: 20261124054200_v2" in project.ok("rollback", "--force")
    assert "body" not in project.columns("posts")


def test_models_writes_pydantic_models_that_insert_and_read_rows(project: Project,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from pydantic import ValidationError

    project.schema(V1)
    with open(project.root / "mizzle.toml", "a", encoding="utf-8") as f:
        f.write('models = "app_models.py"\n')
    out = project.ok("models")
    assert "select, insert and update models of 2 tables" in out, out
    assert "up to date" in project.ok("models", "--check")
    project.ok("generate", "--name", "v1")
    project.ok("migrate")
    monkeypatch.syspath_prepend(str(project.root))
    names = ("schema_1", "app_models")
    for name in names:
        sys.modules.pop(name, None)  # another dialect's project imported modules of the same names
    try:
        models = importlib.import_module("app_models")
        schema = sys.modules["schema_1"]
        with pytest.raises(ValidationError):
            models.TagsInsert.model_validate({})  # name: NOT NULL without a default
        db = project.connect()
        try:
            tag = db.insert(schema.Tags).values(models.TagsInsert(name="red").to_insert()).returning().one()
            post = models.PostsInsert.model_validate({"tag_id": tag.id, "title": None})
            db.insert(schema.Posts).values(post.to_insert()).run()
            rows = db.select().from_(schema.Posts).all()
            assert [models.PostsSelect.from_row(r).model_dump() for r in rows] == [
                {"id": rows[0].id, "tag_id": tag.id, "title": None}]
            db.update(schema.Tags).set(models.TagsUpdate(name="blue").to_update()).run()
            assert [t.name for t in db.select().from_(schema.Tags).all()] == ["blue"]
        finally:
            db.close()
    finally:
        for name in names:
            sys.modules.pop(name, None)


COMMANDS_WALKED = {
    "generate": test_generate_writes_migrations_and_their_down_files,
    "migrate": test_migrate_to_goes_up_and_down,
    "rollback": test_rollback_reverts_the_last_migration,
    "push": test_push_applies_table_and_column_renames_keeping_rows_and_keys,
    "pull": test_pull_writes_a_module_declaring_the_tables,
    "check": test_check_round_trips_every_migration_with_rows,
    "drop": test_drop_refuses_an_applied_migration_and_removes_a_reverted_one,
    "export": test_export_prints_sql_that_creates_the_schema,
    "seed": test_seed_fills_and_resets_every_table,
    "up": test_up_converts_to_the_drizzle_1_layout_and_migrate_applies_it,
    "models": test_models_writes_pydantic_models_that_insert_and_read_rows,
}
NOT_WALKED_HERE = {"studio": "a server: tests/studio drives it on every dialect"}


def test_every_command_is_walked_on_every_dialect() -> None:
    assert set(COMMANDS_WALKED) | set(NOT_WALKED_HERE) == set(COMMANDS)
