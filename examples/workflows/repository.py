"""15.5: `WorkflowRepository`, method for method as in the seed (soft-deleted rows are hidden)."""

from __future__ import annotations

from typing import Any

from mizzle import and_, desc, eq, is_null
from mizzle.session.sync import Database

from .schema import NewWorkflow, Workflow, Workflows, WorkflowStatus, now


class WorkflowRepository:
    """Create, find, update the status of, and soft-delete workflows."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def create(self, data: NewWorkflow) -> Workflow:
        """Insert a workflow and return it with its defaults filled in."""
        return self.db.insert(Workflows).values(dict(data)).returning().one()

    def find_by_id(self, id: str) -> Workflow | None:
        """The workflow with this id unless it was soft-deleted."""
        return (
            self.db.select()
            .from_(Workflows)
            .where(and_(eq(Workflows.id, id), is_null(Workflows.deleted_at)))
            .limit(1)
            .get()
        )

    def find_by_user_id(self, user_id: str) -> list[Workflow]:
        """A user's workflows that are not soft-deleted, newest first."""
        return (
            self.db.select()
            .from_(Workflows)
            .where(and_(eq(Workflows.user_id, user_id), is_null(Workflows.deleted_at)))
            .order_by(desc(Workflows.created_at))
            .all()
        )

    def update_status(self, id: str, status: WorkflowStatus, error_log: str | None = None) -> Workflow | None:
        """Set the status (and error log when given); `completed_at` is stamped only for COMPLETED."""
        stamp = now()
        changes: dict[str, Any] = {"status": status, "updated_at": stamp}
        if error_log is not None:  # drizzle skips `undefined` values in set()
            changes["error_log"] = error_log
        if status == "COMPLETED":
            changes["completed_at"] = stamp
        return self.db.update(Workflows).set(changes).where(eq(Workflows.id, id)).returning().get()

    def soft_delete(self, id: str) -> None:
        """Hide a workflow from the finders (sets `deleted_at`)."""
        self.db.update(Workflows).set(deleted_at=now()).where(eq(Workflows.id, id)).run()
