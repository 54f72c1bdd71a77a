"""Seed 001 schema (users, workspaces, members, sessions, API keys, usage logs) and its relations.

The relations are declared exactly as in the TypeScript seed: `users` lists only `many(...)`
sides (its API keys and usage logs have no `one` back), which mizzle infers from the foreign keys.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any, Literal

from mizzle import relations
from mizzle.sqlite import Column, Table, integer, real, text


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


user_relations = relations(Users, lambda r: {
    "workspaces": r.many(Workspaces),
    "memberships": r.many(WorkspaceMembers),
    "sessions": r.many(Sessions),
    "api_keys": r.many(ApiKeys),
    "usage_logs": r.many(UsageLogs),
})

workspace_relations = relations(Workspaces, lambda r: {
    "owner": r.one(Users, fields=[Workspaces.owner_id], references=[Users.id]),
    "members": r.many(WorkspaceMembers),
    "sessions": r.many(Sessions),
    "usage_logs": r.many(UsageLogs),
    # not in the seed: the many-to-many shortcut over the junction table
    "users": r.many(Users, through=WorkspaceMembers),
})

workspace_member_relations = relations(WorkspaceMembers, lambda r: {
    "workspace": r.one(Workspaces, fields=[WorkspaceMembers.workspace_id], references=[Workspaces.id]),
    "user": r.one(Users, fields=[WorkspaceMembers.user_id], references=[Users.id]),
})

session_relations = relations(Sessions, lambda r: {
    "user": r.one(Users, fields=[Sessions.user_id], references=[Users.id]),
    "workspace": r.one(Workspaces, fields=[Sessions.workspace_id], references=[Workspaces.id]),
})

TABLES = [Users, Workspaces, WorkspaceMembers, Sessions, ApiKeys, UsageLogs]
