"""The read-only console against an adversarial corpus, on every dialect: no row changed, no file written,
no lock or session left. The studio connects like an application (it may write; no superuser, no FILE):
the database's read-only transaction, not a check of the SQL text, is what refuses."""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from studio_helpers import DIALECTS, N_USERS, Env, family, make_env

import mizzle
from mizzle.studio import Studio

# {t}: a table with rows; {f}: a server-writable file path (a fresh one per statement); {db}: the database;
# {secret}: a readable file holding a marker that must never reach the browser; {lock}: a lock name.
SMUGGLING = [
    "delete from comments",
    "update users set name = 'x'",
    "insert into comments (post_id, body) values (1, 'x')",
    "drop table comments",
    "select 1; delete from comments",
    "select 1;delete from comments where id = 1",
    "select 1 /* ' */ ; delete from comments where id = 1; select 1 /* ' */",
    "select 1 /* \" */ ; delete from comments where id = 1; select 1 /* \" */",
    "select 1 -- '\n; delete from comments",
    "select ';' ; delete from comments",
    "select 'a'';' ; delete from comments; select ''';'",
    "select 1 as \"'\" ; delete from comments where id = 1; select 1 as \"'\"",
    "/* ; */ delete from comments",
    "-- just a comment\ndelete from comments",
    "\tDeLeTe\nFrOm comments",
    "with x as (select 1) delete from comments",
    "with x as (select 1) update users set name = 'x'",
    "commit; delete from comments where id = 1",
    "rollback; delete from comments where id = 1",
    "commit",
    "rollback",
    "begin; delete from comments; commit",
    "end; delete from comments",
    "select 1 /* */ ; /* */ delete from comments",
    "select 1 /* /* nested */ ; delete from comments where id = 1 -- */",
    "select '' /* '' */ ; delete from comments where id = 1",
    "select 'it''s' ; delete from comments where id = 1",
    "create table evil (id int)",
    "alter table users add column evil int",
    "create index evil_idx on users (name)",
    "delete from comments where id in (select id from comments)",
    "insert into comments (post_id, body) select post_id, body from comments",
    "update users set name = 'x' where id = 1 returning *",
    "select 1 union all select 2; drop table comments",
    "select * from users where name = 'x'; update users set name = 'y'",
]

CORPUS: dict[str, list[str]] = {
    "sqlite": [
        *SMUGGLING,
        "attach database '{f}' as evil",
        "attach '{f}' as evil; create table evil.t (x)",
        "vacuum into '{f}'",
        "vacuum",
        "reindex",
        "analyze",
        "pragma user_version = 5",
        "pragma application_id = 7",
        "pragma journal_mode = delete",
        "pragma query_only = 0",
        "pragma query_only = off; delete from comments",
        "pragma wal_checkpoint(truncate)",
        "pragma optimize",
        "pragma writable_schema = on",
        "select * from pragma_journal_mode('delete')",
        "create temp table t (x)",
        "create temp view v as select 1",
        "create temp trigger tr after insert on comments begin delete from users; end",
        "insert into temp.sqlite_master values ('table', 't', 't', 0, 'create table t(x)')",
        "savepoint a",
        "begin immediate",
        "detach main",
        "select load_extension('/tmp/nothing')",
        "select writefile('{f}', 'x')",
        "insert or replace into comments (id, post_id, body) values (1, 1, 'x')",
        "replace into comments (id, post_id, body) values (1, 1, 'x')",
        "update users set name = 'x' returning id",
        "select \"x;\" from users; delete from comments",
        "select [;] from users; delete from comments",
        "select `;` from users; delete from comments",
        "explain delete from comments",
    ],
    "postgres": [
        *SMUGGLING,
        "select E'\\'' ; delete from comments where id = 1; select 1 -- '",
        "select e'\\\\'' ; delete from comments where id = 1; select 1 -- '",
        "select $$'$$ ; delete from comments where id = 1; select $$'$$",
        "select $a$'$a$ ; delete from comments where id = 1; select $a$'$a$",
        "select $a$ $$ ' $a$ ; delete from comments where id = 1; select $a$ ' $a$",
        "select U&'\\0027' ; delete from comments where id = 1; select 1 -- '",
        "with d as (delete from comments where id = 1 returning *) select * from d",
        "with u as (update users set name = 'x' returning id) select count(*) from u",
        "explain analyze delete from comments",
        "do $$ begin delete from comments where id = 1; end $$",
        "do $$ begin commit; delete from comments where id = 1; end $$",
        "do $$ begin perform set_config('transaction_read_only', 'off', true); delete from comments; end $$",
        "set transaction read write",
        "set session characteristics as transaction read write",
        "select set_config('transaction_read_only', 'off', true), (select count(*) from comments)",
        "select set_config('default_transaction_read_only', 'off', false)",
        "set statement_timeout = 1",
        "set role postgres",
        "select set_config('role', 'postgres', true)",
        "reset session authorization",
        "select pg_advisory_lock(4242)",
        "select pg_advisory_lock_shared(4243)",
        "select pg_try_advisory_lock(4244), pg_advisory_lock(4245)",
        "select pg_advisory_xact_lock(4246)",
        "select pg_read_file('{secret}')",
        "select pg_read_binary_file('{secret}')",
        "select lo_import('{secret}')",
        "select lo_export(lo_create(0), '{f}')",
        "select lo_create(0)",
        "copy (select 1) to program 'touch {f}'",
        "copy comments to '{f}'",
        "copy comments from '{secret}'",
        "copy comments to stdout",
        "select dblink_exec('dbname={db}', 'delete from comments')",
        "select * from dblink('dbname={db}', 'delete from comments returning id') as t(id int)",
        "create extension if not exists dblink",
        "create temp table t as select 1",
        "select nextval('users_id_seq')",
        "select setval('users_id_seq', 1000)",
        "select txid_current()",
        "lock table comments in access exclusive mode",
        "prepare p as delete from comments",
        "notify evil, 'x'",
        "vacuum comments",
        "analyze comments",
        "truncate comments",
        "comment on table users is 'x'",
        "grant all on users to public",
        "create role evil",
        "checkpoint",
        "call nothing()",
        "select pg_sleep(0)",
        "discard all",
    ],
    "mysql": [
        *SMUGGLING,
        "select '\\'' ; delete from comments where id = 1; select 1 -- '",
        "select \"\\\"\" ; delete from comments where id = 1; select 1 -- \"",
        "select 1 as `'` ; delete from comments where id = 1; select 1 as `'`",
        "select 1 as `;`; delete from comments",
        "select 1 # '\n; delete from comments",
        "/*!50000 delete from comments */",
        "select 1 /*! ; delete from comments */",
        "begin not atomic commit; delete from comments where id = 1; end",
        "begin not atomic rollback; delete from comments where id = 1; end",
        "begin not atomic set session transaction read write; start transaction; delete from comments; commit; end",
        "begin not atomic set autocommit = 1; delete from comments; end",
        "/*!begin not atomic commit; delete from comments where id = 1; end*/",
        "if 1 then delete from comments; end if",
        "execute immediate 'delete from comments where id = 1'",
        "prepare s from 'delete from comments'",
        "xa commit 'x'",
        "set autocommit = 1",
        "set session transaction read write",
        "start transaction",
        "start transaction read write",
        "replace into comments (id, post_id, body) values (1, 1, 'x')",
        "insert into comments (id, post_id, body) values (1, 1, 'x') on duplicate key update body = 'x'",
        "select nextval(mizzle_seq)",
        "select setval(mizzle_seq, 1000)",
        "select 1 into outfile '{f}'",
        "select 1 into dumpfile '{f}'",
        "select * from comments into outfile '{f}'",
        "select load_file('{secret}')",
        "load data infile '{secret}' into table comments",
        "select get_lock('mizzle_migrate:{db}', 0)",
        "select get_lock('{lock}', 0), sleep(0)",
        "do get_lock('{lock}', 0)",
        "lock tables comments write",
        "handler comments open",
        "flush tables",
        "set global max_connections = 151",
        "set @@global.read_only = 1",
        "create temporary table t (i int)",
        "truncate table comments",
        "rename table comments to gone",
        "optimize table comments",
        "analyze table comments",
        "create user evil",
        "grant all on *.* to current_user",
        "create procedure p() delete from comments",
        "call nothing()",
        "kill connection_id()",
    ],
}


def _state(kind: str, db: mizzle.Database) -> dict[str, Any]:
    state: dict[str, Any] = {t: db.execute(f"select * from {t} order by id") for t in ("users", "posts", "comments")}
    if kind == "sqlite":
        state["schema"] = db.execute("select type, name, sql from sqlite_master order by name")
        state["pragmas"] = [db.execute(f"pragma {p}") for p in ("user_version", "application_id", "journal_mode")]
        state["seq"] = db.execute("select * from sqlite_sequence order by name")
    elif kind == "postgres":
        state["schema"] = db.execute("select table_name, column_name from information_schema.columns "
                                     "where table_schema = 'public' order by 1, 2")
        state["seq"] = db.execute("select sequencename, last_value from pg_sequences order by 1")
        state["indexes"] = db.execute("select indexname from pg_indexes where schemaname = 'public' order by 1")
    else:
        state["schema"] = db.execute("select table_name, column_name from information_schema.columns "
                                     "where table_schema = database() order by 1, 2")
        state["seq"] = db.execute("select next_not_cached_value from mizzle_seq")
    return state


def _locks_and_sessions(kind: str, db: mizzle.Database, env: Env, lock: str) -> list[Any]:
    if kind == "postgres":
        user = env.studio.db.execute("select current_user")[0][0]
        return [
            db.execute("select count(*) from pg_locks where locktype = 'advisory' and database = "
                       "(select oid from pg_database where datname = current_database())")[0][0],
            # the studio's own connection stays; every console connection is gone
            db.execute(f"select count(*) from pg_stat_activity where usename = '{user}'")[0][0],
            db.execute("select count(*) from pg_prepared_xacts")[0][0],
        ]
    if kind == "mysql":
        name = env.studio.db.execute("select current_user()")[0][0].split("@")[0]
        return [
            db.execute(f"select is_free_lock('mizzle_migrate:{_dbname(env)}'), is_free_lock('{lock}')")[0],
            db.execute(f"select count(*) from information_schema.processlist where user = '{name}'")[0][0],
            db.execute("xa recover"),
        ]
    return []


def _dbname(env: Env) -> str:
    return env.url.rsplit("/", 1)[1].split("?")[0]


@pytest.fixture(params=DIALECTS)
def app_ro(request: pytest.FixtureRequest, tmp_path: Path, server_urls: dict[str, str]) -> Iterator[Env]:
    """A read-only studio connected as an application account that could write."""
    kind = family(request.param)
    gen = make_env(request.param, tmp_path, server_urls, read_only=True)
    env = next(gen)
    if kind == "mysql":
        env.db.execute("create sequence if not exists mizzle_seq")
    if kind == "postgres":
        env.db.execute("create extension if not exists dblink")
        env.db.execute("grant execute on all functions in schema public to public")
    try:
        yield env
    finally:
        if kind == "mysql":
            env.db.execute("drop sequence if exists mizzle_seq")
        if kind == "postgres":
            env.db.execute("drop extension if exists dblink")
        next(gen, None)


def test_the_read_only_console_changes_nothing(app_ro: Env) -> None:
    kind, db, client = app_ro.kind, app_ro.db, app_ro.client
    assert app_ro.studio.risks == []
    tag = secrets.token_hex(4)
    secret_marker = f"mizzle-secret-{tag}"
    secret = Path(f"/tmp/mizzle_ro_secret_{tag}")
    secret.write_text(secret_marker + "\n")
    secret.chmod(0o644)
    lock = f"mizzle_ro_{tag}"
    files = []
    before = _state(kind, db)
    baseline = _locks_and_sessions(kind, db, app_ro, lock)
    try:
        assert len(CORPUS[kind]) >= 50
        for i, template in enumerate(CORPUS[kind]):
            target = f"/tmp/mizzle_ro_{tag}_{i}.out"
            files.append(target)
            stmt = template.format(f=target, db=_dbname(app_ro), secret=secret, lock=lock)
            status, body = client.post("/api/sql", {"sql": stmt})
            assert status in (200, 400), (stmt, status, body)
            assert secret_marker not in str(body), stmt
            assert "Traceback" not in str(body)
            if status == 200:
                assert not body["affected"], (stmt, body)
            assert not [f for f in files if os.path.exists(f)], stmt
        time.sleep(0.2)  # the server notices closed connections
        assert _state(kind, db) == before
        assert _locks_and_sessions(kind, db, app_ro, lock) == baseline
        # reading still works, and the count proves nothing was deleted
        status, body = client.post("/api/sql", {"sql": "select count(*) as n from users"})
        assert status == 200 and body["rows"] == [[N_USERS]]
    finally:
        secret.unlink()
        for f in files:
            if os.path.exists(f):
                os.unlink(f)


def test_the_pg_comment_smuggling_attack(app_ro: Env) -> None:
    """The attack from issue #15: on PostgreSQL it deleted a row through the keyword check."""
    first = app_ro.db.execute("select min(id) from comments")[0][0]
    status, body = app_ro.client.post("/api/sql", {"sql": f"select 1 /* ' */ ; COMMIT; DELETE FROM comments WHERE "
                                                          f"id={first}; select 1 /* ' */"})
    assert status == 400 and "refused" in body["error"]
    assert app_ro.db.execute("select count(*) from comments")[0][0] == 3


def test_reading_in_the_read_only_console(app_ro: Env) -> None:
    c = app_ro.client
    for stmt, rows in (("select count(*) from users", [[N_USERS]]),
                       ("-- count\nselect count(*) from comments;", [[3]]),
                       ("with x as (select 1 as one) select one from x", [[1]]),
                       ("select 'a;b' as s /* ; */", [["a;b"]]),
                       ("select 100 % 7 as m", [[2]]),
                       ("select name from users where name like 'user 00%' order by name limit 1", [["user 000"]])):
        status, body = c.post("/api/sql", {"sql": stmt})
        assert status == 200 and body["rows"] == rows, (stmt, body)
    status, body = c.post("/api/sql", {"sql": "delete from comments"})
    assert status == 400 and "read-only" in body["error"]


@pytest.mark.parametrize("kind", [pytest.param("postgres", marks=pytest.mark.postgres),
                                  pytest.param("mysql", marks=pytest.mark.mysql)])
def test_a_privileged_account_gets_no_read_only_console(kind: str, tmp_path: Path,
                                                        server_urls: dict[str, str]) -> None:
    """A superuser / FILE account escapes any read-only transaction: the studio warns and keeps the console off."""
    for env in make_env(kind, tmp_path, server_urls):
        studio = Studio(env.db, env.mod.TABLES, read_only=True, url=env.url)
        risks = studio.risks
        assert risks and ("superuser" in risks[0] or "FILE" in risks[0])
        from studio_helpers import Client, start

        server, base = start(studio)
        try:
            client = Client(base, studio.token)
            status, body = client.post("/api/sql", {"sql": "select 1"})
            assert status == 403 and "read-only role" not in body["error"]
            assert "GRANT" in body["error"] and ("superuser" in body["error"] or "FILE" in body["error"])
            assert client.get("/api/tables/users/rows", limit="1")["rows"]  # browsing still works
            info = client.get("/api/info")
            assert info["warnings"] == risks
        finally:
            server.shutdown()
            server.server_close()


def test_one_statement_in_read_write_mode_too(env: Env) -> None:
    status, body = env.client.post("/api/sql", {"sql": "select 1; delete from comments"})
    assert status == 400
    assert env.db.execute("select count(*) from comments")[0][0] == 3
    status, body = env.client.post("/api/sql", {"sql": "delete from comments where body = 'c3'"})
    assert status == 200 and body["affected"] == 1
    assert env.db.execute("select count(*) from comments")[0][0] == 2


@contextmanager
def app_login(kind: str, server_urls: dict[str, str]) -> Iterator[tuple[mizzle.Database, str, mizzle.Database]]:
    """(admin connection, the application account's name, a connection as that account) — no risks yet."""
    from studio_helpers import app_account

    url = server_urls[kind]
    admin = mizzle.connect(url)
    try:
        with app_account(kind, admin, url) as app_url:
            app = mizzle.connect(app_url)
            try:
                assert Studio(app, [], read_only=True, url=app_url).risks == []
                yield admin, app_url.split("://", 1)[1].split("@", 1)[0], app
            finally:
                app.close()
    finally:
        admin.close()


@pytest.mark.postgres
def test_a_member_of_a_superuser_role_is_privileged(server_urls: dict[str, str]) -> None:
    """Membership is enough: `select set_config('role', 'postgres', true), ...` switches inside one statement."""
    with app_login("postgres", server_urls) as (admin, name, app):
        superuser = admin.execute("select current_user")[0][0]
        admin.execute(f"grant {superuser} to {name}")
        try:
            risks = Studio(app, [], read_only=True, url="").risks
            assert risks and "superuser role" in risks[0] and superuser in risks[0]
        finally:
            admin.execute(f"revoke {superuser} from {name}")


@pytest.mark.mysql
def test_a_role_with_file_makes_a_mariadb_account_privileged(server_urls: dict[str, str]) -> None:
    """`BEGIN NOT ATOMIC SET ROLE r; SELECT ... INTO OUTFILE ...; END` uses a role's FILE in one statement."""
    role = "mizzle_role_" + secrets.token_hex(4)
    with app_login("mysql", server_urls) as (admin, name, app):
        try:
            admin.execute(f"create role {role}")
            admin.execute(f"grant file on *.* to {role}")
            admin.execute(f"grant {role} to '{name}'@'%'")
            risks = Studio(app, [], read_only=True, url="").risks
            assert risks and role in risks[0] and "FILE" in risks[0]
            assert app.execute("select current_role()")[0][0] is None  # the check left the session as it was
        finally:
            admin.execute(f"drop role if exists {role}")
