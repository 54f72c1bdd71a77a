"""Output for people: `rich` when installed (the `cli` extra), plain text otherwise."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any, TypeVar

T = TypeVar("T")

# style name -> (rich style, plain prefix)
_STYLES: dict[str, str] = {
    "create": "green",
    "add": "green",
    "alter": "yellow",
    "rename": "cyan",
    "drop": "red",
    "loss": "bold red",
    "warn": "yellow",
    "ok": "green",
    "dim": "dim",
    "error": "bold red",
    "title": "bold",
}


def _rich(module: str) -> Any:
    """A `rich` submodule (typed loosely: rich is an optional extra), or None when not installed."""
    try:
        return importlib.import_module(f"rich.{module}")
    except ImportError:
        return None


class Console:
    """Writes messages, aligned tables and progress; asks yes/no questions on a terminal."""

    def __init__(
        self,
        out: IO[str] | None = None,
        err: IO[str] | None = None,
        *,
        color: bool | None = None,
        stdin: IO[str] | None = None,
        verbose: bool = False,
    ) -> None:
        self.out = out if out is not None else sys.stdout
        self.err = err if err is not None else sys.stderr
        self.stdin = stdin if stdin is not None else sys.stdin
        self.verbose = verbose
        is_tty = _isatty(self.out)
        if color is None:
            color = is_tty and "NO_COLOR" not in os.environ
        self.color = color
        self._rich: Any = None
        self._rich_err: Any = None
        rich_console = _rich("console")
        if rich_console is not None:
            RichConsole = rich_console.Console
            self._rich = RichConsole(file=self.out, force_terminal=color, no_color=not color,
                                     highlight=False, soft_wrap=True)
            self._rich_err = RichConsole(file=self.err, force_terminal=color and _isatty(self.err),
                                         no_color=not color, highlight=False, soft_wrap=True)

    # ---- messages ------------------------------------------------------------------

    def print(self, text: str = "", style: str | None = None) -> None:
        """One line on stdout, coloured by `style` (see `_STYLES`) when colour is on."""
        if self._rich is not None:
            Text = _rich("text").Text
            self._rich.print(Text(text, style=_STYLES.get(style or "", style or "")))
        else:
            self.out.write(text + "\n")
        self.out.flush()

    def info(self, text: str) -> None:
        """A normal message."""
        self.print(text)

    def detail(self, text: str) -> None:
        """A message shown only with --verbose."""
        if self.verbose:
            self.print(text, "dim")

    def success(self, text: str) -> None:
        """A success line."""
        self.print(("✓ " if self.color else "") + text, "ok")

    def warn(self, text: str) -> None:
        """A warning (on stderr)."""
        self._err_line("warning: " + text, "warn")

    def error(self, text: str) -> None:
        """An error message (on stderr)."""
        self._err_line("error: " + text, "error")

    def hint(self, text: str) -> None:
        """What to do next, after an error (on stderr)."""
        for line in text.splitlines():
            self._err_line("  " + line, "dim")

    def note(self, text: str) -> None:
        """An informational line on stderr (when stdout carries data such as SQL or a module)."""
        self._err_line(text, "dim")

    def _err_line(self, text: str, style: str) -> None:
        if self._rich_err is not None:
            Text = _rich("text").Text
            self._rich_err.print(Text(text, style=_STYLES[style]))
        else:
            self.err.write(text + "\n")
        self.err.flush()

    def raw(self, text: str) -> None:
        """Text written as is (SQL for piping: no colour, no wrapping)."""
        self.out.write(text)
        if not text.endswith("\n"):
            self.out.write("\n")
        self.out.flush()

    def rows(self, rows: Sequence[Sequence[tuple[str, str | None]]], indent: int = 2) -> None:
        """Aligned columns: each row is a list of (text, style) cells; columns padded to the widest cell."""
        if not rows:
            return
        ncols = max(len(r) for r in rows)
        widths = [0] * ncols
        for r in rows:
            for i, (cell, _) in enumerate(r[:-1]):
                widths[i] = max(widths[i], len(cell))
        for r in rows:
            while len(r) > 1 and not r[-1][0]:
                r = r[:-1]
            parts: list[tuple[str, str | None]] = [(" " * indent, None)]
            for i, (cell, style) in enumerate(r):
                pad = widths[i] - len(cell) if i < len(r) - 1 else 0
                parts.append((cell + " " * pad + ("  " if i < len(r) - 1 else ""), style))
            self._styled_line(parts)

    def _styled_line(self, parts: Sequence[tuple[str, str | None]]) -> None:
        if self._rich is not None:
            Text = _rich("text").Text
            line = Text()
            for cell, style in parts:
                line.append(cell, style=_STYLES.get(style or "", style or ""))
            self._rich.print(line)
        else:
            self.out.write("".join(cell for cell, _ in parts).rstrip() + "\n")
        self.out.flush()

    # ---- progress ------------------------------------------------------------------------

    def progress(self, items: Iterable[T], label: str, total: int | None = None,
                 describe: Callable[[T], str] | None = None) -> Iterator[T]:
        """Yield `items`, showing progress (a bar on a terminal, one line per item otherwise)."""
        seq = list(items)
        n = total if total is not None else len(seq)
        if self._rich is not None and self.color and _isatty(self.out) and n > 1:
            Progress = _rich("progress").Progress
            with Progress(console=self._rich, transient=True) as bar:
                task = bar.add_task(label, total=n)
                for item in seq:
                    yield item
                    bar.advance(task)
            return
        for i, item in enumerate(seq, 1):
            if describe is not None:
                self.print(f"  [{i}/{n}] {describe(item)}", "dim")
            yield item

    def live(self, text: str) -> Live:
        """A one-line status that updates in place (rich on a colour terminal); a no-op anywhere else."""
        if self._rich is not None and self.color and _isatty(self.out):
            return Live(self._rich.status(text))
        return Live(None)

    # ---- questions -----------------------------------------------------------------------

    @property
    def interactive_out(self) -> bool:
        """Whether stdout is a terminal (live progress makes sense)."""
        return _isatty(self.out)

    @property
    def interactive(self) -> bool:
        """Whether questions can be asked (stdin and stdout are terminals)."""
        return _isatty(self.stdin) and _isatty(self.out)

    def ask(self, question: str) -> str:
        """Ask a question on the terminal and return the stripped answer."""
        self.out.write(question)
        self.out.flush()
        line = self.stdin.readline()
        if not line:
            raise EOFError("no answer (end of input)")
        return line.strip()

    def confirm(self, question: str, default: bool = False) -> bool:
        """A yes/no question; the default is taken on an empty answer."""
        suffix = " [Y/n] " if default else " [y/N] "
        while True:
            answer = self.ask(question + suffix).lower()
            if not answer:
                return default
            if answer in ("y", "yes"):
                return True
            if answer in ("n", "no"):
                return False

    def choose(self, question: str, options: Sequence[str]) -> int:
        """Ask to pick one of `options` by number; returns its index."""
        self.print(question, "title")
        for i, option in enumerate(options, 1):
            self.print(f"  {i}) {option}")
        while True:
            answer = self.ask(f"choose 1-{len(options)}: ")
            if answer.isdigit() and 1 <= int(answer) <= len(options):
                return int(answer) - 1


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def plural(n: int, word: str, many: str | None = None) -> str:
    """`1 row`, `2 rows`, `1,204 values` (thousands separated)."""
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


class Live:
    """A status line shown while work runs (`update`, `stop`)."""

    def __init__(self, status: Any) -> None:
        self._status = status
        if status is not None:
            status.start()

    def update(self, text: str) -> None:
        if self._status is not None:
            self._status.update(text)

    def stop(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None


__all__ = ["Console", "Live", "plural"]
