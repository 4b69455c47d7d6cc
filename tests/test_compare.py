"""Issue 16: ``annexproc compare EARLIER LATER`` — one station's mid-term (8 months) and final (12 months).

Fixtures (tests/multi_workbooks.py): 南湖街's mid-term, a faithful final (someone joins in 2025年1月 and
is listed first, so every other row moves down one), a final that rewrites 骆明轩's 2024年7月 工资发放,
changes 片区1's 红棉热线 协议量 (2400 → 2600) and lowers 片区2's 专业个案 节数 完成量 (100 → 90), a final that
drops 严书瑶, adds 费小川 to past months and starts in 2024年6月, and another station's mid-term.
"""
from __future__ import annotations

import json

import openpyxl
import pytest
from click.testing import CliRunner

from annexproc.annotate import RESULTS_SHEET
from annexproc.cli import main
from annexproc.compare import compare

import multi_workbooks as M

BAD = [("CP01", "附件2", "O7"), ("CP02", "附件1-1", "F5"), ("CP05", "附件1-1", "P6")]
OTHER = [("CP06", "附件2", "G3"), ("CP03", "附件2", "C3"), ("CP04", "附件2", "C10")]


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    return M.periods(tmp_path_factory.mktemp("periods"))


def _keys(c):
    return sorted((f.rule, f.sheet, f.cell) for f in c.findings)


def test_a_faithful_final_gives_nothing_though_rows_moved(books):
    c = compare(books["mid"], books["final"])
    assert c.findings == [] and c.exit_code == 0
    ws_mid, ws_fin = (openpyxl.load_workbook(books[k])["附件2"] for k in ("mid", "final"))
    assert ws_mid["C6"].value == ws_fin["C7"].value == "骆明轩"       # matched by person, not by row


def test_rewritten_month_changed_agreement_decreased_count(books):
    c = compare(books["mid"], books["final_bad"])
    assert _keys(c) == sorted(BAD) and c.exit_code == 1
    by = {f.rule: f for f in c.findings}
    assert (by["CP01"].worker, by["CP01"].indicator, by["CP01"].expected, by["CP01"].found) == ("骆明轩", "工资发放", "√", None)
    assert dict(by["CP01"].args)["month"] == "2024年7月"
    assert (by["CP02"].severity, by["CP02"].expected, by["CP02"].found) == ("warning", 2400, 2600)
    assert (by["CP05"].severity, by["CP05"].district, by["CP05"].expected, by["CP05"].found) == ("error", "片区2", 100, 90)
    ws = openpyxl.load_workbook(books["final_bad"])
    assert ws["附件2"]["O7"].value is None and ws["附件2"]["M7"].value == "√" and ws["附件2"]["C7"].value == "骆明轩"
    assert ws["附件1-1"]["F5"].value == 2600 and ws["附件1-1"]["P6"].value == 90
    assert by["CP01"].message("zh") == ("O7（骆明轩 2024年7月 工资发放）在前一期工作簿（南湖街_mid.xlsx）中为 √，"
                                        "本期改为 （空）；已报送月份的记录不能改动。")


def test_dropped_added_and_months_not_repeated(books):
    c = compare(books["mid"], books["final_other"])
    assert _keys(c) == sorted(OTHER) and c.exit_code == 1
    by = {f.rule: f for f in c.findings}
    assert by["CP03"].worker == "严书瑶" and dict(by["CP03"].args)["months_en"] == "2024-06 to 2024-12"
    assert by["CP04"].worker == "费小川" and openpyxl.load_workbook(books["final_other"])["附件2"]["C10"].value == "费小川"
    assert dict(by["CP06"].args)["months"] == ("2024年5月",)


def test_cli_json_schema(books):
    r = CliRunner().invoke(main, ["compare", str(books["mid"]), str(books["final_bad"]), "--format", "json",
                                  "--lang", "en"])
    assert r.exit_code == 1, r.output
    doc = json.loads(r.stdout)
    assert set(doc) == {"schema", "earlier", "later", "findings"} and doc["schema"] == 1
    assert (doc["earlier"], doc["later"]) == (str(books["mid"]), str(books["final_bad"]))
    assert [(f["rule"], f["sheet"], f["cell"]) for f in doc["findings"]] == [BAD[2], BAD[0], BAD[1]]  # errors first, by sheet
    for f in doc["findings"]:
        assert set(f) == {"rule", "severity", "sheet", "cell", "message", "expected", "found"}
    assert doc["findings"][0] | {"message": None} == {"rule": "CP05", "severity": "error", "sheet": "附件1-1",
                                                      "cell": "P6", "message": None, "expected": 100, "found": 90}


def test_cli_text_exit_codes_and_refusal(books):
    run = CliRunner().invoke
    ok = run(main, ["compare", str(books["mid"]), str(books["final"])])
    assert ok.exit_code == 0 and "✔" in ok.stdout
    bad = run(main, ["compare", str(books["mid"]), str(books["final_bad"])])
    assert bad.exit_code == 1
    assert "错误 CP01 附件2!O7: O7（骆明轩 2024年7月 工资发放）" in bad.stdout
    assert run(main, ["compare", str(books["mid"]), str(books["final_bad"]), "--no-fail"]).exit_code == 0
    other = run(main, ["compare", str(books["other_station"]), str(books["final"]), "--lang", "en"])
    assert other.exit_code == 2 and "different stations" in other.stderr and other.stdout == ""
    missing = run(main, ["compare", str(books["mid"]), str(books["mid"].parent / "none.xlsx")])
    assert missing.exit_code == 2


def test_cli_writes_the_later_workbook_annotated(books, tmp_path):
    out = tmp_path / "final_compared.xlsx"
    r = CliRunner().invoke(main, ["compare", str(books["mid"]), str(books["final_bad"]), "-o", str(out)])
    assert r.exit_code == 1 and out.exists()
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == RESULTS_SHEET
    listed = {(row[1], row[2], row[3]) for row in wb[RESULTS_SHEET].iter_rows(min_row=4, values_only=True)
              if row[1] and str(row[1]).startswith("CP")}
    assert listed == set(BAD)
    assert "CP01" in wb["附件2"]["O7"].comment.text and "CP05" in wb["附件1-1"]["P6"].comment.text
    assert wb["附件2"]["C7"].value == "骆明轩"          # the later workbook, not the earlier
