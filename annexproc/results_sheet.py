"""The 核查结果 sheet of the annotated copy: the verdict, the legend, the key figures (marked where an
error changes them), the findings errors first, 附件1's indicators and the facts of the check; fonts,
row heights and page setup made for reading on screen and on A4 paper."""
from __future__ import annotations

import datetime as _dt
import math
import os
from typing import Any

from . import RULESET_VERSION
from .cells import col_letter, from_a1
from .finding_words import is_ratio_figure, reference_formula, region_text, words_only
from .findings import Finding, joined, show
from .i18n import affected_figures, count_word, figure_name, severity_word
from .report import Report
from .words import say

RESULTS_SHEET = "核查结果"

#: Fills by severity: Excel's own "bad" red and "neutral" amber, and lavender for notes. NB: none of
#: them is a fill the template uses (#DDEBF7 headers, #F2F2F2 derived cells): a flag never looks like a header.
FILLS = {"error": "FFFFC7CE", "warning": "FFFFEB9C", "info": "FFE4DFEC"}
#: A font made for Chinese; Excel on Windows and macOS has it, LibreOffice substitutes a CJK face.
FONT = "等线"

#: The findings' columns (the catalogue's "sheet.col.X").
_COLS = ("severity", "rule", "sheet", "cell", "indicator", "where", "expected", "found", "message", "formula")
#: NB: 146 width units print on A4 landscape with 1 cm margins at about 100 %; fitToWidth does the rest.
_WIDTHS = (8, 6, 9, 12, 16, 10, 9, 9, 46, 21)
LABEL_COLS = 5   # the labels of 核查信息 and 关键数据 span A:E, their values F, a remark G:J


def anchor(ws, cell: str) -> str | None:
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
    """Points a row needs so that each value, wrapped in its column's width, shows every line.

    NB: a CJK character is a little wider than two digits and a wrap breaks before a word that does
    not fit, so a line holds less than the width: count on 85 % of it, and add a few points of
    padding, rather than cut the last line of a message.
    """
    lines = 1
    for v, w in zip(values, widths):
        if v is None or v == "":
            continue
        text = str(v) if not isinstance(v, float) else "0.00%"
        per = max(1.0, w * 0.9 - 1)
        lines = max(lines, sum(max(1, math.ceil(text_units(part) / per)) for part in text.split("\n")))
    return line * lines + (3 if lines > 1 else 0)


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


_TABLE_HEAD = ("table.indicator", "table.agreed", "table.achieved", "table.completion")


def _indicator_table(ws, row: int, totals: dict, completion: dict, lang: str, bold, grid) -> int:
    """附件1's indicators as (indicator, agreed, achieved, completion) rows; returns the next row."""
    from openpyxl.styles import Font

    head = [say(f"sheet.{k}", lang) for k in _TABLE_HEAD]
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
            ws.cell(row, col).font = Font(name=FONT)
        row += 1
    return row


# -- a written evaluation report's findings (RP, `check --report`): their own block under the table --

REPORT_PREFIX = "RP"
#: The columns of the RP block: where in the report (paragraph, page), not a sheet and cell; None for a blank head.
_REPORT_HEAD = ("col.severity", "col.rule", "report.paragraph", "report.page", "col.indicator", None, "report.annexes",
                "report.report", "report.message")


def _report_block(ws, row: int, findings: list[Finding], lang: str) -> int:
    """The RP findings under the workbook's: where in the report (paragraph, page), not a sheet and cell."""
    from openpyxl.styles import Alignment, Font, PatternFill
    if not findings:
        return row
    title = say("sheet.report.title", lang)
    head = [say(f"sheet.{k}", lang) if k else "" for k in _REPORT_HEAD]
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


def verdict_text(report: Report, lang: str = "zh") -> str:
    """'✘ 2 个错误，须改正后再提交（另有 3 个警告、1 个提示）' / '✔ 未发现错误（另有 1 个警告）'."""
    rest = [count_word(n, k, lang) for k, n in (("warning", report.warnings), ("info", report.infos)) if n]
    if report.errors:
        head = say("sheet.verdict_errors", lang, n=count_word(report.errors, "error", lang))
    else:
        head = say("sheet.verdict_clean", lang)
    return head + (say("sheet.verdict_rest", lang, rest=joined(rest, lang)) if rest else "")


def local_time_text(at: _dt.datetime) -> str:
    """'2026-12-05 21:08:03 UTC+08:00': local time, its zone always said."""
    at = at.astimezone() if at.tzinfo is None else at
    off = at.utcoffset() or _dt.timedelta(0)
    sign, mins = ("+" if off >= _dt.timedelta(0) else "-"), abs(int(off.total_seconds())) // 60
    return f"{at:%Y-%m-%d %H:%M:%S} UTC{sign}{mins // 60:02d}:{mins % 60:02d}"


def _header_text(text: str) -> str:
    return text.replace("&", "&&")   # NB: '&' starts a code in a print header


def write_results_sheet(wb, report: Report, lang: str = "zh", *, notes: list[str] = (),
                        checked_at: _dt.datetime | None = None):
    """Insert the first sheet 核查结果 and make it the active one. Returns the worksheet.

    It opens with the answer: the verdict, the legend, the key figures (marked where an error
    changes them), then the findings, errors first; 附件1's indicators and the facts of the check follow.
    """
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws = wb.create_sheet(_unique_title(wb, RESULTS_SHEET), 0)
    for other in wb.worksheets[1:]:
        other.sheet_view.tabSelected = False  # NB: two selected tabs would open as a sheet group
    wb.active = 0
    ws.sheet_view.tabSelected = True

    head = [say(f"sheet.col.{c}", lang) for c in _COLS]
    ncol = len(head)
    last_col = col_letter(ncol)
    plain = Font(name=FONT, size=11)
    bold = Font(name=FONT, size=11, bold=True)
    wrap_top = Alignment(wrap_text=True, vertical="top")
    thin = Side(style="thin", color="FFBFBFBF")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)

    def fill(sev: str):
        return PatternFill(fill_type="solid", fgColor=FILLS.get(sev, FILLS["info"]), bgColor=FILLS.get(sev, FILLS["info"]))

    def span(row: int, c1: int, c2: int, value: Any, fmt: str | None = None, font=None, height_cols=None):
        """A value over columns c1..c2 (merged), wrapped, its row tall enough for it."""
        c = ws.cell(row, c1)
        _put(c, value, fmt)
        c.font = font or plain
        c.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        if c2 > c1:
            ws.merge_cells(start_row=row, start_column=c1, end_row=row, end_column=c2)
        return c

    def fit(row: int, spans) -> None:
        """Give ``row`` the height its wrapped values need; ``spans``: (value, first col, last col)."""
        ws.row_dimensions[row].height = row_height(
            [v for v, _, _ in spans], [sum(_WIDTHS[c1 - 1:c2]) for _, c1, c2 in spans])

    name = os.path.basename(report.path)
    span(1, 1, ncol, say("sheet.title", lang, name=name), font=Font(name=FONT, bold=True, size=14))
    ws.row_dimensions[1].height = 22
    verdict = verdict_text(report, lang)
    c = span(2, 1, ncol, verdict, font=Font(name=FONT, bold=True, size=13,
                                            color="FF9C0006" if report.errors else "FF006100"))
    c.fill = fill("error") if report.errors else PatternFill(fill_type="solid", fgColor="FFC6EFCE", bgColor="FFC6EFCE")
    ws.row_dimensions[2].height = 21
    # The legend: each severity in its colour, then what it asks of the reader.
    for sev, (c1, c2, c3) in zip(("error", "warning", "info"), ((1, 2, 3), (4, 5, 5), (6, 7, 8))):
        word, ask = severity_word(sev, lang), say(f"sheet.ask.{sev}", lang)
        cell = span(3, c1, c1, word, font=bold)
        cell.fill = fill(sev)
        cell.alignment = Alignment(horizontal="center", vertical="top", wrap_text=True)
        span(3, c2, c3, ask).alignment = Alignment(vertical="top", horizontal="left")   # NB: one line
    ws.row_dimensions[3].height = 18

    row = 5
    figures = dict(report.figures or {})
    totals, completion = figures.pop("annex1_totals", None), figures.pop("completion", None)
    affected = affected_figures(report.findings)
    # NB: per-worker records are the findings' business, not a key figure
    shown = [(k, v) for k, v in figures.items()
             if not (isinstance(v, (list, tuple)) and any(isinstance(x, dict) for x in v))]
    if shown:
        span(row, 1, ncol, say("sheet.figures", lang), font=Font(name=FONT, bold=True, size=12))
        row += 1
        for key, value in shown:
            items = ([(f"{figure_name(key, lang)} · {figure_name(sub, lang)}", key, v) for sub, v in value.items()]
                     if isinstance(value, dict) else [(figure_name(key, lang), key, value)])
            for label, k, v in items:
                v, fmt = _figure_value(k, v)
                span(row, 1, LABEL_COLS, label, font=bold)
                cell = span(row, LABEL_COLS + 1, LABEL_COLS + 1, v, fmt)
                cell.alignment = Alignment(horizontal="right", vertical="top", wrap_text=True)
                remark = ""
                if k in affected and label == figure_name(k, lang):
                    cell.fill = fill("error")
                    remark = say("grammar.semicolon", lang).join(
                        say("sheet.affected", lang, v=show(exp, "pct" if is_ratio_figure(k) else None, lang),
                            cells=f"{f.sheet}!{region_text(f, lang)}" if f.sheet else f.rule)
                        for f, _, exp in affected[k])
                    span(row, LABEL_COLS + 2, ncol, remark, font=Font(name=FONT, color="FF9C0006"))
                for j in range(1, LABEL_COLS + 2):
                    ws.cell(row, j).border = grid
                fit(row, [(label, 1, LABEL_COLS), (remark, LABEL_COLS + 2, ncol)])
                row += 1
        row += 1

    # The findings, errors first, each with a link to its cell.
    span(row, 1, ncol, say("sheet.findings", lang), font=Font(name=FONT, bold=True, size=12))
    row += 1
    header_row = row
    for j, text in enumerate(head, 1):
        c = ws.cell(header_row, j, text)
        c.font = bold
        c.fill = PatternFill(fill_type="solid", fgColor="FFD9D9D9", bgColor="FFD9D9D9")
        c.alignment = Alignment(vertical="center", wrap_text=True)
        c.border = grid
    fit(header_row, [(t, j, j) for j, t in enumerate(head, 1)])
    for f in [f for f in report.sorted_findings() if not f.rule.startswith(REPORT_PREFIX)]:
        row += 1
        sev = ws.cell(row, 1)
        _put(sev, severity_word(f.severity, lang))
        sev.fill = fill(f.severity)
        _put(ws.cell(row, 2), f.rule)
        _put(ws.cell(row, 3), f.sheet or "")
        cell = ws.cell(row, 4)
        _put(cell, region_text(f, lang))
        link_font = None
        if f.sheet and f.cell and f.sheet in wb.sheetnames:
            target = anchor(wb[f.sheet], f.cell) or f.cell
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"{_quote_sheet(f.sheet)}!{target}",
                                       display=f.cell)
            link_font = Font(name=FONT, color="FF0563C1", underline="single")
        _put(ws.cell(row, 5), f.indicator or "")
        _put(ws.cell(row, 6), f.district or f.worker or "")
        for j, which in ((7, "expected"), (8, "found")):
            v = getattr(f, which)
            if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
                _put(ws.cell(row, j), v, "0.00%" if f.unit == "pct" else "General")
            else:
                _put(ws.cell(row, j), "" if v is None else f.shown(which, lang))
        _put(ws.cell(row, 9), words_only(f, lang))
        _put(ws.cell(row, 10), reference_formula(f, report.derived))
        for j in range(1, ncol + 1):
            c = ws.cell(row, j)
            c.alignment = wrap_top
            c.border = grid
            c.font = link_font if (j == 4 and link_font) else plain
        # NB: LibreOffice and printers do not grow a row for wrapped text: give it its height
        fit(row, [(ws.cell(row, j).value, j, j) for j in range(1, ncol + 1)])
    last = row
    if last == header_row:
        row += 1
        span(row, 1, ncol, say("sheet.none", lang))
    else:
        ws.auto_filter.ref = f"A{header_row}:{last_col}{last}"
    # NB: a written evaluation report's findings (RP, `check --report`) have their own block
    row = _report_block(ws, row, [f for f in report.sorted_findings() if f.rule.startswith(REPORT_PREFIX)], lang)

    def section(title: str) -> None:
        nonlocal row
        span(row, 1, ncol, title, font=Font(name=FONT, bold=True, size=12))
        row += 1

    def pair(label: str, value: Any, fmt: str | None = None) -> None:
        nonlocal row
        span(row, 1, LABEL_COLS, label, font=bold)
        span(row, LABEL_COLS + 1, ncol, value, fmt)
        fit(row, [(label, 1, LABEL_COLS), (value, LABEL_COLS + 1, ncol)])
        row += 1

    if isinstance(totals, dict) or isinstance(completion, dict):
        row += 2
        section(say("sheet.indicators", lang))
        row = _indicator_table(ws, row, totals or {}, completion or {}, lang, bold, grid)
    row += 2
    checked_at = checked_at or _dt.datetime.now().astimezone()
    section(say("sheet.file_info", lang))
    # NB: the name only: a folder path (or a server's temporary one) means nothing to the reader
    pair(say("sheet.file", lang), name)
    if report.station:
        pair(say("sheet.station", lang), report.station)
    pair(say("sheet.sha", lang), report.sha256 or "")
    pair(say("sheet.ruleset", lang), RULESET_VERSION)
    pair(say("sheet.time", lang), local_time_text(checked_at))
    all_notes = [n for n in notes if n]
    if all_notes:
        row += 1
        section(say("sheet.notes", lang))
        for n in all_notes:
            span(row, 1, ncol, n)
            fit(row, [(n, 1, ncol)])
            row += 1

    for j, w in enumerate(_WIDTHS, 1):
        ws.column_dimensions[col_letter(j)].width = w
    # A paper copy must explain itself: A4 landscape, one page wide, the findings' header on every page,
    # the file's name and the page number in the header.
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddHeader.left.text = _header_text(say("sheet.header", lang, name=name))
    ws.oddHeader.right.text = say("sheet.page", lang)
    ws.oddFooter.center.text = "&P / &N"
    return ws
