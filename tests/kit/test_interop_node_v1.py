"""mizzle against the real drizzle-kit 1.0 / drizzle-orm 1.0 (the v1 folder layout and tracking table).

Needs node and npm; installs drizzle-kit, drizzle-orm (1.0.0-rc.5, override with MIZZLE_DRIZZLE1_VERSION),
better-sqlite3 and pg once into ~/.cache/mizzle-interop-v1 (override with MIZZLE_INTEROP_V1_DIR). Skipped
with a message when node/npm are missing or the install fails (offline).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from kit_helpers import load_module

from mizzle.kit.api import generate
from mizzle.kit.dialects.sqlite.snapshot_v7 import upgrade
from mizzle.kit.up import up

VERSION = os.environ.get("MIZZLE_DRIZZLE1_VERSION", "1.0.0-rc.5")
CACHE = Path(os.environ.get("MIZZLE_INTEROP_V1_DIR", Path.home() / ".cache" / "mizzle-interop-v1"))
PACKAGES = (f"drizzle-kit@{VERSION}", f"drizzle-orm@{VERSION}", "better-sqlite3@12", "pg@8")


def node_v1() -> Path:
    """The npm folder with drizzle-kit/drizzle-orm 1.0 installed (skips the test when that is impossible)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node/npm not installed: install Node.js >= 20 to run the drizzle 1.0 interop tests")
    modules = CACHE / "node_modules"
    wanted = ("drizzle-kit", "drizzle-orm", "better-sqlite3", "pg")
    if not all((modules / p).is_dir() for p in wanted) or _installed_version(modules) != VERSION:
        CACHE.mkdir(parents=True, exist_ok=True)
        if not (CACHE / "package.json").exists():
            (CACHE / "package.json").write_text('{"name": "mizzle-interop-v1", "private": true}')
        try:
            proc = subprocess.run(["npm", "install", "--no-audit", "--no-fund", *PACKAGES], cwd=CACHE,
                                  capture_output=True, text=True, timeout=600)
        except subprocess.TimeoutExpired:
            pytest.skip(f"npm install timed out in {CACHE}; run it there by hand to enable this test")
        if proc.returncode != 0:
            pytest.skip(f"npm install {' '.join(PACKAGES)} failed in {CACHE} (offline?): {proc.stderr[-300:]}")
    return CACHE


def _installed_version(modules: Path) -> str:
    try:
        return str(json.loads((modules / "drizzle-orm" / "package.json").read_text())["version"])
    except (OSError, ValueError, KeyError):
        return ""


def drizzle_kit(cache: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed drizzle-kit in `cwd`."""
    return subprocess.run([str(cache / "node_modules" / ".bin" / "drizzle-kit"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def write_config(cwd: Path, dialect: str, out: str = "migrations") -> None:
    """A drizzle.config.ts for `drizzle-kit up` / `check` (no schema needed)."""
    (cwd / "drizzle.config.ts").write_text(
        'import { defineConfig } from "drizzle-kit";\n'
        f'export default defineConfig({{ schema: "./schema.ts", out: "./{out}", dialect: "{dialect}" }});\n')
    link = cwd / "node_modules"
    if not link.exists():
        link.symlink_to(CACHE / "node_modules")


def old_evolution_folder(out: Path, steps: int = 11, start_ms: int = 1_795_498_918_000) -> Path:
    """mizzle's 0.x folder of the evolution schema, one migration per second (with down migrations)."""
    evo = load_module("evolution")
    for step in range(1, steps + 1):
        generate(evo.tables(step, hints=True), out, name=evo.STEPS[step - 1], now_ms=start_ms + step * 1000)
    return out


def test_mizzle_up_writes_what_drizzle_kit_up_writes(tmp_path: Path) -> None:
    cache = node_v1()
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    old_evolution_folder(ours / "migrations")
    shutil.copytree(ours, theirs)
    write_config(theirs, "sqlite")
    proc = drizzle_kit(cache, theirs, "up")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = up(ours / "migrations", upgrade)
    assert len(result.moved) == 11 and len(result.upgraded) == 11
    files = sorted(str(p.relative_to(theirs / "migrations")) for p in (theirs / "migrations").rglob("*")
                   if p.is_file() and "down" not in p.parts)
    assert files == sorted(str(p.relative_to(ours / "migrations")) for p in (ours / "migrations").rglob("*")
                           if p.is_file() and "down" not in p.parts)
    for rel in files:
        assert (ours / "migrations" / rel).read_bytes() == (theirs / "migrations" / rel).read_bytes(), rel
    # mizzle moved its down migrations with their migrations; drizzle-kit leaves down/ alone
    downs = {p.stem for p in (ours / "migrations" / "down").iterdir()}
    assert downs and downs <= {r.split("/")[0] for r in files}
    # and drizzle-kit 1.0 accepts mizzle's converted folder as current
    write_config(ours, "sqlite")
    proc = drizzle_kit(cache, ours, "check")
    assert proc.returncode == 0, proc.stdout + proc.stderr
