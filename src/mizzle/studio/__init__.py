"""mizzle studio: an open, offline database studio in the browser (`mizzle studio`).

`serve(config)` loads the kit config's schema (or, with none configured, reads the tables from the
database the way `mizzle pull` does), connects to its database and serves the web UI on loopback with
a random token; `Studio` + `make_server` are the programmatic pieces.
"""

from __future__ import annotations

import errno
import ipaddress
import sys
import webbrowser
from pathlib import Path
from typing import TextIO

from mizzle.errors import ConfigError, MizzleError
from mizzle.kit.config import KitConfig, load_tables
from mizzle.studio.app import ApiError, Studio, redact_url
from mizzle.studio.server import TOKEN_HEADER, StudioServer, make_server


def is_loopback(host: str) -> bool:
    """Whether `host` is a loopback address (127.0.0.0/8, ::1 or localhost)."""
    if host in ("localhost", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str) -> str | None:
    """The loud warning printed when the studio binds to a non-loopback address (None on loopback)."""
    if is_loopback(host):
        return None
    bar = "!" * 78
    return (
        f"{bar}\n"
        f"!! WARNING: mizzle studio is listening on {host}, not on loopback.\n"
        "!! Anyone who can reach this machine and learns the token can read and change your database.\n"
        "!! Use the default --host 127.0.0.1 unless you really mean to expose it (and prefer --read-only).\n"
        f"{bar}"
    )


def studio_url(server: StudioServer, host: str) -> str:
    """The URL to open, token included."""
    port = server.server_address[1]
    shown = host if host not in ("0.0.0.0", "::", "") else "127.0.0.1"
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/?token={server.studio.token}"


def serve(
    config: KitConfig,
    *,
    host: str = "127.0.0.1",
    port: int = 4983,
    read_only: bool = False,
    open_browser: bool = False,
    out: TextIO | None = None,
) -> int:
    """Run the studio for `config` until interrupted (Ctrl+C); returns the exit status."""
    from mizzle.kit.introspect import connect_config
    from mizzle.studio.console import read_only_role_hint
    from mizzle.studio.introspected import pulled_tables

    stream = out or sys.stdout
    _require_sqlite_file(config.url)
    tables = load_tables(config, views=True) if config.schema else None
    db = connect_config(config)
    try:
        if tables is None:
            tables = pulled_tables(db, config)
        studio = Studio(db, tables, config=config, read_only=read_only, url=config.url)
        warning = exposure_warning(host)
        if warning:
            print(warning, file=sys.stderr, flush=True)
        for risk in studio.risks:
            print(f"warning: {risk}; " + ("so the read-only console is off. " if read_only else
                                          "--read-only could not hold it back. ") + read_only_role_hint(studio.dialect),
                  file=sys.stderr, flush=True)
        server = bind(studio, host, port)
    except BaseException:
        db.close()
        raise
    url = studio_url(server, host)
    mode = "read-only" if read_only else "read-write"
    source = "schema " + ", ".join(config.schema) if config.schema else "tables read from the database"
    print(f"mizzle studio ({mode}) for {redact_url(config.url)} — {len(tables)} table(s), {source}", file=stream)
    print(f"open {url}", file=stream, flush=True)
    if open_browser:
        webbrowser.open(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        db.close()
    return 0


class PortInUse(MizzleError):
    """The studio's port is taken."""

    hint = "pick another port with --port N (or --port 0 for any free one)"


def bind(studio: Studio, host: str, port: int) -> StudioServer:
    """`make_server`, with a clear error when the port is taken or the address cannot be used."""
    try:
        return make_server(studio, host, port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(f"port {port} on {host} is already in use (another studio or program listens there)"
                            ) from None
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def _require_sqlite_file(url: str) -> None:
    """A SQLite URL must name an existing file: the studio never creates an empty database by accident."""
    from mizzle.url import parse_url

    spec = parse_url(url)
    if spec.scheme != "sqlite" or spec.uri or spec.database == ":memory:":
        return
    if not Path(spec.database).is_file():
        raise ConfigError(f"no SQLite database at {spec.database}: pass the URL of an existing database, "
                          "e.g. `mizzle studio sqlite:///path/to/app.db`")


def main(config: KitConfig, *, host: str = "127.0.0.1", port: int = 4983, read_only: bool = False,
         open_browser: bool = False) -> int:
    """The `mizzle studio` entry point."""
    return serve(config, host=host, port=port, read_only=read_only, open_browser=open_browser)


__all__ = [
    "TOKEN_HEADER",
    "ApiError",
    "PortInUse",
    "Studio",
    "StudioServer",
    "bind",
    "exposure_warning",
    "is_loopback",
    "main",
    "make_server",
    "redact_url",
    "serve",
    "studio_url",
]
