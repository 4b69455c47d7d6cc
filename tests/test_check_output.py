"""`check -o`: the existing-output guard looks at the file that will be written, not the name typed."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from click.testing import CliRunner

from annexproc.cli import main

MACROS = Path(__file__).resolve().parent / "fixtures" / "bad" / "macros.xlsm"


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_an_xls_name_is_guarded_as_the_xlsx_written(sample, tmp_path):
    written = tmp_path / "checked.xlsx"
    written.write_bytes(b"an earlier copy")
    res = CliRunner().invoke(main, ["check", str(sample), "-o", str(tmp_path / "checked.xls")])
    assert res.exit_code == 2 and "checked.xlsx" in res.output, res.output
    assert written.read_bytes() == b"an earlier copy", "the existing output is not overwritten"
    res = CliRunner().invoke(main, ["check", str(sample), "-o", str(tmp_path / "checked.xls"), "--force"])
    assert res.exit_code == 0, res.output   # NB: the sample has no error
    assert written.read_bytes()[:2] == b"PK" and not (tmp_path / "checked.xls").exists()


def test_an_xls_name_that_is_written_over_the_input_is_refused(sample):
    before = _sha(sample)
    res = CliRunner().invoke(main, ["check", str(sample), "-o", str(sample.with_suffix(".xls")), "--force"])
    assert res.exit_code == 2 and isinstance(res.exception, SystemExit), res.output   # a usage error, no traceback
    assert _sha(sample) == before


def test_xlsm_input_guarded_at_the_path_written(tmp_path):
    inp = tmp_path / "station.xlsm"
    shutil.copyfile(MACROS, inp)
    for name in ("copy.xlsx", "copy.xls"):
        (tmp_path / "copy.xlsx").write_bytes(b"an earlier copy")
        res = CliRunner().invoke(main, ["check", str(inp), "-o", str(tmp_path / name)])
        assert res.exit_code == 2, (name, res.output)
        assert (tmp_path / "copy.xlsx").read_bytes() == b"an earlier copy", name
