"""A counting HTTP proxy in front of sqld: how many requests (round trips) a client makes.

It runs in its own process: the `libsql` package holds the GIL while it waits for the network,
so a proxy thread in the test process would never get to answer.
Run directly: `python _proxy.py UPSTREAM_URL LOG_FILE` prints its port, then logs one line per request.
"""

from __future__ import annotations

import http.client
import subprocess
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit


class CountingProxy:
    """`with CountingProxy(upstream, log) as p:` clients use `p.url`; `p.requests` lists what they sent."""

    def __init__(self, upstream: str, log: Path) -> None:
        self.log = log
        log.write_text("")
        self.offset = 0
        self.proc = subprocess.Popen([sys.executable, __file__, upstream, str(log)], stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        self.url = f"http://127.0.0.1:{self.proc.stdout.readline().strip()}"

    @property
    def requests(self) -> list[str]:
        """The request lines ("POST /v2/pipeline") since the last clear()."""
        return self.log.read_text()[self.offset :].splitlines()

    def clear(self) -> None:
        self.offset = len(self.log.read_text())

    def __enter__(self) -> CountingProxy:
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.proc.terminate()
        self.proc.wait(5)


def serve(upstream: str, log: str) -> None:
    target = urlsplit(upstream)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            with open(log, "a") as f:
                f.write(f"{self.command} {self.path}\n")
            conn = http.client.HTTPConnection(target.hostname or "127.0.0.1", target.port, timeout=30)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
            conn.request(self.command, self.path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            self.send_response(resp.status)
            for k, v in resp.getheaders():
                if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            conn.close()

        do_GET = do_POST = _forward

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2])
