"""Seed 001's tables for a MySQL-compatible server (the package's production story), column for column
the same as `schema.py` (same Python types, same relations), in MySQL/MariaDB types."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any, Literal

from mizzle.mysql import Column, Table, double, index, int_, json, timestamp, varchar

from .relations import declare
from .schema import create_id, now

_ID = 32


def _id(name: str) -> Any:
    return varchar(name, length=_ID)


class Users(Table, name="users"):
    id: Column[str] = _id("id").primary_key().default_fn(create_id)
    email: Column[str] = varchar("email", length=255).not_null().unique()
    name: Column[str] = varchar("name", length=255).not_null()
    avatar_url: Column[str | None] = varchar("avatar_url", length=1024)
    github_id: Column[str | None] = varchar("github_id", length=64).unique()
    created_at: Column[datetime] = timestamp("created_at").not_null().default_fn(now)
    updated_at: Column[datetime] = timestamp("updated_at").not_null().default_fn(now)


class Workspaces(Table, name="workspaces"):
    id: Column[str] = _id("id").primary_key().default_fn(create_id)
    name: Column[str] = varchar("name", length=255).not_null()
    slug: Column[str] = varchar("slug", length=255).not_null().unique()
    owner_id: Column[str] = _id("owner_id").not_null().references(lambda: Users.id, on_delete="cascade")
    plan: Column[Literal["free", "pro", "enterprise"]] = (
        varchar("plan", length=16, enum=("free", "pro", "enterprise")).not_null().default("free")
    )
    created_at: Column[datetime] = timestamp("created_at").not_null().default_fn(now)
    updated_at: Column[datetime] = timestamp("updated_at").not_null().default_fn(now)


class WorkspaceMembers(Table, name="workspace_members"):
    id: Column[str] = _id("id").primary_key().default_fn(create_id)
    workspace_id: Column[str] = _id("workspace_id").not_null().references(lambda: Workspaces.id, on_delete="cascade")
    user_id: Column[str] = _id("user_id").not_null().references(lambda: Users.id, on_delete="cascade")
    role: Column[Literal["owner", "admin", "member"]] = (
        varchar("role", length=16, enum=("owner", "admin", "member")).not_null().default("member")
    )
    created_at: Column[datetime] = timestamp("created_at").not_null().default_fn(now)


class Sessions(Table, name="sessions"):
    id: Column[str] = _id("id").primary_key().default_fn(create_id)
    user_id: Column[str] = _id("user_id").not_null().references(lambda: Users.id, on_delete="cascade")
    workspace_id: Column[str | None] = _id("workspace_id").references(lambda: Workspaces.id, on_delete="set null")
    model: Column[str] = varchar("model", length=128).not_null()
    workdir: Column[str] = varchar("workdir", length=1024).not_null()
    title: Column[str | None] = varchar("title", length=255)
    messages: Column[list[dict[str, Any]] | None] = json("messages").default([])
    metadata: Column[dict[str, Any] | None] = json("metadata").default({})
    created_at: Column[datetime] = timestamp("created_at").not_null().default_fn(now)
    updated_at: Column[datetime] = timestamp("updated_at").not_null().default_fn(now)


class ApiKeys(Table, name="api_keys"):
    id: Column[str] = _id("id").primary_key().default_fn(create_id)
    user_id: Column[str] = _id("user_id").not_null().references(lambda: Users.id, on_delete="cascade")
    name: Column[str] = varchar("name", length=255).not_null()
    hashed_key: Column[str] = varchar("hashed_key", length=64).not_null().unique()
    prefix: Column[str] = varchar("prefix", length=16).not_null()
    last_used_at: Column[datetime | None] = timestamp("last_used_at")
    expires_at: Column[datetime | None] = timestamp("expires_at")
    created_at: Column[datetime] = timestamp("created_at").not_null().default_fn(now)
    workspace_id: Column[str | None] = _id("workspace_id").references(lambda: Workspaces.id, on_delete="cascade")
    revoked_at: Column[datetime | None] = timestamp("revoked_at")

    __constraints__ = (index("api_keys_workspace_idx").on(workspace_id),)


class UsageLogs(Table, name="usage_logs"):
    id: Column[str] = _id("id").primary_key().default_fn(create_id)
    user_id: Column[str] = _id("user_id").not_null().references(lambda: Users.id, on_delete="cascade")
    workspace_id: Column[str | None] = _id("workspace_id").references(lambda: Workspaces.id, on_delete="set null")
    provider: Column[str] = varchar("provider", length=64).not_null()
    model: Column[str] = varchar("model", length=128).not_null()
    input_tokens: Column[int] = int_("input_tokens").not_null().default(0)
    output_tokens: Column[int] = int_("output_tokens").not_null().default(0)
    cost: Column[float] = double("cost").not_null().default(0)
    session_id: Column[str | None] = varchar("session_id", length=64)
    created_at: Column[datetime] = timestamp("created_at").not_null().default_fn(now)
    api_key_id: Column[str | None] = _id("api_key_id").references(lambda: ApiKeys.id, on_delete="set null")
    latency_ms: Column[int] = int_("latency_ms").not_null().default(0)

    __constraints__ = (
        index("usage_logs_workspace_created_idx").on(workspace_id, created_at),
        index("usage_logs_api_key_idx").on(api_key_id),
    )


declare(sys.modules[__name__])

TABLES = [Users, Workspaces, WorkspaceMembers, Sessions, ApiKeys, UsageLogs]
