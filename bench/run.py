"""The speed targets of issues 8 and 17, each measured against its baseline in one run. Not a test.

    python bench/run.py                 # everything (about 3 minutes on 2 cores), writes bench/results/latest.json
    python bench/run.py --quick         # fewer repeats, a 40-file batch: a look in ~40 s
    python bench/run.py --profile       # also print where the check's time goes (pyinstrument or cProfile)

Inputs are built from ``samples/sample.xlsx`` in a temp folder. Each pair is measured interleaved
(ours, baseline, ours, baseline …) after a warm-up, and the medians are compared, so a machine busy
with something else slows both sides alike. Wall-clock medians decide; CPU-time medians are shown
next to them. Targets:

  (a) ``annexproc check sample.xlsx --format json`` as a whole process ≤ 1.1 × a bare Python process
      that imports openpyxl and loads the same file (issue 17; issue 8 asked 1.3);
  (b) ``engine.check`` in process ≤ 0.5 × ``openpyxl.load_workbook`` of the same file, on the sample
      and on a copy LibreOffice saved (issue 17; issue 8 asked 1.2), and ≥ 5 × faster than pycel
      recomputing it (``ExcelCompiler``: evaluate every formula cell, then ``recalculate()`` —
      without the evaluate it has no cells to recalculate);
  (c) a batch of 200 workbooks on 2 processes ≥ 1.8 × the throughput of 1 process, and the peak
      memory at 200 workbooks within 1.15 × the peak at 50 (each batch in a fresh process).
Also reported: the modules the check path imports that it must not (pandas, xlsxwriter).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import gc
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLE = ROOT / "samples" / "sample.xlsx"
sys.path.insert(0, str(ROOT))

GOALS = {  # key: (label, "le"/"ge", goal); issue 17 tightened issue 8's 1.3, 1.2 and 1.7
    "process": ("check process / python+openpyxl load process", "le", 1.1),
    "inprocess": ("engine.check / openpyxl.load_workbook", "le", 0.5),
    "inprocess_lo": ("… the same, LibreOffice-saved copy", "le", 0.5),
    "pycel": ("pycel recompute / engine.check", "ge", 5.0),
    "batch_speedup": ("batch throughput 2 jobs / 1 job", "ge", 1.8),
    "batch_memory": ("batch peak memory, N files / N÷4 files", "le", 1.15),
}


# -- measuring ------------------------------------------------------------------------------------

def interleaved(fns: dict, repeats: int, warmup: int = 1) -> dict:
    """{name: {"wall": median s, "cpu": median s, "runs": [...]}} running the fns in turn each round."""
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    wall = {k: [] for k in fns}
    cpu = {k: [] for k in fns}
    for _ in range(repeats):
        for k, fn in fns.items():
            gc.collect()   # NB: one side's garbage must not be collected on the other's clock
            c0, t0 = _cpu(), time.perf_counter()
            fn()
            wall[k].append(time.perf_counter() - t0)
            cpu[k].append(_cpu() - c0)
    return {k: {"wall": statistics.median(wall[k]), "cpu": statistics.median(cpu[k]),
                "runs": [round(x, 4) for x in wall[k]]} for k in fns}


def _cpu() -> float:
    """CPU seconds of this process and of the children it has waited for."""
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def _run(cmd: list[str], ok=(0,), env=None) -> None:
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    if proc.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr[-1000:]}")


def annexproc_command() -> list[str]:
    """The installed console script next to this interpreter (not a pyenv shim), else ``-m``."""
    script = Path(sys.executable).parent / "annexproc"
    return [str(script)] if script.exists() else [sys.executable, "-m", "annexproc"]


def target_process(path: Path, repeats: int) -> dict:
    ours = annexproc_command() + ["check", str(path), "--format", "json"]
    base = [sys.executable, "-c", f"import openpyxl; openpyxl.load_workbook({str(path)!r})"]
    # NB: with PYTHONDONTWRITEBYTECODE (set on some machines) every process compiles annexproc's
    # sources again, ~0.1 s that a normal install pays once. Both sides get a bytecode cache in the
    # temp folder, filled by the warm-up round: this measures every run after the first.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(path.parent / "pycache")
    m = interleaved({"ours": lambda: _run(ours, env=env), "base": lambda: _run(base, env=env)},   # NB: the sample exits 0
                    repeats, warmup=2)
    return {"ours": m["ours"], "base": m["base"], "ours_cmd": " ".join(ours), "base_cmd": " ".join(base)}


def target_inprocess(path: Path, repeats: int) -> dict:
    import openpyxl

    from annexproc import engine

    def load():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            openpyxl.load_workbook(str(path))

    rep = engine.check(str(path))
    assert rep.readable, rep.read_error
    m = interleaved({"ours": lambda: engine.check(str(path)), "base": load}, repeats)
    return {"ours": m["ours"], "base": m["base"], "derived_cells": len(rep.derived),
            "findings": len(rep.findings)}


def libreoffice_copy(path: Path, work: Path) -> Path | None:
    """The sample saved by LibreOffice (heavier styles, shared strings, its own XML), or None without it."""
    from annexproc import convert
    if convert.soffice() is None:
        return None
    out = work / "sample.lo.xlsx"
    try:
        with convert.converted(str(path), "xlsx") as made:
            shutil.copyfile(made, out)
    except convert.ConversionFailed:
        return None
    return out


def target_pycel(path: Path, repeats: int, check_s: dict) -> dict | None:
    try:
        from pycel import ExcelCompiler
    except ImportError:
        return None
    import openpyxl
    wb = openpyxl.load_workbook(str(path))
    addrs = [f"'{ws.title}'!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if c.data_type == "f"]

    def pycel_recompute():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            xl = ExcelCompiler(filename=str(path))
            for a in addrs:
                xl.evaluate(a)
            xl.recalculate()

    from annexproc import engine
    m = interleaved({"pycel": pycel_recompute, "ours": lambda: engine.check(str(path))}, max(3, repeats // 3))
    return {"ours": m["ours"], "base": m["pycel"], "formula_cells": len(addrs)}


def _batch_in_fresh_process(n: int, jobs: int) -> dict:
    code = ("import json, resource, sys; sys.path.insert(0, sys.argv[1]); "
            "from batch_throughput import measure_batch; "
            "r = measure_batch(int(sys.argv[2]), int(sys.argv[3])); "
            "u = resource.getrusage(resource.RUSAGE_SELF); "
            "r['peak_rss_parent_mb'] = round(u.ru_maxrss / 1024, 1); "
            "r['cpu_parent_s'] = round(u.ru_utime + u.ru_stime, 2); "
            "print(json.dumps(r))")
    proc = subprocess.run([sys.executable, "-c", code, str(HERE), str(n), str(jobs)], capture_output=True,
                          text=True, cwd=ROOT, timeout=3600)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def target_batch(n_big: int, n_small: int) -> dict:
    if not (HERE / "batch_throughput.py").exists():
        return {"gap": "bench/batch_throughput.py (measure_batch) is missing"}
    try:
        import annexproc.batch  # noqa: F401
    except ImportError as exc:
        return {"gap": f"annexproc.batch is not importable: {exc}"}
    one = _batch_in_fresh_process(n_big, 1)
    two = _batch_in_fresh_process(n_big, 2)
    small = _batch_in_fresh_process(n_small, 2)

    def peak(r):
        return max(r["peak_rss_children_mb"], r["peak_rss_parent_mb"])
    return {"one": one, "two": two, "small": small,
            "speedup": two["files_per_s"] / one["files_per_s"],
            "memory": peak(two) / peak(small), "peak_small_mb": peak(small), "peak_big_mb": peak(two)}


def heavy_imports(path: Path) -> list[str]:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "annexproc", "check", str(path)],
                          capture_output=True, text=True, cwd=ROOT)
    mods = {line.rsplit("|", 1)[1].strip() for line in proc.stderr.splitlines()
            if line.startswith("import time:") and "|" in line}
    return sorted(m for m in mods if m.split(".")[0] in ("pandas", "xlsxwriter"))


def breakdown(path: Path, repeats: int) -> dict:
    """Where the check's time goes: reading the bytes, the one scan of the package, the rules — next to
    openpyxl's load of the same file (which a check no longer does; the writers do, from the bytes)."""
    import openpyxl

    from annexproc import engine, safety, source, workbook, xmlscan
    src = source.read(str(path))
    facts = safety.inspect_zip(src)

    def plain_load():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            openpyxl.load_workbook(str(path))

    def scan():
        xmlscan.scan_package(source.Source.of_bytes(str(path), src.data), facts)
    m = interleaved({"plain_load": plain_load, "read": lambda: source.read(str(path)), "scan": scan,
                     "open_book": lambda: workbook.open_book(str(path)), "check": lambda: engine.check(str(path))},
                    repeats)
    out = {k: round(v["cpu"], 4) for k, v in m.items()}
    out["rules"] = round(max(0.0, out["check"] - out["open_book"]), 4)
    out["families"] = families(path, repeats)
    return out


def families(path: Path, repeats: int) -> dict:
    """Median CPU seconds of each reader and of each module's rule functions on the sample (the book read once a round)."""
    from annexproc import checks, engine, fastload, workbook
    from annexproc.params import Params
    times: dict[str, list[float]] = {}
    for i in range(repeats + 1):
        with fastload.merges_unstyled():
            book = workbook.open_book(str(path))
        ctx = engine.Context(book=book, params=Params())
        steps = [(f"{name}.read", lambda name=name: engine.read(ctx, (name,))) for name in engine.READERS]
        steps += [(ck.module.replace("annexproc.", ""), lambda ck=ck: ck(ctx)) for ck in checks.plan()]
        spent: dict[str, float] = {}
        for key, step in steps:
            gc.collect()
            t = time.process_time()
            step()
            spent[key] = spent.get(key, 0.0) + time.process_time() - t
        if i:   # NB: round 0 is the warm-up
            for key, v in spent.items():
                times.setdefault(key, []).append(v)
    return {k: round(statistics.median(v), 4) for k, v in times.items()}


def profile(path: Path) -> None:
    from annexproc import engine
    engine.check(str(path))
    try:
        from pyinstrument import Profiler
    except ImportError:
        import cProfile
        import pstats
        pr = cProfile.Profile()
        pr.enable()
        for _ in range(20):
            engine.check(str(path))
        pr.disable()
        pstats.Stats(pr).sort_stats("cumulative").print_stats(30)
        return
    pr = Profiler(interval=0.0005)
    pr.start()
    for _ in range(20):
        engine.check(str(path))
    pr.stop()
    print(pr.output_text(unicode=True, color=False))


# -- reporting ------------------------------------------------------------------------------------

def row(key: str, ratio: float | None, ours: float | None, base: float | None, unit: str = "s", note: str = "") -> dict:
    label, how, goal = GOALS[key]
    met = None if ratio is None else (ratio <= goal if how == "le" else ratio >= goal)
    return {"key": key, "target": label, "goal": f"{'≤' if how == 'le' else '≥'} {goal}×", "ratio": _r(ratio),
            "ours": _r(ours), "baseline": _r(base), "unit": unit, "met": met, "note": note}


def _r(x, n=4):
    return None if x is None else round(x, n)


def table(rows: list[dict]) -> str:
    head = f"{'target':<48} {'ours':>10} {'baseline':>10} {'ratio':>8} {'goal':>8}  met"
    lines = [head, "-" * len(head)]
    for r in rows:
        fmt = (lambda v: "—" if v is None else (f"{v:.3f} s" if r["unit"] == "s" else f"{v:.1f} {r['unit']}"))
        ratio = "—" if r["ratio"] is None else f"{r['ratio']:.2f}×"
        met = {True: "yes", False: "NO", None: "gap"}[r["met"]]
        lines.append(f"{r['target']:<48} {fmt(r['ours']):>10} {fmt(r['baseline']):>10} {ratio:>8} {r['goal']:>8}  {met}"
                     + (f"   ({r['note']})" if r["note"] else ""))
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats and a 40-file batch")
    ap.add_argument("--repeats", type=int, default=None, help="rounds per pair (default 15, quick 5)")
    ap.add_argument("--batch", type=int, default=None, help="files in the big batch (default 200, quick 40)")
    ap.add_argument("--only", default="process,inprocess,pycel,batch",
                    help="comma-separated subset of process,inprocess,pycel,batch (default all)")
    ap.add_argument("--no-batch", action="store_true", help="skip the batch targets")
    ap.add_argument("--profile", action="store_true", help="print where the check's time goes")
    ap.add_argument("-o", "--out", default=str(HERE / "results" / "latest.json"))
    a = ap.parse_args(argv)
    only = {x.strip() for x in a.only.split(",") if x.strip()}
    if a.no_batch:
        only.discard("batch")
    repeats = a.repeats or (5 if a.quick else 15)
    n_big = a.batch or (40 if a.quick else 200)
    n_small = max(10, n_big // 4)
    if not SAMPLE.exists():
        raise SystemExit(f"{SAMPLE} is missing: run python samples/build_sample.py")

    work = Path(tempfile.mkdtemp(prefix="annexproc-bench-"))
    try:
        path = work / "sample.xlsx"
        shutil.copyfile(SAMPLE, path)
        t0 = time.perf_counter()
        load_before = os.getloadavg()
        res: dict = {}
        rows = []
        if "process" in only:
            print("(a) whole process …", file=sys.stderr)
            res["process"] = p = target_process(path, repeats)
            rows.append(row("process", p["ours"]["wall"] / p["base"]["wall"], p["ours"]["wall"], p["base"]["wall"],
                            note=f"cpu {p['ours']['cpu'] / p['base']['cpu']:.2f}×"))
        else:
            rows.append(row("process", None, None, None, note="skipped"))
        q = None
        if only & {"inprocess", "pycel"}:
            print("(b) in process …", file=sys.stderr)
            res["inprocess"] = q = target_inprocess(path, repeats * 2)
        if "inprocess" in only:
            rows.append(row("inprocess", q["ours"]["wall"] / q["base"]["wall"], q["ours"]["wall"], q["base"]["wall"],
                            note=f"cpu {q['ours']['cpu'] / q['base']['cpu']:.2f}×"))
            lo = libreoffice_copy(path, work)
            if lo is None:
                rows.append(row("inprocess_lo", None, None, None, note="LibreOffice not installed"))
            else:
                res["inprocess_lo"] = ql = target_inprocess(lo, repeats * 2)
                rows.append(row("inprocess_lo", ql["ours"]["wall"] / ql["base"]["wall"], ql["ours"]["wall"],
                                ql["base"]["wall"], note=f"cpu {ql['ours']['cpu'] / ql['base']['cpu']:.2f}×; "
                                                         f"{lo.stat().st_size // 1024} KB"))
        else:
            rows.append(row("inprocess", None, None, None, note="skipped"))
            rows.append(row("inprocess_lo", None, None, None, note="skipped"))
        pc = target_pycel(path, repeats, q["ours"]) if "pycel" in only else None
        res["pycel"] = pc
        if "pycel" not in only:
            rows.append(row("pycel", None, None, None, note="skipped"))
        elif pc is None:
            rows.append(row("pycel", None, q["ours"]["wall"], None, note="pycel not installed: pip install -e .[bench]"))
        else:
            rows.append(row("pycel", pc["base"]["wall"] / pc["ours"]["wall"], pc["ours"]["wall"], pc["base"]["wall"],
                            note=f"{pc['formula_cells']} formulas; cpu {pc['base']['cpu'] / pc['ours']['cpu']:.1f}×"))
        if "batch" not in only:
            res["batch"] = {"gap": "skipped"}
        else:
            print(f"(c) batch of {n_big} and {n_small} workbooks …", file=sys.stderr)
            try:
                res["batch"] = target_batch(n_big, n_small)
            except Exception as exc:  # NB: a broken batch must not hide the other targets
                res["batch"] = {"gap": f"{type(exc).__name__}: {str(exc)[-300:]}"}
        b = res["batch"]
        if "gap" in b:
            rows.append(row("batch_speedup", None, None, None, note=b["gap"]))
            rows.append(row("batch_memory", None, None, None, unit="MB", note=b["gap"]))
        else:
            rows.append(row("batch_speedup", b["speedup"], b["two"]["wall_s"], b["one"]["wall_s"],
                            note=f"{n_big} files: {b['two']['files_per_s']} vs {b['one']['files_per_s']} files/s; "
                                 f"parent cpu {b['two'].get('cpu_parent_s')} s"))
            rows.append(row("batch_memory", b["memory"], b["peak_big_mb"], b["peak_small_mb"], unit="MB",
                            note=f"max RSS of parent or a worker, {n_big} vs {n_small} files"))
        res["heavy_imports_on_check_path"] = heavy = heavy_imports(path)
        res["breakdown_cpu_s"] = bd = breakdown(path, repeats)
        load_after = os.getloadavg()
        doc = {"schema": 1, "when": _dt.datetime.now().isoformat(timespec="seconds"),
               "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                           "platform": platform.platform(), "openpyxl": _version("openpyxl"),
                           "pycel": _version("pycel"),
                           "loadavg_before": [round(x, 2) for x in load_before],
                           "loadavg_after": [round(x, 2) for x in load_after]},
               "input": "samples/sample.xlsx", "repeats": repeats, "rows": rows, "raw": res,
               "elapsed_s": round(time.perf_counter() - t0, 1)}
        print(table(rows))
        print(f"\ncheck path imports pandas/xlsxwriter: {', '.join(heavy) if heavy else 'none'}")
        print(f"where a check's CPU time goes ({bd['check'] * 1000:.1f} ms; openpyxl.load_workbook alone "
              f"{bd['plain_load'] * 1000:.1f} ms): reading the bytes {bd['read'] * 1000:.1f} ms, the package scan "
              f"{bd['scan'] * 1000:.1f} ms, rules {bd['rules'] * 1000:.1f} ms = "
              + " + ".join(f"{k} {v * 1000:.1f}" for k, v in bd["families"].items()))
        busy = max(load_before[0], load_after[0]) > 0.75 * (os.cpu_count() or 1)
        print(f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after on {os.cpu_count()} CPUs"
              + ("  — the machine was busy: wall-clock ratios (the 2-job batch above all) are pessimistic" if busy else ""))
        out = Path(a.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"\nwrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
        if a.profile:
            profile(path)
        return 0 if all(r["met"] for r in rows) and not heavy else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _version(dist: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version(dist)
    except PackageNotFoundError:
        return None


if __name__ == "__main__":
    sys.exit(main())
