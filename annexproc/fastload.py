"""openpyxl loads for reading, without the cost of styling merged cells (issue 8).

Profiling ``annexproc check`` on the sample showed that ``openpyxl.load_workbook`` spends about
four fifths of its time in ``WorksheetReader.bind_merged_cells``: for each of the ~90 merged ranges of
an annex workbook, ``MergedCellRange`` rebuilds the borders of the range's edge cells and copies the
anchor's protection into every covered cell, hashing style objects at every step. A check never reads
those borders, and every copy we write (annotated, recomputed) is made from a fresh load of the file
(``annotate.load_for_output``), never from the book the check read.

``merges_unstyled()`` makes the openpyxl loads in its block (this thread only) bind merged ranges
without that styling: the same cells with the same values, types and number formats, the same
``MergedCell`` objects over the same ``ws.merged_cells`` ranges; only the covered cells' borders and
protection, and the anchor's border (which openpyxl widens with the bottom-right cell's), stay as the
file has them. Loads outside the block, and in other threads, are openpyxl's own.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator

_state = threading.local()
_lock = threading.Lock()
_ORIGINAL = None


def _bind_merged_cells_unstyled(reader) -> None:
    """``WorksheetReader.bind_merged_cells`` less the border and protection styling."""
    from openpyxl.cell.cell import MergedCell
    from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
    from openpyxl.worksheet.merge import MergedCellRange

    merged = reader.parser.merged_cells
    if not merged:
        return
    ws = reader.ws
    cells = ws._cells
    ranges = []
    for cr in merged.mergeCell:
        mcr = MergedCellRange.__new__(MergedCellRange)   # NB: its __init__ is what styles borders
        mcr.ws = ws
        CellRange.__init__(mcr, range_string=cr.ref)
        top, left = mcr.min_row, mcr.min_col
        start = cells.get((top, left))
        mcr.start_cell = start if start is not None else ws.cell(row=top, column=left)
        for r in range(top, mcr.max_row + 1):
            for c in range(left, mcr.max_col + 1):
                if r != top or c != left:
                    cells[(r, c)] = MergedCell(ws, row=r, column=c)
        ranges.append(mcr)
    ws.merged_cells = MultiCellRange(ranges)


def _bind_merged_cells(reader) -> None:
    if getattr(_state, "depth", 0):
        return _bind_merged_cells_unstyled(reader)
    return _ORIGINAL(reader)


def install() -> bool:
    """Put the switchable binder in openpyxl's worksheet reader (once). False where openpyxl's
    internals are not the ones this was written for: loads then stay openpyxl's own."""
    global _ORIGINAL
    with _lock:
        if _ORIGINAL is not None:
            return True
        try:
            from openpyxl.worksheet import _reader
            from openpyxl.worksheet.merge import MergedCellRange  # noqa: F401
            original = _reader.WorksheetReader.bind_merged_cells
        except (ImportError, AttributeError):
            return False
        _ORIGINAL = original
        _reader.WorksheetReader.bind_merged_cells = _bind_merged_cells
        return True


@contextmanager
def merges_unstyled() -> Iterator[None]:
    """openpyxl loads in this block (this thread) skip the styling of merged ranges."""
    install()
    _state.depth = getattr(_state, "depth", 0) + 1
    try:
        yield
    finally:
        _state.depth -= 1
