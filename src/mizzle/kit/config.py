"""Kit configuration: `[tool.mizzle]` in pyproject.toml or a `mizzle.toml`, and loading the schema it names."""

from __future__ import annotations

import difflib
import fnmatch
import sys
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, cast

from mizzle.errors import ConfigError, MigrationError, SchemaError
from mizzle.kit.dialects import NAMES, kit_dialect
from mizzle.schema.table import Table
from mizzle.url import expand_env

Dialect = Literal["sqlite", "turso", "postgresql", "mysql"]
Prefix = Literal["index", "timestamp", "none"]
Casing = Literal["snake_case", "camelCase", "preserve"]

DIALECTS: tuple[str, ...] = NAMES
PREFIXES: tuple[str, ...] = ("index", "timestamp", "none")
CASINGS: tuple[str, ...] = ("snake_case", "camelCase", "preserve")
FORMATS: tuple[str, ...] = ("journal", "v1")
DEFAULT_MIGRATIONS_TABLE = "__drizzle_migrations"

# key -> (expected, description)
_KEYS: dict[str, str] = {
    "schema": "a module path or file glob, or a list of them",
    "out": "a folder path (string)",
    "dialect": "one of " + ", ".join(DIALECTS),
    "url": "a connection URL string",
    "casing": "one of " + ", ".join(CASINGS),
    "tables_filter": "a glob or a list of globs (strings)",
    "verbose": "true or false",
    "strict": "true or false",
    "breakpoints": "true or false",
    "migrations_table": "a table name (string)",
    "prefix": "one of " + ", ".join(PREFIXES),
    "format": "one of " + ", ".join(FORMATS) + " (the layout `generate` writes)",
    "models": "a .py file path (string): where `mizzle models` writes the pydantic models",
}


@dataclass(frozen=True, slots=True)
class KitConfig:
    """The resolved kit settings (paths absolute, URL expanded)."""

    root: Path
    path: Path | None = None
    schema: tuple[str, ...] = ()
    out: Path = Path("drizzle")
    dialect: Dialect = "sqlite"
    url: str = "sqlite:///local.db"
    casing: Casing | None = None
    tables_filter: tuple[str, ...] = ()
    verbose: bool = False
    strict: bool = False
    breakpoints: bool = True
    migrations_table: str = DEFAULT_MIGRATIONS_TABLE
    prefix: Prefix = "index"
    format: str | None = None
    """`generate`'s layout: "journal" (0.x), "v1" (drizzle 1.0 folders); None: the folder's own, else journal."""
    models: Path | None = None
    """Where `mizzle models` writes the pydantic models module (absolute); None: not configured."""
    raw: dict[str, Any] = field(default_factory=dict[str, Any])

    @property
    def source(self) -> str:
        """Where the settings came from, for messages."""
        return str(self.path) if self.path is not None else "defaults (no mizzle.toml or [tool.mizzle] found)"

    def with_overrides(self, **changes: Any) -> KitConfig:
        """A copy with some settings replaced (command-line flags win over the file)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def table_included(self, name: str) -> bool:
        """Whether `tables_filter` keeps table `name` (no filter keeps all; `!glob` excludes)."""
        if not self.tables_filter:
            return True
        include = [p for p in self.tables_filter if not p.startswith("!")]
        exclude = [p[1:] for p in self.tables_filter if p.startswith("!")]
        if any(fnmatch.fnmatchcase(name, p) for p in exclude):
            return False
        return not include or any(fnmatch.fnmatchcase(name, p) for p in include)


def find_config(start: Path | None = None) -> Path | None:
    """The nearest `mizzle.toml`, or `pyproject.toml` holding `[tool.mizzle]`, from `start` upwards."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "mizzle.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                continue
            if isinstance(data.get("tool"), dict) and "mizzle" in data["tool"]:
                return pyproject
    return None


def load_config(path: str | Path | None = None, *, cwd: Path | None = None) -> KitConfig:
    """Read the kit config from `path` (or the nearest mizzle.toml / pyproject.toml) and validate it."""
    base = (cwd or Path.cwd()).resolve()
    if path is not None:
        file = Path(path)
        if not file.is_absolute():
            file = base / file
        if not file.is_file():
            raise ConfigError(f"config file {file} does not exist (given with --config)")
    else:
        found = find_config(base)
        if found is None:
            return _build({}, root=base, file=None)
        file = found
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML ({exc})") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{file}: not UTF-8 text ({exc})") from None
    section: Any
    if file.name == "pyproject.toml" or "tool" in data:
        tool = data.get("tool", {})
        section = cast(dict[str, Any], tool).get("mizzle") if isinstance(tool, dict) else None
        if section is None:
            if file.name == "pyproject.toml":
                raise ConfigError(f"{file}: has no [tool.mizzle] table")
            section = {k: v for k, v in data.items() if k != "tool"}
    else:
        section = data
    if not isinstance(section, dict):
        raise ConfigError(f"{file}: [tool.mizzle] must be a table of settings")
    return _build(cast(dict[str, Any], section), root=file.parent.resolve(), file=file)


def _where(file: Path | None, key: str) -> str:
    return f"{file if file is not None else 'config'}: key {key!r}"


def _expect(file: Path | None, key: str, value: Any) -> ConfigError:
    return ConfigError(f"{_where(file, key)} must be {_KEYS[key]}, got {value!r}")


def _str_list(file: Path | None, key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):  # pyright: ignore[reportUnknownVariableType]
        return tuple(cast(list[str], value))
    raise _expect(file, key, value)


def _bool(file: Path | None, key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _expect(file, key, value)
    return value


def _choice(file: Path | None, key: str, value: Any, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in choices:
        hint = ""
        if isinstance(value, str):
            close = difflib.get_close_matches(value, choices, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ConfigError(f"{_where(file, key)} must be {_KEYS[key]}, got {value!r}{hint}")
    return value


def _build(section: dict[str, Any], *, root: Path, file: Path | None) -> KitConfig:
    for key in section:
        if key not in _KEYS:
            close = difflib.get_close_matches(key, list(_KEYS), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(
                f"{file if file is not None else 'config'}: unknown key {key!r}{hint} "
                f"(known keys: {', '.join(_KEYS)})"
            )
    values: dict[str, Any] = {}
    if "schema" in section:
        values["schema"] = _str_list(file, "schema", section["schema"])
        if not values["schema"]:
            raise _expect(file, "schema", section["schema"])
    out = section.get("out", "./drizzle")
    if not isinstance(out, str) or not out:
        raise _expect(file, "out", out)
    values["out"] = (root / out).resolve()
    dialect = _choice(file, "dialect", section.get("dialect", "sqlite"), DIALECTS)
    values["dialect"] = dialect
    if "url" in section:
        url = section["url"]
        if not isinstance(url, str) or not url:
            raise _expect(file, "url", url)
        values["url"] = _absolute_sqlite(expand_env(url, where=_where(file, "url")), root)
    else:
        default = kit_dialect(dialect).default_url
        values["url"] = _absolute_sqlite(default, root) if default else ""
    if "casing" in section:
        values["casing"] = _choice(file, "casing", section["casing"], CASINGS)
    if "tables_filter" in section:
        values["tables_filter"] = _str_list(file, "tables_filter", section["tables_filter"])
    for key in ("verbose", "strict", "breakpoints"):
        if key in section:
            values[key] = _bool(file, key, section[key])
    if "migrations_table" in section:
        mt = section["migrations_table"]
        if not isinstance(mt, str) or not mt.strip():
            raise _expect(file, "migrations_table", mt)
        values["migrations_table"] = mt
    if "prefix" in section:
        values["prefix"] = _choice(file, "prefix", section["prefix"], PREFIXES)
    if "format" in section:
        values["format"] = _choice(file, "format", section["format"], FORMATS)
    if "models" in section:
        models = section["models"]
        if not isinstance(models, str) or not models.endswith(".py"):
            raise _expect(file, "models", models)
        values["models"] = (root / models).resolve()
    return KitConfig(root=root, path=file, raw=dict(section), **values)


def _absolute_sqlite(url: str, root: Path) -> str:
    """Make a relative SQLite file URL relative to the config's folder, not the working directory."""
    for scheme in ("sqlite:///", "sqlite3:///"):
        if url.startswith(scheme):
            path, sep, query = url[len(scheme):].partition("?")
            if path and path != ":memory:" and not Path(path).is_absolute():
                return f"sqlite:///{(root / path).resolve()}{sep}{query}"
            return url
    if "://" not in url and not url.startswith("file:") and url not in ("", ":memory:"):
        file = Path(url)
        return str(file if file.is_absolute() else (root / file).resolve())
    return url


# ---- loading the schema ------------------------------------------------------------


def schema_sources(config: KitConfig) -> list[str]:
    """`config.schema` with file paths/globs made absolute (relative to the config file's folder)."""
    if not config.schema:
        raise ConfigError(
            f"no schema configured in {config.source}: add `schema = \"app/schema.py\"` "
            "(or a module path) to [tool.mizzle] in pyproject.toml or to mizzle.toml"
        )
    out: list[str] = []
    for entry in config.schema:
        looks_like_path = entry.endswith(".py") or "/" in entry or "\\" in entry or any(c in entry for c in "*?[")
        if looks_like_path:
            out.append(entry if Path(entry).is_absolute() else str(config.root / entry))
        else:
            for folder in (config.root / "src", config.root):
                if folder.is_dir() and str(folder) not in sys.path:
                    sys.path.insert(0, str(folder))
            out.append(entry)
    return out


def load_tables(config: KitConfig, *, views: bool = True) -> list[type[Table]]:
    """Import the configured schema and return its tables and views, honouring `tables_filter`.

    `views=False` leaves the views out (`seed` fills tables only).
    """
    from mizzle.kit.from_schema import load_schema

    try:
        tables = load_schema(schema_sources(config))
    except (ConfigError, SchemaError):
        raise
    except Exception as exc:
        raise SchemaError(
            f"importing the schema {list(config.schema)} failed{_user_frame(exc)}: {type(exc).__name__}: {exc}"
        ) from exc
    tables = [t for t in tables if config.table_included(t.__table__.name)]
    if not views:
        from mizzle.schema.view import is_view

        tables = [t for t in tables if not is_view(t)]
    if not tables:
        raise ConfigError(f"{_where(config.path, 'schema')}: {list(config.schema)} defines no tables")
    _check_dialect(config, tables)
    return tables


def _user_frame(exc: BaseException) -> str:
    """` at FILE:LINE` of the innermost traceback frame outside mizzle and the standard library, if any."""
    import traceback

    mizzle_dir = str(Path(__file__).resolve().parents[1])
    where = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        f = frame.filename
        if f.startswith((mizzle_dir, "<frozen")) or "/lib/python" in f:
            continue
        where = f" at {f}:{frame.lineno}" + (f" ({frame.line.strip()})" if frame.line else "")
    if not where and isinstance(exc, SyntaxError) and exc.filename:
        where = f" at {exc.filename}:{exc.lineno}"
    return where


def _module(dialect: str) -> str:
    try:
        return kit_dialect(dialect).schema_module
    except MigrationError:
        return dialect


def _check_dialect(config: KitConfig, tables: list[type[Table]]) -> None:
    """Refuse tables of another dialect than the config's (their DDL would be written for the wrong database)."""
    want = kit_dialect(config.dialect).snapshot_dialect
    other: dict[str, list[str]] = {}
    for t in tables:
        have = getattr(t, "__dialect__", "") or ""
        if have and have != want:
            other.setdefault(have, []).append(t.__table__.name)
    if not other:
        return
    have, names = next(iter(other.items()))
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    raise ConfigError(
        f"{_where(config.path, 'dialect')} is {config.dialect!r} but the schema's tables {shown} are {have} tables "
        f"(declared with {_module(have)}): set dialect = \"{have}\", or declare the tables with "
        f"{_module(want)}"
    )


__all__ = [
    "CASINGS",
    "DIALECTS",
    "PREFIXES",
    "KitConfig",
    "find_config",
    "load_config",
    "load_tables",
    "schema_sources",
]
