"""Down migrations with rows present: children dropped before parents, each down atomic, `check` seeds rows.

Regression: the down script of an initial migration dropped tables alphabetically (`categories` before
`posts`, which references it), so `mizzle migrate --to -1 --force` failed with `FOREIGN KEY constraint
failed` once the tables held rows; `mizzle check` ran its up -> down -> up with foreign keys off and no
rows, so it never noticed.
"""

from __future__ import annotations

import sqlite3
import sys
import textwrap
import types
from pathlib import Path
from typing import Any

import pytest

import mizzle
from mizzle.cli.main import main
from mizzle.errors import MigrationError
from mizzle.kit import statements as st
from mizzle.kit.api import current_snapshot, generate, plan, reverse_plan
from mizzle.kit.check import check_folder
from mizzle.kit.migrator import migrate, migrate_to
from mizzle.kit.order import order_drops
from mizzle.kit.seed import seed
from mizzle.kit.snapshot import snapshot_class
from mizzle.sqlite import Column, Table, integer, text


class Users(Table, name="users"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()


class Categories(Table, name="categories"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()


class Posts(Table, name="posts"):
    id: Column[int] = integer().primary_key()
    author_id: Column[int] = integer().not_null().references(lambda: Users.id)
    category_id: Column[int] = integer().not_null().references(lambda: Categories.id)
    title: Column[str] = text().not_null()


class Comments(Table, name="comments"):
    id: Column[int] = integer().primary_key()
    post_id: Column[int] = integer().not_null().references(lambda: Posts.id)
    body: Column[str] = text("body_text").not_null()  # attribute and column names differ


BLOG: list[Any] = [Users, Categories, Posts, Comments]


def _dropped(sql: str) -> list[str]:
    return [line.split("`")[1] for line in sql.splitlines() if line.startswith("DROP TABLE")]


def test_initial_down_drops_children_before_parents(tmp_path: Path) -> None:
    result = generate(BLOG, tmp_path, name="init")
    assert result.down_path is not None
    order = _dropped(result.down_path.read_text())
    assert sorted(order) == ["categories", "comments", "posts", "users"]
    assert order.index("comments") < order.index("posts") < order.index("categories")
    assert order.index("posts") < order.index("users")


def test_order_drops_moves_only_what_depends() -> None:
    snap = current_snapshot(BLOG, "sqlite")
    drops = [st.DropTable(n, snap.tables[n]) for n in ("categories", "comments", "posts", "users")]
    extra = st.CreateIndex("other", None)
    ordered = [s.table for s in order_drops([extra, *drops])]
    assert ordered == ["other", "comments", "posts", "categories", "users"]
    assert order_drops([extra]) == [extra]


MYSQL_V1 = """
from mizzle.mysql import Column, Table, int_

class Items(Table, name="items"):
    id: Column[int] = int_().primary_key()
"""

MYSQL_V2 = """
from mizzle.mysql import Column, Table, int_, varchar

class Tags(Table, name="tags"):
    id: Column[int] = int_().primary_key()
    name: Column[str] = varchar(length=40).not_null()

class Items(Table, name="items"):
    id: Column[int] = int_().primary_key()
    tag_id: Column[int | None] = int_().references(lambda: Tags.id)

class Notes(Table, name="notes"):
    id: Column[int] = int_().primary_key()
    tag_id: Column[int] = int_().not_null().references(lambda: Tags.id)
"""


def schema_tables(source: str, name: str) -> list[Any]:
    """The Table classes of `source`, executed as module `name` (each version its own module)."""
    module = types.ModuleType(name)
    sys.modules[name] = module
    exec(compile(textwrap.dedent(source), name, "exec"), module.__dict__)
    return [v for v in vars(module).values() if isinstance(v, type) and "__table__" in vars(v)]


def test_mysql_down_drops_foreign_keys_and_children_first() -> None:
    prev = current_snapshot(schema_tables(MYSQL_V1, "_down_order_my1"), "mysql")
    cur = current_snapshot(schema_tables(MYSQL_V2, "_down_order_my2"), "mysql")
    fwd = plan(prev, cur)
    assert fwd.diff is not None
    back = reverse_plan(fwd.diff, cur, prev).sql
    drop_tags = next(i for i, s in enumerate(back) if s.startswith("DROP TABLE `tags`"))
    drop_notes = next(i for i, s in enumerate(back) if s.startswith("DROP TABLE `notes`"))
    drop_fk = next(i for i, s in enumerate(back) if "DROP FOREIGN KEY" in s)
    assert drop_notes < drop_tags and drop_fk < drop_tags, back


BLOG_V2 = """
from mizzle.sqlite import Column, Table, integer, text

class Users(Table, name="users"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()

class Categories(Table, name="categories"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()

class Posts(Table, name="posts"):
    id: Column[int] = integer().primary_key()
    author_id: Column[int] = integer().not_null().references(lambda: Users.id)
    category_id: Column[int] = integer().not_null().references(lambda: Categories.id)
    title: Column[str] = text().not_null()
    body: Column[str | None] = text()

class Comments(Table, name="comments"):
    id: Column[int] = integer().primary_key()
    post_id: Column[int] = integer().not_null().references(lambda: Posts.id)
    body: Column[str] = text("body_text").not_null()
"""


def _blog_folder(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "migrations"
    generate(BLOG[:3], folder, name="init")
    v2 = schema_tables(BLOG_V2, "_down_order_blog_v2")
    generate([t for t in v2 if t.__table__.name != "comments"], folder, name="body")
    generate(v2, folder, name="comments")
    return folder, tmp_path / "app.db"


def test_revert_everything_with_rows_present(tmp_path: Path) -> None:
    folder, path = _blog_folder(tmp_path)
    db = mizzle.connect(f"sqlite:///{path}")
    try:
        migrate(db, folder)
        assert seed(db, BLOG, count=4).total == 16
        result = migrate_to(db, folder, -1, force=True)
        assert result.reverted == ["0002_comments", "0001_body", "0000_init"]
        left = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_\\_%' ESCAPE '\\'")
        assert left == []
    finally:
        db.close()


def test_a_failing_down_migration_is_rolled_back_whole(tmp_path: Path) -> None:
    folder, path = _blog_folder(tmp_path)
    # 0001's down: drop the column (works), then a statement that fails -> nothing of 0001's down may stick
    down = folder / "down" / "0001_body.sql"
    down.write_text(down.read_text() + "--> statement-breakpoint\nDROP TABLE `no_such_table`;", encoding="utf-8")
    db = mizzle.connect(f"sqlite:///{path}")
    try:
        migrate(db, folder)
        seed(db, BLOG, count=2)
        with pytest.raises(MigrationError, match="no_such_table"):
            migrate_to(db, folder, -1, force=True)
    finally:
        db.close()
    con = sqlite3.connect(path)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        columns = [r[1] for r in con.execute("PRAGMA table_info(posts)")]
        applied = con.execute("SELECT count(*) FROM __drizzle_migrations").fetchone()
        posts = con.execute("SELECT count(*) FROM posts").fetchone()
    finally:
        con.close()
    assert "comments" not in tables  # 0002 was reverted (its own transaction) before 0001 failed
    assert "body" in columns  # 0001's down was rolled back as a whole
    assert applied == (2,) and posts == (2,)


def test_check_reverts_with_seeded_rows_and_catches_parent_first_drops(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    generate(BLOG, folder, name="init")
    report = check_folder(folder)
    assert report.ok and report.roundtrips == ["0000_init"], report.problems
    # parent tables dropped, their child tables left behind: fails (foreign_key_check) once the tables hold rows
    # (a parent-first order that drops every table passes: such drops run with foreign keys off, see #13)
    down = folder / "down" / "0000_init.sql"
    down.write_text("-- lossy: all tables\n" + "--> statement-breakpoint\n".join(
        f"DROP TABLE `{t}`;" for t in ("categories", "users")), encoding="utf-8")
    report = check_folder(folder)
    assert not report.ok
    (problem,) = [p for p in report.problems if p.severity == "error"]
    assert "0000_init: the down migration fails" in problem.message and "seeded row" in problem.message
    assert "FOREIGN KEY" in problem.message.upper() and "child tables" in problem.hint


def test_cli_migrate_to_minus_one_with_seeded_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "schema.py").write_text(textwrap.dedent("""
        from mizzle.sqlite import Column, Table, integer, text

        class Categories(Table, name="categories"):
            id: Column[int] = integer().primary_key()

        class Posts(Table, name="posts"):
            id: Column[int] = integer().primary_key()
            category_id: Column[int] = integer().not_null().references(lambda: Categories.id)
            title: Column[str] = text().not_null()
    """), encoding="utf-8")
    (tmp_path / "mizzle.toml").write_text('schema = "schema.py"\nout = "./migrations"\nurl = "sqlite:///app.db"\n',
                                          encoding="utf-8")
    assert main(["--no-color", "generate", "--name", "init"]) == 0
    assert main(["--no-color", "migrate"]) == 0
    assert main(["--no-color", "seed", "--count", "3"]) == 0
    assert main(["--no-color", "check"]) == 0
    capsys.readouterr()
    assert main(["--no-color", "migrate", "--to", "-1", "--force"]) == 0, capsys.readouterr().err
    con = sqlite3.connect(tmp_path / "app.db")
    try:
        assert con.execute("SELECT count(*) FROM sqlite_master WHERE name IN ('posts', 'categories')").fetchone() == (0,)
    finally:
        con.close()


def test_seed_fills_columns_whose_attribute_differs_from_their_name(tmp_path: Path) -> None:
    class Node(Table, name="node"):
        id: Column[int] = integer().primary_key()
        parent: Column[int | None] = integer("parent_id").references(lambda: Node.id)
        label: Column[str] = text("label_text").not_null()

    folder = tmp_path / "m"
    generate([Node], folder, name="init")
    db = mizzle.connect(f"sqlite:///{tmp_path / 'n.db'}")
    try:
        migrate(db, folder)
        assert seed(db, [Node], count=5).inserted == {"node": 5}
        rows = db.execute("SELECT label_text FROM node WHERE label_text IS NOT NULL")
        assert len(rows) == 5
    finally:
        db.close()


def test_empty_snapshot_reverse_has_no_drops() -> None:
    empty = snapshot_class("sqlite").empty()
    assert plan(empty, empty).sql == []
