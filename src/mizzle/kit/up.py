"""`mizzle up`: convert a 0.x migrations folder (journal) to drizzle 1.0's layout, as `drizzle-kit up` does.

drizzle-kit 1.0.0-rc.5 (`planFoldersV3` / `applyFoldersV3` in bin.cjs) gives each journal entry the
folder `<YYYYMMDDHHMMSS of its when>_<tag without its number>`, copies `meta/<n>_snapshot.json` to
`snapshot.json` and `<tag>.sql` to `migration.sql` byte for byte, deletes the `.sql` files and `meta/`,
then upgrades the snapshots in place (SQLite: version 6 -> 7, `kit.dialects.sqlite.snapshot_v7`; MySQL:
version 5 -> 6, `kit.dialects.mysql.snapshot_v6`).

mizzle also moves its own down migrations (`down/<tag>.sql` -> `down/<folder>.sql`), and, unlike
drizzle-kit for SQLite and MySQL, refuses (changing nothing) a folder whose new names would sort a
migration before the one it follows: drizzle-orm 1.0 applies folders in name order, so two migrations
generated in the same second would run in the wrong order on a fresh database (drizzle-kit refuses
this for PostgreSQL only).
"""

from __future__ import annotations

import itertools
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mizzle.errors import MigrationError
from mizzle.kit import folder_v1
from mizzle.kit.errors import HintedError
from mizzle.kit.journal import Journal
from mizzle.kit.snapshot import dumps

SnapshotUpgrade = Callable[[dict[str, Any], str], dict[str, Any] | None]
"""A dialect's in-place snapshot upgrade: the new snapshot, or None when it is current already."""


@dataclass(slots=True)
class Move:
    """One journal entry's move: files now, folder to be."""

    tag: str
    folder: str
    snapshot: Path
    sql: Path | None
    down: Path | None


@dataclass(slots=True)
class UpResult:
    """What `up` did."""

    moved: list[str] = field(default_factory=list[str])
    """The new migration folders (journal order)."""
    upgraded: list[str] = field(default_factory=list[str])
    """snapshot.json files rewritten in the current format."""
    kept: list[str] = field(default_factory=list[str])
    """snapshot.json files left in their old format (no converter for this dialect yet)."""

    def summary(self) -> str:
        """One line for humans."""
        parts: list[str] = []
        if self.moved:
            parts.append(f"moved {len(self.moved)} migration(s) into <timestamp>_<name>/ folders")
        if self.upgraded:
            parts.append(f"upgraded {len(self.upgraded)} snapshot(s)")
        if self.kept:
            parts.append(f"left {len(self.kept)} snapshot(s) in the 0.x format (mizzle converts SQLite, MySQL and "
                         "PostgreSQL snapshots; `drizzle-kit up` converts the rest in place)")
        return "; ".join(parts) if parts else "the folder is in the drizzle 1.0 layout already; nothing to do"


def plan_moves(out: Path) -> list[Move]:
    """The moves of a journal folder (nothing is changed); refuses what drizzle-kit refuses and misordering."""
    journal = Journal.read(out)
    moves: list[Move] = []
    for entry in journal.entries:
        number, _, rest = entry.tag.partition("_")
        folder = f"{folder_v1.folder_stamp(entry.when)}_{rest}"
        snapshot = out / "meta" / f"{number}_snapshot.json"
        if not snapshot.exists():
            raise HintedError(f"{snapshot}: snapshot of {entry.tag} is missing; nothing was changed",
                              f"restore it from version control (`git checkout -- {snapshot}`)")
        sql: Path | None = out / f"{entry.tag}.sql"
        if not (out / f"{entry.tag}.sql").exists():
            found = sorted(out.glob(f"{number}_*.sql"))
            if len(found) > 1:
                raise MigrationError(f"{out}: several .sql files start with {number}_ "
                                     f"({', '.join(p.name for p in found)}); keep one; nothing was changed")
            sql = found[0] if found else None
        down = out / "down" / f"{entry.tag}.sql"
        moves.append(Move(entry.tag, folder, snapshot, sql, down if down.exists() else None))
    _check_order(out, [m for m in moves if m.sql is not None])
    return moves


def _check_order(out: Path, moves: list[Move]) -> None:
    for parent, child in itertools.pairwise(moves):
        if child.folder == parent.folder or folder_v1.locale_key(child.folder) <= folder_v1.locale_key(parent.folder):
            raise HintedError(
                f"{out}: after the move, migration {child.folder} ({child.tag}) would sort before or equal to "
                f"{parent.folder} ({parent.tag}), which it follows, so drizzle-orm 1.0 and mizzle would apply it "
                "first on a fresh database; nothing was changed",
                f"in meta/_journal.json set `when` of {child.tag} to at least one second after `when` of "
                f"{parent.tag} (the folder name is that time), then run `mizzle up` again",
            )
        if (out / child.folder).exists():
            raise MigrationError(f"{out / child.folder}: exists already; nothing was changed")


def up(out: str | Path, upgrade: SnapshotUpgrade | None = None) -> UpResult:
    """Convert `out` to the drizzle 1.0 layout (no-op on a current folder); `upgrade` rewrites snapshots."""
    out = Path(out)
    result = UpResult()
    if folder_v1.has_journal(out):
        moves = plan_moves(out)
        for m in moves:
            if m.sql is None:
                continue
            target = out / m.folder
            target.mkdir()
            (target / folder_v1.SNAPSHOT_FILE).write_bytes(m.snapshot.read_bytes())
            (target / folder_v1.SQL_FILE).write_bytes(m.sql.read_bytes())
            m.sql.unlink()
            if m.down is not None:
                m.down.rename(m.down.with_name(f"{m.folder}.sql"))
            result.moved.append(m.folder)
        shutil.rmtree(out / "meta", ignore_errors=True)
    converted: list[tuple[Path, dict[str, Any]]] = []
    for sub in sorted(p.parent for p in out.glob(f"*/{folder_v1.SNAPSHOT_FILE}")):
        path = sub / folder_v1.SNAPSHOT_FILE
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise HintedError(f"{path}: not a readable snapshot ({exc})",
                              f"restore it from version control (`git checkout -- {path}`)") from None
        new = upgrade(raw, str(path)) if upgrade is not None else None
        if new is not None:
            converted.append((path, new))
        elif not isinstance(raw, dict) or "prevIds" not in raw:
            result.kept.append(str(path))
    for path, new in converted:  # every snapshot converts (a later one builds on the earlier ones) before any is written
        path.write_text(dumps(new), encoding="utf-8")
        result.upgraded.append(str(path))
    return result


def snapshot_upgrade(dialect: str) -> SnapshotUpgrade | None:
    """The in-place snapshot upgrade of a config dialect (None: snapshots are moved, not converted)."""
    from mizzle.kit.dialects import kit_dialect

    return kit_dialect(dialect).snapshot_upgrade_v1()


__all__ = ["Move", "SnapshotUpgrade", "UpResult", "plan_moves", "snapshot_upgrade", "up"]
