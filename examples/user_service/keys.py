"""API keys: issue (the secret is shown once; only its SHA-256 and a prefix are stored), verify, list, revoke."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import ModuleType
from typing import cast

from mizzle import and_, desc, eq, is_null, placeholder
from mizzle.session.sync import Database

from . import schema
from .schema import ApiKeys, now

PREFIX_LEN = 12  # "sk_" + 9 characters: enough to tell keys apart in a list, useless to an attacker


@dataclass(frozen=True)
class IssuedKey:
    """A new key: `secret` is returned once and never stored."""

    id: str
    name: str
    prefix: str
    secret: str
    expires_at: datetime | None


def hash_secret(secret: str) -> str:
    """The stored form of a secret (API keys are long random strings: a fast hash is the right one)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiKeyService:
    """Issue, verify, list and revoke API keys of a workspace."""

    def __init__(self, db: Database, tables: ModuleType = schema, clock: Callable[[], datetime] = now) -> None:
        self.db = db
        self.keys = cast("type[ApiKeys]", tables.ApiKeys)  # schema_mysql mirrors schema column for column
        self.clock = clock
        k = self.keys
        self._by_hash = db.select().from_(k).where(eq(k.hashed_key, placeholder("hashed"))).prepare()

    def issue(self, *, user_id: str, workspace_id: str, name: str, expires_in: timedelta | None = None) -> IssuedKey:
        """Create a key for `user_id` in `workspace_id`; the returned secret is the only copy."""
        secret = "sk_" + secrets.token_urlsafe(32)
        expires_at = self.clock() + expires_in if expires_in is not None else None
        row = self.db.insert(self.keys).values(
            user_id=user_id, workspace_id=workspace_id, name=name, hashed_key=hash_secret(secret),
            prefix=secret[:PREFIX_LEN], expires_at=expires_at,
        ).returning(self.keys.id).one()
        return IssuedKey(row[0], name, secret[:PREFIX_LEN], secret, expires_at)

    def verify(self, secret: str) -> ApiKeys | None:
        """The key row if `secret` is a live key (not revoked, not expired); records its use. None otherwise."""
        hashed = hash_secret(secret)
        row = self._by_hash.get(hashed=hashed)
        # the lookup is by hash (an attacker cannot steer it); the compare is constant-time anyway
        if row is None or not hmac.compare_digest(row.hashed_key, hashed):
            return None
        at = self.clock()
        if row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= at):
            return None
        k = self.keys
        self.db.update(k).set(last_used_at=at).where(eq(k.id, row.id)).run()
        return self.db.select().from_(k).where(eq(k.id, row.id)).one()

    def list(self, workspace_id: str, *, include_revoked: bool = False) -> list[ApiKeys]:
        """The workspace's keys, newest first (hashes included; show `prefix` to people)."""
        k = self.keys
        cond = eq(k.workspace_id, workspace_id)
        if not include_revoked:
            cond = and_(cond, is_null(k.revoked_at))
        return self.db.select().from_(k).where(cond).order_by(desc(k.created_at), k.id).all()

    def revoke(self, workspace_id: str, key_id: str) -> bool:
        """Revoke a key of this workspace; False if there is no such live key there."""
        k = self.keys
        done = self.db.update(k).set(revoked_at=self.clock()).where(
            and_(eq(k.id, key_id), eq(k.workspace_id, workspace_id), is_null(k.revoked_at))).run()
        return done.rows_affected == 1
