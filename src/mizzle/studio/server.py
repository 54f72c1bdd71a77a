"""The studio's HTTP server (stdlib `http.server`): token check, CSRF header, JSON API, static files.

Why the stdlib and not Starlette: the studio serves one person on one connection, the session is
synchronous, and a zero-dependency server runs from any install (`pip install mizzle`) with nothing
more to fetch. Requests run in threads; database work is serialised by `Studio.lock`.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import hmac
import io
import json
import mimetypes
import re
import sys
from collections.abc import Callable
from http import HTTPStatus
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any, cast
from urllib.parse import parse_qsl, unquote, urlsplit

from mizzle.errors import MizzleError
from mizzle.studio import console, edit, grid, migrations, related, schema_info
from mizzle.studio.app import ApiError, Studio, json_object, redact_url

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

    def handle_error(self, request: Any, client_address: Any) -> None:
        """One line on stderr instead of a traceback; a client that went away is not worth a line."""
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError):
            return
        print(f"mizzle studio: request from {client_address[0]} failed: {type(exc).__name__}: {exc}",
              file=sys.stderr, flush=True)


def make_server(studio: Studio, host: str, port: int) -> StudioServer:
    """Bind the studio's server to `host:port` (port 0 picks a free one); call `serve_forever()` next."""
    server = StudioServer((host, port), Handler)
    server.studio = studio
    return server


def _same(given: str, token: str) -> bool:
    """Constant-time comparison of any text (a non-ASCII token is simply wrong)."""
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), token.encode())


def _cookie_name(studio: Studio) -> str:
    return "mizzle_studio_" + studio.token[:6]


class Handler(BaseHTTPRequestHandler):
    """Routes one request: `/` and `/static/*` for the page, `/api/*` for JSON."""

    server: StudioServer  # pyright: ignore[reportIncompatibleVariableOverride]
    server_version = "mizzle-studio"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the studio logs nothing per request."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The stdlib's error page; an unknown method is a 405 (the stdlib says 501), a client error."""
        if code == HTTPStatus.NOT_IMPLEMENTED:
            code, message = HTTPStatus.METHOD_NOT_ALLOWED, f"method {self.command!r} is not allowed"
        super().send_error(code, message, explain)

    def setup(self) -> None:
        """Apply the studio's socket timeout (a client that stops sending is dropped after it)."""
        super().setup()
        self.connection.settimeout(self.server.studio.request_timeout)

    # ---- auth -----------------------------------------------------------------

    def _token_ok(self, query: dict[str, str], *, header_only: bool) -> bool:
        token = self.server.studio.token
        given = self.headers.get(TOKEN_HEADER)
        if given is not None:
            return _same(given, token)
        if header_only:
            return False
        if "token" in query:
            return _same(query["token"], token)
        try:
            cookie = SimpleCookie(self.headers.get("Cookie") or "")
        except CookieError:
            return False
        morsel = cookie.get(_cookie_name(self.server.studio))
        return morsel is not None and _same(morsel.value, token)

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
        except TimeoutError:
            self.close_connection = True
            self._try_error(408, "the request was not sent in time")
        except ConnectionError:
            self.close_connection = True
        except Exception as exc:  # a bug: one line in the log, a JSON error for the page, no traceback
            print(f"mizzle studio: {method} {path} failed: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            self._try_error(500, f"internal error: {type(exc).__name__}: {exc}")

    def _try_error(self, status: int, message: str) -> None:
        with contextlib.suppress(OSError):
            self._error(status, message)

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
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise ApiError(411, "send the request body with a Content-Length (no Transfer-Encoding)")
        text = (self.headers.get("Content-Length") or "0").strip()
        if not text.isascii() or not text.isdigit():
            self.close_connection = True
            raise ApiError(400, f"Content-Length must be a whole number of bytes, got {text[:40]!r}")
        length = int(text)
        if length > MAX_BODY:
            self.close_connection = True
            raise ApiError(413, f"request body too large ({length} bytes; limit {MAX_BODY})")
        raw = self.rfile.read(length) if length else b""
        if len(raw) < length:
            self.close_connection = True
            raise ApiError(400, f"the request body ended after {len(raw)} of {length} bytes")
        return json_object(raw, "request body")

    def _json_field(self, body: dict[str, Any], key: str, kind: type, what: str) -> Any:
        value = body.get(key)
        if not isinstance(value, kind):
            raise ApiError(400, f"{key!r} must be {what}, got {json.dumps(value)[:80]}")
        return value

    def _api(self, method: str, path: str, query: dict[str, str]) -> None:
        studio = self.server.studio
        routes: dict[tuple[str, str], Callable[[], Any]] = {
            ("GET", "/api/info"): lambda: info(studio),
            ("GET", "/api/tables"): lambda: schema_info.table_list(studio),
            ("GET", "/api/schema"): lambda: schema_info.schema(studio),
            ("GET", "/api/migrations"): lambda: migrations.overview(studio),
            ("POST", "/api/sql"): lambda: console.run_sql(studio, self._json_field(self._body(), "sql", str,
                                                                                    "the SQL text")),
        }
        fn = routes.get((method, path))
        if fn is not None:
            with studio.lock:
                self._json(200, fn())
            return
        m = _TABLE.match(path)
        if m is None:
            raise ApiError(404, f"no API endpoint {method} {path}")
        table = studio.table(unquote(m.group(1)))  # the page sends encodeURIComponent(name)
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
            body = self._body()
            values: dict[str, Any] = (self._json_field(body, "values", dict, "an object of column values")
                                      if body.get("values") else {})
            self._json(200, edit.insert_row(studio, table, values))
        elif method == "POST" and action == "update":
            body = self._body()
            key = self._json_field(body, "key", list, "the row's primary key values (a list)")
            self._json(200, edit.update_row(studio, table, key,
                                            self._json_field(body, "values", dict, "an object of column values")))
        elif method == "POST" and action in ("delete-preview", "delete"):
            keys = self._json_field(self._body(), "keys", list, "a list of primary keys (lists of values)")
            if not all(isinstance(k, list) for k in keys):  # pyright: ignore[reportUnknownVariableType]
                raise ApiError(400, "'keys' must be a list of primary keys, each a list of values")
            delete = edit.delete_preview if action == "delete-preview" else edit.delete_rows
            self._json(200, delete(studio, table, keys))
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
    if isinstance(value, dict) and "$raw" in value:  # an undecodable value: the stored text as it is
        return cast(dict[str, Any], value)["$raw"]
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
