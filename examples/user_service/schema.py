"""Seed 001 schema (users, workspaces, members, sessions, API keys, usage logs) and its relations.

The relations are declared exactly as in the TypeScript seed: `users` lists only `many(...)`
sides (its API keys and usage logs have no `one` back), which mizzle infers from the foreign keys.
"""

from __future__ import annotations

import secrets
import sys
from datetime import UTC, datetime
from typing import Any, Literal

from mizzle.sqlite import Column, Table, index, integer, real, text

from .relations import declare


def create_id() -> str:
    """A collision-resistant random id (stands in for cuid2's createId)."""
    return "c" + secrets.token_hex(12)


def now() -> datetime:
    """The current time (UTC, whole seconds are stored)."""
    return datetime.now(UTC).replace(microsecond=0)


class Users(Table, name="users"):
    id: Column[str] = text("id").primary_key().default_fn(create_id)
    email: Column[str] = text("email").not_null().unique()
    name: Column[str] = text("name").not_null()
    avatar_url: Column[str | None] = text("avatar_url")
    github_id: Column[str | None] = text("github_id").unique()
    created_at: Column[datetime] = integer("created_at", mode="timestamp").not_null().default_fn(now)
    updated_at: Column[datetime] = integer("updated_at", mode="timestamp").not_null().default_fn(now)


class Workspaces(Table, name="workspaces"):
    id: Column[str] = text("id").primary_key().default_fn(create_id)
    name: Column[str] = text("name").not_null()
    slug: Column[str] = text("slug").not_null().unique()
    owner_id: Column[str] = text("owner_id").not_null().references(lambda: Users.id, on_delete="cascade")
    plan: Column[Literal["free", "pro", "enterprise"]] = (
        text("plan", enum=("free", "pro", "enterprise")).not_null().default("free")
    )
    created_at: Column[datetime] = integer("created_at", mode="timestamp").not_null().default_fn(now)
    updated_at: Column[datetime] = integer("updated_at", mode="timestamp").not_null().default_fn(now)


class WorkspaceMembers(Table, name="workspace_members"):
    id: Column[str] = text("id").primary_key().default_fn(create_id)
    workspace_id: Column[str] = (
        text("workspace_id").not_null().references(lambda: Workspaces.id, on_delete="cascade")
    )
    user_id: Column[str] = text("user_id").not_null().references(lambda: Users.id, on_delete="cascade")
    role: Column[Literal["owner", "admin", "member"]] = (
        text("role", enum=("owner", "admin", "member")).not_null().default("member")
    )
    created_at: Column[datetime] = integer("created_at", mode="timestamp").not_null().default_fn(now)


class Sessions(Table, name="sessions"):
    id: Column[str] = text("id").primary_key().default_fn(create_id)
    user_id: Column[str] = text("user_id").not_null().references(lambda: Users.id, on_delete="cascade")
    workspace_id: Column[str | None] = text("workspace_id").references(lambda: Workspaces.id, on_delete="set null")
    model: Column[str] = text("model").not_null()
    workdir: Column[str] = text("workdir").not_null()
    title: Column[str | None] = text("title")
    messages: Column[list[dict[str, Any]] | None] = text("messages", mode="json").default([])
    metadata: Column[dict[str, Any] | None] = text("metadata", mode="json").default({})
    created_at: Column[datetime] = integer("created_at", mode="timestamp").not_null().default_fn(now)
    updated_at: Column[datetime] = integer("updated_at", mode="timestamp").not_null().default_fn(now)


class ApiKeys(Table, name="api_keys"):
    id: Column[str] = text("id").primary_key().default_fn(create_id)
    user_id: Column[str] = text("user_id").not_null().references(lambda: Users.id, on_delete="cascade")
    name: Column[str] = text("name").not_null()
    hashed_key: Column[str] = text("hashed_key").not_null().unique()
    prefix: Column[str] = text("prefix").not_null()
    last_used_at: Column[datetime | None] = integer("last_used_at", mode="timestamp")
    expires_at: Column[datetime | None] = integer("expires_at", mode="timestamp")
    created_at: Column[datetime] = integer("created_at", mode="timestamp").not_null().default_fn(now)
    # beyond the seed: keys belong to a workspace and are revoked, not deleted
    workspace_id: Column[str | None] = text("workspace_id").references(lambda: Workspaces.id, on_delete="cascade")
    revoked_at: Column[datetime | None] = integer("revoked_at", mode="timestamp")

    __constraints__ = (index("api_keys_workspace_idx").on(workspace_id),)


class UsageLogs(Table, name="usage_logs"):
    id: Column[str] = text("id").primary_key().default_fn(create_id)
    user_id: Column[str] = text("user_id").not_null().references(lambda: Users.id, on_delete="cascade")
    workspace_id: Column[str | None] = text("workspace_id").references(lambda: Workspaces.id, on_delete="set null")
    provider: Column[str] = text("provider").not_null()
    model: Column[str] = text("model").not_null()
    input_tokens: Column[int] = integer("input_tokens").not_null().default(0)
    output_tokens: Column[int] = integer("output_tokens").not_null().default(0)
    cost: Column[float] = real("cost").not_null().default(0)
    session_id: Column[str | None] = text("session_id")
    created_at: Column[datetime] = integer("created_at", mode="timestamp").not_null().default_fn(now)
    # beyond the seed: which key made the request and how long it took
    api_key_id: Column[str | None] = text("api_key_id").references(lambda: ApiKeys.id, on_delete="set null")
    latency_ms: Column[int] = integer("latency_ms").not_null().default(0)

    __constraints__ = (
        index("usage_logs_workspace_created_idx").on(workspace_id, created_at),
        index("usage_logs_api_key_idx").on(api_key_id),
    )


declare(sys.modules[__name__])

TABLES = [Users, Workspaces, WorkspaceMembers, Sessions, ApiKeys, UsageLogs]
