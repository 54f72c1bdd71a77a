"""The webui example's tests: the service runs as a real subprocess on loopback with a file database."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="webui tests need the webui extra: pip install -e '.[webui]'")
pytest.importorskip("uvicorn", reason="webui tests need the webui extra: pip install -e '.[webui]'")
pytest.importorskip("websockets", reason="webui tests need the webui extra: pip install -e '.[webui]'")
pytest.importorskip("aiosqlite", reason="webui tests need the webui extra: pip install -e '.[webui]'")

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
