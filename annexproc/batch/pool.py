"""The worker processes: a bounded window of tasks in flight, a crashed worker's files retried one by
one to find the culprit, and on Ctrl-C our own processes stopped at once."""
from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Iterator

from ..words import both
from .worker import FileResult, Task, init_worker, unreadable, work


class _Pool:
    """A ProcessPoolExecutor that can be replaced when a worker dies and killed on Ctrl-C."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self.ex = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.jobs, initializer=init_worker)

    def renew(self) -> None:
        self.ex.shutdown(wait=False, cancel_futures=True)
        self.ex = self._new()

    def kill(self) -> None:
        """Stop now: cancel what waits, terminate our own worker processes (by their pid)."""
        procs = list((getattr(self.ex, "_processes", None) or {}).values())
        self.ex.shutdown(wait=False, cancel_futures=True)
        for p in procs:
            try:
                p.terminate()
            except Exception:
                pass
        for p in procs:
            try:
                p.join(timeout=5)
            except Exception:
                pass

    def close(self) -> None:
        self.ex.shutdown(wait=True)


def _failed(task: Task, exc: BaseException) -> FileResult:
    return FileResult(task.index, unreadable(task.source.display,
                                             both("batch.worker_error", why=f"{type(exc).__name__}: {exc}")))


def run_tasks(tasks: list[Task], jobs: int, tick) -> Iterator[FileResult]:
    """Results in completion order (the caller puts them back in source order); at most
    ``4 × jobs`` tasks in flight, so that memory stays flat however many files there are."""
    window = max(2, 4 * jobs)
    pool = _Pool(jobs)
    retry: list[Task] = []
    try:
        pending: dict = {}
        todo = iter(tasks)
        exhausted = False
        while True:
            while not exhausted and len(pending) < window:
                task = next(todo, None)
                if task is None:
                    exhausted = True
                    break
                pending[pool.ex.submit(work, task)] = task
            if not pending:
                break
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for fut in done:
                task = pending.pop(fut)
                try:
                    res = fut.result()
                except BrokenProcessPool:
                    retry.append(task)
                    broken = True
                    continue
                except Exception as exc:
                    res = _failed(task, exc)
                tick()
                yield res
            if broken:
                # NB: every task in flight fails with the pool; retry each alone to find the culprit
                retry.extend(pending.values())
                pending.clear()
                pool.renew()
        for task in sorted(retry, key=lambda t: t.index):
            pool.close()
            pool = _Pool(1)
            try:
                res = pool.ex.submit(work, task).result()
            except BrokenProcessPool:
                res = FileResult(task.index, unreadable(task.source.display, both("batch.worker_died")))
            except Exception as exc:
                res = _failed(task, exc)
            tick()
            yield res
    except BaseException:
        pool.kill()
        raise
    else:
        pool.close()
