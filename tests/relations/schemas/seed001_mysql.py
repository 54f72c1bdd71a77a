"""Seed 001's tables (`examples/user_service/schema.py`) in MySQL/MariaDB types, same relations."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any, Literal

from user_service.schema import create_id, now

from mizzle.mysql import Column, Table, double, int_, json, timestamp, varchar

from .shared import declare_seed001


def _at(name: str) -> Any:
    return timestamp(name)


class Users(Table, name="users"):
    id: Column[str] = varchar("id", length=64).primary_key().default_fn(create_id)
    email: Column[str] = varchar("email", length=64).not_null().unique()
    name: Column[str] = varchar("name", length=64).not_null()
    avatar_url: Column[str | None] = varchar("avatar_url", length=64)
    github_id: Column[str | None] = varchar("github_id", length=64).unique()
    created_at: Column[datetime] = _at("created_at").not_null().default_fn(now)
    updated_at: Column[datetime] = _at("updated_at").not_null().default_fn(now)


class Workspaces(Table, name="workspaces"):
    id: Column[str] = varchar("id", length=64).primary_key().default_fn(create_id)
    name: Column[str] = varchar("name", length=64).not_null()
    slug: Column[str] = varchar("slug", length=64).not_null().unique()
    owner_id: Column[str] = varchar("owner_id", length=64).not_null().references(lambda: Users.id, on_delete="cascade")
    plan: Column[Literal["free", "pro", "enterprise"]] = (
        varchar("plan", length=64, enum=("free", "pro", "enterprise")).not_null().default("free")
    )
    created_at: Column[datetime] = _at("created_at").not_null().default_fn(now)
    updated_at: Column[datetime] = _at("updated_at").not_null().default_fn(now)


class WorkspaceMembers(Table, name="workspace_members"):
    id: Column[str] = varchar("id", length=64).primary_key().default_fn(create_id)
    workspace_id: Column[str] = (
        varchar("workspace_id", length=64).not_null().references(lambda: Workspaces.id, on_delete="cascade")
    )
    user_id: Column[str] = varchar("user_id", length=64).not_null().references(lambda: Users.id, on_delete="cascade")
    role: Column[Literal["owner", "admin", "member"]] = (
        varchar("role", length=64, enum=("owner", "admin", "member")).not_null().default("member")
    )
    created_at: Column[datetime] = _at("created_at").not_null().default_fn(now)


class Sessions(Table, name="sessions"):
    id: Column[str] = varchar("id", length=64).primary_key().default_fn(create_id)
    user_id: Column[str] = varchar("user_id", length=64).not_null().references(lambda: Users.id, on_delete="cascade")
    workspace_id: Column[str | None] = varchar("workspace_id", length=64).references(lambda: Workspaces.id, on_delete="set null")
    model: Column[str] = varchar("model", length=64).not_null()
    workdir: Column[str] = varchar("workdir", length=64).not_null()
    title: Column[str | None] = varchar("title", length=64)
    messages: Column[list[dict[str, Any]] | None] = json("messages").default([])
    metadata: Column[dict[str, Any] | None] = json("metadata").default({})
    created_at: Column[datetime] = _at("created_at").not_null().default_fn(now)
    updated_at: Column[datetime] = _at("updated_at").not_null().default_fn(now)


class ApiKeys(Table, name="api_keys"):
    id: Column[str] = varchar("id", length=64).primary_key().default_fn(create_id)
    user_id: Column[str] = varchar("user_id", length=64).not_null().references(lambda: Users.id, on_delete="cascade")
    name: Column[str] = varchar("name", length=64).not_null()
    hashed_key: Column[str] = varchar("hashed_key", length=64).not_null().unique()
    prefix: Column[str] = varchar("prefix", length=64).not_null()
    last_used_at: Column[datetime | None] = _at("last_used_at")
    expires_at: Column[datetime | None] = _at("expires_at")
    created_at: Column[datetime] = _at("created_at").not_null().default_fn(now)


class UsageLogs(Table, name="usage_logs"):
    id: Column[str] = varchar("id", length=64).primary_key().default_fn(create_id)
    user_id: Column[str] = varchar("user_id", length=64).not_null().references(lambda: Users.id, on_delete="cascade")
    workspace_id: Column[str | None] = varchar("workspace_id", length=64).references(lambda: Workspaces.id, on_delete="set null")
    provider: Column[str] = varchar("provider", length=64).not_null()
    model: Column[str] = varchar("model", length=64).not_null()
    input_tokens: Column[int] = int_("input_tokens").not_null().default(0)
    output_tokens: Column[int] = int_("output_tokens").not_null().default(0)
    cost: Column[float] = double("cost").not_null().default(0)
    session_id: Column[str | None] = varchar("session_id", length=64)
    created_at: Column[datetime] = _at("created_at").not_null().default_fn(now)


declare_seed001(sys.modules[__name__])

TABLES = [Users, Workspaces, WorkspaceMembers, Sessions, ApiKeys, UsageLogs]
