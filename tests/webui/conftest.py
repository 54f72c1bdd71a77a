"""The webui example's tests: the service runs as a real subprocess on loopback with a file database."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="webui tests need the examples group and the aio extra: pip install -e '.[aio]' --group examples")
pytest.importorskip("uvicorn", reason="webui tests need the examples group and the aio extra: pip install -e '.[aio]' --group examples")
pytest.importorskip("websockets", reason="webui tests need the examples group and the aio extra: pip install -e '.[aio]' --group examples")
pytest.importorskip("aiosqlite", reason="webui tests need the examples group and the aio extra: pip install -e '.[aio]' --group examples")

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
