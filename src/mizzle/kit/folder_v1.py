"""drizzle-kit 1.0's migrations folder: one `<YYYYMMDDHHMMSS>_<name>/` folder per migration.

Each holds `migration.sql` and `snapshot.json`; there is no `meta/_journal.json`. drizzle-orm 1.0's
migrator (`readMigrationFiles`, drizzle-orm 1.0.0-rc.5 `migrator.js`) lists the sub-folders that have
a `migration.sql`, sorts them by name with `localeCompare`, takes `created_at` from the first 14
characters of the name (`Date.UTC` of the stamp, whole seconds) and the name itself as the tracking
row's `name`. The reader here yields the same `MigrationFile`s the 0.x journal reader yields (tag = the
folder name, `when` = that time), so generic commands do not branch on the layout. See docs/drizzle-v1.md.
"""

from __future__ import annotations

import calendar
import re
import time
from pathlib import Path
from typing import Literal

from mizzle.errors import MigrationError
from mizzle.kit.errors import HintedError

Layout = Literal["journal", "v1"]
SQL_FILE = "migration.sql"
SNAPSHOT_FILE = "snapshot.json"
_STAMP = re.compile(r"^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})")

# ICU root collation (what node's String.prototype.localeCompare uses) for ASCII: punctuation and
# symbols in this order, then digits, then letters case-insensitively; case breaks ties, lower first.
_PUNCT = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"


def _primary(ch: str) -> tuple[int, int]:
    if ch.isspace():
        return (0, ord(ch))
    if ch in _PUNCT:
        return (1, _PUNCT.index(ch))
    if ch.isdigit() and ch.isascii():
        return (2, ord(ch))
    if ch.isascii() and ch.isalpha():
        return (3, ord(ch.lower()))
    return (4, ord(ch.lower()))


def locale_key(name: str) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...]]:
    """A sort key ordering names as drizzle-orm's `a.name.localeCompare(b.name)` does (ASCII names)."""
    return (tuple(_primary(c) for c in name), tuple(1 if c.isupper() else 0 for c in name))


def folder_millis(name: str) -> int:
    """`created_at` of a migration folder: the UTC time of its 14-digit stamp, in milliseconds."""
    m = _STAMP.match(name)
    if m is None:
        raise MigrationError(f"{name}: a drizzle 1.0 migration folder name starts with a 14-digit UTC time "
                             "(YYYYMMDDHHMMSS_name); rename the folder")
    y, mo, d, h, mi, s = (int(g) for g in m.groups())
    # Date.UTC rolls over out-of-range fields (month 13 = January next year); so does timegm
    return calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0)) * 1000


def folder_stamp(ms: int | None = None) -> str:
    """The `YYYYMMDDHHMMSS` prefix drizzle-kit gives a folder for a time in ms (now when None)."""
    secs = (ms if ms is not None else int(time.time() * 1000)) // 1000
    return time.strftime("%Y%m%d%H%M%S", time.gmtime(secs))


def has_journal(folder: str | Path) -> bool:
    """Whether `folder` has a 0.x `meta/_journal.json`."""
    return (Path(folder) / "meta" / "_journal.json").exists()


def migration_folders(folder: str | Path) -> list[Path]:
    """The sub-folders holding a `migration.sql`, in drizzle-orm's order (by name, `localeCompare`)."""
    root = Path(folder)
    if not root.is_dir():
        return []
    found = [p for p in root.iterdir() if (p / SQL_FILE).is_file()]
    return sorted(found, key=lambda p: locale_key(p.name))


def layout(folder: str | Path) -> Layout:
    """`journal` (0.x: `meta/_journal.json`) or `v1` (drizzle 1.0: one folder per migration).

    A folder with both is refused as drizzle-orm 1.0 does (run `mizzle up`); an empty or missing folder
    counts as `journal` (0.x stays the default layout).
    """
    if has_journal(folder):
        if migration_folders(folder):
            raise HintedError(f"{folder}: has both meta/_journal.json (0.x) and drizzle 1.0 migration folders",
                              "finish the conversion: move the journal's migrations with `mizzle up`, or delete "
                              "the folders that do not belong")
        return "journal"
    return "v1" if migration_folders(folder) else "journal"


def refuse_journal(folder: str | Path) -> None:
    """drizzle-orm 1.0's refusal of a folder that still has a journal, with mizzle's next step."""
    if has_journal(folder):
        raise HintedError(f"{folder}: old drizzle-kit migrations folder (meta/_journal.json); the drizzle 1.0 "
                          "layout was asked for", "convert it with `mizzle up` (or `drizzle-kit up`)")


def next_folder_name(name: str, now_ms: int | None = None) -> str:
    """`<YYYYMMDDHHMMSS>_<name>` as drizzle-kit 1.0 `generate` names a new migration."""
    return f"{folder_stamp(now_ms)}_{name}"


def write_migration(folder: str | Path, tag: str, sql: str, snapshot_json: str) -> Path:
    """Write `<folder>/<tag>/migration.sql` and `snapshot.json`; refuses an existing migration folder."""
    target = Path(folder) / tag
    if target.exists():
        raise HintedError(f"{target}: a migration with this name exists already",
                          "wait a second (the name starts with the time) or choose another --name")
    target.mkdir(parents=True)
    (target / SNAPSHOT_FILE).write_text(snapshot_json, encoding="utf-8")
    (target / SQL_FILE).write_text(sql, encoding="utf-8")
    return target


__all__ = [
    "SNAPSHOT_FILE",
    "SQL_FILE",
    "Layout",
    "folder_millis",
    "folder_stamp",
    "has_journal",
    "layout",
    "locale_key",
    "migration_folders",
    "next_folder_name",
    "refuse_journal",
    "write_migration",
]
