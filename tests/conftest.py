"""Shared fixtures: the sample workbook and where things are."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# NB: in tests a missing or unused placeholder, in our words or a rule's message, is an error (annexproc.words);
# set in the environment so that the commands tests run as subprocesses are strict too
os.environ.setdefault("ANNEXPROC_STRICT_WORDS", "1")
SAMPLE = ROOT / "samples" / "sample.xlsx"


@pytest.fixture
def sample(tmp_path) -> Path:
    """A private copy of the sample workbook (tests never touch the committed one)."""
    dst = tmp_path / "sample.xlsx"
    shutil.copyfile(SAMPLE, dst)
    return dst


@pytest.fixture
def checked_sample():
    """The sample's Report, with every derived cell the checkers define (249 of them)."""
    import annexproc
    report = annexproc.check(str(SAMPLE))
    assert report.derived, "the checkers gave no derived cell for the sample"
    return report


def has_soffice() -> bool:
    return shutil.which("soffice") is not None or shutil.which("libreoffice") is not None


def has_chromium() -> bool:
    return os.path.exists("/usr/bin/chromium")
