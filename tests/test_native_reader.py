"""The check's own reader (xmlscan + numformats + sharedformula) gives what openpyxl gives (issue 17).

A plain check no longer loads the workbook with openpyxl: one streaming pass over the bytes read once
gives every sheet's values, formulas, number formats, comments, merges and hidden columns. These tests
hold it to openpyxl, cell for cell, on every workbook in the repository written by a real writer
(openpyxl, xlsxwriter, LibreOffice, the Excel-style rewrite with shared formulas and inline strings),
and hold the shared-formula move to openpyxl's ``Translator``.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import openpyxl
import pytest
from openpyxl.formula.translate import Translator

from annexproc import engine
from annexproc.cells import to_a1
from annexproc.errors import AnnexInputError
from annexproc.sharedformula import translate
from annexproc.workbook import cells_of, open_book

ROOT = Path(__file__).resolve().parent.parent
REWRITE = ROOT.parent / "shared" / "tools" / "xlsx_rewrite.py"
WORKBOOKS = sorted(p for pattern in ("*.xlsx", "*.xlsm") for p in ROOT.glob(f"**/{pattern}")
                   if "__pycache__" not in p.parts and ".git" not in p.parts and not p.name.startswith("~$"))


def _openpyxl_view(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path, data_only=False, rich_text=False, keep_links=True)
    out = {}
    for ws in wb.worksheets:
        cells = cells_of(ws)
        out[ws.title] = {
            "formulas": {k: (c.value if isinstance(c.value, str) else c.value.text) for k, c in cells.items()
                         if c.data_type == "f"},
            "constants": {k: c.value for k, c in cells.items() if c.data_type != "f" and c.value is not None},
            "formats": {k: c.number_format for k, c in cells.items() if c.number_format != "General"},
            "comments": {k: (c.comment.text, c.comment.author) for k, c in cells.items() if c.comment is not None
                         and c.comment.text},
            "merges": sorted(str(r) for r in ws.merged_cells.ranges),
            "state": ws.sheet_state,
            "looks": {k: (bool(c.font.b), c.alignment.horizontal) for k, c in cells.items()
                      if c.value is not None and (c.font.b or c.alignment.horizontal)},
            "hidden_rows": {r for r, d in ws.row_dimensions.items() if d.hidden},
            # NB: openpyxl keys a <col min max> group by its first column only
            "widths": {d.min: d.width for d in ws.column_dimensions.values() if d.width and d.customWidth},
        }
    return out


def _ours(path):
    book = open_book(str(path))
    out = {}
    for s in book.sheets:
        out[s.name] = {
            "formulas": dict(s.formulas),
            "constants": {k: v for k, v in s.cached.items() if k not in s.formulas},
            "formats": {k: v for k, v in s.formats.items() if k in s.cached or k in s.formulas},
            "comments": {k: (n.text, n.author) for k, n in s.notes.items()},
            "merges": sorted(s.merges),
            "state": s.state,
            "looks": {k: v for k, v in s.looks.items() if k in s.cached},
            "hidden_rows": set(s.hidden_rows),
            "widths": s.widths,
        }
    return book, out


def _comparable(path) -> bool:
    """Readable, and read by the scanner (not a file whose big sheet was left out: it has no twin)."""
    try:
        return not open_book(str(path)).skipped
    except AnnexInputError:
        return False


@pytest.mark.parametrize("path", [p for p in WORKBOOKS if _comparable(p)], ids=lambda p: str(p.relative_to(ROOT)))
def test_the_check_reads_what_openpyxl_reads(path):
    book, ours = _ours(path)
    theirs = _openpyxl_view(str(path))
    assert list(ours) == list(theirs), "the same sheets, in the workbook's order"
    for name, view in theirs.items():
        mine = ours[name]
        assert mine["formulas"] == view["formulas"], name
        assert mine["constants"] == view["constants"], name
        # NB: openpyxl reports a format for styled empty cells too; the check reads cells holding something
        held = set(view["formulas"]) | set(view["constants"])
        assert mine["formats"] == {k: v for k, v in view["formats"].items() if k in held}, name
        assert mine["comments"] == view["comments"], name
        assert mine["merges"] == view["merges"], name
        assert mine["state"] == view["state"], name
        # what the page's preview draws
        assert mine["looks"] == view["looks"], name
        assert mine["hidden_rows"] == view["hidden_rows"], name
        assert {c: w for c, w in mine["widths"].items() if c in view["widths"]} == view["widths"], name


def test_the_corpus_is_not_empty():
    assert len(WORKBOOKS) >= 30 and any(p.suffix == ".xlsm" for p in WORKBOOKS)


FORMULAS = [
    "=SUM(A5:C5)", "=$A$1+B2", "=A$1+$B2", "=Sheet1!A1", "='附件1-1'!D5/'附件1-1'!C5", "=IF(D5=\"/\",\"/\",D5/C5)",
    "=ROUND(E5/D5*100,2)&\"%\"", "=LOG10(A1)", "=SUM(2:3)", "=SUM($2:3)", "=SUM(A:A)", "=SUM($A:B)",
    "=COUNTIF(E5:P5,\"√\")+COUNTIF(E5:P5,\"✓\")", "=\"A1\"&B1", "=SUMPRODUCT((A1:A9=\"x\")*B1:B9)",
    "=1E3+A1", "=IFERROR(H6/G6,0)", "=附件2!G38", "=ATAN2(B1,C1)", "=A1:A3 B2:C2", "=-A1%",
]


@pytest.mark.parametrize("formula", FORMULAS)
@pytest.mark.parametrize("dest", [(7, 4), (5, 9), (30, 5), (4, 4)])
def test_a_shared_formula_moves_as_openpyxl_moves_it(formula, dest):
    from openpyxl.formula.translate import TranslatorError
    origin = (5, 4)
    try:
        theirs = Translator(formula, to_a1(*origin)).translate_formula(to_a1(*dest))
    except TranslatorError:   # NB: openpyxl refuses a move off the grid; Excel shows #REF!
        assert "#REF!" in translate(formula, origin, dest)
        return
    assert translate(formula, origin, dest) == theirs


def test_a_reference_moved_off_the_grid_is_ref_error():
    """Excel shows #REF! where a filled formula would point before column A or row 1."""
    assert translate("=A5+$A5+B$1", (5, 4), (5, 3)) == "=#REF!+$A5+A$1"
    assert translate("=SUM(D1:D4)", (5, 4), (2, 4)) == "=SUM(#REF!:D1)"


def test_the_committed_excel_style_twin_reads_the_same():
    """tests/foreign: the LibreOffice file and its rewrite as Excel writes it (shared formulas, inline
    strings): the same formulas cell for cell, the same findings and figures."""
    lo, excel = ROOT / "tests/foreign/files/seed_layout.lo.xlsx", ROOT / "tests/foreign/files/seed_layout.excel.xlsx"
    a, b = _ours(lo)[1], _ours(excel)[1]
    assert {n: v["formulas"] for n, v in a.items()} == {n: v["formulas"] for n, v in b.items()}
    assert sum(len(v["formulas"]) for v in b.values()) > 200
    ra, rb = engine.check(str(lo)), engine.check(str(excel))
    assert [f.key() for f in ra.findings] == [f.key() for f in rb.findings] and ra.figures == rb.figures


@pytest.mark.skipif(not REWRITE.exists(), reason="the shared Excel-style rewriter is not beside this checkout")
def test_an_excel_style_rewrite_reads_the_same(tmp_path):
    """Shared formulas and inline strings (as Excel writes them): same cells, same findings."""
    sample = ROOT / "samples" / "sample.xlsx"
    out = tmp_path / "excel_style.xlsx"
    proc = subprocess.run([sys.executable, str(REWRITE), "shared+inline", str(sample), str(out)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        proc = subprocess.run([sys.executable, str(REWRITE), "--help"], capture_output=True, text=True)
        pytest.fail(f"xlsx_rewrite failed: {proc.stdout[-800:]} {proc.stderr[-800:]}")
    _, ours = _ours(out)
    theirs = _openpyxl_view(str(out))
    for name in theirs:
        assert ours[name]["formulas"] == theirs[name]["formulas"], name
    a, b = engine.check(str(sample)), engine.check(str(out))
    assert [f.key() for f in a.findings] == [f.key() for f in b.findings]
    assert a.figures == b.figures


def test_a_plain_check_never_imports_openpyxl():
    code = ("import sys, annexproc.engine as e; r = e.check('samples/sample.xlsx'); "
            "print(r.readable, 'openpyxl' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.split() == ["True", "False"], out.stderr[-1500:]


def test_the_writers_load_from_the_bytes_read_once(tmp_path):
    """The annotated copy is made from the bytes the check read: the file may be gone by then."""
    from annexproc.annotate import write_annotated
    src = tmp_path / "in.xlsx"
    shutil.copyfile(ROOT / "samples" / "sample.xlsx", src)
    rep = engine.check(str(src))
    src.unlink()
    out = write_annotated(rep, tmp_path / "out.xlsx")
    assert "核查结果" in openpyxl.load_workbook(out).sheetnames
