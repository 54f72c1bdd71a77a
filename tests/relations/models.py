"""Tables for the relation tests: authors/editors, self-relations, one-to-one, many-to-many, every mode."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from mizzle import relations
from mizzle.sqlite import Column, Table, blob, integer, numeric, primary_key, real, text


class Members(Table, name="rel_members"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()


class Messages(Table, name="rel_messages"):
    id: Column[int] = integer().primary_key()
    body: Column[str] = text().not_null()
    author_id: Column[int] = integer().not_null().references(lambda: Members.id)
    editor_id: Column[int | None] = integer().references(lambda: Members.id)


relations(Members, lambda r: {
    "written": r.many(Messages, relation_name="author"),
    "edited": r.many(Messages, relation_name="editor"),
})
relations(Messages, lambda r: {
    "author": r.one(Members, fields=[Messages.author_id], references=[Members.id], relation_name="author"),
    "editor": r.one(Members, fields=[Messages.editor_id], references=[Members.id], relation_name="editor"),
})


class Employees(Table, name="rel_employees"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()
    manager_id: Column[int | None] = integer().references(lambda: Employees.id)


relations(Employees, lambda r: {
    "manager": r.one(Employees, fields=[Employees.manager_id], references=[Employees.id], relation_name="mgr"),
    "reports": r.many(Employees, relation_name="mgr"),
})


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


relations(People, lambda r: {
    "profile": r.one(Profiles),  # the optional side: inferred from Profiles.person_id
    "groups": r.many(Groups, through=GroupMembers),
    "memberships": r.many(GroupMembers),
    "following": r.many(People, through=(Follows.follower_id, Follows.followee_id)),
    "followers": r.many(People, through=(Follows.followee_id, Follows.follower_id)),
})
relations(Profiles, lambda r: {"person": r.one(People, fields=[Profiles.person_id], references=[People.id])})
relations(Groups, lambda r: {"people": r.many(People, through=GroupMembers), "memberships": r.many(GroupMembers)})
relations(GroupMembers, lambda r: {
    "group": r.one(Groups, fields=[GroupMembers.group_id], references=[Groups.id]),
    "person": r.one(People, fields=[GroupMembers.person_id], references=[People.id]),
})


class Boxes(Table, name="rel_boxes"):
    id: Column[int] = integer().primary_key()
    label: Column[str] = text().not_null()


class Things(Table, name="rel_things"):
    id: Column[int] = integer().primary_key()
    box_id: Column[int] = integer().not_null().references(lambda: Boxes.id)
    flag: Column[bool | None] = integer(mode="boolean")
    at: Column[datetime | None] = integer(mode="timestamp")
    at_ms: Column[datetime | None] = integer(mode="timestamp_ms")
    doc: Column[Any] = text(mode="json")
    doc_blob: Column[Any] = blob(mode="json")
    raw: Column[bytes | None] = blob()
    big: Column[int | None] = blob(mode="bigint")
    ratio: Column[float | None] = real()
    amount: Column[Decimal | None] = numeric(mode="decimal")
    count: Column[int | None] = integer()
    note: Column[str | None] = text()


relations(Boxes, lambda r: {"things": r.many(Things), "first_thing": r.one(Things, fields=[Boxes.id],
                                                                             references=[Things.box_id])})
relations(Things, lambda r: {
    "box": r.one(Boxes, fields=[Things.box_id], references=[Boxes.id]),
    "same": r.one(Things, fields=[Things.id], references=[Things.id], relation_name="same"),  # itself, on its key
})

ALL = [Members, Messages, Employees, People, Profiles, Groups, GroupMembers, Follows, Boxes, Things]
