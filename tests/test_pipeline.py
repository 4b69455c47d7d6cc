"""One read of the bytes, one pipeline (issue 17): `check -o`, batch and the library go the same way."""
from __future__ import annotations

import builtins
import json
import os
import shutil
import zipfile
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from annexproc import engine, source
from annexproc.cli import main
from annexproc.pipeline import Options, process

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "sample.xlsx"


def _opens_of(path: Path, monkeypatch) -> list[str]:
    """Every way the input could be opened again, recorded: open(), zipfile on the path, os.stat aside."""
    seen: list[str] = []
    real_open, real_zip_init = builtins.open, zipfile.ZipFile.__init__
    target = os.path.realpath(path)

    def watch_open(file, *a, **kw):
        if isinstance(file, (str, os.PathLike)) and os.path.realpath(file) == target:
            seen.append(f"open {a[:1]}")
        return real_open(file, *a, **kw)

    def watch_zip(self, file, *a, **kw):
        if isinstance(file, (str, os.PathLike)) and os.path.realpath(file) == target:
            seen.append("zipfile")
        return real_zip_init(self, file, *a, **kw)
    monkeypatch.setattr(builtins, "open", watch_open)
    monkeypatch.setattr(zipfile.ZipFile, "__init__", watch_zip)
    return seen


def test_check_with_an_annotated_copy_opens_the_input_once(tmp_path, monkeypatch):
    inp = tmp_path / "station.xlsx"
    shutil.copyfile(SAMPLE, inp)
    seen = _opens_of(inp, monkeypatch)
    res = CliRunner().invoke(main, ["check", str(inp), "-o", str(tmp_path / "out.xlsx")])
    assert res.exit_code == 0, res.output
    assert seen == ["open ('rb',)"], "read once, for its bytes; sniffing, the scan and the copy work from them"
    assert "核查结果" in openpyxl.load_workbook(tmp_path / "out.xlsx").sheetnames


def test_the_hash_is_of_the_bytes_read():
    import hashlib
    src = source.read(str(SAMPLE))
    assert src.sha256 == hashlib.sha256(SAMPLE.read_bytes()).hexdigest() == engine.check(src).sha256


def test_a_source_in_memory_is_checked_as_the_file_is():
    """A zip member or an upload is checked from its bytes, never written to disk first."""
    a = engine.check(str(SAMPLE))
    b = engine.check(source.Source.of_bytes("内存中.xlsx", SAMPLE.read_bytes()))
    assert [f.key() for f in a.findings] == [f.key() for f in b.findings] and a.figures == b.figures
    assert b.path == "内存中.xlsx"


def test_process_applies_selection_regrading_and_params():
    full = process(str(SAMPLE)).report
    assert {f.rule for f in full.findings} >= {"A117", "A221"}
    only = process(str(SAMPLE), Options(select=("A117",), severity=(("A117", "error"),))).report
    assert {f.rule for f in only.findings} == {"A117"}
    assert {f.severity for f in only.findings} == {"error"}
    from annexproc.params import Params
    given = process(str(SAMPLE), Options(params=Params(agreed_headcount=18),
                                         params_given=frozenset({"agreed_headcount"}))).report
    assert given.figures["agreed_headcount"] == 18 and full.figures["agreed_headcount"] == 20


def test_batch_takes_the_same_selection_and_regrading(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copyfile(SAMPLE, inbox / "一站.xlsx")
    res = CliRunner().invoke(main, ["batch", str(inbox), "-o", str(tmp_path / "out"), "-q", "--format", "json",
                                    "--select", "A117", "--severity", "A117=error"])
    assert res.exit_code == 1, res.output      # NB: the re-graded warning is now an error
    doc = json.loads(res.stdout)
    found = [f for file in doc["files"] for f in file["findings"]]
    assert found and {(f["rule"], f["severity"]) for f in found} == {("A117", "error")}


def test_the_page_checks_with_the_servers_options_in_one_pass(monkeypatch):
    """`annexproc serve --select … --severity …`: every upload goes through process with those options,
    and one check serves the page and both copies."""
    from starlette.testclient import TestClient

    from annexproc import engine as eng
    from annexproc.web.app import create_app
    calls = []
    real = eng.check
    monkeypatch.setattr(eng, "check", lambda *a, **kw: calls.append(1) or real(*a, **kw))
    opts = Options(select=("A117",), severity=(("A117", "error"),))
    with TestClient(create_app(options=opts)) as c:
        res = c.post("/api/check", files=[("files", ("一站.xlsx", SAMPLE.read_bytes(),
                                                      "application/octet-stream"))], data={"lang": "zh"})
    assert res.status_code == 200, res.text
    doc = res.json()["files"][0]
    assert {(f["rule"], f["severity"]) for f in doc["findings"]} == {("A117", "error")}
    assert calls == [1]


def test_recompute_takes_the_agreements_parameters(tmp_path):
    """`recompute --headcount` goes through the same pipeline: the 稳岗率 is 18 stable ÷ the given 18."""
    out = {}
    for given in (None, "18"):
        path = tmp_path / f"r{given}.xlsx"
        res = CliRunner().invoke(main, ["recompute", str(SAMPLE), "-o", str(path)]
                                 + (["--headcount", given] if given else []))
        assert res.exit_code == 0, res.output
        out[given] = openpyxl.load_workbook(path, data_only=True)["附件2"]["G38"].value
    assert out[None] == 0.9 and out["18"] == 1
