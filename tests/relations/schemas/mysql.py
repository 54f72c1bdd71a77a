"""Relation-test tables in MySQL/MariaDB types (same class and column names as `schemas/sqlite.py`)."""

from __future__ import annotations

import sys
from datetime import datetime
from decimal import Decimal
from typing import Any

from mizzle.mysql import (
    Column,
    Table,
    bigint,
    blob,
    boolean,
    decimal,
    double,
    int_,
    json,
    primary_key,
    text,
    timestamp,
    varchar,
)

from . import seed001_mysql as seed001  # noqa: F401  (read as s.seed001)
from .shared import declare


class Members(Table, name="rel_members"):
    id: Column[int] = int_().primary_key()
    name: Column[str] = varchar(length=50).not_null()


class Messages(Table, name="rel_messages"):
    id: Column[int] = int_().primary_key()
    body: Column[str] = text().not_null()
    author_id: Column[int] = int_().not_null().references(lambda: Members.id)
    editor_id: Column[int | None] = int_().references(lambda: Members.id)


class Employees(Table, name="rel_employees"):
    id: Column[int] = int_().primary_key()
    name: Column[str] = varchar(length=50).not_null()
    manager_id: Column[int | None] = int_().references(lambda: Employees.id)


class People(Table, name="rel_people"):
    id: Column[int] = int_().primary_key()
    name: Column[str] = varchar(length=50).not_null()


class Profiles(Table, name="rel_profiles"):
    id: Column[int] = int_().primary_key()
    person_id: Column[int] = int_().not_null().unique().references(lambda: People.id)
    bio: Column[str] = text().not_null()


class Groups(Table, name="rel_groups"):
    id: Column[int] = int_().primary_key()
    title: Column[str] = text().not_null()


class GroupMembers(Table, name="rel_group_members"):
    group_id: Column[int] = int_().not_null().references(lambda: Groups.id)
    person_id: Column[int] = int_().not_null().references(lambda: People.id)
    __constraints__ = (primary_key(group_id, person_id),)


class Follows(Table, name="rel_follows"):
    follower_id: Column[int] = int_().not_null().references(lambda: People.id)
    followee_id: Column[int] = int_().not_null().references(lambda: People.id)
    __constraints__ = (primary_key(follower_id, followee_id),)


class Boxes(Table, name="rel_boxes"):
    id: Column[int] = int_().primary_key()
    label: Column[str] = text().not_null()


class Things(Table, name="rel_things"):
    id: Column[int] = int_().primary_key()
    box_id: Column[int] = int_().not_null().references(lambda: Boxes.id)
    flag: Column[bool | None] = boolean()
    at: Column[datetime | None] = timestamp()
    at_ms: Column[datetime | None] = timestamp(fsp=3)
    doc: Column[Any] = json()
    doc_blob: Column[Any] = json()
    raw: Column[bytes | None] = blob()
    big: Column[int | None] = bigint()
    ratio: Column[float | None] = double()
    amount: Column[Decimal | None] = decimal(precision=20, scale=6)
    count: Column[int | None] = bigint()
    note: Column[str | None] = text()


class Projects(Table, name="s4_projects"):
    id: Column[int] = int_("id").primary_key()
    name: Column[str] = text("name").not_null()
    settings: Column[dict[str, Any] | None] = json("settings").default({})
    created_at: Column[datetime | None] = timestamp("created_at")


class Chats(Table, name="s4_chats"):
    id: Column[int] = int_("id").primary_key()
    project_id: Column[int] = int_("project_id").not_null().references(lambda: Projects.id)
    title: Column[str] = text("title").not_null()
    messages: Column[list[dict[str, str]] | None] = json("messages").default([])
    created_at: Column[datetime] = timestamp("created_at").not_null()


class Files(Table, name="s4_files"):
    id: Column[int] = int_("id").primary_key()
    project_id: Column[int] = int_("project_id").not_null().references(lambda: Projects.id)
    path: Column[str] = text("path").not_null()


declare(sys.modules[__name__])

ALL = [Members, Messages, Employees, People, Profiles, Groups, GroupMembers, Follows, Boxes, Things]
SEED004 = [Projects, Chats, Files]
