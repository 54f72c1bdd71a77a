"""Loading a task with everything that hangs off it, in one statement."""

from __future__ import annotations

import mizzle
from mizzle import desc, eq
from mizzle.session.sync import Database

from . import schema
from .schema import Iterations, Stories, Tasks


def get_database(path: str) -> Database:
    """Open the task store (tables created if missing; the seed runs drizzle migrations here)."""
    db = mizzle.connect(path, schema=schema)
    mizzle.create_all(db, schema.TABLES)
    return db


def load_task(db: Database, task_id: str) -> Tasks | None:
    """The task with its stories (by priority), sessions, iterations (latest first) and patterns."""
    return db.query.tasks.find_first(
        where=eq(Tasks.id, task_id),
        with_={
            "stories": {"order_by": [Stories.priority, Stories.id]},
            "sessions": True,
            "iterations": {"order_by": desc(Iterations.iteration_number)},
            "patterns": True,
        },
    ).get()
