"""What the reading itself tells the user: where the annexes are (or not), values understood but not as typed,
values that are no number, formulas saved without results, sheets skipped; what a values-only reading cannot judge.
"""
from __future__ import annotations

import os
from dataclasses import replace

from . import safety
from .cells import to_a1
from .checks import rule
from .spec import ANNEX1_1, ANNEX1_2, ANNEX2
from .values import Kind, normalize
from .words import args

#: model attribute → its spec (what it is: words "reading.annex.<attribute>")
_ANNEXES = (("annex1_1", ANNEX1_1), ("annex1_2", ANNEX1_2), ("annex2", ANNEX2))


#: Rules that judge a derived cell's formula (its text, its references, that it is a formula at all).
#: NB: read values-only (an .xls/.ods without LibreOffice) every derived cell looks typed: these would
#: be said of every one of them. The comment rules need no entry: such a reading has no comment at all.
FORMULA_RULES = frozenset({"A104", "A106", "A107", "A202", "A204", "A205", "A231", "RD14", "RD16"})
#: A wrong value is still wrong; whether it was typed is not known: said as the value rule instead.
AS_VALUE = {"A105": "A101", "A203": "A201"}


@rule("RD04", "RD05", "RD12", "RD13")
def notes(ctx) -> None:
    """Values read as numbers though not typed as such ('0.5次', '７６５', '127.50%'): ``values.NOTE_RULE``."""
    for n in ctx.model.notes:
        ctx.flag(n.rule, n.sheet, n.cell, found=n.found, expected=n.value, **dict(n.label))


@rule("RD06", "RD07")
def not_numbers(ctx) -> None:
    """Cells that should hold a number (or a tick) and hold text, a date or an error value."""
    from .annex2.reader import entry_label
    a1 = ctx.model.annex1
    for t in a1.tables if a1 is not None else ():
        if not t.filled:
            continue
        sheet = ctx.book.sheet(t.sheet)
        for i, r in t.inputs:
            cell = to_a1(*sheet.top_left(*i.pos))
            if r.kind is Kind.ERROR:
                ctx.flag("RD07", i.sheet, cell, found=str(r.raw).strip(), indicator=i.label)
            elif r.kind in (Kind.TEXT, Kind.DATE, Kind.TICK):
                ctx.flag("RD06", i.sheet, cell, found=str(r.raw), indicator=i.label,
                         **args("expected_kind", "reading.expected_kind.input"))
    st = ctx.model.annex2
    for w, e in st.read_entries() if st is not None else ():
        for i, (rd, pos) in enumerate(zip((e.present, e.insured, e.paid), e.cells)):
            if rd.kind is Kind.ERROR:
                ctx.flag("RD07", st.sheet, to_a1(*pos), found=str(rd.raw), worker=w.name, **entry_label(w, e, i))
            elif rd.kind in (Kind.TEXT, Kind.DATE) or (i > 0 and rd.kind is Kind.NUMBER):
                ctx.flag("RD06", st.sheet, to_a1(*pos), found=str(rd.raw), worker=w.name, **entry_label(w, e, i),
                         **args("expected_kind", f"reading.expected_kind.{'tick' if i else 'present'}"))


@rule("RD08", "RD09", "RD14", "RD18")
def book(ctx) -> None:
    """The reader's own notes, links to other workbooks, formulas saved without results, sheets skipped."""
    for zh, en in ctx.book.notes:   # NB: the report carries the reader's notes as RD09 findings, in both languages
        ctx.flag("RD09", None, None, reason=zh, reason_en=en)
    for sheet, cell, formula in getattr(ctx.book, "external_refs", ()):  # listed by xmlscan.scan_package
        ctx.flag("RD08", sheet, cell, found=formula)
    # NB: openpyxl and other scripts save formulas without their results; a viewer that does not
    # recalculate (a phone preview, pandas) then shows nothing, and a cell's value cannot be compared.
    missing = {}
    for sheet in ctx.book.sheets:
        n = sum(1 for pos in sheet.formulas if pos not in sheet.cached)
        if n:
            missing[sheet.name] = n
    if missing:   # NB: one note for the workbook, not one a sheet: it is one cause with one fix
        ctx.flag("RD14", None, None, count=float(sum(missing.values())), sheets=list(missing))
    for name in getattr(ctx.book, "skipped", ()):
        ctx.flag("RD18", name, None, max_rows=safety.MAX_ROWS, max_cells=safety.MAX_CELLS)


@rule("RD02", "RD03", "A112", "RD15", "RD17")
def layout(ctx) -> None:
    """Annexes, blocks and headers not found; annexes on renamed sheets; no annex at all."""
    model = ctx.model
    # NB: issue 9/13: a workbook holding none of the annexes is not "three errors" but nothing checked:
    # one finding naming the file, which gives exit status 2 (report.Report.exit_code)
    found = bool(model.annexes)
    for m in model.missing:
        if m.sheet is None:
            if found:   # NB: the sheets searched as a list (Missing.looked is joined the Chinese way)
                ctx.flag("RD02", None, None, what=m.what, what_en=m.what_en, looked=[s.name for s in ctx.book.sheets])
        elif m.block:
            ctx.flag("RD03", m.sheet, m.cell, what=m.what, what_en=m.what_en)
        else:
            ctx.flag("A112", m.sheet, m.cell, what=m.what, what_en=m.what_en)
    for key, spec in _ANNEXES:
        name = getattr(getattr(model, key), "sheet", None)
        if isinstance(name, str) and normalize(name) not in {normalize(n) for n in spec.sheet_names}:
            ctx.flag("RD15", name, None, **args("what", f"reading.annex.{key}"), official=spec.sheet_name)
    if not found:
        looked = [s.name for s in ctx.book.sheets] + list(getattr(ctx.book, "skipped", ()))
        ctx.flag("RD17", None, None, workbook=os.path.basename(ctx.book.path), looked=looked)


@rule("RD16", after=("A101", "A201"))
def other_formulas(ctx) -> None:
    """Another template's formulas that give the rules' values: one note for the workbook."""
    if ctx.other_formulas:
        sheets = list(dict.fromkeys(s for s, _ in ctx.other_formulas))
        ctx.flag("RD16", sheets[0], ctx.other_formulas[0][1], count=len(ctx.other_formulas), sheets=sheets,
                 cells=[c for s, c in ctx.other_formulas if s == sheets[0]])


def values_only(ctx) -> None:
    """Read values-only, the formula rules say nothing, and a wrong value is said as the value rule.

    NB: run after every rule: the reader's RD09 note says these rules were not run, whatever a rule flagged.
    """
    if not getattr(ctx.book, "values_only", False):
        return
    uncertain = getattr(ctx.book, "uncertain", set())
    ctx.findings[:] = [replace(f, rule=AS_VALUE[f.rule]) if f.rule in AS_VALUE else f
                       for f in ctx.findings if f.rule not in FORMULA_RULES
                       and not any((f.sheet, c) in uncertain for c in f.all_cells)]
