"""`mizzle pull` output passes `mypy --strict` and pyright strict (SQLite seeds pulled from live databases with
rows, the PostgreSQL and MySQL seed schemas through their code generators).

Regression: the pulled module imported relations in `try/except ImportError: relations = None` (mypy:
incompatible assignment), constraints were `lambda t: (...)` (pyright: `t` unknown), and a column named
like an imported helper (`text`, `index`, `date`) shadowed it in the class body.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from kit_helpers import SEEDS, load_module

import mizzle
from mizzle.kit.api import current_snapshot, generate
from mizzle.kit.codegen import generate_module, pull
from mizzle.kit.migrator import migrate
from mizzle.kit.seed import seed
from mizzle.sqlite import Column, Table, index, integer, text

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BIN = Path(sys.executable).parent


def _tables(module: Any) -> list[Any]:
    return [v for v in vars(module).values() if isinstance(v, type) and "__table__" in vars(v)]


class Notes(Table, name="notes"):
    """Columns named like the helpers a pulled module imports."""

    id: Column[int] = integer().primary_key()
    text_: Column[str] = text("text").not_null()
    index_: Column[int | None] = integer("index")
    date: Column[str | None] = text("date")
    check: Column[str | None] = text("check")
    __constraints__ = (index("notes_index_idx").on(index_),)


def _pull_sqlite(tables: list[Any], folder: Path) -> str:
    generate(tables, folder / "migrations", name="init")
    db = mizzle.connect(f"sqlite:///{folder / 'app.db'}")
    try:
        migrate(db, folder / "migrations")
        seed(db, tables, count=5)
        source, _ = pull(db)
        return source
    finally:
        db.close()


def _load_pg_seed() -> list[Any]:
    import importlib.util

    for p in (ROOT / "examples", HERE.parent / "kit_pg" / "schemas"):
        if str(p) not in sys.path:
            sys.path.insert(0, str(p))
    spec = importlib.util.spec_from_file_location("_typecheck_pg_seed004", HERE.parent / "kit_pg" / "schemas" / "seed004.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return _tables(module)


@pytest.fixture(scope="module")
def pulled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of pulled modules, one per seed schema (plus one with shadowing column names)."""
    out = tmp_path_factory.mktemp("pulled")
    work = tmp_path_factory.mktemp("pull_work")
    for name in SEEDS:
        (out / f"pulled_{name}.py").write_text(_pull_sqlite(_tables(load_module(name)), work / name), encoding="utf-8")
    (out / "pulled_shadowing.py").write_text(_pull_sqlite([Notes], work / "shadowing"), encoding="utf-8")
    (out / "pulled_pg_seed004.py").write_text(generate_module(current_snapshot(_load_pg_seed(), "postgresql")),
                                              encoding="utf-8")
    small = load_module_path(HERE.parent / "kit_mysql" / "schemas" / "small.py", "_typecheck_mysql_small")
    from mizzle.kit.dialects.mysql.codegen import generate_module as mysql_module

    (out / "pulled_mysql_small.py").write_text(mysql_module(current_snapshot(small.tables(3), "mysql")),
                                               encoding="utf-8")
    (out / "pyrightconfig.json").write_text(json.dumps({"typeCheckingMode": "strict", "pythonVersion": "3.11"}),
                                            encoding="utf-8")
    return out


def load_module_path(path: Path, name: str) -> Any:
    """Import a schema module by path under `name`."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _modules(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("pulled_*.py"))


def test_pulled_modules_import_and_declare_the_schema(pulled: Path) -> None:
    for name in _modules(pulled):
        source = (pulled / name).read_text()
        assert "except ImportError" not in source and "relations = None" not in source, name
        assert "lambda t:" not in source, name
        module = load_module_path(pulled / name, f"_pulled_{name[:-3]}")
        assert _tables(module), name
    shadow = (pulled / "pulled_shadowing.py").read_text()
    assert 'text_: Column[str] = text("text")' in shadow or "text_: Column[str] = text('text')" in shadow


def test_pulled_modules_pass_mypy_strict(pulled: Path) -> None:
    env = {**os.environ, "MYPYPATH": ""}
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file", os.devnull,
         *_modules(pulled)],
        cwd=pulled, capture_output=True, text=True, env=env, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_pulled_modules_pass_pyright_strict(pulled: Path) -> None:
    pyright = BIN / "pyright"
    if not pyright.exists():
        pytest.skip("pyright is not installed in the venv (pip install pyright, or the dev extra)")
    proc = subprocess.run([str(pyright), "--pythonpath", sys.executable, *_modules(pulled)],
                          cwd=pulled, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and "0 errors" in proc.stdout, proc.stdout + proc.stderr
