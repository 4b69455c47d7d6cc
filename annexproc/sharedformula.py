"""A shared formula's text at another cell: relative references moved by the offset, as Excel does.

Excel stores a formula filled down a column once (``<f t="shared" ref="D5:D20" si="0">SUM(A5:C5)</f>``)
and the other cells as ``<f t="shared" si="0"/>``. openpyxl's ``Translator`` does this move, but
importing openpyxl costs a plain check more than the check itself, so the reader does it here; the
results are compared with openpyxl's on a corpus of formulas in ``tests/test_sharedformula.py``.
"""
from __future__ import annotations

import re

from .cells import col_index, col_letter

_MAX_COL, _MAX_ROW = 16384, 1048576
# NB: a string literal or a quoted sheet name is copied as it is; a reference is a word on its own
# (not part of a name, a function, a number or a sheet name before '!')
_TOKEN = re.compile(
    r'"(?:[^"]|"")*"'                                                    # "text"
    r"|'(?:[^']|'')*'"                                                   # 'sheet name'
    r"|(?<![\w.$])(\$?)([A-Za-z]{1,3})(\$?)(\d+)(?![\w(!])"            # A1, $A$1
    r"|(?<![\w.$])(\$?)(\d+):(\$?)(\d+)(?![\w(!.])"                   # 3:5 (whole rows)
    r"|(?<![\w.$])(\$?)([A-Za-z]{1,3}):(\$?)([A-Za-z]{1,3})(?![\w(!])"  # A:C (whole columns)
)


class _OffGrid(Exception):
    """A reference moved before column A or row 1: Excel shows #REF! there."""


def _col(letters: str, absolute: str, dc: int) -> str | None:
    n = col_index(letters.upper())
    if n > _MAX_COL:
        return None
    if absolute:
        return absolute + letters
    if not 1 <= n + dc <= _MAX_COL:
        raise _OffGrid
    return col_letter(n + dc)


def _row(digits: str, absolute: str, dr: int) -> str:
    if absolute:
        return absolute + digits
    if not 1 <= int(digits) + dr <= _MAX_ROW:
        raise _OffGrid
    return str(int(digits) + dr)


def translate(formula: str, origin: tuple[int, int], dest: tuple[int, int]) -> str:
    """``formula`` (with or without '=') written at ``origin`` (row, col), as it reads at ``dest``."""
    dr, dc = dest[0] - origin[0], dest[1] - origin[1]
    if not dr and not dc:
        return formula

    def move(m: re.Match) -> str:
        try:
            return _moved(m)
        except _OffGrid:
            return "#REF!"

    def _moved(m: re.Match) -> str:
        g = m.groups()
        if g[1] is not None:                       # a cell
            col = _col(g[1], g[0], dc)
            if col is None:
                return m.group(0)                  # NB: past column XFD: a name, not a reference
            return col + _row(g[3], g[2], dr)
        if g[5] is not None:                       # whole rows
            return _row(g[5], g[4], dr) + ":" + _row(g[7], g[6], dr)
        if g[9] is not None:                       # whole columns
            a, b = _col(g[9], g[8], dc), _col(g[11], g[10], dc)
            return m.group(0) if a is None or b is None else f"{a}:{b}"
        return m.group(0)                          # a literal
    return _TOKEN.sub(move, formula)
