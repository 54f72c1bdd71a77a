"""What every command gets: the parsed arguments, the console and the (lazily loaded) kit config."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mizzle.cli.output import Console
from mizzle.errors import MizzleError
from mizzle.kit.config import KitConfig, load_config

if TYPE_CHECKING:
    from mizzle.session.sync import Database


class CommandError(MizzleError):
    """An expected failure of a command: printed without a traceback, exit status `code`."""

    def __init__(self, message: str, *, hint: str | None = None, code: int = 1) -> None:
        super().__init__(message)
        self.hint = hint
        self.code = code


@dataclass
class Context:
    """Shared state of one `mizzle` invocation."""

    args: argparse.Namespace
    console: Console
    cwd: Path = field(default_factory=Path.cwd)
    _config: KitConfig | None = None

    @property
    def config(self) -> KitConfig:
        """The kit config (from --config, or the nearest mizzle.toml / pyproject.toml), with flag overrides."""
        if self._config is None:
            cfg = load_config(getattr(self.args, "config", None), cwd=self.cwd)
            overrides: dict[str, Any] = {}
            for key in ("out", "url", "dialect"):
                value = getattr(self.args, key, None)
                if value is not None:
                    overrides[key] = (self.cwd / value).resolve() if key == "out" else value
            if getattr(self.args, "verbose", False):
                overrides["verbose"] = True
            self._config = cfg.with_overrides(**overrides)
            if self._config.verbose:
                self.console.verbose = True
        return self._config

    def database_label(self) -> str:
        """The configured database for people: the redacted URL (a SQLite file relative to the working folder)."""
        import os

        from mizzle.url import redact

        url = self.config.url
        for scheme in ("sqlite:///", "sqlite3:///"):
            if url.startswith(scheme):
                path, sep, query = url[len(scheme):].partition("?")
                if os.path.isabs(path):
                    try:
                        rel = os.path.relpath(path, self.cwd)
                    except ValueError:
                        rel = path
                    if not rel.startswith(".."):
                        url = f"{scheme}{rel}{sep}{query}"
        label = redact(url)
        if "url" not in self.config.raw and getattr(self.args, "url", None) is None:
            if self.config.path is None:
                label += " (the default: no config file was found)"
            else:
                label += f" (the default: {os.path.relpath(self.config.path, self.cwd)} sets no `url`)"
        return label

    def connect(self, *, to_stderr: bool = False) -> Database:
        """Open the configured database, first saying which one (on stderr when stdout carries data)."""
        from mizzle.kit.introspect import connect_config

        line = f"database: {self.database_label()}"
        if to_stderr:
            self.console.note(line)
        else:
            self.console.print(line, "dim")
        return connect_config(self.config)
