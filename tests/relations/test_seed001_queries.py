"""Acceptance on seed 001's schema: nested `with_` in one statement, same data as joins."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

import pytest

import mizzle
from mizzle import asc, desc, eq, placeholder
from mizzle.session.sync import Database

from .conftest import Recorder

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def _seed(db: Database, u: ModuleType) -> None:
    db.insert(u.Users).values([
        {"id": "u1", "email": "ann@x", "name": "Ann", "created_at": T0, "updated_at": T0},
        {"id": "u2", "email": "bob@x", "name": "Bob", "github_id": "gh2", "created_at": T0, "updated_at": T0},
        {"id": "u3", "email": "cat@x", "name": "Cat", "created_at": T0, "updated_at": T0},
    ]).run()
    db.insert(u.Workspaces).values([
        {"id": "w1", "name": "One", "slug": "one", "owner_id": "u1", "plan": "pro"},
        {"id": "w2", "name": "Two", "slug": "two", "owner_id": "u2"},
        {"id": "w3", "name": "Empty", "slug": "empty", "owner_id": "u1"},
    ]).run()
    db.insert(u.WorkspaceMembers).values([
        {"id": "m1", "workspace_id": "w1", "user_id": "u1", "role": "owner"},
        {"id": "m2", "workspace_id": "w1", "user_id": "u2", "role": "admin"},
        {"id": "m3", "workspace_id": "w1", "user_id": "u3"},
        {"id": "m4", "workspace_id": "w2", "user_id": "u2", "role": "owner"},
    ]).run()
    db.insert(u.Sessions).values([
        {"id": f"s{i}", "user_id": "u1" if i % 2 else "u2", "workspace_id": "w1" if i < 5 else "w2",
         "model": "m", "workdir": f"/w{i}", "messages": [{"role": "user", "content": f"hi {i}"}],
         "created_at": datetime(2024, 5, i, tzinfo=UTC)}
        for i in range(1, 8)
    ]).run()


@pytest.fixture
def u(s: ModuleType) -> ModuleType:
    """Seed 001's schema module in the dialect under test."""
    seed001: ModuleType = s.seed001
    return seed001


@pytest.fixture
def db(make_db: Callable[..., Database], u: ModuleType) -> Database:
    d = make_db(u.TABLES, schema=u)
    _seed(d, u)
    return d


def three_levels(u: ModuleType) -> dict[str, Any]:
    """workspace -> members (ordered) -> user, plus sessions (ordered)."""
    return {
        "members": {"order_by": asc(u.WorkspaceMembers.id), "with_": {"user": True}},
        "sessions": {"order_by": asc(u.Sessions.id)},
    }


def test_three_levels_in_one_statement_match_the_joins(db: Database, u: ModuleType, recorder: Recorder) -> None:
    recorder.clear()
    rows = db.query.workspaces.find_many(with_=three_levels(u), order_by=u.Workspaces.id).all()
    assert len(recorder.statements) == 1
    assert recorder.statements[0].lower().count("select") >= 4  # nested levels are subqueries

    # the same data through plain joins
    joined = (db.select().from_(u.Workspaces)
              .left_join(u.WorkspaceMembers, eq(u.WorkspaceMembers.workspace_id, u.Workspaces.id))
              .left_join(u.Users, eq(u.Users.id, u.WorkspaceMembers.user_id))
              .order_by(u.Workspaces.id, u.WorkspaceMembers.id).all())
    expected_members: dict[str, list[tuple[Any, Any]]] = {}
    for w, m, usr in joined:
        expected_members.setdefault(w.id, [])
        if m is not None:
            expected_members[w.id].append((m, usr))
    sessions = db.select().from_(u.Sessions).order_by(u.Sessions.id).all()

    assert [w.id for w in rows] == ["w1", "w2", "w3"]
    for w in rows:
        assert w.name == db.select().from_(u.Workspaces).where(eq(u.Workspaces.id, w.id)).one().name
        got = [(tuple(m)[:5], tuple(m.user)) for m in w.members]
        want = [(tuple(m), tuple(usr)) for m, usr in expected_members[w.id]]
        assert got == want
        assert [tuple(s) for s in w.sessions] == [tuple(s) for s in sessions if s.workspace_id == w.id]
    w1 = rows[0]
    assert w1.plan == "pro"
    assert isinstance(w1.created_at, datetime)
    assert w1.members[1].user.name == "Bob" and w1.members[1].role == "admin"
    assert w1.sessions[0].messages == [{"role": "user", "content": "hi 1"}]
    assert w1.sessions[0].created_at == datetime(2024, 5, 1, tzinfo=UTC)
    assert rows[2].members == [] and rows[2].sessions == []


def test_many_to_many_through_shortcut_equals_nested_junction(db: Database, u: ModuleType, recorder: Recorder) -> None:
    recorder.clear()
    via = db.query.workspaces.find_many(
        columns={"id": True}, with_={"users": {"order_by": u.Users.id}}, order_by=u.Workspaces.id
    ).all()
    nested = db.query.workspaces.find_many(
        columns={"id": True}, with_={"members": {"with_": {"user": True}, "order_by": u.WorkspaceMembers.user_id}},
        order_by=u.Workspaces.id,
    ).all()
    assert len(recorder.statements) == 2
    assert [[x.id for x in w.users] for w in via] == [["u1", "u2", "u3"], ["u2"], []]
    assert [[tuple(x) for x in w.users] for w in via] == [[tuple(m.user) for m in w.members] for w in nested]


def test_nested_order_limit_offset_and_where(db: Database, u: ModuleType) -> None:
    ws = db.query.workspaces.find_first(
        where=eq(u.Workspaces.slug, "one"),
        with_={
            "sessions": {"order_by": desc(u.Sessions.created_at), "limit": 2, "offset": 1},
            "members": {"where": eq(u.WorkspaceMembers.role, "member"), "columns": {"role": True}},
            "owner": {"columns": {"name": True}},
        },
    ).execute()
    assert ws is not None
    assert [s.id for s in ws.sessions] == ["s3", "s2"]
    assert [m.role for m in ws.members] == ["member"]
    assert ws.owner.name == "Ann"
    assert not hasattr(ws.owner, "email") or ws.owner._fields == ("name",)


def test_user_with_everything_and_empty_relations(db: Database, u: ModuleType) -> None:
    u3 = db.query.users.find_first(
        where=eq(u.Users.id, "u3"),
        with_={"workspaces": True, "sessions": True, "api_keys": True, "usage_logs": True,
               "memberships": {"with_": {"workspace": {"with_": {"owner": True}}}}},
    ).get()
    assert u3 is not None
    assert u3.workspaces == [] and u3.sessions == [] and u3.api_keys == [] and u3.usage_logs == []
    assert [m.workspace.owner.name for m in u3.memberships] == ["Ann"]
    s7 = db.query.sessions.find_first(where=eq(u.Sessions.id, "s7"), with_={"workspace": True, "user": True}).get()
    assert s7 is not None and s7.workspace.id == "w2" and s7.user.id == "u1"
    db.update(u.Sessions).set(workspace_id=None).where(eq(u.Sessions.id, "s7")).run()
    s7 = db.query.sessions.find_first(where=eq(u.Sessions.id, "s7"), with_={"workspace": True}).get()
    assert s7 is not None and s7.workspace is None
    assert db.query.users.find_first(where=eq(u.Users.id, "nobody")).get() is None
    assert db.query.users.find_many(where=eq(u.Users.id, "nobody"), with_={"sessions": True}).all() == []


def test_prepared_with_placeholders_at_every_level(db: Database, u: ModuleType, recorder: Recorder) -> None:
    q = db.query.workspaces.find_first(
        where=eq(u.Workspaces.id, placeholder("ws")),
        with_={"sessions": {"limit": placeholder("n"), "order_by": u.Sessions.id,
                            "where": eq(u.Sessions.user_id, placeholder("user"))}},
    )
    sql_text, params = q.to_sql()
    assert sql_text.count(db.dialect.placeholder(0)) == len(params)
    prepared = q.prepare()
    recorder.clear()
    a = prepared.get(ws="w1", n=1, user="u2")
    b = prepared.get(ws="w1", n=5, user="u1")
    assert len(recorder.statements) == 2 and recorder.statements[0] == recorder.statements[1]
    assert a is not None and [s.id for s in a.sessions] == ["s2"]
    assert b is not None and [s.id for s in b.sessions] == ["s1", "s3"]
    with pytest.raises(mizzle.QueryError, match="placeholder 'user'"):
        prepared.get(ws="w1", n=1)


def test_rows_are_root_table_instances_with_attribute_access(db: Database, u: ModuleType) -> None:
    rows = db.query(u.Users).find_many(order_by=u.Users.id).all()
    flat = db.select().from_(u.Users).order_by(u.Users.id).all()
    assert rows == flat and type(rows[0]) is type(flat[0])
    assert isinstance(rows[0], u.Users)
    with_rel = db.query(u.Users).find_many(with_={"sessions": True}, order_by=u.Users.id).all()
    assert isinstance(with_rel[0], u.Users) and isinstance(with_rel[0].sessions[0], u.Sessions)
    assert with_rel[0]._asdict()["email"] == "ann@x"
    assert type(with_rel[0]) is type(with_rel[1])  # one row class per result shape
