"""Issue 5: the annotated copy — comments and fills on flagged cells, 核查结果, nothing of the input lost,
every formula with its cached value, the input's bytes untouched."""
from __future__ import annotations

import hashlib
import math
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

import annexproc
from annexproc.annotate import FILLS, RESULTS_SHEET, SEPARATOR, write_annotated
from annexproc.findings import finding

from annotate_fixtures import (OTHER, SHEET, build_annex, dump, fills, make_report, official_values,
                               xml_formulas)

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "sample.xlsx"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def image(tmp_path) -> Path:
    from PIL import Image
    p = tmp_path / "logo.png"
    Image.new("RGB", (24, 16), (200, 30, 30)).save(p)
    return p


@pytest.fixture
def annotated(tmp_path, image):
    """(input, report, output) for the broken annex workbook, annotated in Chinese."""
    inp = build_annex(tmp_path / "station.xlsx", image=image)
    before = sha(inp)
    report = make_report(inp)
    out = write_annotated(report, tmp_path / "checked.xlsx", lang="zh")
    assert sha(inp) == before, "the input's bytes changed"
    return inp, report, out


def test_each_flagged_cell_has_a_comment_and_a_fill_by_severity(annotated):
    inp, report, out = annotated
    ws = openpyxl.load_workbook(out)[SHEET]
    flagged = [f for f in report.findings if f.cell]
    assert len(flagged) == 4
    for f in flagged:
        cell = ws[f.cell]
        assert cell.comment is not None, f.cell
        assert f"[{f.rule} " in cell.comment.text
        assert f.message("zh") in cell.comment.text
        assert cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb == FILLS[f.severity], f.cell
    # what it holds and what it should hold, as the number format shows them
    assert "表中：30.75%；应为：41.00%" in ws["E5"].comment.text
    assert ws["E5"].fill.fgColor.rgb == FILLS["error"]
    assert ws["H7"].fill.fgColor.rgb == FILLS["warning"]


def test_only_flagged_cells_change_fill(annotated):
    inp, report, out = annotated
    before, after = fills(inp, SHEET), fills(out, SHEET)
    changed = {a1 for a1 in after if after[a1] != before.get(a1)}
    assert changed == {f.cell for f in report.findings if f.cell}


def test_original_comment_stays_above_ours_with_its_author(annotated):
    inp, report, out = annotated
    c = openpyxl.load_workbook(out)[SHEET]["B4"].comment
    original = "第一片区：林晓雨、周子涵、陈思远"
    assert c.author == "站长"
    head, sep, ours = c.text.partition(f"\n{SEPARATOR}\n")
    assert head == original and sep
    assert ours.startswith("[RD13 警告]")
    # an unflagged cell's comment is untouched
    assert openpyxl.load_workbook(out)[SHEET]["E3"].comment.text == "已设置好计算公式，如无特殊情况，请勿改动此栏"


def head_row(ws, first: str = "严重程度") -> int:
    """The row of the findings' header in 核查结果."""
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == first)


def test_results_sheet_lists_every_finding_sorted_with_links(annotated):
    inp, report, out = annotated
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == RESULTS_SHEET and wb.active.title == RESULTS_SHEET
    ws = wb[RESULTS_SHEET]
    h = head_row(ws)
    assert [c.value for c in ws[h]] == ["严重程度", "规则", "工作表", "单元格", "指标", "片区/社工", "应为", "表中", "说明",
                                        "参考公式"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=h + 1, max_row=h + len(report.findings))]
    assert [r[1] for r in rows] == ["RD06", "RD13", "RD12", "RD05", "RD09"]   # error, then by sheet and cell
    assert [r[0] for r in rows] == ["错误", "警告", "警告", "警告", "提示"]
    e5 = rows[0]
    assert e5[2:6] == [SHEET, "E5", "红棉热线服务次数 百分比", "第二片区"]
    assert math.isclose(e5[6], official_values()[(5, 5)]) and math.isclose(e5[7], 123 / 400)
    assert ws.cell(h + 1, 7).number_format == "0.00%"
    assert e5[8] == report.findings[0].message("zh")
    assert e5[9] == report.derived[(SHEET, "E5")].formula       # the reference formula, in its own column
    link = ws.cell(h + 1, 4).hyperlink
    assert link.location == f"'{SHEET}'!E5" and not link.target
    assert ws.cell(h + 5, 4).hyperlink is None      # the book-wide note has no cell
    assert ws.auto_filter.ref == f"A{h}:J{h + len(report.findings)}"
    assert ws.cell(h + 1, 9).alignment.wrap_text
    assert ws.column_dimensions["I"].width >= 40
    # the answer first: the verdict, the legend, the key figures, and only then the findings
    text = {str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}
    assert ws["A2"].value == "✘ 1 个错误，须改正后再提交（另有 3 个警告、1 个提示）"
    assert [ws.cell(3, c).value for c in (1, 2, 4, 5, 6, 7)] == ["错误", "须改正", "警告", "请核实", "提示", "仅供参考"]
    assert ws["A3"].fill.fgColor.rgb == FILLS["error"] and ws["F3"].fill.fgColor.rgb == FILLS["info"]
    labels = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    assert labels["关键数据"] < labels["稳岗率"] < labels["问题清单（错误在前）"] < h < labels["核查信息"]
    assert report.sha256 in text and annexproc.RULESET_VERSION in text and Path(inp).name in text
    assert {"社工实到岗人次", "稳岗率", "考核月份数"} <= text
    value = {ws.cell(r, 1).value: ws.cell(r, 6) for r in range(1, ws.max_row + 1)}
    assert value["稳岗率"].value == 0.9 and value["稳岗率"].number_format == "0.00%"
    # local time with its zone
    assert re.fullmatch(r"20\d\d-\d\d-\d\d \d\d:\d\d:\d\d UTC[+-]\d\d:\d\d", value["核查时间"].value)
    # a font made for Chinese on every written cell
    assert {ws.cell(r, c).font.name for r in range(1, h + 6) for c in range(1, 11) if ws.cell(r, c).value} == {"等线"}


def test_results_sheet_rows_fit_their_wrapped_text(annotated):
    """Every findings row is tall enough for its longest wrapped value (3-line messages show their last line)."""
    from annexproc.results_sheet import _WIDTHS, text_units
    ws = openpyxl.load_workbook(annotated[2])[RESULTS_SHEET]
    h = head_row(ws)
    for r in range(h + 1, h + 6):
        need = max(sum(max(1, math.ceil(text_units(part) / (w * 0.9 - 1))) for part in str(v).split("\n"))
                   for v, w in zip((ws.cell(r, c).value for c in range(1, 11)), _WIDTHS) if v not in (None, ""))
        assert ws.row_dimensions[r].height >= 15 * need, r


def test_results_sheet_prints_on_a4_landscape_one_page_wide(annotated):
    ws = openpyxl.load_workbook(annotated[2])[RESULTS_SHEET]
    assert str(ws.page_setup.paperSize) == "9" and ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    h = head_row(ws)
    assert ws.print_title_rows.replace("$", "") == f"{h}:{h}"
    assert ws.oddHeader.left.text == "核查结果：station.xlsx" and "&P" in ws.oddHeader.right.text
    # widths that print on A4 landscape at about 100 %: no more than 150 units
    assert sum(ws.column_dimensions[c].width for c in "ABCDEFGHIJ") <= 150


def test_everything_of_the_input_survives(annotated):
    """Cell by cell: values, formulas, rich text, formats, merges, comments, validations, conditional
    formats, names, print settings, images. The only differences are our comments on flagged cells."""
    inp, report, out = annotated
    a, b = dump(inp), dump(out)
    flagged = {f.cell for f in report.findings if f.sheet == SHEET and f.cell}
    for cell in flagged:
        old, new = a[SHEET]["cells"][cell], b[SHEET]["cells"][cell]
        assert new["comment"][0].startswith(old["comment"][0] if old["comment"] else "[")
        old["comment"] = new["comment"] = None
    assert a == b
    # and the things the dump holds are really there (the comparison is not vacuous)
    assert a[SHEET]["cells"]["A1"]["value"][0] == "rich"
    assert a[SHEET]["cells"]["E4"]["value"].startswith("=IF(ISNUMBER(C4)")
    assert a[SHEET]["images"] == 1 and a["media"]
    assert len(a[SHEET]["validations"]) == 2 and a[SHEET]["conditional"] and a[SHEET]["merges"]
    assert ("协议合计", f"'{SHEET}'!$C$7") in a["names"] and a[SHEET]["local_names"]
    assert a[SHEET]["print"][0] == "landscape" and a[SHEET]["print"][3].replace("$", "") == "2:3"


def test_every_formula_carries_the_right_cached_value(annotated):
    """Parsed from the output's sheet XML: derived cells hold our value, other formulas the input's."""
    inp, report, out = annotated
    got, given = xml_formulas(out), xml_formulas(inp)
    assert sum(len(v) for v in got.values()) == sum(len(v) for v in given.values()) > 10
    for sheet, cells in got.items():
        for ref, (formula, t, v) in cells.items():
            assert v is not None, f"{sheet}!{ref} has no <v>"
            d = report.derived.get((sheet, ref))
            want = d.value if d is not None else given[sheet][ref][2]
            if isinstance(want, float):
                assert t in (None, "n") and float(v) == want, (sheet, ref, v, want)
            elif d is not None:
                assert t == "str" and v == want
            else:
                assert (t, v) == (given[sheet][ref][1], want)
    assert got[SHEET]["H5"][1:] == ("str", "/")
    assert got[SHEET]["E5"][0] == "D5/C4"                 # the bent formula is kept, flagged …
    assert float(got[SHEET]["E5"][2]) == 123 / 300       # … and shows the official value
    assert float(got[SHEET]["H7"][2]) == 117 / 105       # the stale cached value is corrected
    assert got[OTHER]["D4"][1:] == ("str", "达标") and got[OTHER]["C4"][2] == "15.5"
    wb = openpyxl.load_workbook(out, data_only=True)     # what a viewer that does not recalculate shows
    assert wb[SHEET]["E7"].value == 1965 / 1000
    with zipfile.ZipFile(out) as zf:
        assert b'fullCalcOnLoad="1"' in zf.read("xl/workbook.xml")


def test_english_comments_and_headers(tmp_path):
    inp = build_annex(tmp_path / "station.xlsx")
    out = write_annotated(make_report(inp), tmp_path / "checked.xlsx", lang="en")
    wb = openpyxl.load_workbook(out)
    ws = wb[RESULTS_SHEET]
    h = head_row(ws, "Severity")
    assert ws.cell(h + 1, 1).value == "error" and ws["A2"].value == "✘ 1 error to correct before submitting (and 3 warnings, 1 note)"
    text = wb[SHEET]["E5"].comment.text
    assert text.startswith("[RD06 error]") and "Holds: 30.75%; Should be: 41.00%" in text


def test_a_clean_report_still_gets_a_results_sheet(tmp_path):
    inp = build_annex(tmp_path / "station.xlsx")
    out = write_annotated(make_report(inp, findings=[]), tmp_path / "checked.xlsx")
    ws = openpyxl.load_workbook(out)[RESULTS_SHEET]
    assert ws["A2"].value == "✔ 未发现错误"
    assert ws.cell(head_row(ws) + 1, 1).value == "未发现任何问题。"
    assert dump(inp) == dump(out)


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    inp = build_annex(tmp_path / "station.xlsx")
    f = finding("RD06", SHEET, "C4", expected=400, found="=HYPERLINK(\"http://x\")", expected_kind="数字",
                expected_kind_en="a number", district="=cmd|' /C calc'!A0", indicator="@SUM(1)")
    out = write_annotated(make_report(inp, findings=[f]), tmp_path / "checked.xlsx")
    got = xml_formulas(out)
    assert got[RESULTS_SHEET] == {}
    ws = openpyxl.load_workbook(out)[RESULTS_SHEET]
    c = ws.cell(head_row(ws) + 1, 6)
    assert c.value == "=cmd|' /C calc'!A0" and c.data_type == "s"


def test_writing_over_the_input_is_refused_and_no_partial_file_is_left(tmp_path, monkeypatch):
    inp = build_annex(tmp_path / "station.xlsx")
    before = sha(inp)
    with pytest.raises(ValueError):
        write_annotated(make_report(inp), inp)
    assert sha(inp) == before

    import annexproc.xlsxpatch as xp

    def boom(*a, **k):
        raise KeyboardInterrupt
    monkeypatch.setattr(xp, "patch_cached_values", boom)
    with pytest.raises(KeyboardInterrupt):
        write_annotated(make_report(inp), tmp_path / "checked.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["station.xlsx"]


def test_what_cannot_be_carried_is_named(tmp_path):
    """A text box, a sparkline and a chart: RD10 findings in the report and in 核查结果."""
    p = tmp_path / "extras.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet(SHEET)
    ws.write_column("A1", [1, 2, 3])
    ws.write_rich_string("B1", "普通", wb.add_format({"bold": True}), "加粗")
    ws.insert_textbox("D2", "备注框：仅供参考")
    ws.add_sparkline("B3", {"range": f"'{SHEET}'!A1:A3"})
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": f"='{SHEET}'!$A$1:$A$3", "fill": {"color": "#FF9900"}})
    ws.insert_chart("D10", chart)
    wb.close()
    report = make_report_plain(p)
    out = write_annotated(report, tmp_path / "checked.xlsx")
    reasons = [dict(f.args)["reason"] for f in report.findings if f.rule == "RD10"]
    assert any("文本框" in r for r in reasons)
    assert any("迷你图" in r for r in reasons)
    assert any("图表" in r for r in reasons)
    res = openpyxl.load_workbook(out)[RESULTS_SHEET]
    h = head_row(res)
    listed = [res.cell(r, 9).value for r in range(h + 1, h + 1 + len(reasons))]
    assert all(any(reason in (m or "") for m in listed) for reason in reasons)
    # rich text in a cell and the chart itself are carried
    kept = openpyxl.load_workbook(out, rich_text=True)[SHEET]
    assert type(kept["B1"].value).__name__ == "CellRichText" and str(kept["B1"].value) == "普通加粗"
    assert len(kept._charts) == 1
    # a second annotation does not repeat the RD10 findings
    write_annotated(report, tmp_path / "again.xlsx")
    assert [f.rule for f in report.findings].count("RD10") == len(reasons)


def make_report_plain(path: Path, findings=()):
    from annexproc.report import Report
    from annexproc.workbook import open_book
    book = open_book(str(path))
    return Report(path=str(path), sha256=book.sha256, book=book, findings=list(findings))


def test_macros_are_kept_in_an_xlsm_and_named_when_dropped(tmp_path):
    vba = tmp_path / "vbaProject.bin"
    vba.write_bytes(b"\xd0\xcf\x11\xe0 not really a VBA project, carried byte for byte")
    p = tmp_path / "macro.xlsm"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet(SHEET)
    ws.write_formula("A1", "=1+1", None, 2)
    ws.write_comment("A1", "原有批注", {"author": "站长"})
    wb.add_vba_project(str(vba))
    wb.close()
    report = make_report_plain(p)
    report.findings += [finding("RD05", SHEET, "A1", expected=2, found="2"),
                        finding("RD05", SHEET, "B2", expected=3, found="3")]
    out = write_annotated(report, tmp_path / "checked.xlsm")
    with zipfile.ZipFile(out) as zf:
        assert zf.read("xl/vbaProject.bin") == vba.read_bytes()
        assert b"macroEnabled" in zf.read("[Content_Types].xml")
    kept = openpyxl.load_workbook(out, keep_vba=True)[SHEET]
    assert kept["A1"].comment.text.startswith("原有批注\n") and kept["A1"].comment.author == "站长"
    assert kept["B2"].comment.text.startswith("[RD05 ")
    assert xml_formulas(out)[SHEET]["A1"] == ("1+1", None, "2")
    assert not [f for f in report.findings if f.rule == "RD10"]
    out2 = write_annotated(report, tmp_path / "checked.xlsx")
    with zipfile.ZipFile(out2) as zf:
        assert "xl/vbaProject.bin" not in zf.namelist()
    assert any("宏" in dict(f.args)["reason"] for f in report.findings if f.rule == "RD10")


def test_cli_check_writes_the_annotated_copy_and_keeps_the_input(tmp_path):
    from click.testing import CliRunner

    from annexproc.cli import main
    inp = build_annex(tmp_path / "station.xlsx")
    before = sha(inp)
    out = tmp_path / "checked.xlsx"
    res = CliRunner().invoke(main, ["check", str(inp), "-o", str(out)])
    assert res.exit_code == 1, res.output   # NB: the station's annex has errors (A101, A106, RD02, RD03)
    assert out.exists() and sha(inp) == before
    assert openpyxl.load_workbook(out).sheetnames[0] == RESULTS_SHEET
    res = CliRunner().invoke(main, ["check", str(inp), "-o", str(inp), "--force"])
    assert res.exit_code == 2 and sha(inp) == before
    res = CliRunner().invoke(main, ["check", str(inp), "-o", str(out)])
    assert res.exit_code == 2   # exists without --force


def test_sample_annotated_copy_keeps_every_cell_and_caches_our_values(checked_sample, tmp_path):
    report = checked_sample
    before = sha(SAMPLE)
    out = write_annotated(report, tmp_path / "sample-checked.xlsx")
    assert sha(SAMPLE) == before
    a, b = dump(SAMPLE), dump(out)
    for f in report.findings:
        if f.sheet in a and f.cell and f.cell in a[f.sheet]["cells"]:
            a[f.sheet]["cells"][f.cell]["comment"] = b[f.sheet]["cells"][f.cell]["comment"] = None
    assert a == b
    got = xml_formulas(out)
    for (sheet, ref), d in report.derived.items():
        if ref in got.get(sheet, {}):
            v = got[sheet][ref][2]
            assert v is not None
            if isinstance(d.value, float):
                assert float(v) == d.value, (sheet, ref)
            else:
                assert v == d.value, (sheet, ref)
    assert all(v[2] is not None for cells in got.values() for v in cells.values())


@pytest.mark.libreoffice
def test_a_converted_workbook_is_annotated_as_xlsx(tmp_path):
    """An .ods (read by conversion, as a legacy .xls is) gets an .xlsx copy with its values and our notes."""
    lo = pytest.importorskip("lo_oracle")
    if lo.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    (tmp_path / "src").mkdir()
    src = build_annex(tmp_path / "src" / "station.xlsx")
    (ods,) = lo.convert([src], tmp_path / "ods", "ods")
    before = sha(ods)
    report = annexproc.check(str(ods))
    assert report.readable and report.book.converted
    report.findings.append(finding("RD06", SHEET, "E5", expected=0.41, found=0.3075, unit="pct",
                                   expected_kind="百分比公式", expected_kind_en="a percentage formula"))
    out = write_annotated(report, tmp_path / "checked.ods")
    assert out.suffix == ".xlsx" and sha(ods) == before
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:2] == [RESULTS_SHEET, SHEET]
    assert wb[SHEET]["D6"].value == 1332 and wb[SHEET]["E5"].comment is not None
    notes = [c.value for row in wb[RESULTS_SHEET].iter_rows() for c in row if isinstance(c.value, str)]
    assert any(".ods" in n for n in notes)          # the reader's RD09 says what was converted


def test_cached_values_of_every_type_are_carried_for_formulas_the_rules_do_not_cover(tmp_path):
    p = tmp_path / "types.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet(OTHER)
    ws.write_column("A1", [1.5, 2])
    cases = {"B1": ("=A1*A2", 3), "B2": ("=A1/3", 0.5), "B3": ('=IF(A1>1,"是","否")', "是"),
             "B4": ("=A1>1", True), "B5": ("=A1/0", "#DIV/0!"), "B6": ("=NA()", "#N/A"),
             "B7": ('=""', ""), "B8": ("=A1*1E+300*1E+10", "#NUM!"), "B9": ('="<&>"', "<&>"),
             "B10": ("=DATE(2024,5,1)", 45413)}
    for ref, (formula, value) in cases.items():
        ws.write_formula(ref, formula, None, value)
    ws.write_array_formula("C1:C2", "{=A1:A2*2}", None, 3)
    wb.close()
    out = write_annotated(make_report_plain(p), tmp_path / "checked.xlsx")
    given, got = xml_formulas(p)[OTHER], xml_formulas(out)[OTHER]
    assert set(got) == set(given)
    for ref, (formula, t, v) in given.items():
        gf, gt, gv = got[ref]
        assert gf == formula, ref
        if ref == "B7":   # an empty text result: no value to show either way
            continue
        assert (gt or "n", gv) == (t or "n", v) or (gt in (None, "n") and float(gv) == float(v)), (ref, got[ref], given[ref])
    assert got["B3"][1:] == ("str", "是") and got["B4"][1:] == ("b", "1") and got["B5"][1:] == ("e", "#DIV/0!")
    assert got["B9"][2] == "<&>"


def test_sheet_xml_is_patched_the_same_whatever_the_chunk_size(annotated, tmp_path, monkeypatch):
    """The streaming patcher sees elements cut across chunk borders; the result must not change."""
    import annexproc.xlsxpatch as xp
    inp, report, out = annotated
    value_for = xp.values_from({SHEET: {(r, c): 0.25 for r in range(1, 10) for c in range(1, 10)}})
    saved = tmp_path / "saved.xlsx"
    openpyxl.load_workbook(inp).save(saved)
    xp.patch_cached_values(str(saved), str(tmp_path / "big.xlsx"), value_for)
    monkeypatch.setattr(xp, "_CHUNK", 7)
    xp.patch_cached_values(str(saved), str(tmp_path / "small.xlsx"), value_for)
    with zipfile.ZipFile(tmp_path / "big.xlsx") as a, zipfile.ZipFile(tmp_path / "small.xlsx") as b:
        assert a.namelist() == b.namelist()
        for n in a.namelist():
            assert a.read(n) == b.read(n), n
    got = xml_formulas(tmp_path / "small.xlsx")[SHEET]
    assert got and all(v == "0.25" and t is None for _, t, v in got.values())


def _bordered_merges(path: Path) -> Path:
    """Merges whose anchors carry borders and protection, a bordered bottom-right cell, a 1×1 merge."""
    from openpyxl.styles import Border, Protection, Side
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B2"], ws["C2"] = "标题", 5, "被合并覆盖"
    ws["B2"].border = Border(top=Side(style="thin", color="FFFF0000"), left=Side(style="dashed"))
    ws["B2"].protection = Protection(locked=False)
    ws["D4"].border = Border(right=Side(style="thin"), bottom=Side(style="thick"))
    ws["J2"].border = Border(top=Side(style="thin"), left=Side(style="thin"), right=Side(style="medium"),
                             bottom=Side(style="thin"))
    ws["J5"].border = Border(bottom=Side(style="double"))
    for rng in ("A1:F1", "B2:D4", "H10:H30", "J2:L5", "N1:N1"):
        ws.merge_cells(rng)
    wb.save(path)
    return path


def test_the_fast_load_writes_the_copy_a_plain_openpyxl_load_writes(annotated, tmp_path, monkeypatch):
    """fastload.merges_memoised only saves time: every part of the copy is byte for byte the same."""
    import contextlib
    import datetime as dt

    from annexproc import fastload
    inputs = [annotated[0], _bordered_merges(tmp_path / "merges.xlsx")] + ([SAMPLE] if SAMPLE.exists() else [])
    when = dt.datetime(2024, 6, 1, 9, 30, tzinfo=dt.timezone.utc)

    def parts(inp: Path, out: Path) -> dict[str, bytes]:
        write_annotated(annexproc.check(str(inp)), out, checked_at=when)
        with zipfile.ZipFile(out) as zf:   # NB: docProps/core.xml holds the time of writing
            return {n: zf.read(n) for n in zf.namelist() if n != "docProps/core.xml"}

    fast = [parts(p, tmp_path / f"fast{i}.xlsx") for i, p in enumerate(inputs)]
    monkeypatch.setattr(fastload, "merges_memoised", contextlib.nullcontext)
    plain = [parts(p, tmp_path / f"plain{i}.xlsx") for i, p in enumerate(inputs)]
    for p, a, b in zip(inputs, fast, plain):
        assert list(a) == list(b), p.name
        for name in a:
            assert a[name] == b[name], (p.name, name)


def test_a_grouped_finding_is_listed_once_and_marks_each_of_its_cells(tmp_path):
    """Issue 13/14: one finding over E4:E6 — one row 'E4:E6（3 处）', a comment and a fill on each cell;
    what it changes is said in its row, and the key figure it changes is marked with what it should be.
    ``affects`` as the checkers give it: (what, without the cause, with it)."""
    inp = build_annex(tmp_path / "station.xlsx")
    grouped = finding("A201", SHEET, "E4", cells=("E4", "E5", "E6"), expected=0.5, found=0.6, unit="pct",
                      indicator="红棉热线服务次数 百分比", affects=(("total_person_months", 161.5, 160.5),))
    out = write_annotated(make_report(inp, findings=[grouped]), tmp_path / "checked.xlsx")
    wb = openpyxl.load_workbook(out)
    for ref in ("E4", "E5", "E6"):
        assert wb[SHEET][ref].fill.fgColor.rgb == FILLS["error"], ref
        assert "共 3 处：E4:E6" in wb[SHEET][ref].comment.text
        assert "此项还改变了：社工实到岗人次 161.5 → 160.5。" in wb[SHEET][ref].comment.text
    ws = wb[RESULTS_SHEET]
    h = head_row(ws)
    assert ws.cell(h + 1, 4).value == "E4:E6（3 处）" and ws.cell(h + 2, 1).value is None   # listed once
    assert ws.cell(h + 1, 9).value.endswith("此项还改变了：社工实到岗人次 161.5 → 160.5。")
    assert "=" not in ws.cell(h + 1, 9).value
    # the key figure the error changes is marked, and says what it should be and where the cause is
    r = next(r for r in range(1, h) if ws.cell(r, 1).value == "社工实到岗人次")
    assert ws.cell(r, 6).fill.fgColor.rgb == FILLS["error"]
    assert ws.cell(r, 6).value == 160.5          # as the file has it …
    assert ws.cell(r, 7).value == f"受错误影响，应为 161.5（{SHEET}!E4:E6（3 处））"   # … and as it should be
    other = next(r for r in range(1, h) if ws.cell(r, 1).value == "稳岗率")
    assert ws.cell(other, 6).fill.fill_type is None and ws.cell(other, 7).value is None


def test_formulas_stay_out_of_the_message_column(tmp_path):
    """说明 says what is wrong in words; the reference formula has its own column, and the file's own
    formula stays in the cell comment."""
    inp = build_annex(tmp_path / "station.xlsx")
    f = finding("A204", SHEET, "E5", expected=0.41, found=0.3075, unit="pct", indicator="红棉热线服务次数 百分比",
                found_formula="=D5/C4", formula="=D5/C5")
    out = write_annotated(make_report(inp, findings=[f]), tmp_path / "checked.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb[RESULTS_SHEET]
    h = head_row(ws)
    assert "=D5/C4" in f.message("zh")
    assert ws.cell(h + 1, 9).value == "E5（红棉热线服务次数 百分比）的公式引用的单元格与规则不同，结果 30.75% 应为 41.00%。"
    assert ws.cell(h + 1, 10).value == "=D5/C5" and ws.cell(h + 1, 10).data_type == "s"
    assert "=D5/C4" in wb[SHEET]["E5"].comment.text
    en = write_annotated(make_report(inp, findings=[f]), tmp_path / "checked_en.xlsx", lang="en")
    ws = openpyxl.load_workbook(en)[RESULTS_SHEET]
    assert ws.cell(head_row(ws, "Severity") + 1, 9).value.startswith(
        "E5 (红棉热线服务次数 百分比): the formula refers to other cells than the rule and gives 30.75%")


def test_the_inputs_comment_boxes_keep_their_size(tmp_path):
    """openpyxl redraws every comment box at 144×79 px; the copy puts back the input's own boxes
    (style and anchor), and enlarges only the box that now also holds our message."""
    from annexproc.commentboxes import comment_boxes
    inp = tmp_path / "boxes.xlsx"
    wb = xlsxwriter.Workbook(str(inp))
    ws = wb.add_worksheet(SHEET)
    ws.write_row(0, 0, [1, 2, 3])
    ws.write_comment("A1", "很宽的批注框", {"author": "站长", "x_scale": 3, "y_scale": 0.6})
    ws.write_comment("B1", "很高的批注框", {"author": "站长", "y_scale": 4, "visible": True})
    ws.write_comment("C1", "这个单元格有问题", {"author": "站长"})
    wb.close()
    before = comment_boxes(str(inp))[SHEET]
    f = finding("RD13", SHEET, "C1", expected=3, found="３")
    out = write_annotated(make_report_plain(inp, findings=[f]), tmp_path / "checked.xlsx")
    after = comment_boxes(str(out))[SHEET]
    assert after[(0, 0)] == before[(0, 0)] and after[(0, 1)] == before[(0, 1)]
    assert "width:" in before[(0, 0)][0] and before[(0, 0)][1]        # the comparison is not vacuous
    assert after[(0, 2)] != before[(0, 2)]                              # ours, sized for its text
    assert "visibility:visible" in after[(0, 1)][0]


def test_flag_colours_differ_from_every_fill_the_template_uses():
    """A flagged cell must never look like a header or a derived cell of the official template."""
    root = Path(__file__).resolve().parent.parent / "workbook_templates"
    used = set()
    for path in sorted(root.glob("*.xlsx")):
        for ws in openpyxl.load_workbook(path).worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if c.fill is not None and c.fill.fill_type == "solid":
                        used.add(str(c.fill.fgColor.rgb)[-6:].upper())
    assert used and not used & {v[-6:] for v in FILLS.values()}, used


def test_comment_boxes_drawn_by_excel_with_single_quoted_vml_are_kept(tmp_path):
    """Excel writes VML attributes in single quotes (style='…'); those boxes are read and put back too."""
    from annexproc.commentboxes import comment_boxes
    src = tmp_path / "boxes.xlsx"
    wb = xlsxwriter.Workbook(str(src))
    ws = wb.add_worksheet(SHEET)
    ws.write_row(0, 0, [1, 2])
    ws.write_comment("A1", "宽框", {"author": "站长", "x_scale": 3})
    wb.close()
    inp = tmp_path / "excel.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(inp, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.endswith(".vml"):
                text = data.decode()
                style = text.split(' style="position', 1)[1].split('"', 1)[0]
                data = text.replace(f' style="position{style}"', f" style='position{style}'").encode()
            zout.writestr(info, data)
    before = comment_boxes(str(inp))[SHEET][(0, 0)]
    assert "width:" in before[0]
    out = write_annotated(make_report_plain(inp), tmp_path / "checked.xlsx")
    assert comment_boxes(str(out))[SHEET][(0, 0)] == before
