"""Cell addressing in one place. Rows and columns here are **1-based** (openpyxl's base).

xlsxwriter counts from 0: convert at its boundary with ``zero(row, col)``.
"""
from __future__ import annotations

import re
from functools import lru_cache

_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


@lru_cache(maxsize=None)
def col_letter(col: int) -> str:
    """1 → 'A', 27 → 'AA' (1-based)."""
    if col < 1:
        raise ValueError(f"column {col} is not 1-based")
    s = ""
    while col:
        col, r = divmod(col - 1, 26)
        s = chr(65 + r) + s
    return s


@lru_cache(maxsize=None)
def col_index(letters: str) -> int:
    """'A' → 1, 'AA' → 27 (1-based)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def to_a1(row: int, col: int, absolute: bool = False) -> str:
    """(row, col), both 1-based → 'B3' (or '$B$3')."""
    if absolute:
        return f"${col_letter(col)}${row}"
    return f"{col_letter(col)}{row}"


def from_a1(ref: str) -> tuple[int, int]:
    """'B3' → (3, 2), 1-based. Accepts '$B$3'."""
    m = _A1.match(ref.strip())
    if not m:
        raise ValueError(f"not an A1 reference: {ref!r}")
    return int(m.group(2)), col_index(m.group(1))


def a1_range(r1: int, c1: int, r2: int, c2: int) -> str:
    """1-based corners → 'B3:D7' (a single cell stays 'B3')."""
    a, b = to_a1(r1, c1), to_a1(r2, c2)
    return a if a == b else f"{a}:{b}"


def zero(row: int, col: int) -> tuple[int, int]:
    """1-based (row, col) → xlsxwriter's 0-based pair."""
    return row - 1, col - 1
