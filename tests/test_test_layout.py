"""The test tree itself: pytest imports test modules by their file name (rootdir-relative, no packages), so two
test files with the same name in different folders stop the whole run at collection ("import file mismatch")."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path


def test_no_two_test_modules_share_a_file_name() -> None:
    seen: defaultdict[str, list[str]] = defaultdict(list)
    root = Path(__file__).parent
    for path in root.rglob("test_*.py"):
        seen[path.name].append(str(path.relative_to(root)))
    clashes = {name: paths for name, paths in seen.items() if len(paths) > 1}
    assert not clashes, f"rename one of each: {clashes}"
