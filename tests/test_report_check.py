"""Issue 15: `annexproc check WORKBOOK --report REPORT` — every figure a written report quotes, against the annexes.

The reports are the source report's own data paragraphs (tests/report_fixtures.py) as .docx, as a PDF
printed from it by LibreOffice Writer, and as plain text broken as the source's PDF broke it; typos are
planted in figures of both paragraphs and in a figure split across a line.
"""
from __future__ import annotations

import json
import subprocess
import sys

import openpyxl
import pytest
from starlette.testclient import TestClient

import annexproc
from annexproc.web.app import create_app
from annexproc.writeup.verify import check_report

from conftest import ROOT, SAMPLE
from report_fixtures import AGREEING, PARAGRAPHS, averaged_total, plant, to_pdf, write_docx, write_txt

#: Typos in both data paragraphs, one of them in the figure the line breaks inside ('17¦57' → '17¦67').
TYPOS = ((1, "实到岗 133 次", "实到岗 135 次"), (3, "96.46%", "96.47%"), (3, "结案 54个", "结案 45个"),
         (3, "17¦57", "17¦67"))
#: (rule, paragraph, expected, found) of each planted typo.
EXPECTED = [("RP01", 2, 133, 135), ("RP01", 4, 0.9645714285714285, 0.9647), ("RP01", 4, 54, 45),
            ("RP01", 4, 1757, 1767)]


@pytest.fixture(scope="module")
def sample():
    return annexproc.check(str(SAMPLE))


def _rp(findings):
    return [(f.rule, dict(f.location).get("paragraph"), f.expected, f.found) for f in findings
            if f.rule in ("RP01", "RP02", "RP04")]


def _note(findings):
    notes = [f for f in findings if f.rule == "RP03"]
    assert len(notes) == 1
    return dict(notes[0].args)


@pytest.mark.parametrize("kind", ["txt", "docx"])
def test_the_faithful_report_agrees_with_the_sample(sample, tmp_path, kind):
    path = (write_txt if kind == "txt" else write_docx)(PARAGRAPHS, tmp_path / f"faithful.{kind}")
    got = check_report(sample, str(path))
    assert _rp(got) == []
    note = _note(got)
    assert note["count"] == note["total"] == AGREEING
    # NB: the hotline's 22 lines, 20 phones, 2 on duty, 7067 calls: no annex indicator, not compared
    assert note["unnamed"] >= 7


@pytest.mark.parametrize("kind", ["txt", "docx"])
def test_each_planted_typo_is_found_with_both_values(sample, tmp_path, kind):
    path = (write_txt if kind == "txt" else write_docx)(plant(PARAGRAPHS, *TYPOS), tmp_path / f"typos.{kind}")
    got = check_report(sample, str(path))
    assert _rp(got) == EXPECTED
    first = next(f for f in got if f.rule == "RP01")
    assert first.message() == "报告第 2 段：实到岗 135 次；附件2 为 133（持证社工实到岗人次）。"
    assert first.message("en") == "Report paragraph 2: 实到岗 135 次; 附件2 gives 133 (certified person-months)."
    assert first.sheet is None and first.cell is None
    assert "实到岗135次" in first.quote and dict(first.location) == {"paragraph": 2}
    assert _note(got)["count"] == AGREEING - len(TYPOS)


def test_the_same_indicator_with_another_count_elsewhere_is_a_warning(sample, tmp_path):
    # NB: after the heading that closes 片区三's section: a station's figure again
    paras = PARAGRAPHS + [["七、评估结果"], ["本评估期持证社工实到岗 131 次。"]]
    got = check_report(sample, str(write_txt(paras, tmp_path / "twice.txt")))
    assert _rp(got) == [("RP02", 9, 133, 131), ("RP01", 9, 133, 131)]
    warn = got[0]
    assert warn.severity == "warning"
    assert warn.message() == "报告第 9 段：本评估期持证社工实到岗 131 次；第 2 段写的是 133（持证社工实到岗人次）。"
    # the same paragraph inside 片区三's section is that district's, and 附件2 has no district figures
    inside = check_report(sample, str(write_txt(PARAGRAPHS + paras[-1:], tmp_path / "inside.txt")))
    assert _rp(inside) == []


@pytest.mark.libreoffice
def test_a_pdf_printed_by_writer_gives_the_typos_with_their_pages(sample, tmp_path):
    docx = write_docx(plant(PARAGRAPHS, *TYPOS), tmp_path / "typos.docx", page_break_before=3)
    pdf = to_pdf(docx, tmp_path)
    got = check_report(sample, str(pdf))
    found = [(f.rule, f.expected, f.found, dict(f.location).get("page")) for f in got if f.rule == "RP01"]
    # NB: the service paragraph starts page 2; '17' and '67' sit on two lines of the PDF and read as one figure
    assert found == [("RP01", 133, 135, 1), ("RP01", 0.9645714285714285, 0.9647, 2), ("RP01", 54, 45, 2),
                     ("RP01", 1757, 1767, 2)]
    assert "（第 2 页）" in got[1].message()
    faithful = to_pdf(write_docx(PARAGRAPHS, tmp_path / "faithful.docx", page_break_before=3), tmp_path)
    clean = check_report(sample, str(faithful))
    assert _rp(clean) == [] and _note(clean)["count"] == AGREEING


def test_a_figure_resting_on_annex_errors_is_not_confirmed(tmp_path):
    rep = annexproc.check(str(averaged_total(tmp_path / "averaged.xlsx")))
    got = check_report(rep, str(write_txt(PARAGRAPHS[3:4], tmp_path / "services.txt")))
    assert _rp(got) == [("RP04", 1, 0.9645714285714285, 0.9646)]
    assert got[0].severity == "warning" and got[0].indicator == "红棉热线服务次数 完成率"
    assert got[0].message().startswith("报告第 1 段：96.46%；附件1-1 中红棉热线服务次数 完成率所依据的单元格有错误（H8（合计")
    assert _note(got)["count"] == 29


def test_an_unreadable_report_is_an_error(sample, tmp_path):
    junk = tmp_path / "报告.pdf"
    junk.write_bytes(b"not a pdf at all")
    got = check_report(sample, str(junk))
    assert [f.rule for f in got] == ["RP05"] and got[0].severity == "error"
    other = tmp_path / "报告.rtf"
    other.write_text("{\\rtf1}", encoding="utf-8")
    got = check_report(sample, str(other))
    assert [f.rule for f in got] == ["RP05"]
    # NB: the reason in the reader's language (the English used to say it in Chinese)
    assert got[0].message("zh") == "无法读取报告文件：不支持的报告格式 .rtf（应为 .docx、.pdf、.txt、.md）"
    assert got[0].message("en") == ("Cannot read the report file: unsupported report format .rtf "
                                    "(expected .docx, .pdf, .txt, .md)")


def test_cli_json_and_the_annotated_copy(tmp_path):
    report = write_txt(plant(PARAGRAPHS, TYPOS[0]), tmp_path / "报告.txt")
    run = [sys.executable, "-m", "annexproc", "check", str(SAMPLE), "--report", str(report)]
    proc = subprocess.run(run + ["--format", "json"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 1, proc.stderr
    findings = json.loads(proc.stdout)["files"][0]["findings"]
    rp = [f for f in findings if f["rule"].startswith("RP")]
    assert [(f["rule"], f["sheet"], f["cell"], f["location"], f["expected"], f["found"]) for f in rp] == [
        ("RP01", None, None, {"paragraph": 2}, 133, 135), ("RP03", None, None, None, None, None)]
    assert "实到岗135次" in rp[0]["quote"]
    assert all("quote" in f and "location" in f for f in findings)      # NB: every finding, the same keys
    copy = tmp_path / "checked.xlsx"
    proc = subprocess.run(run + ["-o", str(copy)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 1 and copy.exists(), proc.stderr
    rows = [r for r in openpyxl.load_workbook(copy)["核查结果"].iter_rows(values_only=True)]
    at = rows.index(next(r for r in rows if r[0] == "评估报告核对"))
    assert rows[at + 1][:5] == ("严重程度", "规则", "段落", "页", "指标")
    assert rows[at + 2][:5] == ("错误", "RP01", 2, None, "持证社工实到岗人次") and rows[at + 2][6:8] == (133, 135)
    assert rows[at + 3][1] == "RP03"
    assert not any(r[1] and str(r[1]).startswith("RP") for r in rows[:at])   # NB: not in the workbook's table


def test_cli_refuses_a_report_with_several_workbooks(tmp_path):
    report = write_txt(PARAGRAPHS, tmp_path / "报告.txt")
    proc = subprocess.run([sys.executable, "-m", "annexproc", "check", str(SAMPLE), str(SAMPLE), "--report",
                           str(report)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2 and "--report" in proc.stderr


def test_the_web_page_takes_a_report_beside_one_workbook(tmp_path):
    report = write_docx(plant(PARAGRAPHS, TYPOS[1]), tmp_path / "评估报告.docx")
    with TestClient(create_app()) as client:
        files = [("files", ("sample.xlsx", SAMPLE.read_bytes(), "application/octet-stream")),
                 ("files", ("评估报告.docx", report.read_bytes(), "application/octet-stream"))]
        doc = client.post("/api/check", files=files, data={"lang": "zh"}).json()
        assert len(doc["files"]) == 1
        f = doc["files"][0]
        assert f["report"] == "评估报告.docx" and f["verdict"]["errors"] == 1
        rp = [x for x in f["findings"] if x["rule"] == "RP01"]
        assert [(x["location"], x["expected"], x["found"]) for x in rp] == [
            ({"paragraph": 4}, 0.9645714285714285, 0.9647)]
        alone = client.post("/api/check", files=files[1:], data={"lang": "en"}).json()
        assert [x["verdict"]["status"] for x in alone["files"]] == ["unreadable"]
        assert "one workbook" in alone["files"][0]["read_error"]
