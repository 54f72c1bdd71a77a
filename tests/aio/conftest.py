"""Async tests run each coroutine with `asyncio.run` (no plugin needed)."""

from __future__ import annotations

import pytest

pytest.importorskip("aiosqlite", reason="async SQLite tests need aiosqlite: pip install 'mizzle[aio]'")
