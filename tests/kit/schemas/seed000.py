"""Python port of seed 000 (sessions/messages/settings)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from mizzle.sqlite import Column, Table, integer, text


def nanoid() -> str:
    return secrets.token_urlsafe(12)


def now() -> datetime:
    return datetime.now(UTC)


class Sessions(Table, name="sessions"):
    id: Column[str] = text("id").primary_key().default_fn(nanoid)
    title: Column[str] = text("title").not_null()
    claude_session_id: Column[str | None] = text("claude_session_id")
    status: Column[str] = text("status").not_null().default("idle")
    cwd: Column[str | None] = text("cwd")
    allowed_tools: Column[str | None] = text("allowed_tools")
    last_prompt: Column[str | None] = text("last_prompt")
    created_at: Column[datetime] = integer("created_at", mode="timestamp").not_null().default_fn(now)
    updated_at: Column[datetime] = integer("updated_at", mode="timestamp").not_null().default_fn(now)


class Messages(Table, name="messages"):
    id: Column[str] = text("id").primary_key().default_fn(nanoid)
    session_id: Column[str] = text("session_id").not_null().references(lambda: Sessions.id, on_delete="cascade")
    type: Column[str] = text("type").not_null()
    data: Column[str] = text("data").not_null()
    created_at: Column[datetime] = integer("created_at", mode="timestamp").not_null().default_fn(now)


class Settings(Table, name="settings"):
    key: Column[str] = text("key").primary_key()
    value: Column[str] = text("value").not_null()
    updated_at: Column[datetime] = integer("updated_at", mode="timestamp").not_null().default_fn(now)
