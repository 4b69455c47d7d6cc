"""附件1 rules: each fixture workbook gives exactly its expected (sheet, cell, code) set; the sample gives no error."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import openpyxl
import pytest

from annexproc.annex1.check import formula_refs, run
from annexproc.engine import Context, check
from annexproc.evidence import (chain_breaks, parse_arithmetic, parse_counter_lines, parse_labelled_figures,
                                parse_month_list, parse_name_lists)
from annexproc.params import Params
from annexproc.rulebook import a1 as a1_rules
from annexproc.workbook import open_book

HERE = Path(__file__).resolve().parent
FIX = HERE / "fixtures" / "annex1"
SAMPLE = HERE.parent / "samples" / "sample.xlsx"
sys.path.insert(0, str(HERE / "fixtures"))
import build_annex1 as B  # noqa: E402

EXPECTED = json.loads((FIX / "expected.json").read_text(encoding="utf-8"))


def annex1_findings(path, params=None):
    """Only the 附件1 checker (the other families have their own tests)."""
    ctx = Context(book=open_book(str(path)), params=params or Params())
    run(ctx)
    return ctx


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_gives_exactly_its_findings(name):
    ctx = annex1_findings(FIX / name)
    got = {(f.sheet, f.cell, f.rule) for f in ctx.findings}
    assert got == {tuple(x) for x in EXPECTED[name]}


def test_fixtures_are_up_to_date(tmp_path, monkeypatch):
    monkeypatch.setattr(B, "OUT", str(tmp_path))
    assert B.build() == EXPECTED, "run: python tests/fixtures/build_annex1.py"


def test_every_a1_rule_has_a_failing_fixture_and_passing_cases_exist():
    codes = {c for cells in EXPECTED.values() for _, _, c in cells}
    assert {r.code for r in a1_rules.RULES} <= codes
    # NB: a text number that leaves printed totals wrong is the error A109 at its cell; RD04/RD05/RD13 are said of the
    # harmless ones (annex2's fixtures, tests/test_messages.py: every code is given by some fixture)
    assert {"RD02", "RD03", "RD06", "RD07", "RD12", "A109"} <= codes
    assert sum(1 for v in EXPECTED.values() if not v) >= 5


def test_inferred_rules_are_never_errors():
    for r in a1_rules.RULES:
        if r.inferred:
            assert r.severity != "error", r.code


def test_sample_gives_no_error_and_the_source_documents_slips_as_warnings():
    ctx = annex1_findings(SAMPLE)
    assert [f for f in ctx.findings if f.severity == "error"] == []
    got = sorted((f.sheet, f.rule, f.expected, f.found) for f in ctx.findings)
    assert got == [("附件1-1", "A117", 2444, 2417),       # 8485-6041 is 2444
                   ("附件1-1", "A118", 3960, 2186),       # 202407 subtracts June's difference
                   ("附件1-1", "A122", 1800, 1887),       # 666+615+606 against 建档人数1800人
                   ("附件1-2", "A120", None, "2025年1月"), ("附件1-2", "A120", None, "2025年1月")]
    assert ctx.station == "逢源街社工站"
    comp = ctx.figures["completion"]
    assert comp["大型社区活动 人次"] == pytest.approx(1757 / 800)
    assert comp["红棉热线服务次数"] == pytest.approx(6752 / 7000)
    assert comp["典型案例（个）"] == pytest.approx(5 / 6)
    assert "小型社区活动 次数" not in comp                         # '/' : no agreement
    assert ctx.figures["annex1_totals"]["投入社工人数"] == 16
    assert ctx.figures["annex1_sentence"]["served_people_times"] == 16914
    total = ctx.located["annex1_1"].blocks["activities"]
    m = next(m for m in total.measures if m.measure.key == "large.people")
    from annexproc.cells import to_a1
    d = ctx.derived[("附件1-1", to_a1(total.total_row, m.pct))]
    assert d.value == pytest.approx(2.19625) and d.number_format == "0.00%"
    assert d.formula.startswith("=IF(ISNUMBER(")


def test_messages_name_the_cell_district_and_indicator_in_both_languages():
    ctx = annex1_findings(FIX / "fail_cells.xlsx")
    by = {(f.cell, f.rule): f for f in ctx.findings}
    f = by[("H6", "A101")]
    assert f.district == "片区1" and "红棉热线" in f.indicator and f.unit == "pct"
    zh, en = f.message("zh"), f.message("en")
    assert "H6" in zh and "片区1" in zh and "81.88%" in zh and "50.00%" in zh and "完成量 ÷ 协议数" in zh
    assert "achieved ÷ agreed" in en and "81.88%" in en
    for f in ctx.findings:
        for lang in ("zh", "en"):
            assert "{" not in f.message(lang), (f.rule, f.message(lang))


def test_strict_value_is_registered_where_text_numbers_exist():
    """The Derived value is what Excel gives from the stored cells; the finding says what was meant."""
    ctx = annex1_findings(FIX / "fail_cells.xlsx")
    assert ctx.derived[("附件1-1", "E6")].value == 0.0              # N("765") = 0
    a109 = next(f for f in ctx.findings if f.cell == "D6" and f.rule == "A109")
    assert (a109.severity, a109.expected, a109.found) == ("error", 765, "765")
    affects = {what: (then, now) for what, then, now in a109.affects}
    assert affects["E6"] == ("127.50%", "0.00%"), "the percentage it makes wrong, as the cell shows it"
    assert {"E6", "D9", "E9"} <= set(affects), "and the 合计 and its percentage"


def test_rounding_is_excels_half_away_from_zero(tmp_path):
    """219.625% shows as 219.63%: a typed 2.1963 agrees (warning), a typed 2.1962 does not (error)."""
    p, d = B.sample_data()
    bk = B.plan(p)
    cell = bk.pct(1, "合计", "large.people")
    for typed, code in ((2.1963, "A104"), (2.1962, "A105")):
        path = tmp_path / f"{code}.xlsx"
        B.write(str(path), p, d, over={cell: typed})
        ctx = annex1_findings(path)
        assert {(f.cell, f.rule) for f in ctx.findings} == {(B.a1(cell), code)}


def test_full_check_never_tracebacks_on_odd_workbooks(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "附件1-1"
    ws["A1"], ws["A2"], ws["B1"], ws["C1"] = "服务片区", "片区1", "红棉热线服务次数", "家庭探视服务户数"
    ws["D1"], ws["C2"], ws["A3"] = "专业个案", "协议量", "合计"
    ws["A10"] = "x" * 100000
    wb.create_sheet("附件1-2")["A1"] = "典型案例（个）"
    path = tmp_path / "odd.xlsx"
    wb.save(path)
    rep = check(str(path))
    assert not any(f.rule == "RD11" for f in rep.findings), [f.message() for f in rep.findings if f.rule == "RD11"]
    assert any(f.rule in ("RD02", "RD03", "RD17") for f in rep.findings)   # NB: RD17: no annex located at all


def test_formula_refs_reads_ranges_sheets_and_ignores_functions():
    assert formula_refs("=SUM(C5:C7)", "S") == {(5, 3), (6, 3), (7, 3)}
    assert formula_refs('=IF(ISNUMBER($F$6),IF(F6=0,"/",N(G6)/F6),"/")', "S") == {(6, 6), (6, 7)}
    assert formula_refs("=LOG10(A1)+'附件1-2'!B2", "S") == {(1, 1), ("附件1-2", 2, 2)}
    assert formula_refs('="A1"', "S") == set()


def test_evidence_parsers_on_the_station_comment():
    sys.path.insert(0, str(HERE.parent / "samples"))
    import build_sample as bs
    text = bs.SENTENCE_COMMENT
    wrong = [a for a in parse_arithmetic(text) if not a.ok]
    assert [(a.text, a.computed) for a in wrong] == [("8485-6041=2417", 2444.0)]
    terms, stated, computed, span = parse_arithmetic("探访 88＋155＝243")[0]
    assert terms == (88.0, 155.0) and stated == computed == 243.0 and span[1] > span[0]
    assert [(c.text, b) for c, b in chain_breaks(parse_counter_lines(text))] == [("202407 6041-2186=3855", 3960.0)]
    secs = parse_labelled_figures(text, "逢源街社工服务站")
    assert [s.heading for s in secs] == [None, "建档人数"]
    assert sum(v for _, v, _ in secs[0].items) == 16914
    assert parse_month_list("某站\n202406 林晓雨\n2024年8月 周子涵\n202407 6041-3960=2081") == \
           [("202406", "林晓雨"), ("202408", "周子涵")]
    assert parse_name_lists("示例社工站\n林晓雨 周子涵、陈思远（0.5）", "示例社工站") == [["林晓雨", "周子涵", "陈思远"]]


def test_a_text_number_that_makes_nothing_printed_wrong_stays_a_warning(tmp_path):
    """'1965次' in a sheet of pasted values: every printed value is right, so RD04 is a warning, not A109."""
    import openpyxl
    wb = openpyxl.load_workbook(SAMPLE, data_only=True)
    cell = next(c for row in wb["附件1-1"].iter_rows() for c in row if c.value == 1965)
    cell.value = "1965次"
    wb.save(tmp_path / "v.xlsx")
    ctx = annex1_findings(tmp_path / "v.xlsx")
    [f] = [f for f in ctx.findings if f.cell == cell.coordinate]
    assert (f.rule, f.severity, f.expected, f.affects) == ("RD04", "warning", 1965, ())
