"""Kit config: [tool.mizzle] / mizzle.toml, defaults, env expansion, errors naming file and key."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mizzle.errors import ConfigError, SchemaError
from mizzle.kit.config import find_config, load_config, load_tables


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


SCHEMA = """
from mizzle.sqlite import Column, Table, integer, text

class Users(Table, name="users"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()

class AuditLog(Table, name="audit_log"):
    id: Column[int] = integer().primary_key()
"""


def test_defaults_without_any_config(tmp_path: Path) -> None:
    cfg = load_config(cwd=tmp_path)
    assert cfg.path is None
    assert cfg.dialect == "sqlite"
    assert cfg.out == (tmp_path / "drizzle").resolve()
    assert cfg.url == f"sqlite:///{(tmp_path / 'local.db').resolve()}"
    assert cfg.breakpoints is True and cfg.strict is False and cfg.verbose is False
    assert cfg.migrations_table == "__drizzle_migrations"
    assert cfg.prefix == "index"


def test_pyproject_tool_mizzle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MZ_DB", "data/app.db")
    write(tmp_path / "pyproject.toml", """
        [project]
        name = "x"

        [tool.mizzle]
        schema = ["app/schema.py", "app.models"]
        out = "./migrations"
        dialect = "sqlite"
        url = "sqlite:///${MZ_DB}"
        casing = "snake_case"
        tables_filter = ["user*", "!users_tmp"]
        verbose = true
        strict = true
        breakpoints = false
        migrations_table = "__mig"
        prefix = "timestamp"
    """)
    (tmp_path / "sub").mkdir()
    cfg = load_config(cwd=tmp_path / "sub")  # found by walking up
    assert cfg.path == tmp_path / "pyproject.toml"
    assert cfg.schema == ("app/schema.py", "app.models")
    assert cfg.out == tmp_path / "migrations"
    assert cfg.url == f"sqlite:///{tmp_path / 'data' / 'app.db'}"
    assert cfg.casing == "snake_case"
    assert cfg.verbose and cfg.strict and not cfg.breakpoints
    assert cfg.migrations_table == "__mig" and cfg.prefix == "timestamp"
    assert cfg.table_included("users") and cfg.table_included("user_roles")
    assert not cfg.table_included("users_tmp") and not cfg.table_included("posts")


def test_env_default_and_missing_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MZ_NOPE", raising=False)
    write(tmp_path / "mizzle.toml", 'url = "${MZ_NOPE:-sqlite:///fallback.db}"\n')
    assert load_config(cwd=tmp_path).url == f"sqlite:///{tmp_path / 'fallback.db'}"
    write(tmp_path / "mizzle.toml", 'url = "postgresql://u@h/${MZ_NOPE}"\ndialect = "postgresql"\n')
    with pytest.raises(ConfigError, match=r"mizzle\.toml: key 'url'.*MZ_NOPE is not set"):
        load_config(cwd=tmp_path)


def test_mizzle_toml_wins_over_pyproject_and_config_flag(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.mizzle]\nout = "a"\n')
    write(tmp_path / "mizzle.toml", 'out = "b"\n')
    write(tmp_path / "other.toml", '[tool.mizzle]\nout = "c"\n')
    assert find_config(tmp_path) == tmp_path / "mizzle.toml"
    assert load_config(cwd=tmp_path).out == tmp_path / "b"
    assert load_config("other.toml", cwd=tmp_path).out == tmp_path / "c"
    with pytest.raises(ConfigError, match=r"missing\.toml does not exist"):
        load_config("missing.toml", cwd=tmp_path)


def test_pyproject_without_section_is_skipped(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    assert load_config(cwd=tmp_path).path is None
    with pytest.raises(ConfigError, match=r"has no \[tool.mizzle\] table"):
        load_config(tmp_path / "pyproject.toml")


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ('shema = "x.py"', r"unknown key 'shema'; did you mean 'schema'\?"),
        ('dialect = "sqlit"', r"key 'dialect' must be one of sqlite, turso, postgresql, mysql, got 'sqlit' "
                              r"\(did you mean 'sqlite'\?\)"),
        ("verbose = 1", r"key 'verbose' must be true or false, got 1"),
        ("schema = 3", r"key 'schema' must be a module path or file glob, or a list of them, got 3"),
        ('tables_filter = ["a", 2]', r"key 'tables_filter' must be a glob or a list of globs"),
        ('out = ""', r"key 'out' must be a folder path"),
        ('prefix = "idx"', r"key 'prefix' must be one of index, timestamp, none"),
        ('casing = "camel"', r"key 'casing' must be one of snake_case, camelCase, preserve.*did you mean 'camelCase'"),
        ("out = [", r"not valid TOML"),
    ],
)
def test_broken_config_names_file_key_and_expectation(tmp_path: Path, text: str, pattern: str) -> None:
    write(tmp_path / "mizzle.toml", text + "\n")
    with pytest.raises(ConfigError, match=pattern) as info:
        load_config(cwd=tmp_path)
    assert str(tmp_path / "mizzle.toml") in str(info.value)


def test_load_tables_from_file_glob_and_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "app" / "db" / "schema.py", SCHEMA)
    write(tmp_path / "mizzle.toml", 'schema = "app/db/*.py"\ntables_filter = ["!audit_*"]\n')
    tables = load_tables(load_config(cwd=tmp_path))
    assert [t.__table__.name for t in tables] == ["users"]

    write(tmp_path / "pkg_cfgtest" / "__init__.py", "")
    write(tmp_path / "pkg_cfgtest" / "models.py", SCHEMA)
    write(tmp_path / "mizzle.toml", 'schema = "pkg_cfgtest.models"\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    names = sorted(t.__table__.name for t in load_tables(load_config(cwd=tmp_path)))
    assert names == ["audit_log", "users"]


def test_schema_errors(tmp_path: Path) -> None:
    write(tmp_path / "mizzle.toml", 'out = "m"\n')
    with pytest.raises(ConfigError, match=r"no schema configured in .*mizzle\.toml"):
        load_tables(load_config(cwd=tmp_path))
    write(tmp_path / "mizzle.toml", 'schema = "nothing/*.py"\n')
    with pytest.raises(ConfigError, match=r"matches no Python file"):
        load_tables(load_config(cwd=tmp_path))
    write(tmp_path / "mizzle.toml", 'schema = "no_such_module_xyz.schema"\n')
    with pytest.raises(ConfigError, match=r"schema module 'no_such_module_xyz.schema' not found"):
        load_tables(load_config(cwd=tmp_path))
    write(tmp_path / "broken.py", "raise RuntimeError('boom')\n")
    write(tmp_path / "mizzle.toml", 'schema = "broken.py"\n')
    # an error inside the user's module is a schema error at the user's file and line, not a config error
    with pytest.raises(SchemaError, match=r"failed at .*broken\.py:1 .*RuntimeError: boom"):
        load_tables(load_config(cwd=tmp_path))
