"""The web page under a deadline rush (issue 17), each side measured in the same run. Not a test.

    python bench/web_rush.py                  # 30 uploads at once, 3 rounds a side; ~1 minute on 2 cores
    python bench/web_rush.py --count 4 --rounds 1 --repeats 2    # a look (the smoke test's call)
    python bench/web_rush.py --old-src DIR    # also a server from another checkout (e.g. before a change)

Each server is ``annexproc.web.app.create_app`` under uvicorn on loopback, in a process of its own:
``workers=N`` (the pool, as ``annexproc serve`` runs it) against ``workers=0`` (checks in the server's
own threads: the page as it ran before the pool). Measured:

  (a) the rush: ``--count`` uploads of samples/sample.xlsx sent at once (one connection each, bodies
      encoded beforehand, answers parsed after the clock stops); every answer must be 200 and give the
      findings ``engine.check`` gives. Throughput = uploads ÷ time from the first send to the last answer,
      median of ``--rounds`` (and the best round: on a machine shared with other work, others' load
      only ever slows a round down); peak memory = the largest sum of PSS over the server and its descendants
      (forked workers share pages: RSS would count them twice), sampled every 20 ms;
  (b) one upload on a warm server (sequential) against one ``python -m annexproc check sample -o out``
      process, interleaved, medians; and in process, ``check_item`` (what a worker does per file) against
      ``engine.check`` + ``write_annotated`` (what ``check -o`` does), and where ``check_item``'s time goes.
Goals: (a) ≥ 2× the throughput of the page before (same-run ratio; the issue's figure for it was 1.1/s);
(b) ≤ 1.2×.
"""
from __future__ import annotations

import argparse
import gc
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLE = ROOT / "samples" / "sample.xlsx"
sys.path.insert(0, str(ROOT))

SERVER = """
import sys, uvicorn
from annexproc.web.app import create_app
if __name__ == "__main__":
    kw = {} if sys.argv[2] == "old" else {"workers": int(sys.argv[2]), "waiting": int(sys.argv[3])}
    uvicorn.run(create_app(**kw), host="127.0.0.1", port=int(sys.argv[1]), access_log=False, log_level="warning")
"""


# -- a server in a process of its own --------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``create_app(workers=…)`` under uvicorn in a child process, from ``src`` (this checkout by default)."""

    def __init__(self, workers: int | str, tmp: Path, src: Path = ROOT, waiting: int = 64):
        self.port = _free_port()
        script = tmp / "server.py"
        script.write_text(SERVER, encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(src)}
        self.log = tmp / f"server-{self.port}.log"
        # NB: a session of its own, as a deployed server has: the kernel's autogroup scheduling shares CPU
        # between sessions, so a server in this one would share its CPU with the 30 clients below
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen([sys.executable, str(script), str(self.port), str(workers), str(waiting)],
                                         env=env, cwd=tmp, stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _ = request(self.port, "GET", "/api/health")
                if status == 200:
                    break
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start: {self.log.read_text()[-2000:]}")
            time.sleep(0.1)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def request(port: int, method: str, path: str, body: bytes | None = None, headers=None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def multipart(name: str, data: bytes, lang: str = "zh") -> tuple[bytes, dict]:
    """One upload as the page sends it: the field ``files`` and ``lang``."""
    b = "annexprocbench7f3a"
    body = (f'--{b}\r\nContent-Disposition: form-data; name="lang"\r\n\r\n{lang}\r\n'
            f'--{b}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
            f'Content-Type: application/octet-stream\r\n\r\n').encode() + data + f"\r\n--{b}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={b}", "Content-Length": str(len(body))}


# -- memory of a process tree -------------------------------------------------------------------

def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            kids.setdefault(ppid, []).append(int(d))
    return kids


def tree_cpu(pid: int) -> dict[int, float]:
    """{pid: CPU seconds so far} of ``pid`` and its descendants (utime + stime)."""
    kids, todo, out, tick = _children(), [pid], {}, os.sysconf("SC_CLK_TCK")
    while todo:
        p = todo.pop()
        todo.extend(kids.get(p, []))
        try:
            with open(f"/proc/{p}/stat") as fh:
                f = fh.read().rsplit(")", 1)[1].split()
            out[p] = (int(f[11]) + int(f[12])) / tick
        except (OSError, ValueError, IndexError):
            pass
    return out


def tree_pss_mb(pid: int) -> tuple[float, int]:
    """(sum of PSS in MB, processes) of ``pid`` and all its descendants."""
    kids, todo, total, n = _children(), [pid], 0, 0
    while todo:
        p = todo.pop()
        todo.extend(kids.get(p, []))
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                total += next(int(line.split()[1]) for line in fh if line.startswith("Pss:"))
                n += 1
        except (OSError, StopIteration):
            pass
    return total / 1024, n


class PeakMemory:
    """Samples ``tree_pss_mb(pid)`` every 20 ms while open; ``peak`` MB and the most processes seen."""

    def __init__(self, pid: int):
        self.pid, self.peak, self.procs = pid, 0.0, 0
        self._stop = threading.Event()
        self._th = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            mb, n = tree_pss_mb(self.pid)
            self.peak, self.procs = max(self.peak, mb), max(self.procs, n)
            self._stop.wait(0.02)

    def __enter__(self):
        self._th.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._th.join()


# -- (a) the rush -------------------------------------------------------------------------------

def expected_findings() -> list:
    from annexproc import engine
    from annexproc.report import to_json_doc
    return to_json_doc([engine.check(str(SAMPLE))], "zh")["files"][0]["findings"]


def rush(port: int, count: int, body: bytes, headers: dict) -> tuple[float, list[tuple[int, bytes]]]:
    """``count`` uploads sent at once → (seconds from the first send to the last answer, answers)."""
    answers: list = [None] * count
    ready = threading.Barrier(count + 1)

    def one(i):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        conn.connect()
        ready.wait()
        conn.request("POST", "/api/check", body=body, headers=headers)
        r = conn.getresponse()
        answers[i] = (r.status, r.read())
        conn.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for th in threads:
        th.start()
    ready.wait()
    t0 = time.perf_counter()
    for th in threads:
        th.join()
    return time.perf_counter() - t0, answers


def verify(answers, expected) -> list[str]:
    """What is wrong with the answers (empty: each is 200 and gives the sample's findings)."""
    wrong = []
    for i, (status, raw) in enumerate(answers):
        if status != 200:
            wrong.append(f"upload {i}: HTTP {status} {raw[:200]!r}")
            continue
        files = json.loads(raw)["files"]
        if len(files) != 1 or files[0]["findings"] != expected or set(files[0]["downloads"]) != {"annotated", "recomputed"}:
            wrong.append(f"upload {i}: not the sample's findings and two copies")
    return wrong


def measure_rush(servers: dict, count: int, rounds: int, body, headers, expected) -> dict:
    """The rush on each server in turn, ``rounds`` times (interleaved: a machine busy with something
    else slows every side alike) → {label: throughput, peak memory, CPU per upload}."""
    runs = {label: {"times": [], "peak": 0.0, "procs": 0} for label in servers}
    cpu0 = {}
    for label, server in servers.items():
        request(server.port, "POST", "/api/check", body, headers)     # NB: a warm server, as in use
        cpu0[label] = tree_cpu(server.proc.pid)
    for _ in range(rounds):
        for label, server in servers.items():
            with PeakMemory(server.proc.pid) as mem:
                wall, answers = rush(server.port, count, body, headers)
            wrong = verify(answers, expected)
            if wrong:
                raise SystemExit(f"{label}: {len(wrong)} of {count} answers wrong: " + "; ".join(wrong[:3]))
            r = runs[label]
            r["times"].append(wall)
            r["peak"], r["procs"] = max(r["peak"], mem.peak), max(r["procs"], mem.procs)
    out = {}
    for label, server in servers.items():
        pid, r, n = server.proc.pid, runs[label], count * rounds
        cpu1 = tree_cpu(pid)
        server_ms = 1000 * (cpu1.get(pid, 0) - cpu0[label].get(pid, 0)) / n
        others_ms = 1000 * sum(c - cpu0[label].get(p, 0) for p, c in cpu1.items() if p != pid) / n
        wall = statistics.median(r["times"])
        out[label] = {"wall_s": wall, "uploads_per_s": count / wall, "best_uploads_per_s": count / min(r["times"]),
                      "rounds": [round(t, 3) for t in r["times"]],
                      "peak_pss_mb": round(r["peak"], 1), "processes": r["procs"],
                      "cpu_ms_per_upload": {"server": round(server_ms, 1), "workers": round(others_ms, 1)},
                      # NB: below 2 on 2 cores while the pool had work: the machine gave it no more
                      "cores_used": round((server_ms + others_ms) * n / 1000 / sum(r["times"]), 2)}
    return out


# -- (b) one upload against one check -o ---------------------------------------------------------

def one_upload_vs_check_o(server: Server, body, headers, tmp: Path, repeats: int) -> dict:
    out = tmp / "out.xlsx"
    cmd = [sys.executable, "-m", "annexproc", "check", str(SAMPLE), "-o", str(out)]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=str(tmp / "pycache"))   # NB: as bench/run.py

    def check_o():
        out.unlink(missing_ok=True)
        subprocess.run(cmd, env=env, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)

    def upload():
        status, _ = request(server.port, "POST", "/api/check", body, headers)
        assert status == 200, status

    return interleaved({"upload": upload, "check_o": check_o}, repeats) | {
        "check_cmd": "python -m annexproc check samples/sample.xlsx -o out.xlsx"}


def interleaved(fns: dict, repeats: int) -> dict:
    """{name: median wall seconds}, the fns run in turn each round after one warm-up round."""
    for fn in fns.values():
        fn()
    runs = {k: [] for k in fns}
    for _ in range(repeats):
        for k, fn in fns.items():
            gc.collect()
            t0 = time.perf_counter()
            fn()
            runs[k].append(time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in runs.items()}


def in_process(tmp: Path, repeats: int) -> dict:
    """check_item (a worker's work per file) against engine.check + write_annotated (check -o's work)."""
    from annexproc import engine
    from annexproc.annotate import write_annotated
    from annexproc.web.app import Item, check_item
    path = tmp / "sample.xlsx"
    shutil.copy(SAMPLE, path)
    n = [0]

    def item():
        n[0] += 1
        check_item(Item("sample.xlsx", path=str(path)), "zh", str(tmp), n[0])

    def check_o():
        write_annotated(engine.check(str(path)), str(tmp / "o.xlsx"), lang="zh")

    m = interleaved({"check_item": item, "check_o": check_o}, repeats)
    return m | {"parts": where_time_goes(item, repeats)}


#: the parts of check_item: (module, function) timed by a wrapper (nested ones apart)
PARTS = {"check": ("annexproc.engine", "check"), "views zh+en": ("annexproc.web.app", "_views"),
         "annotated copy": ("annexproc.annotate", "write_annotated"),
         "recomputed copy": ("annexproc.recompute", "write_recomputed"),
         "words zh+en": ("annexproc.web.app", "_entry_words"), "to_dict": ("annexproc.report", "Report.to_dict")}


def where_time_goes(fn, repeats: int) -> dict:
    """Median ms of each part of ``fn`` (wall clock, by wrappers put on the functions for the run)."""
    import importlib
    spent = {k: [] for k in PARTS}
    saved = []
    for part, (mod, name) in PARTS.items():
        owner = importlib.import_module(mod)
        if "." in name:
            cls, name = name.split(".")
            owner = getattr(owner, cls)
        real = getattr(owner, name)

        def timed(*a, _real=real, _part=part, **kw):
            t0 = time.perf_counter()
            try:
                return _real(*a, **kw)
            finally:
                spent[_part][-1] += time.perf_counter() - t0
        saved.append((owner, name, real))
        setattr(owner, name, timed)
    totals = []
    try:
        for _ in range(repeats):
            for v in spent.values():
                v.append(0.0)
            t0 = time.perf_counter()
            fn()
            totals.append(time.perf_counter() - t0)
    finally:
        for owner, name, real in saved:
            setattr(owner, name, real)
    out = {k: round(1000 * statistics.median(v), 1) for k, v in spent.items()}
    out["whole"] = round(1000 * statistics.median(totals), 1)
    return out


# -- the table ----------------------------------------------------------------------------------

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=30, help="uploads sent at once (default 30)")
    ap.add_argument("--rounds", type=int, default=3, help="rushes a side; the median counts (default 3)")
    ap.add_argument("--repeats", type=int, default=9, help="rounds of (b) (default 9)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="the pool's processes (default: cores)")
    ap.add_argument("--old-src", type=Path, help="also a server from this checkout, run as it runs by default")
    ap.add_argument("-o", "--out", default=str(HERE / "results" / "web_rush.json"))
    args = ap.parse_args(argv)

    body, headers = multipart("sample.xlsx", SAMPLE.read_bytes())
    expected = expected_findings()
    res: dict = {"count": args.count, "workers": args.workers, "cpus": os.cpu_count(), "load_before": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="annexproc-rush-") as t:
        tmp = Path(t)
        sides = {"pool": (args.workers, ROOT), "in-process": (0, ROOT)}
        if args.old_src:
            sides["old"] = ("old", args.old_src.resolve())
        servers = {}
        try:
            for label, (workers, src) in sides.items():
                servers[label] = Server(workers, tmp, src, waiting=max(64, args.count))
            res.update(measure_rush(servers, args.count, args.rounds, body, headers, expected))
            res["one_upload"] = one_upload_vs_check_o(servers["pool"], body, headers, tmp, args.repeats)
        finally:
            for server in servers.values():
                server.stop()
        res["in_process"] = in_process(tmp, args.repeats)

    pool, base = res["pool"], res["in-process"]
    speedup = pool["uploads_per_s"] / base["uploads_per_s"]
    best = pool["best_uploads_per_s"] / base["best_uploads_per_s"]
    one = res["one_upload"]
    ratio = one["upload"] / one["check_o"]
    ip = res["in_process"]
    res["ratios"] = {"rush_speedup": speedup, "rush_speedup_best": best, "upload_vs_check_o": ratio,
                     "check_item_vs_check_o_inprocess": ip["check_item"] / ip["check_o"]}
    res["load_after"] = os.getloadavg()
    print(f"rush: {args.count} uploads of samples/sample.xlsx at once, loopback, {args.rounds} rounds a side, "
          f"interleaved (median); load average {res['load_before'][0]:.2f} before, {res['load_after'][0]:.2f} after "
          f"on {os.cpu_count()} cores")
    for label in sides:
        r = res[label]
        print(f"  {label:<11} {r['uploads_per_s']:6.2f} uploads/s, best {r['best_uploads_per_s']:.2f}  "
              f"({r['wall_s']:.2f} s; rounds {r['rounds']})  "
              f"peak PSS {r['peak_pss_mb']:.1f} MB over {r['processes']} processes; CPU a upload: "
              f"server {r['cpu_ms_per_upload']['server']:.0f} ms + workers {r['cpu_ms_per_upload']['workers']:.0f} ms; "
              f"cores used {r['cores_used']:.2f}")
    print(f"  pool / in-process throughput {speedup:.2f}× median, {best:.2f}× best round  (goal ≥ 2×; the issue's "
          f"'today' was 1.1/s: {pool['uploads_per_s'] / 1.1:.2f}× that)")
    print(f"one upload on a warm server {one['upload']:.3f} s / one `{one['check_cmd']}` process "
          f"{one['check_o']:.3f} s = {ratio:.2f}×  (goal ≤ 1.2×)")
    print(f"in process: check_item {ip['check_item'] * 1000:.0f} ms / engine.check + write_annotated "
          f"{ip['check_o'] * 1000:.0f} ms = {ip['check_item'] / ip['check_o']:.2f}×")
    print("  where check_item's time goes (median ms): " + ", ".join(f"{k} {v}" for k, v in ip["parts"].items()))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(res, indent=1), encoding="utf-8")
    return 0 if speedup >= 2 and ratio <= 1.2 else 1


if __name__ == "__main__":
    sys.exit(main())
