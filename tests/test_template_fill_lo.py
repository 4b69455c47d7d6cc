"""Issue 18: the blank template, filled in LibreOffice as a station admin does, checks clean.

How the filling is done: ``lo_fill`` opens each blank template in LibreOffice and types the values into the
input cells (``XCell.setFormula`` from a Basic macro: the text is parsed as typed input, "0.5" a number and
"√" a text), lets LibreOffice recalculate and save the file as .xlsx. So the workbook ``check`` reads was
written by the spreadsheet program from our template, with the values a person types — not by openpyxl.
Two stations: 3 districts × 8 months (2024-05 …) and 2 districts × 12 months starting in January (2024-01 …).
Every typed cell must be an unlocked input of the protected template, and ``check`` must find 0 errors and
0 warnings, with the person-months, the 稳岗率 and the agreement period the typing implies.
"""
from __future__ import annotations

import calendar
import os
import sys

import openpyxl
import pytest

sys.path.insert(0, os.path.dirname(__file__))
import lo_fill  # noqa: E402
import lo_oracle  # noqa: E402

from annexproc import engine  # noqa: E402
from annexproc.cells import to_a1  # noqa: E402
from annexproc.params import Params  # noqa: E402
from annexproc.spec import ANNEX1_1, ANNEX1_2, ANNEX2  # noqa: E402
from annexproc.template import plan_annex1_1, plan_annex1_2, plan_annex2, stable_inputs, write_template  # noqa: E402

pytestmark = [pytest.mark.libreoffice,
              pytest.mark.skipif(lo_oracle.soffice() is None, reason="LibreOffice (soffice) is not installed")]

A11, A12, A2 = ANNEX1_1.sheet_name, ANNEX1_2.sheet_name, ANNEX2.sheet_name
CN = "一二三四五"
#: Invented names (none from the source document).
NAMES = ["林晓雨", "周子涵", "陈可欣", "黄思远", "吴嘉怡", "郑雅文", "许若曦", "冯景行", "韩书瑶", "曾沐阳", "罗安然",
         "卢清妍", "萧逸凡", "程语桐", "袁知夏", "邱明轩", "潘静怡", "董乐言", "钟如意", "戴星辰", "方晨曦"]
CASES = {"3x8": (3, "2024-05", 8, 5), "2x12": (2, "2024-01", 12, 6)}   # districts, start, months, workers a district


def station(districts: int, start: str, months: int, per: int):
    """A station as its admin knows it: (params, workers, 投入社工人数 per district, headcount, stable).

    Each district has a 主管 and social workers, the last one uncertified; a 副站长 belongs to no district.
    Half the workers have contracts older than two years (their 2-year count is every month). One worker
    of 片区1 joins on the 21st of the third month (0.5 that month); one of 片区2 leaves at the end of the
    fourth month. Workers are (section, name, 职位, 资质, 合同期限, month states, 2-year count, 备注).
    """
    p = Params(station="测试街社工服务站", districts=[f"片区{i}" for i in range(1, districts + 1)], start=start,
               months=months, agreed_headcount=None)
    ml = p.month_list()
    names = iter(NAMES)
    old, recent = "2015.03.01-无固定期限", "2023.09.01-2026.08.31"
    workers = [("certified", next(names), "社工站副站长", "社会工作师", old, ["√"] * months, months, "")]
    for d in range(1, districts + 1):
        for i in range(per):
            role = f"第{CN[d - 1]}片区{'主管' if i == 0 else '社工'}"
            cert = i < per - 1
            contract = old if i % 2 == 0 else recent
            states, remark = ["√"] * months, ""
            if d == 2 and i == 1:                      # leaves on the last day of the fourth month
                y, m = ml[3]
                states = ["√"] * 4 + ["——"] * (months - 4)
                remark = f"{y}年{m}月{calendar.monthrange(y, m)[1]}日离职"
                contract = "2019.06.01-无固定期限"
            two = sum(1 for s in states if s == "√") if contract != recent else 0
            workers.append(("certified" if cert else "uncertified", next(names), role,
                            ("社会工作师" if i == 0 else "助理社会工作师") if cert else "社会工作专业",
                            contract, states, two, remark))
    y, m = ml[2]
    workers.append(("uncertified", next(names), "第一片区社工", "社会工作专业",
                    f"{y}.{m:02d}.21-{y + 3}.{m:02d}.20", ["——", "——", "0.5"] + ["√"] * (months - 3), 0,
                    "入职当月计0.5人次"))
    staff = {f"片区{d}": per + (d == 1) - (d == 2) for d in range(1, districts + 1)}
    headcount = 1 + districts * per                    # on post in the first month
    return p, workers, staff, headcount, headcount - 1


def typed(p: Params, workers, staff, headcount: int, stable: int) -> dict[tuple[str, str], str]:
    """{(sheet, A1): text typed} for every input a station fills, at the blank template's cells."""
    out: dict[tuple[str, str], str] = {}
    blocks, targets, _ = plan_annex1_1(p)
    totals = {}
    k = 0
    for lay in blocks:
        for name, row in lay.districts:
            out[(A11, to_a1(row, 2))] = str(staff[name])
            for m in lay.measures:
                k += 1
                agree = 10 + 3 * k
                done = agree - k % 3
                agrees = next(i for i in lay.spec.indicators if i.title.text == m.indicator).agreement
                if agrees:                              # NB: 小型社区活动 has no agreement: the template's '/' stays
                    out[(A11, to_a1(row, m.agree))] = str(agree)
                out[(A11, to_a1(row, m.done))] = str(done)
                totals[m.measure.key] = totals.get(m.measure.key, 0) + done
    for i, it in enumerate(targets.items):
        out[(A11, to_a1(it.row, it.target_col))] = str(4 + i)
        out[(A11, to_a1(it.row, it.done_col))] = str(4 + i)
    out[(A11, to_a1(*targets.sentence))] = (
        f"所在街道/镇户籍人口（5万人），评估末月社工站为困难群众和特殊群体建档总户数{totals['filing.count']}户，"
        f"建档人数{totals['filing.count']}人；评估期内入户探访总人数 {totals['visit.count']}人次，服务总人数800人；"
        f"通过社工专业服务共服务社区居民 12000人次。")
    for it, (a, d) in zip(plan_annex1_2().items, [(6, 5), (1440, "1419.5"), (12, 8), (2, 0), (2, 1)]):
        out[(A12, to_a1(it.row, it.target_col))], out[(A12, to_a1(it.row, it.done_col))] = str(a), str(d)
    g = plan_annex2(p, [])
    rows = {key: iter(w.row for w in sec.workers) for key, sec in g.sections.items()}
    for section, name, role, qual, contract, states, two, remark in workers:
        r = next(rows[section])
        for col, v in (("姓名", name), ("职位", role), ("岗位资格证/资质", qual), ("合同期限", contract)):
            out[(A2, to_a1(r, g.lead[col]))] = v
        for st, (pc, sc, xc) in zip(states, g.month_cols):
            paid = "√" if st != "——" else "——"
            out[(A2, to_a1(r, pc))], out[(A2, to_a1(r, sc))], out[(A2, to_a1(r, xc))] = st, paid, paid
        out[(A2, to_a1(r, g.two_year_col))] = str(two)
        if remark:
            out[(A2, to_a1(r, g.remarks_col))] = remark
    num, den = stable_inputs(g)
    out[(A2, to_a1(*num))], out[(A2, to_a1(*den))] = str(stable), str(headcount)
    return out


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    """{case: (template, filled copy, params, expectations)}: every case typed in one LibreOffice run."""
    tdir, odir = tmp_path_factory.mktemp("templates"), tmp_path_factory.mktemp("filled")
    jobs, cases = [], {}
    for name, (n, start, months, per) in CASES.items():
        p, workers, staff, headcount, stable = station(n, start, months, per)
        tpl = write_template(p, str(tdir / name))
        values = typed(p, workers, staff, headcount, stable)
        out = odir / f"{name}.xlsx"
        jobs.append((tpl, values, out))
        cases[name] = (tpl, out, p, values, headcount, stable)
    # typical mistakes, typed into the 3 × 8 template: '✓' for '√', and the 持续在岗社工数 left empty
    tpl, _, p, values, headcount, stable = cases["3x8"]
    g = plan_annex2(p, [])
    blocks, _, _ = plan_annex1_1(p)
    hotline = (A11, to_a1(blocks[0].districts[0][1], blocks[0].measures[1].done))
    wrong = {**values, (A2, to_a1(g.sections["certified"].workers[0].row, g.month_cols[0][0])): "✓",
             (A2, to_a1(*stable_inputs(g)[0])): "", hotline: "1965次"}
    jobs.append((tpl, wrong, odir / "mistakes.xlsx"))
    cases["mistakes"] = (tpl, odir / "mistakes.xlsx", p, wrong, headcount, stable)
    lo_fill.fill(jobs, tmp_path_factory.mktemp("fill-work"))     # NB: a failure here is a failure, not a skip
    return cases


@pytest.mark.parametrize("case", list(CASES))
def test_typed_cells_are_the_unlocked_inputs_of_a_protected_template(filled, case):
    tpl, _, _, values, _, _ = filled[case]
    wb = openpyxl.load_workbook(tpl)
    for ws in wb.worksheets:
        assert ws.protection.sheet and not ws.protection.password, ws.title   # protected, no password
    locked = [(s, a) for (s, a) in values if wb[s][a].protection.locked]
    assert not locked, f"typed into locked cells: {locked[:5]}"
    formulas = [(ws.title, c.coordinate) for ws in wb.worksheets for row in ws.iter_rows() for c in row
                if c.data_type == "f" and not c.protection.locked]
    assert not formulas, f"formula cells left unlocked: {formulas[:5]}"


@pytest.mark.parametrize("case", list(CASES))
def test_filled_in_libreoffice_checks_clean(filled, case):
    _, out, p, values, headcount, stable = filled[case]
    wb = openpyxl.load_workbook(out)
    assert wb[A2]["G5"].value is None or isinstance(wb[A2]["G5"].value, str)   # a tick is text, as typed
    rep = engine.check(str(out))
    assert rep.readable, rep.read_error
    bad = [f"{f.rule} {f.sheet}!{f.cell} {f.message()}" for f in rep.findings if f.severity in ("error", "warning")]
    assert not bad, "\n".join(bad)
    assert lo_fill.invalid(out) == set()          # LibreOffice's validity check accepts every typed value
    months = p.months
    f = rep.figures
    assert f["months"] == months and f["agreed_headcount"] == headcount            # read from the labelled input
    assert f["total_person_months"] == headcount * months + 1.5                    # one leaves, one joins at 0.5
    assert f["stable_workers"] == stable and f["stable_rate"] == pytest.approx(stable / headcount)
    # LibreOffice's own recalculation of the rate (a formula over the two inputs) is what the check expects
    data = openpyxl.load_workbook(out, data_only=True)[A2]
    g = plan_annex2(p, [])
    assert data.cell(*g.stable_cell).value == pytest.approx(stable / headcount)


@pytest.mark.parametrize("case", list(CASES))
def test_the_saved_workbook_keeps_period_validation_and_protection(filled, case):
    """What LibreOffice saves still has the title's period, the dropdowns, the number checks and the lock."""
    tpl, out, p, _, _, _ = filled[case]
    start, end = p.agreement()
    y0, m0 = p.month_list()[0]
    assert start == f"{y0}-{m0:02d}-01"
    g = plan_annex2(p, [])
    blocks, _, _ = plan_annex1_1(p)
    for path in (tpl, out):
        wb = openpyxl.load_workbook(path)
        ws = wb[A2]
        title = ws.cell(2, 1).value
        assert title == f"年度服务协议时间：{y0}年{m0}月1日至{int(end[:4])}年{int(end[5:7])}月{int(end[8:])}日"
        present = to_a1(g.sections["certified"].workers[0].row, g.month_cols[-1][0])
        insured = to_a1(g.sections["uncertified"].workers[-1].row, g.month_cols[0][1])
        lists = {dv.formula1: dv for dv in ws.data_validations.dataValidation if dv.type == "list"}
        assert set(lists) == {'"√,——,0.5"', '"√,——"'}
        assert present in lists['"√,——,0.5"'].sqref and insured in lists['"√,——"'].sqref
        two = to_a1(g.sections["certified"].workers[0].row, g.two_year_col)
        prompt = next(dv for dv in ws.data_validations.dataValidation if two in dv.sqref)
        assert "从业满2年" in prompt.prompt and prompt.showInputMessage
        a11 = wb[A11]
        done = to_a1(blocks[0].districts[0][1], blocks[0].measures[1].done)        # 红棉热线 完成量
        whole = next(dv for dv in a11.data_validations.dataValidation if done in dv.sqref)
        assert whole.type == "whole" and whole.errorStyle in (None, "stop") and "1965次" in whole.error
        for s in wb.worksheets:
            assert s.protection.sheet, s.title
        assert not ws[present].protection.locked and ws.cell(*g.stable_cell).protection.locked


def test_typical_mistakes_are_found_and_say_what_to_type(filled):
    _, out, p, _, headcount, stable = filled["mistakes"]
    g = plan_annex2(p, [])
    blocks, _, _ = plan_annex1_1(p)
    rep = engine.check(str(out))
    got = {(f.rule, f.cell) for f in rep.findings if f.severity in ("error", "warning")}
    row = g.sections["certified"].workers[0].row
    rate = to_a1(*g.stable_cell)
    # LibreOffice's validity check refuses '1965次' in a count cell and '✓' in a tick cell, nothing else
    assert lo_fill.invalid(out) == {(A11, to_a1(blocks[0].districts[0][1], blocks[0].measures[1].done)),
                                    (A2, to_a1(row, g.month_cols[0][0]))}
    # '✓' counts as a tick (a warning at the mark), but the template's formulas leave it out: one A201 over the
    # cells they shorten, first the row's 人员到岗小计; the empty 持续在岗社工数 makes the rate 0; '1965次' is read
    # as 1965 but left out of its percentage and of the 合计 and its percentage: one A109 at it, listing them
    lay, hot = blocks[0], blocks[0].measures[1]
    r1, total = lay.districts[0][1], lay.total_row
    assert got == {("A206", to_a1(row, g.month_cols[0][0])), ("A201", to_a1(row, g.total_col)), ("A220", rate),
                   ("A109", to_a1(r1, hot.done))}
    a109 = next(f for f in rep.findings if f.rule == "A109")
    assert {w for w, _, _ in a109.affects} == {to_a1(r1, hot.pct), to_a1(total, hot.done), to_a1(total, hot.pct)}
    msg = next(f for f in rep.findings if f.rule == "A220").message()
    assert f"“持续在岗社工数”填 {stable}" in msg and f"“协议要求在岗社工数”填 {headcount}" in msg
