"""`check` on the drizzle 1.0 graph: do two branches commute? The verdict is drizzle-kit 1.0's.

drizzle-kit 1.0 `check` (SQLite and libSQL: `SqliteCommutativity`, bin.cjs 85219, 1.0.0-rc.5) diffs the fork's
snapshot against each branch's leaf snapshot *without renames* and compares the statements by a conflict list.
Each case builds a folder with two branches from one parent with mizzle's v1 `generate`; `EXPECTED` is what the
real drizzle-kit 1.0 `check` said on that folder (exit 0: commute, exit 1: "Conflicting migrations detected"),
and with node installed the test runs drizzle-kit again on the same folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from test_check_v1 import V1_DIALECTS
from test_interop_node_v1 import drizzle_kit, node_v1, write_config

import mizzle
from mizzle.errors import MigrationError
from mizzle.kit.check import check_folder
from mizzle.kit.dialects import kit_dialect
from mizzle.kit.folder_v1 import migration_folders
from mizzle.kit.generate_v1 import generate_v1
from mizzle.sqlite import Column, Table, index, integer, text

START = 1_795_498_918_000
Features = frozenset[str]


def _ported(dialect: str) -> bool:
    try:
        kit_dialect(dialect).v1_footprints([], [])
    except MigrationError:
        return False
    return True


# the dialects whose drizzle-kit commutativity rules are ported (PostgreSQL's footprints are not compared yet)
COMMUTE_DIALECTS = [d for d in V1_DIALECTS if _ported(d)]


def tables(f: Features) -> list[type[Table]]:
    """A small schema whose parts are switched on by feature names."""

    class Users(Table, name="users"):
        id: Column[int] = integer("id").primary_key()
        if "name" in f:
            name: Column[str | None] = text("name")
        if "full_name" in f:
            full_name: Column[str | None] = text("full_name")
            if "rename_name" in f:
                full_name = full_name.renamed_from("name")
        email: Column[str | None] = text("email")
        age: Column[Any] = text("age") if "age_text" in f else integer("age")
        if "nick" in f:
            nick: Column[str | None] = text("nick")
        if "bio" in f:
            bio: Column[str | None] = text("bio")
        __indexes__ = lambda t: (  # noqa: E731
            *((index("users_email_idx").on(t.email),) if "email_idx" in f else ()),
            *((index("shared_idx").on(t.email),) if "idx_u" in f else ()),
        )

    out: list[type[Table]] = [] if "no_users" in f else [Users]
    if "no_posts" not in f:
        posts_kw: dict[str, Any] = {"renamed_from": "posts"} if "articles" in f else {}

        class Posts(Table, name="articles" if "articles" in f else "posts", **posts_kw):
            id: Column[int] = integer("id").primary_key()
            title: Column[str | None] = text("title")
            if "posts_x" in f:
                x: Column[str | None] = text("x")
            __indexes__ = lambda t: (  # noqa: E731
                *((index("shared_idx").on(t.title),) if "idx_p" in f else ()),
            )

        out.append(Posts)
    if "tags" in f:

        class Tags(Table, name="tags"):
            id: Column[int] = integer("id").primary_key()

        out.append(Tags)
    return out


def _f(*names: str) -> Features:
    return frozenset(names)


BASE = _f("name")
# case: (parent features, branch A's steps, branch B's steps)
CASES: dict[str, tuple[Features | None, list[Features], list[Features]]] = {  # parent None: two first migrations
    "add_different_columns": (BASE, [_f("name", "nick")], [_f("name", "bio")]),
    "add_the_same_column": (BASE, [_f("name", "nick")], [_f("name", "nick")]),
    "create_table_vs_add_column": (BASE, [_f("name", "tags")], [_f("name", "nick")]),
    "drop_table_vs_add_its_column": (BASE, [_f("name", "no_posts")], [_f("name", "posts_x")]),
    "rename_table_vs_add_its_column": (BASE, [_f("name", "articles")], [_f("name", "posts_x")]),
    "rename_table_in_both": (BASE, [_f("name", "articles")], [_f("name", "articles")]),
    "rebuild_vs_add_column_same_table": (BASE, [_f("name", "age_text")], [_f("name", "nick")]),
    "drop_index_vs_add_column_same_table": (_f("name", "email_idx"), [_f("name")], [_f("name", "email_idx", "nick")]),
    "rename_column_vs_add_its_new_name": (BASE, [_f("full_name", "rename_name")], [_f("name", "full_name")]),
    "rename_column_vs_add_another": (BASE, [_f("full_name", "rename_name")], [_f("name", "nick")]),
    "branch_adds_then_drops_a_column": (BASE, [_f("name", "nick"), BASE], [_f("name", "nick")]),
    "same_index_name_on_two_tables": (BASE, [_f("name", "idx_u")], [_f("name", "idx_p")]),
    "two_first_migrations_disjoint": (None, [_f("no_users", "no_posts", "tags")], [_f("name")]),
    "two_first_migrations_same_table": (None, [_f("name")], [_f("name", "nick")]),
}
# what drizzle-kit 1.0.0-rc.5 `check` said on each folder (True: exit 0; False: conflicting migrations, exit 1)
EXPECTED: dict[str, bool] = {
    "add_different_columns": True,
    "add_the_same_column": False,
    "create_table_vs_add_column": True,
    "drop_table_vs_add_its_column": False,
    "rename_table_vs_add_its_column": False,
    "rename_table_in_both": False,
    "rebuild_vs_add_column_same_table": False,
    "drop_index_vs_add_column_same_table": True,
    "rename_column_vs_add_its_new_name": False,
    "rename_column_vs_add_another": True,
    "branch_adds_then_drops_a_column": True,
    "same_index_name_on_two_tables": True,
    "two_first_migrations_disjoint": True,
    "two_first_migrations_same_table": False,
}

# mizzle's deliberate differences: SQLite index names are one namespace per database, so the merged folder of this
# case fails to migrate (`test_same_index_name_on_two_tables_cannot_be_merged`); mizzle calls it a conflict
DELIBERATE: dict[str, bool] = {"same_index_name_on_two_tables": False}


def build(case: str, root: Path, dialect: str) -> Path:
    """`root/migrations`: the parent, then branch A's steps and branch B's steps each generated from the parent."""
    parent, a_steps, b_steps = CASES[case]
    out, base = root / "migrations", root / "base"
    base.mkdir()
    if parent is not None:
        generate_v1(tables(parent), base, dialect=dialect, name="parent", now_ms=START)
    shutil.copytree(base, out)
    t = START
    for label, steps in (("a", a_steps), ("b", b_steps)):
        work = root / f"work_{label}"
        shutil.copytree(base, work)
        for i, feats in enumerate(steps):
            t += 2000
            generate_v1(tables(feats), work, dialect=dialect, name=f"{label}{i}", now_ms=t)
        for sub in migration_folders(work):
            if not (out / sub.name).exists():
                shutil.copytree(sub, out / sub.name)
    shutil.rmtree(out / "down", ignore_errors=True)  # the round trip is not what this test is about
    return out


@pytest.mark.parametrize("dialect", COMMUTE_DIALECTS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_branch_verdict_is_drizzle_kits(case: str, dialect: str, tmp_path: Path) -> None:
    out = build(case, tmp_path, dialect)
    report = check_folder(out, roundtrip=False)
    assert len(report.branches) == 1, [p.message for p in report.problems]
    verdict = DELIBERATE.get(case, EXPECTED[case])
    assert report.branches[0].commute is verdict, report.branches[0].touches
    assert report.ok is verdict
    if not verdict:
        (error,) = [p.message for p in report.problems if p.severity == "error"]
        assert "do NOT commute" in error


@pytest.mark.parametrize("dialect", COMMUTE_DIALECTS)
def test_same_index_name_on_two_tables_cannot_be_merged(dialect: str, tmp_path: Path) -> None:
    """Why mizzle parts from drizzle-kit there: both branches applied in order fail on the second index."""
    out = build("same_index_name_on_two_tables", tmp_path, dialect)
    with kit_dialect(dialect).scratch("") as db, pytest.raises(MigrationError, match="shared_idx already exists"):
        mizzle.migrate(db, out)


def test_a_conflict_names_the_statements_as_drizzle_kit_does(tmp_path: Path) -> None:
    report = check_folder(build("rename_column_vs_add_its_new_name", tmp_path, "sqlite"), roundtrip=False)
    (error,) = [p.message for p in report.problems if p.severity == "error"]
    assert "add_column: full_name on users table" in error
    touched = report.branches[0].touches
    assert sorted(map(sorted, touched.values())) == [
        ["add_column: full_name on users table"],
        ["add_column: full_name on users table", "drop_column: name on users table"],
    ]


@pytest.mark.parametrize("case", sorted(CASES))
def test_expected_verdicts_are_what_drizzle_kit_says(case: str, tmp_path: Path) -> None:
    """The recorded verdicts, re-checked against the real drizzle-kit 1.0 (needs node; skipped without it)."""
    cache = node_v1()
    build(case, tmp_path, "sqlite")
    write_config(tmp_path, "sqlite")
    proc = drizzle_kit(cache, tmp_path, "check")
    said = proc.stdout + proc.stderr
    assert proc.returncode in (0, 1), said
    commutes = proc.returncode == 0
    assert ("Conflicting migrations detected" in said) is not commutes, said
    assert commutes is EXPECTED[case], said
    if not commutes:  # mizzle names the statements drizzle-kit names
        theirs = {line.split("⚠", 1)[1].strip() for line in said.splitlines() if "⚠" in line}
        (error,) = [p.message for p in check_folder(tmp_path / "migrations", roundtrip=False).problems
                    if p.severity == "error"]
        assert theirs and all(t in error for t in theirs), (theirs, error)
