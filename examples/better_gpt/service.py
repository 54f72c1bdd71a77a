"""Seed 004's `DatabaseService` and `getProjectAnalytics` on mizzle + PostgreSQL.

`add_message_to_chat` appends with `messages || jsonb_build_array(message)`: the seed's
`array_append(messages, ...)` fails on PostgreSQL because jsonb is not an SQL array.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import mizzle
import mizzle.postgres.json as pj
from mizzle import count_distinct, desc, eq, max_
from mizzle.session.sync import Database

from . import schema
from .schema import ChatMessage, Chats, Files, Projects


def connect(url: str, **options: Any) -> Database:
    """A database at `url` with the seed's schema available as `db.query.<table>`."""
    return mizzle.connect(url, schema=schema, **options)


@dataclass(frozen=True, slots=True)
class ProjectAnalytics:
    """`getProjectAnalytics`: a project with its chat and file counts and last chat activity."""

    project: Any
    chat_count: int
    file_count: int
    last_active: datetime | None


class DatabaseService:
    """Projects, chats and messages (the seed's `server/services/db.ts`)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def create_project(self, **data: Any) -> Any:
        """Insert a project and return it."""
        return self.db.insert(Projects).values(data).returning().one()

    def get_project_with_chats(self, project_id: int) -> Any:
        """A project with its chats (newest first) and files, in one query."""
        return self.db.query.projects.find_first(
            where=eq(Projects.id, project_id),
            with_={"chats": {"order_by": [desc(Chats.created_at), desc(Chats.id)]}, "files": True},
        ).execute()

    def create_chat(self, project_id: int, title: str) -> Any:
        """Start an empty chat in a project."""
        return self.db.insert(Chats).values(project_id=project_id, title=title, messages=[]).returning().one()

    def add_message_to_chat(self, chat_id: int, message: ChatMessage) -> Any:
        """Append one message to the chat's jsonb array (`messages || jsonb_build_array($1::jsonb)`)."""
        return (
            self.db.update(Chats)
            .set(messages=pj.append(Chats.messages, message), updated_at=mizzle.sql("now()"))
            .where(eq(Chats.id, chat_id))
            .returning()
            .get()
        )

    def create_project_with_chat(self, project_data: dict[str, Any], chat_title: str) -> tuple[Any, Any]:
        """Create a project and its first chat atomically: both or neither."""
        with self.db.transaction() as tx:
            project = tx.insert(Projects).values(project_data).returning().one()
            chat = tx.insert(Chats).values(project_id=project.id, title=chat_title).returning().one()
            return project, chat

    def get_project_analytics(self, project_id: int) -> ProjectAnalytics | None:
        """One query: the project's columns, distinct chat and file counts, latest chat update (group by id)."""
        project_fields = dict(Projects.__table__.columns)
        row = (
            self.db.select(
                project=project_fields,
                chat_count=count_distinct(Chats.id),
                file_count=count_distinct(Files.id),
                last_active=max_(Chats.updated_at),
            )
            .from_(Projects)
            .left_join(Chats, eq(Chats.project_id, Projects.id))
            .left_join(Files, eq(Files.project_id, Projects.id))
            .where(eq(Projects.id, project_id))
            .group_by(Projects.id)
            .get()
        )
        if row is None:
            return None
        return ProjectAnalytics(row.project, row.chat_count, row.file_count, row.last_active)
