"""What `check` reports (problems, branches) and the SQL analysis deciding whether two branches commute."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from mizzle.kit.journal import split_statements


@dataclass(slots=True)
class Problem:
    """One finding: an `error` (the folder is broken) or a `warning`, with what to do about it."""

    severity: Literal["error", "warning"]
    message: str
    hint: str = ""


@dataclass(slots=True)
class Branch:
    """Two or more migrations numbered NNNN (two branches each added one)."""

    number: str
    tags: list[str]
    touches: dict[str, list[str]]
    commute: bool


@dataclass(slots=True)
class CheckReport:
    """Everything `check_folder` found."""

    folder: Path
    migrations: int = 0
    problems: list[Problem] = field(default_factory=list[Problem])
    branches: list[Branch] = field(default_factory=list[Branch])
    roundtrips: list[str] = field(default_factory=list[str])
    """Tags whose up -> down -> up was verified on a scratch database."""
    unverified: list[str] = field(default_factory=list[str])
    """Tags applied up only on the scratch database: no down migration, or an irreversible one (a warning says)."""

    @property
    def ok(self) -> bool:
        """No errors (warnings allowed)."""
        return not any(p.severity == "error" for p in self.problems)

    def error(self, message: str, hint: str = "") -> None:
        """Record an error."""
        self.problems.append(Problem("error", message, hint))

    def warning(self, message: str, hint: str = "") -> None:
        """Record a warning."""
        self.problems.append(Problem("warning", message, hint))


# ---- what a migration touches (for branch commutation) -------------------------------------------

_IDENT = r"[`\"\[]?([^`\"\]\s(]+)[`\"\]]?"
_TABLE_LEVEL = [
    re.compile(r"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?" + _IDENT, re.I),
    re.compile(r"DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?" + _IDENT, re.I),
    re.compile(r"ALTER\s+TABLE\s+" + _IDENT + r"\s+RENAME\s+TO\s+" + _IDENT, re.I),
    re.compile(r"INSERT\s+INTO\s+" + _IDENT, re.I),
]
_COLUMN_LEVEL = re.compile(
    r"ALTER\s+TABLE\s+" + _IDENT + r"\s+(?:ADD\s+(?:COLUMN\s+)?|DROP\s+COLUMN\s+|RENAME\s+COLUMN\s+)" + _IDENT, re.I
)
_INDEX = re.compile(r"CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?" + _IDENT + r"\s+ON\s+" + _IDENT, re.I)
_DROP_INDEX = re.compile(r"DROP\s+INDEX\s+(?:IF\s+EXISTS\s+)?" + _IDENT, re.I)


def touches(sql: str) -> set[str]:
    """What a migration changes: `table` (the whole table), `table.column`, or `index:name`."""
    out: set[str] = set()
    for chunk in split_statements(sql):
        text = chunk.strip()
        if not text or (text.startswith("--") and "\n" not in text):
            continue
        m = _COLUMN_LEVEL.search(text)
        if m:
            out.add(f"{_strip_new(m.group(1))}.{m.group(2)}")
            continue
        m = _INDEX.search(text)
        if m:
            out.add(f"index:{m.group(1)}")
            out.add(f"{_strip_new(m.group(2))}.*index")
            continue
        m = _DROP_INDEX.search(text)
        if m:
            out.add(f"index:{m.group(1)}")
            continue
        for rx in _TABLE_LEVEL:
            m = rx.search(text)
            if m:
                out.update(_strip_new(g) for g in m.groups() if g)
                break
    return out


def _strip_new(name: str) -> str:
    return name[len("__new_"):] if name.startswith("__new_") else name


def commute(a: set[str], b: set[str]) -> bool:
    """Whether two migrations touch disjoint tables/columns (a whole-table change conflicts with any on it)."""
    def tables(s: set[str]) -> set[str]:
        return {t.split(".", 1)[0] for t in s if not t.startswith("index:")}

    whole_a = {t for t in a if "." not in t and not t.startswith("index:")}
    whole_b = {t for t in b if "." not in t and not t.startswith("index:")}
    if whole_a & tables(b) or whole_b & tables(a):
        return False
    return not (a & b)


__all__ = ["Branch", "CheckReport", "Problem", "commute", "touches"]
