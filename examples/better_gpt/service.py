"""Seed 004's `DatabaseService` and `getProjectAnalytics` on mizzle + PostgreSQL, sync and async.

`add_message_to_chat` appends with `messages || jsonb_build_array(message)`: the seed's
`array_append(messages, ...)` fails on PostgreSQL because jsonb is not an SQL array. The statements
live in `queries.py`; the two services only run them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import mizzle
from mizzle import eq
from mizzle.session.aio import AsyncDatabase
from mizzle.session.sync import Database

from . import queries, schema
from .schema import ChatMessage, Chats, Files, Projects


def connect(url: str, **options: Any) -> Database:
    """A database at `url` with the seed's schema available as `db.query.<table>`."""
    return mizzle.connect(url, schema=schema, **options)


@dataclass(frozen=True, slots=True)
class ProjectAnalytics:
    """`getProjectAnalytics`: a project with its chat and file counts and last chat activity."""

    project: dict[str, Any]
    chat_count: int
    file_count: int
    last_active: datetime | None


def _analytics(row: Any) -> ProjectAnalytics | None:
    return None if row is None else ProjectAnalytics(row.project, row.chat_count, row.file_count, row.last_active)


class DatabaseService:
    """Projects, chats and messages (the seed's `server/services/db.ts`)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def create_project(self, **data: Any) -> Projects:
        """Insert a project and return it."""
        out: Projects = self.db.one(queries.insert_project(data))
        return out

    def list_projects(self) -> list[Projects]:
        out: list[Projects] = self.db.all(queries.list_projects())
        return out

    def get_project_with_chats(self, project_id: int) -> Projects | None:
        """A project with its chats (newest first) and files, in one query."""
        return self.db.query(Projects).find_first(
            where=eq(Projects.id, project_id), with_=queries.CHATS_NEWEST_FIRST).get()

    def create_chat(self, project_id: int, title: str) -> Chats:
        """Start an empty chat in a project."""
        out: Chats = self.db.one(queries.insert_chat(project_id, title))
        return out

    def add_file(self, project_id: int, name: str, content: str | None = None) -> Files:
        out: Files = self.db.one(queries.insert_file(project_id, name, content))
        return out

    def add_message_to_chat(self, chat_id: int, message: ChatMessage) -> Chats | None:
        """Append one message to the chat's jsonb array (`messages || jsonb_build_array($1::jsonb)`)."""
        out: Chats | None = self.db.get(queries.append_message(chat_id, message))
        return out

    def create_project_with_chat(self, project_data: dict[str, Any], chat_title: str) -> tuple[Projects, Chats]:
        """Create a project and its first chat atomically: both or neither."""
        with self.db.transaction() as tx:
            project: Projects = tx.one(queries.insert_project(project_data))
            chat: Chats = tx.one(queries.insert_chat(project.id, chat_title))
            return project, chat

    def get_project_analytics(self, project_id: int) -> ProjectAnalytics | None:
        """One query: the project's columns, distinct chat and file counts, latest chat update (group by id)."""
        return _analytics(self.db.get(queries.project_analytics(project_id)))


class AsyncDatabaseService:
    """The same service on `mizzle.aio` (what the ASGI app uses: one pool, a connection per task)."""

    def __init__(self, db: AsyncDatabase) -> None:
        self.db = db

    async def create_project(self, **data: Any) -> Projects:
        out: Projects = await self.db.one(queries.insert_project(data))
        return out

    async def list_projects(self) -> list[Projects]:
        out: list[Projects] = await self.db.all(queries.list_projects())
        return out

    async def get_project_with_chats(self, project_id: int) -> Projects | None:
        out: Projects | None = await self.db.query(Projects).find_first(
            where=eq(Projects.id, project_id), with_=queries.CHATS_NEWEST_FIRST).get()
        return out

    async def get_chat(self, chat_id: int) -> Chats | None:
        out: Chats | None = await self.db.get(queries.chat_by_id(chat_id))
        return out

    async def create_chat(self, project_id: int, title: str) -> Chats:
        out: Chats = await self.db.one(queries.insert_chat(project_id, title))
        return out

    async def add_file(self, project_id: int, name: str, content: str | None = None) -> Files:
        out: Files = await self.db.one(queries.insert_file(project_id, name, content))
        return out

    async def add_message_to_chat(self, chat_id: int, message: ChatMessage) -> Chats | None:
        out: Chats | None = await self.db.get(queries.append_message(chat_id, message))
        return out

    async def get_project_analytics(self, project_id: int) -> ProjectAnalytics | None:
        return _analytics(await self.db.get(queries.project_analytics(project_id)))
