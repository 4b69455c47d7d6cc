"""Issue 9: every bad input gets a clear answer (RD01, exit 2, no traceback), in bounded time, and
nothing is lost: the input's bytes never change and outputs are written atomically.

The fixtures are written by tests/fixtures/build_bad.py: the small ones are committed in
tests/fixtures/bad/ (the legacy .xls needs LibreOffice or xlwt to be rebuilt); the tests build
them all afresh into a temporary folder, with the big ones (a 120 000-row sheet, a zip bomb).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from annexproc import engine, safety
from annexproc.cli import main
from annexproc.errors import AnnexInputError
from annexproc.workbook import open_book

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "fixtures"))
import build_bad  # noqa: E402

SAMPLE = HERE.parent / "samples" / "sample.xlsx"
ERRORS = sorted(n for n, (want, _, _) in {**build_bad.BAD, **build_bad.BIG}.items() if want == "error")
READABLE = sorted(n for n, (want, _, _) in build_bad.BAD.items() if want == "ok")
#: The error findings of a readable file beyond RD17 (no annex): the legacy .xls has a typed-over formula too.
READABLE_ERRORS = {"legacy.xls": {"RD03", "RD17"}}
WORDS = {**build_bad.BAD, **build_bad.BIG}


@pytest.fixture(scope="module")
def bad(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bad")
    build_bad.build(str(out), big=True, xls=False)
    committed = HERE / "fixtures" / "bad" / "legacy.xls"
    if committed.exists():
        shutil.copyfile(committed, out / "legacy.xls")
    else:
        build_bad.build_legacy_xls(str(out))
    return out


def _path(bad: Path, name: str) -> Path:
    p = bad / name
    if not p.exists():
        pytest.skip(f"{name} could not be built here (needs LibreOffice or xlwt)")
    return p


def sha(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# ---------------------------------------------------------------------------------------- refused

@pytest.mark.parametrize("name", ERRORS)
def test_bad_file_is_a_read_error_naming_the_file(bad, name):
    path = _path(bad, name)
    before = sha(path)
    t = time.perf_counter()
    rep = engine.check(str(path))
    assert time.perf_counter() - t < 15, "a bad file is answered in bounded time"
    assert rep.read_error is not None and rep.read_error.rule == "RD01"
    assert rep.exit_code == 2
    _, zh, en = WORDS[name]
    msg_zh, msg_en = rep.read_error.message("zh"), rep.read_error.message("en")
    assert name in msg_zh and zh in msg_zh, msg_zh
    assert name in msg_en and en in msg_en, msg_en
    assert sha(path) == before


@pytest.mark.parametrize("name", ERRORS)
def test_cli_check_exits_2_with_the_message_and_no_traceback(bad, name):
    path = _path(bad, name)
    res = CliRunner().invoke(main, ["check", str(path)])
    assert res.exit_code == 2, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert "Traceback" not in res.output
    assert name in res.output and WORDS[name][1] in res.output
    res_en = CliRunner().invoke(main, ["check", "--lang", "en", "--format", "json", str(path)])
    assert res_en.exit_code == 2 and WORDS[name][2] in res_en.output


def test_sheet_named_where_it_applies(bad):
    with pytest.raises(AnnexInputError) as ei:
        open_book(str(_path(bad, "far_cell.xlsx")))
    assert ei.value.sheet == "附件1-1"
    assert "工作表“附件1-1”" in ei.value.text("zh") and "sheet “附件1-1”" in ei.value.text("en")


def test_a_damaged_cell_is_named_by_file_sheet_and_cell_in_both_languages(tmp_path):
    """The place before the sentence ('“file”工作表“sheet”的 cell：'), said from the catalogue (reading.refused)."""
    src = tmp_path / "base.xlsx"
    build_bad._plain_book(str(src))
    dst = tmp_path / "站点甲.xlsx"
    build_bad._rewrite(str(src), str(dst), {"xl/worksheets/sheet1.xml": build_bad._sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>服务片区</t></is></c><c r="B1"><v>6x</v></c></row>', "A1:B1")})
    with pytest.raises(AnnexInputError) as ei:
        open_book(str(dst))
    assert (ei.value.sheet, ei.value.cell) == ("附件1-1", "B1")
    assert ei.value.text("zh") == "“站点甲.xlsx”工作表“附件1-1”的 B1：数值“6x”无效，文件已损坏。"
    assert ei.value.text("en") == "“站点甲.xlsx”, sheet “附件1-1”, cell B1: invalid number “6x”; the file is damaged."


def test_missing_file_and_folder_are_read_errors(tmp_path):
    assert engine.check(str(tmp_path / "nowhere.xlsx")).read_error is not None
    rep = engine.check(str(tmp_path))
    assert rep.read_error is not None and "文件夹" in rep.read_error.message("zh")


def test_openpyxl_parses_through_defusedxml():
    import openpyxl.xml
    assert openpyxl.xml.DEFUSEDXML is True


def test_entity_bomb_in_a_part_only_openpyxl_reads_is_refused(tmp_path):
    """styles.xml is not scanned by us: openpyxl (defusedxml) refuses it, we say why."""
    src = tmp_path / "base.xlsx"
    build_bad._plain_book(str(src))
    bomb = build_bad._billion_laughs('<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
                                     "<numFmts><numFmt numFmtId='164' formatCode='&lol9;'/></numFmts></styleSheet>")
    dst = tmp_path / "styles_bomb.xlsx"
    build_bad._rewrite(str(src), str(dst), {"xl/styles.xml": bomb})
    rep = engine.check(str(dst))
    assert rep.read_error is not None and "XML 炸弹" in rep.read_error.message("zh")


def test_zip_caps_are_read_from_the_central_directory_before_inflating(bad, monkeypatch):
    """The fake bomb claims 3 GB but holds 1 KB: it is refused from the directory alone."""
    calls = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, *a, **k: calls.append(a[0]) or real_open(self, *a, **k))
    with pytest.raises(AnnexInputError):
        open_book(str(_path(bad, "fake_zip_bomb.xlsx")))
    assert "xl/media/blob.bin" not in [getattr(c, "filename", c) for c in calls]


# ---------------------------------------------------------------------------------------- readable

@pytest.mark.parametrize("name", READABLE)
def test_odd_but_readable_files_are_checked_without_internal_errors(bad, name):
    path = _path(bad, name)
    before = sha(path)
    t = time.perf_counter()
    rep = engine.check(str(path))
    assert time.perf_counter() - t < 15
    assert rep.read_error is None, rep.read_error and rep.read_error.message("zh")
    assert not [f for f in rep.findings if f.rule == "RD11"], [f.message("zh") for f in rep.findings if f.rule == "RD11"]
    assert sha(path) == before
    res = CliRunner().invoke(main, ["check", str(path)])
    assert res.exit_code == rep.exit_code and "Traceback" not in res.output
    # NB: issue 13 §7: none of these small files holds an annex: nothing checked (RD17), exit 2
    errors = {f.rule for f in rep.findings if f.severity == "error"}
    assert errors == READABLE_ERRORS.get(name, {"RD17"}) and res.exit_code == 2, (errors, res.exit_code)


@pytest.mark.parametrize("name", ["empty_workbook.xlsx", "no_annex.xlsx"])
def test_workbook_without_annexes_is_one_finding_and_exit_2(bad, name):
    rep = engine.check(str(_path(bad, name)))
    assert rep.read_error is None
    assert [f.rule for f in rep.findings] == ["RD17"] and rep.exit_code == 2
    assert name in rep.findings[0].message("zh")


def test_dimension_claim_costs_nothing_and_used_range_is_real(bad):
    book = open_book(str(_path(bad, "dimension_million.xlsx")))
    sheet = book.sheets[0]
    assert (sheet.max_row, sheet.max_col) == (1, 2)
    assert sheet.value(1, 1) == "服务片区" and sheet.value(1, 2) == 6


def test_far_styled_empty_cell_does_not_stretch_the_used_range(bad):
    sheet = open_book(str(_path(bad, "far_styled_cell.xlsx"))).sheets[0]
    assert (sheet.max_row, sheet.max_col) == (1, 1)


def test_million_character_cell_is_read_in_bounded_time(bad):
    t = time.perf_counter()
    book = open_book(str(_path(bad, "huge_text.xlsx")))
    rep = engine.check(str(_path(bad, "huge_text.xlsx")))
    assert time.perf_counter() - t < 10
    assert len(book.sheets[0].value(2, 1)) == 1_000_000
    assert rep.read_error is None
    assert all(len(f.message("zh")) < 2000 for f in rep.findings)


def test_errors_external_links_and_dates_all_load(bad):
    import datetime as dt
    book = open_book(str(_path(bad, "errors_links_dates.xlsx")))
    s = book.sheet("附件1-1")
    assert s.value(2, 4) == "#DIV/0!" and s.formula(2, 4) == "=C2/B2"
    assert s.value(3, 4) == "#REF!"
    assert s.value(2, 5) == 42 and s.value(3, 5) is None   # an empty text result reads as blank, as in openpyxl
    assert s.value(2, 6) == dt.datetime(2024, 5, 1)          # a date-formatted number: a date
    assert s.value(3, 6) == 45413 and isinstance(s.value(3, 6), int)   # a serial without a date format
    assert s.value(2, 7) == "2024年5月1日" and s.value(3, 7) == "2024/05/01"
    assert s.value(2, 8) is True and s.value(3, 8) == "有"
    assert s.value(4, 1) == "片区3（新增）" and s.value(4, 2) == "  前后空格  "
    assert book.external_refs == [("附件1-1", "E2", "=[1]Sheet1!A1"), ("附件1-1", "E3", "='[2]附件1-1'!B3*2")]
    rep = engine.check(str(_path(bad, "errors_links_dates.xlsx")))
    rd08 = sorted(f.key() for f in rep.findings if f.rule == "RD08")
    assert rd08 == [("附件1-1", "E2", "RD08"), ("附件1-1", "E3", "RD08")]
    assert "[1]Sheet1!A1" in next(f for f in rep.findings if f.rule == "RD08").message("zh")


def _openpyxl_values(path):
    import openpyxl
    wv = openpyxl.load_workbook(path, data_only=True)
    return {ws.title: {k: c.value for k, c in ws._cells.items() if c.value is not None} for ws in wv.worksheets}


@pytest.mark.parametrize("which", ["errors_links_dates.xlsx", "merged_across_header.xlsx", "dimension_million.xlsx",
                                   "huge_text.xlsx", "sample"])
def test_cached_values_are_exactly_what_openpyxl_data_only_gives(bad, which):
    path = SAMPLE if which == "sample" else _path(bad, which)
    want = _openpyxl_values(str(path))
    book = open_book(str(path))
    for s in book.sheets:
        got = s.cached
        assert set(got) == set(want[s.name]), s.name
        for k, v in want[s.name].items():
            assert got[k] == v and type(got[k]) is type(v), (s.name, k, v, got[k])


def test_merged_header_is_read_through_its_anchor(bad):
    s = open_book(str(_path(bad, "merged_across_header.xlsx"))).sheet("附件1-1")
    assert s.top_left(2, 4) == (1, 2) and s.text(2, 4) == "困难群众和特殊群体建档"
    assert s.formula(3, 4) == "=C3/B3"


def test_legacy_xls_is_read_values_only_with_a_note(bad, monkeypatch):
    from annexproc import convert
    monkeypatch.setattr(convert, "soffice", lambda: None)   # NB: with LibreOffice: tests/test_formats.py
    path = _path(bad, "legacy.xls")
    assert safety.sniff(str(path)) == "ole"
    book = open_book(str(path))
    assert book.kind == "xls" and book.converted
    s = book.sheet("附件2")
    assert s.value(3, 2) == "林晓雨" and s.value(4, 4) == 7.5 and s.value(3, 4) == 8
    assert s.top_left(1, 3) == (1, 1), "merges are carried"
    (zh, en), = book.notes
    assert "旧版 .xls 已转换读取，批注副本将另存为 .xlsx" in zh and ".xlsx" in en
    rep = engine.check(str(path))
    rd09 = [f for f in rep.findings if f.rule == "RD09"]
    assert rd09 and "旧版 .xls 已转换读取" in rd09[0].message("zh") and "legacy .xls" in rd09[0].message("en")


def test_xls_text_that_looks_like_a_formula_stays_text(bad):
    s = open_book(str(_path(bad, "legacy.xls"))).sheet("附件2")
    assert s.value(3, 5) == "=1+1" and s.formula(3, 5) is None
    assert s.ws["E3"].data_type == "s", "never written back as a formula"


def test_xlsm_keeps_its_macros_byte_for_byte(bad, tmp_path):
    path = _path(bad, "macros.xlsm")
    book = open_book(str(path))
    assert book.kind == "xlsm" and book.keep_vba and book.wb.vba_archive is not None
    out = tmp_path / "copy.xlsm"
    with safety.atomic_write(out) as tmp:
        book.wb.save(tmp)
    with zipfile.ZipFile(path) as a, zipfile.ZipFile(out) as b:
        assert b.read("xl/vbaProject.bin") == a.read("xl/vbaProject.bin")


def test_xlsm_annotated_copy_keeps_macros(bad, tmp_path):
    path = _path(bad, "macros.xlsm")
    out = tmp_path / "checked.xlsm"
    res = CliRunner().invoke(main, ["check", str(path), "-o", str(out)])
    assert res.exit_code == 2 and "RD17" in res.output, res.output   # NB: the fixture holds no annex
    with zipfile.ZipFile(path) as a, zipfile.ZipFile(out) as b:
        assert b.read("xl/vbaProject.bin") == a.read("xl/vbaProject.bin")


# ---------------------------------------------------------------------------------------- nothing lost

def test_atomic_write_moves_a_complete_file_into_place(tmp_path):
    target = tmp_path / "out.csv"
    with safety.atomic_write(target, "w", encoding="utf-8") as fh:
        fh.write("a,b\n")
        assert not target.exists(), "nothing at the target until the write is complete"
    assert target.read_text(encoding="utf-8") == "a,b\n"
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    with safety.atomic_write(target) as tmp:
        assert os.path.dirname(tmp) == str(tmp_path) and tmp.endswith(".csv")
        Path(tmp).write_text("new")
    assert target.read_text() == "new"
    assert os.listdir(tmp_path) == ["out.csv"]


def _umask():
    m = os.umask(0)
    os.umask(m)
    return m


@pytest.mark.parametrize("exc", [RuntimeError("writer crashed"), KeyboardInterrupt()])
@pytest.mark.parametrize("mode", [None, "wb"])
def test_atomic_write_leaves_nothing_half_written(tmp_path, exc, mode):
    target = tmp_path / "checked.xlsx"
    target.write_bytes(b"the previous complete output")
    with pytest.raises(type(exc)):
        with safety.atomic_write(target, mode) as out:
            if mode is None:
                Path(out).write_bytes(b"half")
            else:
                out.write(b"half")
            raise exc
    assert target.read_bytes() == b"the previous complete output"
    assert os.listdir(tmp_path) == ["checked.xlsx"], "the temporary file is removed"


def test_inert_text_never_becomes_a_formula():
    assert [safety.inert_text(v) for v in ("=1+1", "+86 138", "-5", "@SUM(A1)", "林晓雨", 3)] == \
        ["'=1+1", "'+86 138", "'-5", "'@SUM(A1)", "林晓雨", 3]


COMMANDS = {
    "check": lambda inp, out: ["check", inp],
    "check -o": lambda inp, out: ["check", inp, "-o", str(out / "checked.xlsx")],
    "check --format json": lambda inp, out: ["check", inp, "--format", "json"],
    "recompute": lambda inp, out: ["recompute", inp, "-o", str(out / "recomputed.xlsx")],
    "recompute --restore-formulas": lambda inp, out: ["recompute", inp, "-o", str(out / "restored.xlsx"),
                                                      "--restore-formulas"],
    "batch": lambda inp, out: ["batch", inp, "-o", str(out / "batch")],
}
@pytest.mark.parametrize("command", list(COMMANDS))
def test_input_bytes_never_change(tmp_path, command):
    inp = tmp_path / "in" / "sample.xlsx"
    inp.parent.mkdir()
    shutil.copyfile(SAMPLE, inp)
    os.chmod(inp, 0o444)   # NB: a writer that tried to open it for writing would fail loudly
    before, mtime = sha(inp), inp.stat().st_mtime_ns
    res = CliRunner().invoke(main, COMMANDS[command](str(inp), tmp_path))
    assert res.exit_code == 0, res.output   # NB: the sample has no error, for every command
    assert sha(inp) == before and inp.stat().st_mtime_ns == mtime
    assert os.listdir(inp.parent) == ["sample.xlsx"], "nothing written beside the input"


def test_template_command_touches_no_input(tmp_path):
    """`template` reads no workbook: it only writes into its output folder."""
    res = CliRunner().invoke(main, ["template", "-o", str(tmp_path / "t")])
    assert res.exit_code == 0, res.output
    assert os.listdir(tmp_path) == ["t"]


def test_output_over_the_input_is_refused(tmp_path):
    inp = tmp_path / "sample.xlsx"
    shutil.copyfile(SAMPLE, inp)
    before = sha(inp)
    res = CliRunner().invoke(main, ["check", str(inp), "-o", str(inp), "--force"])
    assert res.exit_code == 2 and sha(inp) == before
