"""The `annexproc check` path stays light: no pandas, no xlsxwriter, no python-docx or pypdf (issues 8, 15),
and no openpyxl (issue 17: the check reads with its own scanner).

Importing pandas alone costs about 0.4 s, several times the check itself; xlsxwriter is only for
writing templates; python-docx and pypdf only for `report` and `check --report`. Each case runs the real command in a fresh interpreter with ``-X importtime``
and reads which modules it imported.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "sample.xlsx"
HEAVY = ("pandas", "xlsxwriter", "docx", "pypdf")


def _imported(*args: str) -> tuple[set[str], subprocess.CompletedProcess]:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "annexproc", *args],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    mods = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":
                mods.add(name)
    assert mods, f"no -X importtime output: {proc.stderr[-500:]}"
    return mods, proc


def _heavy(mods: set[str]) -> set[str]:
    return {m for m in mods if m.split(".")[0] in HEAVY}


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_check_imports_neither_pandas_nor_xlsxwriter(fmt):
    assert SAMPLE.exists(), "run python samples/build_sample.py"
    mods, proc = _imported("check", str(SAMPLE), "--format", fmt)
    assert proc.returncode == 0, proc.stderr[-2000:]   # NB: the sample has no error
    assert "annexproc.engine" in mods and "annexproc.xmlscan" in mods     # NB: it did check the file
    assert not _heavy(mods), f"the check path imported {sorted(_heavy(mods))}"
    # NB: issue 17: a plain check reads the bytes with its own scanner; openpyxl is for the writers
    assert not {m for m in mods if m.split(".")[0] == "openpyxl"}, "a plain check imported openpyxl"
    if fmt == "json":
        doc = json.loads(proc.stdout)
        assert doc["schema"] == 1 and doc["files"][0]["read_error"] is None


def test_help_imports_no_workbook_library():
    mods, proc = _imported("--help")
    assert proc.returncode == 0
    assert not {m for m in mods if m.split(".")[0] in (*HEAVY, "openpyxl", "numpy")}


def test_the_probe_sees_a_heavy_import():
    """The probe itself works: writing a template does import xlsxwriter."""
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        mods, proc = _imported("template", "-o", d)
    assert proc.returncode == 0 and "xlsxwriter" in mods
