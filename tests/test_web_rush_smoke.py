"""The web rush benchmark still runs (its numbers are not asserted: speed is measured, not tested)."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT


def test_web_rush_runs_and_writes_its_numbers(tmp_path):
    out = tmp_path / "web_rush.json"
    res = subprocess.run([sys.executable, str(ROOT / "bench" / "web_rush.py"), "--count", "3", "--rounds", "1",
                          "--repeats", "1", "-o", str(out)], capture_output=True, text=True, timeout=300)
    # NB: exit 1 means a goal was not met (three uploads on a busy machine say nothing); a crash is a traceback
    assert res.returncode in (0, 1) and "Traceback" not in res.stderr, res.stderr[-2000:]
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["pool"]["uploads_per_s"] > 0 and doc["in-process"]["uploads_per_s"] > 0
    assert doc["pool"]["processes"] >= 3      # NB: the server, the fork server and the workers
    assert "pool / in-process throughput" in res.stdout and "one upload on a warm server" in res.stdout
