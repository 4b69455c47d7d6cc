"""附件1 found by its header texts: shifted, renamed, hidden columns, header variants, vertical 附件1-2, 2–5 districts."""
from __future__ import annotations

import sys
from pathlib import Path

import openpyxl
import pytest

from annexproc.annex1.locate import locate
from annexproc.workbook import open_book

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "samples" / "sample.xlsx"
sys.path.insert(0, str(HERE / "fixtures"))
import build_annex1 as B  # noqa: E402


def _positions(a11, a12):
    """Everything located, as plain tuples, relative to the first block's 服务片区 cell."""
    b = a11.blocks["services"]
    r0, c0 = b.header_row, b.district_col
    out = []
    for key, lay in sorted(a11.blocks.items()):
        out.append((key, lay.header_row - r0, lay.leaf_row - r0, lay.district_col - c0, lay.staff_col - c0,
                    tuple((n, r - r0) for n, r in lay.districts), lay.total_row - r0,
                    tuple((m.measure.key, m.agree - c0, m.done - c0, m.pct - c0) for m in lay.measures)))
    out.append(tuple((i.target.key, i.row - r0, i.title_col - c0, i.target_col - c0, i.pct_col - c0)
                     for i in a11.targets.items))
    out.append((a11.targets.sentence[0] - r0, a11.targets.sentence[1] - c0))
    return out


def test_sample_is_found_with_its_station():
    a11, a12, missing = locate(open_book(str(SAMPLE)))
    assert missing == []
    assert a11.sheet == "附件1-1" and a12.sheet == "附件1-2"
    assert a11.station == "逢源街社工站"
    assert [n for n, _ in a11.blocks["services"].districts] == ["片区1", "片区2", "片区3"]
    assert len(a11.blocks["services"].measures) == 9 and len(a11.blocks["activities"].measures) == 8
    assert len(a11.targets.items) == 10 and len(a12.items) == 5
    assert a11.targets.sentence is not None


def test_sample_shifted_and_renamed_with_openpyxl(tmp_path):
    """The sample moved 2 rows down and 1 column right, sheets renamed, a column hidden: same tables."""
    base_a11, base_a12, _ = locate(open_book(str(SAMPLE)))
    wb = openpyxl.load_workbook(SAMPLE)
    ws = wb["附件1-1"]
    ws.insert_rows(1, 2)
    ws.insert_cols(1, 1)
    # NB: openpyxl moves cells but not merged ranges; move those too, as Excel would
    for rng in list(ws.merged_cells.ranges):
        rng.shift(1, 2)
    ws.title = "指标完成表"
    wb["附件1-2"].title = "Sheet2"
    ws.column_dimensions["E"].hidden = True
    path = tmp_path / "moved.xlsx"
    wb.save(path)
    a11, a12, missing = locate(open_book(str(path)))
    assert missing == []
    assert a11.sheet == "指标完成表" and a12.sheet == "Sheet2"
    assert a11.blocks["services"].header_row == base_a11.blocks["services"].header_row + 2
    assert a11.blocks["services"].district_col == base_a11.blocks["services"].district_col + 1
    assert _positions(a11, a12) == _positions(base_a11, base_a12)


@pytest.mark.parametrize("kw", [dict(dr=3, dc=2, names=("指标表", "Sheet2"), hidden=(1, 9)),
                                dict(dr=1, dc=1, names=("附件一", "附件一（2）"), variants=True, vertical=True)],
                         ids=["shifted-renamed-hidden", "variants-vertical"])
def test_written_layouts_are_found_where_they_were_written(tmp_path, kw):
    p, d = B.sample_data()
    path = str(tmp_path / "x.xlsx")
    want = B.write(path, p, d, **kw)
    a11, a12, missing = locate(open_book(path))
    assert missing == []
    for key, lay in zip(("services", "activities"), want.blocks):
        got = a11.blocks[key]
        assert (got.header_row, got.leaf_row, got.district_col, got.staff_col, got.total_row) == \
               (lay.header_row, lay.leaf_row, lay.district_col, lay.staff_col, lay.total_row)
        assert got.districts == lay.districts
        assert [(m.agree, m.done, m.pct) for m in got.measures] == [(m.agree, m.done, m.pct) for m in lay.measures]
    assert [(i.row, i.title_col, i.target_col, i.done_col, i.pct_col) for i in a11.targets.items] == \
           [(i.row, i.title_col, i.target_col, i.done_col, i.pct_col) for i in want.targets.items]
    assert [(i.title_row, i.row, i.target_col, i.pct_col) for i in a12.items] == \
           [(i.title_row, i.row, i.target_col, i.pct_col) for i in want.a12.items]
    if kw.get("vertical"):
        assert len({i.target_col for i in a12.items}) == 1 and len({i.row for i in a12.items}) == 5


@pytest.mark.parametrize("names", [["第一片区", "第二片区"], ["金花", "芦荻西", "西关大屋", "宝华", "多宝"]],
                         ids=["2-districts", "5-community-names"])
def test_any_number_of_districts(tmp_path, names):
    from annexproc.template import write_workbook
    p, d = B.sample_data(names)
    path = str(tmp_path / "t.xlsx")
    write_workbook(path, p, d)
    a11, _, missing = locate(open_book(path))
    assert missing == []
    for lay in a11.blocks.values():
        assert [n for n, _ in lay.districts] == names
        assert lay.total_row == lay.districts[-1][1] + 1


def test_nothing_to_find_is_reported_not_raised(tmp_path):
    path = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "服务片区"          # a lone header is not a table
    wb.active["B2"] = "典型案例（个）"
    wb.save(path)
    a11, a12, missing = locate(open_book(str(path)))
    assert a11 is None and a12 is None
    assert [m.sheet for m in missing] == [None, None]
    assert "附件1-1" in missing[0].what and "附件1-2" in missing[1].what
