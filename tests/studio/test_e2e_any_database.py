"""End to end in headless Chromium: `mizzle studio sqlite:///x.db` on a database made by plain sqlite3 (no
schema anywhere), an undecodable cell shown raw, and the read-only console refused by the database."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from studio_helpers import launch, start
from test_e2e_browser import ARGS, CHROMIUM, pytestmark  # noqa: F401  (the same skip when no browser)

import mizzle
from mizzle.studio import Studio

try:
    from playwright.sync_api import Page, expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    sync_playwright = None  # type: ignore[assignment]


@pytest.fixture(scope="module")
def browser_page() -> Iterator[Page]:
    assert sync_playwright is not None
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.set_default_timeout(10_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


def plain_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript("""
        create table authors (id integer primary key, name text not null);
        create table books (id integer primary key, author_id integer not null references authors (id), title text);
        create table notes (id integer primary key, doc text);
        insert into authors (name) values ('Ann'), ('Bob');
        insert into books (author_id, title) values (2, 'Gamma'), (1, 'Alpha'), (1, 'Beta');
        insert into notes (doc) values ('{"a": 1}'), ('not json {');
    """)
    conn.commit()
    conn.close()


def test_browse_a_database_nobody_wrote_a_schema_for(browser_page: Page, tmp_path: Path) -> None:
    path = tmp_path / "some.db"
    plain_database(path)
    for _proc, url, _ in launch(tmp_path, f"sqlite:///{path}"):
        page = browser_page
        page.goto(url)
        expect(page.get_by_test_id("tables")).to_contain_text("books")
        page.get_by_test_id("table-link-books").click()
        expect(page.get_by_test_id("grid-title")).to_have_text("books")
        expect(page.get_by_test_id("cell-0-title")).to_have_text("Gamma")
        page.get_by_test_id("fk-0-author_id").click()
        expect(page.get_by_test_id("grid-title")).to_have_text("authors")
        expect(page.get_by_test_id("grid-total")).to_have_text("1 rows (filtered)")
        expect(page.get_by_test_id("cell-0-name")).to_have_text("Bob")
        page.get_by_test_id("cell-0-name").dblclick()
        editor = page.get_by_test_id("cell-editor")
        editor.fill("Bobby")
        editor.press("Enter")
        expect(page.get_by_test_id("toast-ok").first).to_contain_text("saved")
    conn = sqlite3.connect(path)
    assert conn.execute("select name from authors where id = 2").fetchone() == ("Bobby",)
    conn.close()


def _notes_schema() -> Any:
    from mizzle.sqlite import Column, Table, integer, text

    class Notes(Table, name="notes"):
        id: Column[int] = integer().primary_key()
        doc: Column[Any] = text(mode="json")

    return Notes


@contextmanager
def served(path: Path, risks: list[str] | None = None) -> Iterator[str]:
    """A read-only studio over `path` with the notes schema; yields the page URL (token included)."""
    db = mizzle.connect(str(path))
    studio = Studio(db, [_notes_schema()], read_only=True, url=f"sqlite:///{path}")
    if risks is not None:
        studio._risks = risks  # what risky_privileges reports for a superuser on PostgreSQL/MariaDB
    server, base = start(studio)
    try:
        yield f"{base}/?token={studio.token}"
    finally:
        server.shutdown()
        server.server_close()
        db.close()


def test_an_undecodable_cell_and_the_read_only_console(browser_page: Page, tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    plain_database(path)
    with served(path) as url:
        page = browser_page
        page.goto(f"{url}#/table/notes")
        expect(page.get_by_test_id("grid-title")).to_have_text("notes")
        expect(page.get_by_test_id("cell-0-doc")).to_contain_text('{"a":1}')
        raw = page.get_by_test_id("cell-1-doc")
        expect(raw).to_contain_text("not json {")
        assert "cannot decode" in (raw.get_by_test_id("raw-value").get_attribute("title") or "")
        page.get_by_test_id("nav-sql").click()
        page.get_by_test_id("sql-input").fill("delete from notes")
        page.get_by_test_id("sql-run").click()
        expect(page.get_by_test_id("sql-error")).to_contain_text("read-only")
        page.get_by_test_id("sql-input").fill("select count(*) as n from notes")
        page.get_by_test_id("sql-run").click()
        expect(page.get_by_test_id("sql-result")).to_contain_text("1 row(s)")
    assert sqlite3.connect(path).execute("select count(*) from notes").fetchone() == (2,)


def test_a_privileged_account_is_flagged_in_the_header(browser_page: Page, tmp_path: Path) -> None:
    path = tmp_path / "flag.db"
    plain_database(path)
    with served(path, risks=["role app is a superuser"]) as url:
        page = browser_page
        page.goto(f"{url}#/sql")
        badge = page.get_by_test_id("account-warning")
        expect(badge).to_be_visible()
        assert "role app is a superuser" in (badge.get_attribute("title") or "")
        page.get_by_test_id("sql-input").fill("select 1")
        page.get_by_test_id("sql-run").click()
        expect(page.get_by_test_id("sql-error")).to_contain_text("console is off")
