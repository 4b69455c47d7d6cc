"""Where the page's checks run: worker processes (one per core, one file at a time each) or, with
``workers=0``, threads of the server itself; a bound on the files admitted, and a crash, a hang or an
exception costing only the file it happened on.

NB: one process of our own per worker, not a ProcessPoolExecutor: when one of its workers dies the
executor breaks for every file in flight, and it cannot kill a worker that hangs on one file.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import os
import queue
import signal
import threading
from concurrent.futures import ThreadPoolExecutor

from starlette.concurrency import run_in_threadpool

#: imported once by the fork server, so that each worker (and each one restarted) starts warm
PRELOAD = ["annexproc.web.warm"]


class WorkerFailed(Exception):
    """No result for one file: ``kind`` is 'died', 'timeout' or 'raised'; ``detail`` says what was raised."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(kind, detail)
        self.kind, self.detail = kind, detail


def from_env(name: str, default: int) -> int:
    """A count from the environment (``ANNEXPROC_WEB_WORKERS``, ``ANNEXPROC_WEB_WAITING``), else ``default``."""
    env = os.environ.get(name, "").strip()
    return int(env) if env.isdigit() else default


def _serve_calls(conn) -> None:
    """A worker's life: take (fn, args), send back ("ok", result) or ("raised", text), until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # NB: Ctrl-C is the server's to handle; it stops us
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            out = ("ok", fn(*args))
        except BaseException as exc:   # NB: the file fails, the worker lives on
            out = ("raised", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(out)
        except (EOFError, OSError):
            return
        except Exception as exc:   # NB: a result that cannot be pickled
            conn.send(("raised", f"{type(exc).__name__}: {exc}"))


class _Worker:
    """One worker process and the pipe to it; started again after it dies or is killed."""

    def __init__(self, ctx):
        self.ctx, self.proc, self.conn = ctx, None, None

    def start(self) -> None:
        parent, child = self.ctx.Pipe()
        self.proc = self.ctx.Process(target=_serve_calls, args=(child,), daemon=True, name="annexproc-check")
        self.proc.start()
        child.close()   # NB: ours closed, the pipe ends when the worker dies: recv raises instead of waiting
        self.conn = parent

    def call(self, fn, args: tuple, timeout: float):
        if self.proc is None or not self.proc.is_alive():
            self.stop()
            self.start()
        try:
            self.conn.send((fn, args))
            if not self.conn.poll(timeout):
                self.stop()
                raise WorkerFailed("timeout")
            kind, value = self.conn.recv()
        except (EOFError, OSError):
            self.stop()
            raise WorkerFailed("died") from None
        if kind == "raised":
            raise WorkerFailed("raised", value)
        return value

    def stop(self) -> None:
        if self.conn is not None:
            self.conn.close()
        if self.proc is not None:
            if self.proc.is_alive():
                self.proc.kill()
            self.proc.join(5)
        self.proc = self.conn = None


class Checks:
    """Runs the page's per-file work and bounds how many files are admitted at once.

    ``workers`` processes (0: the server's own threads, as the page ran before), ``waiting`` files
    queued beyond those being checked; ``timeout`` seconds a file may take in a worker.
    """

    def __init__(self, workers: int = 0, waiting: int = 64, timeout: float = 300.0):
        self.workers, self.waiting, self.timeout = workers, waiting, timeout
        self.capacity = max(1, workers) + waiting
        self.pending = 0
        self._lock = threading.Lock()
        self._free: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._all: list[_Worker] = []
        self._threads: ThreadPoolExecutor | None = None

    def start(self) -> None:
        """Start the worker processes now rather than at the first file (idempotent)."""
        with self._lock:
            if self.workers == 0 or self._threads is not None:
                return
            ctx = multiprocessing.get_context("forkserver")   # NB: not fork: the server has threads
            ctx.set_forkserver_preload(PRELOAD)
            self._all = [_Worker(ctx) for _ in range(self.workers)]
            for w in self._all:
                w.start()
                self._free.put(w)
            # NB: one thread per worker waits on its pipe; files beyond wait in the executor's queue
            self._threads = ThreadPoolExecutor(self.workers, thread_name_prefix="annexproc-check")

    def admit(self, n: int) -> bool:
        """Take ``n`` files in, or refuse: all or nothing. An idle server takes any one request
        (Limits.files bounds it), so a large upload is never refused for its size alone."""
        with self._lock:
            if self.pending and self.pending + n > self.capacity:
                return False
            self.pending += n
            return True

    def release(self, n: int) -> None:
        with self._lock:
            self.pending -= n

    async def run(self, fn, *args):
        """``fn(*args)`` in a worker (fn and args picklable) → its result; WorkerFailed if none."""
        if self.workers == 0:
            try:
                return await run_in_threadpool(fn, *args)
            except Exception as exc:
                raise WorkerFailed("raised", f"{type(exc).__name__}: {exc}") from exc
        self.start()
        return await asyncio.get_running_loop().run_in_executor(self._threads, self._call, fn, args)

    def _call(self, fn, args: tuple):
        free = self._free   # NB: the queue it came from: after close() a stopped worker must not join a new one
        w = free.get()
        try:
            return w.call(fn, args, self.timeout)
        finally:
            free.put(w)

    def pids(self) -> list[int]:
        return [w.proc.pid for w in self._all if w.proc is not None]

    def close(self) -> None:
        """Stop the workers (the files they hold fail); the object can start again later."""
        with self._lock:
            threads, self._threads = self._threads, None
            workers, self._all = self._all, []
            self._free = queue.SimpleQueue()
        for w in workers:
            w.stop()
        if threads is not None:
            threads.shutdown(wait=False, cancel_futures=True)
