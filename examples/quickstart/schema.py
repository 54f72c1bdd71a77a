"""The quickstart schema: seed 000's agent console (sessions, messages, settings)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any, Literal

from mizzle import Many, One, many, one
from mizzle.sqlite import Column, Table, index, integer, text


def new_id() -> str:
    """A short random id (like nanoid)."""
    return secrets.token_urlsafe(9)


def now() -> datetime:
    """The current time (UTC)."""
    return datetime.now(UTC)


Status = Literal["idle", "running", "completed", "error"]


class Sessions(Table, name="sessions"):
    id: Column[str] = text().primary_key().default_fn(new_id)
    title: Column[str] = text().not_null()
    status: Column[Status] = text(enum=("idle", "running", "completed", "error")).not_null().default("idle")
    cwd: Column[str | None] = text()
    allowed_tools: Column[list[str] | None] = text(mode="json")
    created_at: Column[datetime] = integer(mode="timestamp").not_null().default_fn(now)
    updated_at: Column[datetime] = integer(mode="timestamp").not_null().default_fn(now).on_update_fn(now)
    messages: Many[Messages] = many()


class Messages(Table, name="messages"):
    id: Column[str] = text().primary_key().default_fn(new_id)
    session_id: Column[str] = text().not_null().references(lambda: Sessions.id, on_delete="cascade")
    type: Column[str] = text().not_null()
    data: Column[dict[str, Any]] = text(mode="json").not_null()
    created_at: Column[datetime] = integer(mode="timestamp").not_null().default_fn(now)
    session: One[Sessions] = one()

    __constraints__ = (index("idx_messages_session").on(session_id),)


class Settings(Table, name="settings"):
    key: Column[str] = text().primary_key()
    value: Column[str] = text().not_null()
    updated_at: Column[datetime] = integer(mode="timestamp").not_null().default_fn(now).on_update_fn(now)
