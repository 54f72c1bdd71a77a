"""The realistic app modules in tests/typing/apps/: no `reveal_type` probe reveals `Any` in pyright strict or
mypy --strict, both checkers report no error, and the modules run against real databases (SQLite for the
seed 001 app, PostgreSQL for the seed 004 app)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = Path(__file__).resolve().parent / "apps"
MODULES = ("saas_app", "chat_app")
BIN = Path(sys.executable).parent
MIN_PROBES = {"saas_app": 50, "chat_app": 25}
ANY = re.compile(r"\b(Any|Unknown)\b")

if str(APPS) not in sys.path:
    sys.path.insert(0, str(APPS))


def _pyright(tmp: Path) -> dict[str, list[str]]:
    # pyproject's [tool.pyright] excludes apps/ (their probes would flood every run); this config takes
    # its settings. src/mizzle/__init__.py first: checked alone, an app module would meet mizzle's import
    # cycle from the other end, which leaves `many`/`one` partially unknown (the whole-project run does not).
    files = [str(ROOT / "src/mizzle/__init__.py"), *(str(APPS / f"{m}.py") for m in MODULES),
             str(APPS / "saas_models.py")]  # written by `mizzle models`: must be clean too
    config = tmp / "pyrightconfig.json"
    config.write_text(
        json.dumps(
            {
                "include": [os.path.relpath(f, tmp) for f in files],
                "extraPaths": [str(APPS)],  # saas_app imports saas_models, which imports saas_app
                "typeCheckingMode": "strict",
                "pythonVersion": "3.11",
                "reportPrivateUsage": False,
                "reportUnnecessaryIsInstance": False,
                "reportUnnecessaryComparison": False,
                "reportMissingTypeStubs": False,
            }
        )
    )
    out = subprocess.run(
        [str(BIN / "pyright"), "--outputjson", "--project", str(config), "--pythonpath", sys.executable],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    report = json.loads(out.stdout)
    errors = [d for d in report["generalDiagnostics"] if d["severity"] == "error"]
    assert not errors, "pyright errors:\n" + "\n".join(
        f"{d['file']}:{d['range']['start']['line'] + 1}: {d['message']}" for d in errors
    )
    revealed: dict[str, list[str]] = {m: [] for m in MODULES}
    for d in report["generalDiagnostics"]:
        name = Path(d["file"]).stem
        if name in revealed and d["message"].startswith("Type of "):
            revealed[name].append(f"{name}.py:{d['range']['start']['line'] + 1}: {d['message']}")
    return revealed


def _mypy() -> dict[str, list[str]]:
    files = [str(APPS / f"{m}.py") for m in MODULES]
    out = subprocess.run(
        [str(BIN / "mypy"), "--strict", "--no-incremental", "--python-version", "3.11", *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    errors = [line for line in out.stdout.splitlines() if ": error:" in line]
    assert not errors, "mypy errors:\n" + "\n".join(errors)
    revealed: dict[str, list[str]] = {m: [] for m in MODULES}
    for line in out.stdout.splitlines():
        if "note: Revealed type is" in line:
            name = Path(line.split(":", 1)[0]).stem
            revealed[name].append(line)
    return revealed


@pytest.mark.parametrize("checker", ["pyright", "mypy"])
def test_no_probe_reveals_any(checker: str, tmp_path: Path) -> None:
    revealed = _pyright(tmp_path) if checker == "pyright" else _mypy()
    for module in MODULES:
        source = (APPS / f"{module}.py").read_text()
        probes = len(re.findall(r"^\s*reveal_type\(", source, re.M))
        assert len(revealed[module]) == probes, (
            f"{checker}: {module} has {probes} probes, {len(revealed[module])} revealed"
        )
        assert len(revealed[module]) >= MIN_PROBES[module]
        anys = [
            r
            for r in revealed[module]
            if ANY.search(r.split("Type of", 1)[-1].split("Revealed type is", 1)[-1])
        ]
        assert not anys, f"{checker} reveals Any in {module}:\n" + "\n".join(anys)


def test_saas_models_are_what_mizzle_models_writes(capsys: pytest.CaptureFixture[str]) -> None:
    from mizzle.cli.main import main

    code = main(["--config", str(APPS / "mizzle.toml"), "models", "--check"])
    out = capsys.readouterr()
    assert code == 0, "tests/typing/apps/saas_models.py is stale: run `mizzle models` in tests/typing/apps\n" + (
        out.out + out.err)


def test_saas_app_runs_on_sqlite(tmp_path: Path) -> None:
    import saas_app

    import mizzle

    url = f"sqlite:///{tmp_path / 'saas.db'}"
    db = mizzle.connect(url)
    try:
        saas_app.run_sync(db)
        ann = (
            db.select(saas_app.Users.id)
            .from_(saas_app.Users)
            .where(mizzle.eq(saas_app.Users.email, "ann@x.io"))
            .one()
        )
    finally:
        db.close()
    asyncio.run(saas_app.run_async(url, ann[0]))


@pytest.fixture
def pg_url() -> Iterator[str]:
    from _servers import throwaway_database

    with throwaway_database("postgres") as url:
        yield url


@pytest.mark.postgres
def test_chat_app_runs_on_postgres(pg_url: str) -> None:
    import chat_app

    asyncio.run(chat_app.run(pg_url))
