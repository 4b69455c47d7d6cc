"""Issue 13: a repeated finding is said once for its region (annexproc/grouping.py), in every output."""
from __future__ import annotations

import json

import openpyxl
from click.testing import CliRunner

import annexproc
from annexproc.cli import main
from annexproc.findings import finding
from annexproc.grouping import group


def _values_only(src, dst):
    """The sample with every formula pasted as its value, as a person does with 'paste values'."""
    wb = openpyxl.load_workbook(src, data_only=True)
    wb.save(dst)
    return dst


def test_a_workbook_of_pasted_values_gets_one_warning_per_table(sample, tmp_path):
    path = _values_only(sample, tmp_path / "values.xlsx")
    rep = annexproc.check(str(path))
    pasted = {f.sheet: f for f in rep.findings if f.rule in ("A104", "A202")}
    assert {s: len(f.cells) for s, f in pasted.items()} == {"附件1-1": 104, "附件1-2": 5, "附件2": 130}   # NB: not the typed "/" cells
    assert rep.errors == 0 and rep.warnings == 8   # the sample's 5 real slips + one per table
    f = pasted["附件2"]
    assert f.range == "G5:AF38" and f.cell == f.cells[0]
    assert "130 个计算单元格" in f.message("zh") and "recompute --restore-formulas" in f.message("zh")
    assert f.message("en").startswith("G5:AF38: 130 derived cells hold typed numbers")


def test_the_json_keeps_cell_and_adds_cells_and_range(sample, tmp_path):
    path = _values_only(sample, tmp_path / "values.xlsx")
    out = CliRunner().invoke(main, ["check", str(path), "--format", "json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    f = next(f for f in doc["files"][0]["findings"] if f["rule"] == "A202")
    assert (f["cell"], f["range"], len(f["cells"]), f["cells"][0]) == ("AE5", "G5:AF38", 130, "AE5")
    one = next(f for f in doc["files"][0]["findings"] if f["rule"] == "A117")
    assert (one["cells"], one["range"]) == ([one["cell"]], one["cell"])


def test_the_annotated_copy_still_marks_every_cell(sample, tmp_path):
    path = _values_only(sample, tmp_path / "values.xlsx")
    out = tmp_path / "checked.xlsx"
    res = CliRunner().invoke(main, ["check", str(path), "-o", str(out)])
    assert res.exit_code == 0, res.output
    ws = openpyxl.load_workbook(out)["附件2"]
    marked = [c for row in ws["G5:AF38"] for c in row if c.comment is not None and "A202" in c.comment.text]
    assert len(marked) == 130


def test_only_one_rule_in_one_region_merges():
    a = finding("A209", "附件2", "J20", worker="甲", month="2024年8月", left="x", found=1)
    b = finding("A209", "附件2", "M20", worker="甲", month="2024年9月", left="x", found=1)
    c = finding("A209", "附件2", "M21", worker="乙", month="2024年9月", left="x", found=1)   # another row
    d = finding("A117", "附件1-1", "A19", text="1+1=3", expected=2, found=3)               # never grouped
    e = finding("A117", "附件1-1", "A19", text="2+2=5", expected=4, found=5)
    merged = group([a, b, c, d, e])
    assert [(f.rule, f.cell, f.all_cells) for f in merged] == [
        ("A209", "J20", ("J20", "M20")), ("A209", "M21", ("M21",)), ("A117", "A19", ("A19",)),
        ("A117", "A19", ("A19",))]
    assert "2024年8月、2024年9月 不应计入" in merged[0].message("zh")


def test_a_cause_is_one_error_and_the_figures_it_changes_are_marked():
    """A month on post without the 社保 tick: one error listing what it lowers; the terminal marks the figures."""
    from pathlib import Path
    path = Path(__file__).parent / "foreign" / "files" / "broken_missing_tick.lo.xlsx"
    out = CliRunner().invoke(main, ["check", str(path)])
    assert out.exit_code == 1
    [err] = [line for line in out.output.splitlines() if line.strip().startswith("错误 ")]
    assert "A212 附件2!T12" in err and "社工实到岗人次 160.5 → 159.5" in err and "AE36 160.5 → 159.5" in err
    figures = next(line for line in out.output.splitlines() if "关键数据" in line)
    assert "社工实到岗人次 159.5（受错误影响）" in figures and "从业2年以上社工到岗人次 109，" in figures
