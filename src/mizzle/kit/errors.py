"""Kit errors that carry their own hint (what to do next), shown by the CLI under the message."""

from __future__ import annotations

from mizzle.errors import MigrationError


class HintedError(MigrationError):
    """A `MigrationError` with a `hint` fitting this error (the CLI prints it instead of a generic one)."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


FOLDER_HINT = ("restore {file} from version control (`git checkout -- {file}`); "
               "`mizzle check` lists every problem of the migrations folder")
"""The hint of a corrupt or missing file of a migrations folder (`.format(file=...)`)."""


def folder_error(exc: MigrationError, file: str) -> HintedError:
    """`exc` (about a broken folder file) with the hint to restore `file`; an existing hint is kept."""
    hint = getattr(exc, "hint", None) or FOLDER_HINT.format(file=file)
    return HintedError(str(exc), hint)


__all__ = ["FOLDER_HINT", "HintedError", "folder_error"]
