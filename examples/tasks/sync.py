"""Task files on disk <-> the task tables, both directions (the seed's `lib/db/sync.ts`).

A task file is `<dir>/<task id>.json` (the shape of a Ralph `prd.json`):

    {"id": "t1", "name": "Login page", "description": null, "branchName": "feature/login",
     "status": "pending", "priority": 0, "maxIterations": 10,
     "stories": [{"id": "s1", "title": "Form", "description": null, "acceptanceCriteria": ["..."],
                  "priority": 1, "passes": false}]}

`sync(db, dir)` compares each side with what the previous sync recorded (`task_files`: content hash of
the file and of the database's rendering, plus the file's mtime and size):

- changed on disk only -> imported into the database;   new file -> inserted;
- changed in the database only -> exported to the file; new task -> file written;
- deleted on one side and unchanged on the other -> deleted on the other side too;
- changed on both sides (or deleted on one, changed on the other) -> a conflict, reported, nothing overwritten;
- a file that is not a valid task -> reported with what is wrong, nothing touched.

One sync is one transaction; files are written atomically (temporary file + rename) before it commits,
so an interrupted sync leaves either the old state or files that the next sync recognises as already in
the database. Running it again with no changes does nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mizzle import and_, eq, not_in_array
from mizzle.session.sync import Database

from .schema import Stories, TaskFiles, Tasks

TASK_FIELDS = {"name": "name", "description": "description", "branchName": "branch_name", "status": "status",
               "priority": "priority", "maxIterations": "max_iterations"}
STORY_FIELDS = {"title": "title", "description": "description", "priority": "priority"}


class TaskFileError(ValueError):
    """A task file that cannot be read as a task: what is wrong with it."""


@dataclass
class SyncReport:
    """What one sync did (task ids), and what it refused to do."""

    imported: list[str] = field(default_factory=list)
    exported: list[str] = field(default_factory=list)
    deleted_in_db: list[str] = field(default_factory=list)
    deleted_files: list[str] = field(default_factory=list)
    conflicts: list[tuple[str, str]] = field(default_factory=list)  # (task id, why)
    invalid: list[tuple[str, str]] = field(default_factory=list)  # (file, what is wrong)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.imported or self.exported or self.deleted_in_db or self.deleted_files)

    def lines(self) -> list[str]:
        out = [f"{what}: {', '.join(ids)}" for what, ids in (
            ("imported", self.imported), ("exported", self.exported), ("deleted in the database", self.deleted_in_db),
            ("deleted files", self.deleted_files)) if ids]
        out += [f"conflict: {tid}: {why}" for tid, why in self.conflicts]
        out += [f"invalid file: {f}: {why}" for f, why in self.invalid]
        out.append(f"{self.unchanged} unchanged")
        return out


def canonical(doc: dict[str, Any]) -> str:
    """The one text form of a task document (what files are written as, and what hashes are taken of)."""
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def digest(doc: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(doc).encode()).hexdigest()


def parse_task_file(path: Path) -> dict[str, Any]:
    """A task file's document in canonical field order, or TaskFileError saying what is wrong."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise TaskFileError(f"cannot read it ({exc})") from None
    except json.JSONDecodeError as exc:
        raise TaskFileError(f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    if not isinstance(raw, dict):
        raise TaskFileError("the top level must be an object")
    doc: dict[str, Any] = raw
    if doc.get("id") != path.stem:
        raise TaskFileError(f"its id {doc.get('id')!r} does not match the file name {path.stem!r}")
    for key in ("name", "branchName"):
        if not isinstance(doc.get(key), str) or not doc[key]:
            raise TaskFileError(f"{key!r} must be a non-empty string")
    stories = doc.get("stories", [])
    if not isinstance(stories, list):
        raise TaskFileError("'stories' must be a list")
    seen: set[str] = set()
    out_stories: list[dict[str, Any]] = []
    for i, s in enumerate(stories):
        if not isinstance(s, dict) or not isinstance(s.get("id"), str) or not isinstance(s.get("title"), str):
            raise TaskFileError(f"stories[{i}] needs a string 'id' and 'title'")
        if s["id"] in seen:
            raise TaskFileError(f"stories[{i}]: duplicate story id {s['id']!r}")
        seen.add(s["id"])
        criteria = s.get("acceptanceCriteria", [])
        if not isinstance(criteria, list):
            raise TaskFileError(f"stories[{i}].acceptanceCriteria must be a list")
        out_stories.append({"id": s["id"], "title": s["title"], "description": s.get("description"),
                            "acceptanceCriteria": criteria, "priority": s.get("priority", 1),
                            "passes": bool(s.get("passes", False))})
    return {"id": doc["id"], "name": doc["name"], "description": doc.get("description"),
            "branchName": doc["branchName"], "status": doc.get("status", "pending"),
            "priority": doc.get("priority", 0), "maxIterations": doc.get("maxIterations", 10),
            "stories": out_stories}


def render_task(db: Database, task: Tasks) -> dict[str, Any]:
    """The task as a document, from the database."""
    stories = db.select().from_(Stories).where(eq(Stories.task_id, task.id)).order_by(Stories.priority, Stories.id).all()
    doc: dict[str, Any] = {"id": task.id}
    for key, attr in TASK_FIELDS.items():
        doc[key] = getattr(task, attr)
    doc["stories"] = [{"id": s.id, "title": s.title, "description": s.description,
                       "acceptanceCriteria": json.loads(s.acceptance_criteria or "[]"),
                       "priority": s.priority, "passes": bool(s.passes)} for s in stories]
    return parse_like(doc)


def parse_like(doc: dict[str, Any]) -> dict[str, Any]:
    """A document from the database in the same canonical order and defaults as a parsed file."""
    stories = sorted(doc["stories"], key=lambda s: (s["priority"] if s["priority"] is not None else 0, s["id"]))
    return {"id": doc["id"], "name": doc["name"], "description": doc["description"], "branchName": doc["branchName"],
            "status": doc["status"], "priority": doc["priority"], "maxIterations": doc["maxIterations"],
            "stories": stories}


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _import(db: Database, doc: dict[str, Any]) -> None:
    values = {attr: doc[key] for key, attr in TASK_FIELDS.items()}
    db.insert(Tasks).values(id=doc["id"], **values).on_conflict_do_update(target=Tasks.id, set=values).run()
    ids = [s["id"] for s in doc["stories"]]
    gone = and_(eq(Stories.task_id, doc["id"]), not_in_array(Stories.id, ids)) if ids else eq(Stories.task_id, doc["id"])
    db.delete(Stories).where(gone).run()
    for s in doc["stories"]:
        story = {"title": s["title"], "description": s["description"], "priority": s["priority"],
                 "passes": int(s["passes"]), "acceptance_criteria": json.dumps(s["acceptanceCriteria"])}
        db.insert(Stories).values(task_id=doc["id"], id=s["id"], **story).on_conflict_do_update(
            target=[Stories.task_id, Stories.id], set=story).run()


def _record(db: Database, task_id: str, path: Path, file_hash: str | None, db_hash: str | None) -> None:
    st = path.stat() if path.exists() else None
    values = {"path": path.name, "file_hash": file_hash, "db_hash": db_hash,
              "mtime_ns": st.st_mtime_ns if st else None, "size": st.st_size if st else None}
    db.insert(TaskFiles).values(task_id=task_id, **values).on_conflict_do_update(
        target=TaskFiles.task_id, set=values).run()


def sync(db: Database, folder: str | Path) -> SyncReport:
    """Synchronise the task files in `folder` with the database, both ways (see the module docstring)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    report = SyncReport()
    with db.transaction("immediate") as tx:
        state = {r.task_id: r for r in tx.select().from_(TaskFiles).all()}
        tasks = {t.id: t for t in tx.select().from_(Tasks).all()}
        files = {p.stem: p for p in folder.glob("*.json") if not p.name.startswith(".")}
        for task_id in sorted(set(state) | set(tasks) | set(files)):
            path = files.get(task_id, folder / f"{task_id}.json")
            seen = state.get(task_id)
            # the file side: unchanged by mtime+size (no read), else by content hash
            file_doc: dict[str, Any] | None = None
            file_hash: str | None = None
            if task_id in files:
                st = path.stat()
                if seen is not None and seen.mtime_ns == st.st_mtime_ns and seen.size == st.st_size:
                    file_hash = seen.file_hash
                else:
                    try:
                        file_doc = parse_task_file(path)
                    except TaskFileError as exc:
                        report.invalid.append((path.name, str(exc)))
                        continue
                    file_hash = digest(file_doc)
            db_doc = render_task(tx, tasks[task_id]) if task_id in tasks else None
            db_hash = digest(db_doc) if db_doc is not None else None
            if file_hash is None and db_hash is None:  # gone from both sides: forget it
                tx.delete(TaskFiles).where(eq(TaskFiles.task_id, task_id)).run()
                continue
            file_changed = file_hash != (seen.file_hash if seen else None)
            db_changed = db_hash != (seen.db_hash if seen else None)
            if not file_changed and not db_changed:
                report.unchanged += 1
            elif file_hash is not None and file_hash == db_hash:  # both sides agree (e.g. a resumed sync)
                _record(tx, task_id, path, file_hash, db_hash)
                report.unchanged += 1
            elif file_changed and db_changed:
                what = ("deleted in the database" if db_hash is None else "deleted on disk" if file_hash is None
                        else "changed in the database")
                report.conflicts.append((task_id, f"changed on disk and {what} since the last sync; "
                                                  "edit one side to match the other, then sync again"))
            elif file_changed:
                if file_hash is None:  # the file was deleted
                    tx.delete(Tasks).where(eq(Tasks.id, task_id)).run()
                    tx.delete(TaskFiles).where(eq(TaskFiles.task_id, task_id)).run()
                    report.deleted_in_db.append(task_id)
                    continue
                doc = file_doc if file_doc is not None else parse_task_file(path)
                _import(tx, doc)
                _record(tx, task_id, path, file_hash, digest(render_task(tx, tx.select().from_(Tasks)
                                                                         .where(eq(Tasks.id, task_id)).one())))
                report.imported.append(task_id)
            else:  # the database changed
                if db_doc is None:  # the task was deleted
                    path.unlink(missing_ok=True)
                    tx.delete(TaskFiles).where(eq(TaskFiles.task_id, task_id)).run()
                    report.deleted_files.append(task_id)
                    continue
                _write_atomically(path, canonical(db_doc))
                _record(tx, task_id, path, db_hash, db_hash)
                report.exported.append(task_id)
    return report
