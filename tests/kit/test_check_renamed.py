"""`check` and `migrate` on a folder whose journal tag and file name disagree (a renamed migration file).

Regression: journal `0001_v3`, file `0001_v2.sql` was reported as a branch conflict whose advice kept the
missing file and dropped the real one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import mizzle
from mizzle.errors import MigrationError
from mizzle.kit.api import generate
from mizzle.kit.check import check_folder
from mizzle.kit.migrator import migrate
from mizzle.sqlite import Column, Table, integer, text


class Users(Table, name="users"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "migrations"
    generate([Users], folder, name="init")
    (folder / "0001_v2.sql").write_text("ALTER TABLE `users` ADD `bio` text;", encoding="utf-8")
    journal = json.loads((folder / "meta" / "_journal.json").read_text())
    journal["entries"].append(dict(journal["entries"][0], idx=1, tag="0001_v3", when=journal["entries"][0]["when"] + 1))
    (folder / "meta" / "_journal.json").write_text(json.dumps(journal), encoding="utf-8")
    snap = json.loads((folder / "meta" / "0000_snapshot.json").read_text())
    snap["prevId"], snap["id"] = snap["id"], "6f1c0a2e-0000-4000-8000-000000000001"
    (folder / "meta" / "0001_snapshot.json").write_text(json.dumps(snap), encoding="utf-8")
    return folder


def test_check_names_the_renamed_file(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    report = check_folder(folder)
    assert not report.ok
    assert report.branches == []
    messages = [p.message for p in report.problems]
    assert not any("branch" in m for m in messages), messages
    (problem,) = [p for p in report.problems if "0001_v3.sql" in p.message]
    assert "missing" in problem.message and "0001_v2.sql" in problem.message and "renamed" in problem.message
    assert "rename 0001_v2.sql back to 0001_v3.sql" in problem.hint
    assert '"tag" from "0001_v3" to "0001_v2"' in problem.hint
    assert not any("not in the journal (drizzle" in m for m in messages)  # not reported twice


def test_following_the_hint_fixes_the_folder(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "0001_v2.sql").rename(folder / "0001_v3.sql")
    assert check_folder(folder, roundtrip=False).ok


def test_migrate_says_which_file_was_renamed(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    db = mizzle.connect(f"sqlite:///{tmp_path / 'app.db'}")
    try:
        with pytest.raises(MigrationError, match=r"0001_v3\.sql: missing.*0001_v2\.sql .*probably the renamed file"):
            migrate(db, folder)
    finally:
        db.close()


def test_a_missing_file_without_a_candidate_is_still_just_missing(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "0001_v2.sql").unlink()
    report = check_folder(folder, roundtrip=False)
    assert any(p.message == "0001_v3.sql: listed in the journal but missing" for p in report.problems)
