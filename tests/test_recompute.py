"""Issue 5: `recompute` — the official formulas' results without a spreadsheet program, as values or
as the official formulas restored, each with its cached value; checked against LibreOffice."""
from __future__ import annotations

import hashlib
import math
from pathlib import Path

import openpyxl
import pytest

import annexproc
from annexproc import engine
from annexproc.recompute import write_recomputed

from annotate_fixtures import (INPUTS, OTHER, SHEET, build_annex, calcs, dump, make_report, official_values,
                               xml_formulas)

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "sample.xlsx"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def hand_checked(monkeypatch):
    """engine.check gives the hand-made Report of annotate_fixtures (until the checkers exist, and so
    that these tests pin the writer, not the checkers)."""
    monkeypatch.setattr(engine, "check", lambda path, **kw: make_report(Path(path), findings=[]))


@pytest.fixture
def pasted(tmp_path) -> Path:
    """The annex with every derived cell pasted over as a wrong constant."""
    return build_annex(tmp_path / "pasted.xlsx", pasted=True)


def same(got, want) -> bool:
    if isinstance(want, float):
        return isinstance(got, (int, float)) and not isinstance(got, bool) and math.isclose(got, want, rel_tol=1e-12)
    return got == want


def test_recompute_of_pasted_values_gives_the_official_values(hand_checked, pasted):
    before = sha(pasted)
    got = annexproc.recompute(str(pasted))
    official = official_values()
    assert set(got) == {(SHEET, c.a1) for c in calcs()}
    for c in calcs():
        assert same(got[(SHEET, c.a1)], official[c.pos]), c.a1
    wb = openpyxl.load_workbook(pasted, data_only=True)
    assert all(not same(wb[SHEET][c.a1].value, official[c.pos]) for c in calcs())  # they were all wrong
    assert got[(SHEET, "H5")] == "/" and got[(SHEET, "E7")] == 1965 / 1000
    assert sha(pasted) == before


def test_values_only_puts_official_values_and_keeps_input_cells(hand_checked, pasted, tmp_path):
    before = sha(pasted)
    out = tmp_path / "fixed.xlsx"
    done = write_recomputed(pasted, out, values_only=True)
    assert done.cells == len(calcs()) and sha(pasted) == before
    assert len(done.changes) == len(calcs())                     # every pasted value was wrong
    official = official_values()
    ws = openpyxl.load_workbook(out)[SHEET]
    for c in calcs():
        cell = ws[c.a1]
        assert same(cell.value, official[c.pos]), c.a1          # a constant, not a formula
        assert cell.number_format == c.number_format
    # every input cell and everything else of the workbook is as it was
    a, b = dump(pasted), dump(out)
    for c in calcs():
        assert b[SHEET]["cells"][c.a1]["comment"][0].startswith("annexproc 重算：原为 ")   # why it is coloured
        for key in ("value", "type", "fill", "comment"):
            a[SHEET]["cells"][c.a1][key] = b[SHEET]["cells"][c.a1][key] = None
    assert a == b
    assert all(b[SHEET]["cells"][f"{chr(64 + c)}{r}"]["value"] == v for (r, c), v in INPUTS.items())
    # the formula the rules do not cover keeps its formula and the input's cached value
    assert xml_formulas(out)[OTHER]["C4"] == ("SUM(C2:C3)", None, "15.5")
    assert xml_formulas(out)[SHEET] == {}


def test_recompute_keeps_every_formula_and_names_the_changed_cells(hand_checked, tmp_path):
    """By default the copy can be edited on: every formula of the file stays (the bent one too), each
    derived cell carries the right cached value, a typed value is replaced by the right one, and the
    cells whose value changed are filled and named as the number format shows them."""
    from annexproc.recompute import CHANGED_FILL
    src = build_annex(tmp_path / "bent.xlsx")           # E5 bent, E6 typed over, H7 stale
    given = xml_formulas(src)[SHEET]
    out = tmp_path / "recomputed.xlsx"
    done = write_recomputed(src, out)
    got = xml_formulas(out)[SHEET]
    assert {ref: f for ref, (f, _, _) in got.items()} == {ref: f for ref, (f, _, _) in given.items()}
    official = official_values()
    for c in calcs():
        if c.a1 in got:
            want = official[c.pos]
            assert (float(got[c.a1][2]) == want) if isinstance(want, float) else got[c.a1][2] == want, c.a1
    ws = openpyxl.load_workbook(out)[SHEET]
    assert ws["E6"].value == official[(6, 5)] and ws["E6"].data_type == "n"      # the typed value, corrected
    changed = {ch.cell: ch for ch in done.changes}
    assert set(changed) == {"E5", "H7"}          # E6's typed 4.44 shows 444.00%, as the rule gives
    assert changed["E5"].text() == (f"{SHEET}!E5: 30.75% → 41.00%（此格公式与规则不符，Excel 重算后会变回原值；"
                                    "加 --restore-formulas 改正公式）")
    assert (changed["E5"].before, changed["E5"].after, changed["E5"].formula) == ("30.75%", "41.00%", "stale")
    assert (changed["H7"].before, changed["H7"].after, changed["H7"].formula) == ("50.00%", "111.43%", "kept")
    assert changed["H7"].text() == f"{SHEET}!H7: 50.00% → 111.43%"
    for ref in ("E5", "H7"):
        assert ws[ref].fill.fgColor.rgb == CHANGED_FILL
    # the copy says why a cell is coloured
    assert ws["H7"].comment.text == "annexproc 重算：原为 50.00%，按官方公式应为 111.43%。"
    assert ws["E4"].comment is None
    assert ws["E4"].fill.fill_type is None
    assert done.restored == []


def test_restore_formulas_rewrites_only_wrong_or_missing_formulas(hand_checked, tmp_path):
    src = build_annex(tmp_path / "bent.xlsx")           # E5 bent, E6 typed over, H7 stale
    from annexproc.xlsxpatch import patch_cached_values
    cached = openpyxl.load_workbook(src, data_only=True)
    wb = openpyxl.load_workbook(src)
    wb[SHEET]["E4"] = "=D4/C4"                           # a station's own formula that agrees
    wb.save(tmp_path / "saved.xlsx")                     # NB: openpyxl drops the cached values: put them back
    patch_cached_values(str(tmp_path / "saved.xlsx"), str(src), lambda sheet, pos: cached[sheet].cell(*pos).value)
    out = tmp_path / "restored.xlsx"
    done = write_recomputed(src, out, restore_formulas=True)
    assert done.cells == len(calcs())
    assert sorted(done.restored) == [f"{SHEET}!E5", f"{SHEET}!E6"]
    official = official_values()
    got = xml_formulas(out)[SHEET]
    assert got["E4"][0] == "D4/C4"                       # kept: its value agrees
    for c in calcs():
        formula, t, v = got[c.a1]
        if c.a1 != "E4":
            assert "=" + formula == c.formula(), c.a1
        want = official[c.pos]
        if isinstance(want, float):
            assert t is None and float(v) == want, c.a1
        else:
            assert (t, v) == ("str", want), c.a1
    assert got["E5"][0] == 'IF(ISNUMBER(C5),IF(C5=0,"/",N(D5)/C5),"/")'
    wb = openpyxl.load_workbook(out, data_only=True)
    assert wb[SHEET]["E5"].value == 123 / 300 and wb[SHEET]["H7"].value == 117 / 105
    assert wb[SHEET]["E6"].value == 1332 / 300


def test_cli_recompute_guards_its_output(hand_checked, pasted, tmp_path):
    from click.testing import CliRunner

    from annexproc.cli import main
    before = sha(pasted)
    out = tmp_path / "fixed.xlsx"
    res = CliRunner().invoke(main, ["recompute", str(pasted), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert f"（{len(calcs())} 个派生单元格，{len(calcs())} 个数值有改动）" in res.output
    assert f"  {SHEET}!E4: 191.25% → 127.50%\n" in res.output          # each changed cell named (pasted 1.5×)
    res = CliRunner().invoke(main, ["recompute", str(pasted), "-o", str(out), "--force", "--values-only",
                                    "--restore-formulas"])
    assert res.exit_code == 2                        # one or the other
    res = CliRunner().invoke(main, ["recompute", str(pasted), "-o", str(out)])
    assert res.exit_code == 2                        # exists, no --force
    res = CliRunner().invoke(main, ["recompute", str(pasted), "-o", str(pasted), "--force"])
    assert res.exit_code == 2                        # never over the input
    res = CliRunner().invoke(main, ["recompute", str(pasted), "-o", str(out), "--force", "--restore-formulas"])
    assert res.exit_code == 0
    assert sha(pasted) == before


def test_recompute_of_an_unreadable_file_says_why(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 truncated")
    from annexproc.errors import AnnexInputError
    with pytest.raises(AnnexInputError):
        annexproc.recompute(str(bad))
    with pytest.raises(AnnexInputError):
        write_recomputed(bad, tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()


# -------------------------------------------------------------------------------- the sample workbook

def paste_over(src: Path, dst: Path, derived) -> Path:
    """A copy of ``src`` in which every derived cell is pasted over as a wrong number."""
    wb = openpyxl.load_workbook(src)
    for (sheet, ref) in derived:
        cell = wb[sheet][ref]
        if type(cell).__name__ != "MergedCell":
            cell.value = 7777.0
    wb.save(dst)
    return dst


def test_sample_pasted_over_recomputes_to_the_sample_values(checked_sample, tmp_path):
    pasted = paste_over(SAMPLE, tmp_path / "pasted.xlsx", checked_sample.derived)
    before = sha(pasted)
    crashed = [f.message("en") for f in annexproc.check(str(pasted)).findings if f.rule == "RD11"]
    assert not crashed, crashed
    got = annexproc.recompute(str(pasted))
    want = checked_sample.recomputed()
    assert set(got) == set(want)
    bad = [k for k in want if not same(got[k], want[k])]
    assert not bad, bad[:10]
    assert sha(pasted) == before


# -------------------------------------------------------------------------------- LibreOffice oracle

@pytest.mark.libreoffice
def test_libreoffice_recalculation_of_restored_formulas_agrees_cell_for_cell(hand_checked, tmp_path):
    lo = pytest.importorskip("lo_oracle")
    if lo.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    pasted = build_annex(tmp_path / "pasted.xlsx", pasted=True)
    bent = build_annex(tmp_path / "bent.xlsx")
    outs = []
    for src in (pasted, bent):
        out = tmp_path / f"restored-{src.stem}.xlsx"
        write_recomputed(src, out, restore_formulas=True)
        outs.append(out)
    recalculated = lo.recalc(outs, tmp_path / "lo")
    ours = official_values()
    for path in recalculated:
        ws = openpyxl.load_workbook(path, data_only=True)[SHEET]
        for c in calcs():
            assert same(ws[c.a1].value, ours[c.pos]), (path.name, c.a1, ws[c.a1].value, ours[c.pos])
        assert openpyxl.load_workbook(path, data_only=True)[OTHER]["C4"].value == 15.5


@pytest.mark.libreoffice
def test_libreoffice_agrees_with_our_values_on_the_sample(checked_sample, tmp_path):
    lo = pytest.importorskip("lo_oracle")
    if lo.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    pasted = paste_over(SAMPLE, tmp_path / "pasted.xlsx", checked_sample.derived)
    crashed = [f.message("en") for f in annexproc.check(str(pasted)).findings if f.rule == "RD11"]
    assert not crashed, crashed
    out = tmp_path / "restored.xlsx"
    write_recomputed(pasted, out, restore_formulas=True)
    (recalculated,) = lo.recalc([out], tmp_path / "lo")
    wb = openpyxl.load_workbook(recalculated, data_only=True)
    bad = []
    for (sheet, ref), d in checked_sample.derived.items():
        got = wb[sheet][ref].value
        if not same(got, d.value):
            bad.append((sheet, ref, got, d.value))
    assert not bad, bad[:10]
