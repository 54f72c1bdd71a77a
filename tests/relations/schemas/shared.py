"""The relations of the relation-test tables, declared the same way on every server dialect.

`tests/relations/models.py` spells them out for SQLite; `declare(namespace)` repeats them for the
PostgreSQL and MySQL modules (a namespace holding classes with the same names).
"""

from __future__ import annotations

from typing import Any

from mizzle import relations


def declare(t: Any) -> None:
    """Register the relations of `t.Members`, `t.Messages`, ... `t.Projects`, `t.Chats`, `t.Files`."""
    relations(t.Members, lambda r: {
        "written": r.many(t.Messages, relation_name="author"),
        "edited": r.many(t.Messages, relation_name="editor"),
    })
    relations(t.Messages, lambda r: {
        "author": r.one(t.Members, fields=[t.Messages.author_id], references=[t.Members.id], relation_name="author"),
        "editor": r.one(t.Members, fields=[t.Messages.editor_id], references=[t.Members.id], relation_name="editor"),
    })
    relations(t.Employees, lambda r: {
        "manager": r.one(t.Employees, fields=[t.Employees.manager_id], references=[t.Employees.id],
                         relation_name="mgr"),
        "reports": r.many(t.Employees, relation_name="mgr"),
    })
    relations(t.People, lambda r: {
        "profile": r.one(t.Profiles),  # the optional side: inferred from Profiles.person_id
        "groups": r.many(t.Groups, through=t.GroupMembers),
        "memberships": r.many(t.GroupMembers),
        "following": r.many(t.People, through=(t.Follows.follower_id, t.Follows.followee_id)),
        "followers": r.many(t.People, through=(t.Follows.followee_id, t.Follows.follower_id)),
    })
    relations(t.Profiles, lambda r: {
        "person": r.one(t.People, fields=[t.Profiles.person_id], references=[t.People.id])})
    relations(t.Groups, lambda r: {"people": r.many(t.People, through=t.GroupMembers),
                                   "memberships": r.many(t.GroupMembers)})
    relations(t.GroupMembers, lambda r: {
        "group": r.one(t.Groups, fields=[t.GroupMembers.group_id], references=[t.Groups.id]),
        "person": r.one(t.People, fields=[t.GroupMembers.person_id], references=[t.People.id]),
    })
    relations(t.Boxes, lambda r: {
        "things": r.many(t.Things),
        "first_thing": r.one(t.Things, fields=[t.Boxes.id], references=[t.Things.box_id]),
    })
    relations(t.Things, lambda r: {
        "box": r.one(t.Boxes, fields=[t.Things.box_id], references=[t.Boxes.id]),
        "same": r.one(t.Things, fields=[t.Things.id], references=[t.Things.id], relation_name="same"),
    })
    relations(t.Projects, lambda r: {"chats": r.many(t.Chats), "files": r.many(t.Files)})
    relations(t.Chats, lambda r: {
        "project": r.one(t.Projects, fields=[t.Chats.project_id], references=[t.Projects.id])})
    relations(t.Files, lambda r: {
        "project": r.one(t.Projects, fields=[t.Files.project_id], references=[t.Projects.id])})


def declare_seed001(t: Any) -> None:
    """Seed 001's relations (as `examples/user_service/schema.py` declares them) for `t.Users`, ..."""
    relations(t.Users, lambda r: {
        "workspaces": r.many(t.Workspaces),
        "memberships": r.many(t.WorkspaceMembers),
        "sessions": r.many(t.Sessions),
        "api_keys": r.many(t.ApiKeys),
        "usage_logs": r.many(t.UsageLogs),
    })
    relations(t.Workspaces, lambda r: {
        "owner": r.one(t.Users, fields=[t.Workspaces.owner_id], references=[t.Users.id]),
        "members": r.many(t.WorkspaceMembers),
        "sessions": r.many(t.Sessions),
        "usage_logs": r.many(t.UsageLogs),
        "users": r.many(t.Users, through=t.WorkspaceMembers),
    })
    relations(t.WorkspaceMembers, lambda r: {
        "workspace": r.one(t.Workspaces, fields=[t.WorkspaceMembers.workspace_id], references=[t.Workspaces.id]),
        "user": r.one(t.Users, fields=[t.WorkspaceMembers.user_id], references=[t.Users.id]),
    })
    relations(t.Sessions, lambda r: {
        "user": r.one(t.Users, fields=[t.Sessions.user_id], references=[t.Users.id]),
        "workspace": r.one(t.Workspaces, fields=[t.Sessions.workspace_id], references=[t.Workspaces.id]),
    })
