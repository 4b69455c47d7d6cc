"""Opening the user's workbook once: formulas, cached values, formats and merges behind one facade.

Everything reads cells through ``Sheet`` so that how the file is parsed (openpyxl, a cached-value
reader, a legacy .xls converter) is decided here and nowhere else. Rows and columns are 1-based.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from typing import Any

from .errors import AnnexInputError


@dataclass
class Sheet:
    name: str
    ws: Any                                   # openpyxl Worksheet (formulas, styles, comments)
    cached: dict[tuple[int, int], Any]        # (row, col) → the value a viewer shows
    merged_at: dict[tuple[int, int], tuple[int, int, int, int]] = field(default_factory=dict)
    hidden_cols: frozenset[int] = frozenset()

    @property
    def max_row(self) -> int:
        return self.ws.max_row

    @property
    def max_col(self) -> int:
        return self.ws.max_column

    def raw(self, row: int, col: int) -> Any:
        """What the cell holds: a constant, or its formula text ('=…')."""
        return self.ws._cells[(row, col)].value if (row, col) in self.ws._cells else None

    def formula(self, row: int, col: int) -> str | None:
        v = self.raw(row, col)
        if isinstance(v, str) and v.startswith("="):
            return v
        text = getattr(v, "text", None)  # ArrayFormula
        return text if isinstance(text, str) else None

    def value(self, row: int, col: int) -> Any:
        """The value a reader sees: the cached result of a formula, else the constant."""
        if (row, col) in self.cached:
            return self.cached[(row, col)]
        v = self.raw(row, col)
        if isinstance(v, str) and v.startswith("="):
            return None
        return v

    def number_format(self, row: int, col: int) -> str:
        c = self.ws._cells.get((row, col))
        return c.number_format if c is not None else "General"

    def top_left(self, row: int, col: int) -> tuple[int, int]:
        """The anchor of the merge holding (row, col), or the cell itself."""
        m = self.merged_at.get((row, col))
        return (m[0], m[1]) if m else (row, col)

    def text(self, row: int, col: int) -> str:
        """The displayed text of a cell, a merged cell reading as its anchor's text."""
        r, c = self.top_left(row, col)
        v = self.value(r, c)
        return "" if v is None else str(v)


@dataclass
class Book:
    path: str
    wb: Any
    sheets: list[Sheet]
    sha256: str
    notes: list[tuple[str, str]] = field(default_factory=list)   # (zh, en) said about the reading

    def sheet(self, name: str) -> Sheet:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(name)


def sha256_of(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def open_book(path: str) -> Book:
    """Read a workbook for checking. Raises AnnexInputError with a message for the user."""
    import openpyxl  # NB: imported here so that `annexproc --help` stays fast

    if not os.path.isfile(path):
        raise AnnexInputError(f"找不到文件：{path}", message_en=f"No such file: {path}", path=path)
    try:
        wb = openpyxl.load_workbook(path, data_only=False, rich_text=False)
        wv = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # NB: openpyxl raises many kinds; the user needs one clear sentence
        raise AnnexInputError(f"无法作为 Excel 工作簿打开（{type(exc).__name__}）",
                              message_en=f"cannot be opened as an Excel workbook ({type(exc).__name__})",
                              path=path) from exc
    sheets = []
    for ws in wb.worksheets:
        vs = wv[ws.title]
        cached = {k: c.value for k, c in vs._cells.items() if c.value is not None}
        merged_at = {}
        for rng in ws.merged_cells.ranges:
            box = (rng.min_row, rng.min_col, rng.max_row, rng.max_col)
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    merged_at[(r, c)] = box
        from .cells import col_index
        hidden = frozenset(col_index(k) for k, d in ws.column_dimensions.items() if d.hidden)
        sheets.append(Sheet(ws.title, ws, cached, merged_at, hidden))
    return Book(path, wb, sheets, sha256_of(path))
