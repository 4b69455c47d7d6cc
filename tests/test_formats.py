"""Issue 13 §6–§7: .xls and .ods are read with what they really hold; a big sheet that is not an annex
does not stop the check; a workbook without any annex exits 2.

With LibreOffice, the corpus's .xls/.ods (tests/foreign/files, saved by LibreOffice from the same
workbooks as their .lo.xlsx twins) must give exactly their twins' findings and figures. Without it
(the lookup monkeypatched to find nothing) they are read values-only by python-calamine: the rules on
formulas and comments say nothing, one note says so, and .ods merges come from content.xml.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

import annexproc
from annexproc import convert, readnotes, safety
from annexproc.cli import main
from annexproc.workbook import open_book

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "fixtures"))
import build_formats  # noqa: E402
FILES = HERE / "foreign" / "files"
SAMPLE = HERE.parent / "samples" / "sample.xlsx"
FOREIGN = [f"{stem}.{ext}" for stem in ("seed_layout", "check_counted") for ext in ("xls", "ods")]
#: Rules that read cell comments: a values-only reading has none, so they cannot be said.
COMMENT_RULES = {"A114", "A116", "A117", "A118", "A119", "A120", "A121", "A122", "A227", "A228", "A229"}


def twin(name: str) -> Path:
    return FILES / (name.rsplit(".", 1)[0] + ".lo.xlsx")


def keys(rep) -> Counter:
    """(rule, sheet, cell) of every finding but the reader's own note."""
    return Counter(f.key() for f in rep.findings if f.rule != "RD09")


@pytest.fixture
def no_libreoffice(monkeypatch):
    monkeypatch.setattr(convert, "soffice", lambda: None)


def _sha(p: Path) -> str:
    import hashlib
    return hashlib.sha256(p.read_bytes()).hexdigest()


# ------------------------------------------------------------------------------ with LibreOffice

@pytest.mark.libreoffice
@pytest.mark.parametrize("name", FOREIGN)
def test_through_libreoffice_the_findings_and_figures_are_the_xlsx_twins(name):
    if convert.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    before = _sha(FILES / name)
    rep, base = annexproc.check(str(FILES / name)), annexproc.check(str(twin(name)))
    assert rep.read_error is None, rep.read_error.message("en")
    assert keys(rep) == keys(base)
    assert rep.figures == base.figures
    notes = [f for f in rep.findings if f.rule == "RD09"]
    assert len(notes) == 1 and "LibreOffice" in notes[0].message("en") and ".xlsx" in notes[0].message("zh")
    book = rep.book
    assert book.kind == name.rsplit(".", 1)[1] and not book.values_only and book.converted
    s = book.sheet("附件1-1")
    assert s.formula(12, 23) == '=IF(U12="/","/",V12/U12)' and s.value(12, 23) == "/"
    assert sum(1 for c in s.ws._cells.values() if c.comment) > 0, "comments are kept"
    assert _sha(FILES / name) == before


@pytest.mark.libreoffice
def test_conversion_leaves_nothing_behind_and_never_touches_the_input(tmp_path, monkeypatch):
    if convert.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)
    src = tmp_path / "in" / "-odd name.ods"     # NB: a leading '-' must never reach soffice's command line
    src.parent.mkdir()
    shutil.copyfile(FILES / "seed_layout.ods", src)
    book = open_book(str(src))
    assert book.path == str(src) and not book.values_only
    assert sorted(p.name for p in src.parent.iterdir()) == [src.name], "no lock file beside the input"
    assert list((tmp_path / "tmp").iterdir()) == [], "the private folder is removed"


@pytest.mark.libreoffice
def test_a_conversion_that_times_out_falls_back_to_values(monkeypatch):
    if convert.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    monkeypatch.setattr(convert, "TIMEOUT", 0.01)
    real = convert.converted
    monkeypatch.setattr(convert, "converted", lambda p, k: real(p, k, timeout=0.01))
    book = open_book(str(FILES / "seed_layout.xls"))
    assert book.values_only
    (zh, en), = book.notes
    assert "LibreOffice 转换失败" in zh and "longer than" in en


def test_a_plain_xlsx_never_starts_libreoffice(monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("LibreOffice was started for an .xlsx")
    monkeypatch.setattr(convert, "converted", refuse)
    monkeypatch.setattr(subprocess, "Popen", refuse)
    assert annexproc.check(str(SAMPLE)).read_error is None


# ------------------------------------------------------------------------------ without LibreOffice

@pytest.mark.parametrize("name", FOREIGN)
def test_without_libreoffice_values_only_and_the_formula_rules_silent(name, no_libreoffice):
    rep, base = annexproc.check(str(FILES / name)), annexproc.check(str(twin(name)))
    assert rep.read_error is None and rep.book.values_only
    notes = [f for f in rep.findings if f.rule == "RD09"]
    assert len(notes) == 1
    assert "LibreOffice" in notes[0].message("en") and "rules on formulas" in notes[0].message("en")
    assert "批注内容的规则没有运行" in notes[0].message("zh")
    silent = readnotes.FORMULA_RULES | set(readnotes.AS_VALUE)
    assert not {f.rule for f in rep.findings} & silent
    # NB: what the .xlsx twin says of values is said here too; what it says of formulas or comments is not
    # (a wrong typed value, A105/A203, is said as the value rule A101/A201)
    want = Counter(f.key() if f.rule not in readnotes.AS_VALUE else (f.sheet, f.cell, readnotes.AS_VALUE[f.rule])
                   for f in base.findings if f.rule not in readnotes.FORMULA_RULES | COMMENT_RULES)
    assert keys(rep) == want
    assert rep.figures == base.figures
    if name.startswith("seed_layout"):
        assert rep.errors == 0 and rep.warnings <= 8


def test_ods_merges_are_read_from_content_xml(no_libreoffice):
    book = open_book(str(FILES / "seed_layout.ods"))
    lo = open_book(str(FILES / "seed_layout.lo.xlsx"))
    for name in ("附件1-1", "附件1-2", "附件2"):
        assert {str(r) for r in book.sheet(name).ws.merged_cells.ranges} == \
               {str(r) for r in lo.sheet(name).ws.merged_cells.ranges}, name
    assert book.sheet("附件2").text(19, 7) == book.sheet("附件2").text(18, 7)   # a merged 【分段计算】 label


def test_ods_written_by_openpyxl_free_writer_with_repeats(tmp_path, no_libreoffice):
    """A hand-made .ods: repeated rows and columns before a merge still place it right."""
    content = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 office:version="1.2"><office:body><office:spreadsheet><table:table table:name="数据">
<table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="4"/></table:table-row>
<table:table-row><table:table-cell table:number-columns-repeated="2"/>
<table:table-cell table:number-columns-spanned="3" table:number-rows-spanned="2" office:value-type="string"><text:p>合并</text:p></table:table-cell>
<table:covered-table-cell table:number-columns-repeated="2"/></table:table-row>
<table:table-row><table:table-cell table:number-columns-repeated="2"/><table:covered-table-cell table:number-columns-repeated="3"/></table:table-row>
<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"""
    content = content.replace(">\n<", "><")   # NB: calamine wants no whitespace between cells
    path = tmp_path / "hand.ods"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content)
        zf.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.'
                    'opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
                    'manifest:media-type="text/xml"/></manifest:manifest>')
    from annexproc.odsmerges import merged_ranges
    assert merged_ranges(str(path)) == {"数据": [((3, 2), (4, 4))]}
    s = open_book(str(path)).sheet("数据")
    assert s.value(4, 3) == "合并"
    assert [str(r) for r in s.ws.merged_cells.ranges] == ["C4:E5"]


def test_xls_formula_text_result_is_not_read_as_zero(no_libreoffice):
    """The seed's '/' percentages (IF(U12="/","/",V12/U12)) must not become 0.00% errors (A102/A108)."""
    rep = annexproc.check(str(FILES / "seed_layout.xls"))
    assert not [f.key() for f in rep.findings if f.rule in ("A102", "A108")]
    # NB: LibreOffice's .xls stores these text results as the number 0 (biff.py): exactly those cells
    assert rep.book.uncertain == {("附件1-1", f"{c}{r}") for c in "WZ" for r in (12, 13, 14, 15)} | {("附件1-2", "C13")}
    assert "9 formula cells store 0" in next(f for f in rep.findings if f.rule == "RD09").message("en")


# ------------------------------------------------------------------------------ size limits, no annex

def _with_raw_sheet(dst: Path, rows: int, cols: int = 3, first: bool = False) -> Path:
    """The sample plus a sheet “原始数据” of ``rows`` rows (xlsxwriter, constant memory)."""
    return build_formats.with_raw_sheet(dst, build_formats.raw_sheet_xml(rows, cols), first=first)


@pytest.fixture(scope="module")
def big_book(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("big") / "with_raw_data.xlsx"
    _with_raw_sheet(path, 300_000)
    return path


def test_big_raw_sheet_is_skipped_and_the_annexes_checked(big_book, tmp_path):
    import tracemalloc
    base = annexproc.check(str(SAMPLE))
    tracemalloc.start()
    t = time.perf_counter()
    rep = annexproc.check(str(big_book))
    spent = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert rep.read_error is None
    assert spent < 30 and peak < 200 * 1024 * 1024, (spent, peak)   # NB: openpyxl never parses the raw sheet
    skipped = [f for f in rep.findings if f.rule == "RD18"]
    assert [(f.sheet, f.severity) for f in skipped] == [("原始数据", "info")]
    assert "原始数据" in skipped[0].message("zh") and str(safety.MAX_ROWS) in skipped[0].message("en")
    assert Counter(f.key() for f in rep.findings if f.rule != "RD18") == Counter(f.key() for f in base.findings)
    assert rep.figures == base.figures and rep.exit_code == base.exit_code
    assert "原始数据" not in [s.name for s in rep.book.sheets]
    out = tmp_path / "checked.xlsx"
    res = CliRunner().invoke(main, ["check", str(big_book), "-o", str(out), "--force"])
    assert res.exit_code == base.exit_code, res.output
    import openpyxl
    wb = openpyxl.load_workbook(out, read_only=True)
    assert "原始数据" in wb.sheetnames and wb["附件2"].max_row > 10


def test_a_raw_sheet_before_the_annexes_spends_the_cell_budget_not_the_annexes(tmp_path):
    """95 000 rows × 11 columns: under the row cap, past the workbook's cell cap; the annexes come after it."""
    path = tmp_path / "raw_first.xlsx"
    _with_raw_sheet(path, 95_000, cols=11, first=True)
    rep, base = annexproc.check(str(path)), annexproc.check(str(SAMPLE))
    assert rep.read_error is None
    assert [(f.rule, f.sheet) for f in rep.findings if f.rule == "RD18"] == [("RD18", "原始数据")]
    assert Counter(f.key() for f in rep.findings if f.rule != "RD18") == Counter(f.key() for f in base.findings)


@pytest.mark.libreoffice
def test_values_only_ods_skips_its_big_raw_sheet_too(tmp_path, monkeypatch):
    """Read by python-calamine (no LibreOffice), an .ods's 100 001-row raw sheet is skipped the same way."""
    import lo_oracle
    if lo_oracle.soffice() is None:
        pytest.skip("LibreOffice (soffice) is needed to write the .ods")
    (tmp_path / "src").mkdir()
    xlsx = _with_raw_sheet(tmp_path / "src" / "raw_ods.xlsx", 100_001)
    ods, = lo_oracle.convert([xlsx], tmp_path / "ods", "ods")
    monkeypatch.setattr(convert, "soffice", lambda: None)
    rep, base = annexproc.check(str(ods)), annexproc.check(str(SAMPLE))
    assert rep.read_error is None and rep.book.values_only
    assert [(f.rule, f.sheet) for f in rep.findings if f.rule == "RD18"] == [("RD18", "原始数据")]
    assert rep.figures == base.figures


def test_an_annex_sheet_past_the_limits_still_refuses_the_file(tmp_path):
    """A sheet with an annex's name is bound by the limits: the file is refused, as issue 9 says."""
    path = tmp_path / "big_annex.xlsx"
    _with_raw_sheet(path, 120_000)
    renamed = tmp_path / "renamed.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(renamed, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            d = src.read(info)
            if info.filename == "xl/workbook.xml":
                d = d.replace('name="附件2"'.encode(), 'name="旧附件2"'.encode()).replace(
                    'name="原始数据"'.encode(), 'name="人员到岗情况"'.encode())
            out.writestr(info, d)
    rep = annexproc.check(str(renamed))
    assert rep.read_error is not None and rep.exit_code == 2
    assert "人员到岗情况" in rep.read_error.message("zh") and str(safety.MAX_ROWS) in rep.read_error.message("zh")


@pytest.mark.parametrize("rows", [[], [("购物清单", "数量"), ("苹果", 3)]], ids=["empty", "no_annex"])
def test_workbook_without_annexes_exits_2_naming_the_file(tmp_path, rows):
    import openpyxl
    path = tmp_path / "not_annexes.xlsx"
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    rep = annexproc.check(str(path))
    assert rep.exit_code == 2
    assert [f.rule for f in rep.findings] == ["RD17"]
    assert "not_annexes.xlsx" in rep.findings[0].message("zh") and "nothing could be checked" in rep.findings[0].message("en")
    res = CliRunner().invoke(main, ["check", str(path)])
    assert res.exit_code == 2 and "not_annexes.xlsx" in res.output and "Traceback" not in res.output
