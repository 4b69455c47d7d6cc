"""Issue 7: the activity ledger (活动台账) — the template's sheet, reading it anywhere, and its rules.

The fixtures (tests/fixtures/build_ledger.py) are the sample station with a ledger that adds up to its
附件1-1 row by row, then one thing broken per file; each test compares the exact set of
(sheet, cell, code) of the LD family (and the XS family) with what the builder says.
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import zipfile

import openpyxl
import pytest

from annexproc.engine import check
from annexproc.ledger import SHEET_NAME, ledger_types
from annexproc.ledger.check import match_district, name_key
from annexproc.ledger.locate import parse_date
from annexproc.params import Params
from annexproc.template import Activity, write_template, write_workbook

from conftest import ROOT, SAMPLE

_spec = importlib.util.spec_from_file_location("build_ledger", ROOT / "tests" / "fixtures" / "build_ledger.py")
build_ledger = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_ledger)

LEDGER_FIXTURES = ["pass_ledger", "fail_two_districts", "fail_near_duplicate", "fail_disagrees", "fail_rows"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Every fixture of build_ledger written once: {name: (path, expected keys)}."""
    out = tmp_path_factory.mktemp("ledger")
    expected = build_ledger.build(str(out))
    return {name[:-5]: (out / name, {tuple(k) for k in keys}) for name, keys in expected.items()}


def ours(report, extra=()):
    """The keys of the ledger and cross-check findings (plus ``extra`` codes); RD11 would be a crash."""
    return {k for f in report.findings for k in f.keys()
            if f.rule.startswith(("LD", "XS")) or f.rule in extra or f.rule == "RD11"
            or (f.sheet == SHEET_NAME)}


# -- the template -------------------------------------------------------------------------------

def test_template_writes_the_ledger_sheet_with_lists_and_a_count_table(tmp_path):
    p = Params(start="2024-05", months=8, agreed_headcount=20)
    wb = openpyxl.load_workbook(write_template(p, str(tmp_path)))
    assert wb.sheetnames == ["附件1-1", "附件1-2", "附件2", SHEET_NAME]
    ws = wb[SHEET_NAME]
    assert [ws.cell(3, c).value for c in range(1, 8)] == ["序号", "日期", "活动名称", "活动类型", "片区", "服务人次", "备注"]
    lists = {str(dv.sqref)[0]: dv for dv in ws.data_validations.dataValidation}
    assert lists["D"].type == "list" and lists["D"].formula1 == '"' + ",".join(ledger_types()) + '"'
    assert lists["E"].type == "list" and lists["E"].formula1 == '"片区1,片区2,片区3"'
    assert lists["B"].type == "date" and lists["F"].type == "whole"
    assert set(ledger_types()) == {"大型社区活动", "中型社区活动", "小型社区活动", "政策宣传", "小组", "个案"}
    # the count table: one row per type, (次数, 服务人次) per district and 合计, formulas over the ledger
    assert ws["I3"].value == "活动类型" and ws["J3"].value == "片区1" and ws["J4"].value == "次数"
    assert ws["I5"].value == ledger_types()[0]
    assert ws["J5"].value == "=COUNTIFS($D$4:$D$203,$I5,$E$4:$E$203,J$3)"
    assert ws["K5"].value == "=SUMIFS($F$4:$F$203,$D$4:$D$203,$I5,$E$4:$E$203,J$3)"
    assert ws["P5"].value == "=COUNTIFS($D$4:$D$203,$I5)"          # 合计: every district, and none
    assert ws["J11"].value == "=SUM(J5:J10)" and ws["I11"].value == "合计"


def test_the_ledger_leaves_the_other_sheets_byte_identical(tmp_path):
    """A filled ledger adds a sheet; the three annex sheets' XML does not change by one byte."""
    import build_sample as bs
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_workbook(str(a), bs.sample_params(), bs.sample_data())
    write_workbook(str(b), bs.sample_params(), build_ledger._data())
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        for n in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"):
            assert za.read(n) == zb.read(n), n
        assert za.read("xl/worksheets/sheet4.xml") != zb.read("xl/worksheets/sheet4.xml")


def test_count_table_caches_what_the_formulas_give(tmp_path):
    """The values xlsxwriter caches next to COUNTIFS/SUMIFS are the ledger's counts (pass_ledger)."""
    p = tmp_path / "l.xlsx"
    import build_sample as bs
    write_workbook(str(p), bs.sample_params(), build_ledger._data())
    ws = openpyxl.load_workbook(p, data_only=True)[SHEET_NAME]
    row = {ws.cell(r, 9).value: r for r in range(5, 12)}
    # 大型社区活动 per district: 3, 3, 4 activities; 300, 336, 1121 人次 (the sample's 附件1-1)
    r = row["大型社区活动"]
    assert [ws.cell(r, c).value for c in range(10, 18)] == [3, 300, 3, 336, 4, 1121, 10, 1757]
    assert ws.cell(row["个案"], 16).value == 0
    assert ws.cell(row["合计"], 16).value == 10 + 5 + 52 + 22 + 26


def test_count_table_matches_libreoffice(tmp_path):
    """LibreOffice recalculates the count table to the cached values (text dates and all)."""
    from lo_oracle import recalc, soffice
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    import build_sample as bs
    src = tmp_path / "l.xlsx"
    data = build_ledger._data()
    data.ledger.append(Activity(dt.date(2024, 6, 1), "无片区活动", "小型社区活动", "", "12"))  # text: SUMIFS skips it
    write_workbook(str(src), bs.sample_params(), data)
    (lo,) = recalc([src], tmp_path / "lo")
    mine = openpyxl.load_workbook(src, data_only=True)[SHEET_NAME]
    theirs = openpyxl.load_workbook(lo, data_only=True)[SHEET_NAME]
    formulas = openpyxl.load_workbook(src)[SHEET_NAME]
    cells = [c.coordinate for row in formulas.iter_rows() for c in row if c.data_type == "f"]
    assert len(cells) == (len(ledger_types()) + 1) * 8     # the type rows and 合计 × (3 districts + 合计) × 2
    diffs = [(a, mine[a].value, theirs[a].value) for a in cells if mine[a].value != theirs[a].value]
    assert not diffs


# -- reading ------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw,want", [
    (dt.datetime(2024, 6, 1), dt.date(2024, 6, 1)), ("2024/6/1", dt.date(2024, 6, 1)),
    ("2024年6月1日", dt.date(2024, 6, 1)), ("2024.6.1", dt.date(2024, 6, 1)), ("２０２４．６．１", dt.date(2024, 6, 1)),
    ("2024-06-01", dt.date(2024, 6, 1)), ("20240601", dt.date(2024, 6, 1)), (45444, dt.date(2024, 6, 1)),
    ("六月初", None), ("2024/13/1", None), (None, None)])
def test_dates_in_every_spelling(raw, want):
    assert parse_date(raw)[0] == want


def test_month_alone_is_kept_as_a_month():
    assert parse_date("2024年6月") == (dt.date(2024, 6, 1), True)


def test_names_compare_without_spaces_punctuation_width_or_district_prefixes():
    base = name_key("中秋游园会")
    for other in ("片区2 中秋游园会！", "第一片区·中秋游园会", "中秋 游园会", "（片区3）中秋游园会", "中秋游园会(一片区)"):
        assert name_key(other) == base, other
    assert name_key("东区中秋游园会", ("东区",)) == base
    assert name_key("中秋游园晚会") != base


def test_districts_match_by_name_or_number():
    names = ["片区1", "片区2", "片区3"]
    assert match_district("第二片区", names) == "片区2"
    assert match_district(" 片区3 ", names) == "片区3"
    assert match_district("片区9", names) is None


def test_a_ledger_is_found_by_its_headers_anywhere(tmp_path):
    """openpyxl writes a ledger on a sheet of any name, shifted, with header variants and a total row:
    found; a joint activity counted in two districts is flagged on both rows, with no 附件1 at all."""
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    ws = wb.create_sheet("Sheet2")
    ws["C2"] = "逢源街社工服务站 活动记录"
    for c, h in enumerate(["编号", "活动日期", "活动主题", "类别", "服务片区", "参与人次", "说明"], start=3):
        ws.cell(5, c, h)
    rows = [(1, dt.datetime(2024, 7, 1), "长者防跌倒讲座", "政策宣传", "第一片区", 35),
            (2, "2024年7月1日", "长者防跌倒讲座（片区2）", "政策宣传", "第二片区", 20),
            (3, "2024.7.2", "亲子手工", "小型社区活动", "第三片区", 12),
            (None, None, None, None, None, None),
            ("合计", None, None, None, None, 67)]
    for r, vals in enumerate(rows, start=6):
        for c, v in enumerate(vals, start=3):
            ws.cell(r, c, v)
    p = tmp_path / "ledger_only.xlsx"
    wb.save(p)
    r = check(str(p))
    assert ours(r) == {("Sheet2", "G6", "LD01"), ("Sheet2", "G7", "LD01")}
    msg = next(f for f in r.findings if f.cell == "G6").message()
    assert "第7行（第二片区）" in msg and "只能计入一个片区" in msg


# -- the rules, fixture by fixture ----------------------------------------------------------------

@pytest.mark.parametrize("name", LEDGER_FIXTURES)
def test_ledger_fixture(built, name):
    path, expected = built[name]
    r = check(str(path))
    assert ours(r) == expected


def test_messages_name_the_rows_and_render_in_english(built):
    r = check(str(built["fail_disagrees"][0]))
    by = {f.key(): f for f in r.findings}
    f = by[("附件1-1", build_ledger._annex("activities", "policy.times", "片区3"), "LD04")]
    assert f.expected == 24 and f.found == 23
    assert "台账第" in f.message() and "政策宣传" in f.message()
    assert "ledger rows" in f.message("en")
    for f in r.findings:
        if f.rule.startswith("LD"):
            assert "{" not in f.message("en") and "{" not in f.message()


def test_an_empty_ledger_is_no_ledger(sample):
    """The sample keeps a blank 活动台账: no LD finding, and no figure about it."""
    r = check(str(sample))
    assert not [f for f in r.findings if f.rule.startswith(("LD", "XS")) or f.rule == "RD11"]
    assert "ledger" not in r.figures
    assert SHEET_NAME in openpyxl.load_workbook(SAMPLE, read_only=True).sheetnames


def test_the_ledger_figure_counts_activities(built):
    r = check(str(built["fail_disagrees"][0]))
    assert r.figures["ledger"]["activities"] == r.figures["ledger"]["in_period"] + 1


def test_an_activity_entered_twice_in_one_district_and_types_absent_from_the_ledger(tmp_path):
    """A ledger of 大型社区活动 only, one of them entered twice in 片区1: LD03 on both rows, the 片区1
    and 合计 figures disagree (LD04/LD05), and the types the ledger lacks are named once (LD12)."""
    import build_sample as bs
    from dataclasses import replace
    rows = [a for a in build_ledger.base_ledger() if a.type == "大型社区活动"]
    rows.append(replace(rows[0], name=" " + rows[0].name + "。", people=50))
    p = tmp_path / "twice.xlsx"
    write_workbook(str(p), bs.sample_params(), build_ledger._data(rows))
    r = check(str(p))
    a = build_ledger._annex
    assert ours(r) == {
        (SHEET_NAME, "C4", "LD03"), (SHEET_NAME, f"C{4 + len(rows) - 1}", "LD03"),
        ("附件1-1", a("activities", "large.times", "片区1"), "LD04"), ("附件1-1", a("activities", "large.times", "合计"), "LD04"),
        ("附件1-1", a("activities", "large.people", "片区1"), "LD05"), ("附件1-1", a("activities", "large.people", "合计"), "LD05"),
        (SHEET_NAME, "D3", "LD12")}
    ld12 = next(f for f in r.findings if f.rule == "LD12")
    assert "中型社区活动" in ld12.message() and "小组" in ld12.message() and "个案" not in ld12.message()
