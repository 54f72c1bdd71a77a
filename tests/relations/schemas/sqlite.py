"""Relation-test tables in SQLite types (the classes of `tests/relations/models.py`, seed 001, seed 004)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from user_service import schema as seed001

from mizzle import relations
from mizzle.sqlite import Column, Table, integer, text

from ..models import (
    ALL,
    Boxes,
    Employees,
    Follows,
    GroupMembers,
    Groups,
    Members,
    Messages,
    People,
    Profiles,
    Things,
)


class Projects(Table, name="s4_projects"):
    id: Column[int] = integer("id").primary_key()
    name: Column[str] = text("name").not_null()
    settings: Column[dict[str, Any] | None] = text("settings", mode="json").default({})
    created_at: Column[datetime | None] = integer("created_at", mode="timestamp")


class Chats(Table, name="s4_chats"):
    id: Column[int] = integer("id").primary_key()
    project_id: Column[int] = integer("project_id").not_null().references(lambda: Projects.id)
    title: Column[str] = text("title").not_null()
    messages: Column[list[dict[str, str]] | None] = text("messages", mode="json").default([])
    created_at: Column[datetime] = integer("created_at", mode="timestamp").not_null()


class Files(Table, name="s4_files"):
    id: Column[int] = integer("id").primary_key()
    project_id: Column[int] = integer("project_id").not_null().references(lambda: Projects.id)
    path: Column[str] = text("path").not_null()


relations(Projects, lambda r: {"chats": r.many(Chats), "files": r.many(Files)})
relations(Chats, lambda r: {"project": r.one(Projects, fields=[Chats.project_id], references=[Projects.id])})
relations(Files, lambda r: {"project": r.one(Projects, fields=[Files.project_id], references=[Projects.id])})

SEED004 = [Projects, Chats, Files]

__all__ = ["ALL", "SEED004", "Boxes", "Chats", "Employees", "Files", "Follows", "GroupMembers", "Groups", "Members",
           "Messages", "People", "Profiles", "Projects", "Things", "seed001"]
