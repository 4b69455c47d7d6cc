"""Issue 9, --redact: workers' names become stable pseudonyms in every output (report, JSON, copy)."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.comments import Comment

from annexproc import redact
from annexproc.cli import main
from annexproc.findings import finding
from annexproc.redact import Redactor, names_of, redact_report, redact_workbook
from annexproc.render import render_text
from annexproc.report import Derived, Report, to_json_doc

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "sample.xlsx"
CODE = re.compile(r"^社工[A-Z]\d{3}$")
NAMES = ["林晓雨", "周子涵", "欧阳静怡", "Chan Mei Ling"]


def test_pseudonyms_are_stable_per_key_and_distinct():
    a, b = Redactor(key="k1"), Redactor(key="k1")
    assert a.name("林晓雨") == b.name("林晓雨") == a.name(" 林晓雨 ")
    assert CODE.match(a.name("林晓雨"))
    assert Redactor(key="k2").name("林晓雨") != a.name("林晓雨") or Redactor(key="k3").name("林晓雨") != a.name("林晓雨")
    many = [f"社员{i:04d}" for i in range(600)]
    codes = {a.name(n) for n in many}
    assert len(codes) == 600, "two names never share a pseudonym within one redactor"


def test_collision_takes_the_next_code_of_the_later_name(monkeypatch):
    red = Redactor(key="k")
    monkeypatch.setattr(red, "_code", lambda name, attempt: f"社工A{attempt:03d}")
    assert red.name("林晓雨") == "社工A000"
    assert red.name("周子涵") == "社工A001"
    assert red.name("林晓雨") == "社工A000"


def test_same_pseudonym_in_a_child_process_of_the_run():
    """Batch workers are processes: the key travels in ANNEXPROC_REDACT_KEY."""
    here = redact.default_redactor().name("林晓雨")
    code = "from annexproc.redact import default_redactor; print(default_redactor().name('林晓雨'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ), check=True)
    assert out.stdout.strip() == here


def test_text_replaces_longest_names_first():
    red = Redactor(key="k", names=["欧阳静", "欧阳静怡"])
    assert red.text("欧阳静怡、欧阳静") == f"{red.name('欧阳静怡')}、{red.name('欧阳静')}"
    assert Redactor(key="k", names=["林"]).text("林业") == "林业", "one-character names are not used"


def _hand_report() -> Report:
    f1 = finding("A227", "附件1-1", "B12", worker="林晓雨", district="片区1", month="2024年12月",
                 month_en="2024-12", reason="（备注：周子涵代班）", reason_en="(周子涵 covering)")
    f2 = finding("RD04", "附件2", "C7", found="欧阳静怡8次", expected=8, indicator="Chan Mei Ling 的个案")
    return Report(path="x.xlsx", findings=[f1, f2],
                  figures={"workers": [{"name": "林晓雨", "rows": [5]}, {"name": "周子涵"}, "欧阳静怡",
                                       {"姓名": "Chan Mei Ling"}], "stable_rate": 0.9,
                           "by_worker": {"林晓雨": 8}},
                  derived={("附件2", "AB5"): Derived("附件2", "AB5", "=SUM(G5:Z5)", 8, label="林晓雨 人员到岗小计")})


def test_redact_report_leaves_no_name_in_any_output():
    rep = _hand_report()
    red = Redactor(key="test")
    out = redact_report(rep, red)
    assert rep.findings[0].worker == "林晓雨", "the original report is not changed"
    text = (json.dumps(to_json_doc([out], "zh"), ensure_ascii=False) + json.dumps(to_json_doc([out], "en"))
            + render_text(out, "zh") + render_text(out, "en") + repr(out.derived) + repr(out.figures))
    for n in NAMES:
        assert n not in text, n
    assert out.findings[0].worker == red.name("林晓雨")
    assert red.name("周子涵") in out.findings[0].message("zh")
    assert out.figures["by_worker"] == {red.name("林晓雨"): 8}
    assert out.path == "x.xlsx" and out.figures["stable_rate"] == 0.9


def test_names_come_from_every_place_of_the_loose_contract():
    assert set(names_of(_hand_report())) == set(NAMES)


def test_redact_workbook_cells_formulas_comments_and_properties():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "姓名"
    ws["A2"] = "林晓雨"
    ws["B2"] = '=COUNTIF(A:A,"林晓雨")'
    ws["C2"] = "第一片区：林晓雨、周子涵"
    ws["A2"].comment = Comment("周子涵 2024年6月考证", "林晓雨")
    wb.properties.creator = "周子涵"
    red = Redactor(key="k", names=["林晓雨", "周子涵"])
    assert redact_workbook(wb, None, red) >= 4
    p = red.name
    assert ws["A2"].value == p("林晓雨") and ws["A2"].data_type == "s"
    assert ws["B2"].value == f'=COUNTIF(A:A,"{p("林晓雨")}")' and ws["B2"].data_type == "f"
    assert ws["C2"].value == f"第一片区：{p('林晓雨')}、{p('周子涵')}"
    assert ws["A2"].comment.text == f"{p('周子涵')} 2024年6月考证" and ws["A2"].comment.author == p("林晓雨")
    assert wb.properties.creator == "annexproc"


def _zip_text(path) -> str:
    with zipfile.ZipFile(path) as zf:
        return "".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist() if n.endswith((".xml", ".rels", ".vml")))


def _sample_names():
    from annexproc import engine
    return sorted(set(names_of(engine.check(str(SAMPLE)))))


def test_cli_redact_outputs_hold_no_name_of_the_input(tmp_path):
    names = _sample_names()
    if not names:
        pytest.skip("the 附件2 roster is not read yet (no names to hide)")
    inp = tmp_path / "sample.xlsx"
    shutil.copyfile(SAMPLE, inp)
    for args in (["--format", "json"], [], ["--lang", "en"]):
        res = CliRunner().invoke(main, ["check", str(inp), "--redact", *args])
        assert res.exit_code == 0, res.output   # NB: the sample has no error
        assert not [n for n in names if n in res.output], args
    out = tmp_path / "checked.xlsx"
    res = CliRunner().invoke(main, ["check", str(inp), "--redact", "-o", str(out)])
    assert res.exit_code == 0, res.output   # NB: the sample has no error
    body = _zip_text(out)
    leaked = [n for n in names if n in body]
    assert not leaked, leaked
    assert any(n in _zip_text(inp) for n in names), "the input itself does hold the names"
