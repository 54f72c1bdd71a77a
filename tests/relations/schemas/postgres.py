"""Relation-test tables in PostgreSQL types (same class and column names as `schemas/sqlite.py`)."""

from __future__ import annotations

import sys
from datetime import datetime
from decimal import Decimal
from typing import Any

from mizzle.postgres import (
    Column,
    Table,
    bigint,
    boolean,
    bytea,
    double_precision,
    integer,
    json_,
    jsonb,
    numeric,
    primary_key,
    text,
    timestamp,
)

from . import seed001_postgres as seed001  # noqa: F401  (read as s.seed001)
from .shared import declare


class Members(Table, name="rel_members"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()


class Messages(Table, name="rel_messages"):
    id: Column[int] = integer().primary_key()
    body: Column[str] = text().not_null()
    author_id: Column[int] = integer().not_null().references(lambda: Members.id)
    editor_id: Column[int | None] = integer().references(lambda: Members.id)


class Employees(Table, name="rel_employees"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()
    manager_id: Column[int | None] = integer().references(lambda: Employees.id)


class People(Table, name="rel_people"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()


class Profiles(Table, name="rel_profiles"):
    id: Column[int] = integer().primary_key()
    person_id: Column[int] = integer().not_null().unique().references(lambda: People.id)
    bio: Column[str] = text().not_null()


class Groups(Table, name="rel_groups"):
    id: Column[int] = integer().primary_key()
    title: Column[str] = text().not_null()


class GroupMembers(Table, name="rel_group_members"):
    group_id: Column[int] = integer().not_null().references(lambda: Groups.id)
    person_id: Column[int] = integer().not_null().references(lambda: People.id)
    __constraints__ = (primary_key(group_id, person_id),)


class Follows(Table, name="rel_follows"):
    follower_id: Column[int] = integer().not_null().references(lambda: People.id)
    followee_id: Column[int] = integer().not_null().references(lambda: People.id)
    __constraints__ = (primary_key(follower_id, followee_id),)


class Boxes(Table, name="rel_boxes"):
    id: Column[int] = integer().primary_key()
    label: Column[str] = text().not_null()


class Things(Table, name="rel_things"):
    id: Column[int] = integer().primary_key()
    box_id: Column[int] = integer().not_null().references(lambda: Boxes.id)
    flag: Column[bool | None] = boolean()
    at: Column[datetime | None] = timestamp(with_timezone=True)
    at_ms: Column[datetime | None] = timestamp(with_timezone=True, precision=3)
    doc: Column[Any] = json_()
    doc_blob: Column[Any] = jsonb()
    raw: Column[bytes | None] = bytea()
    big: Column[int | None] = bigint()
    ratio: Column[float | None] = double_precision()
    amount: Column[Decimal | None] = numeric()
    count: Column[int | None] = bigint()
    note: Column[str | None] = text()


class Projects(Table, name="s4_projects"):
    id: Column[int] = integer("id").primary_key()
    name: Column[str] = text("name").not_null()
    settings: Column[dict[str, Any] | None] = jsonb("settings").default({})
    created_at: Column[datetime | None] = timestamp("created_at", with_timezone=True)


class Chats(Table, name="s4_chats"):
    id: Column[int] = integer("id").primary_key()
    project_id: Column[int] = integer("project_id").not_null().references(lambda: Projects.id)
    title: Column[str] = text("title").not_null()
    messages: Column[list[dict[str, str]] | None] = jsonb("messages").default([])
    created_at: Column[datetime] = timestamp("created_at", with_timezone=True).not_null()


class Files(Table, name="s4_files"):
    id: Column[int] = integer("id").primary_key()
    project_id: Column[int] = integer("project_id").not_null().references(lambda: Projects.id)
    path: Column[str] = text("path").not_null()


declare(sys.modules[__name__])

ALL = [Members, Messages, Employees, People, Profiles, Groups, GroupMembers, Follows, Boxes, Things]
SEED004 = [Projects, Chats, Files]
