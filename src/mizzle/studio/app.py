"""`Studio`: the state one studio server works on (connection, schema tables, mode, token)."""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from mizzle.kit.config import KitConfig
from mizzle.schema.column import Column
from mizzle.schema.table import Table
from mizzle.session.sync import Database


class ApiError(Exception):
    """A request the studio refuses or cannot serve: an HTTP status and a message for the person."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def redact_url(url: str) -> str:
    """`url` with its password replaced by `***` (credentials never reach the browser)."""
    if "://" not in url:
        return url
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}:***@{host}" if ":" in userinfo else f"{user}@{host}"
    query = "&".join(
        f"{k}=***" if k.lower() in ("password", "authtoken", "auth_token", "token", "sslpassword") else f"{k}={v}"
        for k, _, v in (p.partition("=") for p in parts.query.split("&") if p)
    )
    # spelled out: urlunsplit drops an empty host, turning sqlite:////tmp/x.db into sqlite://tmp/x.db
    return f"{parts.scheme}://{netloc}{parts.path}" + (f"?{query}" if query else "")


def json_object(raw: bytes | str, what: str) -> dict[str, Any]:
    """`raw` parsed as a JSON object (400 naming `what` for anything else: bad JSON, bad UTF-8, too deep)."""
    data = json_value(raw, what)
    if not isinstance(data, dict):
        raise ApiError(400, f"{what} must be a JSON object")
    return data  # pyright: ignore[reportUnknownVariableType]


def json_value(raw: bytes | str, what: str) -> Any:
    """`raw` parsed as JSON (400 naming `what` when it is not valid JSON, not UTF-8 or nested too deep)."""
    try:
        return json.loads(raw or b"{}")
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise ApiError(400, f"{what} is not valid JSON ({type(exc).__name__}: {str(exc)[:120]})") from None


@dataclass
class Studio:
    """One studio: the database, the schema's tables, read-only mode and the access token."""

    db: Database
    tables: Sequence[type[Table]]
    config: KitConfig | None = None
    read_only: bool = False
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    url: str = ""
    request_timeout: float = 30.0
    """Seconds a client may take to send a request before the server drops it."""
    lock: threading.RLock = field(default_factory=threading.RLock)

    def __post_init__(self) -> None:
        self.by_name: dict[str, type[Table]] = {t.__table__.name: t for t in self.tables}
        self._risks: list[str] | None = None

    @property
    def risks(self) -> list[str]:
        """What the connected account may do that a read-only transaction does not stop (asked once)."""
        if self._risks is None:
            from mizzle.studio.consoledb import console_dialect

            with self.lock:
                self._risks = list(console_dialect(self.dialect).risky_privileges(self.db))
        return self._risks

    @property
    def dialect(self) -> str:
        """The dialect name: sqlite, postgresql or mysql."""
        return str(self.db.dialect.name)

    def table(self, name: str) -> type[Table]:
        """The schema table called `name` (404 naming the known tables otherwise)."""
        table = self.by_name.get(name)
        if table is None:
            known = ", ".join(sorted(self.by_name)) or "none"
            raise ApiError(404, f"no table {name!r} in the schema (tables: {known})")
        return table

    def column(self, table: type[Table], key: str) -> Column[Any]:
        """The column of `table` with attribute key (or SQL name) `key` (400 naming the columns otherwise)."""
        cols = table.__table__.columns
        col = cols.get(key)
        if col is None:
            col = next((c for c in cols.values() if c.name == key), None)
        if col is None:
            raise ApiError(400, f"table {table.__table__.name} has no column {key!r} (columns: {', '.join(cols)})")
        return col

    def require_write(self, what: str) -> None:
        """Refuse `what` with 403 when the studio runs read-only."""
        if self.read_only:
            raise ApiError(403, f"the studio runs read-only (--read-only): {what} is not allowed")


__all__ = ["ApiError", "Studio", "json_object", "json_value", "redact_url"]
