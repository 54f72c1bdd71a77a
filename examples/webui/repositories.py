"""Data access (seed 000's repositories, ported line by line onto the async session)."""

from __future__ import annotations

import logging
from typing import Any

from mizzle import desc, eq, excluded, is_not_null, sql
from mizzle.session.aio import AsyncDatabase

from .schema import Messages, Sessions, Settings, now

log = logging.getLogger("webui.repositories")


class RepositoryError(Exception):
    """A database operation failed (the cause is chained)."""


class BaseRepository:
    """Holds the database; turns driver errors into RepositoryError naming the operation."""

    def __init__(self, db: AsyncDatabase) -> None:
        self.db = db

    def handle_error(self, error: BaseException, operation: str) -> RepositoryError:
        """Log and wrap `error`."""
        log.error("Repository error in %s: %s", operation, error)
        err = RepositoryError(f"Database operation failed: {operation}")
        err.__cause__ = error
        return err


class SessionRepository(BaseRepository):
    """Sessions."""

    async def create(self, data: dict[str, Any]) -> Sessions:
        """Insert a session and return it."""
        try:
            return await self.db.insert(Sessions).values(data).returning().one()
        except Exception as e:
            raise self.handle_error(e, "create session") from e

    async def find_by_id(self, id: str) -> Sessions | None:
        """One session, or None."""
        try:
            return await self.db.select().from_(Sessions).where(eq(Sessions.id, id)).limit(1).get()
        except Exception as e:
            raise self.handle_error(e, "find session by id") from e

    async def find_all(self) -> list[Sessions]:
        """Every session, most recently updated first."""
        try:
            return await self.db.select().from_(Sessions).order_by(desc(Sessions.updated_at)).all()
        except Exception as e:
            raise self.handle_error(e, "find all sessions") from e

    async def find_by_status(self, status: str) -> list[Sessions]:
        """Sessions with a status."""
        try:
            return await (
                self.db.select().from_(Sessions).where(eq(Sessions.status, status)).order_by(desc(Sessions.updated_at)).all()
            )
        except Exception as e:
            raise self.handle_error(e, "find sessions by status") from e

    async def update(self, id: str, data: dict[str, Any]) -> Sessions | None:
        """Update and return the session (None if it does not exist)."""
        try:
            return await (
                self.db.update(Sessions).set({**data, "updated_at": now()}).where(eq(Sessions.id, id)).returning().get()
            )
        except Exception as e:
            raise self.handle_error(e, "update session") from e

    async def delete(self, id: str) -> bool:
        """Delete; True if a row was deleted."""
        try:
            result = await self.db.delete(Sessions).where(eq(Sessions.id, id)).run()
            return result.count > 0
        except Exception as e:
            raise self.handle_error(e, "delete session") from e

    async def get_recent_cwds(self, limit: int = 8) -> list[str]:
        """The distinct working directories of the most recently updated sessions."""
        try:
            result = await (
                self.db.select_distinct(cwd=Sessions.cwd)
                .from_(Sessions)
                .where(is_not_null(Sessions.cwd))
                .order_by(desc(Sessions.updated_at))
                .limit(limit)
                .all()
            )
            return [r.cwd for r in result if r.cwd]
        except Exception as e:
            raise self.handle_error(e, "get recent cwds") from e


class MessageRepository(BaseRepository):
    """Messages of sessions."""

    async def create(self, data: dict[str, Any]) -> Messages:
        """Insert a message and return it."""
        try:
            return await self.db.insert(Messages).values(data).returning().one()
        except Exception as e:
            raise self.handle_error(e, "create message") from e

    async def find_by_session_id(self, session_id: str) -> list[Messages]:
        """A session's messages, oldest first."""
        try:
            return await (
                self.db.select()
                .from_(Messages)
                .where(eq(Messages.session_id, session_id))
                .order_by(Messages.created_at, sql("rowid"))
                .all()
            )
        except Exception as e:
            raise self.handle_error(e, "find messages by session") from e

    async def delete_by_session_id(self, session_id: str) -> int:
        """Delete a session's messages; returns how many."""
        try:
            result = await self.db.delete(Messages).where(eq(Messages.session_id, session_id)).run()
            return result.count
        except Exception as e:
            raise self.handle_error(e, "delete messages by session") from e

    async def batch_create(self, data: list[dict[str, Any]]) -> list[Messages]:
        """Insert several messages in one statement."""
        try:
            return await self.db.insert(Messages).values(data).returning().all()
        except Exception as e:
            raise self.handle_error(e, "batch create messages") from e


class SettingsRepository(BaseRepository):
    """Key/value settings."""

    async def get(self, key: str) -> str | None:
        """A setting's value, or None."""
        try:
            setting = await self.db.select().from_(Settings).where(eq(Settings.key, key)).limit(1).get()
            return setting.value if setting else None
        except Exception as e:
            raise self.handle_error(e, "get setting") from e

    async def get_all(self) -> dict[str, str]:
        """Every setting."""
        try:
            return {s.key: s.value for s in await self.db.select().from_(Settings).all()}
        except Exception as e:
            raise self.handle_error(e, "get all settings") from e

    async def set(self, key: str, value: str) -> Settings:
        """Insert or update one setting."""
        try:
            return await (
                self.db.insert(Settings)
                .values(key=key, value=value)
                .on_conflict_do_update(target=Settings.key, set={"value": value, "updated_at": now()})
                .returning()
                .one()
            )
        except Exception as e:
            raise self.handle_error(e, "set setting") from e

    async def set_many(self, data: dict[str, str]) -> None:
        """Upsert several settings in ONE transaction (all or nothing)."""
        try:
            async with self.db.transaction() as tx:
                for key, value in data.items():
                    await (
                        tx.insert(Settings)
                        .values(key=key, value=value)
                        .on_conflict_do_update(
                            target=Settings.key, set={"value": excluded(Settings.value), "updated_at": now()}
                        )
                        .run()
                    )
        except Exception as e:
            raise self.handle_error(e, "set many settings") from e

    async def delete(self, key: str) -> bool:
        """Delete a setting; True if it existed."""
        try:
            result = await self.db.delete(Settings).where(eq(Settings.key, key)).run()
            return result.count > 0
        except Exception as e:
            raise self.handle_error(e, "delete setting") from e
