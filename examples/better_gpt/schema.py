"""Seed 004 schema (`shared/schema/*.ts`): projects, chats (jsonb messages), files, and their relations."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, TypedDict

from mizzle import Many, One, many, one
from mizzle.postgres import Column, Table, integer, jsonb, serial, text, timestamp, varchar


class ProjectSettings(TypedDict, total=False):
    """`settings` jsonb of a project."""

    aiModel: str
    temperature: float
    maxTokens: int


class ChatMessage(TypedDict):
    """One element of `chats.messages`."""

    role: Literal["user", "assistant", "system"]
    content: str
    timestamp: str


class Projects(Table, name="projects"):
    id: Column[int] = serial("id").primary_key()
    name: Column[str] = varchar("name", length=255).not_null()
    description: Column[str | None] = text("description")
    instructions: Column[str | None] = text("instructions")
    settings: Column[ProjectSettings | None] = jsonb("settings").default({})
    created_at: Column[datetime | None] = timestamp("created_at").default_now()
    updated_at: Column[datetime | None] = timestamp("updated_at").default_now()
    chats: Many[Chats] = many()
    files: Many[Files] = many()


class Chats(Table, name="chats"):
    id: Column[int] = serial("id").primary_key()
    project_id: Column[int] = integer("project_id").references(lambda: Projects.id).not_null()
    title: Column[str] = varchar("title", length=255).not_null()
    messages: Column[list[ChatMessage] | None] = jsonb("messages").default([])
    created_at: Column[datetime | None] = timestamp("created_at").default_now()
    updated_at: Column[datetime | None] = timestamp("updated_at").default_now()
    project: One[Projects] = one()


class Files(Table, name="files"):
    """Not defined in the seed; the minimal table its queries use (as in the drizzle-kit fixture)."""

    id: Column[int] = serial("id").primary_key()
    project_id: Column[int] = integer("project_id").references(lambda: Projects.id, on_delete="cascade").not_null()
    name: Column[str] = varchar("name", length=255).not_null()
    content: Column[str | None] = text("content")
    created_at: Column[datetime | None] = timestamp("created_at").default_now()
    project: One[Projects] = one()


TABLES = (Projects, Chats, Files)
