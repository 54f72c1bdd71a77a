"""Opening the task store (migrations applied at open, as the seed's getDatabase does) and loading a task
with everything that hangs off it, in one statement."""

from __future__ import annotations

from pathlib import Path

import mizzle
from mizzle import desc, eq
from mizzle.session.sync import Database

from . import schema
from .schema import Iterations, Stories, Tasks

MIGRATIONS = Path(__file__).resolve().parent / "drizzle"


def get_database(path: str) -> Database:
    """Open the task store and apply the committed migrations (`drizzle/`, drizzle-kit's format) it lacks."""
    if "://" not in path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = mizzle.connect(path, schema=schema)
    mizzle.migrate(db, MIGRATIONS)
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
