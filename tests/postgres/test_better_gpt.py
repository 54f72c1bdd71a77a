"""Seed 004 (better-gpt) on PostgreSQL: schema, service, analytics, jsonb append, transactions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from better_gpt import schema
from better_gpt.schema import ChatMessage, Chats, Files, Projects
from better_gpt.service import DatabaseService, connect

import mizzle
from mizzle.dialects.postgres.ddl import ddl_statements


@pytest.fixture
def service(pg_db: mizzle.Database, pg_url: str) -> Iterator[DatabaseService]:
    db = connect(pg_url)
    mizzle.create_all(db, schema.TABLES)
    try:
        yield DatabaseService(db)
    finally:
        db.close()


def _msg(role: str, content: str) -> ChatMessage:
    return {"role": role, "content": content, "timestamp": "2024-01-01T00:00:00Z"}  # type: ignore[typeddict-item]


def test_create_table_text_matches_drizzle_kit() -> None:
    """Our CREATE TABLE/FK text equals drizzle-kit's 0000_init.sql statements for the same schema."""
    from pathlib import Path

    fixture = Path(__file__).resolve().parents[1] / "fixtures/drizzle/seed004_pg/0000_init.sql"
    theirs = fixture.read_text().split("--> statement-breakpoint\n")
    ours = ddl_statements(sorted(schema.TABLES, key=lambda t: t.__table__.name))
    assert ours == theirs


def test_project_chat_and_messages(service: DatabaseService) -> None:
    project = service.create_project(name="P", settings={"aiModel": "gpt", "temperature": 0.2})
    assert project.settings == {"aiModel": "gpt", "temperature": 0.2}
    assert isinstance(project.created_at, datetime)
    chat = service.create_chat(project.id, "first")
    assert chat.messages == []
    service.add_message_to_chat(chat.id, _msg("user", "hi"))
    updated = service.add_message_to_chat(chat.id, _msg("assistant", "hello, 'friend' 100%"))
    assert [m["content"] for m in updated.messages] == ["hi", "hello, 'friend' 100%"]
    assert updated.updated_at >= chat.updated_at
    assert service.add_message_to_chat(999, _msg("user", "nobody")) is None


def test_append_to_a_null_messages_column_starts_a_list(service: DatabaseService) -> None:
    project = service.create_project(name="P")
    chat = service.db.insert(Chats).values(project_id=project.id, title="t", messages=None).returning().one()
    assert chat.messages is None
    assert service.add_message_to_chat(chat.id, _msg("user", "x")).messages == [_msg("user", "x")]


def test_project_with_chats_and_files_in_one_query(service: DatabaseService) -> None:
    p = service.create_project(name="P")
    other = service.create_project(name="Q")
    c1 = service.create_chat(p.id, "a")
    c2 = service.create_chat(p.id, "b")
    service.create_chat(other.id, "elsewhere")
    service.db.insert(Files).values([{"project_id": p.id, "name": "f.txt", "content": "x"}]).run()
    found = service.get_project_with_chats(p.id)
    assert found is not None
    assert found.name == "P"
    assert [c.id for c in found.chats] == [c2.id, c1.id]  # newest first (ties broken by id)
    assert isinstance(found.chats[0].created_at, datetime)
    assert [f.name for f in found.files] == ["f.txt"]
    assert service.get_project_with_chats(12345) is None


def test_analytics_counts_distinct_chats_and_files(service: DatabaseService) -> None:
    p = service.create_project(name="P")
    for title in ("a", "b", "c"):
        service.create_chat(p.id, title)
    service.db.insert(Files).values([{"project_id": p.id, "name": n} for n in ("x", "y")]).run()
    last = service.add_message_to_chat(1, _msg("user", "latest"))
    stats = service.get_project_analytics(p.id)
    assert stats is not None
    # the join multiplies rows (3 chats x 2 files); count(distinct) undoes it
    assert (stats.chat_count, stats.file_count) == (3, 2)
    assert stats.last_active == last.updated_at
    assert stats.project.name == "P"
    empty = service.get_project_analytics(service.create_project(name="E").id)
    assert empty is not None and (empty.chat_count, empty.file_count, empty.last_active) == (0, 0, None)
    assert service.get_project_analytics(999) is None


def test_create_project_with_chat_is_atomic(service: DatabaseService) -> None:
    project, chat = service.create_project_with_chat({"name": "P"}, "hello")
    assert chat.project_id == project.id and chat.messages == []
    with pytest.raises(mizzle.NotNullViolation):
        service.create_project_with_chat({"name": "Q"}, None)  # type: ignore[arg-type]
    assert [p.name for p in service.db.select().from_(Projects).all()] == ["P"]


def test_chat_requires_an_existing_project(service: DatabaseService) -> None:
    with pytest.raises(mizzle.ForeignKeyViolation) as info:
        service.create_chat(42, "orphan")
    assert info.value.constraint == "chats_project_id_projects_id_fk"


def test_deleting_a_project_cascades_to_files_but_not_chats(service: DatabaseService) -> None:
    p = service.create_project(name="P")
    service.db.insert(Files).values(project_id=p.id, name="f").run()
    service.db.delete(Projects).where(mizzle.eq(Projects.id, p.id)).run()
    assert service.db.count(Files) == 0
    p2 = service.create_project(name="P2")
    service.create_chat(p2.id, "c")
    with pytest.raises(mizzle.ForeignKeyViolation):
        service.db.delete(Projects).where(mizzle.eq(Projects.id, p2.id)).run()
