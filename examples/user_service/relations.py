"""Seed 001's relations, declared once for either schema module (SQLite `schema.py`, MySQL `schema_mysql.py`)."""

from __future__ import annotations

from typing import Any

from mizzle import relations


def declare(t: Any) -> None:
    """Declare the seed's relations on the tables of module `t` (plus the workspace's users, keys and usage)."""
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
        "api_keys": r.many(t.ApiKeys),
        # not in the seed: the many-to-many shortcut over the junction table
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
