"""One workbook in a worker process: its bytes read once (out of its .zip if need be), put through
``pipeline.process`` (checked, its annotated copy written while the worker holds the book), and a small
picklable ``FileResult`` sent back."""
from __future__ import annotations

import os
import signal
import zipfile
from dataclasses import dataclass, field
from typing import Any

from ..report import Report
from .discover import MAX_MEMBER_BYTES, Source
from ..safety import atomic_write
from .outputs import safe_name
from ..words import both


@dataclass
class Task:
    index: int
    source: Source
    options: Any               # pipeline.Options: params, selection, re-grading, language, pseudonyms
    copy_stem: str | None      # where the annotated copy goes: OUTDIR/<stem> + .xlsx or .xlsm
    token: str
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
    return Report.unreadable(display, *why)


def init_worker() -> None:
    # NB: Ctrl-C is the parent's to handle; a worker that died of SIGINT would look like a crash
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class _Refused(Exception):
    def __init__(self, why: tuple[str, str]):
        super().__init__(why[1])
        self.why = why


def _member_bytes(task: Task):
    """A zip member's bytes as a ``source.Source`` named as the member (read into memory, bounded)."""
    from ..source import Source as Bytes
    src = task.source
    limit = min(src.size, MAX_MEMBER_BYTES)
    parts, written = [], 0
    with zipfile.ZipFile(src.path) as zf, zf.open(zf.infolist()[src.member]) as fin:
        while chunk := fin.read(1 << 20):
            written += len(chunk)
            if written > limit:
                raise _Refused(both("batch.lied"))
            parts.append(chunk)
    # NB: the member's own basename (not its path): the checker's messages show a familiar name
    return Bytes.of_bytes(safe_name(src.display.rsplit("/", 1)[-1]), b"".join(parts))


def work(task: Task) -> FileResult:
    """Check one source; write its annotated copy; return the small result."""
    import dataclasses

    from ..pipeline import process

    src = task.source
    notes: list[tuple[str, str]] = []
    what = src.path
    if src.member is not None:
        try:
            what = _member_bytes(task)
        except _Refused as exc:
            return FileResult(task.index, unreadable(src.display, exc.why))
        except (zipfile.BadZipFile, RuntimeError, OSError, EOFError, NotImplementedError, ValueError) as exc:
            return FileResult(task.index, unreadable(src.display, both("batch.extract_failed", why=type(exc).__name__)))
    done = process(what, dataclasses.replace(task.options, extra=task.extra))
    rep = done.report
    copy_name = None
    if rep.readable and task.copy_stem:
        copy_name, note = _annotate(rep, task)
        if note:
            notes.append(note)
    rep.path = src.display
    rep.book = rep.located = None
    rep.derived = {}  # NB: not in report.json and the biggest part; the parent does not need it
    return FileResult(task.index, rep, copy_name, notes)


def _annotate(rep: Report, task: Task) -> tuple[str | None, tuple[str, str] | None]:
    """(the copy's basename, None), or (None, why) when it could not be written."""
    from ..annotate import output_suffix, write_annotated

    final = task.copy_stem + output_suffix(rep.book.source if rep.book.source is not None else rep.path)
    try:
        with atomic_write(final, tag=task.token) as tmp:
            # NB: tmp ends in .xlsx or .xlsm, which write_annotated keeps: it writes to tmp itself
            write_annotated(rep, tmp, lang=task.options.lang, redact=task.options.redact)
    except Exception as exc:  # NB: a failed copy must not lose the file's findings
        return None, both("batch.annotate_failed", why=f"{type(exc).__name__}: {exc}")
    return os.path.basename(final), None
