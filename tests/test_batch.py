"""Issue 6: `annexproc batch` — folders and .zip files checked on N processes into one summary folder.

The inbox built here is what an evaluator receives: a few workbooks (two with the same name), the
sample when it exists, a corrupt .xlsx named like a formula, a .txt, an Office lock file, hidden
files, and a .zip made on a Chinese Windows (GBK names, no UTF-8 flag) that also holds a UTF-8 name.
"""
from __future__ import annotations

import csv
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest
import xlsxwriter
from click.testing import CliRunner

from annexproc import batch
from annexproc.safety import inert_text
from annexproc.batch import (FileResult, Source, Task, decode_member_name, iter_workbooks, run_batch,
                             write_findings_csv, write_summary)
from annexproc.cli import main
from annexproc.findings import finding
from annexproc.pipeline import Options
from annexproc.report import Report

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "sample.xlsx"
FORMULA_NAME = "=SUM(1,2).xlsx"   # a corrupt file whose name a spreadsheet would run as a formula
GBK_MEMBER = "附件/逢源街.xlsx"
UTF8_MEMBER = "华林街.xlsx"


class _GbkInfo(zipfile.ZipInfo):
    """A member named in GBK without the UTF-8 flag, as Windows' own zip tool does in China.

    NB: zipfile always sets flag 0x800 for a non-ASCII str name; this writes the GBK bytes as they are.
    """

    def _encodeFilenameFlags(self):
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def simple_workbook(path: Path, title: str = "广州市示例社工服务站购买服务项目指标完成情况统计表") -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("附件1-1")
    ws.write_string(0, 0, title)
    ws.write_number(1, 0, 3)
    wb.close()
    return path


def make_zip(path: Path, members: dict[str, bytes], gbk: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = _GbkInfo(name) if name in gbk else zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return path


def build_inbox(root: Path, with_sample: bool = True) -> Path:
    inbox = root / "收件箱"
    (inbox / "sub").mkdir(parents=True)
    (inbox / ".git").mkdir()
    simple_workbook(inbox / "station_a.xlsx")
    simple_workbook(inbox / "sub" / "station_a.xlsx")          # same name: the copy becomes 'station_a (2)'
    simple_workbook(inbox / "station_b.xlsx")
    if with_sample and SAMPLE.exists():
        shutil.copyfile(SAMPLE, inbox / "sample.xlsx")
    (inbox / FORMULA_NAME).write_bytes(random.Random(6).randbytes(4000))
    (inbox / "readme.txt").write_text("各站附件见压缩包", encoding="utf-8")
    (inbox / "~$station_a.xlsx").write_bytes(b"\x08" + "林晓雨".encode("utf-16-le") + b" " * 150)
    simple_workbook(inbox / ".hidden.xlsx")
    simple_workbook(inbox / ".git" / "x.xlsx")
    member = simple_workbook(root / "member.xlsx").read_bytes()
    make_zip(inbox / "stations.zip", {GBK_MEMBER: member, UTF8_MEMBER: member,
                                      "__MACOSX/._华林街.xlsx": b"\x00\x05\x16\x07"}, gbk=(GBK_MEMBER,))
    return inbox


def expected_files(inbox: Path) -> set[str]:
    names = {inbox / "station_a.xlsx", inbox / "sub" / "station_a.xlsx", inbox / "station_b.xlsx",
             inbox / FORMULA_NAME, inbox / "readme.txt"}
    if (inbox / "sample.xlsx").exists():
        names.add(inbox / "sample.xlsx")
    return {str(p) for p in names} | {f"{inbox / 'stations.zip'}/{GBK_MEMBER}", f"{inbox / 'stations.zip'}/{UTF8_MEMBER}"}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The inbox batch-checked twice, with 1 and with 2 processes (each into its own OUTDIR)."""
    root = tmp_path_factory.mktemp("batch")
    inbox = build_inbox(root)
    out = {}
    for jobs in (1, 2):
        outdir = root / f"out{jobs}"
        outdir.mkdir()
        (outdir / "station_b.xlsx").write_bytes(b"not ours")   # an existing file is never overwritten
        rc = run_batch([str(inbox)], str(outdir), jobs=jobs, quiet=True, fmt="json")
        out[jobs] = (rc, outdir)
    return inbox, out


def summary_rows(outdir: Path) -> list[dict]:
    ws = openpyxl.load_workbook(outdir / "summary.xlsx")["汇总"]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


# --- finding the workbooks -----------------------------------------------------------------------

def test_iter_workbooks_lists_each_workbook_once_and_skips_lock_and_hidden(tmp_path):
    inbox = build_inbox(tmp_path)
    skipped: list = []
    # NB: the folder twice and one of its files again: still every workbook once
    found = list(iter_workbooks([inbox, inbox, inbox / "station_b.xlsx"], skipped=skipped))
    shown = [s.display for s in found]
    assert sorted(shown) == sorted(expected_files(inbox))
    assert len(shown) == len(set(shown))
    reasons = {os.path.basename(p): why for p, why in skipped}
    assert reasons["~$station_a.xlsx"] == "lock"
    assert reasons[".hidden.xlsx"] == "hidden" and reasons[".git"] == "hidden"
    assert [why for p, why in skipped if "__MACOSX" in p] == ["hidden"]     # macOS resource forks
    by = {s.display: s for s in found}
    txt = by[str(inbox / "readme.txt")]
    assert not txt.checkable and ".txt" in txt.problem[0] and "not an Excel workbook" in txt.problem[1]
    gbk = by[f"{inbox / 'stations.zip'}/{GBK_MEMBER}"]
    assert gbk.checkable and gbk.member is not None and gbk.name == "stations__附件_逢源街.xlsx"


def test_member_names_decode_gbk_utf8_without_flag_and_unicode_path_field(tmp_path):
    z = tmp_path / "names.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr(_GbkInfo("东山/周子涵.xlsx"), b"x")

        class Utf8NoFlag(zipfile.ZipInfo):
            def _encodeFilenameFlags(self):
                return self.filename.encode("utf-8"), self.flag_bits & ~0x800
        zf.writestr(Utf8NoFlag("越秀/林晓雨.xlsx"), b"x")
        up = _GbkInfo("??.xlsx")
        name = "荔湾.xlsx".encode("utf-8")
        crc = zipfile.crc32(b"??.xlsx").to_bytes(4, "little")
        up.extra = (0x7075).to_bytes(2, "little") + (5 + len(name)).to_bytes(2, "little") + b"\x01" + crc + name
        zf.writestr(up, b"x")
        zf.writestr("flagged/海珠.xlsx", b"x")
    with zipfile.ZipFile(z) as zf:
        infos = zf.infolist()
        assert [i.flag_bits & 0x800 for i in infos] == [0, 0, 0, 0x800]
        assert [decode_member_name(i) for i in infos] == ["东山/周子涵.xlsx", "越秀/林晓雨.xlsx", "荔湾.xlsx",
                                                          "flagged/海珠.xlsx"]


def test_zip_bombs_and_oversized_members_are_refused_with_a_reason(tmp_path):
    z = make_zip(tmp_path / "bomb.zip", {"a.xlsx": bytes(3 << 20), "b.xlsx": b"PK" * 1000, "c.xlsx": b"PK" * 1000})
    found = {s.display.rsplit("/", 1)[-1]: s for s in iter_workbooks([z], max_total=3000)}
    assert "probable zip bomb" in found["a.xlsx"].problem[1] and "压缩比" in found["a.xlsx"].problem[0]
    assert found["b.xlsx"].checkable
    assert "total cap" in found["c.xlsx"].problem[1]          # 2000 + 2000 bytes > 3000
    small = {s.display.rsplit("/", 1)[-1]: s for s in iter_workbooks([z], max_member=1000)}
    assert "per-file cap" in small["b.xlsx"].problem[1]
    # a member that inflates past what its header declared is stopped while it is read (into memory:
    # nothing is extracted to disk)
    liar = Source(f"{z}/b.xlsx", str(z), "bomb__b.xlsx", member=1, size=100)
    res = batch.worker.work(Task(0, liar, Options(), None, "t"))
    assert not res.report.readable and "压缩炸弹" in res.report.read_error.message("zh")
    assert list(tmp_path.iterdir()) == [z]                       # nothing written beside the zip


# --- the batch ------------------------------------------------------------------------------------

def test_batch_lists_every_workbook_once_with_counts_and_reasons(runs):
    inbox, out = runs
    rc, outdir = out[1]
    assert rc == 2                                              # unreadable files → 2, as `check`
    rows = summary_rows(outdir)
    files = [r["文件"] for r in rows]
    assert sorted(files) == sorted(expected_files(inbox)) and len(files) == len(set(files))
    unreadable = {r["文件"]: r["原因"] for r in rows if r["可读"] == "否"}
    assert set(unreadable) == {str(inbox / FORMULA_NAME), str(inbox / "readme.txt")}
    assert ".txt" in unreadable[str(inbox / "readme.txt")] and "以免漏看" in unreadable[str(inbox / "readme.txt")]
    assert unreadable[str(inbox / FORMULA_NAME)].startswith("无法读取")
    readable = [r for r in rows if r["可读"] == "是"]
    assert len(readable) == len(expected_files(inbox)) - 2
    assert all(isinstance(r["错误"], int) for r in readable)
    doc = json.loads((outdir / "report.json").read_text(encoding="utf-8"))
    assert doc["schema"] == 1 and [f["path"] for f in doc["files"]] == files
    for f in doc["files"]:
        assert set(f) == {"path", "station", "read_error", "findings", "figures"}
        assert (f["read_error"] is None) == (f["path"] not in unreadable)
        for fd in f["findings"]:
            assert {"rule", "severity", "sheet", "cell", "message", "expected", "found"} <= set(fd)
    if SAMPLE.exists():
        assert str(inbox / "sample.xlsx") in files


def test_annotated_copies_are_named_after_their_source_linked_and_never_overwrite(runs):
    inbox, out = runs
    _, outdir = out[1]
    assert (outdir / "station_b.xlsx").read_bytes() == b"not ours"
    ws = openpyxl.load_workbook(outdir / "summary.xlsx")["汇总"]
    head = [c.value for c in ws[1]]
    col = head.index("批注副本") + 1
    links = {ws.cell(r, 2).value: ws.cell(r, col).hyperlink for r in range(2, ws.max_row + 1)}
    targets = {f: unquote(h.target) for f, h in links.items() if h is not None}
    assert set(targets) == {f for f in expected_files(inbox)} - {str(inbox / FORMULA_NAME), str(inbox / "readme.txt")}
    for target in targets.values():
        assert not os.path.isabs(target) and (outdir / target).is_file()
    assert targets[str(inbox / "station_a.xlsx")] == "station_a.xlsx"
    assert targets[str(inbox / "sub" / "station_a.xlsx")] == "station_a (2).xlsx"
    assert targets[str(inbox / "station_b.xlsx")] == "station_b (2).xlsx"
    assert targets[f"{inbox / 'stations.zip'}/{GBK_MEMBER}"] == "stations__附件_逢源街.xlsx"
    assert targets[f"{inbox / 'stations.zip'}/{UTF8_MEMBER}"] == "stations__华林街.xlsx"
    assert not [n for n in os.listdir(outdir) if ".tmp-" in n or n.startswith(".")]


def test_jobs_2_gives_the_same_results_as_jobs_1(runs):
    _, out = runs
    (rc1, d1), (rc2, d2) = out[1], out[2]
    assert rc1 == rc2
    assert summary_rows(d1) == summary_rows(d2)
    assert (d1 / "report.json").read_bytes() == (d2 / "report.json").read_bytes()
    assert (d1 / "findings.csv").read_bytes() == (d2 / "findings.csv").read_bytes()


def test_summary_sheets_are_frozen_filterable_and_text_never_becomes_a_formula(runs):
    inbox, out = runs
    _, outdir = out[1]
    wb = openpyxl.load_workbook(outdir / "summary.xlsx")
    assert wb.sheetnames[:2] == ["汇总", "全部问题"]
    for name in ("汇总", "全部问题"):
        assert wb[name].freeze_panes in ("C2", "A2") and wb[name].auto_filter.ref
    issues = list(wb["全部问题"].iter_rows(values_only=True))
    assert issues[0] == ("文件", "严重程度", "规则", "工作表", "单元格", "指标", "片区/社工", "说明", "应为", "表中为")
    assert {r[0] for r in issues[1:] if r[2] == "RD01"} == {str(inbox / FORMULA_NAME), str(inbox / "readme.txt")}
    with zipfile.ZipFile(outdir / "summary.xlsx") as zf:
        for n in zf.namelist():
            if n.startswith("xl/worksheets/sheet"):
                assert "<f>" not in zf.read(n).decode("utf-8"), n   # no cell formula anywhere
        doc = json.loads((outdir / "report.json").read_text(encoding="utf-8"))
        if any(f["figures"].get("completion") for f in doc["files"]):      # the sample, once checked
            assert "xl/charts/chart1.xml" in zf.namelist()
        if any(f["figures"].get("total_person_months") for f in doc["files"]):
            assert "xl/charts/chart2.xml" in zf.namelist() or "xl/charts/chart1.xml" in zf.namelist()
    if SAMPLE.exists():
        row = next(r for r in summary_rows(outdir) if r["文件"] == str(inbox / "sample.xlsx"))
        sample_doc = next(f for f in doc["files"] if f["path"] == row["文件"])
        assert row["服务站"] == sample_doc["station"] and row["错误"] == sum(
            1 for fd in sample_doc["findings"] if fd["severity"] == "error")
        if "total_person_months" in sample_doc["figures"]:
            assert row["社工实到岗人次"] == pytest.approx(sample_doc["figures"]["total_person_months"])
    raw = (outdir / "findings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["服务站", "文件", "严重程度", "规则"]
    assert "'" + str(inbox / FORMULA_NAME) not in {r[1] for r in rows}  # an absolute path starts with '/'
    # the corrupt file is named like a formula; in a relative run the cell would start with '='
    assert inert_text(FORMULA_NAME) == "'" + FORMULA_NAME


def test_relative_paths_formula_looking_name_is_neutralised_in_csv(tmp_path, monkeypatch):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "x.bin").write_bytes(b"\x00")
    monkeypatch.chdir(tmp_path / "in")
    (tmp_path / "in" / FORMULA_NAME).write_bytes(b"garbage")
    rc = run_batch([FORMULA_NAME, "x.bin"], str(tmp_path / "out"), jobs=1, quiet=True)
    assert rc == 2
    rows = list(csv.reader(io.StringIO((tmp_path / "out" / "findings.csv").read_text(encoding="utf-8-sig"))))
    assert [r[1] for r in rows[1:]] == ["'" + FORMULA_NAME, "x.bin"]
    cell = openpyxl.load_workbook(tmp_path / "out" / "summary.xlsx")["汇总"]["B2"]
    assert cell.value == FORMULA_NAME and cell.data_type == "s"


def test_no_progress_bar_when_not_a_terminal_and_text_summary_on_stdout(tmp_path, capsys):
    simple_workbook(tmp_path / "a.xlsx")
    rc = run_batch([str(tmp_path / "a.xlsx")], str(tmp_path / "out"), jobs=1, lang="en")
    cap = capsys.readouterr()
    assert cap.err == ""                               # stderr is not a tty here: no bar, no noise
    assert "1 workbooks: 1 readable" in cap.out and rc == 2    # NB: simple_workbook holds no annex (RD17)


def test_csv_text_is_neutralised_by_the_one_inert_text():
    # NB: text that merely looks like a signed number is neutralised too (OWASP): one rule for every output
    assert [inert_text(v) for v in ("=1+1", "+A1", "-A1", "@SUM(A1)", "\tx", "\rx", "-3", "+2.5", "12%", 7, "林晓雨")] == \
        ["'=1+1", "'+A1", "'-A1", "'@SUM(A1)", "'\tx", "'\rx", "'-3", "'+2.5", "12%", 7, "林晓雨"]


# --- the summary workbook with figures (hand-built reports, as the annex checkers will give) ----------

def _report(path, station, figures, findings=()):
    return Report(path=path, station=station, findings=list(findings), figures=figures)


def hand_built_results():
    full = {"total_person_months": 160.5, "required_person_months": 160, "certified_person_months": 133,
            "required_certified_person_months": 96, "uncertified_person_months": 27.5, "certified_share": 133 / 160,
            "two_year_share": 109 / 160.5, "stable_rate": 0.9,
            "completion": {"红棉热线服务次数": 1.2, "专业个案 接案": 0.8333}}
    short = {"total_person_months": 150, "required_person_months": 160, "certified_person_months": 90,
             "required_certified_person_months": 96, "uncertified_person_months": 60, "certified_share": 0.5625,
             "two_year_share": 0.5, "stable_rate": 0.85, "completion": {"专业个案 接案": 1.0, "项目会议": 0.6667}}
    bad = finding("RD05", "附件1-1", "C5", found="=1+1", expected=12, district="片区1", indicator="红棉热线")
    neg = finding("RD04", "附件2", "H9", found="-3", expected=-3)
    return [FileResult(0, _report("a/逢源街.xlsx", "@逢源街社工服务站", full, [bad, neg]), "逢源街.xlsx"),
            FileResult(1, _report("b/华林街.xlsx", "华林街社工服务站", short), "华林街.xlsx",
                       [("批注副本写出失败：x", "the annotated copy could not be written: x")]),
            FileResult(2, Report(path="c.txt", read_error=finding("RD01", None, None, reason="坏", reason_en="bad")))]


def test_summary_has_figures_completion_union_conditional_formats_links_and_charts(tmp_path):
    path = tmp_path / "summary.xlsx"
    write_summary(hand_built_results(), str(path), "zh")
    wb = openpyxl.load_workbook(path)
    ws = wb["汇总"]
    head = [c.value for c in ws[1]]
    assert head[:6] == ["服务站", "文件", "可读", "原因", "错误", "警告"]
    assert {"社工实到岗人次", "应到岗人次", "持证社工实到岗人次", "非持证社工实到岗人次", "持证社工占比",
            "从业2年以上占比", "稳岗率"} <= set(head)
    comp = [h for h in head if h.endswith("完成率")]
    assert comp == ["红棉热线服务次数 完成率", "专业个案 接案 完成率", "项目会议 完成率"]   # the union, first seen first
    rows = [dict(zip(head, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert rows[0]["服务站"] == "@逢源街社工服务站" and ws["A2"].data_type == "s"
    assert rows[0]["错误"] == 0 and rows[0]["警告"] == 2 and rows[0]["项目会议 完成率"] is None
    assert rows[1]["项目会议 完成率"] == pytest.approx(0.6667) and rows[1]["社工实到岗人次"] == 150
    assert "写出失败" in rows[1]["备注"]
    assert rows[2]["可读"] == "否" and rows[2]["原因"] == "无法读取该文件：坏" and rows[2]["批注副本"] is None
    assert ws.cell(2, head.index("持证社工占比") + 1).number_format == "0.00%"
    assert unquote(ws.cell(2, head.index("批注副本") + 1).hyperlink.target) == "逢源街.xlsx"
    rules = {str(cf.sqref): [r.formula for r in cf.rules] for cf in ws.conditional_formatting}
    col = {h: openpyxl.utils.get_column_letter(i + 1) for i, h in enumerate(head)}
    assert f"{col['错误']}2:{col['错误']}4" in rules
    pm = rules[f"{col['社工实到岗人次']}2:{col['社工实到岗人次']}4"][0][0]
    assert f"${col['社工实到岗人次']}2<${col['应到岗人次']}2" in pm
    assert any("<1" in f[0] for f in rules[f"{col['项目会议 完成率']}2:{col['项目会议 完成率']}4"])
    issues = list(wb["全部问题"].iter_rows(values_only=True))
    assert len(issues) == 1 + 2 + 1
    assert [r[:5] for r in issues[1:]] == [("a/逢源街.xlsx", "警告", "RD05", "附件1-1", "C5"),
                                           ("a/逢源街.xlsx", "警告", "RD04", "附件2", "H9"),
                                           ("c.txt", "错误", "RD01", None, None)]
    assert "=1+1" in [r[9] for r in issues]                      # kept as text, not run
    assert issues[1][5:7] == ("红棉热线", "片区1")
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        assert "xl/charts/chart1.xml" in names and "xl/charts/chart2.xml" in names
        c1, c2 = zf.read("xl/charts/chart1.xml").decode(), zf.read("xl/charts/chart2.xml").decode()
    # completion rates: grouped by indicator, one bar per station, the 100% line, the legend naming stations
    assert '<c:barDir val="col"/>' in c1 and '<c:grouping val="clustered"/>' in c1 and "<c:lineChart>" in c1
    assert c1.count("<c:ser>") == 2 + 1           # two stations, then the 100% line
    assert "图表!$A$" in c1                       # categories: the indicators of the table under the charts
    assert "<c:v>@逢源街社工服务站</c:v>" in c1 and "<c:v>华林街社工服务站</c:v>" in c1 and "a/逢源街.xlsx" not in c1
    assert "<c:v>100%（协议要求）</c:v>" in c1
    assert "未核查" in c1 and '<c:dLbls>' in c1    # a point not checked says so: never read as 0%
    # 附件2 as rates too (never absolute 人次): achieved ÷ required, all and certified, with the 100% line
    assert '<c:barDir val="col"/>' in c2 and c2.count("<c:ser>") == 2 + 1 and "<c:lineChart>" in c2
    charts = list(openpyxl.load_workbook(path)["图表"].iter_rows(values_only=True))
    table = [r for r in charts if r[0] in ("红棉热线服务次数", "项目会议")]
    assert table == [("红棉热线服务次数", 1.2, "未核查", 1), ("项目会议", "未核查", pytest.approx(0.6667), 1)]
    rates = {r[0]: r[1:3] for r in charts if r[0] in ("@逢源街社工服务站", "华林街社工服务站")}
    assert rates["华林街社工服务站"] == (pytest.approx(150 / 160), pytest.approx(90 / 96))


def test_a_figure_an_error_changes_is_marked_in_the_summary(tmp_path):
    results = hand_built_results()
    rep = results[1].report
    rep.findings.append(finding("A201", "附件2", "S9", cells=("S9", "S10"), expected=1, found=2,
                                affects=(("total_person_months", 150.5, 150),)))
    path = tmp_path / "summary.xlsx"
    write_summary(results, str(path), "zh")
    ws = openpyxl.load_workbook(path)["汇总"]
    head = [c.value for c in ws[1]]
    cell = ws.cell(3, head.index("社工实到岗人次") + 1)
    assert cell.value == 150 and cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert cell.comment.text == "受错误影响，应为 150.5（附件2!S9:S10（2 处））"
    other = ws.cell(2, head.index("社工实到岗人次") + 1)
    assert other.comment is None
    issues = list(openpyxl.load_workbook(path)["全部问题"].iter_rows(values_only=True))
    row = next(r for r in issues if r[2] == "A201")
    assert row[4] == "S9:S10（2 处）" and row[7].endswith("此项还改变了：社工实到岗人次 150.5 → 150。")


def test_summary_prints_landscape_fitted_to_width_with_header_rows_repeated(tmp_path):
    path = tmp_path / "summary.xlsx"
    write_summary(hand_built_results(), str(path), "zh")
    wb = openpyxl.load_workbook(path)
    for name in ("汇总", "全部问题", "图表"):
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9", name
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert ws.page_setup.fitToWidth in (1, None) and ws.page_setup.fitToHeight == 0, name
    for name in ("汇总", "全部问题"):
        assert wb[name].print_title_rows.replace("$", "") == "1:1", name


def test_a_second_run_into_the_same_folder_replaces_its_own_outputs(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    simple_workbook(inbox / "station_a.xlsx")
    simple_workbook(inbox / "station_b.xlsx")
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.xlsx").write_bytes(b"someone else's")
    # NB: a title alone is no annex to check (RD17): exit 2, and the outputs are replaced all the same
    assert run_batch([str(inbox)], str(out), jobs=1, quiet=True) == 2
    first = sorted(os.listdir(out))
    (inbox / "station_b.xlsx").unlink()                       # a station's file is gone by the second run
    assert run_batch([str(inbox)], str(out), jobs=1, quiet=True) == 2
    assert sorted(os.listdir(out)) == sorted(set(first) - {"station_b.xlsx"})   # no 'station_a (2).xlsx'
    assert (out / "notes.xlsx").read_bytes() == b"someone else's"
    doc = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert doc["batch"]["copies"] == ["station_a.xlsx"]


def test_an_output_folder_that_is_the_input_folder_is_refused(tmp_path, capsys):
    inbox = tmp_path / "in"
    inbox.mkdir()
    simple_workbook(inbox / "station_a.xlsx")
    assert run_batch([str(inbox)], str(inbox), jobs=1, quiet=True) == 2
    assert "-o 输出目录不能是输入文件夹本身" in capsys.readouterr().err
    assert sorted(os.listdir(inbox)) == ["station_a.xlsx"]


def test_completion_chart_of_many_workbooks_groups_by_workbook(tmp_path, monkeypatch):
    monkeypatch.setattr(batch.charts, "MAX_SERIES_FILES", 1)
    path = tmp_path / "summary.xlsx"
    write_summary(hand_built_results(), str(path), "en")
    with zipfile.ZipFile(path) as zf:
        c1 = zf.read("xl/charts/chart1.xml").decode()
    assert c1.count("<c:ser>") == 3 + 1           # one series per indicator (never over Excel's 255), the 100% line


def test_findings_csv_has_bom_and_neutralises_formula_text(tmp_path):
    path = tmp_path / "findings.csv"
    write_findings_csv(hand_built_results(), str(path), "zh")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 1 + 3
    assert rows[0] == ["服务站", "文件", "严重程度", "规则", "工作表", "单元格", "指标", "片区/社工", "说明", "应为", "表中为"]
    rd05 = next(r for r in rows if r[3] == "RD05")
    assert rd05[0] == "'@逢源街社工服务站" and rd05[10] == "'=1+1" and rd05[9] == "12"
    assert rd05[6:8] == ["红棉热线", "片区1"]
    rd04 = next(r for r in rows if r[3] == "RD04")
    assert rd04[10] == "'-3"       # text that looks like a signed number is text from the workbook: neutralised too


def test_findings_frame_is_one_dataframe_across_files():
    from annexproc import findings_frame
    df = findings_frame([r.report for r in hand_built_results()])
    assert list(df["file"]) == ["a/逢源街.xlsx", "a/逢源街.xlsx", "c.txt"]
    assert list(df["rule"]) == ["RD05", "RD04", "RD01"]          # each file's report order
    assert df.loc[df.rule == "RD05", "expected"].iloc[0] == 12


# --- failures on the way: Ctrl-C, a dying worker ------------------------------------------------------

def test_interrupt_leaves_no_half_written_file_and_exits_130(tmp_path, monkeypatch):
    simple_workbook(tmp_path / "a.xlsx")
    out = tmp_path / "out"

    def interrupted(results, path, lang):
        Path(path).write_text('{"schema": 1, "fi', encoding="utf-8")   # half written …
        raise KeyboardInterrupt                                       # … when Ctrl-C comes

    monkeypatch.setattr(batch.run, "write_report_json", interrupted)
    rc = run_batch([str(tmp_path / "a.xlsx")], str(out), jobs=1, quiet=True)
    assert rc == 130
    left = os.listdir(out)
    assert "report.json" not in left and not [n for n in left if ".tmp-" in n or ".part" in n]


def test_ctrl_c_on_the_command_line_stops_the_pool_and_cleans_up(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    one = simple_workbook(tmp_path / "one.xlsx").read_bytes()
    for i in range(120):
        (inbox / f"s{i:03}.xlsx").write_bytes(one)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "annexproc", "batch", str(inbox), "-o", str(out), "-j", "2", "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        if out.is_dir() and any(n.startswith("s") for n in os.listdir(out)):
            break
        time.sleep(0.02)
    if proc.poll() is not None:
        pytest.skip("the batch finished before it could be interrupted")
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    assert proc.returncode == 130, err.decode()
    left = os.listdir(out)
    assert "summary.xlsx" not in left and "report.json" not in left
    assert not [n for n in left if n.startswith(".")], left       # no temp file of ours or the annotator's
    for n in left:                                                 # every copy left behind is whole
        with zipfile.ZipFile(out / n) as zf:
            assert zf.testzip() is None


@pytest.mark.skipif(sys.platform != "linux", reason="relies on fork carrying the monkeypatch into workers")
def test_a_worker_that_dies_marks_only_its_file_unreadable(tmp_path, monkeypatch):
    import multiprocessing
    if multiprocessing.get_start_method() != "fork":
        pytest.skip("workers are not forked: the patched engine would not reach them")
    from annexproc import engine
    real = engine.check

    def check(path, **kw):
        if "crash" in os.path.basename(path):
            os._exit(3)                     # as the kernel's OOM killer would end it
        return real(path, **kw)

    monkeypatch.setattr(engine, "check", check)
    for n in ("a", "crash", "b", "c"):
        simple_workbook(tmp_path / f"{n}.xlsx")
    out = tmp_path / "out"
    rc = run_batch([str(tmp_path)], str(out), jobs=2, quiet=True)
    rows = {os.path.basename(r["文件"]): r for r in summary_rows(out)}
    assert rc == 2 and set(rows) == {"a.xlsx", "crash.xlsx", "b.xlsx", "c.xlsx"}
    assert rows["crash.xlsx"]["可读"] == "否" and "进程异常退出" in rows["crash.xlsx"]["原因"]
    assert all(rows[n]["可读"] == "是" for n in ("a.xlsx", "b.xlsx", "c.xlsx"))


def _zip_text(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return "".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist()
                       if n.endswith((".xml", ".rels", ".vml")))


def test_redact_outputs_hold_none_of_the_inputs_names(tmp_path, capsys):
    """--redact: stdout, summary.xlsx, findings.csv, report.json and every annotated copy use pseudonyms."""
    from annexproc import engine
    from annexproc.redact import names_of
    names = sorted(set(names_of(engine.check(str(SAMPLE)))))
    assert names, "the sample's 附件2 lists workers"
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    for n in ("a", "b"):
        shutil.copyfile(SAMPLE, inbox / f"{n}.xlsx")
    assert any(n in _zip_text(inbox / "a.xlsx") for n in names), "the input itself does hold the names"
    assert run_batch([str(inbox)], str(out), jobs=2, quiet=True, redact=True) == 0
    said = capsys.readouterr()
    copies = sorted(p.name for p in out.glob("[ab].xlsx"))
    assert copies == ["a.xlsx", "b.xlsx"]
    texts = {"stdout": said.out + said.err, "summary.xlsx": _zip_text(out / "summary.xlsx"),
             "findings.csv": (out / "findings.csv").read_text(encoding="utf-8-sig"),
             "report.json": (out / "report.json").read_text(encoding="utf-8")}
    texts.update({c: _zip_text(out / c) for c in copies})
    leaked = {where: [n for n in names if n in text] for where, text in texts.items()}
    assert not any(leaked.values()), leaked


# --- the command line -------------------------------------------------------------------------------

def test_cli_batch_json_and_english_text(tmp_path):
    inbox = build_inbox(tmp_path, with_sample=False)   # NB: the sample is batch-checked elsewhere; keep this fast
    runner = CliRunner()
    res = runner.invoke(main, ["batch", str(inbox), "-o", str(tmp_path / "o1"), "--jobs", "1", "--format", "json", "-q"])
    assert res.exit_code == 2, res.output
    doc = json.loads(res.stdout)
    assert doc["schema"] == 1 and sorted(f["path"] for f in doc["files"]) == sorted(expected_files(inbox))
    assert json.loads((tmp_path / "o1" / "report.json").read_text(encoding="utf-8")) == doc
    res = runner.invoke(main, ["batch", str(inbox / "stations.zip"), "-o", str(tmp_path / "o2"), "-j", "2",
                               "--lang", "en"])
    assert res.exit_code == 2, res.output                           # NB: readable, but no annex in them (RD17)
    assert "2 workbooks: 2 readable" in res.stdout and f"stations.zip/{GBK_MEMBER}" in res.stdout
    import re
    for n, word in re.findall(r"(\d+) (errors?|warnings?)\b", res.stdout):
        assert word.endswith("s") == (n != "1"), res.stdout        # '1 error', '0 warnings'
    res = runner.invoke(main, ["batch", str(tmp_path / "nothing-here"), "-o", str(tmp_path / "o3")])
    assert res.exit_code == 2                                       # click: the path does not exist


def test_empty_folder_is_exit_2_with_a_sentence(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert run_batch([str(tmp_path / "empty")], str(tmp_path / "out"), quiet=True) == 2
    assert "没有找到任何工作簿" in capsys.readouterr().err
