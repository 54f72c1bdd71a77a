"""Seed 004's statements, built once and run by either service: `DatabaseService` (sync) runs them with
`db.one(q)`, `AsyncDatabaseService` with `await adb.one(q)`. Builders know nothing of sessions."""

from __future__ import annotations

from typing import Any

import mizzle
import mizzle.postgres.json as pj
from mizzle import Load, count_distinct, desc, eq, insert, max_, select, update

from .schema import ChatMessage, Chats, Files, Projects

CHATS_NEWEST_FIRST: list[Load[Projects]] = [
    Projects.chats.load(order_by=[desc(Chats.created_at), desc(Chats.id)]),
    Projects.files,
]


def insert_project(data: dict[str, Any]) -> Any:
    return insert(Projects).values(data).returning()


def list_projects() -> Any:
    return select().from_(Projects).order_by(desc(Projects.id))


def insert_chat(project_id: int, title: str) -> Any:
    return insert(Chats).values(project_id=project_id, title=title, messages=[]).returning()


def insert_file(project_id: int, name: str, content: str | None) -> Any:
    return insert(Files).values(project_id=project_id, name=name, content=content).returning()


def append_message(chat_id: int, message: ChatMessage) -> Any:
    """`messages || jsonb_build_array($1::jsonb)` (the seed's `array_append` fails on jsonb)."""
    return (update(Chats).set(messages=pj.append(Chats.messages, message), updated_at=mizzle.sql("now()"))
            .where(eq(Chats.id, chat_id)).returning())


def chat_by_id(chat_id: int) -> Any:
    return select().from_(Chats).where(eq(Chats.id, chat_id))


def project_analytics(project_id: int) -> Any:
    """One query: the project's columns, distinct chat and file counts, latest chat update (group by id)."""
    return (
        select(
            project=dict(Projects.__table__.columns),
            chat_count=count_distinct(Chats.id),
            file_count=count_distinct(Files.id),
            last_active=max_(Chats.updated_at),
        )
        .from_(Projects)
        .left_join(Chats, eq(Chats.project_id, Projects.id))
        .left_join(Files, eq(Files.project_id, Projects.id))
        .where(eq(Projects.id, project_id))
        .group_by(Projects.id)
    )
