"""Seed 002: task files <-> database sync, on real files in a temporary folder and a real SQLite file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import examples.tasks.sync as sync_mod
import pytest
from examples.tasks.schema import Stories, Tasks
from examples.tasks.store import get_database
from examples.tasks.sync import sync

from mizzle import eq

ROOT = Path(__file__).resolve().parents[2]


def task_doc(tid: str, name: str = "Login page", stories: int = 2) -> dict[str, Any]:
    return {"id": tid, "name": name, "description": None, "branchName": f"feature/{tid}", "status": "pending",
            "priority": 0, "maxIterations": 10,
            "stories": [{"id": f"s{i}", "title": f"story {i}", "description": None, "acceptanceCriteria": [f"c{i}"],
                         "priority": i, "passes": False} for i in range(1, stories + 1)]}


def write(folder: Path, doc: dict[str, Any]) -> Path:
    path = folder / f"{doc['id']}.json"
    path.write_text(json.dumps(doc, indent=4))
    return path


@pytest.fixture
def env(tmp_path: Path) -> tuple[Any, Path]:
    folder = tmp_path / "tasks"
    folder.mkdir()
    db = get_database(str(tmp_path / "ralph.db"))
    yield db, folder
    db.close()


def test_migrations_are_applied_at_open(tmp_path: Path) -> None:
    db = get_database(str(tmp_path / "x" / "ralph.db"))
    assert db.execute("select count(*) from __drizzle_migrations") == [(1,)]
    db.close()


def test_files_imported_then_nothing_to_do(env: tuple[Any, Path]) -> None:
    db, folder = env
    write(folder, task_doc("t1"))
    write(folder, task_doc("t2", stories=0))
    first = sync(db, folder)
    assert first.imported == ["t1", "t2"] and not first.conflicts
    assert [s.title for s in db.select().from_(Stories).where(eq(Stories.task_id, "t1")).order_by(Stories.id).all()] \
        == ["story 1", "story 2"]
    again = sync(db, folder)
    assert not again.changed and again.unchanged == 2            # idempotent


def test_database_changes_exported_and_file_changes_imported(env: tuple[Any, Path]) -> None:
    db, folder = env
    path = write(folder, task_doc("t1"))
    sync(db, folder)
    db.update(Tasks).set(status="running").where(eq(Tasks.id, "t1")).run()
    report = sync(db, folder)
    assert report.exported == ["t1"]
    assert json.loads(path.read_text())["status"] == "running"
    assert not sync(db, folder).changed

    doc = json.loads(path.read_text())
    doc["stories"] = [*doc["stories"][1:], {"id": "s9", "title": "new", "acceptanceCriteria": [], "priority": 9}]
    path.write_text(json.dumps(doc))
    report = sync(db, folder)
    assert report.imported == ["t1"]
    ids = [s.id for s in db.select().from_(Stories).where(eq(Stories.task_id, "t1")).order_by(Stories.id).all()]
    assert ids == ["s2", "s9"]                                    # removed story deleted, new one inserted
    assert not sync(db, folder).changed


def test_both_sides_changed_is_a_conflict_and_nothing_is_overwritten(env: tuple[Any, Path]) -> None:
    db, folder = env
    path = write(folder, task_doc("t1"))
    sync(db, folder)
    doc = json.loads(path.read_text())
    doc["name"] = "renamed on disk"
    path.write_text(json.dumps(doc))
    db.update(Tasks).set(name="renamed in db").where(eq(Tasks.id, "t1")).run()
    report = sync(db, folder)
    assert [tid for tid, _ in report.conflicts] == ["t1"] and not report.changed
    assert json.loads(path.read_text())["name"] == "renamed on disk"
    assert db.select(Tasks.name).from_(Tasks).all() == [("renamed in db",)]
    # resolved by making one side match the other: then it syncs
    doc["name"] = "renamed in db"
    path.write_text(json.dumps(doc))
    assert not sync(db, folder).conflicts
    assert not sync(db, folder).changed


def test_deletions_follow_the_other_side(env: tuple[Any, Path]) -> None:
    db, folder = env
    p1 = write(folder, task_doc("t1"))
    p2 = write(folder, task_doc("t2"))
    sync(db, folder)
    p1.unlink()
    db.delete(Tasks).where(eq(Tasks.id, "t2")).run()
    report = sync(db, folder)
    assert report.deleted_in_db == ["t1"] and report.deleted_files == ["t2"]
    assert db.count(Tasks) == 0 and not p2.exists()
    assert not sync(db, folder).changed


def test_an_invalid_file_is_reported_and_left_alone(env: tuple[Any, Path]) -> None:
    db, folder = env
    write(folder, task_doc("good"))
    bad = folder / "bad.json"
    bad.write_text('{"id": "bad", "name": "x",')
    wrong = folder / "wrong.json"
    wrong.write_text(json.dumps({**task_doc("wrong"), "id": "other"}))
    report = sync(db, folder)
    assert report.imported == ["good"]
    assert dict(report.invalid) == {
        "bad.json": "not JSON: Expecting property name enclosed in double quotes at line 1 column 27",
        "wrong.json": "its id 'other' does not match the file name 'wrong'"}
    assert bad.read_text() == '{"id": "bad", "name": "x",' and wrong.exists()


def test_an_interrupted_sync_changes_nothing_and_the_next_one_completes(
        env: tuple[Any, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    db, folder = env
    for i in range(1, 4):
        write(folder, task_doc(f"t{i}"))
    sync(db, folder)
    db.update(Tasks).set(status="done").run()                     # three exports pending
    real = sync_mod._write_atomically
    calls = {"n": 0}

    def dies_on_the_third(path: Path, text: str) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt("interrupted")
        real(path, text)

    monkeypatch.setattr(sync_mod, "_write_atomically", dies_on_the_third)
    with pytest.raises(KeyboardInterrupt):
        sync(db, folder)
    monkeypatch.setattr(sync_mod, "_write_atomically", real)
    assert not list(folder.glob(".*.tmp"))                         # no half-written file left behind
    report = sync(db, folder)                                     # files written before the interruption agree
    assert not report.conflicts and sorted(report.exported) == ["t3"]
    assert all(json.loads((folder / f"t{i}.json").read_text())["status"] == "done" for i in range(1, 4))
    assert not sync(db, folder).changed


def test_cli(tmp_path: Path) -> None:
    folder = tmp_path / ".ralph" / "tasks"
    folder.mkdir(parents=True)
    write(folder, task_doc("t1"))
    run = [sys.executable, "-m", "tasks", "sync"]
    env = {"PYTHONPATH": f"{ROOT / 'examples'}:{ROOT / 'src'}"}
    out = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert "imported: t1" in out.stdout
    again = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, env=env)
    assert again.returncode == 0 and again.stdout.strip() == "1 unchanged"
    (folder / "t2.json").write_text("not json")
    bad = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, env=env)
    assert bad.returncode == 1 and "invalid file: t2.json" in bad.stdout and "fix the files" in bad.stderr
