"""A small TCP proxy for tests: forwards bytes between a client and a database server and cuts
both sides the moment the client sends a COMMIT (before the server receives it), so "the
connection died during COMMIT" is deterministic."""

from __future__ import annotations

import contextlib
import select
import socket
import threading
from collections.abc import Iterator

# PostgreSQL: psycopg sends "commit" in a Parse/Query message, NUL-terminated; MySQL: COM_QUERY (0x03) "COMMIT"
_COMMIT_MARKS = (b"commit\x00", b"\x03COMMIT")


class CommitCutter:
    """Listens on 127.0.0.1:<port>; each client connection is forwarded to (host, port) until a
    COMMIT passes, then both sockets are closed. `cuts` counts the COMMITs it cut."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port: int = self.listener.getsockname()[1]
        self.armed = False
        self.cuts = 0
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()

    def _pump(self, client: socket.socket, server: socket.socket) -> None:
        try:
            while not self._stop:
                ready, _, _ = select.select([client, server], [], [], 1.0)
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    if sock is client:
                        if self.armed and any(m in data for m in _COMMIT_MARKS):
                            self.cuts += 1
                            return  # the COMMIT never reaches the server; the client sees the connection die
                        server.sendall(data)
                    else:
                        client.sendall(data)
        except OSError:
            return
        finally:
            for s in (client, server):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()

    def close(self) -> None:
        self._stop = True
        self.listener.close()


@contextlib.contextmanager
def commit_cutter(host: str, port: int) -> Iterator[CommitCutter]:
    """A running CommitCutter, closed afterwards."""
    proxy = CommitCutter(host, port)
    try:
        yield proxy
    finally:
        proxy.close()
