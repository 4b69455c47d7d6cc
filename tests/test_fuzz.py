"""Issue 9, fuzzing: random values, header noise and row shifts written into copies of the sample never
make annexproc crash, never give a finding outside its sheet's used range, and a seeded break is
found wherever it is put.

Short profile by default (CI: 25 examples each, derandomised so a run is reproducible); the long one
draws 400 random examples each: ``ANNEXPROC_FUZZ=long pytest tests/test_fuzz.py``.
Copies are written with openpyxl (which drops cached formula values: the checkers must cope).
"""
from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import unicodedata
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "sample.xlsx"

from annexproc import engine  # noqa: E402
from annexproc.cells import from_a1  # noqa: E402
from annexproc.workbook import open_book  # noqa: E402

LONG = os.environ.get("ANNEXPROC_FUZZ", "").lower() == "long"
PROFILE = settings(max_examples=400 if LONG else 25, deadline=None, derandomize=not LONG,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], print_blob=True)

BASE = SAMPLE.read_bytes()
_BOOK = open_book(str(SAMPLE))
SHEETS = [(s.name, s.max_row, s.max_col) for s in _BOOK.sheets]
HEADERS = sorted((s.name, r, c) for s in _BOOK.sheets for (r, c), v in s.cached.items()
                 if isinstance(v, str) and r <= 8)
_BASE_REPORT = engine.check(str(SAMPLE))
DERIVED = sorted(_BASE_REPORT.derived)

SPECIAL = ["/", "／", "√", "✓", "——", "-", "#DIV/0!", "#REF!", "1965次", "７６５", "127.50%", " ", "0.5",
           "=1/0", "=[1]Sheet1!A1", "=SUM(A1:A3)", "2024年5月1日", "2024.07.08-2027.04.30", "同14",
           "【分段计算】持证社工", "入职当月计0.5人次", "x" * 500]
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**9),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
    st.sampled_from(SPECIAL), st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
)
NOISE = {
    "spaces": lambda t: " ".join(t),
    "unit": lambda t: t + "（次）",
    "fullwidth": lambda t: "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in t),
    "newline": lambda t: t[: len(t) // 2] + "\n" + t[len(t) // 2:],
    "nfkc": lambda t: unicodedata.normalize("NFKC", t),
    "star": lambda t: "*" + t,
    "blank": lambda t: None,
    "typo": lambda t: t[:-1],
}


@st.composite
def edits(draw):
    """A list of edits: ('value', sheet, row, col, v) · ('header', sheet, row, col, noise) · ('shift', sheet, row, n)."""
    out = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["value", "value", "header", "shift"]))
        name, max_r, max_c = draw(st.sampled_from(SHEETS))
        if kind == "value":
            out.append(("value", name, draw(st.integers(1, max_r)), draw(st.integers(1, max_c)), draw(VALUES)))
        elif kind == "header" and HEADERS:
            s, r, c = draw(st.sampled_from(HEADERS))
            out.append(("header", s, r, c, draw(st.sampled_from(sorted(NOISE)))))
        else:
            out.append(("shift", name, draw(st.integers(1, max_r)), draw(st.integers(1, 3))))
    return out


def _apply(wb, edit) -> None:
    from openpyxl.cell.cell import MergedCell
    kind, sheet = edit[0], edit[1]
    ws = wb[sheet]
    if kind == "value":
        _, _, r, c, v = edit
        cell = ws.cell(r, c)
        if isinstance(cell, MergedCell):
            return   # NB: a covered cell cannot hold a value in Excel either
        cell.value = v
    elif kind == "header":
        _, _, r, c, noise = edit
        cell = ws.cell(r, c)
        if not isinstance(cell, MergedCell) and isinstance(cell.value, str):
            cell.value = NOISE[noise](cell.value)
    else:
        _, _, at, n = edit
        ws.insert_rows(at, n)
        for rng in list(ws.merged_cells.ranges):
            if rng.min_row >= at:     # NB: openpyxl moves cells, not merges: move the merges too
                rng.shift(row_shift=n)


def _check_copy(wb):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "fuzzed.xlsx")
        wb.save(path)
        return engine.check(path)


def _assert_sane(rep) -> None:
    assert rep.read_error is None, rep.read_error.message("zh")
    internal = [f.message("zh") for f in rep.findings if f.rule == "RD11"]
    assert not internal, internal
    sheets = {s.name: s for s in rep.book.sheets}
    for f in rep.findings:
        f.message("zh"), f.message("en"), f.to_dict()        # every message renders
        if f.cell is None:
            continue
        assert f.sheet in sheets, (f.key(), sorted(sheets))
        row, col = from_a1(f.cell)                            # the cell parses
        s = sheets[f.sheet]
        # NB: "used range" as Excel means it: any cell the sheet's XML holds, formatted blanks included
        max_r, max_c = max(s.max_row, s.ws.max_row), max(s.max_col, s.ws.max_column)
        assert 1 <= row <= max_r and 1 <= col <= max_c, (f.key(), (max_r, max_c), f.message("zh"))


@PROFILE
@given(edits())
def test_random_edits_never_crash_and_findings_stay_in_range(edit_list):
    import openpyxl
    wb = openpyxl.load_workbook(io.BytesIO(BASE))
    for e in edit_list:
        _apply(wb, e)
    _assert_sane(_check_copy(wb))


@pytest.mark.skipif(not DERIVED, reason="no checker recomputes a derived cell yet")
@PROFILE
@given(st.sampled_from(DERIVED or [("", "")]), st.integers(1, 9), st.sampled_from([1.5, 0.5, 2, -1]))
def test_a_seeded_break_is_found_wherever_it_is_put(where, offset, factor):
    import openpyxl
    sheet, cell = where
    value = _BASE_REPORT.derived[where].value
    wrong = value * factor + offset if isinstance(value, (int, float)) and not isinstance(value, bool) else offset
    wb = openpyxl.load_workbook(io.BytesIO(BASE))
    wb[sheet][cell].value = wrong
    rep = _check_copy(wb)
    _assert_sane(rep)
    hits = [f for f in rep.findings if (f.sheet, f.cell) == (sheet, cell)]
    assert hits, f"{sheet}!{cell} ({_BASE_REPORT.derived[where].label}) set to {wrong!r}, not flagged"


def test_the_fuzz_base_itself_is_sane():
    _assert_sane(_BASE_REPORT)
    assert DERIVED, "the checkers recompute derived cells of the sample"
