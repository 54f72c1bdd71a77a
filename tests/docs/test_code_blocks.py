"""Every code block of README.md and docs/ runs (or is a marked fragment with a reason): see doc_blocks.py."""

from __future__ import annotations

import ast
import asyncio
import linecache
import os
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest
from doc_blocks import REASONS, ROOT, STATS, Block, pages, parse

from _servers import throwaway_database
from _sqld import reset, session_server


def _page_id(page: Path) -> str:
    return str(page.relative_to(ROOT))


def test_every_block_is_executable_or_marked() -> None:
    unmarked = [f"{b.where} ({b.lang or 'no language'})" for p in pages() for b in parse(p) if b.kind == "unmarked"]
    assert not unmarked, (
        "code blocks that are neither python/bash nor marked with <!-- doc: file PATH --> or "
        "<!-- doc: fragment REASON --> (tests/docs/doc_blocks.py):\n" + "\n".join(unmarked))
    empty = [b.where for p in pages() for b in parse(p) if b.kind == "fragment" and not b.arg]
    assert not empty, "fragments need a reason: " + ", ".join(empty)


@pytest.mark.parametrize("page", [p for p in pages() if parse(p)], ids=_page_id)
def test_page_blocks_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    venv_bin = Path(sys.executable).parent
    monkeypatch.setenv("PATH", f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("MIZZLE_REPO", str(ROOT))
    monkeypatch.syspath_prepend(str(tmp_path))
    namespace: dict[str, object] = {"__name__": "docpage_" + page.stem.replace("-", "_")}
    loop = asyncio.new_event_loop()
    try:
        with ExitStack() as stack:
            for block in parse(page):
                _run(block, namespace, loop, tmp_path, stack, monkeypatch)
    finally:
        loop.close()


def _libsql_server(cwd: Path, namespace: dict[str, object], stack: ExitStack,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    """One emptied libSQL server per page: LIBSQL_URL, LIBSQL_AUTH_TOKEN (skipped, saying how, without one)."""
    try:
        found, proc = session_server(cwd / "sqld")
    except pytest.skip.Exception:
        STATS["skipped_server"] += 1
        raise
    if proc is not None:
        stack.callback(proc.stop)
    admin = found.connect()
    reset(admin)
    admin.close()
    namespace["__libsql__"] = found
    monkeypatch.setenv("LIBSQL_URL", found.url)
    monkeypatch.setenv("LIBSQL_AUTH_TOKEN", found.token)


def _run(block: Block, namespace: dict[str, object], loop: asyncio.AbstractEventLoop, cwd: Path,
         stack: ExitStack, monkeypatch: pytest.MonkeyPatch) -> None:
    if block.kind == "fragment":
        STATS["fragments"] += 1
        REASONS.append(f"{block.where}: {block.arg}")
        return
    if block.kind == "file":
        target = cwd / block.arg
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(block.code, encoding="utf-8")
        STATS["files"] += 1
        return
    if block.arg == "libsql":
        if "__libsql__" not in namespace:
            _libsql_server(cwd, namespace, stack, monkeypatch)
    elif block.arg:  # requires a server
        server = {"postgres": "postgres", "postgresql": "postgres", "mysql": "mysql", "mariadb": "mysql"}[block.arg]
        try:
            url = stack.enter_context(throwaway_database(server, prefix="mizzle_doc_"))
        except pytest.skip.Exception:
            STATS["skipped_server"] += 1
            raise
        monkeypatch.setenv("DATABASE_URL", url)
    if block.kind == "shell":
        proc = subprocess.run(["bash", "-euo", "pipefail", "-c", block.code], cwd=cwd, capture_output=True,
                              text=True, timeout=300)
        assert proc.returncode == 0, (
            f"{block.where}: shell block exited {proc.returncode}\n--- block\n{block.code}"
            f"--- stdout\n{proc.stdout}--- stderr\n{proc.stderr}")
    else:
        filename = f"{block.where} (code block)"
        linecache.cache[filename] = (len(block.code), None, block.code.splitlines(True), filename)
        code = compile(block.code, filename, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        result = eval(code, namespace)  # a coroutine when the block uses top-level await
        if asyncio.iscoroutine(result):
            loop.run_until_complete(result)
    STATS["executed"] += 1
