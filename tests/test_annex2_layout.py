"""附件2 layout (issue 4): the grid is found by its header texts wherever it sits and however its
months are written, and every variant reads to the same figures as the sample.

Workbooks come from tests/fixtures/build_annex2.py (our own xlsxwriter grid for the layouts the
template never writes) and samples/sample.xlsx.
"""
from __future__ import annotations

import datetime as dt
import os
import sys

import pytest

import annexproc
from annexproc.annex2.locate import locate, parse_month
from annexproc.annex2.roster import districts_of, parse_contract, parse_remarks
from annexproc.workbook import open_book

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "fixtures"))
import build_annex2 as B  # noqa: E402

SAMPLE_FIGURES = {"certified_person_months": 133, "uncertified_person_months": 27.5, "total_person_months": 160.5,
                  "two_year_person_months": 109, "stable_workers": 18, "agreed_headcount": 20, "months": 8}
MAY_DEC = [(2024, m) for m in range(5, 13)]


def build(name, tmp_path):
    return B.build(name, str(tmp_path))


def a2_findings(report):
    """A2/RD findings other than the headcount note; RD02 for the absent 附件1 sheets is not ours."""
    return {k for f in report.findings for k in f.keys()
            if f.rule.startswith(("A2", "RD")) and f.rule != "A221" and not (f.rule == "RD02" and f.sheet is None
                                                                                and "附件1" in f.message())}


def test_sample_layout(sample):
    loc = locate(open_book(str(sample)))
    g = loc.layout
    assert (g.sheet, g.header_row, g.sub_row) == ("附件2", 3, 4)
    assert g.months == MAY_DEC
    assert g.month_cols[0] == (7, 8, 9) and g.month_cols[-1] == (28, 29, 30)
    assert (g.total_col, g.two_year_col, g.remarks_col) == (31, 32, 33)
    assert g.lead == {"类型": 1, "序号": 2, "姓名": 3, "职位": 4, "岗位资格证/资质": 5, "合同期限": 6}
    cert, unc = g.sections["certified"], g.sections["uncertified"]
    assert [w.row for w in cert.workers] == list(range(5, 24)) and (cert.subtotal_row, cert.effective_row) == (24, 25)
    assert [w.row for w in unc.workers] == list(range(26, 34)) and (unc.subtotal_row, unc.effective_row) == (34, 35)
    assert (g.grand_row, g.effective_total_row, g.stable_cell) == (36, 37, (38, 7))
    assert unc.workers[0].seq == "同14" and unc.workers[0].same_as == "14"
    assert loc.agreement == (dt.date(2024, 5, 1), dt.date(2025, 4, 30))


def test_segments_and_split_workers_are_one_person(sample):
    df = annexproc.read_staffing(str(sample))
    one = df[df.name == B.N[14]]
    assert set(one.section) == {"certified", "uncertified"}
    assert one[one.section == "certified"].segment.iloc[0] == "【分段计算】非持证社工"
    assert one.groupby("section").value.sum().to_dict() == {"certified": 6.0, "uncertified": 2.0}
    may = df[(df.month == 5) & (df.year == 2024)]
    assert may.value.sum() == 19.5 and (may.marked > 0).sum() == 20


@pytest.mark.parametrize("name", ["layout_shifted_hidden", "layout_repeated_header", "layout_dot_months",
                                  "layout_short_months", "layout_date_months"])
def test_variants_read_as_the_sample(tmp_path, name):
    path = build(name, tmp_path)
    r = annexproc.check(path)
    assert a2_findings(r) == set()
    assert {k: r.figures[k] for k in SAMPLE_FIGURES} == SAMPLE_FIGURES
    assert r.figures["two_year_share"] == 109 / 160.5
    g = locate(open_book(path)).layout
    assert g.months == MAY_DEC
    assert len(g.all_workers()) == 27


def test_shifted_grid_positions(tmp_path):
    g = locate(open_book(build("layout_shifted_hidden", tmp_path))).layout
    assert g.sheet == "附件2" and g.header_row == 7 and g.lead["类型"] == 3 and g.month_cols[0] == (9, 10, 11)


def test_repeated_header_is_skipped_and_the_section_goes_on(tmp_path):
    loc = locate(open_book(build("layout_repeated_header", tmp_path)))
    unc = loc.layout.sections["uncertified"]
    assert [w.seq for w in unc.workers] == ["同14", "同15", "同16", "同17", "同19", "20", "21", "22"]
    assert loc.repeated_headers                       # the repeated page header was seen and skipped
    rows = [w.row for w in unc.workers]
    assert rows[5] - rows[4] == 5                     # title, agreement and two header rows in between


def test_twelve_month_grid(tmp_path):
    path = build("layout_twelve_months", tmp_path)
    r = annexproc.check(path)
    assert a2_findings(r) == set()
    f = r.figures
    assert f["months"] == 12 and f["agreed_headcount"] == 5
    assert f["total_person_months"] == 66.5 and f["required_person_months"] == 60
    assert f["required_certified_person_months"] == 36 and f["stable_workers"] == 4 and f["stable_rate"] == 0.8
    g = locate(open_book(path)).layout
    assert g.months == [(2025, m) for m in range(1, 13)]
    shared = next(w for w in f["workers"] if w["name"] == "黄雅琴")
    assert shared["districts"] == [1, 2]


def test_grid_starting_in_october_with_month_only_titles(tmp_path):
    path = build("layout_other_start", tmp_path)
    g = locate(open_book(path)).layout
    assert g.months == [(2024, 10), (2024, 11), (2024, 12), (2025, 1), (2025, 2), (2025, 3)]
    r = annexproc.check(path)
    assert a2_findings(r) == set()
    assert r.figures["total_person_months"] == 24 and r.figures["months"] == 6
    df = annexproc.read_staffing(path)
    assert list(df[df.name == "赵明轩"].year) == [2024, 2024, 2024, 2025, 2025, 2025]


def test_template_grid_in_another_period(tmp_path):
    """The lead's template writer with 12 months from 2025-01: the blank grid is found and reads as zero."""
    from annexproc.params import Params
    from annexproc.template import write_workbook
    p = Params(start="2025-01", months=12, agreement_start="2025-01-01", agreement_end="2025-12-31",
               agreed_headcount=20)
    path = write_workbook(str(tmp_path / "t.xlsx"), p)
    g = locate(open_book(path)).layout
    assert g.months == [(2025, m) for m in range(1, 13)]
    assert len(g.all_workers()) == 40                      # the blank rows, kept: the formulas cover them
    r = annexproc.check(path)
    assert {f.rule for f in r.findings if f.rule.startswith("A2")} == {"A221"}   # blank: no agreement errors
    assert r.figures["total_person_months"] == 0 and r.figures["workers"] == []


def test_month_titles():
    assert parse_month("2024年5月") == (2024, 5)
    assert parse_month("2024.5") == (2024, 5)
    assert parse_month("2024-05") == (2024, 5)
    assert parse_month("202405") == (2024, 5)
    assert parse_month("5月") == (None, 5)
    assert parse_month("５月份") == (None, 5)
    assert parse_month(dt.datetime(2024, 5, 1)) == (2024, 5)
    assert parse_month("人员到位") is None and parse_month("13月") is None and parse_month(5) is None


def test_contract_spellings():
    c = parse_contract("2024.07.08-2027.04.30")
    assert (c.start, c.end, c.open_ended) == (dt.date(2024, 7, 8), dt.date(2027, 4, 30), False)
    c = parse_contract("2012.08.01-无固\n定期限")
    assert (c.start, c.end, c.open_ended) == (dt.date(2012, 8, 1), None, True) and c.readable
    assert parse_contract("2024/7/8至2027/4/30").end == dt.date(2027, 4, 30)
    assert parse_contract("2024年7月8日-2027年4月30日").start == dt.date(2024, 7, 8)
    assert parse_contract("20240708-20270430").end == dt.date(2027, 4, 30)
    assert not parse_contract("三年").readable


def test_remark_dates():
    r = parse_remarks("2024年6月16日考取\n助理社会工作师证\n\n2024年10月29日离职")
    assert r.certified == dt.date(2024, 6, 16) and r.resigned == dt.date(2024, 10, 29)
    assert "助理社会工作师证" in r.certificate
    r = parse_remarks("2024年6月24日至12月\n\n18日休产假")
    assert r.leaves == ((dt.date(2024, 6, 24), dt.date(2024, 12, 18)),)
    assert parse_remarks("2023年12月6日至2024\n年6月30日休产假").leaves == ((dt.date(2023, 12, 6), dt.date(2024, 6, 30)),)
    assert parse_remarks("入职当月计0.5人次，2024年6月16日考取助理社会工作师证").join_partial == 0.5
    assert parse_remarks("2024.5.21入职").joined == dt.date(2024, 5, 21)


def test_districts_named_by_position():
    assert districts_of("第二片区社工") == (2,)
    assert districts_of("第一片区主管") == (1,)
    assert districts_of("片区3") == (3,)
    assert districts_of("第一、二片区社工") == (1, 2)
    assert districts_of("党建服务社工") == () and districts_of("社工站副站长") == ()
