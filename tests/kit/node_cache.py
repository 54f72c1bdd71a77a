"""npm folders for the interop tests: installed once, shared safely by test processes running at the same time.

A folder counts as installed only when a marker naming its exact package list exists, and the marker is written
after `npm install` has finished (native modules such as better-sqlite3 compile for minutes on a busy machine).
The check and the install happen under an exclusive lock, so a second process waits for the first instead of
finding half-built packages.
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest


def npm_folder(cache: Path, packages: Sequence[str], *, purpose: str) -> Path:
    """`cache` with `packages` installed by npm; skips (saying how to fix it) when node/npm are missing or offline."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip(f"node/npm not installed: install Node.js >= 20 to run {purpose}")
    cache.mkdir(parents=True, exist_ok=True)
    wanted = " ".join(packages)
    marker = cache / f".installed-{hashlib.sha1(wanted.encode()).hexdigest()[:12]}"
    with (cache / ".install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not marker.exists():
            if not (cache / "package.json").exists():
                (cache / "package.json").write_text(f'{{"name": "{cache.name}", "private": true}}')
            try:
                proc = subprocess.run(["npm", "install", "--no-audit", "--no-fund", *packages], cwd=cache,
                                      capture_output=True, text=True, timeout=900)
            except subprocess.TimeoutExpired:
                pytest.skip(f"npm install {wanted} timed out in {cache}; run it there by hand to enable {purpose}")
            if proc.returncode != 0:
                pytest.skip(f"npm install {wanted} failed in {cache} (offline?): {proc.stderr[-300:]}")
            marker.write_text(wanted + "\n")
    return cache
