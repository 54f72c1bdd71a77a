"""Code blocks of README.md and docs/**/*.md, with the markers that say how each one is checked.

Every fenced block is executed unless a marker — an HTML comment on the line right above the
fence, invisible on the rendered page — says otherwise:

- ```python``` blocks run in order in one namespace per page, in a fresh temporary directory
  (top-level `await` allowed; one event loop per page);
- ```bash``` / ```sh``` blocks run with `bash -euo pipefail` in the same directory, with the
  project's `.venv/bin` first on PATH;
- `<!-- doc: file PATH -->` writes the block to PATH in that directory (configs, schema modules);
- `<!-- doc: requires postgres|mysql -->` runs the block with `DATABASE_URL` pointing at a
  throw-away database on that server (skipped, with how to start it, when it is down);
  `<!-- doc: requires libsql -->` sets `LIBSQL_URL` / `LIBSQL_AUTH_TOKEN` to a libSQL server
  (`tests/_sqld.py`: `MIZZLE_LIBSQL_URL`, or one started from the sqld binary; else skipped);
- `<!-- doc: fragment REASON -->` shows a block without running it — the reason is required and
  reported (expected output, a partial snippet, a command that starts a server, ...).

A block in any other language without a marker is an error: nothing is skipped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = frozenset({"python", "py", "python3"})
SHELL = frozenset({"bash", "sh", "shell", "console"})

_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
_MARKER = re.compile(r"^\s*<!--\s*doc:\s*(?P<kind>fragment|file|requires)\b\s*(?P<arg>.*?)\s*-->\s*$")


STATS: dict[str, int] = {"executed": 0, "fragments": 0, "files": 0, "skipped_server": 0}
REASONS: list[str] = []


def summary() -> str:
    """The line the test run ends with."""
    return (f"docs: {STATS['executed']} code blocks executed, {STATS['files']} written as files, "
            f"{STATS['fragments']} fragments (each with a reason), {STATS['skipped_server']} skipped for a "
            f"missing server, 0 skipped without a reason")


@dataclass(frozen=True)
class Block:
    page: Path
    line: int  # 1-based line of the opening fence
    lang: str
    code: str
    kind: str  # "python" | "shell" | "file" | "fragment" | "unmarked"
    arg: str  # the file path, the reason, or the required server

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def pages() -> list[Path]:
    """README.md and every Markdown page of the documentation site."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def parse(page: Path) -> list[Block]:
    """The fenced code blocks of one page, in order."""
    lines = page.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, info = len(m["indent"]), m["fence"], m["info"].strip()
        lang = info.split()[0].lower() if info else ""
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not lines[j].strip().startswith(fence):
            body.append(lines[j][indent:] if lines[j][:indent].strip() == "" else lines[j])
            j += 1
        marker = _MARKER.match(lines[i - 1]) if i > 0 else None
        requires = ""
        if marker and marker["kind"] in ("fragment", "file"):
            kind, arg = marker["kind"], marker["arg"]
        else:
            if marker:  # requires
                requires = marker["arg"]
            kind = "python" if lang in PYTHON else "shell" if lang in SHELL else "unmarked"
            arg = requires
        blocks.append(Block(page, i + 1, lang, "\n".join(body) + "\n", kind, arg))
        i = j + 1
    return blocks
