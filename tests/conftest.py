"""Shared fixtures: real databases only (SQLite files in tmp dirs; PostgreSQL/MariaDB when reachable)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: SQLite-specific behaviour")
