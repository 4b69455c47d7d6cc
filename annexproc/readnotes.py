"""What the reading itself tells the user: formulas saved without results, annexes on renamed sheets,
sheets skipped for their size, no annex at all; and what a values-only reading cannot judge.

Runs last (engine.CHECKERS), after the annex checkers have located their sheets.
"""
from __future__ import annotations

import os
from dataclasses import replace

from . import safety
from .spec import ANNEX1_1, ANNEX1_2, ANNEX2
from .values import normalize

#: ctx.located key → (spec, what it is in zh, in en)
_ANNEXES = (("annex1_1", ANNEX1_1, "附件1-1", "Annex 1-1"), ("annex1_2", ANNEX1_2, "附件1-2", "Annex 1-2"),
            ("annex2", ANNEX2, "附件2", "Annex 2"))


#: Rules that judge a derived cell's formula (its text, its references, that it is a formula at all).
#: NB: read values-only (an .xls/.ods without LibreOffice) every derived cell looks typed: these would
#: be said of every one of them. The comment rules need no entry: such a reading has no comment at all.
FORMULA_RULES = frozenset({"A104", "A106", "A107", "A202", "A204", "A205", "A231", "RD14", "RD16"})
#: A wrong value is still wrong; whether it was typed is not known: said as the value rule instead.
AS_VALUE = {"A105": "A101", "A203": "A201"}


def run(ctx) -> None:
    _unsaved_results(ctx)
    _renamed_sheets(ctx)
    _skipped_sheets(ctx)
    _values_only(ctx)
    _no_annex(ctx)


def _unsaved_results(ctx) -> None:
    # NB: openpyxl and other scripts save formulas without their results; a viewer that does not
    # recalculate (a phone preview, pandas) then shows nothing, and a cell's value cannot be compared.
    missing = {}
    for sheet in ctx.book.sheets:
        n = sum(1 for pos in sheet.formulas if pos not in sheet.cached)
        if n:
            missing[sheet.name] = n
    if missing:   # NB: one note for the workbook, not one a sheet: it is one cause with one fix
        ctx.flag("RD14", None, None, count=float(sum(missing.values())), sheets=list(missing))


def _renamed_sheets(ctx) -> None:
    for key, spec, zh, en in _ANNEXES:
        loc = ctx.located.get(key)
        name = getattr(loc, "sheet", None)
        if not isinstance(name, str):
            continue
        if normalize(name) not in {normalize(n) for n in spec.sheet_names}:
            ctx.flag("RD15", name, None, what=zh, what_en=en, official=spec.sheet_name)


def _skipped_sheets(ctx) -> None:
    for name in getattr(ctx.book, "skipped", ()):
        ctx.flag("RD18", name, None, max_rows=safety.MAX_ROWS, max_cells=safety.MAX_CELLS)


def _values_only(ctx) -> None:
    # NB: the reader's RD09 note says these rules were not run; this keeps that true whatever a checker flagged
    if not getattr(ctx.book, "values_only", False):
        return
    uncertain = getattr(ctx.book, "uncertain", set())
    ctx.findings[:] = [replace(f, rule=AS_VALUE[f.rule]) if f.rule in AS_VALUE else f
                       for f in ctx.findings if f.rule not in FORMULA_RULES
                       and not any((f.sheet, c) in uncertain for c in f.all_cells)]


def _no_annex(ctx) -> None:
    # NB: issue 9/13: a workbook holding none of the annexes is not "three errors" but nothing checked:
    # one finding naming the file, which gives exit status 2 (report.Report.exit_code)
    if any(ctx.located.get(k) for k, *_ in _ANNEXES):
        return
    looked = [s.name for s in ctx.book.sheets] + list(getattr(ctx.book, "skipped", ()))
    ctx.findings[:] = [f for f in ctx.findings if f.rule != "RD02"]
    ctx.flag("RD17", None, None, workbook=os.path.basename(ctx.book.path), looked=looked)
