"""The migrations folder: `meta/_journal.json`, tags, `.sql` files and their hashes (as drizzle-orm reads them)."""

from __future__ import annotations

import hashlib
import json
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from mizzle.errors import MigrationError
from mizzle.kit import folder_v1
from mizzle.kit.errors import FOLDER_HINT, HintedError, folder_error
from mizzle.kit.snapshot import dumps

BREAKPOINT = "--> statement-breakpoint"
Prefix = Literal["index", "timestamp", "none"]

_ADJECTIVES = (
    "amazing", "ancient", "bitter", "black", "blue", "brave", "bright", "broad", "calm", "careful", "clean",
    "clever", "cold", "cool", "crazy", "curious", "dark", "daily", "dizzy", "dry", "eager", "early", "easy",
    "fair", "famous", "fancy", "fast", "flat", "fresh", "friendly", "funny", "gentle", "giant", "glossy",
    "golden", "good", "gray", "great", "green", "happy", "heavy", "hot", "huge", "icy", "jittery", "jolly",
    "keen", "kind", "large", "lazy", "light", "little", "lively", "loud", "lucky", "mature", "mighty",
    "narrow", "neat", "nervous", "new", "nice", "odd", "old", "orange", "perfect", "pink", "plain", "polite",
    "proud", "purple", "quick", "quiet", "rapid", "red", "rich", "round", "sad", "sharp", "shiny", "short",
    "silent", "silly", "slim", "slow", "small", "smart", "smooth", "soft", "solid", "spooky", "steady",
    "strong", "sudden", "sweet", "swift", "tall", "tan", "thick", "thin", "tidy", "tiny", "tough", "tricky",
    "violet", "warm", "wet", "white", "wide", "wild", "wise", "young", "yellow", "zealous",
)
_NOUNS = (
    "alien", "anchor", "apple", "arrow", "badger", "banana", "beacon", "bear", "bird", "blizzard", "boat",
    "breeze", "brook", "cactus", "candle", "canyon", "castle", "cat", "cloud", "comet", "coral", "crow",
    "crystal", "dagger", "dolphin", "dragon", "eagle", "ember", "falcon", "fern", "flame", "forest", "fox",
    "galaxy", "garden", "ghost", "giant", "glacier", "harbor", "hawk", "hero", "island", "jackal", "jaguar",
    "jetstream", "kite", "lantern", "leopard", "lion", "lotus", "magnet", "maple", "meteor", "mirror", "moon",
    "mountain", "nebula", "needle", "oasis", "ocean", "otter", "owl", "panther", "pebble", "phoenix", "pilot",
    "planet", "prism", "puma", "quasar", "rabbit", "raven", "reef", "river", "robot", "rocket", "sailor",
    "shadow", "shark", "sparrow", "sphinx", "spider", "star", "storm", "sun", "tiger", "titan", "tornado",
    "turtle", "valkyrie", "vortex", "walrus", "wave", "whale", "wizard", "wolf", "zephyr",
)


def random_name(rng: random.Random | None = None) -> str:
    """A drizzle-style migration name: `adjective_noun`."""
    r = rng or random.Random()
    return f"{r.choice(_ADJECTIVES)}_{r.choice(_NOUNS)}"


def file_hash(text: str) -> str:
    """SHA-256 of the migration text re-encoded as UTF-8 (what drizzle-orm stores in `hash`)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_sql(path: Path) -> str:
    """A migration file decoded as drizzle-orm does (UTF-8, invalid bytes replaced)."""
    try:
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        raise MigrationError(f"{path}: cannot read migration ({exc.strerror})") from None


def split_statements(text: str) -> list[str]:
    """Chunks as drizzle-orm splits them (plain split on the breakpoint marker, nothing trimmed)."""
    return text.split(BREAKPOINT)


@dataclass(slots=True)
class JournalEntry:
    """One migration: `idx, version, when, tag, breakpoints`."""

    idx: int
    version: str
    when: int
    tag: str
    breakpoints: bool = True

    def to_dict(self) -> dict[str, Any]:
        """JSON object in drizzle's key order."""
        return {"idx": self.idx, "version": self.version, "when": self.when, "tag": self.tag,
                "breakpoints": self.breakpoints}

    @property
    def snapshot_name(self) -> str:
        """The file name of this migration's snapshot in `meta/` (`0003_snapshot.json`)."""
        prefix = self.tag.split("_", 1)[0]
        return f"{prefix}_snapshot.json"


@dataclass(slots=True)
class Journal:
    """`meta/_journal.json`."""

    dialect: str
    entries: list[JournalEntry] = field(default_factory=list[JournalEntry])
    version: str = "7"

    def to_json(self) -> str:
        """File text, byte-identical to drizzle-kit's."""
        return dumps({"version": self.version, "dialect": self.dialect,
                      "entries": [e.to_dict() for e in self.entries]})

    @classmethod
    def parse(cls, text: str, source: str) -> Journal:
        """Parse and validate journal text; errors name `source` and the entry at fault."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise MigrationError(f"{source}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
        if not isinstance(data, dict) or not isinstance(data.get("entries"), list):  # pyright: ignore[reportUnknownMemberType]
            raise MigrationError(f"{source}: expected an object with an \"entries\" list")
        dialect = data.get("dialect")  # pyright: ignore[reportUnknownMemberType,reportUnknownVariableType]
        if not isinstance(dialect, str):
            raise MigrationError(f"{source}: key \"dialect\": expected a string")
        entries: list[JournalEntry] = []
        for i, raw in enumerate(data["entries"]):  # pyright: ignore[reportUnknownArgumentType,reportUnknownVariableType]
            where = f"{source}: entries[{i}]"
            if not isinstance(raw, dict):
                raise MigrationError(f"{where}: expected an object")
            e: dict[str, Any] = raw  # pyright: ignore[reportUnknownVariableType]
            for key, kind in (("idx", int), ("when", int), ("tag", str)):
                if not isinstance(e.get(key), kind) or isinstance(e.get(key), bool):
                    raise MigrationError(f"{where}: key \"{key}\": expected {'an integer' if kind is int else 'a string'}, "
                                         f"got {e.get(key)!r}")
            entries.append(JournalEntry(e["idx"], str(e.get("version", "")), e["when"], e["tag"],
                                        bool(e.get("breakpoints", True))))
        return cls(dialect, entries, str(data.get("version", "7")))  # pyright: ignore[reportUnknownArgumentType,reportUnknownMemberType]

    @classmethod
    def read(cls, folder: str | Path) -> Journal:
        """Read `<folder>/meta/_journal.json`."""
        path = Path(folder) / "meta" / "_journal.json"
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            _refuse_v1_layout(folder)
            raise HintedError(f"{path}: no journal (is {folder} a migrations folder?)",
                              "run `mizzle generate` to start one, or point --out / the config's `out` at the "
                              "folder") from None
        try:
            return cls.parse(text, str(path))
        except MigrationError as exc:
            raise folder_error(exc, str(path)) from None

    @classmethod
    def read_or_new(cls, folder: str | Path, dialect: str) -> Journal:
        """The folder's journal, or an empty one."""
        if (Path(folder) / "meta" / "_journal.json").exists():
            return cls.read(folder)
        _refuse_v1_layout(folder)
        return cls(dialect)

    def write(self, folder: str | Path) -> None:
        """Write `<folder>/meta/_journal.json`."""
        meta = Path(folder) / "meta"
        meta.mkdir(parents=True, exist_ok=True)
        (meta / "_journal.json").write_text(self.to_json(), encoding="utf-8")

    def next_tag(self, name: str | None, prefix: Prefix = "index", now_ms: int | None = None) -> str:
        """The tag of the next migration (`0004_<name>`, `20260102030405_<name>`, or `_<name>`)."""
        name = name or random_name()
        if prefix == "index":
            return f"{len(self.entries):04d}_{name}"
        if prefix == "timestamp":
            ms = now_ms if now_ms is not None else int(time.time() * 1000)
            return f"{time.strftime('%Y%m%d%H%M%S', time.gmtime(ms / 1000))}_{name}"
        return f"_{name}"

    def next_when(self, now_ms: int | None = None) -> int:
        """`Date.now()`, bumped past the last entry so `when` increases along the journal."""
        ms = now_ms if now_ms is not None else int(time.time() * 1000)
        if self.entries:
            ms = max(ms, max(e.when for e in self.entries) + 1)
        return ms


def _refuse_v1_layout(folder: str | Path) -> None:
    """Writing or reading a journal in a drizzle 1.0 folder would mix the layouts: say what works instead."""
    if folder_v1.layout(folder) == "v1":
        raise HintedError(
            f"{folder} is a drizzle 1.0 migrations folder (<timestamp>_<name>/migration.sql, no journal); this "
            "command works on the 0.x layout only so far (migrate, rollback, check and up read both)",
            "generate its migrations with drizzle-kit 1.0, or keep a 0.x folder for mizzle generate and convert a "
            "copy with `mizzle up`")


@dataclass(slots=True)
class MigrationFile:
    """One migration of a folder as the migrator needs it."""

    entry: JournalEntry
    path: Path
    sql: str
    hash: str

    @property
    def tag(self) -> str:
        """The journal tag."""
        return self.entry.tag

    @property
    def when(self) -> int:
        """The journal `when` (stored as `created_at`)."""
        return self.entry.when

    @property
    def chunks(self) -> list[str]:
        """Statement chunks as drizzle-orm splits them."""
        return split_statements(self.sql)


def read_migrations(folder: str | Path) -> list[MigrationFile]:
    """Every migration of the folder in the order it applies them, with its text and hash.

    The 0.x layout is read through its journal; drizzle 1.0's (one `<stamp>_<name>/migration.sql` folder
    per migration, see `kit.folder_v1`) by folder name, each tagged with its folder's name.
    """
    folder = Path(folder)
    if folder_v1.layout(folder) == "v1":
        return _read_v1(folder)
    journal = Journal.read(folder)
    out: list[MigrationFile] = []
    for e in journal.entries:
        path = folder / f"{e.tag}.sql"
        if not path.exists():
            number = e.tag.split("_", 1)[0]
            listed = {f"{x.tag}.sql" for x in journal.entries}
            others = [p.name for p in sorted(folder.glob(f"{number}_*.sql")) if p.name not in listed]
            renamed = (f"; {others[0]} (same number, not in the journal) is probably the renamed file: rename it "
                       f"back to {path.name} or set the entry's tag to {others[0][:-4]!r}") if len(others) == 1 else ""
            raise HintedError(f"{path}: missing (the journal {folder}/meta/_journal.json lists tag {e.tag!r})"
                              + renamed, "" if renamed else FOLDER_HINT.format(file=str(path)))
        text = read_sql(path)
        out.append(MigrationFile(e, path, text, file_hash(text)))
    return out


def _read_v1(folder: Path) -> list[MigrationFile]:
    out: list[MigrationFile] = []
    for i, sub in enumerate(folder_v1.migration_folders(folder)):
        path = sub / folder_v1.SQL_FILE
        text = read_sql(path)
        entry = JournalEntry(i, "", folder_v1.folder_millis(sub.name), sub.name)
        out.append(MigrationFile(entry, path, text, file_hash(text)))
    return out


__all__ = [
    "BREAKPOINT",
    "Journal",
    "JournalEntry",
    "MigrationFile",
    "Prefix",
    "file_hash",
    "random_name",
    "read_migrations",
    "read_sql",
    "split_statements",
]
