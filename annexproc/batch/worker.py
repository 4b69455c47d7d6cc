"""One workbook in a worker process: taken out of its .zip if need be, checked, its annotated copy
written (the worker still holds the book), and a small picklable ``FileResult`` sent back."""
from __future__ import annotations

import os
import shutil
import signal
import zipfile
from dataclasses import dataclass, field
from typing import Any

from ..findings import finding
from ..report import Report
from .discover import MAX_MEMBER_BYTES, Source
from ..safety import atomic_write
from .outputs import safe_name
from .words import both


@dataclass
class Task:
    index: int
    source: Source
    params: Any
    lang: str
    redact: bool
    copy_stem: str | None      # where the annotated copy goes: OUTDIR/<stem> + .xlsx or .xlsm
    token: str
    workdir: str               # private temp folder of the run (zip members are extracted here)
    extra: tuple = ()          # findings from the batch's cross-station pass, for a copy written again


@dataclass
class FileResult:
    """What a worker sends back: small, picklable, no openpyxl objects."""
    index: int
    report: Report
    copy_name: str | None = None                       # annotated copy written (basename in OUTDIR)
    notes: list[tuple[str, str]] = field(default_factory=list)


def unreadable(display: str, why: tuple[str, str]) -> Report:
    """The report of a file that could not be checked at all: its RD01 says why, in zh and en."""
    return Report(path=display, read_error=finding("RD01", None, None, reason=why[0], reason_en=why[1]))


def init_worker() -> None:
    # NB: Ctrl-C is the parent's to handle; a worker that died of SIGINT would look like a crash
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class _Refused(Exception):
    def __init__(self, why: tuple[str, str]):
        super().__init__(why[1])
        self.why = why


def _extract(task: Task) -> str:
    src = task.source
    folder = os.path.join(task.workdir, str(task.index))
    os.makedirs(folder, exist_ok=True)
    # NB: the member's own basename (not its path) so no '../' can leave the folder, and the
    # checker's messages show a familiar name
    target = os.path.join(folder, safe_name(src.display.rsplit("/", 1)[-1]))
    limit = min(src.size, MAX_MEMBER_BYTES)
    with zipfile.ZipFile(src.path) as zf:
        info = zf.infolist()[src.member]
        written = 0
        with zf.open(info) as fin, open(target, "wb") as fout:
            while chunk := fin.read(1 << 20):
                written += len(chunk)
                if written > limit:
                    raise _Refused(both("lied"))
                fout.write(chunk)
    return target


def work(task: Task) -> FileResult:
    """Check one source; write its annotated copy; return the small result."""
    from .. import engine

    src = task.source
    notes: list[tuple[str, str]] = []
    local = src.path
    try:
        if src.member is not None:
            try:
                local = _extract(task)
            except _Refused as exc:
                return FileResult(task.index, unreadable(src.display, exc.why))
            except (zipfile.BadZipFile, RuntimeError, OSError, EOFError, NotImplementedError, ValueError) as exc:
                return FileResult(task.index, unreadable(src.display, both("extract_failed", why=type(exc).__name__)))
        rep = engine.check(local, params=task.params)
        copy_name = None
        if rep.readable:
            if task.redact:
                from ..redact import redact_report
                rep = redact_report(rep)
            rep.findings.extend(task.extra)   # NB: already pseudonymised when the batch redacts
            if task.copy_stem:
                copy_name, note = _annotate(rep, task, local)
                if note:
                    notes.append(note)
        rep.path = src.display
        rep.book = rep.located = None
        rep.derived = {}  # NB: not in report.json and the biggest part; the parent does not need it
        return FileResult(task.index, rep, copy_name, notes)
    finally:
        if src.member is not None:  # NB: also after a refused or failed extraction
            shutil.rmtree(os.path.join(task.workdir, str(task.index)), ignore_errors=True)


def _annotate(rep: Report, task: Task, local: str) -> tuple[str | None, tuple[str, str] | None]:
    """(the copy's basename, None), or (None, why) when it could not be written."""
    from ..annotate import output_suffix, write_annotated

    final = task.copy_stem + output_suffix(local)
    try:
        with atomic_write(final, tag=task.token) as tmp:
            # NB: tmp ends in .xlsx or .xlsm, which write_annotated keeps: it writes to tmp itself
            write_annotated(rep, tmp, lang=task.lang, redact=task.redact)
    except Exception as exc:  # NB: a failed copy must not lose the file's findings
        return None, both("annotate_failed", why=f"{type(exc).__name__}: {exc}")
    return os.path.basename(final), None
