"""Issue 17: the page's checks in worker processes — uploads at once each get their own findings, a full
queue answers 503 busy in both languages, and a worker that dies, hangs or raises costs only its file."""
from __future__ import annotations

import http.client
import json
import os
import socket
import threading
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from annexproc import engine
from annexproc.report import to_json_doc
from annexproc.web import app as webapp
from annexproc.web.app import create_app
from annexproc.web.pool import Checks

from web_workbooks import broken_sample

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "sample.xlsx"
CHECK_ITEM = webapp.check_item


def misbehave(item, lang, tmp, n, options=None):
    """check_item, except on a file named for a failure: runs in the worker (sent by reference).

    NB: only a file to check misbehaves; the entry saying it failed is written by the same function.
    """
    if item.path is None:
        return CHECK_ITEM(item, lang, tmp, n, options)
    if item.name.startswith("die"):
        os._exit(70)
    if item.name.startswith("hang"):
        time.sleep(60)
    if item.name.startswith("raise"):
        raise ValueError(f"a rule fell over in {item.path}")
    return CHECK_ITEM(item, lang, tmp, n, options)


def expected(path: Path) -> list:
    return to_json_doc([engine.check(str(path))], "zh")["files"][0]["findings"]


@pytest.fixture
def serve():
    """``serve(app)`` → its port: uvicorn on loopback in a thread, lifespan on (the pool starts and stops)."""
    import uvicorn
    running = []

    def start(app) -> int:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, access_log=False, log_level="warning"))
        th = threading.Thread(target=srv.run, daemon=True)
        th.start()
        running.append((srv, th))
        deadline = time.monotonic() + 30
        while not srv.started:
            assert time.monotonic() < deadline and th.is_alive(), "uvicorn did not start"
            time.sleep(0.05)
        return port

    yield start
    for srv, th in running:
        srv.should_exit = True
        th.join(15)


def upload(port: int, *files: tuple[str, bytes]) -> tuple[int, dict]:
    b = "annexproctest"
    body = f'--{b}\r\nContent-Disposition: form-data; name="lang"\r\n\r\nzh\r\n'.encode()
    for name, data in files:
        body += (f'--{b}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
                 f'Content-Type: application/octet-stream\r\n\r\n').encode("utf-8") + data + b"\r\n"
    body += f"--{b}--\r\n".encode()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("POST", "/api/check", body=body, headers={"Content-Type": f"multipart/form-data; boundary={b}"})
        r = conn.getresponse()
        return r.status, {**json.loads(r.read()), "_retry_after": r.getheader("Retry-After")}
    finally:
        conn.close()


def at_once(port: int, uploads: list[list[tuple[str, bytes]]]) -> list[tuple[int, dict]]:
    out: list = [None] * len(uploads)
    go = threading.Barrier(len(uploads))

    def one(i):
        go.wait()
        out[i] = upload(port, *uploads[i])

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(uploads))]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    return out


def test_uploads_at_once_each_get_their_own_findings(serve, tmp_path):
    broken = broken_sample(SAMPLE, tmp_path / "broken.xlsx")
    books = {"sample.xlsx": SAMPLE.read_bytes(), "broken.xlsx": broken.read_bytes()}
    want = {"sample.xlsx": expected(SAMPLE), "broken.xlsx": expected(broken)}
    assert want["sample.xlsx"] != want["broken.xlsx"]     # NB: else a mix-up could not show
    app = create_app(workers=2)
    port = serve(app)
    assert len(app.state.checks.pids()) == 2
    names = ["sample.xlsx", "broken.xlsx"] * 4
    answers = at_once(port, [[(name, books[name])] for name in names])
    for name, (status, doc) in zip(names, answers):
        assert status == 200
        [f] = doc["files"]
        assert f["name"] == name and f["findings"] == want[name]
        assert set(f["downloads"]) == {"annotated", "recomputed"}
    # NB: and one upload of both: the two workers share it, each file keeps its own entry, in order
    status, doc = upload(port, *books.items())
    assert status == 200 and [f["name"] for f in doc["files"]] == list(books)
    assert [f["findings"] for f in doc["files"]] == [want[n] for n in books] and doc["batch_download"]
    assert app.state.checks.pending == 0


def test_the_pool_gives_what_the_servers_own_threads_give(tmp_path):
    broken = broken_sample(SAMPLE, tmp_path / "broken.xlsx")
    files = [("files", ("broken.xlsx", broken.read_bytes(), "application/octet-stream"))]
    docs = []
    for workers in (0, 1):
        with TestClient(create_app(workers=workers)) as c:
            docs.append(c.post("/api/check", files=files, data={"lang": "en"}).json())
    for doc in docs:
        for f in doc["files"]:
            assert f.pop("downloads").keys() == {"annotated", "recomputed"}
    assert docs[0] == docs[1]


def test_a_full_queue_answers_busy_in_both_languages(serve):
    data = SAMPLE.read_bytes()
    app = create_app(workers=1, waiting=0)
    port = serve(app)
    assert app.state.checks.admit(1)          # NB: one file in the worker: the queue is full
    status, doc = upload(port, ("sample.xlsx", data))
    assert status == 503 and doc["error"] == "busy" and doc["_retry_after"] == "5"
    assert doc["message"] == {"zh": "服务器正忙（1 个文件正在检查或排队），请稍后再试。",
                              "en": "The server is busy (1 being checked or waiting); try again shortly."}
    app.state.checks.release(1)
    # NB: six at once against room for one: some are turned away, every one is answered, none half-done
    answers = at_once(port, [[("sample.xlsx", data)]] * 6)
    statuses = sorted(s for s, _ in answers)
    assert statuses[0] == 200 and statuses[-1] == 503 and set(statuses) == {200, 503}
    want = expected(SAMPLE)
    assert all(doc["files"][0]["findings"] == want for s, doc in answers if s == 200)
    assert app.state.checks.pending == 0
    assert upload(port, ("sample.xlsx", data))[0] == 200     # NB: and free again afterwards


def test_a_worker_that_dies_costs_only_its_file(serve, monkeypatch):
    monkeypatch.setattr(webapp, "check_item", misbehave)   # NB: sent to the worker by reference
    app = create_app(workers=2)
    port = serve(app)
    before = set(app.state.checks.pids())
    data = SAMPLE.read_bytes()
    status, doc = upload(port, ("a.xlsx", data), ("die.xlsx", data), ("b.xlsx", data))
    assert status == 200
    a, died, b = doc["files"]
    assert a["findings"] == b["findings"] == expected(SAMPLE) and a["name"] == "a.xlsx"
    assert died["name"] == "die.xlsx" and died["verdict"]["status"] == "unreadable" and died["downloads"] == {}
    assert died["read_error"] == "无法读取该文件：检查该文件的进程意外退出，没有得出结果；请重试，或用命令行 annexproc check 检查。"
    after = set(app.state.checks.pids())
    assert len(after) == 2 and len(after & before) == 1    # NB: the dead worker was replaced
    assert upload(port, ("c.xlsx", data))[1]["files"][0]["findings"] == expected(SAMPLE)


def test_a_worker_that_hangs_or_raises_costs_only_its_file(serve, monkeypatch):
    monkeypatch.setattr(webapp, "check_item", misbehave)
    app = create_app(workers=2, timeout=3)
    port = serve(app)
    data = SAMPLE.read_bytes()
    t0 = time.monotonic()
    status, doc = upload(port, ("hang.xlsx", data), ("raise.xlsx", data), ("ok.xlsx", data))
    assert status == 200 and time.monotonic() - t0 < 30
    hang, raised, ok = doc["files"]
    assert ok["findings"] == expected(SAMPLE)
    assert hang["read_error"] == "无法读取该文件：检查该文件超过 3 秒仍未完成，已停止。"
    assert raised["read_error"] == "无法读取该文件：检查该文件时出错：ValueError: a rule fell over in raise.xlsx"
    assert {hang["verdict"]["exit_code"], raised["verdict"]["exit_code"]} == {2}


def test_the_workers_stop_with_the_server():
    checks = Checks(workers=2, waiting=0)
    checks.start()
    pids = checks.pids()
    assert len(pids) == 2 and all(_alive(p) for p in pids)
    assert checks.capacity == 2 and checks.admit(2) and not checks.admit(1)
    checks.release(2)
    checks.close()
    assert not any(_alive(p) for p in pids) and checks.pids() == []


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
