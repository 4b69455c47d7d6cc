"""The annotated copy: the input workbook with a comment and a fill on every flagged cell, and 核查结果.

``write_annotated(report, out_path)`` loads the input again (never for writing), adds:
- on each flagged cell a comment (批注) in the user's language — rule, message, what the cell holds,
  what it should hold — below the cell's own comment, which keeps its author and its box, and a fill by
  severity, on every cell a finding covers;
- a first sheet 核查结果 that opens with the answer — the verdict, the legend, the key figures — then
  lists every finding with a hyperlink to its cell, and the file checked, its SHA-256, the rule-set
  version and the local time, laid out to print on A4 landscape;
and writes the result through ``xlsxpatch.save_with_cached_values`` so that every formula cell carries
a cached value: ours for the derived cells, the input's for any other formula.

What openpyxl cannot carry (text boxes, sparklines, some extensions, macros into an .xlsx) is found
before writing and reported as RD10 findings, which 核查结果 lists; nothing is dropped silently. The
sheet itself is ``results_sheet``; the input's comment boxes are put back by ``commentboxes``.
"""
from __future__ import annotations

import datetime as _dt
import math
import os
import warnings
import zipfile
from pathlib import Path
from typing import Any

from .commentboxes import box_restorer, comment_boxes
from .findings import Finding, finding
from .i18n import count_word, severity_word
from .report import Report
from .results_sheet import FILLS, RESULTS_SHEET, text_units, write_results_sheet
from .results_sheet import anchor as _anchor
from .safety import output_path  # NB: the one guard of every copy's path (re-exported: batch, web, cli)
from .words import both, say
from .workbook import cells_of

__all__ = ["FILLS", "OUR_AUTHOR", "RESULTS_SHEET", "SEPARATOR", "annotate_cells", "cached_value_source", "comment_text",
           "load_for_output", "output_path", "output_suffix", "write_annotated"]

OUR_AUTHOR = "annexproc"
SEPARATOR = "——————————"


# ---------------------------------------------------------------------------------------------
# Loading the input again, and finding what cannot be carried

def _zip_of(src):
    """A zip view of the input: a ``source.Source``'s bytes (read once), or a path (tests, tools)."""
    return zipfile.ZipFile(src.stream()) if hasattr(src, "data") else zipfile.ZipFile(src)


def has_macros(src) -> bool:
    """Does the input (a ``source.Source`` or a path) hold VBA macros?"""
    try:
        with _zip_of(src) as zf:
            return any(n.lower().endswith("vbaproject.bin") for n in zf.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def output_suffix(src) -> str:
    """The suffix an output of this input should have: '.xlsm' keeps macros, anything else '.xlsx'."""
    return ".xlsm" if has_macros(src) else ".xlsx"


#: openpyxl's warnings of what it drops, by the words they contain (the catalogue's "sheet.lost.X").
_WARNED = ("Data Validation extension", "Conditional Formatting extension", "Sparkline Group extension",
           "Slicer List extension", "Unknown extension", "header or footer")


def load_for_output(report: Report, out_path: str | os.PathLike | None = None):
    """(openpyxl Workbook to write, [(zh, en) of what it could not carry]) for the report's input.

    The workbook is loaded from the bytes the check read (``Book.source``), never from the file again,
    with rich text and, for an .xlsm written to an .xlsm, its macros. A legacy .xls/.ods is the
    workbook the reader converted, made afresh for each copy (one check serves both copies).
    """
    from .fastload import merges_memoised
    from .workbook import fresh_workbook, load_openpyxl

    _ensure_book(report)
    book = report.book
    lost: list[tuple[str, str]] = []
    if book.converted or book.source is None:
        # NB: .xls/.xlsb/.ods were read into an in-memory workbook; the reader's RD09 says so.
        return fresh_workbook(book), lost
    src = book.source
    macros = book.keep_vba and has_macros(src)
    keep_vba = macros and (out_path is None or str(out_path).lower().endswith(".xlsm"))
    if macros and not keep_vba:
        lost.append(both("sheet.lost.macros"))
    # NB: memoised merge styling: the very workbook openpyxl would load, in a third of the time (fastload)
    with warnings.catch_warnings(record=True) as caught, merges_memoised():
        warnings.simplefilter("always")
        wb = load_openpyxl(book, rich_text=True, keep_vba=keep_vba, quiet=False)
    _plain_text_back(wb)
    said = set()
    for w in caught:
        text = str(w.message)
        for key in _WARNED:
            if key in text and key not in said:
                said.add(key)
                lost.append(both(f"sheet.lost.{key}"))
                break
    lost.extend(_zip_losses(src))
    return wb, lost


def _plain_text_back(wb) -> None:
    """Text without formatted runs goes back to a plain string (a shared string, as it came)."""
    from openpyxl.cell.rich_text import CellRichText

    for ws in wb.worksheets:
        for cell in cells_of(ws).values():
            v = cell.value
            if isinstance(v, CellRichText) and all(isinstance(b, str) for b in v):
                cell.value = str(v)


def _zip_losses(src) -> list[tuple[str, str]]:
    """What the zip holds that openpyxl drops or simplifies, read off its member names and drawings."""
    out = []
    with _zip_of(src) as zf:
        names = zf.namelist()
        charts = [n for n in names if n.startswith("xl/charts/chart") and n.endswith(".xml")]
        if charts:
            out.append(both("sheet.lost.charts", n=len(charts)))
        shapes = 0
        for n in names:
            if n.startswith("xl/drawings/drawing") and n.endswith(".xml"):
                data = zf.read(n)
                shapes += data.count(b"<xdr:sp>") + data.count(b"<xdr:sp ") + data.count(b"<xdr:grpSp")
        if shapes:
            out.append(both("sheet.lost.shapes", n=shapes))
        for prefix in ("xl/threadedComments/", "xl/slicers/", "xl/timelines/", "xl/ctrlProps/", "xl/activeX/"):
            if any(n.startswith(prefix) for n in names) and not _kept_with_vba(prefix, src):
                out.append(both(f"sheet.lost.{prefix}"))
    return out


def _kept_with_vba(prefix: str, src) -> bool:
    # NB: openpyxl copies form controls and ActiveX parts along with the macros of an .xlsm.
    path = getattr(src, "path", src)
    return prefix in ("xl/ctrlProps/", "xl/activeX/") and path.lower().endswith(".xlsm") and has_macros(src)


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
            sep = say("grammar.semicolon", lang)
            lines.append(say("sheet.holds", lang, v=f.shown("found", lang)) + sep
                         + say("sheet.should", lang, v=f.shown("expected", lang)))
        if len(f.all_cells) > 1:
            lines.append(say("sheet.region", lang, n=count_word(len(f.all_cells), "cell", lang), range=f.range))
        paras.append("\n".join(lines))
    return "\n\n".join(paras)


def _box(text: str) -> tuple[float, float]:
    """(width, height) in pixels (openpyxl's unit for a comment box) that show the whole text.

    NB: at the default 9-pt comment type a line is about 16 px high and 320 px hold about 50 units
    (a CJK character counts two).
    """
    lines = sum(max(1, math.ceil(text_units(line) / 50)) for line in text.split("\n"))
    return 320.0, min(1200.0, 16.0 * lines + 10.0)


def add_comment(cell, ours: str) -> None:
    """Our words in the cell's comment, below the station's own (which keeps its author), sized to fit."""
    from openpyxl.comments import Comment

    old = cell.comment
    if old is not None and (old.text or "").strip():
        text, author = f"{old.text.rstrip()}\n{SEPARATOR}\n{ours}", old.author or OUR_AUTHOR
    else:
        text, author = ours, OUR_AUTHOR
    w, h = _box(text)
    cell.comment = Comment(text, author, height=h, width=w)


def annotate_cells(wb, findings: list[Finding], lang: str = "zh") -> int:
    """Put a comment and a fill on every flagged cell; returns how many cells were annotated."""
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
        add_comment(c, comment_text(fs, lang))
        worst = min(fs, key=Finding.sort_key).severity
        c.fill = PatternFill(fill_type="solid", fgColor=FILLS.get(worst, FILLS["info"]),
                             bgColor=FILLS.get(worst, FILLS["info"]))
    return len(by_cell)


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
    theirs = {(ws.title, pos): c.comment for ws in wb.worksheets for pos, c in cells_of(ws).items()
              if c.comment is not None}
    annotate_cells(wb, report.findings, lang)
    notes = [say("sheet.comment_box", lang)] if theirs else []
    write_results_sheet(wb, report, lang, notes=notes, checked_at=checked_at)
    # NB: a comment we did not touch keeps its box as the input drew it (VML rows and columns are 0-based)
    keep = {(sheet, (r - 1, c - 1)) for (sheet, (r, c)), comment in theirs.items()
            if wb[sheet].cell(r, c).comment is comment}
    rewrite = box_restorer(comment_boxes(report.book.source or report.path), keep) if keep else None
    save_with_cached_values(wb, out, cached_value_source(report), rewrite)
    return out

