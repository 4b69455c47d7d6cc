"""The annotated copy: the input workbook with a comment and a fill on every flagged cell, and 核查结果.

``write_annotated(report, out_path)`` loads the input again (never for writing), adds:
- on each flagged cell a comment (批注) in the user's language — rule, message, what the cell holds,
  what it should hold — below the cell's own comment, which keeps its author, and a fill by severity;
- a first sheet 核查结果 listing every finding with a hyperlink to its cell, the counts, the key
  figures, the file checked, its SHA-256, the rule-set version and the time, laid out to print on A4;
and writes the result through ``xlsxpatch.save_with_cached_values`` so that every formula cell carries
a cached value: ours for the derived cells, the input's for any other formula.

What openpyxl cannot carry (text boxes, sparklines, some extensions, macros into an .xlsx) is found
before writing and reported as RD10 findings, which 核查结果 lists; nothing is dropped silently.
"""
from __future__ import annotations

import datetime as _dt
import math
import os
import warnings
import zipfile
from pathlib import Path
from typing import Any

from . import RULESET_VERSION
from .cells import col_letter, from_a1
from .findings import Finding, finding, show
from .i18n import figure_name, say, severity_word
from .report import Report

RESULTS_SHEET = "核查结果"
OUR_AUTHOR = "annexproc"
SEPARATOR = "——————————"

#: Fills by severity: Excel's own "bad" red, "neutral" amber, and a light blue for notes.
FILLS = {"error": "FFFFC7CE", "warning": "FFFFEB9C", "info": "FFDDEBF7"}

_HEAD = {
    "zh": ("严重程度", "规则", "工作表", "单元格", "指标", "片区/社工", "应为", "表中", "说明"),
    "en": ("Severity", "Rule", "Sheet", "Cell", "Indicator", "District / worker", "Expected", "Found", "Message"),
}
_WIDTHS = (8, 6, 10, 7, 22, 12, 11, 11, 62)
LABEL_COLS = 4   # the labels of 核查信息 and 关键数据 span A:D, their values E:I
_WORDS = {
    "title": ("核查结果：{name}", "Check results: {name}"),
    "counts": ("错误 {e} 个 · 警告 {w} 个 · 提示 {i} 个（颜色同表中单元格）",
               "{e} errors · {w} warnings · {i} notes (colours as on the cells)"),
    "none": ("未发现任何问题。", "No finding."),
    "file_info": ("核查信息", "About this check"),
    "file": ("核查文件", "File checked"),
    "station": ("服务站", "Station"),
    "sha": ("SHA-256", "SHA-256"),
    "ruleset": ("规则版本", "Rule set"),
    "time": ("核查时间", "Checked at"),
    "counts_head": ("问题数量", "Findings"),
    "figures": ("关键数据", "Key figures"),
    "notes": ("说明", "Notes"),
    "comment_box": ("原有批注的文字和作者均已保留；批注框的大小和位置按默认重排。",
                    "Existing comments keep their text and author; their boxes are resized to the default."),
    "holds": ("表中：{v}", "Holds: {v}"),
    "should": ("应为：{v}", "Should be: {v}"),
}


# ---------------------------------------------------------------------------------------------
# Loading the input again, and finding what cannot be carried

def is_zip_workbook(path: str) -> bool:
    return zipfile.is_zipfile(path)


def has_macros(path: str) -> bool:
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as zf:
        return any(n.lower().endswith("vbaproject.bin") for n in zf.namelist())


def output_suffix(input_path: str) -> str:
    """The suffix an output of this input should have: '.xlsm' keeps macros, anything else '.xlsx'."""
    return ".xlsm" if has_macros(input_path) else ".xlsx"


_WARNED = {
    "Data Validation extension": ("部分数据验证（Excel 扩展格式）", "some data validations (Excel extension format)"),
    "Conditional Formatting extension": ("部分条件格式（数据条、图标集等扩展格式）",
                                         "some conditional formats (data bars, icon sets in extension format)"),
    "Sparkline Group extension": ("迷你图", "sparklines"),
    "Slicer List extension": ("切片器", "slicers"),
    "Unknown extension": ("工作表中的扩展内容（Excel 新版功能）", "extension content of a sheet (newer Excel features)"),
    "header or footer": ("页眉或页脚", "a header or footer"),
}


def load_for_output(report: Report, out_path: str | os.PathLike | None = None):
    """(openpyxl Workbook to write, [(zh, en) of what it could not carry]) for the report's input.

    The input is read again from disk (never for writing) with rich text and, for an .xlsm written
    to an .xlsm, its macros. A legacy .xls (not a zip) is the workbook the reader converted.
    """
    import openpyxl

    from .fastload import merges_memoised

    path = report.path
    lost: list[tuple[str, str]] = []
    book = report.book
    if getattr(book, "converted", False) or not is_zip_workbook(path):
        # NB: .xls/.xlsb/.ods were read into an in-memory workbook; the reader's RD09 says so.
        if book is None:
            from .workbook import open_book
            book = open_book(path)
        return book.wb, lost
    macros = has_macros(path)
    keep_vba = macros and (out_path is None or str(out_path).lower().endswith(".xlsm"))
    if macros and not keep_vba:
        lost.append(("宏（VBA）：输出为 .xlsx，要保留宏请输出为 .xlsm",
                     "macros (VBA): the output is .xlsx; write to an .xlsm to keep them"))
    # NB: memoised merge styling: the very workbook openpyxl would load, in a third of the time (fastload)
    with warnings.catch_warnings(record=True) as caught, merges_memoised():
        warnings.simplefilter("always")
        wb = openpyxl.load_workbook(path, rich_text=True, keep_vba=keep_vba, keep_links=True)
    _plain_text_back(wb)
    said = set()
    for w in caught:
        text = str(w.message)
        for key, words in _WARNED.items():
            if key in text and words not in said:
                said.add(words)
                lost.append(words)
                break
    lost.extend(_zip_losses(path))
    return wb, lost


def _plain_text_back(wb) -> None:
    """Text without formatted runs goes back to a plain string (a shared string, as it came)."""
    from openpyxl.cell.rich_text import CellRichText

    for ws in wb.worksheets:
        for cell in ws._cells.values():
            v = cell.value
            if isinstance(v, CellRichText) and all(isinstance(b, str) for b in v):
                cell.value = str(v)


def _zip_losses(path: str) -> list[tuple[str, str]]:
    """What the zip holds that openpyxl drops or simplifies, read off its member names and drawings."""
    out = []
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        charts = [n for n in names if n.startswith("xl/charts/chart") and n.endswith(".xml")]
        if charts:
            out.append((f"{len(charts)} 个图表的格式（图表本身已保留，颜色、字体、样式可能被简化）",
                        f"the formatting of {len(charts)} chart(s) (the charts are kept; colours, fonts and "
                        f"styles may be simplified)"))
        shapes = 0
        for n in names:
            if n.startswith("xl/drawings/drawing") and n.endswith(".xml"):
                data = zf.read(n)
                shapes += data.count(b"<xdr:sp>") + data.count(b"<xdr:sp ") + data.count(b"<xdr:grpSp")
        if shapes:
            out.append((f"{shapes} 个形状或文本框", f"{shapes} shape(s) or text box(es)"))
        for prefix, zh, en in (("xl/threadedComments/", "新式批注中的回复（批注正文已保留）",
                                "replies in threaded comments (the comment text is kept)"),
                               ("xl/slicers/", "切片器", "slicers"), ("xl/timelines/", "日程表", "timelines"),
                               ("xl/ctrlProps/", "表单控件", "form controls"),
                               ("xl/activeX/", "ActiveX 控件", "ActiveX controls")):
            if any(n.startswith(prefix) for n in names) and not _kept_with_vba(prefix, path):
                out.append((zh, en))
    return out


def _kept_with_vba(prefix: str, path: str) -> bool:
    # NB: openpyxl copies form controls and ActiveX parts along with the macros of an .xlsm.
    return prefix in ("xl/ctrlProps/", "xl/activeX/") and path.lower().endswith(".xlsm") and has_macros(path)


def add_not_carried(report: Report, lost: list[tuple[str, str]]) -> list[Finding]:
    """Add an RD10 finding to the report for each thing not carried (once, however often called)."""
    have = {dict(f.args).get("reason") for f in report.findings if f.rule == "RD10"}
    added = []
    for zh, en in lost:
        if zh in have:
            continue
        f = finding("RD10", None, None, reason=zh, reason_en=en)
        report.findings.append(f)
        added.append(f)
    return added


# ---------------------------------------------------------------------------------------------
# Comments and fills on the flagged cells

def comment_text(findings: list[Finding], lang: str = "zh") -> str:
    """Our part of a cell's comment: one paragraph per finding, worst first."""
    paras = []
    for f in sorted(findings, key=Finding.sort_key):
        head = f"[{f.rule} {severity_word(f.severity, lang)}] {f.message(lang)}"
        lines = [head]
        if f.found is not None or f.expected is not None:
            sep = "; " if lang == "en" else "；"
            lines.append(say(_WORDS, "holds", lang, v=f.shown("found", lang)) + sep
                         + say(_WORDS, "should", lang, v=f.shown("expected", lang)))
        paras.append("\n".join(lines))
    return "\n\n".join(paras)


def _box(text: str) -> tuple[float, float]:
    """(width, height) in pixels (openpyxl's unit for a comment box) that show the whole text.

    NB: at the default 9-pt comment type a line is about 16 px high and 320 px hold about 50 units
    (a CJK character counts two).
    """
    lines = sum(max(1, math.ceil(text_units(line) / 50)) for line in text.split("\n"))
    return 320.0, min(1200.0, 16.0 * lines + 10.0)


def _anchor(ws, cell: str) -> str | None:
    """The A1 of the cell a comment can sit on: the top-left of the merge holding it."""
    ref = cell.split(":")[0].replace("$", "")
    try:
        row, col = from_a1(ref)
    except ValueError:
        return None
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return f"{col_letter(rng.min_col)}{rng.min_row}"
    return f"{col_letter(col)}{row}"


def annotate_cells(wb, findings: list[Finding], lang: str = "zh") -> int:
    """Put a comment and a fill on every flagged cell; returns how many cells were annotated."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if not f.sheet or f.sheet not in wb.sheetnames:
            continue
        for a1 in f.all_cells:   # NB: a finding said once for a region still marks each of its cells
            ref = _anchor(wb[f.sheet], a1)
            if ref:
                by_cell.setdefault((f.sheet, ref), []).append(f)
    for (sheet, ref), fs in by_cell.items():
        c = wb[sheet][ref]
        ours = comment_text(fs, lang)
        old = c.comment
        if old is not None and (old.text or "").strip():
            text, author = f"{old.text.rstrip()}\n{SEPARATOR}\n{ours}", old.author or OUR_AUTHOR
        else:
            text, author = ours, OUR_AUTHOR
        w, h = _box(text)
        c.comment = Comment(text, author, height=h, width=w)
        worst = min(fs, key=Finding.sort_key).severity
        c.fill = PatternFill(fill_type="solid", fgColor=FILLS.get(worst, FILLS["info"]),
                             bgColor=FILLS.get(worst, FILLS["info"]))
    return len(by_cell)


# ---------------------------------------------------------------------------------------------
# The 核查结果 sheet

def _put(cell, value: Any, number_format: str | None = None) -> None:
    """Write a value that came from a workbook or a message: never as a formula."""
    if isinstance(value, str):
        cell.value = value
        if cell.data_type == "f":  # NB: text such as '=A1+B1' found in a cell stays text here
            cell.data_type = "s"
    elif value is None or isinstance(value, (bool, int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            cell.value = str(value)
        else:
            cell.value = value
    else:
        _put(cell, str(value))
        return
    if number_format:
        cell.number_format = number_format


def text_units(text: str) -> int:
    """Width of a text in column-width units: a CJK or full-width character counts two."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


def row_height(values, widths, line: float = 15.0) -> float:
    """Points a row needs so that each value, wrapped in its column's width, shows every line."""
    lines = 1
    for v, w in zip(values, widths):
        if v is None:
            continue
        text = str(v) if not isinstance(v, float) else "0.00%"
        per = max(1, int(w) - 1)
        lines = max(lines, sum(max(1, math.ceil(text_units(part) / per)) for part in text.split("\n")))
    return line * lines


def _quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _figure_value(key: str, value: Any) -> tuple[Any, str | None]:
    if isinstance(value, bool) or value is None:
        return value, None
    if isinstance(value, (int, float)):
        if key.endswith(("share", "rate", "_pct", "ratio")) or key == "completion":
            return float(value), "0.00%"
        return value, "General"
    if isinstance(value, (list, tuple)):
        return "、".join(show(v) for v in value), None
    if isinstance(value, dict):
        return "；".join(f"{k}: {show(v)}" for k, v in value.items()), None
    return str(value), None


_TABLE_HEAD = {"zh": ("附件1 指标", "协议", "完成", "完成率"), "en": ("附件1 indicator", "agreed", "achieved", "completion")}


def _indicator_table(ws, row: int, totals: dict, completion: dict, lang: str, bold, grid) -> int:
    """附件1's indicators as (indicator, agreed, achieved, completion) rows; returns the next row."""
    head = _TABLE_HEAD["en" if lang == "en" else "zh"]
    names = list(dict.fromkeys(list(totals) + list(completion)))
    label_end = 5                     # NB: indicator names are long: A:E, then 协议 F, 完成 G, 完成率 H
    cols = (1, label_end + 1, label_end + 2, label_end + 3)
    for col, text in zip(cols, head):
        c = ws.cell(row, col)
        _put(c, text)
        c.font = bold
        c.border = grid
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=label_end)
    row += 1
    for name in names:
        t = totals.get(name)
        _put(ws.cell(row, 1), name)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=label_end)
        if isinstance(t, dict):
            _put(ws.cell(row, cols[1]), _scalar(t.get("agreement")))
            _put(ws.cell(row, cols[2]), _scalar(t.get("achieved")))
        elif t is not None:
            _put(ws.cell(row, cols[2]), _scalar(t))
        if name in completion:
            v, _ = _figure_value("completion", completion[name])
            _put(ws.cell(row, cols[3]), v, "0.00%" if isinstance(v, float) else None)
        for col in cols:
            ws.cell(row, col).border = grid
        row += 1
    return row


# -- a written evaluation report's findings (RP, `check --report`): their own block under the table --

REPORT_PREFIX = "RP"
_REPORT_HEAD = {
    "zh": ("评估报告核对", ("严重程度", "规则", "段落", "页", "指标", "", "附件", "报告", "说明 / 报告原文")),
    "en": ("The evaluation report", ("Severity", "Rule", "Paragraph", "Page", "Indicator", "", "Annexes", "Report",
                                     "Message / the report's words")),
}


def _report_block(ws, row: int, findings: list[Finding], lang: str) -> int:
    """The RP findings under the workbook's: where in the report (paragraph, page), not a sheet and cell."""
    from openpyxl.styles import Alignment, Font, PatternFill
    if not findings:
        return row
    title, head = _REPORT_HEAD["en" if lang == "en" else "zh"]
    row += 2
    _put(ws.cell(row, 1), title)
    ws.cell(row, 1).font = Font(bold=True, size=12)
    row += 1
    for j, text in enumerate(head, 1):
        ws.cell(row, j, text or None).font = Font(bold=True)
    for f in findings:
        row += 1
        where = dict(f.location)
        values = (severity_word(f.severity, lang), f.rule, where.get("paragraph"), where.get("page"), f.indicator,
                  None, None, None, f.message(lang) + (f"\n“{f.quote}”" if f.quote else ""))
        for j, v in enumerate(values, 1):
            _put(ws.cell(row, j), v)
            ws.cell(row, j).alignment = Alignment(wrap_text=True, vertical="top")
        for j, which in ((7, "expected"), (8, "found")):
            v = getattr(f, which)
            if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
                _put(ws.cell(row, j), v, "0.00%" if f.unit == "pct" else "General")
        ws.cell(row, 1).fill = PatternFill(fill_type="solid", fgColor=FILLS.get(f.severity, FILLS["info"]),
                                           bgColor=FILLS.get(f.severity, FILLS["info"]))
        ws.row_dimensions[row].height = row_height([ws.cell(row, j).value for j in range(1, 10)], _WIDTHS)
    return row


def _scalar(v: Any) -> Any:
    return v if v is None or isinstance(v, (int, float, str)) else show(v)


def _unique_title(wb, title: str) -> str:
    if title not in wb.sheetnames:
        return title
    n = 2
    while f"{title}({n})" in wb.sheetnames:
        n += 1
    return f"{title}({n})"


def write_results_sheet(wb, report: Report, lang: str = "zh", *, notes: list[str] = (),
                        checked_at: _dt.datetime | None = None):
    """Insert the first sheet 核查结果 and make it the active one. Returns the worksheet."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws = wb.create_sheet(_unique_title(wb, RESULTS_SHEET), 0)
    for other in wb.worksheets[1:]:
        other.sheet_view.tabSelected = False  # NB: two selected tabs would open as a sheet group
    wb.active = 0
    ws.sheet_view.tabSelected = True

    head = _HEAD["en" if lang == "en" else "zh"]
    ncol = len(head)
    last_col = col_letter(ncol)
    bold = Font(bold=True)
    wrap_top = Alignment(wrap_text=True, vertical="top")
    thin = Side(style="thin", color="FFBFBFBF")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)

    name = os.path.basename(report.path)
    _put(ws.cell(1, 1), say(_WORDS, "title", lang, name=name))
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.merge_cells(f"A1:{last_col}1")
    _put(ws.cell(2, 1), say(_WORDS, "counts", lang, e=report.errors, w=report.warnings, i=report.infos))
    ws.merge_cells(f"A2:{last_col}2")

    header_row = 3
    for j, text in enumerate(head, 1):
        c = ws.cell(header_row, j, text)
        c.font = bold
        c.fill = PatternFill(fill_type="solid", fgColor="FFD9D9D9", bgColor="FFD9D9D9")
        c.alignment = Alignment(vertical="center", wrap_text=True)
        c.border = grid
    row = header_row
    for f in [f for f in report.sorted_findings() if not f.rule.startswith(REPORT_PREFIX)]:
        row += 1
        sev = ws.cell(row, 1)
        _put(sev, severity_word(f.severity, lang))
        sev.fill = PatternFill(fill_type="solid", fgColor=FILLS.get(f.severity, FILLS["info"]),
                               bgColor=FILLS.get(f.severity, FILLS["info"]))
        _put(ws.cell(row, 2), f.rule)
        _put(ws.cell(row, 3), f.sheet or "")
        cell = ws.cell(row, 4)
        _put(cell, f.cell or "")
        if f.sheet and f.cell and f.sheet in wb.sheetnames:
            target = _anchor(wb[f.sheet], f.cell) or f.cell
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"{_quote_sheet(f.sheet)}!{target}",
                                       display=f.cell)
            cell.font = Font(color="FF0563C1", underline="single")
        _put(ws.cell(row, 5), f.indicator or "")
        _put(ws.cell(row, 6), f.district or f.worker or "")
        for j, which in ((7, "expected"), (8, "found")):
            v = getattr(f, which)
            if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
                _put(ws.cell(row, j), v, "0.00%" if f.unit == "pct" else "General")
            else:
                _put(ws.cell(row, j), "" if v is None else f.shown(which, lang))
        _put(ws.cell(row, 9), f.message(lang))
        for j in range(1, ncol + 1):
            ws.cell(row, j).alignment = wrap_top
            ws.cell(row, j).border = grid
        # NB: LibreOffice and printers do not grow a row for wrapped text: give it its height
        ws.row_dimensions[row].height = row_height(
            [ws.cell(row, j).value for j in range(1, ncol + 1)], _WIDTHS)
    last = row
    if last == header_row:
        row += 1
        _put(ws.cell(row, 1), say(_WORDS, "none", lang))
        ws.merge_cells(f"A{row}:{last_col}{row}")
    else:
        ws.auto_filter.ref = f"A{header_row}:{last_col}{last}"
    ws.freeze_panes = f"A{header_row + 1}"
    row = _report_block(ws, row, [f for f in report.sorted_findings() if f.rule.startswith(REPORT_PREFIX)], lang)

    # About this check: file, hash, rule set, time; counts; key figures; notes.
    row += 2
    checked_at = checked_at or _dt.datetime.now().astimezone()

    def section(title: str) -> None:
        nonlocal row
        _put(ws.cell(row, 1), title)
        ws.cell(row, 1).font = Font(bold=True, size=12)
        row += 1

    def pair(label: str, value: Any, fmt: str | None = None) -> None:
        nonlocal row
        _put(ws.cell(row, 1), label)
        ws.cell(row, 1).font = bold
        ws.cell(row, 1).alignment = wrap_top
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=LABEL_COLS)
        _put(ws.cell(row, LABEL_COLS + 1), value, fmt)
        ws.cell(row, LABEL_COLS + 1).alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        ws.merge_cells(start_row=row, start_column=LABEL_COLS + 1, end_row=row, end_column=ncol)
        ws.row_dimensions[row].height = row_height(
            [label, value], (sum(_WIDTHS[:LABEL_COLS]), sum(_WIDTHS[LABEL_COLS:])))
        row += 1

    section(say(_WORDS, "file_info", lang))
    # NB: the name only: a folder path (or a server's temporary one) means nothing to the reader
    pair(say(_WORDS, "file", lang), name)
    if report.station:
        pair(say(_WORDS, "station", lang), report.station)
    pair(say(_WORDS, "sha", lang), report.sha256 or "")
    pair(say(_WORDS, "ruleset", lang), RULESET_VERSION)
    pair(say(_WORDS, "time", lang), checked_at.isoformat(timespec="seconds"))
    row += 1
    section(say(_WORDS, "counts_head", lang))
    for sev, n in (("error", report.errors), ("warning", report.warnings), ("info", report.infos)):
        pair(severity_word(sev, lang), n, "0")
        ws.cell(row - 1, 1).fill = PatternFill(fill_type="solid", fgColor=FILLS[sev], bgColor=FILLS[sev])
    if report.figures:
        row += 1
        section(say(_WORDS, "figures", lang))
        figures = dict(report.figures)
        totals, completion = figures.pop("annex1_totals", None), figures.pop("completion", None)
        for key, value in figures.items():
            if isinstance(value, dict):
                for sub, v in value.items():
                    v, fmt = _figure_value(key, v)
                    pair(f"{figure_name(key, lang)} · {figure_name(sub, lang)}", v, fmt)
            elif isinstance(value, (list, tuple)) and any(isinstance(v, dict) for v in value):
                continue  # NB: per-worker records are the findings' business, not a key figure
            else:
                v, fmt = _figure_value(key, value)
                pair(figure_name(key, lang), v, fmt)
        if isinstance(totals, dict) or isinstance(completion, dict):
            row += 1
            row = _indicator_table(ws, row, totals or {}, completion or {}, lang, bold, grid)
    all_notes = [n for n in notes if n]
    if all_notes:
        row += 1
        section(say(_WORDS, "notes", lang))
        for n in all_notes:
            _put(ws.cell(row, 1), n)
            ws.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncol)
            ws.row_dimensions[row].height = row_height([n], (sum(_WIDTHS),))
            row += 1

    for j, w in enumerate(_WIDTHS, 1):
        ws.column_dimensions[col_letter(j)].width = w
    # A paper copy must explain itself: A4 landscape, one page wide, the header row on every page.
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "&P / &N"
    return ws


# ---------------------------------------------------------------------------------------------
# Putting it together

def cached_value_source(report: Report):
    """``value_for(sheet, (row, col))``: our value for a derived cell, else the input's cached value."""
    from .cells import to_a1

    book = report.book
    cached = {s.name: s.cached for s in book.sheets} if book is not None else {}
    derived = report.derived

    def value_for(sheet: str, pos: tuple[int, int]) -> Any:
        d = derived.get((sheet, to_a1(*pos)))
        if d is not None:
            return d.value
        return cached.get(sheet, {}).get(pos)
    return value_for


def _ensure_book(report: Report) -> None:
    if report.book is None and report.readable:
        from .workbook import open_book
        report.book = open_book(report.path)


def output_path(input_path: str, out_path) -> Path:
    """The path an annotated copy of ``input_path`` asked for at ``out_path`` is written to: a legacy
    .xls input (or any non-Excel suffix) is written as .xlsx. Refuses (ValueError) the input itself."""
    out = Path(out_path)
    if out.suffix.lower() not in (".xlsx", ".xlsm"):
        out = out.with_suffix(".xlsx")
    if out.exists() and os.path.exists(input_path) and os.path.samefile(out, input_path):
        raise ValueError(f"refusing to write the output over the input: {out}")
    return out


def write_annotated(report: Report, out_path, lang: str = "zh", redact: bool = False,
                    *, checked_at: _dt.datetime | None = None) -> Path:
    """Write the annotated copy of ``report``'s input to ``out_path``; returns the path written.

    Adds an RD10 finding to ``report`` for anything of the input the copy cannot carry. The input is
    never opened for writing; the copy is written to a temporary file beside ``out_path`` and moved
    into place.
    """
    from .xlsxpatch import save_with_cached_values

    out = output_path(report.path, out_path)
    _ensure_book(report)
    wb, lost = load_for_output(report, out)
    add_not_carried(report, lost)
    if redact:
        from .redact import redact_workbook
        redact_workbook(wb, report)
    had_comments = any(c.comment is not None for ws in wb.worksheets for c in ws._cells.values())
    annotate_cells(wb, report.findings, lang)
    notes = [say(_WORDS, "comment_box", lang)] if had_comments else []
    write_results_sheet(wb, report, lang, notes=notes, checked_at=checked_at)
    save_with_cached_values(wb, out, cached_value_source(report))
    return out

