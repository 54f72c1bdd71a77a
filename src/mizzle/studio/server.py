"""The studio's HTTP server (stdlib `http.server`): token check, CSRF header, JSON API, static files.

Why the stdlib and not Starlette: the studio serves one person on one connection, the session is
synchronous, and a zero-dependency server runs from any install (`pip install mizzle`) with nothing
more to fetch. Requests run in threads; database work is serialised by `Studio.lock`.
"""

from __future__ import annotations

import base64
import csv
import hmac
import io
import json
import mimetypes
import re
from collections.abc import Callable
from http import HTTPStatus
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any, cast
from urllib.parse import parse_qsl, urlsplit

from mizzle.errors import MizzleError
from mizzle.studio import console, edit, grid, migrations, related, schema_info
from mizzle.studio.app import ApiError, Studio, redact_url

TOKEN_HEADER = "X-Mizzle-Token"
"""Every API call carries the token in this header; writes (POST) must: a cross-site form cannot set it."""
MAX_BODY = 5 * 1024 * 1024
_STATIC = re.compile(r"^/static/([a-z0-9_-]+\.(?:js|css|svg|png))$")
_TABLE = re.compile(r"^/api/tables/([^/]+)/(rows|export|row|insert|update|delete|delete-preview)$")

_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
}


def static_text(name: str) -> bytes:
    """A file of the bundled front end."""
    return resources.files("mizzle.studio").joinpath("static", name).read_bytes()


class StudioServer(ThreadingHTTPServer):
    """A threading HTTP server holding its `Studio`."""

    daemon_threads = True
    studio: Studio


def make_server(studio: Studio, host: str, port: int) -> StudioServer:
    """Bind the studio's server to `host:port` (port 0 picks a free one); call `serve_forever()` next."""
    server = StudioServer((host, port), Handler)
    server.studio = studio
    return server


def _cookie_name(studio: Studio) -> str:
    return "mizzle_studio_" + studio.token[:6]


class Handler(BaseHTTPRequestHandler):
    """Routes one request: `/` and `/static/*` for the page, `/api/*` for JSON."""

    server: StudioServer  # pyright: ignore[reportIncompatibleVariableOverride]
    server_version = "mizzle-studio"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the studio logs nothing per request."""

    # ---- auth -----------------------------------------------------------------

    def _token_ok(self, query: dict[str, str], *, header_only: bool) -> bool:
        token = self.server.studio.token
        given = self.headers.get(TOKEN_HEADER)
        if given is not None:
            return hmac.compare_digest(given, token)
        if header_only:
            return False
        if "token" in query:
            return hmac.compare_digest(query["token"], token)
        cookie = SimpleCookie(self.headers.get("Cookie") or "")
        morsel = cookie.get(_cookie_name(self.server.studio))
        return morsel is not None and hmac.compare_digest(morsel.value, token)

    # ---- responses --------------------------------------------------------------

    def _send(self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in {**_SECURITY_HEADERS, **(extra or {})}.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, data: Any) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    def _error(self, status: int, message: str) -> None:
        self._json(status, {"error": message, "status": status})

    # ---- dispatch -----------------------------------------------------------------

    def do_GET(self) -> None:
        """Serve the page, a static file or a read endpoint."""
        self._dispatch("GET")

    def do_HEAD(self) -> None:
        """Like GET without the body."""
        self._dispatch("GET")

    def do_POST(self) -> None:
        """Serve a write (or a console query)."""
        self._dispatch("POST")

    def do_PUT(self) -> None:
        """Not used: 405."""
        self._error(405, "method not allowed")

    do_DELETE = do_PUT
    do_PATCH = do_PUT

    def do_OPTIONS(self) -> None:
        """No CORS: a cross-origin preflight gets no permission."""
        self._error(405, "cross-origin requests are not allowed")

    def _dispatch(self, method: str) -> None:
        studio = self.server.studio
        parts = urlsplit(self.path)
        path = parts.path
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        if not self._token_ok(query, header_only=method != "GET"):
            if method != "GET" and self._token_ok(query, header_only=False):
                self._error(403, f"writes need the {TOKEN_HEADER} header (CSRF protection)")
            else:
                self._error(401, "missing or wrong studio token: open the URL `mizzle studio` printed "
                                 "(it ends with ?token=...)")
            return
        try:
            if method == "GET" and path in ("/", "/index.html"):
                self._page(studio, "token" in query)
            elif method == "GET" and _STATIC.match(path):
                self._static(_STATIC.match(path).group(1))  # type: ignore[union-attr]
            elif path.startswith("/api/"):
                self._api(method, path, query)
            else:
                self._error(404, f"no such page: {path}")
        except ApiError as exc:
            self._error(exc.status, exc.message)
        except MizzleError as exc:
            self._error(500, f"{type(exc).__name__}: {exc}")
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _page(self, studio: Studio, from_url: bool) -> None:
        html = static_text("index.html")
        cookie = f"{_cookie_name(studio)}={studio.token}; Path=/; HttpOnly; SameSite=Strict"
        self._send(200, html, "text/html; charset=utf-8", {"Set-Cookie": cookie} if from_url else None)

    def _static(self, name: str) -> None:
        try:
            body = static_text(name)
        except FileNotFoundError:
            self._error(404, f"no static file {name}")
            return
        ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype.endswith("javascript"):
            ctype += "; charset=utf-8"
        self._send(200, body, ctype)

    def _body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise ApiError(413, f"request body too large ({length} bytes; limit {MAX_BODY})")
        raw = self.rfile.read(length) if length else b"{}"
        try:
            data = json.loads(raw or b"{}")
        except json.JSONDecodeError as exc:
            raise ApiError(400, f"request body is not valid JSON ({exc})") from None
        if not isinstance(data, dict):
            raise ApiError(400, "request body must be a JSON object")
        return data  # pyright: ignore[reportUnknownVariableType]

    def _api(self, method: str, path: str, query: dict[str, str]) -> None:
        studio = self.server.studio
        routes: dict[tuple[str, str], Callable[[], Any]] = {
            ("GET", "/api/info"): lambda: info(studio),
            ("GET", "/api/tables"): lambda: schema_info.table_list(studio),
            ("GET", "/api/schema"): lambda: schema_info.schema(studio),
            ("GET", "/api/migrations"): lambda: migrations.overview(studio),
            ("POST", "/api/sql"): lambda: console.run_sql(studio, str(self._body().get("sql", ""))),
        }
        fn = routes.get((method, path))
        if fn is not None:
            with studio.lock:
                self._json(200, fn())
            return
        m = _TABLE.match(path)
        if m is None:
            raise ApiError(404, f"no API endpoint {method} {path}")
        table = studio.table(m.group(1))
        action = m.group(2)
        if method == "GET" and action == "rows":
            with studio.lock:
                self._json(200, grid.fetch_page(studio, grid.parse_query(studio, table, query)))
        elif method == "GET" and action == "export":
            self._export(studio, table, query)
        elif method == "GET" and action == "row":
            key = grid._json_param(query, "key")
            self._json(200, related.related_rows(studio, table, key))
        elif method == "POST" and action == "insert":
            self._json(200, edit.insert_row(studio, table, self._body().get("values") or {}))
        elif method == "POST" and action == "update":
            body = self._body()
            self._json(200, edit.update_row(studio, table, body.get("key"), body.get("values") or {}))
        elif method == "POST" and action == "delete-preview":
            self._json(200, edit.delete_preview(studio, table, self._body().get("keys")))
        elif method == "POST" and action == "delete":
            self._json(200, edit.delete_rows(studio, table, self._body().get("keys")))
        else:
            raise ApiError(405, f"{method} is not allowed on {path}")

    def _export(self, studio: Studio, table: Any, query: dict[str, str]) -> None:
        fmt = query.get("format", "csv")
        if fmt not in ("csv", "json"):
            raise ApiError(400, f"export format must be csv or json, got {fmt!r}")
        q = grid.parse_query(studio, table, query)
        name = table.__table__.name
        cols = [c.name for c in table.__table__.columns.values()]
        rows = grid.iter_rows(studio, q)
        first = next(rows, None)  # errors surface before the headers go out
        self.send_response(200)
        ctype = "text/csv; charset=utf-8" if fmt == "csv" else "application/json; charset=utf-8"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Disposition", f'attachment; filename="{name}.{fmt}"')
        for k, v in _SECURITY_HEADERS.items():
            self.send_header(k, v)
        self.end_headers()
        self.close_connection = True
        out = self.wfile
        if fmt == "csv":
            buf = io.StringIO()
            writer = csv.writer(buf, lineterminator="\n")
            writer.writerow(cols)
            for row in ([first] if first is not None else []):
                writer.writerow([_csv_cell(v) for v in row])
            out.write(buf.getvalue().encode())
            for row in rows:
                buf = io.StringIO()
                csv.writer(buf, lineterminator="\n").writerow([_csv_cell(v) for v in row])
                out.write(buf.getvalue().encode())
            return
        out.write(b"[")
        sep = b"\n"
        for row in ([first] if first is not None else []):
            out.write(sep + json.dumps(dict(zip(cols, row, strict=True)), ensure_ascii=False).encode())
            sep = b",\n"
        for row in rows:
            out.write(sep + json.dumps(dict(zip(cols, row, strict=True)), ensure_ascii=False).encode())
            sep = b",\n"
        out.write(b"\n]\n")


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dict) and "$blob" in value:
        blob = cast(dict[str, Any], value)
        b64 = blob.get("b64")
        return "0x" + (base64.b64decode(b64).hex() if isinstance(b64, str) else str(blob["hex"]) + "...")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def info(studio: Studio) -> dict[str, Any]:
    """What the page header shows: dialect, redacted URL, mode, config file."""
    cfg = studio.config
    return {
        "dialect": studio.dialect,
        "url": redact_url(studio.url or (cfg.url if cfg is not None else "")),
        "read_only": studio.read_only,
        "warnings": studio.risks,
        "config": cfg.source if cfg is not None else None,
        "tables": [t.__table__.name for t in studio.tables],
        "filter_ops": list(grid.FILTER_OPS),
        "status": HTTPStatus.OK.phrase,
    }


__all__ = ["TOKEN_HEADER", "Handler", "StudioServer", "info", "make_server", "static_text"]
