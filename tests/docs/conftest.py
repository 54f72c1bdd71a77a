"""Report how many documentation code blocks ran."""

from __future__ import annotations

import pytest
from doc_blocks import STATS, summary


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if any(STATS.values()):
        terminalreporter.write_line(summary())
