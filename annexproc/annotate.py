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
import re
import warnings
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import RULESET_VERSION
from .cells import col_letter, from_a1
from .findings import Finding, finding, joined, show
from .i18n import affected_figures, count_word, figure_key, figure_name, say, severity_word
from .report import Report

RESULTS_SHEET = "核查结果"
OUR_AUTHOR = "annexproc"
SEPARATOR = "——————————"

#: Fills by severity: Excel's own "bad" red and "neutral" amber, and lavender for notes. NB: none of
#: them is a fill the template uses (#DDEBF7 headers, #F2F2F2 derived cells): a flag never looks like a header.
FILLS = {"error": "FFFFC7CE", "warning": "FFFFEB9C", "info": "FFE4DFEC"}
#: A font made for Chinese; Excel on Windows and macOS has it, LibreOffice substitutes a CJK face.
FONT = "等线"

_HEAD = {
    "zh": ("严重程度", "规则", "工作表", "单元格", "指标", "片区/社工", "应为", "表中", "说明", "参考公式"),
    "en": ("Severity", "Rule", "Sheet", "Cell", "Indicator", "District / worker", "Expected", "Found", "Message",
           "Reference formula"),
}
#: NB: 146 width units print on A4 landscape with 1 cm margins at about 100 %; fitToWidth does the rest.
_WIDTHS = (8, 6, 9, 12, 16, 10, 9, 9, 46, 21)
LABEL_COLS = 5   # the labels of 核查信息 and 关键数据 span A:E, their values F, a remark G:J
_WORDS = {
    "title": ("核查结果：{name}", "Check results: {name}"),
    "verdict_clean": ("✔ 未发现错误", "✔ No errors found"),
    "verdict_errors": ("✘ {n}，须改正后再提交", "✘ {n} to correct before submitting"),
    "verdict_rest": ("（另有 {rest}）", " (and {rest})"),
    "legend": (("错误", "须改正"), ("警告", "请核实"), ("提示", "仅供参考")),
    "legend_en": (("error", "must be corrected"), ("warning", "please check"), ("note", "for information")),
    "none": ("未发现任何问题。", "No finding."),
    "findings": ("问题清单（错误在前）", "Findings (errors first)"),
    "file_info": ("核查信息", "About this check"),
    "file": ("核查文件", "File checked"),
    "station": ("服务站", "Station"),
    "sha": ("SHA-256", "SHA-256"),
    "ruleset": ("规则版本", "Rule set"),
    "time": ("核查时间", "Checked at"),
    "figures": ("关键数据", "Key figures"),
    "affected": ("受错误影响，应为 {v}（{cells}）", "changed by an error: should be {v} ({cells})"),
    "indicators": ("附件1 各指标完成情况", "附件1: each indicator"),
    "notes": ("说明", "Notes"),
    "comment_box": ("原有批注的文字、作者和批注框大小均已保留；加了核查说明的批注框按内容放大。",
                    "Existing comments keep their text, author and box size; a box that now also holds our "
                    "message is enlarged to show it."),
    "holds": ("表中：{v}", "Holds: {v}"),
    "should": ("应为：{v}", "Should be: {v}"),
    "affects": ("影响：{what} 表中 {found}，应为 {expected}", "Changes: {what} {found}, should be {expected}"),
    "region": ("共 {n}：{range}", "{n} in all: {range}"),
    "header": ("核查结果：{name}", "Check results: {name}"),
    "page": ("第 &P 页，共 &N 页", "page &P of &N"),
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

def region_text(f: Finding, lang: str = "zh") -> str:
    """Where a finding is: 'S9:S25（17 处）' for one said over a region, its cell for one cell, '' for none."""
    cells = f.all_cells
    if len(cells) > 1:
        n = count_word(len(cells), "cell", lang)
        return f"{f.range}（{n}）" if lang != "en" else f"{f.range} ({n})"
    return f.cell or ""


def is_ratio_figure(key: str | None) -> bool:
    return bool(key) and (key.endswith(("share", "rate", "_pct", "ratio")) or key == "completion")


def affects_lines(f: Finding, lang: str = "zh") -> list[str]:
    """What a finding's cause changes further on, one line each: '影响：社工实到岗人次 表中 160.5，应为 159.5'."""
    out = []
    for what, found, expected in f.affects:
        key = figure_key(what)
        unit = "pct" if is_ratio_figure(key) or (key is None and f.unit == "pct") else None
        out.append(say(_WORDS, "affects", lang, what=figure_name(key, lang) if key else what,
                       found=show(found, unit, lang), expected=show(expected, unit, lang)))
    return out


_FORMULA_ARGS = ("formula", "found_formula")
_TIDY = (  # NB: what is left around a formula taken out of a message, and what it becomes
    (re.compile(r"\s*\(\x00\)"), ""),
    (re.compile(r"[：:]\s*\x00(?=\s*[。.（(])"), ""),
)


def words_only(f: Finding, lang: str = "zh") -> str:
    """The message with its formulas taken out (the 参考公式 column and the comment carry them)."""
    if not any(k in _FORMULA_ARGS for k, _ in f.args):
        return f.message(lang)
    text = replace(f, args=tuple((k, "\x00" if k.removesuffix("_en") in _FORMULA_ARGS else v)
                                 for k, v in f.args)).message(lang)
    for pattern, repl in _TIDY:
        text = pattern.sub(repl, text)
    see = "：见“参考公式”列" if lang != "en" else ": see the reference formula"
    text = re.sub(r"[：:]\s*\x00\s*$", see, text)
    text = re.sub(r"\s*\x00\s*", "" if lang != "en" else " ", text)
    return re.sub(r" {2,}", " ", text).replace(" ,", ",").replace(" .", ".").strip()


def reference_formula(f: Finding, derived: dict | None = None) -> str:
    """The official formula of a finding's cell: the one its message quotes, else the derived cell's."""
    got = dict(f.args).get("formula")
    if isinstance(got, str) and got:
        return got
    d = (derived or {}).get((f.sheet, f.cell)) if f.sheet and f.cell else None
    return d.formula if d is not None else ""


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
        lines.extend(affects_lines(f, lang))
        if len(f.all_cells) > 1:
            lines.append(say(_WORDS, "region", lang, n=count_word(len(f.all_cells), "cell", lang), range=f.range))
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
        for cell in f.all_cells:   # NB: a finding said once for a region marks each of its cells
            ref = _anchor(wb[f.sheet], cell)
            if ref and f not in by_cell.get((f.sheet, ref), ()):
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
# The input's comment boxes, kept: openpyxl writes every box at 144×79 px beside its cell

_SHAPE = re.compile(r"<(\w+:)?shape\b([^>]*)>(.*?)</\1shape>", re.S)
_STYLE = re.compile(r"""\sstyle=(?:"([^"]*)"|'([^']*)')""")   # NB: Excel writes VML with single quotes


def _shape_cell(body: str) -> tuple[int, int] | None:
    row, col = re.search(r"<(?:\w+:)?Row>\s*(\d+)", body), re.search(r"<(?:\w+:)?Column>\s*(\d+)", body)
    if not row or not col or 'ObjectType="Note"' not in body:
        return None
    return int(row.group(1)), int(col.group(1))


def _vml_by_sheet(zf: zipfile.ZipFile) -> dict[str, str]:
    """{sheet name: its comments' VML member}."""
    from .xlsxpatch import sheet_parts, sheet_rel_targets
    out = {}
    for part, name in sheet_parts(zf).items():
        for target in sheet_rel_targets(zf, part, "/vmlDrawing"):
            if target in zf.namelist():
                out[name] = target
    return out


def comment_boxes(path: str) -> dict[str, dict[tuple[int, int], tuple[str, str | None]]]:
    """{sheet: {(row, col) 0-based: (shape style, x:Anchor text)}} of the comment boxes in ``path``."""
    out: dict[str, dict] = {}
    if not zipfile.is_zipfile(path):
        return out
    with zipfile.ZipFile(path) as zf:
        for sheet, member in _vml_by_sheet(zf).items():
            text = zf.read(member).decode("utf-8", "replace")
            for m in _SHAPE.finditer(text):
                at, style = _shape_cell(m.group(3)), _STYLE.search(m.group(2))
                if at is None or style is None:
                    continue
                anchor = re.search(r"<(?:\w+:)?Anchor>([^<]*)<", m.group(3))
                out.setdefault(sheet, {})[at] = (style.group(1) if style.group(1) is not None else style.group(2),
                                                 anchor.group(1).strip() if anchor else None)
    return out


def box_restorer(boxes: dict, keep: set[tuple[str, tuple[int, int]]]):
    """An ``xlsxpatch`` rewrite putting the input's box (style and anchor) back on each kept comment."""
    cache: dict[str, dict[str, str]] = {}

    def rewrite(zin: zipfile.ZipFile, member: str, data: bytes) -> bytes:
        if not member.endswith(".vml"):
            return data
        if zin.filename not in cache:
            # NB: read the map through a handle of our own: zin is in the middle of being copied
            with zipfile.ZipFile(zin.filename) as zf:
                cache[zin.filename] = {v: k for k, v in _vml_by_sheet(zf).items()}
        by_member = cache[zin.filename]
        sheet = by_member.get(member)
        if sheet not in boxes:
            return data

        def put_back(m: re.Match) -> str:
            at = _shape_cell(m.group(3))
            if at is None or (sheet, at) not in keep or at not in boxes[sheet]:
                return m.group(0)
            style, anchor = boxes[sheet][at]
            attrs = _STYLE.sub(lambda _: ' style="{}"'.format(style.replace('"', "&quot;")), m.group(2), count=1)
            body = m.group(3)
            if anchor and "Anchor>" not in body:
                cd = re.search(r"<(\w+:)?ClientData\b[^>]*>", body)
                if cd:
                    pre = cd.group(1) or ""
                    body = body[:cd.end()] + f"<{pre}Anchor>{anchor}</{pre}Anchor>" + body[cd.end():]
            return f"<{m.group(1) or ''}shape{attrs}>{body}</{m.group(1) or ''}shape>"

        return _SHAPE.sub(put_back, data.decode("utf-8")).encode("utf-8")
    return rewrite


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


_TABLE_HEAD = {"zh": ("附件1 指标", "协议", "完成", "完成率"), "en": ("附件1 indicator", "agreed", "achieved", "completion")}


def _indicator_table(ws, row: int, totals: dict, completion: dict, lang: str, bold, grid) -> int:
    """附件1's indicators as (indicator, agreed, achieved, completion) rows; returns the next row."""
    from openpyxl.styles import Font

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
            ws.cell(row, col).font = Font(name=FONT)
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


def verdict_text(report: Report, lang: str = "zh") -> str:
    """'✘ 2 个错误，须改正后再提交（另有 3 个警告、1 个提示）' / '✔ 未发现错误（另有 1 个警告）'."""
    rest = [count_word(n, k, lang) for k, n in (("warning", report.warnings), ("info", report.infos)) if n]
    if report.errors:
        head = say(_WORDS, "verdict_errors", lang, n=count_word(report.errors, "error", lang))
    else:
        head = say(_WORDS, "verdict_clean", lang)
    return head + (say(_WORDS, "verdict_rest", lang, rest=joined(rest, lang)) if rest else "")


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

    head = _HEAD["en" if lang == "en" else "zh"]
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
    span(1, 1, ncol, say(_WORDS, "title", lang, name=name), font=Font(name=FONT, bold=True, size=14))
    ws.row_dimensions[1].height = 22
    verdict = verdict_text(report, lang)
    c = span(2, 1, ncol, verdict, font=Font(name=FONT, bold=True, size=13,
                                            color="FF9C0006" if report.errors else "FF006100"))
    c.fill = fill("error") if report.errors else PatternFill(fill_type="solid", fgColor="FFC6EFCE", bgColor="FFC6EFCE")
    ws.row_dimensions[2].height = 21
    # The legend: each severity in its colour, then what it asks of the reader.
    legend = _WORDS["legend"] if lang != "en" else _WORDS["legend_en"]
    for (word, ask), sev, (c1, c2, c3) in zip(legend, ("error", "warning", "info"), ((1, 2, 3), (4, 5, 5), (6, 7, 8))):
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
        span(row, 1, ncol, say(_WORDS, "figures", lang), font=Font(name=FONT, bold=True, size=12))
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
                    remark = "；".join(
                        say(_WORDS, "affected", lang, v=show(exp, "pct" if is_ratio_figure(k) else None, lang),
                            cells=f"{f.sheet}!{region_text(f, lang)}" if f.sheet else f.rule)
                        for f, _, exp in affected[k])
                    span(row, LABEL_COLS + 2, ncol, remark, font=Font(name=FONT, color="FF9C0006"))
                for j in range(1, LABEL_COLS + 2):
                    ws.cell(row, j).border = grid
                fit(row, [(label, 1, LABEL_COLS), (remark, LABEL_COLS + 2, ncol)])
                row += 1
        row += 1

    # The findings, errors first, each with a link to its cell.
    span(row, 1, ncol, say(_WORDS, "findings", lang), font=Font(name=FONT, bold=True, size=12))
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
            target = _anchor(wb[f.sheet], f.cell) or f.cell
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
        _put(ws.cell(row, 9), "\n".join([words_only(f, lang)] + affects_lines(f, lang)))
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
        span(row, 1, ncol, say(_WORDS, "none", lang))
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
        section(say(_WORDS, "indicators", lang))
        row = _indicator_table(ws, row, totals or {}, completion or {}, lang, bold, grid)
    row += 2
    checked_at = checked_at or _dt.datetime.now().astimezone()
    section(say(_WORDS, "file_info", lang))
    # NB: the name only: a folder path (or a server's temporary one) means nothing to the reader
    pair(say(_WORDS, "file", lang), name)
    if report.station:
        pair(say(_WORDS, "station", lang), report.station)
    pair(say(_WORDS, "sha", lang), report.sha256 or "")
    pair(say(_WORDS, "ruleset", lang), RULESET_VERSION)
    pair(say(_WORDS, "time", lang), local_time_text(checked_at))
    all_notes = [n for n in notes if n]
    if all_notes:
        row += 1
        section(say(_WORDS, "notes", lang))
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
    ws.oddHeader.left.text = _header_text(say(_WORDS, "header", lang, name=name))
    ws.oddHeader.right.text = say(_WORDS, "page", lang)
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
    theirs = {(ws.title, pos): c.comment for ws in wb.worksheets for pos, c in ws._cells.items()
              if c.comment is not None}
    annotate_cells(wb, report.findings, lang)
    notes = [say(_WORDS, "comment_box", lang)] if theirs else []
    write_results_sheet(wb, report, lang, notes=notes, checked_at=checked_at)
    # NB: a comment we did not touch keeps its box as the input drew it (VML rows and columns are 0-based)
    keep = {(sheet, (r - 1, c - 1)) for (sheet, (r, c)), comment in theirs.items()
            if wb[sheet].cell(r, c).comment is comment}
    rewrite = box_restorer(comment_boxes(report.path), keep) if keep else None
    save_with_cached_values(wb, out, cached_value_source(report), rewrite)
    return out

