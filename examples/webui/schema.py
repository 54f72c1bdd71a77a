"""Tables: sessions, messages, settings (seed 000's Drizzle schema, ported)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any, Literal

from mizzle.sqlite import Column, Table, index, integer, text

Status = Literal["idle", "running", "completed", "error"]
STATUSES: tuple[Status, ...] = ("idle", "running", "completed", "error")

_ALPHABET = "useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict"


def nanoid(size: int = 21) -> str:
    """A nanoid-style random id (21 URL-safe characters)."""
    return "".join(_ALPHABET[b & 63] for b in secrets.token_bytes(size))


def now() -> datetime:
    """The current UTC time (second precision is what `timestamp` columns store)."""
    return datetime.now(UTC)


class Sessions(Table, name="sessions"):
    id: Column[str] = text().primary_key().default_fn(nanoid)
    title: Column[str] = text().not_null()
    claude_session_id: Column[str | None] = text()
    status: Column[Status] = text(enum=STATUSES).not_null().default("idle")
    cwd: Column[str | None] = text()
    allowed_tools: Column[list[str] | None] = text(mode="json")
    last_prompt: Column[str | None] = text()
    created_at: Column[datetime] = integer(mode="timestamp").not_null().default_fn(now)
    updated_at: Column[datetime] = integer(mode="timestamp").not_null().default_fn(now)


class Messages(Table, name="messages"):
    id: Column[str] = text().primary_key().default_fn(nanoid)
    session_id: Column[str] = text().not_null().references(lambda: Sessions.id, on_delete="cascade")
    type: Column[str] = text().not_null()
    data: Column[dict[str, Any]] = text(mode="json").not_null()
    created_at: Column[datetime] = integer(mode="timestamp").not_null().default_fn(now)

    __constraints__ = (index("messages_session_id_idx").on(session_id, created_at),)


class Settings(Table, name="settings"):
    key: Column[str] = text().primary_key()
    value: Column[str] = text().not_null()
    updated_at: Column[datetime] = integer(mode="timestamp").not_null().default_fn(now)


TABLES: list[type[Table]] = [Sessions, Messages, Settings]
