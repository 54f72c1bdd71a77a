"""Rename questions on a terminal (like drizzle-kit's prompt); without one the differ's error explains the options."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mizzle.cli.output import Console
from mizzle.kit.diff import Decision


@dataclass(slots=True)
class PromptResolver:
    """Asks "created or renamed?" for each new table/column when stdin and stdout are terminals.

    Without a terminal it answers None, so the differ refuses with a message naming
    `--rename`, `--answers` and `renamed_from=` — it never guesses.
    """

    console: Console

    def table(self, new: str, candidates: Sequence[str]) -> Decision:
        """Ask whether table `new` is new or renamed from one of `candidates`."""
        if not self.console.interactive:
            return None
        options = [f"+ {new}  create table"] + [f"~ {old} -> {new}  rename table" for old in candidates]
        pick = self.console.choose(f"Is table {new!r} created or renamed from another table?", options)
        return False if pick == 0 else candidates[pick - 1]

    def column(self, table: str, new: str, candidates: Sequence[str]) -> Decision:
        """Ask whether column `table.new` is new or renamed from one of `candidates`."""
        if not self.console.interactive:
            return None
        options = [f"+ {new}  create column"] + [f"~ {old} -> {new}  rename column" for old in candidates]
        pick = self.console.choose(f"Is {table}.{new} created or renamed from another column?", options)
        return False if pick == 0 else candidates[pick - 1]


def build_resolver(console: Console, tables: Sequence[Any], *, renames: Sequence[str] = (),
                   creates: Sequence[str] = (), answers: str | Path | None = None) -> Any:
    """Schema hints, then an answers file, then flags, then the terminal prompt (first that decides wins)."""
    from mizzle.kit.diff import Answers, ChainResolver, HintResolver
    from mizzle.kit.from_schema import rename_hints

    chain: list[Any] = [HintResolver(rename_hints(tables))]
    if answers is not None:
        chain.append(Answers.load(answers))
    if renames or creates:
        chain.append(Answers.from_flags(renames, creates))
    chain.append(PromptResolver(console))
    return ChainResolver(chain)


__all__ = ["PromptResolver", "build_resolver"]
