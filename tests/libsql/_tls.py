"""A local TLS terminator in front of sqld, with a throw-away CA made by openssl.

`python _tls.py UPSTREAM_PORT CERT KEY` prints its port and forwards each TLS connection's bytes to
the upstream port (a separate process: the libsql package holds the GIL while it waits).
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import subprocess
import sys
import threading
from pathlib import Path
from types import TracebackType


def make_ca_and_cert(d: Path) -> tuple[Path, Path, Path]:
    """(CA certificate, server certificate for localhost/127.0.0.1, server key) in `d`."""
    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=d)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=mizzle test CA")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "srv.key", "-out", "srv.csr", "-subj", "/CN=localhost")
    (d / "ext.cnf").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    run("x509", "-req", "-in", "srv.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "srv.pem",
        "-days", "2", "-extfile", "ext.cnf")
    return d / "ca.pem", d / "srv.pem", d / "srv.key"


class TLSTerminator:
    """`with TLSTerminator(upstream_port, cert, key) as t:` clients connect to `localhost:{t.port}` over TLS."""

    def __init__(self, upstream_port: int, cert: Path, key: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, __file__, str(upstream_port), str(cert), str(key)],
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        self.port = int(self.proc.stdout.readline())

    def __enter__(self) -> TLSTerminator:
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.proc.terminate()
        self.proc.wait(5)


def _pipe(a: socket.socket, b: socket.socket) -> None:
    try:
        while data := a.recv(65536):
            b.sendall(data)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            b.shutdown(socket.SHUT_WR)


def serve(upstream_port: int, cert: str, key: str) -> None:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    print(listener.getsockname()[1], flush=True)

    def handle(conn: socket.socket) -> None:
        try:
            tls = ctx.wrap_socket(conn, server_side=True)
        except (OSError, ssl.SSLError):
            return  # the client refused our certificate
        upstream = socket.create_connection(("127.0.0.1", upstream_port))
        threading.Thread(target=_pipe, args=(tls, upstream), daemon=True).start()
        _pipe(upstream, tls)

    while True:
        conn, _ = listener.accept()
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    serve(int(sys.argv[1]), sys.argv[2], sys.argv[3])
