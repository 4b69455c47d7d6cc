"""The merged ranges of an .ods, read from its content.xml (python-calamine gives none for .ods)."""
from __future__ import annotations

import zipfile

from . import safety
from .xmlscan import _parse, dtd_error, is_defused, too_many_cells

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ROW, _CELL, _COVERED, _SHEET = (f"{_TABLE}{t}" for t in ("table-row", "table-cell", "covered-table-cell", "table"))
_NAME, _ROWS_REP, _COLS_REP = f"{_TABLE}name", f"{_TABLE}number-rows-repeated", f"{_TABLE}number-columns-repeated"
_COLS_SPAN, _ROWS_SPAN = f"{_TABLE}number-columns-spanned", f"{_TABLE}number-rows-spanned"

Range = tuple[tuple[int, int], tuple[int, int]]


def _count(el, attr: str) -> int:
    try:
        return max(1, int(el.get(attr, "1")))
    except ValueError:
        return 1


def merged_ranges(path: str) -> dict[str, list[Range]]:
    """{sheet name: [((first row, first col), (last row, last col)), …]}, 0-based as calamine counts.

    NB: a row or cell may stand for many (``number-rows-repeated`` / ``number-columns-repeated``, which
    LibreOffice writes for the empty rest of a sheet): counters jump over them, and the merges a repeated
    row carries are capped by the workbook's cell cap like any other merge.
    """
    out: dict[str, list[Range]] = {}
    area = 0
    with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
        name, row = None, 0
        try:
            for event, el in _parse(fh, events=("start", "end")):
                tag = el.tag
                if event == "start":
                    if tag == _SHEET:
                        name, row = el.get(_NAME, ""), 0
                        out.setdefault(name, [])
                    continue
                if tag == _ROW and name is not None:
                    reps = _count(el, _ROWS_REP)
                    col, spans = 0, []
                    for cell in el:
                        if cell.tag not in (_CELL, _COVERED):
                            continue
                        n = _count(cell, _COLS_REP)
                        w, h = _count(cell, _COLS_SPAN), _count(cell, _ROWS_SPAN)
                        if cell.tag == _CELL and (w > 1 or h > 1):
                            spans.append((col, w, h))
                        col += n
                    for i in range(reps if spans else 0):
                        for c, w, h in spans:
                            area += w * h
                            if area > safety.MAX_CELLS:
                                raise too_many_cells(path, name)
                            out[name].append(((row + i, c), (row + i + h - 1, c + w - 1)))
                    row += reps
                    el.clear()
                elif tag == _SHEET:
                    name = None
                    el.clear()
        except Exception as exc:
            if is_defused(exc):
                raise dtd_error(path, name, "content.xml") from exc
            raise
    return out
