"""Workbooks and a flagging wrapper for the web page's tests (issue 10), written with xlsxwriter."""
from __future__ import annotations

from pathlib import Path

import xlsxwriter

#: text a hostile workbook might carry; it must come back as text, never as markup
SCRIPT = "<script>alert('annexproc')</script>"
IMG = '<img src=x onerror="alert(1)">'


def build_annex_like(path: Path, *, station: str = "测试街社工服务站") -> Path:
    """A small 附件1-1-like sheet: a merged title, a two-level merged header, a percentage formula,
    and a cell holding ``SCRIPT``."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("附件1-1")
    head = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1})
    pct = wb.add_format({"num_format": "0.00%", "border": 1})
    ws.set_column("A:A", 12)
    ws.merge_range("A1:H1", f"广州市{station}购买服务项目指标完成情况统计表", head)
    ws.merge_range("A2:A3", "服务片区", head)
    ws.merge_range("B2:B3", "投入社工人数", head)
    ws.merge_range("C2:E2", "红棉热线服务次数", head)
    ws.merge_range("F2:H2", "家庭探视服务户数", head)
    ws.write_row("C3", ["协议量", "完成量", "百分比", "协议量", "完成量", "百分比"], head)
    ws.write_row("A4", ["第一片区", 6, 800, 1757])
    ws.write_formula("E4", "=D4/C4", pct, 1757 / 800)
    ws.write_row("F4", [120, 95])
    ws.write_formula("H4", "=G4/F4", pct, 0.5)       # NB: wrong cached value: 95/120 is 79.17%
    ws.write_row("A5", ["合计", 6, 800, 1757, None, 120, 95])
    ws.write("A7", SCRIPT)
    wb.close()
    return path


def flagging_check(real_check):
    """engine.check plus two findings by hand at real cells of ``build_annex_like``'s sheet.

    NB: the 附件1 checker is being written elsewhere; until it flags H4 by itself the page is tested
    on findings made the documented way (``findings.finding``), through the same Report.
    """
    from annexproc.findings import finding

    def check(path, **kw):
        rep = real_check(path, **kw)
        if rep.readable and any(s.name == "附件1-1" for s in rep.book.sheets):
            rep.findings.append(finding("RD07", "附件1-1", "H4", found=IMG, district="第一片区",
                                        indicator="家庭探视服务户数 百分比"))
            rep.findings.append(finding("RD05", "附件1-1", "G4", found="95", expected=95.0,
                                        district="第一片区", indicator="家庭探视服务户数 完成量"))
        return rep

    return check


def broken_sample(sample: Path, out: Path) -> Path:
    """The sample with one 百分比 typed over: 附件1-1!H6 shows 70.00% where 1754/2300 gives 76.26%.

    Only that cached value changes (annexproc.xlsxpatch streams the sheet XML), every other cell
    keeps the sample's value.
    """
    from annexproc.xlsxpatch import patch_cached_values

    patch_cached_values(str(sample), str(out),
                        lambda sheet, pos: 0.70 if (sheet, pos) == ("附件1-1", (6, 8)) else None)
    return out
