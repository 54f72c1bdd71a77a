"""Seed 001's tables (`examples/user_service/schema.py`) in PostgreSQL types, same relations."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any, Literal

from user_service.schema import create_id, now

from mizzle.postgres import Column, Table, double_precision, integer, jsonb, text, timestamp

from .shared import declare_seed001


def _at(name: str) -> Any:
    return timestamp(name, with_timezone=True)


class Users(Table, name="users"):
    id: Column[str] = text("id").primary_key().default_fn(create_id)
    email: Column[str] = text("email").not_null().unique()
    name: Column[str] = text("name").not_null()
    avatar_url: Column[str | None] = text("avatar_url")
    github_id: Column[str | None] = text("github_id").unique()
    created_at: Column[datetime] = _at("created_at").not_null().default_fn(now)
    updated_at: Column[datetime] = _at("updated_at").not_null().default_fn(now)


class Workspaces(Table, name="workspaces"):
    id: Column[str] = text("id").primary_key().default_fn(create_id)
    name: Column[str] = text("name").not_null()
    slug: Column[str] = text("slug").not_null().unique()
    owner_id: Column[str] = text("owner_id").not_null().references(lambda: Users.id, on_delete="cascade")
    plan: Column[Literal["free", "pro", "enterprise"]] = (
        text("plan", enum=("free", "pro", "enterprise")).not_null().default("free")
    )
    created_at: Column[datetime] = _at("created_at").not_null().default_fn(now)
    updated_at: Column[datetime] = _at("updated_at").not_null().default_fn(now)


class WorkspaceMembers(Table, name="workspace_members"):
    id: Column[str] = text("id").primary_key().default_fn(create_id)
    workspace_id: Column[str] = (
        text("workspace_id").not_null().references(lambda: Workspaces.id, on_delete="cascade")
    )
    user_id: Column[str] = text("user_id").not_null().references(lambda: Users.id, on_delete="cascade")
    role: Column[Literal["owner", "admin", "member"]] = (
        text("role", enum=("owner", "admin", "member")).not_null().default("member")
    )
    created_at: Column[datetime] = _at("created_at").not_null().default_fn(now)


class Sessions(Table, name="sessions"):
    id: Column[str] = text("id").primary_key().default_fn(create_id)
    user_id: Column[str] = text("user_id").not_null().references(lambda: Users.id, on_delete="cascade")
    workspace_id: Column[str | None] = text("workspace_id").references(lambda: Workspaces.id, on_delete="set null")
    model: Column[str] = text("model").not_null()
    workdir: Column[str] = text("workdir").not_null()
    title: Column[str | None] = text("title")
    messages: Column[list[dict[str, Any]] | None] = jsonb("messages").default([])
    metadata: Column[dict[str, Any] | None] = jsonb("metadata").default({})
    created_at: Column[datetime] = _at("created_at").not_null().default_fn(now)
    updated_at: Column[datetime] = _at("updated_at").not_null().default_fn(now)


class ApiKeys(Table, name="api_keys"):
    id: Column[str] = text("id").primary_key().default_fn(create_id)
    user_id: Column[str] = text("user_id").not_null().references(lambda: Users.id, on_delete="cascade")
    name: Column[str] = text("name").not_null()
    hashed_key: Column[str] = text("hashed_key").not_null().unique()
    prefix: Column[str] = text("prefix").not_null()
    last_used_at: Column[datetime | None] = _at("last_used_at")
    expires_at: Column[datetime | None] = _at("expires_at")
    created_at: Column[datetime] = _at("created_at").not_null().default_fn(now)


class UsageLogs(Table, name="usage_logs"):
    id: Column[str] = text("id").primary_key().default_fn(create_id)
    user_id: Column[str] = text("user_id").not_null().references(lambda: Users.id, on_delete="cascade")
    workspace_id: Column[str | None] = text("workspace_id").references(lambda: Workspaces.id, on_delete="set null")
    provider: Column[str] = text("provider").not_null()
    model: Column[str] = text("model").not_null()
    input_tokens: Column[int] = integer("input_tokens").not_null().default(0)
    output_tokens: Column[int] = integer("output_tokens").not_null().default(0)
    cost: Column[float] = double_precision("cost").not_null().default(0)
    session_id: Column[str | None] = text("session_id")
    created_at: Column[datetime] = _at("created_at").not_null().default_fn(now)


declare_seed001(sys.modules[__name__])

TABLES = [Users, Workspaces, WorkspaceMembers, Sessions, ApiKeys, UsageLogs]
