"""End to end: the studio in real headless Chromium (Debian's chromium driven by Playwright).

Set STUDIO_SCREENSHOTS=1 to write the screenshots to docs/studio/ (the README shows them);
otherwise they go to the test's temporary folder.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from studio_helpers import N_USERS, seed, start

import mizzle
from mizzle.kit.api import generate
from mizzle.kit.config import KitConfig
from mizzle.studio import Studio

CHROMIUM = os.environ.get("MIZZLE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
DOCS = Path(__file__).resolve().parents[2] / "docs" / "studio"

try:
    from playwright.sync_api import Page, expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    sync_playwright = None  # type: ignore[assignment]

pytestmark = pytest.mark.skipif(
    sync_playwright is None or (shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists()),
    reason="no browser for the e2e tests: install Debian's chromium (`apt-get install -y chromium`, as .ci/run "
           "does) and Playwright for Python (`pip install playwright`); set MIZZLE_CHROMIUM for another binary",
)


class App:
    """The running studio and a browser page on it."""

    def __init__(self, url: str, db: mizzle.Database, mod: Any, shots: Path, page: Page) -> None:
        self.url, self.db, self.mod, self.shots, self.page = url, db, mod, shots, page

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(self.shots / f"{name}.png"))

    def open(self, hash_: str = "") -> Page:
        self.page.goto(self.url + hash_)
        expect(self.page.get_by_test_id("tables")).to_contain_text("users")
        return self.page


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    import studio_schema_sqlite as v1
    import studio_schema_sqlite_v2 as mod

    tmp = tmp_path_factory.mktemp("e2e")
    out = tmp / "drizzle"
    generate(v1.TABLES, out, name="init", now_ms=1_700_000_000_000)
    db = mizzle.connect(str(tmp / "app.db"))
    mizzle.migrate(db, out)
    generate(mod.TABLES, out, name="users_name_idx", now_ms=1_700_000_100_000)  # written, not applied
    seed(db, mod)
    cfg = KitConfig(root=tmp, out=out, url=f"sqlite:///{tmp / 'app.db'}")
    studio = Studio(db, mod.TABLES, config=cfg, url=cfg.url)
    server, base = start(studio)
    shots = DOCS if os.environ.get("STUDIO_SCREENSHOTS") == "1" else tmp / "shots"
    shots.mkdir(parents=True, exist_ok=True)
    assert sync_playwright is not None
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme="light")
        page = context.new_page()
        page.set_default_timeout(10_000)
        try:
            yield App(f"{base}/?token={studio.token}", db, mod, shots, page)
        finally:
            context.close()
            browser.close()
            server.shutdown()
            server.server_close()
            db.close()


def test_without_token_the_page_says_how_to_get_in(app: App) -> None:
    page = app.page
    page.goto(app.url.split("?")[0])
    assert "token" in page.content()


def test_open_sort_page_and_filter_a_table(app: App) -> None:
    page = app.open()
    page.get_by_test_id("table-link-users").click()
    expect(page.get_by_test_id("grid-title")).to_have_text("users")
    expect(page.get_by_test_id("grid-total")).to_have_text(f"{N_USERS} rows")
    expect(page.get_by_test_id("cell-0-email")).to_have_text("u000@example.com")
    app.shot("grid")
    page.get_by_test_id("col-email").click()  # ascending
    page.get_by_test_id("col-email").click()  # descending
    expect(page.get_by_test_id("cell-0-email")).to_have_text("u119@example.com")
    page.get_by_test_id("page-next").click()
    expect(page.get_by_test_id("page-input")).to_have_value("2")
    expect(page.get_by_test_id("cell-0-email")).to_have_text("u069@example.com")
    page.get_by_test_id("page-last").click()
    expect(page.get_by_test_id("page-input")).to_have_value("3")
    expect(page.locator("[data-testid=grid] tbody tr")).to_have_count(20)
    page.get_by_test_id("page-prev").click()
    expect(page.get_by_test_id("cell-0-email")).to_have_text("u069@example.com")
    page.get_by_test_id("add-filter").click()
    page.get_by_test_id("filter-col-0").select_option("role")
    page.get_by_test_id("filter-value-0").select_option("admin")
    page.get_by_test_id("add-filter").click()
    page.get_by_test_id("filter-col-1").select_option("email")
    page.get_by_test_id("filter-op-1").select_option("like")
    page.get_by_test_id("filter-value-1").fill("u00%")
    page.get_by_test_id("filter-apply-1").click()
    expect(page.get_by_test_id("grid-total")).to_have_text("4 rows (filtered)")  # u000, u003, u006, u009
    expect(page.get_by_test_id("cell-0-email")).to_have_text("u009@example.com")
    app.shot("filter")


def test_edit_a_cell_insert_and_delete_rows(app: App) -> None:
    page = app.open("#/table/users")
    users = app.mod.Users
    expect(page.get_by_test_id("cell-1-name")).to_have_text("user 001")
    page.get_by_test_id("cell-1-name").dblclick()
    editor = page.get_by_test_id("cell-editor")
    editor.fill("Edited in the browser")
    editor.press("Enter")
    expect(page.get_by_test_id("toast-ok").first).to_contain_text("saved")
    expect(page.get_by_test_id("cell-1-name")).to_have_text("Edited in the browser")
    assert app.db.select(users.name).from_(users).where(mizzle.eq(users.email, "u001@example.com")).one() == (
        "Edited in the browser",)
    # a boolean is a toggle: one click writes it
    page.locator("[data-testid=cell-0-active] .toggle").click()
    expect(page.locator("[data-testid=cell-0-active] .toggle")).not_to_have_class("toggle clickable on")
    assert app.db.select(users.active).from_(users).where(mizzle.eq(users.email, "u000@example.com")).one() == (False,)

    page.get_by_test_id("insert-row").click()
    page.get_by_test_id("insert-name").fill("Zed")
    page.get_by_test_id("insert-email").click()
    page.get_by_test_id("insert-email").fill("zed@example.com")
    page.get_by_test_id("insert-role").click()
    page.get_by_test_id("insert-role").select_option("admin")
    app.shot("insert")
    page.get_by_test_id("insert-submit").click()
    expect(page.get_by_test_id("toast-ok").last).to_contain_text("inserted")
    expect(page.get_by_test_id("grid-total")).to_have_text(f"{N_USERS + 1} rows")
    zed = app.db.select().from_(users).where(mizzle.eq(users.email, "zed@example.com")).one()
    assert zed.role == "admin" and zed.active is True and zed.created_at is not None

    # delete the first user: the dialog names the cascade (2 posts, 3 comments)
    page.get_by_test_id("select-0").check()
    page.get_by_test_id("delete-rows").click()
    summary = page.get_by_test_id("delete-summary")
    expect(summary).to_contain_text("Delete 1 row(s) of users?")
    expect(summary).to_contain_text("also deletes 2 row(s) of posts")
    expect(summary).to_contain_text("also deletes 3 row(s) of comments")
    app.shot("delete")
    page.get_by_test_id("delete-confirm").click()
    expect(page.get_by_test_id("grid-total")).to_have_text(f"{N_USERS} rows")
    assert app.db.count(users, mizzle.eq(users.email, "u000@example.com")) == 0
    assert app.db.count(app.mod.Comments) == 0


def test_follow_a_foreign_key_and_see_related_rows(app: App) -> None:
    page = app.open("#/table/posts")
    expect(page.get_by_test_id("grid-title")).to_have_text("posts")
    author = page.get_by_test_id("cell-0-author_id").inner_text().strip().rstrip("→").strip()
    page.get_by_test_id("fk-0-author_id").click()
    expect(page.get_by_test_id("grid-title")).to_have_text("users")
    expect(page.get_by_test_id("grid-total")).to_have_text("1 rows (filtered)")
    expect(page.get_by_test_id("cell-0-id")).to_have_text(author)
    page.get_by_test_id("open-0").click()
    related = page.get_by_test_id("related-posts")
    expect(related).to_contain_text("2 row(s)")
    expect(related).to_contain_text("posts")
    app.shot("related")
    related.get_by_role("button", name="open").click()
    expect(page.get_by_test_id("grid-title")).to_have_text("posts")
    expect(page.get_by_test_id("grid-total")).to_have_text("2 rows (filtered)")


def test_sql_console_runs_a_query_and_keeps_history(app: App) -> None:
    page = app.open("#/sql")
    query = "select role, count(*) as n from users group by role order by role"
    page.get_by_test_id("sql-input").fill(query)
    page.get_by_test_id("sql-run").click()
    result = page.get_by_test_id("sql-result")
    expect(result).to_contain_text("2 row(s)")
    expect(result.locator("tbody tr").first).to_contain_text("admin")
    expect(page.get_by_test_id("sql-history")).to_contain_text(query)
    assert query in page.evaluate("localStorage.getItem('mizzle-studio-history')")
    app.shot("sql")
    page.get_by_test_id("sql-input").fill("select * from nowhere")
    page.get_by_test_id("sql-run").click()
    expect(page.get_by_test_id("sql-error")).to_contain_text("no such table")


def test_schema_diagram_and_migrations_status(app: App) -> None:
    page = app.open("#/schema")
    expect(page.get_by_test_id("er-diagram")).to_be_visible()
    for name in ("users", "posts", "comments"):
        expect(page.get_by_test_id(f"er-{name}")).to_be_visible()
    assert page.locator("svg.er path.er-link").count() == 2
    app.shot("schema")
    page.get_by_test_id("nav-migrations").click()
    status = page.get_by_test_id("migrations-status")
    expect(status).to_contain_text("1 applied")
    expect(page.get_by_test_id("pending-count")).to_have_text("1 pending")
    expect(page.get_by_test_id("migration-0000_init")).to_contain_text("applied")
    expect(page.get_by_test_id("migration-0001_users_name_idx")).to_contain_text("pending")
    expect(page.get_by_test_id("drift")).to_contain_text("Every schema change is in a migration")
    expect(page.get_by_test_id("push-plan")).to_contain_text("create index")
    expect(page.get_by_test_id("push-plan")).to_contain_text("users_name_idx")
    assert app.db.execute("select count(*) from sqlite_master where name = 'users_name_idx'") == [(0,)]
    app.shot("migrations")
