"""Seed 001's `UserService`, line for line on mizzle (lookups are prepared once per database)."""

from __future__ import annotations

from types import ModuleType
from typing import TypedDict, cast

import mizzle
from mizzle import eq, placeholder
from mizzle.session.sync import Database

from . import schema
from .schema import Users, now


class GithubProfile(TypedDict):
    """What GitHub OAuth tells us about a user."""

    email: str
    name: str
    avatar_url: str
    github_id: str


def create_sqlite_client(path: str = ":memory:") -> Database:
    """A database on `path` with the seed's schema available as `db.query.<table>`."""
    return mizzle.connect(path, schema=schema)


class UserService:
    """Create and look up users; upsert them from a GitHub login."""

    def __init__(self, db: Database, tables: ModuleType = schema) -> None:
        self.db = db
        self.users = u = cast("type[Users]", tables.Users)  # schema_mysql mirrors schema column for column
        users = db.query(u)
        self._by_id = users.find_first(where=eq(u.id, placeholder("id"))).prepare()
        self._by_email = users.find_first(where=eq(u.email, placeholder("email"))).prepare()
        self._by_github = users.find_first(where=eq(u.github_id, placeholder("github_id"))).prepare()

    def create(self, email: str, name: str, avatar_url: str | None = None, github_id: str | None = None) -> Users:
        """Insert a user and return it."""
        return self.db.insert(self.users).values(
            email=email, name=name, avatar_url=avatar_url, github_id=github_id
        ).returning().one()

    def find_by_id(self, id: str) -> Users | None:
        """The user with this id, or None."""
        return self._by_id.get(id=id)

    def find_by_email(self, email: str) -> Users | None:
        """The user with this email, or None."""
        return self._by_email.get(email=email)

    def find_by_github_id(self, github_id: str) -> Users | None:
        """The user linked to this GitHub account, or None."""
        return self._by_github.get(github_id=github_id)

    def upsert_from_github(self, data: GithubProfile) -> Users:
        """Update name/avatar of the user with this GitHub id, or create the user."""
        existing = self.find_by_github_id(data["github_id"])
        if existing is not None:
            u = self.users
            return self.db.update(u).set(
                name=data["name"], avatar_url=data["avatar_url"], updated_at=now()
            ).where(eq(u.id, existing.id)).returning().one()
        return self.create(data["email"], data["name"], data["avatar_url"], data["github_id"])
