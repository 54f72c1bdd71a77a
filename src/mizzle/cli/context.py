"""What every command gets: the parsed arguments, the console and the (lazily loaded) kit config."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mizzle.cli.output import Console
from mizzle.errors import MizzleError
from mizzle.kit.config import KitConfig, load_config


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
