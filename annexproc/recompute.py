"""The official formulas' results without a spreadsheet program: ``recompute`` and ``write_recomputed``.

``recompute(path)`` returns {(sheet, cell): value} of every derived cell — what its official formula
gives from the input cells. ``write_recomputed`` writes a copy in which every derived cell holds that
value as a constant (or, with ``restore_formulas``, the official formula again, with the value cached),
input cells stay as they are, and every other formula keeps the input's cached value.
"""
from __future__ import annotations

import os
import sys
import types
from pathlib import Path
from typing import Any

from .errors import AnnexInputError


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


def apply_recomputed(wb, derived, restore_formulas: bool = False) -> int:
    """Write each derived cell's official value (or formula) into ``wb``; returns how many cells."""
    from .cells import from_a1

    n = 0
    for (sheet, ref), d in derived.items():
        if sheet not in wb.sheetnames:
            continue
        ws = wb[sheet]
        row, col = from_a1(ref)
        cell = ws.cell(row, col)
        if type(cell).__name__ == "MergedCell":  # NB: a derived cell is the top-left of its merge
            continue
        if restore_formulas:
            cell.value = d.formula
        else:
            value = d.value
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
        # NB: the cell keeps its own number format; one left at General gets the official one.
        if (cell.number_format in (None, "General")) and d.number_format and d.number_format != "General":
            cell.number_format = d.number_format
        n += 1
    return n


def write_recomputed(in_path, out_path, restore_formulas: bool = False, **kw) -> int:
    """Write the recomputed copy of ``in_path`` to ``out_path``; returns the number of derived cells.

    Keywords go to ``annexproc.check``. The input is never opened for writing; writing over it is
    refused. A legacy .xls input is written as .xlsx.
    """
    from .annotate import cached_value_source, load_for_output
    from .xlsxpatch import save_with_cached_values

    in_path, out = str(in_path), Path(out_path)
    if out.exists() and os.path.exists(in_path) and os.path.samefile(in_path, out):
        raise AnnexInputError(f"不能把输出写到输入文件上：{out}",
                              message_en=f"refusing to write the output over the input: {out}", path=in_path)
    if out.suffix.lower() not in (".xlsx", ".xlsm"):
        out = out.with_suffix(".xlsx")
    report = _checked(in_path, **kw)
    wb, _lost = load_for_output(report, out)
    n = apply_recomputed(wb, report.derived, restore_formulas)
    save_with_cached_values(wb, out, cached_value_source(report))
    return n


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
