"""The annexes are chosen by content: a ledger that names 片区 and activity types is not 附件1-1."""
from __future__ import annotations

import openpyxl

from annexproc import engine


def test_a_ledger_without_annex1_gives_sheet_missing_not_a_block_error_on_the_ledger(sample, tmp_path):
    wb = openpyxl.load_workbook(sample)
    del wb["附件1-1"]
    out = tmp_path / "no_annex11.xlsx"
    wb.save(out)
    rep = engine.check(str(out))
    codes = {(f.rule, f.sheet) for f in rep.findings}
    assert ("RD02", None) in codes or any(r == "RD02" for r, _ in codes)
    assert not any(r == "RD03" and s == "活动台账" for r, s in codes), codes


def test_a_renamed_sheet_and_formulas_without_results_are_noted(sample, tmp_path):
    """RD15: the annex is found by content but its sheet has an unofficial name; RD14: openpyxl saved the
    formulas without their results (one note for the workbook)."""
    clean = engine.check(str(sample))
    assert not [f for f in clean.findings if f.rule in ("RD14", "RD15")]
    wb = openpyxl.load_workbook(sample)
    wb["附件1-1"].title = "Sheet1"
    out = tmp_path / "renamed.xlsx"
    wb.save(out)
    rep = engine.check(str(out))
    rd15 = [f for f in rep.findings if f.rule == "RD15"]
    assert [(f.sheet, f.severity) for f in rd15] == [("Sheet1", "info")]
    assert "附件1-1" in rd15[0].message() and "Annex 1-1" in rd15[0].message("en")
    rd14 = [f for f in rep.findings if f.rule == "RD14"]
    assert len(rd14) == 1 and rd14[0].sheet is None
    assert "Sheet1" in rd14[0].message() and "附件2" in rd14[0].message()
    assert not [f for f in rep.findings if f.severity == "error"], "a rename alone is no error"
