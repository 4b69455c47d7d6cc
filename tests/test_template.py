"""Issue 2: the templates and the sample are written from the spec, with a formula in every derived cell."""
from __future__ import annotations

import hashlib
import subprocess
import sys

import openpyxl
import pytest

from annexproc.cells import col_letter
from annexproc.formulas import evaluate_all
from annexproc.layout import district_calcs, staffing_calcs, target_calcs
from annexproc.params import Params
from annexproc.spec import ANNEX1_1, ANNEX1_2, ANNEX2
from annexproc.xlmath import xl_round
from annexproc.template import plan_annex1_1, plan_annex1_2, plan_annex2, stable_inputs, write_template

from conftest import ROOT, SAMPLE


def _md5(p):
    return hashlib.md5(open(p, "rb").read()).hexdigest()


def test_default_templates_are_up_to_date(tmp_path):
    """workbook_templates/ is what `python workbook_templates/build.py` writes today."""
    out = subprocess.run([sys.executable, str(ROOT / "workbook_templates" / "build.py"), str(tmp_path)],
                         capture_output=True, text=True, check=True).stdout.split()
    assert len(out) == 2
    for fresh in out:
        name = fresh.rsplit("/", 1)[-1]
        assert _md5(fresh) == _md5(ROOT / "workbook_templates" / name), f"{name} is stale: run workbook_templates/build.py"


def test_sample_is_up_to_date(tmp_path):
    out = tmp_path / "s.xlsx"
    subprocess.run([sys.executable, str(ROOT / "samples" / "build_sample.py"), str(out)], check=True,
                   capture_output=True)
    assert _md5(out) == _md5(SAMPLE), "samples/sample.xlsx is stale: run samples/build_sample.py"


@pytest.mark.parametrize("months,start", [(8, "2024-05"), (12, "2024-05"), (3, "2024-11")])
def test_template_has_the_sheets_headers_and_a_formula_in_every_derived_cell(tmp_path, months, start):
    p = Params(start=start, months=months, agreed_headcount=20)
    path = write_template(p, str(tmp_path))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:3] == ["附件1-1", "附件1-2", "附件2"]
    ws = wb["附件1-1"]
    blocks, targets, _ = plan_annex1_1(p)
    for lay in blocks:
        assert ws.cell(lay.header_row, 1).value == "服务片区"
        assert ws.cell(lay.header_row, 2).value == "投入社工人数"
        for c in district_calcs(lay):
            v = ws.cell(*c.pos).value
            assert isinstance(v, str) and v == c.formula(), (c.label, v)
    for c in target_calcs(targets):
        assert ws.cell(*c.pos).value == c.formula()
    assert ws.cell(blocks[0].header_row, 3).value == "困难群众和特殊群体建档"
    assert ws.cell(blocks[1].header_row, 3).value == "大型社区活动"
    # the documented comments sit on their headers
    assert "请勿改动此栏" in ws.cell(blocks[0].leaf_row, 5).comment.text
    assert "0.5人" in ws.cell(blocks[0].header_row, 2).comment.text
    assert "不能重复计算" in ws.cell(blocks[1].header_row, 3).comment.text
    ws2 = wb["附件1-2"]
    for c in target_calcs(plan_annex1_2()):
        assert ws2.cell(*c.pos).value == c.formula()
    ws3 = wb["附件2"]
    g = plan_annex2(p, [])
    assert [ws3.cell(g.header_row, c[0]).value for c in g.month_cols][0] == f"{int(start[:4])}年{int(start[5:])}月"
    assert len(g.month_cols) == months
    calcs = staffing_calcs(g, stable_inputs(g))
    assert calcs, "no derived cells in 附件2"
    for c in calcs:
        assert ws3.cell(*c.pos).value == c.formula(), c.label
    assert ws3.freeze_panes == "G5"
    assert ws3.data_validations.dataValidation, "tick cells have no validation"
    assert ws3.cell(g.stable_cell[0], g.stable_cell[1]).number_format == "0.00%"
    # printed at a readable scale, not shrunk to one page: wide grids go on more pages, names repeated
    assert ws3.page_setup.orientation == "landscape" and ws3.page_setup.scale == 80
    assert not (ws3.sheet_properties.pageSetUpPr and ws3.sheet_properties.pageSetUpPr.fitToPage)
    assert ws3.print_title_cols == "$A:$C" and ws3.print_title_rows == "$3:$4"
    # a page starts with a month (its three columns together) or with the totals, never inside a month
    starts = {b.id + 1 for b in ws3.col_breaks.brk}
    assert starts and starts <= {p for p, _, _ in g.month_cols} | {g.total_col}


def test_sample_carries_the_source_documents_figures_as_cached_values():
    """A reader that does not recalculate (data_only) sees the report's numbers."""
    wb = openpyxl.load_workbook(SAMPLE, data_only=True)
    ws = wb["附件1-1"]
    blocks, targets, _ = plan_annex1_1(Params())
    total = blocks[0].total_row
    by_label = {}
    for lay in blocks:
        for m in lay.measures:
            by_label[m.measure.key] = (lay.total_row, m)
    r, m = by_label["large.people"]
    assert ws.cell(r, m.done).value == 1757 and ws.cell(r, m.agree).value == 800
    assert xl_round(ws.cell(r, m.pct).value * 100, 2) == 219.63  # 1757/800 shows 219.63% (Python round: 219.62)
    r, m = by_label["filing.count"]
    assert ws.cell(r, m.pct).value == pytest.approx(2185 / 1800)
    r, m = by_label["small.times"]
    assert ws.cell(r, m.agree).value == "/" and ws.cell(r, m.pct).value == "/" and ws.cell(r, m.done).value == 22
    assert ws.cell(total, 2).value == 16
    ws3 = wb["附件2"]
    wb_f = openpyxl.load_workbook(SAMPLE)
    g = plan_annex2(Params(), [])  # positions depend on the rows: read them from the formulas instead
    grand = [row for row in ws3.iter_rows() if row[1].value == ANNEX2.grand_rows[0].text][0]
    vals = [c.value for c in grand if isinstance(c.value, (int, float))]
    assert 160.5 in vals and 109 in vals
    stable = [row for row in ws3.iter_rows() if row[1].value == ANNEX2.grand_rows[2].text][0]
    assert [c.value for c in stable if isinstance(c.value, float)] == [0.9]
    # the rate reads its two labelled inputs: 18 workers on post every month, 20 agreed
    r = stable[0].row
    assert [c.value for c in wb_f["附件2"][r] if isinstance(c.value, str) and c.value.startswith("=")] == \
        [f'=IF(N(G{r + 2})=0,"/",N(G{r + 1})/G{r + 2})']
    assert (ws3.cell(r + 1, 2).value, ws3.cell(r + 1, 7).value) == ("持续在岗社工数（人）", 18)
    assert (ws3.cell(r + 2, 2).value, ws3.cell(r + 2, 7).value) == ("协议要求在岗社工数（人）", 20)
    assert g.months == Params().month_list()


def test_planned_layout_and_spec_agree():
    """Every measure of the spec has exactly one column triple in the planned layout."""
    blocks, targets, _ = plan_annex1_1(Params(districts=["片区1", "片区2"]))
    keys = [m.measure.key for b in blocks for m in b.measures]
    assert keys == [m.key for b in ANNEX1_1.blocks for i in b.indicators for m in i.measures]
    assert len({(b.header_row, m.agree) for b in blocks for m in b.measures}) == len(keys)
    assert [t.target.key for t in targets.items] == [t.key for g in ANNEX1_1.target_block.groups
                                                      for t in ANNEX1_1.target_block.targets if t.group == g]
    assert [t.target.key for t in plan_annex1_2().items] == [t.key for t in ANNEX1_2.targets]


def test_blank_template_formulas_evaluate_to_slash_and_zero():
    """With no input, percentages read '/', 合计 of counts '/', person-month counts 0."""
    p = Params()
    blocks, targets, _ = plan_annex1_1(p)
    vals = evaluate_all(district_calcs(blocks[0]), lambda pos: None)
    assert set(v for (r, c), v in vals.items() if r != blocks[0].total_row or c != 2) == {"/"}
    g = plan_annex2(p, [])
    vals = evaluate_all(staffing_calcs(g, (0, 20)), lambda pos: None)
    assert set(vals.values()) == {0.0}


def test_workers_given_in_any_order_keep_their_own_months(tmp_path):
    """The grid is laid out section by section; each row must carry its own worker's ticks and remarks."""
    sys.path.insert(0, str(ROOT / "samples"))
    import build_sample as bs
    data = bs.sample_data()
    data.workers = list(reversed(data.workers))          # uncertified rows first, as someone might list them
    path = tmp_path / "reordered.xlsx"
    from annexproc.template import write_workbook
    write_workbook(str(path), bs.sample_params(), data)
    ws = openpyxl.load_workbook(path, data_only=True)["附件2"]
    rows = {ws.cell(r, 3).value: r for r in range(5, 40) if ws.cell(r, 2).value and ws.cell(r, 3).value}
    assert ws.cell(rows["方嘉怡"], 31).value == 3                # 序号18: three months, then left
    assert "离职" in ws.cell(rows["方嘉怡"], 33).value
    assert ws.cell(rows["林思远"], 31).value == 8


# -- issue 18: the blank workbook a station admin fills -----------------------------------------------

def _cli(*args):
    from click.testing import CliRunner

    from annexproc.cli import main
    return CliRunner().invoke(main, ["template", *args])


def test_template_cli_period_name_force_and_help(tmp_path):
    """The title's agreement year follows --start (or --agreement-start); the file is named for the station
    (a placeholder by default); an existing template is kept unless --force; the help counts four sheets."""
    r = _cli("-o", str(tmp_path), "--start", "2024-01", "--months", "12", "--districts", "2")
    assert r.exit_code == 0, r.output
    path = tmp_path / "XX街社工服务站_附件模板_2片区_2024-01_12个月.xlsx"
    assert r.output.strip() == str(path)
    ws = openpyxl.load_workbook(path)["附件2"]
    assert ws["A2"].value == "年度服务协议时间：2024年1月1日至2024年12月31日"
    before = _md5(path)
    again = _cli("-o", str(tmp_path), "--start", "2024-01", "--months", "12", "--districts", "2")
    assert again.exit_code == 2 and "--force" in again.output and _md5(path) == before
    assert _cli("-o", str(tmp_path), "--start", "2024-01", "--months", "12", "--districts", "2",
                "--force").exit_code == 0
    r = _cli("-o", str(tmp_path), "--start", "2024-11", "--months", "6", "--agreement-start", "2024-07",
             "--station", "测试街社工服务站")
    path = tmp_path / "测试街社工服务站_附件模板_3片区_2024-11_6个月.xlsx"
    assert r.exit_code == 0 and openpyxl.load_workbook(path)["附件2"]["A2"].value == \
        "年度服务协议时间：2024年7月1日至2025年6月30日"
    wrong = _cli("-o", str(tmp_path), "--start", "2024-01", "--months", "12", "--agreement-start", "2024-05")
    assert wrong.exit_code == 2 and "协议期" in wrong.output
    assert "四张表" in _cli("--help").output and "活动台账" in _cli("--help").output


def test_blank_inputs_are_empty_and_serials_are_numbers(tmp_path):
    p = Params(start="2024-05", months=8, agreed_headcount=20)
    wb = openpyxl.load_workbook(write_template(p, str(tmp_path)))
    ws = wb["附件2"]
    g = plan_annex2(p, [])
    rows = [w.row for w in g.all_workers()]
    assert [ws.cell(r, g.lead["序号"]).value for r in rows] == list(range(1, len(rows) + 1))
    for r in rows:
        for c in [g.lead[k] for k in ("姓名", "职位", "岗位资格证/资质", "合同期限")] + [g.remarks_col, g.two_year_col]:
            assert ws.cell(r, c).value is None, (r, c)         # truly empty: no '' a reader would count
    num, den = stable_inputs(g)
    assert ws.cell(*num).value is None and ws.cell(*den).value == 20
    assert ws.cell(num[0], 2).value == "持续在岗社工数（人）" and ws.cell(den[0], 2).value == "协议要求在岗社工数（人）"
    # the legend says what grey and white mean, on every sheet
    for s in wb.worksheets:
        assert any("灰色格由公式自动计算" in str(c.value) for c in s[1]), s.title


def test_count_cells_take_whole_numbers_and_ticks_a_list(tmp_path):
    p = Params(start="2024-05", months=8, agreed_headcount=20)
    wb = openpyxl.load_workbook(write_template(p, str(tmp_path)))
    blocks, _, _ = plan_annex1_1(p)
    ws = wb["附件1-1"]
    dvs = ws.data_validations.dataValidation
    for lay in blocks:
        r = lay.districts[0][1]
        for m in lay.measures:
            done = next(dv for dv in dvs if f"{col_letter(m.done)}{r}" in dv.sqref)
            agree = next(dv for dv in dvs if f"{col_letter(m.agree)}{r}" in dv.sqref)
            assert done.type == "whole" and done.operator == "greaterThanOrEqual" and done.errorStyle in (None, "stop")
            assert "1965次" in done.error
            # an agreement may be '/' where the indicator does not exist: whole numbers or '/'
            assert agree.type == "custom" and '="/"' in agree.formula1 and "INT(" in agree.formula1
    hours = next(dv for dv in wb["附件1-2"].data_validations.dataValidation
                 if f"{col_letter(plan_annex1_2().items[1].done_col)}5" in dv.sqref)
    assert hours.type == "custom" and "INT(" not in hours.formula1    # 1419.5 hours is a real completion
    g = plan_annex2(p, [])
    ticks = {dv.formula1: dv for dv in wb["附件2"].data_validations.dataValidation if dv.type == "list"}
    assert set(ticks) == {'"√,——,0.5"', '"√,——"'}
    for w in g.all_workers():
        for pc, sc, xc in g.month_cols:
            assert f"{col_letter(pc)}{w.row}" in ticks['"√,——,0.5"'].sqref
            assert f"{col_letter(sc)}{w.row}" in ticks['"√,——"'].sqref
            assert f"{col_letter(xc)}{w.row}" in ticks['"√,——"'].sqref


def test_row_heights_fit_the_wrapped_labels(tmp_path):
    """Block 3's labels wrap in their narrow columns: each row is tall enough for its lines (no overlap)."""
    from annexproc.template_aids import LINE_PT, lines
    p = Params()
    ws = openpyxl.load_workbook(write_template(p, str(tmp_path)))["附件1-1"]
    _, targets, _ = plan_annex1_1(p)
    for it in targets.items:
        width = ws.column_dimensions[col_letter(it.title_col)].width or 8.43
        need = lines(it.target.title.text, width - 0.71) * LINE_PT   # NB: xlsxwriter stores width + 0.71
        assert ws.row_dimensions[it.row].height >= need, it.target.title.text
