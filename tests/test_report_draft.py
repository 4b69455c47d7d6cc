"""Issue 15: `annexproc report WORKBOOK -o DRAFT` — the evaluation report's data paragraphs, drafted from the annexes.

The draft of the sample must say what the source report says (its data paragraphs, tests/report_fixtures.py),
with the tables' rounding; checked against the sample it gives nothing but the note of agreeing figures;
where the annexes have errors it carries a marked note instead of the figure.
"""
from __future__ import annotations

import re
import string
import subprocess
import sys

import pytest
from docx import Document
from docx.enum.text import WD_COLOR_INDEX

import annexproc
from annexproc.writeup.draft import build, template
from annexproc.writeup.facts import gather
from annexproc.writeup.verify import check_report

from conftest import ROOT, SAMPLE
from report_fixtures import BREAK, PARAGRAPHS, averaged_total, to_pdf

sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
import build_annex2  # noqa: E402


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _report(path, out, *extra) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "annexproc", "report", str(path), "-o", str(out), *extra],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory):
    out = tmp_path_factory.mktemp("draft") / "草稿.docx"
    _report(SAMPLE, out)
    return out


def test_the_draft_says_what_the_source_report_says(sample_docx):
    doc = Document(sample_docx)
    text = _flat("\n".join(p.text for p in doc.paragraphs))
    period, staffing, services = (_flat("".join(PARAGRAPHS[i])).replace(BREAK, "") for i in (0, 1, 3))
    assert period in text
    # the source's staffing sentences, word for word, but 90% → 90.00% (two decimals, as the tables)
    for sentence in re.findall(r"[^。]*(?:应配备|共配备|稳定在岗|2年以上)[^。]*。", staffing):
        assert sentence.replace("90%", "90.00%").removeprefix("和购买项目协议有关要求配备人员。") in text
    # every clause of 服务指标完成情况, and 政策宣传 (which the source left out) in its place
    for clause in services.split("；"):
        assert clause.rstrip("。") in text, clause
    assert "完成政策宣传52次，服务人次1786人，完成协议指标量的72.22%，167.70%；" in text
    assert not any(r.font.highlight_color for p in doc.paragraphs[2:] for r in p.runs)   # NB: no note at all


def test_the_tables_are_the_annexes(sample_docx):
    doc = Document(sample_docx)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    assert len(tables) == 6      # 片区1-3, 合计, 五社联动/志愿者, 附件1-2
    assert tables[0][0] == ["指标", "协议", "完成量", "百分比"]
    assert ["红棉热线服务次数", "2300", "3033", "131.87%"] in tables[2]
    assert ["大型社区活动 人次", "800", "1757", "219.63%"] in tables[3]          # 1757/800: half away from zero
    assert ["小型社区活动 次数", "/", "22", "/"] in tables[3]
    assert ["志愿者", "培育社区骨干", "20", "23", "115.00%"] in tables[4]
    assert ["专业培训（小时）", "1440", "1419.5", "98.58%"] in tables[5]         # 0.5 kept
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "附件1-1 片区3指标完成情况（投入社工 5 名）" in headings


def _only_the_note(rep, path) -> None:
    got = check_report(rep, str(path))
    assert [f.rule for f in got] == ["RP03"], (path, [f.message() for f in got])
    note = dict(got[0].args)
    assert note["count"] == note["total"] >= 52, path


def test_the_draft_checked_against_the_sample_gives_only_the_note(sample_docx, tmp_path):
    rep = annexproc.check(str(SAMPLE))
    md = tmp_path / "草稿.md"
    _report(SAMPLE, md)
    for path in (sample_docx, md):
        _only_the_note(rep, path)


@pytest.mark.libreoffice
def test_the_draft_printed_to_pdf_gives_only_the_note(sample_docx, tmp_path):
    _only_the_note(annexproc.check(str(SAMPLE)), to_pdf(sample_docx, tmp_path))


def test_annex_errors_give_marked_notes_not_figures(tmp_path):
    out = tmp_path / "草稿.docx"
    _report(averaged_total(tmp_path / "averaged.xlsx"), out)        # H8: 合计 hotline % is an average (A108)
    paras = Document(out).paragraphs
    notes = [(p.text, r.text) for p in paras for r in p.runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    assert notes[1:] == [(next(p.text for p in paras if "红棉热线服务" in p.text),
                          "【请核实：红棉热线服务次数 完成率所依据的附件单元格有错误：附件1-1 H8（A108），请先改正附件】")]
    para = next(p for p in paras if "红棉热线服务" in p.text)
    plain = "".join(r.text for r in para.runs if not r.font.highlight_color)
    assert "96.67%" not in plain and "96.46%" not in plain      # NB: neither the file's figure nor a bare one
    assert "6752 次" in plain and "121.39%" in plain             # NB: figures with no error behind them stay
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in Document(out).tables]
    assert ["红棉热线服务次数", "7000", "6752", "96.46% ⚠"] in tables[3]


def test_an_annex2_error_marks_the_staffing_figures(tmp_path):
    path = build_annex2.build("A203_constant_differs", str(tmp_path))   # 附件2 AE5 typed 7 over its formula
    rep = annexproc.check(path)
    d = build(gather(rep))
    staffing = next(b[1] for b in d.blocks if b[0] == "para" and any("应配备" in t for t, _ in b[1]))
    notes = [t for t, note in staffing if note]
    assert len(notes) == 12 and all(n == f"【请核实：{what}所依据的附件单元格有错误：附件2 AE5（A203），请先改正附件】"
                                    for n, what in zip(notes, [n.split("所依据")[0][5:] for n in notes]))
    assert "应配备不少于 " in "".join(t for t, _ in staffing)


def test_english_draft_and_the_templates_are_data(tmp_path):
    out = tmp_path / "draft.md"
    _report(SAMPLE, out, "--lang", "en", "--format", "md")
    text = out.read_text(encoding="utf-8")
    assert ("required for at least 96 person-months in the period and were on post for 133, 37 above the "
            "requirement") in text
    assert "a stable rate of 90.00%" in text and "125.00% and 219.63%" in text
    # NB: both languages fill the same figures: the same placeholders in every paragraph
    def names(t):
        return {k: {f for _, f, _, _ in string.Formatter().parse(v) if f} for k, v in t.items()
                if isinstance(v, str) and k != "date"}       # NB: a date is written each language's way
    zh, en = template("zh"), template("en")
    for part in ("staffing", "services", "tables", "notes"):
        assert names(zh[part]) == names(en[part]), part
