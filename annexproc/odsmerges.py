"""The merged ranges of an .ods, read from its content.xml (python-calamine gives none for .ods)."""
from __future__ import annotations

import zipfile

from . import safety
from .xmlscan import _DTD_MARKS, DTDFound, dtd_error, too_many_cells

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0 "
_SHEET, _ROW = _TABLE + "table", _TABLE + "table-row"
_CELL, _COVERED = _TABLE + "table-cell", _TABLE + "covered-table-cell"
_NAME, _ROWS_REP, _COLS_REP = _TABLE + "name", _TABLE + "number-rows-repeated", _TABLE + "number-columns-repeated"
_COLS_SPAN, _ROWS_SPAN = _TABLE + "number-columns-spanned", _TABLE + "number-rows-spanned"

Range = tuple[tuple[int, int], tuple[int, int]]


def _count(attrs: dict, key: str) -> int:
    try:
        return max(1, int(attrs.get(key, "1")))
    except ValueError:
        return 1


class _Merges:
    """expat handlers that follow tables, rows and cells, and keep every spanned cell's range.

    NB: expat's callbacks build no element tree: a 100 000-row sheet of raw data costs one C parse and
    one small call per element. A row or cell may stand for many (``number-rows-repeated`` /
    ``number-columns-repeated``, which LibreOffice writes for the empty rest of a sheet): the counters
    jump over them, and the merges a repeated row carries count against the workbook's cell cap.
    """

    def __init__(self, path: str):
        self.path, self.out, self.area = path, {}, 0
        self.name, self.row, self.col, self.reps, self.spans = None, 0, 0, 1, []

    def start(self, tag: str, attrs: dict) -> None:
        if tag == _CELL or tag == _COVERED:
            if tag == _CELL and (_COLS_SPAN in attrs or _ROWS_SPAN in attrs):
                w, h = _count(attrs, _COLS_SPAN), _count(attrs, _ROWS_SPAN)
                if w > 1 or h > 1:
                    self.spans.append((self.col, w, h))
            self.col += _count(attrs, _COLS_REP)
        elif tag == _ROW:
            self.col, self.reps, self.spans = 0, _count(attrs, _ROWS_REP), []
        elif tag == _SHEET:
            self.name, self.row = attrs.get(_NAME, ""), 0
            self.out.setdefault(self.name, [])

    def end(self, tag: str) -> None:
        if tag != _ROW or self.name is None:
            return
        for i in range(self.reps if self.spans else 0):
            for c, w, h in self.spans:
                self.area += w * h
                if self.area > safety.MAX_CELLS:
                    raise too_many_cells(self.path, self.name)
                self.out[self.name].append(((self.row + i, c), (self.row + i + h - 1, c + w - 1)))
        self.row += self.reps


def merged_ranges(src) -> dict[str, list[Range]]:
    """{sheet name: [((first row, first col), (last row, last col)), …]}, 0-based as calamine counts.

    ``src``: a ``source.Source`` (its bytes) or a path.
    """
    from xml.parsers import expat
    path = getattr(src, "path", src)
    zf_of = (lambda: zipfile.ZipFile(src.stream())) if hasattr(src, "data") else (lambda: zipfile.ZipFile(path))
    m = _Merges(path)
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler, parser.EndElementHandler = m.start, m.end
    parser.buffer_text = True
    try:
        with zf_of() as zf, zf.open("content.xml") as fh:
            tail = b""
            for data in iter(lambda: fh.read(1 << 20), b""):
                probe = tail + data
                if b"<" in probe and any(mark in probe for mark in _DTD_MARKS):
                    raise DTDFound()   # NB: the same byte test as xmlscan._parse: no entity bomb reaches expat
                tail = data[-20:]
                parser.Parse(data, False)
            parser.Parse(b"", True)
    except DTDFound as exc:
        raise dtd_error(path, m.name, "content.xml") from exc
    return m.out
