"""Regenerate the default blank templates in this folder from the spec.

Run: python workbook_templates/build.py      (tests/test_template.py fails when these are stale)
"""
from __future__ import annotations

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from annexproc.params import Params  # noqa: E402
from annexproc.template import write_template  # noqa: E402

#: The defaults kept here: 3 districts, a mid-term period (8 months) and a full agreement year (12).
DEFAULTS = [Params(start="2024-05", months=8, agreed_headcount=20),
            Params(start="2024-05", months=12, agreed_headcount=20)]


def main(outdir: str = HERE) -> list[str]:
    return [write_template(p, outdir) for p in DEFAULTS]


if __name__ == "__main__":
    for path in main(sys.argv[1] if len(sys.argv) > 1 else HERE):
        print(path)
