"""Seed 003 schema: workflows (status enum, JSON payloads, soft delete, timestamps), user settings,
sync metadata, and the four recommended indexes on `workflows`.

Timestamps are `integer(mode="timestamp")` as in drizzle (whole seconds since the epoch, read
back as aware UTC datetimes); ids are random UUIDs made on the client (`$defaultFn`).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Literal, Required, TypedDict

from mizzle.sqlite import Column, Table, index, integer, text

WorkflowStatus = Literal["PENDING", "PROCESSING", "COMPLETED", "FAILED", "RETRYING"]
SyncStatus = Literal["PENDING", "SYNCING", "COMPLETED", "FAILED"]
WORKFLOW_STATUSES: tuple[WorkflowStatus, ...] = ("PENDING", "PROCESSING", "COMPLETED", "FAILED", "RETRYING")
SYNC_STATUSES: tuple[SyncStatus, ...] = ("PENDING", "SYNCING", "COMPLETED", "FAILED")


def random_uuid() -> str:
    """`crypto.randomUUID()`."""
    return str(uuid.uuid4())


def now() -> datetime:
    """`new Date()` as stored by a timestamp column (whole seconds, UTC)."""
    return datetime.now(UTC).replace(microsecond=0)


# ============================================ workflows
class Workflows(Table, name="workflows"):
    id: Column[str] = text("id").primary_key().default_fn(random_uuid)
    type: Column[str] = text("type").not_null()
    user_id: Column[str] = text("user_id").not_null()
    status: Column[WorkflowStatus] = text("status", enum=WORKFLOW_STATUSES).not_null().default("PENDING")
    input_payload: Column[Any] = text("input_payload", mode="json")
    output_payload: Column[Any] = text("output_payload", mode="json")
    error_log: Column[str | None] = text("error_log")
    retry_count: Column[int] = integer("retry_count").not_null().default(0)
    created_at: Column[datetime] = integer("created_at", mode="timestamp").not_null().default_fn(now)
    updated_at: Column[datetime] = integer("updated_at", mode="timestamp").not_null().default_fn(now)
    completed_at: Column[datetime | None] = integer("completed_at", mode="timestamp")
    deleted_at: Column[datetime | None] = integer("deleted_at", mode="timestamp")

    # 15.7: the recommended indexes
    __constraints__ = (
        index("idx_workflows_status").on(status),
        index("idx_workflows_user_id").on(user_id),
        index("idx_workflows_created_at").on(created_at),
        index("idx_workflows_type_status").on(type, status),
    )


# ============================================ user settings
class UserSettings(Table, name="user_settings"):
    id: Column[str] = text("id").primary_key().default_fn(random_uuid)
    user_id: Column[str] = text("user_id").not_null().unique()
    preferences: Column[Any] = text("preferences", mode="json")
    created_at: Column[datetime] = integer("created_at", mode="timestamp").not_null().default_fn(now)
    updated_at: Column[datetime] = integer("updated_at", mode="timestamp").not_null().default_fn(now)


# ============================================ sync metadata (optional)
class SyncMetadata(Table, name="sync_metadata"):
    id: Column[str] = text("id").primary_key().default_fn(random_uuid)
    table_name: Column[str] = text("table_name").not_null()
    last_sync_at: Column[datetime | None] = integer("last_sync_at", mode="timestamp")
    sync_status: Column[SyncStatus] = text("sync_status", enum=SYNC_STATUSES).not_null().default("PENDING")


TABLES = (Workflows, UserSettings, SyncMetadata)

# ---- types.ts: select types are the row classes themselves; insert types are TypedDicts
Workflow = Workflows
UserSetting = UserSettings


class NewWorkflow(TypedDict, total=False):
    """`InferInsertModel<typeof workflows>`: `type` and `user_id` are required, the rest defaulted."""

    id: str
    type: Required[str]
    user_id: Required[str]
    status: WorkflowStatus
    input_payload: Any
    output_payload: Any
    error_log: str | None
    retry_count: int
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    deleted_at: datetime | None
