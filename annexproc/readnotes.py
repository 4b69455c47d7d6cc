"""What the reading itself tells the user: formulas saved without results, annexes on renamed sheets.

Runs last (engine.CHECKERS), after the annex checkers have located their sheets.
"""
from __future__ import annotations

from .spec import ANNEX1_1, ANNEX1_2, ANNEX2
from .values import normalize

#: ctx.located key → (spec, what it is in zh, in en)
_ANNEXES = (("annex1_1", ANNEX1_1, "附件1-1", "Annex 1-1"), ("annex1_2", ANNEX1_2, "附件1-2", "Annex 1-2"),
            ("annex2", ANNEX2, "附件2", "Annex 2"))


def run(ctx) -> None:
    _unsaved_results(ctx)
    _renamed_sheets(ctx)


def _unsaved_results(ctx) -> None:
    # NB: openpyxl and other scripts save formulas without their results; a viewer that does not
    # recalculate (a phone preview, pandas) then shows nothing, and a cell's value cannot be compared.
    missing = {}
    for sheet in ctx.book.sheets:
        n = sum(1 for pos, c in sheet.ws._cells.items() if c.data_type == "f" and pos not in sheet.cached)
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
