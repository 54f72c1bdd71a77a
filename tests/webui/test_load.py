"""The load script, short: 200 concurrent clients for ~3 s; every acknowledged write is in the database."""

from __future__ import annotations

import asyncio
from pathlib import Path

from examples.webui.load import free_port, run_clients, start_service, stop_service, verify


def test_200_clients_every_ack_persisted_and_never_locked(tmp_path: Path) -> None:
    db = str(tmp_path / "load.db")
    port = free_port()
    proc = start_service(db, port)
    try:
        report = asyncio.run(run_clients(f"http://127.0.0.1:{port}", 200, 3.0))
    finally:
        assert stop_service(proc) == 0
    verify(db, report)
    assert report.locked == 0
    assert report.errors == {}
    assert len(report.sessions) >= 200 and len(report.messages) > 200
    assert report.missing_sessions == 0 and report.missing_messages == 0
