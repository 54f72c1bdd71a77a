"""The documentation site builds with warnings as errors, and renders in a real browser:
navigation, search, an API reference page (Debian's chromium driven by Playwright)."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from doc_blocks import ROOT

CHROMIUM = os.environ.get("MIZZLE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
MKDOCS = Path(sys.executable).parent / "mkdocs"

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    sync_playwright = None  # type: ignore[assignment]

pytestmark = [
    pytest.mark.skipif(not MKDOCS.exists(), reason="mkdocs is not installed: pip install --group docs"),
    pytest.mark.skipif(
        sync_playwright is None or (shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists()),
        reason="no browser: install Debian's chromium (`apt-get install -y chromium`, as .ci/run does) and "
               "Playwright for Python; set MIZZLE_CHROMIUM for another binary"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run([str(MKDOCS), "build", "--strict", "--quiet", "--site-dir", str(out)], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}"
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_every_nav_page_renders_and_search_and_reference_work(site: str) -> None:
    assert sync_playwright is not None
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.set_default_timeout(15_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            page.goto(site + "/")
            expect(page.locator("article h1").first).to_contain_text("mizzle")
            # every page in the navigation renders with a heading
            links = page.eval_on_selector_all(
                "nav.md-nav--primary a.md-nav__link[href]", "els => els.map(e => e.href)")
            pages = sorted({link.split("#")[0] for link in links if link.startswith(site)})
            assert len(pages) >= 20, pages
            for url in pages:
                response = page.goto(url)
                assert response is not None and response.status == 200, url
                expect(page.locator("article h1").first).to_be_visible()
            # navigation by clicking
            page.goto(site + "/")
            page.get_by_role("link", name="Getting started").first.click()
            expect(page.locator("article h1").first).to_contain_text("Getting started")
            # search finds a how-to page
            page.locator("input.md-search__input").click()
            page.keyboard.type("upsert", delay=30)
            result = page.locator(".md-search-result__item").first
            expect(result).to_be_visible()
            expect(page.locator(".md-search-result")).to_contain_text("conflict")
            # an API reference page rendered from the docstrings
            page.goto(site + "/reference/mizzle/")
            expect(page.locator("article")).to_contain_text("connect")
            expect(page.locator("article .doc-signature, article .doc-heading").first).to_be_visible()
            assert not errors, errors
        finally:
            browser.close()
