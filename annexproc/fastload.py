"""openpyxl loads without the cost of styling merged cells one cell at a time (issue 8).

Profiling showed that ``openpyxl.load_workbook`` spends about four fifths of its time in
``WorksheetReader.bind_merged_cells``: for each of the ~90 merged ranges of an annex workbook,
``MergedCellRange`` adds the anchor's border sides to the range's edge cells and copies the anchor's
protection into every covered cell, and each ``cell.border += …`` builds a Border, hashes it into
the workbook's style list and compares it with those already there. Two ways round it:

- ``merges_unstyled()``, for reading (``Book.wb``, a converted book's copies): merged ranges are bound without that styling. The
  same cells with the same values, types and number formats, the same ``MergedCell`` objects over
  the same ``ws.merged_cells`` ranges; only the covered cells' borders and protection, and the
  anchor's border (which openpyxl widens with the bottom-right cell's), stay as the file has them.
- ``merges_memoised()``, for writing (the annotated copy): openpyxl's own styling, step for step,
  but each distinct step is computed once. A step's result — the index of the cell's new border or
  protection in the workbook's style list — depends only on the indexes it starts from (the cell's
  current border, the anchor's border or protection, the side), and that list only ever grows, so
  the first time a step is met it runs as openpyxl runs it and later ones reuse its index. The loaded
  workbook, and so every copy written from it, is the one openpyxl alone would give.

Loads outside these blocks, and in other threads, are openpyxl's own.
"""
from __future__ import annotations

import copy
import threading
from contextlib import contextmanager
from typing import Iterator

_state = threading.local()
_lock = threading.Lock()
_ORIGINAL = None


def _new_range(ws, ref: str):
    """A ``MergedCellRange`` without its ``__init__``, which is what styles the anchor's border."""
    from openpyxl.worksheet.cell_range import CellRange
    from openpyxl.worksheet.merge import MergedCellRange

    mcr = MergedCellRange.__new__(MergedCellRange)
    mcr.ws = ws
    CellRange.__init__(mcr, range_string=ref)
    top, left = mcr.min_row, mcr.min_col
    start = ws._cells.get((top, left))
    mcr.start_cell = start if start is not None else ws.cell(row=top, column=left)
    return mcr


def _cover(ws, mcr) -> None:
    """Every cell of the range but its anchor becomes a fresh ``MergedCell`` (``_clean_merge_range``)."""
    from openpyxl.cell.cell import MergedCell

    cells = mcr.cells
    next(cells)
    for r, c in cells:
        ws._cells[(r, c)] = MergedCell(ws, row=r, column=c)


def _bind_merged_cells_unstyled(reader) -> None:
    """``WorksheetReader.bind_merged_cells`` less the border and protection styling."""
    from openpyxl.worksheet.cell_range import MultiCellRange

    merged = reader.parser.merged_cells
    if not merged:
        return
    ws = reader.ws
    ranges = []
    for cr in merged.mergeCell:
        mcr = _new_range(ws, cr.ref)
        _cover(ws, mcr)
        ranges.append(mcr)
    ws.merged_cells = MultiCellRange(ranges)


def _bind_merged_cells_memoised(reader) -> None:
    """``WorksheetReader.bind_merged_cells`` (``MergedCellRange._get_borders``, then
    ``Worksheet._clean_merge_range`` and ``MergedCellRange.format``), each distinct step run once."""
    from openpyxl.cell.cell import MergedCell
    from openpyxl.styles.borders import Border
    from openpyxl.styles.cell_style import StyleArray
    from openpyxl.worksheet.cell_range import MultiCellRange

    merged = reader.parser.merged_cells
    if not merged:
        return
    ws = reader.ws
    cells = ws._cells
    # NB: per sheet, so that nothing else touches the style lists between a step and its reuse
    memo: dict[tuple, int] = {}

    def ids(cell) -> StyleArray:
        # NB: as openpyxl's style descriptors do: a cell without styles gets a zeroed StyleArray
        if not cell._style:
            cell._style = StyleArray()
        return cell._style

    def add_border(cell, key: tuple, make) -> None:
        done = memo.get(key)
        if done is None:
            cell.border += make()
            memo[key] = ids(cell).borderId
        else:
            ids(cell).borderId = done

    ranges = []
    for cr in merged.mergeCell:
        mcr = _new_range(ws, cr.ref)
        start = mcr.start_cell
        end = cells.get((mcr.max_row, mcr.max_col))
        if end is not None:   # the anchor takes the bottom-right cell's right and bottom sides
            add_border(start, ("corner", ids(start).borderId, ids(end).borderId),
                       lambda: Border(right=end.border.right, bottom=end.border.bottom))
        _cover(ws, mcr)
        for name in ("top", "left", "right", "bottom"):
            anchor = ids(start).borderId
            side = getattr(start.border, name)
            if side and side.style is None:
                continue
            for coord in getattr(mcr, name):
                cell = cells.get(coord)
                if cell is None:
                    cell = cells[coord] = MergedCell(ws, row=coord[0], column=coord[1])
                add_border(cell, (name, ids(cell).borderId, anchor), lambda: Border(**{name: side}))
        key = ("protection", ids(start).protectionId)
        protection = copy.copy(start.protection)
        for coord in mcr.cells:
            cell = cells.get(coord)
            if cell is None:
                cell = cells[coord] = MergedCell(ws, row=coord[0], column=coord[1])
            done = memo.get(key)
            if done is None:
                cell.protection = protection
                memo[key] = ids(cell).protectionId
            else:
                ids(cell).protectionId = done
        ranges.append(mcr)
    ws.merged_cells = MultiCellRange(ranges)


_BINDERS = {"unstyled": _bind_merged_cells_unstyled, "memoised": _bind_merged_cells_memoised}


def _bind_merged_cells(reader) -> None:
    modes = getattr(_state, "modes", None)
    if modes:
        return _BINDERS[modes[-1]](reader)
    return _ORIGINAL(reader)


def install() -> bool:
    """Put the switchable binder in openpyxl's worksheet reader (once). False where openpyxl's
    internals are not the ones this was written for: loads then stay openpyxl's own."""
    global _ORIGINAL
    with _lock:
        if _ORIGINAL is not None:
            return True
        try:
            from openpyxl.styles.cell_style import StyleArray  # noqa: F401
            from openpyxl.worksheet import _reader
            from openpyxl.worksheet.merge import MergedCellRange  # noqa: F401
            original = _reader.WorksheetReader.bind_merged_cells
        except (ImportError, AttributeError):
            return False
        _ORIGINAL = original
        _reader.WorksheetReader.bind_merged_cells = _bind_merged_cells
        return True


@contextmanager
def _mode(mode: str) -> Iterator[None]:
    install()
    if not hasattr(_state, "modes"):
        _state.modes = []
    _state.modes.append(mode)
    try:
        yield
    finally:
        _state.modes.pop()


def merges_unstyled():
    """openpyxl loads in this block (this thread) skip the styling of merged ranges: for reading."""
    return _mode("unstyled")


def merges_memoised():
    """openpyxl loads in this block (this thread) style merged ranges as openpyxl does, each
    distinct step once: the same workbook, for writing."""
    return _mode("memoised")
