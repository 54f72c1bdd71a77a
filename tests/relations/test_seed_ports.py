"""Seed ports: 001's UserService, 002's task relations in one call, 004's get_project_with_chats."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from tasks import schema as tasks_schema
from tasks.store import get_database, load_task
from user_service import schema as user_schema
from user_service.service import UserService, create_sqlite_client

import mizzle
from mizzle import desc, eq, relations
from mizzle.session.sync import Database
from mizzle.sqlite import Column, Table, integer, text

from .conftest import Recorder


def test_user_service(tmp_path: Path) -> None:
    db = create_sqlite_client(str(tmp_path / "supercoin.db"))
    mizzle.create_all(db, user_schema.TABLES)
    svc = UserService(db)
    ann = svc.create("ann@x", "Ann")
    assert svc.find_by_id(ann.id) == ann
    assert svc.find_by_email("ann@x") == ann
    assert svc.find_by_id("missing") is None and svc.find_by_github_id("gh1") is None
    created = svc.upsert_from_github({"email": "bob@x", "name": "Bob", "avatar_url": "a1", "github_id": "gh1"})
    assert created.github_id == "gh1" and created.avatar_url == "a1"
    assert isinstance(created.created_at, datetime) and created.created_at.tzinfo is not None
    updated = svc.upsert_from_github({"email": "bob@x", "name": "Robert", "avatar_url": "a2", "github_id": "gh1"})
    assert updated.id == created.id and updated.name == "Robert" and updated.avatar_url == "a2"
    assert svc.find_by_github_id("gh1") == updated
    assert db.count(user_schema.Users) == 2
    db.close()


def test_tasks_relations_load_in_one_call(tmp_path: Path) -> None:
    rec = Recorder()
    db = get_database(str(tmp_path / "ralph.db"))
    db.logger = rec
    s = tasks_schema
    db.insert(s.Tasks).values([{"id": "t1", "name": "Build", "branch_name": "b1"},
                               {"id": "t2", "name": "Empty", "branch_name": "b2"}]).run()
    db.insert(s.Stories).values([{"id": "s1", "task_id": "t1", "title": "low", "priority": 3},
                                 {"id": "s2", "task_id": "t1", "title": "high", "priority": 1}]).run()
    db.insert(s.Sessions).values([{"id": "x1", "task_id": "t1", "name": "first"}]).run()
    db.insert(s.Iterations).values([{"task_id": "t1", "iteration_number": n, "status": "ok"} for n in (1, 2, 3)]).run()
    db.insert(s.Patterns).values([{"task_id": "t1", "pattern": "use X"}, {"pattern": "global"}]).run()
    rec.clear()
    task = load_task(db, "t1")
    assert len(rec.statements) == 1
    assert task is not None and task.name == "Build" and task.status == "pending"
    assert [x.title for x in task.stories] == ["high", "low"]
    assert [x.mode for x in task.sessions] == ["agent"] and task.sessions[0].messages == "[]"
    assert [x.iteration_number for x in task.iterations] == [3, 2, 1]
    assert [x.pattern for x in task.patterns] == ["use X"]
    assert isinstance(task.created_at, str) and task.created_at[:2] == "20"
    empty = load_task(db, "t2")
    assert empty is not None
    assert (empty.stories, empty.sessions, empty.iterations, empty.patterns) == ([], [], [], [])
    assert load_task(db, "nope") is None
    db.close()


# ---- seed 004 (PostgreSQL in the seed; the same shape on SQLite here) ----------------------


class Projects(Table, name="s4_projects"):
    id: Column[int] = integer("id").primary_key()
    name: Column[str] = text("name").not_null()
    settings: Column[dict[str, Any] | None] = text("settings", mode="json").default({})
    created_at: Column[datetime | None] = integer("created_at", mode="timestamp")


class Chats(Table, name="s4_chats"):
    id: Column[int] = integer("id").primary_key()
    project_id: Column[int] = integer("project_id").not_null().references(lambda: Projects.id)
    title: Column[str] = text("title").not_null()
    messages: Column[list[dict[str, str]] | None] = text("messages", mode="json").default([])
    created_at: Column[datetime] = integer("created_at", mode="timestamp").not_null()


class Files(Table, name="s4_files"):
    id: Column[int] = integer("id").primary_key()
    project_id: Column[int] = integer("project_id").not_null().references(lambda: Projects.id)
    path: Column[str] = text("path").not_null()


relations(Projects, lambda r: {"chats": r.many(Chats), "files": r.many(Files)})
relations(Chats, lambda r: {"project": r.one(Projects, fields=[Chats.project_id], references=[Projects.id])})
relations(Files, lambda r: {"project": r.one(Projects, fields=[Files.project_id], references=[Projects.id])})


def get_project_with_chats(db: Database, project_id: int) -> Projects | None:
    """Seed 004's DatabaseService.getProjectWithChats."""
    return db.query.s4_projects.find_first(
        where=eq(Projects.id, project_id),
        with_={"chats": {"order_by": desc(Chats.created_at)}, "files": True},
    ).get()


@pytest.fixture
def db4(make_db: Callable[..., Database]) -> Database:
    return make_db([Projects, Chats, Files])


def test_get_project_with_chats(db4: Database, recorder: Recorder) -> None:
    db4.insert(Projects).values([{"id": 1, "name": "p", "settings": {"aiModel": "gpt-4", "temperature": 0.7}},
                                 {"id": 2, "name": "bare"}]).run()
    db4.insert(Chats).values([
        {"id": i, "project_id": 1, "title": f"c{i}", "created_at": datetime(2024, 1, i, tzinfo=UTC),
         "messages": [{"role": "user", "content": f"m{i}", "timestamp": "t"}]}
        for i in (2, 3, 1)
    ]).run()
    db4.insert(Files).values([{"id": 1, "project_id": 1, "path": "a.py"}]).run()
    recorder.clear()
    p = get_project_with_chats(db4, 1)
    assert len(recorder.statements) == 1
    assert p is not None and p.settings == {"aiModel": "gpt-4", "temperature": 0.7}
    assert [c.title for c in p.chats] == ["c3", "c2", "c1"]
    assert p.chats[0].created_at == datetime(2024, 1, 3, tzinfo=UTC)
    assert p.chats[0].messages == [{"role": "user", "content": "m3", "timestamp": "t"}]
    assert [f.path for f in p.files] == ["a.py"]
    bare = get_project_with_chats(db4, 2)
    assert bare is not None and bare.chats == [] and bare.files == [] and bare.settings == {}
