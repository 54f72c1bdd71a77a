"""Connection URLs: pick a driver by scheme and turn the URL into its arguments."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from mizzle.errors import ConfigError

_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def expand_env(text: str, *, where: str = "url") -> str:
    """Replace `${NAME}` / `${NAME:-default}` with environment values (error if unset and no default)."""

    def sub(m: re.Match[str]) -> str:
        name, default = m.group(1), m.group(2)
        value = os.environ.get(name)
        if value is None:
            if default is not None:
                return default
            raise ConfigError(f"{where}: environment variable {name} is not set (used as ${{{name}}})")
        return value

    return _ENV.sub(sub, text)


@dataclass(slots=True)
class ConnectSpec:
    """A parsed connection URL."""

    scheme: str
    database: str
    uri: bool = False
    host: str | None = None
    port: int | None = None
    user: str | None = None
    password: str | None = None
    options: dict[str, str] = field(default_factory=dict[str, str])
    url: str = ""


_SQLITE_SCHEMES = ("sqlite", "sqlite3")


def parse_url(url: str) -> ConnectSpec:
    """Parse `:memory:`, a file path, `sqlite:///path`, `file:...`, or `scheme://user:pw@host:port/db?opts`."""
    url = expand_env(url)
    if url in (":memory:", "", "sqlite://", "sqlite:///:memory:", "sqlite://:memory:"):
        return ConnectSpec("sqlite", ":memory:", url=url)
    if url.startswith("file:"):
        return ConnectSpec("sqlite", url, uri=True, url=url)
    if "://" not in url:
        if re.match(r"^[a-z][a-z0-9+]*:", url) and not re.match(r"^[A-Za-z]:[\\/]", url):
            raise ConfigError(f"connection URL {url!r} is not understood; expected e.g. sqlite:///app.db")
        return ConnectSpec("sqlite", url, url=url)
    scheme, rest = url.split("://", 1)
    scheme = scheme.lower()
    if scheme in _SQLITE_SCHEMES:
        path, _, query = rest.partition("?")
        if path.startswith("/"):
            path = path[1:]
        opts = dict(parse_qsl(query))
        return ConnectSpec("sqlite", unquote(path) or ":memory:", options=opts, url=url)
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError as exc:
        raise ConfigError(f"connection URL {url!r}: bad port ({exc})") from None
    return ConnectSpec(
        scheme=scheme,
        database=unquote(parts.path.lstrip("/")),
        host=parts.hostname,
        port=port,
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        options=dict(parse_qsl(parts.query)),
        url=url,
    )


def redact(url: str) -> str:
    """The URL with its password replaced by `***` (for messages and logs)."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


