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
