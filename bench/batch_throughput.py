"""Batch throughput: how long ``annexproc batch`` takes on N copies of the sample, with J processes.

``measure_batch(n_files, jobs)`` is called by ``bench/run.py``; run this file alone for a quick look::

    python bench/batch_throughput.py 200 1 2
"""
from __future__ import annotations

import contextlib
import io
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "sample.xlsx"


def measure_batch(n_files: int, jobs: int, *, source: str | os.PathLike | None = None) -> dict:
    """Copy the sample ``n_files`` times into a temp folder, run ``run_batch`` on it, and time it.

    Returns ``{"n_files", "jobs", "wall_s", "files_per_s", "peak_rss_children_mb", "exit_code",
    "annotated"}``. NB: ``peak_rss_children_mb`` is ``ru_maxrss`` of RUSAGE_CHILDREN: the largest
    resident set of any child this process has waited for so far, so it is the workers' peak only
    when measure_batch is the first thing to start children in this process (run each measurement
    in a fresh process for a clean figure). The parent's own memory is not in it.
    """
    from annexproc.batch import run_batch

    src = Path(source) if source else SAMPLE
    if not src.is_file():
        raise FileNotFoundError(f"{src} is missing: run `python samples/build_sample.py` first")
    work = Path(tempfile.mkdtemp(prefix="annexproc-bench-"))
    try:
        inbox, out = work / "inbox", work / "out"
        inbox.mkdir()
        for i in range(n_files):
            shutil.copyfile(src, inbox / f"station_{i:04d}{src.suffix}")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            code = run_batch([str(inbox)], str(out), jobs=jobs, quiet=True, fmt="json")
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        annotated = sum(1 for p in out.iterdir() if p.name.startswith("station_"))
        return {"n_files": n_files, "jobs": jobs, "wall_s": round(wall, 3),
                "files_per_s": round(n_files / wall, 2) if wall else None,
                "peak_rss_children_mb": round(max(after.ru_maxrss, before.ru_maxrss) / 1024, 1),  # Linux: KiB
                "cpu_children_s": round((after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime), 2),
                "exit_code": code, "annotated": annotated}
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":  # pragma: no cover
    import json
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    for j in [int(a) for a in sys.argv[2:]] or [1, 2]:
        print(json.dumps(measure_batch(n, j), ensure_ascii=False))
