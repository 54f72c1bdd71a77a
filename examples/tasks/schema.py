"""Seed 002 schema, line for line, and its one relations() call (many sides only).

`tasksRelations` declares four `many(...)` and no `one(...)` back; Drizzle rejects that at query
time. mizzle infers each link from the child's single foreign key to `tasks`.
"""

from __future__ import annotations

from mizzle import relations, sql
from mizzle.sqlite import Column, Table, index, integer, primary_key, text


class Tasks(Table, name="tasks"):
    id: Column[str] = text("id").primary_key()
    name: Column[str] = text("name").not_null()
    description: Column[str | None] = text("description")
    branch_name: Column[str] = text("branch_name").not_null()
    status: Column[str] = text("status").not_null().default("pending")
    priority: Column[int | None] = integer("priority").default(0)
    current_iteration: Column[int | None] = integer("current_iteration").default(0)
    max_iterations: Column[int | None] = integer("max_iterations").default(10)
    worktree_path: Column[str | None] = text("worktree_path")
    metadata_path: Column[str | None] = text("metadata_path")
    provider_id: Column[str | None] = text("provider_id")
    created_at: Column[str | None] = text("created_at").default(sql("CURRENT_TIMESTAMP"))
    updated_at: Column[str | None] = text("updated_at").default(sql("CURRENT_TIMESTAMP"))
    started_at: Column[str | None] = text("started_at")
    completed_at: Column[str | None] = text("completed_at")
    __constraints__ = (index("idx_tasks_status").on(status), index("idx_tasks_priority").on(priority))


class Stories(Table, name="stories"):
    id: Column[str] = text("id").not_null()
    task_id: Column[str] = text("task_id").not_null().references(lambda: Tasks.id, on_delete="cascade")
    title: Column[str] = text("title").not_null()
    description: Column[str | None] = text("description")
    acceptance_criteria: Column[str | None] = text("acceptance_criteria")  # JSON
    priority: Column[int | None] = integer("priority").default(1)
    passes: Column[int | None] = integer("passes").default(0)
    iteration_completed: Column[int | None] = integer("iteration_completed")
    __constraints__ = (primary_key(task_id, id), index("idx_stories_task").on(task_id))


class Sessions(Table, name="sessions"):
    id: Column[str] = text("id").primary_key()
    task_id: Column[str] = text("task_id").not_null().references(lambda: Tasks.id, on_delete="cascade")
    name: Column[str | None] = text("name")
    session_id: Column[str | None] = text("session_id")
    stream_id: Column[str | None] = text("stream_id")
    mode: Column[str | None] = text("mode").default("agent")
    messages: Column[str | None] = text("messages").default("[]")
    is_active: Column[int | None] = integer("is_active").default(0)
    created_at: Column[str | None] = text("created_at").default(sql("CURRENT_TIMESTAMP"))
    updated_at: Column[str | None] = text("updated_at").default(sql("CURRENT_TIMESTAMP"))


class Iterations(Table, name="iterations"):
    id: Column[int] = integer("id").primary_key(autoincrement=True)
    task_id: Column[str] = text("task_id").not_null().references(lambda: Tasks.id, on_delete="cascade")
    iteration_number: Column[int] = integer("iteration_number").not_null()
    story_id: Column[str | None] = text("story_id")
    status: Column[str | None] = text("status")
    duration_seconds: Column[int | None] = integer("duration_seconds")
    error_message: Column[str | None] = text("error_message")
    files_changed: Column[str | None] = text("files_changed")
    created_at: Column[str | None] = text("created_at").default(sql("CURRENT_TIMESTAMP"))


class Patterns(Table, name="patterns"):
    id: Column[int] = integer("id").primary_key(autoincrement=True)
    task_id: Column[str | None] = text("task_id").references(lambda: Tasks.id, on_delete="set null")
    pattern: Column[str] = text("pattern").not_null()
    category: Column[str | None] = text("category")
    source_file: Column[str | None] = text("source_file")
    created_at: Column[str | None] = text("created_at").default(sql("CURRENT_TIMESTAMP"))
    promoted_at: Column[str | None] = text("promoted_at")


class Providers(Table, name="providers"):
    id: Column[str] = text("id").primary_key()
    name: Column[str] = text("name").not_null()
    cli: Column[str] = text("cli").not_null()
    install_command: Column[str | None] = text("install_command")
    auto_approve_flag: Column[str | None] = text("auto_approve_flag")
    resume_flag: Column[str | None] = text("resume_flag")
    plan_activate_command: Column[str | None] = text("plan_activate_command")
    icon: Column[str | None] = text("icon")
    is_installed: Column[int | None] = integer("is_installed").default(0)
    installed_version: Column[str | None] = text("installed_version")
    last_checked_at: Column[str | None] = text("last_checked_at")


class TaskFiles(Table, name="task_files"):
    """Not in the seed: what `sync` last saw of each task file (to tell who changed what since)."""

    task_id: Column[str] = text("task_id").primary_key()
    path: Column[str] = text("path").not_null()
    file_hash: Column[str | None] = text("file_hash")
    db_hash: Column[str | None] = text("db_hash")
    mtime_ns: Column[int | None] = integer("mtime_ns")
    size: Column[int | None] = integer("size")
    synced_at: Column[str | None] = text("synced_at").default(sql("CURRENT_TIMESTAMP"))


tasks_relations = relations(Tasks, lambda r: {
    "stories": r.many(Stories),
    "sessions": r.many(Sessions),
    "iterations": r.many(Iterations),
    "patterns": r.many(Patterns),
})

TABLES = [Tasks, Stories, Sessions, Iterations, Patterns, Providers, TaskFiles]
