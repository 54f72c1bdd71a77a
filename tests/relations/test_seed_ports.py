"""Seed ports: 001's UserService, 002's task relations in one call, 004's get_project_with_chats."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from tasks import schema as tasks_schema
from tasks.store import get_database, load_task
from user_service import schema as user_schema
from user_service.service import UserService, create_sqlite_client

import mizzle
from mizzle import desc, eq
from mizzle.session.sync import Database

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


# ---- seed 004 (PostgreSQL in the seed; the same shape on every dialect here) ------------------


def get_project_with_chats(db: Database, s: ModuleType, project_id: int) -> Any:
    """Seed 004's DatabaseService.getProjectWithChats."""
    return db.query.s4_projects.find_first(
        where=eq(s.Projects.id, project_id),
        with_={"chats": {"order_by": desc(s.Chats.created_at)}, "files": True},
    ).get()


@pytest.fixture
def db4(make_db: Callable[..., Database], s: ModuleType) -> Database:
    return make_db(s.SEED004, schema=s.SEED004)


def test_get_project_with_chats(db4: Database, s: ModuleType, recorder: Recorder) -> None:
    db4.insert(s.Projects).values([{"id": 1, "name": "p", "settings": {"aiModel": "gpt-4", "temperature": 0.7}},
                                   {"id": 2, "name": "bare"}]).run()
    db4.insert(s.Chats).values([
        {"id": i, "project_id": 1, "title": f"c{i}", "created_at": datetime(2024, 1, i, tzinfo=UTC),
         "messages": [{"role": "user", "content": f"m{i}", "timestamp": "t"}]}
        for i in (2, 3, 1)
    ]).run()
    db4.insert(s.Files).values([{"id": 1, "project_id": 1, "path": "a.py"}]).run()
    recorder.clear()
    p = get_project_with_chats(db4, s, 1)
    assert len(recorder.statements) == 1
    assert isinstance(p, s.Projects)
    assert p.settings == {"aiModel": "gpt-4", "temperature": 0.7}
    assert [c.title for c in p.chats] == ["c3", "c2", "c1"]
    assert p.chats[0].created_at == datetime(2024, 1, 3, tzinfo=UTC)
    assert p.chats[0].messages == [{"role": "user", "content": "m3", "timestamp": "t"}]
    assert [f.path for f in p.files] == ["a.py"]
    bare = get_project_with_chats(db4, s, 2)
    assert bare is not None and bare.chats == [] and bare.files == [] and bare.settings == {}
    assert get_project_with_chats(db4, s, 3) is None


@pytest.mark.parametrize("dialect_name", ["postgres"], indirect=True)  # seed 004 is a PostgreSQL schema
def test_better_gpt_get_project_with_chats_on_postgres(make_db: Callable[..., Database], recorder: Recorder) -> None:
    """examples/better_gpt (seed 004 itself: serial, jsonb, timestamp): one statement, chats newest first."""
    from better_gpt import schema as gpt
    from better_gpt.service import DatabaseService

    db = make_db(gpt.TABLES, schema=gpt)
    svc = DatabaseService(db)
    p = svc.create_project(name="P", settings={"aiModel": "gpt-4", "temperature": 0.2})
    other = svc.create_project(name="Q")
    chats = [svc.create_chat(p.id, t) for t in ("a", "b", "c")]
    svc.create_chat(other.id, "elsewhere")
    db.update(gpt.Chats).set(created_at=datetime(2020, 1, 1)).where(eq(gpt.Chats.id, chats[1].id)).run()
    svc.add_message_to_chat(chats[0].id, {"role": "user", "content": "hi 'there' 100%", "timestamp": "t"})
    db.insert(gpt.Files).values([{"project_id": p.id, "name": n, "content": n * 3} for n in ("x", "y")]).run()
    recorder.clear()
    found = svc.get_project_with_chats(p.id)
    assert len(recorder.statements) == 1
    assert isinstance(found, gpt.Projects) and found.settings == {"aiModel": "gpt-4", "temperature": 0.2}
    flat = {c.id: c for c in db.select().from_(gpt.Chats).all()}
    # newest first; the chat moved to 2020 comes last; ties (same now()) broken by id, descending
    assert [c.id for c in found.chats] == [chats[2].id, chats[0].id, chats[1].id]
    assert [tuple(c) for c in found.chats] == [tuple(flat[c.id]) for c in found.chats]
    assert found.chats[1].messages == [{"role": "user", "content": "hi 'there' 100%", "timestamp": "t"}]
    assert found.chats[2].created_at == datetime(2020, 1, 1)
    assert sorted(f.content for f in found.files) == ["xxx", "yyy"]
    empty = svc.get_project_with_chats(other.id)
    assert [c.title for c in empty.chats] == ["elsewhere"] and empty.files == []
    assert svc.get_project_with_chats(10**6) is None
