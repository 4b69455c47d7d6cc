"""fastload.merges_unstyled: openpyxl loads that skip merged-cell styling read exactly the same data."""
from __future__ import annotations

import threading
import warnings
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Border, Side

from annexproc import fastload, workbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "sample.xlsx"


def _load(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(path)


def _snapshot(wb):
    """Everything a checker reads: cell kinds, values, types, number formats, fonts, merges, dims."""
    out = {}
    for ws in wb.worksheets:
        cells = {k: (type(c).__name__, c.value, c.data_type, c.number_format,
                     None if type(c).__name__ == "MergedCell" else (c.font.b, c.alignment.horizontal))
                 for k, c in ws._cells.items()}
        out[ws.title] = (cells, sorted(str(r) for r in ws.merged_cells.ranges),
                         {k: (d.hidden, d.width) for k, d in ws.column_dimensions.items()},
                         {k: d.hidden for k, d in ws.row_dimensions.items()},
                         [(c.coordinate, c.comment.text) for row in ws.iter_rows() for c in row if c.comment])
    return out


@pytest.fixture
def odd_merges(tmp_path):
    """Merges over cells the file never wrote, a value hidden under a merge, bordered edges."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "标题"
    ws["B2"] = 5
    ws["C2"] = "被合并覆盖"
    ws["D4"].border = Border(right=Side(style="thin"), bottom=Side(style="thick"))
    ws.merge_cells("A1:F1")
    ws.merge_cells("B2:D4")
    ws.merge_cells("H10:H30")
    p = tmp_path / "odd.xlsx"
    wb.save(p)
    return p


@pytest.mark.parametrize("which", ["sample", "templates", "odd"])
def test_same_cells_values_and_merges(which, odd_merges):
    paths = {"sample": [SAMPLE], "templates": sorted((ROOT / "workbook_templates").glob("*.xlsx")),
             "odd": [odd_merges]}[which]
    assert paths and all(p.exists() for p in paths)
    for p in paths:
        plain = _snapshot(_load(p))
        with fastload.merges_unstyled():
            fast = _snapshot(_load(p))
        assert fast == plain, p.name


def test_only_inside_the_block_and_this_thread(odd_merges):
    def edge_border(wb):
        return wb.active["D2"].border.right.style   # an edge MergedCell openpyxl styles from the anchor

    plain = _load(odd_merges)
    with fastload.merges_unstyled():
        fast = _load(odd_merges)
        seen = {}
        t = threading.Thread(target=lambda: seen.setdefault("wb", _load(odd_merges)))
        t.start()
        t.join()
    assert fast.active.merged_cells.ranges and type(fast.active["C3"]).__name__ == "MergedCell"
    assert edge_border(fast) is None
    # NB: another thread's load, and a load after the block, are openpyxl's own
    assert edge_border(seen["wb"]) == edge_border(plain) == edge_border(_load(odd_merges))


def test_the_books_openpyxl_view_is_unstyled_and_reads_the_same():
    """``Book.wb`` (the page's preview, loaded from the bytes the check read) reads as a plain load."""
    book = workbook.open_book(str(SAMPLE))
    assert _snapshot(book.wb) == _snapshot(_load(SAMPLE))
    assert book.wb is book.wb, "loaded once"
