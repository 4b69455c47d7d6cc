"""A small annex workbook with everything an annotated copy must keep, and a hand-made Report over it.

``build_annex`` writes (with xlsxwriter) a 附件1-1-shaped sheet: a rich-text title, a merged
two-level header, three districts and a 合计 row whose derived cells hold the official formulas with
cached values, the template's comment on 百分比, the station's comment naming workers, number
formats, data validation, conditional formats, print settings, defined names and an image; and a
second sheet 附件2 with a formula the rules do not cover. Three cells are broken on purpose:
E5's formula points at the wrong row, E6 holds a typed constant, and H7's cached value is stale.
``pasted=True`` instead pastes every derived cell over as a wrong constant.

``make_report`` builds the Report the checkers will give for it: every derived cell with its official
formula (``annexproc.formulas.Calc``) and the value that formula gives from the input cells.
"""
from __future__ import annotations

from pathlib import Path

import xlsxwriter

from annexproc.cells import to_a1, zero
from annexproc.findings import finding
from annexproc.formulas import Calc
from annexproc.report import Derived, Report

SHEET = "附件1-1"
OTHER = "附件2"
ROWS = (4, 5, 6)          # the districts
TOTAL = 7                 # 合计
GROUPS = ((3, 4, 5), (6, 7, 8))   # (协议, 完成量, 百分比) columns of 红棉热线 and 家庭探视
DISTRICTS = ("第一片区", "第二片区", "第三片区")
WORKERS = {4: "林晓雨、周子涵、陈思远", 5: "黄嘉怡、吴俊熙", 6: "郑雨桐、何文博"}
INPUTS = {  # (row, col) → value, 1-based
    (4, 2): 3, (5, 2): 2, (6, 2): 2,
    (4, 3): 400, (4, 4): 510, (5, 3): 300, (5, 4): 123, (6, 3): 300, (6, 4): 1332,
    (4, 6): 60, (4, 7): 61, (5, 6): "/", (5, 7): 12, (6, 6): 45, (6, 7): 44,
}
PCT = "0.00%"


def calcs() -> list[Calc]:
    """The derived cells in dependency order: districts' 百分比, then 合计 sums, then 合计 百分比."""
    out = []
    for a, d, p in GROUPS:
        for r in ROWS:
            out.append(Calc((r, p), "pct", ((r, a), (r, d)), PCT, f"{DISTRICTS[r - 4]} 百分比"))
    out.append(Calc((TOTAL, 2), "sum", (tuple((r, 2) for r in ROWS),), "General", "合计 投入社工人数"))
    for a, d, p in GROUPS:
        for c in (a, d):
            out.append(Calc((TOTAL, c), "sum_na", (tuple((r, c) for r in ROWS),), "General", "合计"))
        out.append(Calc((TOTAL, p), "pct", ((TOTAL, a), (TOTAL, d)), PCT, "合计 百分比"))
    return out


def official_values(inputs=INPUTS) -> dict[tuple[int, int], object]:
    """(row, col) → what each official formula gives from the input cells."""
    got: dict[tuple[int, int], object] = {}
    for c in calcs():
        got[c.pos] = c.evaluate(lambda p: got.get(p, inputs.get(p)))
    return got


def build_annex(path: Path, *, pasted: bool = False, image: Path | None = None) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(SHEET)
    bold = wb.add_format({"bold": True})
    red = wb.add_format({"bold": True, "font_color": "#C00000"})
    head = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1, "text_wrap": True})
    num = wb.add_format({"border": 1})
    pct = wb.add_format({"border": 1, "num_format": PCT})
    ws.merge_range("A1:H1", "", head)
    ws.write_rich_string("A1", "广州市", red, "逢源街社工服务站", bold, "购买服务项目指标完成情况统计表", head)
    ws.merge_range("A2:A3", "服务片区", head)
    ws.merge_range("B2:B3", "投入社工人数", head)
    ws.merge_range("C2:E2", "红棉热线服务次数", head)
    ws.merge_range("F2:H2", "家庭探视服务户数", head)
    for col, text in zip(range(2, 8), ("协议量", "完成量", "百分比") * 2):
        ws.write(2, col, text, head)
    ws.write_comment("E3", "已设置好计算公式，如无特殊情况，请勿改动此栏", {"author": "市督导中心"})
    for r in ROWS:
        ws.write(r - 1, 0, DISTRICTS[r - 4], num)
        ws.write_comment(*zero(r, 2), f"{DISTRICTS[r - 4]}：{WORKERS[r]}", {"author": "站长"})
    for (r, c), v in INPUTS.items():
        ws.write(*zero(r, c), v, num)
    ws.write(TOTAL - 1, 0, "合计", head)
    official = official_values()
    for c in calcs():
        r, col = zero(*c.pos)
        fmt = pct if c.number_format == PCT else num
        value = official[c.pos]
        if pasted:  # someone pasted values over the formulas, and got them wrong
            ws.write(r, col, (value * 1.5 if isinstance(value, float) else 9.0), fmt)
        elif c.pos == (5, 5):  # the formula points at the wrong row
            ws.write_formula(r, col, "=D5/C4", fmt, 123 / 400)
        elif c.pos == (6, 5):  # a typed constant where the formula was
            ws.write_number(r, col, 4.44, fmt)
        elif c.pos == (TOTAL, 8):  # the right formula with a stale cached value
            ws.write_formula(r, col, c.formula(), fmt, 0.5)
        else:
            ws.write_formula(r, col, c.formula(), fmt, value)
    ws.data_validation("C4:D6", {"validate": "integer", "criteria": ">=", "value": 0,
                                 "error_message": "请填写非负整数"})
    ws.data_validation("F4:F6", {"validate": "list", "source": ["/", "0"], "ignore_blank": True})
    ws.conditional_format("E4:E7", {"type": "cell", "criteria": "<", "value": 0.5,
                                    "format": wb.add_format({"font_color": "#9C0006"})})
    ws.set_column("A:A", 12)
    ws.set_column("B:H", 10)
    ws.set_row(1, 30)
    ws.set_landscape()
    ws.set_paper(9)
    ws.print_area("A1:H7")
    ws.repeat_rows(1, 2)    # 0-based: the header rows 2:3
    ws.freeze_panes(3, 1)
    if image is not None:
        ws.insert_image("J2", str(image))
    wb.define_name("协议合计", f"='{SHEET}'!$C$7")
    wb.define_name(f"'{SHEET}'!完成合计", f"='{SHEET}'!$D$7")
    o = wb.add_worksheet(OTHER)
    o.write_row(0, 0, ["序号", "姓名", "到岗"])
    o.write_row(1, 0, [1, "林晓雨", 8])
    o.write_row(2, 0, [2, "周子涵", 7.5])
    o.write_formula("C4", "=SUM(C2:C3)", None, 15.5)
    o.write_formula("D4", '=IF(C4>15,"达标","未达标")', None, "达标")
    wb.close()
    return path


def broken_findings() -> list:
    """Hand-made findings at the broken cells, as the checkers report them."""
    off = official_values()
    return [
        finding("RD06", SHEET, "E5", expected=off[(5, 5)], found=123 / 400, unit="pct", district="第二片区",
                indicator="红棉热线服务次数 百分比", expected_kind="百分比公式", expected_kind_en="a percentage formula"),
        finding("RD12", SHEET, "E6", expected=off[(6, 5)], found=4.44, unit="pct", district="第三片区",
                indicator="红棉热线服务次数 百分比"),
        finding("RD05", SHEET, "H7", expected=off[(TOTAL, 8)], found=0.5, unit="pct", district="合计",
                indicator="家庭探视服务户数 百分比"),
        finding("RD13", SHEET, "B4", expected=3, found="３", district="第一片区", indicator="投入社工人数"),
        finding("RD09", None, None, reason="（测试）整本说明", reason_en="(test) a note on the whole book"),
    ]


def make_report(path: Path, findings=None) -> Report:
    """The Report the checkers give for ``build_annex``'s workbook (built by hand until they exist)."""
    from annexproc.workbook import open_book

    book = open_book(str(path))
    sheet = book.sheet(SHEET)
    inputs = {pos: sheet.value(*pos) for pos in INPUTS}
    values = official_values(inputs)
    derived = {(SHEET, c.a1): Derived(SHEET, c.a1, c.formula(), values[c.pos], c.number_format, c.label)
               for c in calcs()}
    return Report(path=str(path), station="逢源街社工服务站",
                  findings=list(broken_findings() if findings is None else findings),
                  figures={"total_person_months": 160.5, "stable_rate": 0.9, "months": 8},
                  derived=derived, sha256=book.sha256, book=book)


def a1(pos) -> str:
    return to_a1(*pos)


# ------------------------------------------------------------------------------------------------
# A normalised dump of a workbook, for comparing input and output (XlsxWriter's comparison idea)

def dump(path: Path, *, skip_sheets=("核查结果",)) -> dict:
    """Everything of a workbook a person relies on, as plain data: cells, merges, comments, formats…

    Fills are left out (the annotated copy changes them on flagged cells; compared separately).
    """
    import zipfile

    import openpyxl

    wb = openpyxl.load_workbook(str(path), rich_text=True)
    out: dict = {"sheets": [n for n in wb.sheetnames if n not in skip_sheets],
                 "names": sorted((n, d.attr_text) for n, d in wb.defined_names.items())}
    for ws in wb.worksheets:
        if ws.title in skip_sheets:
            continue
        cells = {}
        for (r, c), cell in ws._cells.items():
            v = cell.value
            if v is None and cell.comment is None and cell.number_format == "General" and not cell.has_style:
                continue
            if hasattr(v, "text") and not isinstance(v, str):   # ArrayFormula
                v = ("array", v.ref, v.text)
            elif type(v).__name__ == "CellRichText":
                v = ("rich", [(getattr(b, "text", b), bool(getattr(getattr(b, "font", None), "b", False)))
                              for b in v])
            if v == "":   # NB: openpyxl writes an empty text cell as an empty cell; nobody can tell
                v = None
            cells[to_a1(r, c)] = {
                "value": v, "type": {"inlineStr": "s"}.get(cell.data_type, cell.data_type) if v is not None else None, "format": cell.number_format,
                "font": (cell.font.b, cell.font.color.rgb if cell.font.color else None),
                "border": cell.border.left.style, "align": (cell.alignment.horizontal, cell.alignment.wrap_text),
                "comment": (cell.comment.text, cell.comment.author) if cell.comment else None,
            }
        out[ws.title] = {
            "cells": cells,
            "merges": sorted(str(m) for m in ws.merged_cells.ranges),
            "validations": sorted((str(dv.sqref), dv.type, dv.operator, dv.formula1, dv.formula2, dv.error)
                                  for dv in ws.data_validations.dataValidation),
            "conditional": sorted((str(rng.sqref), rule.type, rule.operator, tuple(rule.formula or ()))
                                  for rng in ws.conditional_formatting for rule in rng.rules),
            "local_names": sorted((n, d.attr_text) for n, d in ws.defined_names.items()),
            "print": (ws.page_setup.orientation, str(ws.page_setup.paperSize), ws.print_area,
                      ws.print_title_rows, ws.print_title_cols),
            "freeze": ws.freeze_panes,
            "widths": sorted((k, d.width) for k, d in ws.column_dimensions.items() if d.customWidth),
            "heights": sorted((k, d.height) for k, d in ws.row_dimensions.items() if d.height),
            "images": len(ws._images),
            "charts": len(ws._charts),
        }
    with zipfile.ZipFile(path) as zf:
        out["media"] = sorted(zf.read(n) for n in zf.namelist() if n.startswith("xl/media/"))
    return out


def fills(path: Path, sheet: str) -> dict[str, str | None]:
    """A1 → fill colour of every styled cell of one sheet."""
    import openpyxl

    ws = openpyxl.load_workbook(str(path))[sheet]
    return {to_a1(r, c): (cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None)
            for (r, c), cell in ws._cells.items()}


def xml_formulas(path: Path) -> dict[str, dict[str, tuple[str, str | None, str | None]]]:
    """{sheet: {A1: (formula, t, v)}} parsed with a real XML parser (independent of xlsxpatch)."""
    import posixpath
    import zipfile
    from xml.etree import ElementTree as ET

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    out = {}
    with zipfile.ZipFile(path) as zf:
        rels = {r.get("Id"): r.get("Target") for r in ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))}
        for sh in ET.fromstring(zf.read("xl/workbook.xml")).iter(f"{{{ns['m']}}}sheet"):
            target = rels[sh.get(rid)]
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            cells = out.setdefault(sh.get("name"), {})
            for c in ET.fromstring(zf.read(part)).iter(f"{{{ns['m']}}}c"):
                f = c.find("m:f", ns)
                if f is None:
                    continue
                v = c.find("m:v", ns)
                cells[c.get("r")] = (f.text or "", c.get("t"), None if v is None else v.text)
    return out
