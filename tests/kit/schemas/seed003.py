"""Python port of seed 003 (workflows/user_settings/sync_metadata + the idx_workflows_* indexes)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from mizzle.sqlite import Column, Table, index, integer, text

WorkflowStatus = Literal["PENDING", "PROCESSING", "COMPLETED", "FAILED", "RETRYING"]


def new_id() -> str:
    return str(uuid.uuid4())


def now() -> datetime:
    return datetime.now(UTC)


class Workflows(Table, name="workflows"):
    id: Column[str] = text("id").primary_key().default_fn(new_id)
    type: Column[str] = text("type").not_null()
    user_id: Column[str] = text("user_id").not_null()
    status: Column[WorkflowStatus] = (
        text("status", enum=("PENDING", "PROCESSING", "COMPLETED", "FAILED", "RETRYING")).not_null().default("PENDING")
    )
    input_payload: Column[Any] = text("input_payload", mode="json")
    output_payload: Column[Any] = text("output_payload", mode="json")
    error_log: Column[str | None] = text("error_log")
    retry_count: Column[int] = integer("retry_count").not_null().default(0)
    created_at: Column[datetime] = integer("created_at", mode="timestamp").not_null().default_fn(now)
    updated_at: Column[datetime] = integer("updated_at", mode="timestamp").not_null().default_fn(now)
    completed_at: Column[datetime | None] = integer("completed_at", mode="timestamp")
    deleted_at: Column[datetime | None] = integer("deleted_at", mode="timestamp")

    __indexes__ = lambda t: (  # noqa: E731
        index("idx_workflows_status").on(t.status),
        index("idx_workflows_user_id").on(t.user_id),
        index("idx_workflows_created_at").on(t.created_at),
        index("idx_workflows_type_status").on(t.type, t.status),
    )


class UserSettings(Table, name="user_settings"):
    id: Column[str] = text("id").primary_key().default_fn(new_id)
    user_id: Column[str] = text("user_id").not_null().unique()
    preferences: Column[Any] = text("preferences", mode="json")
    created_at: Column[datetime] = integer("created_at", mode="timestamp").not_null().default_fn(now)
    updated_at: Column[datetime] = integer("updated_at", mode="timestamp").not_null().default_fn(now)


class SyncMetadata(Table, name="sync_metadata"):
    id: Column[str] = text("id").primary_key().default_fn(new_id)
    table_name: Column[str] = text("table_name").not_null()
    last_sync_at: Column[datetime | None] = integer("last_sync_at", mode="timestamp")
    sync_status: Column[Literal["PENDING", "SYNCING", "COMPLETED", "FAILED"]] = (
        text("sync_status", enum=("PENDING", "SYNCING", "COMPLETED", "FAILED")).not_null().default("PENDING")
    )
