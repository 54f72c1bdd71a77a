"""`mizzle.migrate` on real SQLite files: drizzle-kit folders, tracking rows, atomicity, locking, FK-safe rebuilds."""

from __future__ import annotations

import json
import multiprocessing
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from kit_helpers import FIX, SEEDS, sqlite_master

import mizzle
from _sqld import reset
from mizzle.errors import MigrationError
from mizzle.kit.journal import Journal, JournalEntry
from mizzle.kit.migrator import MigrationEvent, migrate, plan

ALL = [*SEEDS, "evolution_sqlite"]


DRIVER = ["sqlite"]
REMOTE: list[Any] = [None, False]  # the libSQL server under test, and whether it was emptied for this test


@pytest.fixture(autouse=True, params=["sqlite", "libsql", "libsql_remote", "libsql_http"])
def _driver(request: pytest.FixtureRequest) -> Any:
    """Every test runs on stdlib sqlite3, on the libsql package (`driver="libsql"`) and on a libSQL
    server over http:// (every path of a test is the one server database): `libsql_remote` through
    the libsql package, `libsql_http` through Hrana over HTTP (`driver="libsql-http"`, what the kit uses)."""
    if request.param.startswith("libsql"):
        pytest.importorskip("libsql", reason="libSQL tests need the libsql package: pip install 'mizzle[libsql]'")
    if request.param in ("libsql_remote", "libsql_http"):
        REMOTE[:] = [request.getfixturevalue("libsql_server"), False]
    DRIVER[0] = request.param
    yield
    DRIVER[0] = "sqlite"
    REMOTE[:] = [None, False]


def connect(path: Path) -> mizzle.Database:
    if DRIVER[0] in ("libsql_remote", "libsql_http"):
        db = REMOTE[0].connect(driver="libsql-http") if DRIVER[0] == "libsql_http" else REMOTE[0].connect()
        if not REMOTE[1]:
            reset(db)
            REMOTE[1] = True
        return db
    return mizzle.connect(f"sqlite:///{path}", driver=DRIVER[0])


@pytest.mark.parametrize("name", ALL)
def test_drizzle_folder_gives_the_same_database(name: str, tmp_path: Path) -> None:
    db = connect(tmp_path / "app.db")
    if DRIVER[0] == "libsql_remote" and name == "evolution_sqlite":  # it rebuilds tables: refused remotely
        with pytest.raises(MigrationError, match=r"not applied: it drops or rebuilds"):
            mizzle.migrate(db, FIX / name)
        return
    result = mizzle.migrate(db, FIX / name)
    assert result.applied == [e.tag for e in Journal.read(FIX / name).entries]
    expected_master = json.loads((FIX / name / "expected_sqlite_master.json").read_text())
    if DRIVER[0] == "libsql_remote":  # through the libsql package, sqld stores CREATE INDEX re-serialized:
        for row in expected_master:   # `(a`, `b)` for `(a`,`b)` (Hrana over HTTP stores drizzle's text as sent)
            if row["type"] == "index" and row["sql"]:
                row["sql"] = re.sub(r"`,\s*`", "`, `", row["sql"])
    if DRIVER[0] in ("libsql_remote", "libsql_http"):
        if all(r["name"] != "sqlite_sequence" for r in expected_master):  # left by an earlier test: undroppable
            expected_master += [r for r in sqlite_master(db) if r["name"] == "sqlite_sequence"]
        expected_master.sort(key=lambda r: r["name"])
    assert sqlite_master(db) == expected_master
    rows = db.execute('SELECT rowid, id, typeof(id), hash, created_at, typeof(created_at) '
                      'FROM "__drizzle_migrations" ORDER BY rowid')
    expected = [tuple(r.values()) for r in json.loads((FIX / name / "expected_migrations_rows.json").read_text())]
    assert rows == expected
    again = mizzle.migrate(db, FIX / name)
    assert again.applied == [] and "up to date" in again.summary()
    db.close()


def _folder(tmp_path: Path, migrations: list[tuple[str, str]], start: int = 1_700_000_000_000) -> Path:
    folder = tmp_path / "migrations"
    journal = Journal("sqlite")
    (folder / "meta").mkdir(parents=True, exist_ok=True)
    for i, (tag, text) in enumerate(migrations):
        (folder / f"{tag}.sql").write_text(text)
        journal.entries.append(JournalEntry(i, "6", start + i * 1000, tag))
    journal.write(folder)
    return folder


BASE = [
    ("0000_a", "CREATE TABLE `t` (\n\t`id` integer PRIMARY KEY NOT NULL,\n\t`v` text\n);\n"),
    ("0001_b", "INSERT INTO `t` (`id`, `v`) VALUES (1, 'one');--> statement-breakpoint\n"
               "INSERT INTO `t` (`id`, `v`) VALUES (2, 'two');"),
    ("0002_c", "CREATE TABLE `log` (`id` integer PRIMARY KEY, `n` integer);--> statement-breakpoint\n"
               "INSERT INTO `log` (`n`) VALUES (1);"),
]


def test_edited_migration_is_refused(tmp_path: Path) -> None:
    folder = _folder(tmp_path, BASE)
    db = connect(tmp_path / "app.db")
    migrate(db, folder)
    (folder / "0001_b.sql").write_text(BASE[1][1] + "--> statement-breakpoint\nDELETE FROM `t`;")
    with pytest.raises(MigrationError, match=r"0001_b\.sql was edited after it was applied"):
        migrate(db, folder)


def test_database_migration_missing_from_folder_is_refused(tmp_path: Path) -> None:
    folder = _folder(tmp_path, BASE)
    db = connect(tmp_path / "app.db")
    migrate(db, folder)
    other = _folder(tmp_path / "other", BASE[:2])
    with pytest.raises(MigrationError, match=r"the database has a migration the folder lacks"):
        migrate(db, other)


def test_merged_branch_older_migration_is_applied(tmp_path: Path) -> None:
    # main applied 0000 and 0002; a branch's 0001 (older `when`) arrives later: drizzle would skip it.
    folder = _folder(tmp_path, BASE)
    journal = Journal.read(folder)
    full = list(journal.entries)
    journal.entries = [full[0], full[2]]
    journal.write(folder)
    db = connect(tmp_path / "app.db")
    assert migrate(db, folder).applied == ["0000_a", "0002_c"]
    journal.entries = full
    journal.write(folder)
    assert migrate(db, folder).applied == ["0001_b"]
    assert db.execute("SELECT id, v FROM t ORDER BY id") == [(1, "one"), (2, "two")]


def test_plan_is_pure_and_ordered(tmp_path: Path) -> None:
    from mizzle.kit.journal import read_migrations
    from mizzle.kit.migrator import AppliedRow

    ms = read_migrations(_folder(tmp_path, BASE))
    assert [m.tag for m in plan(ms, [])] == ["0000_a", "0001_b", "0002_c"]
    assert [m.tag for m in plan(ms, [AppliedRow(ms[1].hash, ms[1].when)])] == ["0000_a", "0002_c"]


def test_failing_migration_leaves_database_as_before(tmp_path: Path) -> None:
    bad = ("0003_bad", "ALTER TABLE `t` ADD `extra` text;--> statement-breakpoint\n"
                       "UPDATE `t` SET `v` = 'changed';--> statement-breakpoint\n"
                       "CREATE TABLE `t2` (`id` integer);--> statement-breakpoint\n"
                       "INSERT INTO `nope` VALUES (1);")
    folder = _folder(tmp_path, BASE)
    db = connect(tmp_path / "app.db")
    migrate(db, folder)
    master_before = sqlite_master(db)
    data_before = db.execute("SELECT * FROM t ORDER BY id")
    rows_before = db.execute('SELECT hash, created_at FROM "__drizzle_migrations"')
    folder = _folder(tmp_path, [*BASE, bad])
    with pytest.raises(MigrationError, match=r"0003_bad\.sql: statement failed, migration rolled back.*nope"):
        migrate(db, folder)
    assert sqlite_master(db) == master_before
    assert db.execute("SELECT * FROM t ORDER BY id") == data_before
    assert db.execute('SELECT hash, created_at FROM "__drizzle_migrations"') == rows_before
    assert db.execute("PRAGMA foreign_keys") == [(1,)]


def test_each_migration_is_atomic_on_its_own(tmp_path: Path) -> None:
    folder = _folder(tmp_path, [*BASE, ("0003_bad", "SELECT * FROM nope;")])
    db = connect(tmp_path / "app.db")
    with pytest.raises(MigrationError):
        migrate(db, folder)
    # 0000..0002 are committed; only the failing one is not
    assert len(db.execute('SELECT * FROM "__drizzle_migrations"')) == 3


def _migrate_in_process(url: str, folder: str, queue: Any, options: dict[str, Any]) -> None:
    db = mizzle.connect(url, **options)
    try:
        queue.put(migrate(db, folder).applied)
    except Exception as exc:  # pragma: no cover - reported to the parent
        queue.put(repr(exc))
    finally:
        db.close()


def test_two_processes_apply_each_migration_once(tmp_path: Path) -> None:
    many = [("0000_a", "CREATE TABLE `counter` (`n` integer);")]
    many += [(f"{i:04d}_m", "INSERT INTO `counter` VALUES (1);") for i in range(1, 25)]
    folder = _folder(tmp_path, many)
    db_path = tmp_path / "shared.db"
    connect(db_path).close()
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    url, options = f"sqlite:///{db_path}", {}
    if DRIVER[0] in ("libsql_remote", "libsql_http"):
        url, options = REMOTE[0].url, {"auth_token": REMOTE[0].token}
        if DRIVER[0] == "libsql_http":
            options["driver"] = "libsql-http"
    procs = [ctx.Process(target=_migrate_in_process, args=(url, str(folder), queue, options)) for _ in range(2)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert all(isinstance(r, list) for r in results), results
    applied = [t for r in results for t in r]
    assert sorted(applied) == sorted(t for t, _ in many)  # each exactly once across both processes
    db = connect(db_path)
    assert db.execute("SELECT count(*) FROM counter") == [(24,)]
    assert db.execute('SELECT count(*) FROM "__drizzle_migrations"') == [(25,)]


def test_rebuild_keeps_cascade_children(tmp_path: Path) -> None:
    """drizzle-orm's better-sqlite3 migrator empties ON DELETE CASCADE children here (#5782)."""
    folder = tmp_path / "evo"
    shutil.copytree(FIX / "evolution_sqlite", folder)
    journal = Journal.read(folder)
    full = list(journal.entries)
    journal.entries = full[:3]
    journal.write(folder)
    db = connect(tmp_path / "app.db")
    migrate(db, folder)
    db.execute("INSERT INTO users (id, full_name, email, age) VALUES (1, 'a', 'a@x', 30), (2, 'b', 'b@x', 40)")
    db.execute("INSERT INTO posts (id, user_id, title) VALUES (10, 1, 'p1'), (11, 2, 'p2'), (12, 1, 'p3')")
    db.execute("INSERT INTO comments (id, post_id, body, author_id) VALUES (100, 10, 'c', 1), (101, 11, 'd', 2)")
    journal.entries = full
    journal.write(folder)
    if DRIVER[0] == "libsql_remote":  # each statement on its own stream: FK-off rebuilds are refused, not run
        with pytest.raises(MigrationError, match=r"\d{4}_\w+\.sql: not applied: it drops or rebuilds"):
            migrate(db, folder)
        assert db.execute("SELECT count(*) FROM posts") == [(3,)]
        assert db.execute("SELECT count(*) FROM comments") == [(2,)]
        return
    events: list[MigrationEvent] = []
    result = migrate(db, folder, progress=events.append)
    assert len(result.applied) == 8
    assert [e.kind for e in events] == ["start", *["applying", "applied"] * 8, "done"]
    assert db.execute("SELECT count(*) FROM users") == [(2,)]
    assert db.execute("SELECT id, user_id, title FROM articles ORDER BY id") == [
        (10, 1, "p1"), (11, 2, "p2"), (12, 1, "p3")]
    assert db.execute("SELECT id, post_id, body, author_id FROM notes ORDER BY id") == [
        (100, 10, "c", 1), (101, 11, "d", 2)]
    assert db.execute("SELECT age, typeof(age) FROM users ORDER BY id") == [("30", "text"), ("40", "text")]
    assert db.execute("PRAGMA foreign_keys") == [(1,)]
    assert db.execute("PRAGMA foreign_key_check") == []


def test_rebuild_that_breaks_foreign_keys_is_rolled_back(tmp_path: Path) -> None:
    schema = ("0000_a", "CREATE TABLE `p` (`id` integer PRIMARY KEY);--> statement-breakpoint\n"
                        "CREATE TABLE `c` (`id` integer PRIMARY KEY, `p_id` integer REFERENCES p(id) ON DELETE CASCADE);"
                        "--> statement-breakpoint\nINSERT INTO p VALUES (1), (2);--> statement-breakpoint\n"
                        "INSERT INTO c VALUES (1, 1), (2, 2);")
    lossy = ("0001_rebuild", "PRAGMA foreign_keys=OFF;--> statement-breakpoint\n"
                             "CREATE TABLE `__new_p` (`id` integer PRIMARY KEY);--> statement-breakpoint\n"
                             "INSERT INTO `__new_p`(\"id\") SELECT \"id\" FROM `p` WHERE id = 1;--> statement-breakpoint\n"
                             "DROP TABLE `p`;--> statement-breakpoint\n"
                             "ALTER TABLE `__new_p` RENAME TO `p`;--> statement-breakpoint\nPRAGMA foreign_keys=ON;")
    folder = _folder(tmp_path, [schema, lossy])
    db = connect(tmp_path / "app.db")
    refusal = r"0001_rebuild\.sql: rolled back: 1 row\(s\) violate foreign keys"
    if DRIVER[0] == "libsql_remote":
        refusal = r"0001_rebuild\.sql: not applied: it drops or rebuilds tables \(p\), which needs PRAGMA foreign_keys=OFF"
    with pytest.raises(MigrationError, match=refusal):
        migrate(db, folder)
    assert db.execute("SELECT * FROM p ORDER BY id") == [(1,), (2,)]
    assert db.execute("SELECT * FROM c ORDER BY id") == [(1, 1), (2, 2)]
    assert db.execute("PRAGMA foreign_keys") == [(1,)]


def test_rebuild_losing_rows_is_rolled_back(tmp_path: Path) -> None:
    schema = ("0000_a", "CREATE TABLE `p` (`id` integer PRIMARY KEY);--> statement-breakpoint\n"
                        "INSERT INTO p VALUES (1), (2);")
    lossy = ("0001_rebuild", "PRAGMA foreign_keys=OFF;--> statement-breakpoint\n"
                             "CREATE TABLE `__new_p` (`id` integer PRIMARY KEY);--> statement-breakpoint\n"
                             "INSERT INTO `__new_p`(\"id\") SELECT \"id\" FROM `p` WHERE id = 1;--> statement-breakpoint\n"
                             "DROP TABLE `p`;--> statement-breakpoint\n"
                             "ALTER TABLE `__new_p` RENAME TO `p`;--> statement-breakpoint\nPRAGMA foreign_keys=ON;")
    db = connect(tmp_path / "app.db")
    refusal = r"row counts \(p: 2 -> 1 rows\)"
    if DRIVER[0] == "libsql_remote":
        refusal = r"0001_rebuild\.sql: not applied: it drops or rebuilds"
    with pytest.raises(MigrationError, match=refusal):
        migrate(db, _folder(tmp_path, [schema, lossy]))
    assert db.execute("SELECT * FROM p ORDER BY id") == [(1,), (2,)]


def test_several_statements_per_chunk(tmp_path: Path) -> None:
    folder = _folder(tmp_path, [("0000_a", "CREATE TABLE a (x);\nCREATE TABLE b (y);\n-- trailing comment\n")])
    db = connect(tmp_path / "app.db")
    migrate(db, folder)
    assert {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")} >= {"a", "b"}


def test_missing_journal_and_file(tmp_path: Path) -> None:
    db = connect(tmp_path / "app.db")
    with pytest.raises(MigrationError, match="no journal"):
        migrate(db, tmp_path / "nowhere")
    folder = _folder(tmp_path, BASE)
    (folder / "0001_b.sql").unlink()
    with pytest.raises(MigrationError, match=r"0001_b\.sql: missing"):
        migrate(db, folder)
