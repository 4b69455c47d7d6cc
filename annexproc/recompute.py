"""The official formulas' results without a spreadsheet program: ``recompute`` and ``write_recomputed``.

``recompute(path)`` returns {(sheet, cell): value} of every derived cell — what its official formula
gives from the input cells. ``write_recomputed`` writes a copy one can go on editing: by default every
formula of the file is kept and every derived cell gets the right cached value (a typed value is
replaced by the right one); ``values_only`` puts the values in as constants (the flat copy);
``restore_formulas`` also rewrites the formulas that are wrong or missing, keeping a station's own
formula whose value agrees. Cells whose value changed are filled and named (``Recomputed.changes``).
"""
from __future__ import annotations

import re
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import AnnexInputError
from .words import both, say
from .workbook import cells_of

#: The fill of a cell whose value the recomputation changed: distinct from the template's fills and
#: from the annotated copy's severities.
CHANGED_FILL = "FFFCE4D6"
MODES = ("keep", "values", "restore")


def _checked(path: str, **kw):
    from . import engine

    report = engine.check(str(path), **kw)
    if report.read_error is not None:
        raise AnnexInputError(report.read_error.message("zh"), message_en=report.read_error.message("en"),
                              path=str(path))
    return report


def recompute(path, **kw) -> dict[tuple[str, str], Any]:
    """{(sheet, cell): value} of every derived cell of the workbook at ``path``.

    Values are floats, '/' where the indicator does not apply, or an error text such as '#DIV/0!'.
    Keywords go to ``annexproc.check`` (``params=`` …). Raises AnnexInputError for an unreadable file.
    """
    return _checked(path, **kw).recomputed()


@dataclass(frozen=True)
class Change:
    """A derived cell whose value the recomputation changed, as the number format shows it."""
    sheet: str
    cell: str
    before: str
    after: str
    formula: str        # 'kept' (the file's formula, now with the right cached value), 'restored',
                        # 'stale' (a kept formula that disagrees with the rule), or 'value' (a constant)

    def text(self, lang: str = "zh") -> str:
        """'H6: 80.00% → 76.26%', with what a kept formula that disagrees means."""
        blank = say("grammar.blank", lang)
        line = say("recompute.change", lang, where=f"{self.sheet}!{self.cell}", before=self.before or blank,
                   after=self.after or blank)
        if self.formula in ("stale", "restored"):
            line += say(f"recompute.{self.formula}", lang)
        return line


@dataclass
class Recomputed:
    """What ``write_recomputed`` did: the file written, how many derived cells, which changed."""
    path: Path
    cells: int
    changes: list[Change] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)     # 'sheet!cell' whose formula was rewritten


def _bare(formula: str | None) -> str:
    """A formula compared as text: no '=', '$', spaces or case."""
    return re.sub(r"[\s$]", "", (formula or "").lstrip("=")).upper()


def _note(cell, change: Change, lang: str) -> None:
    """A comment saying why the cell is coloured, below the cell's own comment (which keeps its author)."""
    from .annotate import add_comment
    blank = say("grammar.blank", lang)
    add_comment(cell, say("recompute.note", lang, before=change.before or blank, after=change.after or blank))


def apply_recomputed(wb, report, mode: str = "keep", lang: str = "zh") -> tuple[int, list[Change], list[str]]:
    """Write each derived cell's official value (or formula) into ``wb`` as ``mode`` says.

    Returns (derived cells written, the cells whose shown value changed, the formulas rewritten). A
    changed cell is filled and says in a comment what it was and what it is now.
    """
    from openpyxl.styles import PatternFill

    from .cells import from_a1
    from .derived import shows
    from .web.render_html import display_text

    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    book = report.book
    n, changes, restored = 0, [], []
    for (sheet, ref), d in report.derived.items():
        if sheet not in wb.sheetnames:
            continue
        cell = wb[sheet].cell(*from_a1(ref))
        if type(cell).__name__ == "MergedCell":  # NB: a derived cell is the top-left of its merge
            continue
        src = book.sheet(sheet) if book is not None else None
        row, col = from_a1(ref)
        old_formula = src.formula(row, col) if src is not None else None
        has_formula = old_formula is not None or cell.data_type == "f"
        old_value = src.value(row, col) if src is not None else None
        fmt = cell.number_format if cell.number_format not in (None, "General") else d.number_format
        agrees = shows(d.value, old_value, fmt)
        official = has_formula and _bare(old_formula) == _bare(d.formula)
        if mode == "values" or (mode == "keep" and not has_formula):
            cell.value = d.value
            if isinstance(d.value, str) and d.value.startswith("="):
                cell.data_type = "s"
            how = "value"
        elif mode == "restore" and (not has_formula or (not official and not agrees)):
            cell.value = d.formula
            restored.append(f"{sheet}!{ref}")
            how = "restored"
        else:
            # NB: the file's own formula stays; xlsxpatch gives it our value as its cached value
            how = "kept" if official or agrees else "stale"
        # NB: the cell keeps its own number format; one left at General gets the official one.
        if (cell.number_format in (None, "General")) and d.number_format and d.number_format != "General":
            cell.number_format = d.number_format
        if not agrees:
            cell.fill = PatternFill(fill_type="solid", fgColor=CHANGED_FILL, bgColor=CHANGED_FILL)
            changes.append(Change(sheet, ref, display_text(old_value, fmt), display_text(d.value, fmt), how))
            _note(cell, changes[-1], lang)
        n += 1
    return n, changes, restored


def write_recomputed(in_path, out_path, restore_formulas: bool = False, *, values_only: bool = False,
                     lang: str = "zh", report=None, **kw) -> Recomputed:
    """Write the recomputed copy of ``in_path`` to ``out_path``.

    Keeps the file's formulas (each with the right cached value) unless ``values_only`` (constants) or
    ``restore_formulas`` (wrong or missing formulas rewritten). ``report``: the check of ``in_path`` already
    made (the web page writes the annotated and the recomputed copy from one check); else keywords go to
    ``annexproc.check``. The input is never opened for writing; writing over it is refused. A legacy .xls
    input is written as .xlsx.
    """
    from .annotate import cached_value_source, load_for_output
    from .commentboxes import box_restorer, comment_boxes
    from .xlsxpatch import save_with_cached_values

    if restore_formulas and values_only:
        raise ValueError("restore_formulas and values_only exclude each other")
    from .safety import OverInput, output_path
    in_path = str(in_path)
    try:
        out = output_path(in_path, out_path)
    except OverInput:
        zh, en = both("cli.same_as_input", path=out_path)
        raise AnnexInputError(zh, message_en=en, path=in_path) from None
    report = report if report is not None else _checked(in_path, **kw)
    wb, _lost = load_for_output(report, out)
    mode = "values" if values_only else "restore" if restore_formulas else "keep"
    theirs = {(ws.title, pos): c.comment for ws in wb.worksheets for pos, c in cells_of(ws).items()
              if c.comment is not None}
    n, changes, restored = apply_recomputed(wb, report, mode, lang)
    # NB: a comment left untouched keeps its box as the input drew it (VML rows and columns are 0-based)
    keep = {(sheet, (r - 1, c - 1)) for (sheet, (r, c)), comment in theirs.items()
            if wb[sheet].cell(r, c).comment is comment}
    rewrite = box_restorer(comment_boxes(report.book.source or in_path), keep) if keep else None
    save_with_cached_values(wb, out, cached_value_source(report), rewrite)
    return Recomputed(out, n, changes, restored)


class _CallableModule(types.ModuleType):
    """This module, callable as ``recompute(path)``.

    NB: ``annexproc.recompute`` is the public function (lazily imported by the package), but once
    this submodule is imported — by the CLI, say — the import system binds the *module* to that
    name on the package, and the package's ``__getattr__`` is no longer asked. Making the module
    callable keeps ``annexproc.recompute(path)`` working whatever was imported first.
    """

    def __call__(self, path, **kw) -> dict[tuple[str, str], Any]:
        return recompute(path, **kw)


sys.modules[__name__].__class__ = _CallableModule
