"""The MySQL migrator on a real MariaDB: drizzle-orm's tracking rows, evolutions on data, resumable failures, locking."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from mysql_kit_helpers import FIX, catalog, load_schema_module

import mizzle
from mizzle.errors import MigrationError
from mizzle.kit.api import generate
from mizzle.kit.dialects.mysql.migrator import PROGRESS_TABLE, expected_effects, tracking_table_sql
from mizzle.kit.journal import read_migrations
from mizzle.kit.migrator import migrate_to

pytestmark = pytest.mark.mysql
small = load_schema_module("small")


def _folder(tmp_path: Path, steps: int = 3) -> Path:
    out = tmp_path / "migrations"
    for step in range(1, steps + 1):
        generate(small.tables(step), out, name=small.STEPS[step - 1])
    return out


def test_generate_then_migrate_records_drizzle_rows(mdb: mizzle.Database, tmp_path: Path) -> None:
    out = _folder(tmp_path)
    r = mizzle.migrate(mdb, out)
    assert r.applied == ["0000_init", "0001_evolve", "0002_rename"]
    rows = mdb.execute("select id, hash, created_at from __drizzle_migrations order by id")
    assert [(int(i), h, int(c)) for i, h, c in rows] == [
        (n + 1, m.hash, m.when) for n, m in enumerate(read_migrations(out))]
    ddl = mdb.execute("show create table __drizzle_migrations")[0][1]
    assert "`id` bigint(20) unsigned NOT NULL AUTO_INCREMENT" in ddl and "`created_at` bigint(20)" in ddl
    assert mdb.execute(f"select count(*) from {PROGRESS_TABLE}") == [(0,)]
    again = mizzle.migrate(mdb, out)
    assert again.applied == [] and again.already_applied == 3
    assert {r[0] for r in mdb.execute("show tables")} >= {"users", "posts", "tags", "comments"}


def test_tracking_table_text_is_drizzle_orms() -> None:
    assert tracking_table_sql() == (
        "\n\t\t\tcreate table if not exists `__drizzle_migrations` (\n\t\t\t\tid serial primary key,\n"
        "\t\t\t\thash text not null,\n\t\t\t\tcreated_at bigint\n\t\t\t)\n\t\t")


def test_drizzle_kit_folder_gives_the_same_database(mysql_kit_url: str, tmp_path: Path) -> None:
    ours = _folder(tmp_path)
    db = mizzle.connect(mysql_kit_url)
    try:
        mizzle.migrate(db, ours)
        mine = catalog(db)
        for (name,) in db.execute("show tables"):
            db.execute("set foreign_key_checks = 0")
            db.execute(f"drop table `{name}`")
        db.execute("set foreign_key_checks = 1")
        r = mizzle.migrate(db, FIX)
        assert r.applied == ["0000_init", "0001_evolve", "0002_rename"]
        assert catalog(db) == mine
        rows = db.execute("select hash, created_at from __drizzle_migrations order by id")
        sums = dict(reversed(line.split()) for line in (FIX / "sha256sums.txt").read_text().splitlines())
        journal = json.loads((FIX / "meta" / "_journal.json").read_text())
        assert [(h, int(c)) for h, c in rows] == [(sums[f"{e['tag']}.sql"], e["when"]) for e in journal["entries"]]
    finally:
        db.close()


def _populate(db: mizzle.Database, n: int = 50) -> None:
    for i in range(1, n + 1):
        db.execute("insert into users (name, email, age, bio, balance) values ({}, {}, {}, {}, {})",
                   f"user{i}", f"u{i}@x.org", 20 + i, f"bio {i}", Decimal(i) / 4)
        db.execute("insert into posts (user_id, title, body, views) values ({}, {}, {}, {})",
                   i, f"title {i}", f"body {i}", i * 3)
        db.execute("insert into post_tags (post_id, tag) values ({}, {}), ({}, {})", i, "a", i, "b")


def test_evolutions_on_a_populated_database_lose_nothing(mdb: mizzle.Database, tmp_path: Path) -> None:
    out = tmp_path / "m"
    generate(small.tables(1), out, name="init")
    mizzle.migrate(mdb, out)
    _populate(mdb)
    before_users = mdb.execute("select id, name, email, age, bio, balance from users order by id")
    before_posts = mdb.execute("select id, user_id, title, body, views from posts order by id")
    before_tags = mdb.execute("select post_id, tag from post_tags order by post_id, tag")
    # type change int -> bigint, NOT NULL flips both ways, default change, ON UPDATE dropped, index, column added/dropped
    generate(small.tables(2), out, name="evolve")
    # column rename, table rename (its FK and unique re-created under the new names)
    generate(small.tables(3), out, name="rename")
    r = mizzle.migrate(mdb, out)
    assert r.applied == ["0001_evolve", "0002_rename"]
    assert mdb.execute("select id, name, email, age, about, balance from users order by id") == before_users
    assert mdb.execute("select id, user_id, title, body, views from posts order by id") == before_posts
    assert mdb.execute("select post_id, tag from tags order by post_id, tag") == before_tags
    cols = {r[0]: r[1:] for r in mdb.execute(
        "select column_name, column_type, is_nullable from information_schema.columns "
        "where table_schema = database() and table_name = 'users'")}
    assert cols["age"] == ("bigint(20)", "YES") and cols["about"] == ("text", "NO")
    posts_cols = {r[0]: r[1] for r in mdb.execute(
        "select column_name, is_nullable from information_schema.columns "
        "where table_schema = database() and table_name = 'posts'")}
    assert posts_cols["title"] == "YES" and "published_at" not in posts_cols
    assert catalog(mdb)["indexes"].count(("posts", "posts_title_idx", 1, "title")) == 1
    # down migrations bring step 2 back (the rename reversed; no data lost)
    back = migrate_to(mdb, out, "0001_evolve")
    assert back.reverted == ["0002_rename"]
    assert mdb.execute("select id, name, email, age, bio, balance from users order by id") == before_users
    assert mdb.execute("select post_id, tag from post_tags order by post_id, tag") == before_tags


def _custom(out: Path, name: str, text: str) -> Path:
    r = generate(small.tables(1), out, name=name, custom=True)
    assert r.sql_path is not None
    r.sql_path.write_text(text, encoding="utf-8")
    return r.sql_path


FAILING = ("ALTER TABLE `users` ADD `nickname` varchar(50);--> statement-breakpoint\n"
           "CREATE TABLE `audit` (`id` int NOT NULL);--> statement-breakpoint\n"
           "ALTER TABLE `users` ADD CONSTRAINT `users_age_unique` UNIQUE(`age`);--> statement-breakpoint\n"
           "CREATE INDEX `users_nick_idx` ON `users` (`nickname`);")


def _progress(db: mizzle.Database) -> list[tuple[object, ...]]:
    return db.execute(f"select tag, direction, total, done, running from {PROGRESS_TABLE}")


def test_failed_migration_resumes_after_the_last_completed_statement(mdb: mizzle.Database, tmp_path: Path) -> None:
    out = tmp_path / "m"
    generate(small.tables(1), out, name="init")
    mizzle.migrate(mdb, out)
    mdb.execute("insert into users (name, email, age) values ('a', 'a@x', 30), ('b', 'b@x', 30)")
    path = _custom(out, "backfill", FAILING)
    with pytest.raises(MigrationError) as err:
        mizzle.migrate(mdb, out)
    msg = str(err.value)
    assert "0001_backfill.sql: statement 3 of 4 failed" in msg and "Duplicate entry" in msg
    assert "resumes at statement 3" in msg and "users_age_unique" in msg
    assert _progress(mdb) == [("0001_backfill", "up", 4, 2, None)]
    assert len(mdb.execute("select * from __drizzle_migrations")) == 1
    cols = [r[0] for r in mdb.execute("show columns from users")]
    assert "nickname" in cols and ("audit",) in mdb.execute("show tables")
    with pytest.raises(MigrationError, match="statement 3 of 4 failed"):  # statements 1-2 are not run again
        mizzle.migrate(mdb, out)
    mdb.execute("update users set age = 31 where name = 'b'")
    r = mizzle.migrate(mdb, out)
    assert r.applied == ["0001_backfill"] and r.resumed == ["0001_backfill"]  # type: ignore[attr-defined]
    assert _progress(mdb) == []
    rows = mdb.execute("select hash, created_at from __drizzle_migrations order by id")
    assert rows[-1][0] == read_migrations(out)[1].hash and path.exists()
    assert any(r[2] == "users_nick_idx" for r in mdb.execute("show index from users"))


def test_in_flight_statement_found_applied_counts_as_done(mdb: mizzle.Database, tmp_path: Path) -> None:
    out = tmp_path / "m"
    generate(small.tables(1), out, name="init")
    mizzle.migrate(mdb, out)
    _custom(out, "more", FAILING.replace("UNIQUE(`age`)", "UNIQUE(`email`, `age`)"))
    m = read_migrations(out)[1]
    # a crash after statement 2 ran but before it was recorded: statement 1 done, statement 2 in flight
    mdb.execute("ALTER TABLE `users` ADD `nickname` varchar(50)")
    mdb.execute("CREATE TABLE `audit` (`id` int NOT NULL)")
    mdb.execute(f"insert into {PROGRESS_TABLE} (id, tag, direction, created_at, total, done, running) "
                "values ({}, {}, 'up', {}, 4, 1, 1)", f"up:{m.hash}", m.tag, m.when)
    r = mizzle.migrate(mdb, out)
    assert r.applied == ["0001_more"]
    notes = r.notes  # type: ignore[attr-defined]
    assert len(notes) == 1 and "statement 2 of 4 was in flight" in notes[0] and "1050" in notes[0]
    assert _progress(mdb) == []


def test_resume_refuses_when_the_database_disagrees(mdb: mizzle.Database, tmp_path: Path) -> None:
    out = tmp_path / "m"
    generate(small.tables(1), out, name="init")
    mizzle.migrate(mdb, out)
    mdb.execute("insert into users (name, email, age) values ('a', 'a@x', 30), ('b', 'b@x', 30)")
    path = _custom(out, "backfill", FAILING)
    with pytest.raises(MigrationError):
        mizzle.migrate(mdb, out)
    mdb.execute("drop table audit")  # someone restored / changed the database meanwhile
    mdb.execute("update users set age = 31 where name = 'b'")
    with pytest.raises(MigrationError, match=r"cannot resume.*table audit should exist but is missing"):
        mizzle.migrate(mdb, out)
    path.write_text(FAILING + "--> statement-breakpoint\nCREATE INDEX `x` ON `users` (`age`);", encoding="utf-8")
    with pytest.raises(MigrationError, match=r"a different version of this migration was partially applied \(2 of 4"):
        mizzle.migrate(mdb, out)


def test_two_processes_apply_each_migration_once(mysql_kit_url: str, tmp_path: Path) -> None:
    out = tmp_path / "m"
    generate(small.tables(1), out, name="init")
    _custom(out, "slow", "DO SLEEP(1);--> statement-breakpoint\nCREATE TABLE `slow_done` (`id` int);")
    generate(small.tables(2), out, name="evolve")
    script = textwrap.dedent(f"""
        import mizzle
        db = mizzle.connect({mysql_kit_url!r})
        r = mizzle.migrate(db, {str(out)!r})
        print(len(r.applied))
    """)
    procs = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert sorted(int(o.strip()) for o, _ in outputs) == [0, 3]
    db = mizzle.connect(mysql_kit_url)
    try:
        rows = db.execute("select hash from __drizzle_migrations")
        assert sorted(r[0] for r in rows) == sorted(m.hash for m in read_migrations(out))
    finally:
        db.close()


def test_expected_effects_follow_the_statements_in_order() -> None:
    eff = expected_effects([
        "CREATE TABLE `a` (\n\t`x` int\n);\n", "ALTER TABLE `a` ADD `y` int;", "RENAME TABLE `a` TO `b`;",
        "ALTER TABLE `b` RENAME COLUMN `x` TO `z`;", "CREATE INDEX `i` ON `b` (`z`);", "DROP INDEX `j` ON `b`;",
    ])
    assert eff == {
        ("table", ("a",)): False, ("table", ("b",)): True, ("column", ("b", "x")): False,
        ("column", ("b", "z")): True, ("index", ("b", "i")): True, ("index", ("b", "j")): False,
    }
