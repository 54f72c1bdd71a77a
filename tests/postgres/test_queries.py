"""PostgreSQL query features on a real server: ILIKE, DISTINCT ON, JSON operators, row locks, upserts,
RETURNING everywhere, schemas, indexes with methods and expressions."""

from __future__ import annotations

import threading
from typing import Any

import pytest

import mizzle
import mizzle.postgres.json as pj
from mizzle import asc, desc, eq, excluded, ilike, not_ilike, sql
from mizzle.dialects.postgres.ddl import ddl_statements
from mizzle.postgres import (
    Column,
    Table,
    distinct_on,
    index,
    integer,
    jsonb,
    pg_schema,
    serial,
    text,
    timestamp,
    unique_index,
)

auth = pg_schema("auth")
role = auth.enum("role", ["admin", "member"])


class Members(Table, name="members", schema=auth.name):
    id: Column[int] = integer().generated_always_as_identity().primary_key()
    name: Column[str] = text().not_null()
    role: Column[str] = role().not_null().default("member")


class Docs(Table, name="docs"):
    id: Column[int] = serial().primary_key()
    owner: Column[str] = text().not_null()
    title: Column[str] = text().not_null()
    body: Column[dict[str, Any]] = jsonb().not_null().default({})
    created: Column[Any] = timestamp().default_now()

    __constraints__ = (
        index("docs_body_gin").on(body).using("gin"),
        unique_index("docs_lower_title").on(sql("lower({})", title)),
    )


class Jobs(Table, name="jobs"):
    id: Column[int] = serial().primary_key()
    state: Column[str] = text().not_null().default("queued")


@pytest.fixture
def db(pg_db: mizzle.Database) -> mizzle.Database:
    mizzle.create_all(pg_db, [Members, Docs, Jobs])
    pg_db.insert(Docs).values([
        {"owner": "ann", "title": "Alpha", "body": {"tags": ["x"], "n": 1}},
        {"owner": "ann", "title": "Beta", "body": {"tags": ["y"], "n": 2}},
        {"owner": "bob", "title": "gamma", "body": {"tags": ["x", "z"], "n": 3}},
    ]).run()
    return pg_db


def test_ddl_uses_drizzle_layout_with_methods_and_schemas() -> None:
    stmts = ddl_statements([Members, Docs])
    assert stmts[0] == 'CREATE SCHEMA "auth";'
    assert stmts[1] == "CREATE TYPE \"auth\".\"role\" AS ENUM('admin', 'member');"
    assert stmts[2].startswith('CREATE TABLE "auth"."members" (\n\t"id" integer PRIMARY KEY NOT NULL GENERATED ALWAYS AS '
                               'IDENTITY (sequence name "members_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 '
                               "START WITH 1 CACHE 1),\n")
    assert '\t"role" "auth"."role" DEFAULT \'member\' NOT NULL\n' in stmts[2]
    assert '\t"body" jsonb DEFAULT \'{}\'::jsonb NOT NULL,\n' in stmts[3]
    assert stmts[-2] == 'CREATE INDEX "docs_body_gin" ON "docs" USING gin ("body");'
    assert stmts[-1] == 'CREATE UNIQUE INDEX "docs_lower_title" ON "docs" USING btree (lower("title"));'


def test_indexes_exist_with_their_method(db: mizzle.Database) -> None:
    rows = db.execute("select indexname, indexdef from pg_indexes where tablename = 'docs' order by indexname")
    defs = dict(rows)
    assert "USING gin (body)" in defs["docs_body_gin"]
    assert "USING btree (lower(title))" in defs["docs_lower_title"]
    with pytest.raises(mizzle.UniqueViolation):
        db.insert(Docs).values(owner="x", title="ALPHA").run()


def test_create_all_is_idempotent(db: mizzle.Database) -> None:
    mizzle.create_all(db, [Members, Docs, Jobs])
    assert db.count(Docs) == 3


def test_schema_enum_and_identity(db: mizzle.Database) -> None:
    m = db.insert(Members).values(name="ann").returning().one()
    assert (m.id, m.role) == (1, "member")
    assert db.execute("select table_schema from information_schema.tables where table_name = 'members'") == [("auth",)]
    with pytest.raises(mizzle.DatabaseError, match="cannot insert a non-DEFAULT value into column"):
        db.insert(Members).values(id=5, name="x").run()


def test_native_ilike(db: mizzle.Database) -> None:
    q = db.select(Docs.title).from_(Docs).where(ilike(Docs.title, "%A%")).order_by(Docs.id)
    assert " ilike %s" in q.to_sql().sql
    assert q.all() == [("Alpha",), ("Beta",), ("gamma",)]
    assert db.select(Docs.title).from_(Docs).where(not_ilike(Docs.title, "g%")).order_by(Docs.id).all() == [
        ("Alpha",), ("Beta",)]
    assert db.select(Docs.title).from_(Docs).where(ilike(Docs.title, "100%")).all() == []


def test_distinct_on_keeps_the_first_row_per_key(db: mizzle.Database) -> None:
    q = distinct_on(db.select(Docs.owner, Docs.title).from_(Docs).order_by(asc(Docs.owner), desc(Docs.id)),
                    Docs.owner)
    assert q.to_sql().sql.startswith('select distinct on ("docs"."owner") ')
    assert q.all() == [("ann", "Beta"), ("bob", "gamma")]
    with pytest.raises(mizzle.QueryError, match="at least one"):
        distinct_on(q)


def test_json_operators(db: mizzle.Database) -> None:
    by_n = db.select(Docs.title, pj.get(Docs.body, "n"), pj.get_text(Docs.body, "n")).from_(Docs).order_by(Docs.id)
    assert by_n.all() == [("Alpha", 1, "1"), ("Beta", 2, "2"), ("gamma", 3, "3")]
    tagged_x = db.select(Docs.title).from_(Docs).where(pj.contains(Docs.body, {"tags": ["x"]})).order_by(Docs.id)
    assert tagged_x.all() == [("Alpha",), ("gamma",)]
    assert db.select(pj.get_path_text(Docs.body, ["tags", 0])).from_(Docs).order_by(Docs.id).all() == [
        ("x",), ("y",), ("x",)]
    assert db.count(Docs, pj.has_key(Docs.body, "tags")) == 3
    assert db.count(Docs, pj.has_any_key(Docs.body, ["nope", "n"])) == 3
    assert db.count(Docs, pj.has_all_keys(Docs.body, ["nope", "n"])) == 0
    assert db.count(Docs, pj.contained_by(Docs.body, {"tags": ["x"], "n": 1, "extra": True})) == 1
    # a quote or percent sign in a key is bound, not spliced into SQL
    assert db.select(pj.get(Docs.body, "it's 100%")).from_(Docs).limit(1).all() == [(None,)]


def test_jsonb_update_helpers(db: mizzle.Database) -> None:
    first = eq(Docs.title, "Alpha")
    db.update(Docs).set(body=pj.set_(Docs.body, ["n"], 10)).where(first).run()
    db.update(Docs).set(body=pj.concat(Docs.body, {"extra": {"a": 1}})).where(first).run()
    db.update(Docs).set(body=pj.remove(Docs.body, "tags")).where(first).run()
    row = db.select(Docs.body).from_(Docs).where(first).one()
    assert row == ({"n": 10, "extra": {"a": 1}},)
    db.update(Docs).set(body=pj.set_(Docs.body, ["list"], [])).where(first).run()
    db.update(Docs).set(body=pj.set_(Docs.body, ["list"], pj.append(pj.get(Docs.body, "list"), [1, 2], "s"))).where(
        first).run()
    assert db.select(pj.get(Docs.body, "list")).from_(Docs).where(first).one() == ([[1, 2], "s"],)
    db.update(Docs).set(body=pj.remove_path(Docs.body, ["extra", "a"])).where(first).run()
    assert db.select(pj.get(Docs.body, "extra"), pj.array_length(pj.get(Docs.body, "list"))).from_(Docs).where(
        first).one() == ({}, 2)
    assert db.select(pj.build_object(a=1, t=Docs.title)).from_(Docs).where(first).one() == ({"a": 1, "t": "Alpha"},)


def test_returning_on_insert_update_delete_and_upsert(db: mizzle.Database) -> None:
    ids = db.update(Docs).set(owner="cat").where(eq(Docs.owner, "ann")).returning(Docs.id).all()
    assert sorted(ids) == [(1,), (2,)]
    gone = db.delete(Docs).where(eq(Docs.owner, "bob")).returning().all()
    assert [d.title for d in gone] == ["gamma"]
    db.insert(Jobs).values(id=1, state="a").run()
    row = db.insert(Jobs).values(id=1, state="b").on_conflict_do_update(
        target=Jobs.id, set={"state": excluded(Jobs.state)}).returning().one()
    assert (row.id, row.state) == (1, "b")
    assert db.insert(Jobs).values(id=1, state="c").on_conflict_do_nothing().returning().all() == []


def test_for_update_skip_locked_lets_workers_share_a_queue(db: mizzle.Database, pg_url: str) -> None:
    db.insert(Jobs).values([{"state": "queued"} for _ in range(4)]).run()
    other = mizzle.connect(pg_url)
    try:
        grabbed: list[int] = []
        first_has_lock = threading.Event()
        release = threading.Event()

        def worker() -> None:
            with other.transaction() as tx:
                rows = tx.select().from_(Jobs).order_by(Jobs.id).limit(2).for_update(skip_locked=True).all()
                grabbed.extend(r.id for r in rows)
                first_has_lock.set()
                release.wait(5)

        t = threading.Thread(target=worker)
        t.start()
        assert first_has_lock.wait(5)
        with db.transaction() as tx:
            mine = tx.select().from_(Jobs).order_by(Jobs.id).for_update(skip_locked=True).all()
            q = tx.select().from_(Jobs).for_update(no_wait=True)
            assert q.to_sql().sql.endswith(" for update nowait")
        release.set()
        t.join()
        assert grabbed == [1, 2]
        assert [r.id for r in mine] == [3, 4]
    finally:
        other.close()


def test_offset_without_limit(db: mizzle.Database) -> None:
    q = db.select(Docs.id).from_(Docs).order_by(Docs.id).offset(1)
    assert "limit" not in q.to_sql().sql
    assert q.all() == [(2,), (3,)]


def test_percent_signs_in_raw_sql_and_values(db: mizzle.Database) -> None:
    assert db.execute("select '100%'") == [("100%",)]
    assert db.execute(sql("select {} || '%'", "50")) == [("50%",)]

