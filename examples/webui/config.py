"""Environment validated at start (seed 000's `env.ts`): a bad value stops the service with a clear message."""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

DEFAULT_AGENT = f"{shlex.quote(sys.executable)} {shlex.quote(str(Path(__file__).parent / 'agents' / 'echo_agent.py'))}"


class ConfigError(Exception):
    """The environment is invalid; the message lists every bad variable."""


class Env(BaseModel):
    """The service's settings, read from environment variables of the same (upper-case) names."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    NODE_ENV: Literal["development", "production", "test"] = "development"
    PORT: int = Field(default=10086, ge=1, le=65535)
    HOST: str = Field(default="127.0.0.1", min_length=1)
    CORS_ORIGIN: str = "*"
    DB_PATH: str = Field(default="./webui.db", min_length=1)
    # the agent: a command line; the prompt is passed as the last argument
    AGENT_COMMAND: str = Field(default=DEFAULT_AGENT, min_length=1)
    AGENT_AUTO_APPROVE_FLAG: str | None = None
    AGENT_RESUME_FLAG: str | None = None
    API_TIMEOUT_MS: int = Field(default=600_000, gt=0)
    SHUTDOWN_GRACE_MS: int = Field(default=5_000, ge=0)
    ANTHROPIC_AUTH_TOKEN: str | None = None
    ANTHROPIC_BASE_URL: str | None = None
    ANTHROPIC_MODEL: str | None = None
    ANTHROPIC_DEFAULT_SONNET_MODEL: str | None = None
    ANTHROPIC_DEFAULT_OPUS_MODEL: str | None = None
    ANTHROPIC_DEFAULT_HAIKU_MODEL: str | None = None

    @field_validator("AGENT_COMMAND")
    @classmethod
    def _parsable(cls, v: str) -> str:
        try:
            if not shlex.split(v):
                raise ValueError("empty command")
        except ValueError as exc:
            raise ValueError(f"not a valid command line ({exc})") from None
        return v

    @property
    def agent_argv(self) -> list[str]:
        """AGENT_COMMAND split into arguments."""
        return shlex.split(self.AGENT_COMMAND)


def load_env(environ: Mapping[str, str] | None = None) -> Env:
    """Validate the environment; raise ConfigError naming each bad variable and why."""
    source = dict(os.environ if environ is None else environ)
    data = {k: v for k, v in source.items() if k in Env.model_fields and v != ""}
    try:
        return Env.model_validate(data)
    except ValidationError as exc:
        lines = ["Invalid environment variables:"]
        for e in exc.errors(include_url=False):
            name = ".".join(str(p) for p in e["loc"])
            lines.append(f"  {name}={source.get(name, '')!r}: {e['msg']}")
        raise ConfigError("\n".join(lines)) from None
