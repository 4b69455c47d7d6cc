"""The two kinds of failure: the user's file, and our own spec."""
from __future__ import annotations


class AnnexError(Exception):
    """Base of annexproc's own exceptions."""


class AnnexInputError(AnnexError):
    """The user's file cannot be read as a workbook (names file, and sheet/cell where known)."""

    def __init__(self, message: str, *, path: str | None = None, sheet: str | None = None,
                 cell: str | None = None, message_en: str | None = None):
        super().__init__(message)
        self.message = message
        self.message_en = message_en or message
        self.path, self.sheet, self.cell = path, sheet, cell

    def text(self, lang: str = "zh") -> str:
        return self.message_en if lang == "en" else self.message


class AnnexSpecError(AnnexError):
    """Our declarative spec is inconsistent; a bug in annexproc, not in the user's file."""
