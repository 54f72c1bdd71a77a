"""15.6: sync an embedded replica and record the outcome per table in `sync_metadata`."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from mizzle import eq
from mizzle.errors import MizzleError, UnreachableError
from mizzle.session.sync import Database

from .schema import SyncMetadata, SyncStatus, Workflows, now

SYNCED_TABLES: tuple[str, ...] = (Workflows.__table__.name, "user_settings")


def _mark(db: Database, tables: Sequence[str], status: SyncStatus, *, synced: bool = False) -> None:
    for name in tables:
        changes: dict[str, object] = {"sync_status": status}
        if synced:
            changes["last_sync_at"] = now()
        if db.update(SyncMetadata).set(changes).where(eq(SyncMetadata.table_name, name)).run().rows_affected == 0:
            db.insert(SyncMetadata).values({"table_name": name, **changes}).run()


def sync_now(db: Database, tables: Sequence[str] = SYNCED_TABLES) -> bool:
    """`client.sync()` with bookkeeping: SYNCING, then COMPLETED (+ last_sync_at) or FAILED; True on success.

    On an embedded replica `sync_metadata` is replicated like every table, so its writes go to the
    server too: while the server is unreachable nothing can be recorded, and the rows keep saying
    when the last successful sync happened (False is returned all the same)."""
    try:
        _mark(db, tables, "SYNCING")
        db.sync()
    except MizzleError:
        with contextlib.suppress(UnreachableError):  # an offline replica cannot write the bookkeeping either
            _mark(db, tables, "FAILED")
        return False
    _mark(db, tables, "COMPLETED", synced=True)
    return True
