"""What a user sees of the package itself: one version everywhere, `python -m mizzle`, the license,
and the README's first command (the demo) working."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

import mizzle
from mizzle.cli.main import main

ROOT = Path(__file__).resolve().parents[1]


def test_one_version_everywhere(capsys: object) -> None:
    assert mizzle.__version__ == importlib.metadata.version("mizzle")
    out = subprocess.run([sys.executable, "-m", "mizzle", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"mizzle {mizzle.__version__}"


def test_python_dash_m_runs_the_cli() -> None:
    out = subprocess.run([sys.executable, "-m", "mizzle", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("usage: mizzle")
    bad = subprocess.run([sys.executable, "-m", "mizzle", "no-such-command"], capture_output=True, text=True)
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
    assert main(["--help"]) == 0


def test_license_and_metadata() -> None:
    meta = importlib.metadata.metadata("mizzle")
    assert meta["License-Expression"] == "MIT"
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    urls = meta.get_all("Project-URL") or []
    assert any(u.startswith("Documentation, https://") for u in urls), urls
    assert "Typing :: Typed" in (meta.get_all("Classifier") or [])
    extras = set(meta.get_all("Provides-Extra") or [])
    assert not extras & {"dev", "webui"}, "dev tools and example dependencies are not user-facing extras"


def test_demo_script_runs_the_main_flow() -> None:
    proc = subprocess.run(["bash", str(ROOT / "scripts" / "demo.sh")], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "installing mizzle" in proc.stdout  # says what it does before the long step
    assert "relational query: a session with its messages in 1 SQL statement" in proc.stdout
