"""Batch checking: every workbook in folders and .zip files, on N processes, into one summary folder.

``annexproc batch PATH... -o OUTDIR`` finds the workbooks (``iter_workbooks``), checks each one with
``engine.check`` in a process pool, and writes into OUTDIR the annotated copies, ``summary.xlsx``,
``findings.csv`` and ``report.json`` (``run_batch``).

Design notes:
- Memory stays flat: tasks are submitted through a bounded window, and a worker sends back only a
  small ``FileResult`` (the Report without its openpyxl book nor its derived cells). The annotated
  copy is written by the worker, which still holds the book.
- Output is deterministic: results are put back in source order, and the annotated copies' names
  are chosen by the parent before any task runs, so ``--jobs 2`` gives what ``--jobs 1`` gives.
- Every output file is written to ``.name.tmp-<token>-<random>`` inside OUTDIR and then
  ``os.replace``d: a reader never sees half a file, and Ctrl-C removes the temp files.
- A file that cannot be read is a row with its reason (RD01), never a stop.
"""
from __future__ import annotations

import csv
import json
import os
import re
import secrets
import shutil
import signal
import sys
import tempfile
import zipfile
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from .findings import SEVERITY_ZH, finding, show
from .report import Report, exit_code_of, to_json_doc

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
#: Largest uncompressed workbook taken out of a .zip. A station's annexes are well under 5 MB; a
#: member above this is refused as a probable zip bomb rather than written to disk.
MAX_MEMBER_BYTES = 64 << 20
#: Largest sum of uncompressed workbook members taken from one .zip.
MAX_ZIP_TOTAL_BYTES = 1 << 30
#: A member compressed more than this many times over (and above 1 MB) is refused: real .xlsx
#: files are themselves compressed and shrink little more.
MAX_RATIO = 200
#: Most entries listed from one .zip; the rest is refused with one row.
MAX_ZIP_ENTRIES = 5000
#: Names the batch writes for itself in OUTDIR; an annotated copy never takes one of them.
OWN_OUTPUTS = ("summary.xlsx", "findings.csv", "report.json")
#: Files every desktop leaves in folders; skipped like lock files (not reported as unreadable).
SYSTEM_FILES = {"thumbs.db", "desktop.ini", "ehthumbs.db"}
EXIT_INTERRUPTED = 130

_TEXT = {
    "not_workbook": ("不是 Excel 工作簿（{ext}），未检查；文件夹里的每个文件都会列出，以免漏看发错格式的附件",
                     "not an Excel workbook ({ext}), not checked; every file of a folder is listed so that an "
                     "annex sent in the wrong format is not missed"),
    "bad_zip": ("无法作为 .zip 压缩包打开（{why}）", "cannot be opened as a .zip archive ({why})"),
    "nested_zip": ("压缩包内的压缩包不展开检查，请先解压", "an archive inside an archive is not opened; unpack it first"),
    "encrypted": ("压缩包成员已加密，无法读取", "the archive member is encrypted and cannot be read"),
    "too_big": ("解压后 {size} 字节，超过单个文件上限 {cap} 字节（疑似压缩炸弹），未解压",
                "{size} bytes uncompressed, over the per-file cap of {cap} bytes (probable zip bomb); not extracted"),
    "ratio": ("压缩比 {ratio}:1 异常（疑似压缩炸弹），未解压", "compression ratio {ratio}:1 (probable zip bomb); not extracted"),
    "zip_total": ("压缩包解压总量超过上限 {cap} 字节（疑似压缩炸弹），其余成员未解压",
                  "the archive's members exceed the total cap of {cap} bytes (probable zip bomb); not extracted"),
    "too_many": ("压缩包有 {n} 个条目，只列出前 {cap} 个", "the archive holds {n} entries; only the first {cap} are listed"),
    "lied": ("解压时超过声明的大小或上限（疑似压缩炸弹），已停止", "grew past its declared size or the cap while extracting "
             "(probable zip bomb); stopped"),
    "extract_failed": ("无法从压缩包中取出（{why}）", "cannot be extracted from the archive ({why})"),
    "worker_died": ("检查进程异常退出（文件可能过大或已损坏）", "the checking process died (the file may be too large or damaged)"),
    "worker_error": ("检查时出错：{why}", "checking failed: {why}"),
    "no_annotate": ("批注副本未写出：批注模块尚未提供", "no annotated copy: the annotation module is not available yet"),
    "annotate_failed": ("批注副本写出失败：{why}", "the annotated copy could not be written: {why}"),
    "lock": ("Office 锁文件", "Office lock file"),
    "hidden": ("隐藏文件", "hidden file"),
    "system": ("系统文件", "system file"),
    "outdir": ("输出目录本身", "the output folder itself"),
    "dup": ("重复给出", "given twice"),
    "no_redact": ("无法使用 --redact：化名模块尚未提供；为免泄露姓名，未做任何检查",
                  "--redact is not available yet (no pseudonymisation module); nothing was checked so that no name leaks"),
    "nothing": ("没有找到任何工作簿", "no workbook found"),
    "interrupted": ("已中断：未写完的文件已删除", "interrupted: unfinished files were removed"),
    "headline": ("共 {n} 个工作簿：可读 {ok} 个（无错误 {clean}，有错误 {bad}），无法读取 {unreadable} 个",
                 "{n} workbooks: {ok} readable ({clean} without errors, {bad} with errors), {unreadable} unreadable"),
    "skipped": ("已跳过 {n} 个锁文件、隐藏或系统文件", "skipped {n} lock, hidden or system files"),
    "counts": ("{errors} 个错误，{warnings} 个警告", "{errors} errors, {warnings} warnings"),
    "wrote": ("已写出：{outdir}（summary.xlsx、findings.csv、report.json，批注副本 {n} 个）",
              "wrote: {outdir} (summary.xlsx, findings.csv, report.json, {n} annotated copies)"),
    "progress": ("核查中", "checking"),
}


def _tx(key: str, lang: str = "zh", **kw) -> str:
    zh, en = _TEXT[key]
    return (en if lang == "en" else zh).format(**kw)


def _both(key: str, **kw) -> tuple[str, str]:
    return _tx(key, "zh", **kw), _tx(key, "en", **kw)


# ---------------------------------------------------------------------------------------------
# Finding the workbooks
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Source:
    """One workbook to check: a file, or a member of a .zip read in place."""
    display: str                       # what the user sees: the path, or 'stations.zip/逢源街/附件.xlsx'
    path: str                          # the file on disk (the archive, for a member)
    name: str                          # the basename the annotated copy is named after
    member: int | None = None          # index of the member in the archive's infolist()
    size: int = 0                      # declared uncompressed size of a member
    problem: tuple[str, str] | None = None   # (zh, en): why it cannot be checked at all

    @property
    def checkable(self) -> bool:
        return self.problem is None


def decode_member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its author typed it, whichever tool made the archive.

    With the UTF-8 flag (0x800) zipfile decodes right. Without it zipfile decodes cp437, which is
    wrong for archives made by Windows in China (names in GBK). We undo cp437 and decode: first an
    Info-ZIP Unicode Path field (0x7075) if present, then UTF-8, then GB18030 (a superset of GBK).
    NB: UTF-8 is tried before GBK on purpose (the brief said GBK first): GBK-encoded Chinese is
    almost never valid UTF-8 (lead bytes B0–F7 followed by another high byte break UTF-8's
    continuation rule), while UTF-8 Chinese is often *valid* GBK and would decode as mojibake.
    """
    if info.flag_bits & 0x800:
        return info.filename
    extra = info.extra
    i = 0
    while i + 4 <= len(extra):
        tag, size = int.from_bytes(extra[i:i + 2], "little"), int.from_bytes(extra[i + 2:i + 4], "little")
        if tag == 0x7075 and size >= 5 and extra[i + 4] == 1:
            try:
                return extra[i + 9:i + 4 + size].decode("utf-8")
            except UnicodeDecodeError:
                break
        i += 4 + size
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return info.filename


def _skip_reason(name: str) -> str | None:
    if name.startswith("~$"):
        return "lock"
    if name.startswith("."):
        return "hidden"
    if name.lower() in SYSTEM_FILES:
        return "system"
    return None


def _is_workbook(name: str) -> bool:
    return name.lower().endswith(WORKBOOK_SUFFIXES)


def _not_workbook(display: str, path: str, name: str, out_name: str | None = None) -> Source:
    ext = os.path.splitext(name)[1]
    why = _both("not_workbook", ext=ext) if ext else tuple(
        t.replace("（）", "（无扩展名）").replace("()", "(no extension)") for t in _both("not_workbook", ext=""))
    return Source(display, path, out_name or name, problem=why)


def _zip_sources(path: str, display: str, skipped: list | None, max_member: int, max_total: int) -> Iterator[Source]:
    stem = os.path.splitext(os.path.basename(path))[0]
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        yield Source(display, path, os.path.basename(path), problem=_both("bad_zip", why=type(exc).__name__))
        return
    named = [(i, info, decode_member_name(info)) for i, info in enumerate(infos) if not info.is_dir()]
    named.sort(key=lambda t: t[2])
    total = 0
    for count, (i, info, name) in enumerate(named):
        if count == MAX_ZIP_ENTRIES:
            yield Source(display, path, stem, problem=_both("too_many", n=len(named), cap=MAX_ZIP_ENTRIES))
            return
        name = name.replace("\\", "/")
        parts = [p for p in name.split("/") if p not in ("", ".")]
        if not parts:
            continue
        shown = f"{display}/{'/'.join(parts)}"
        why = next((r for r in map(_skip_reason, parts) if r), None) or ("hidden" if parts[0] == "__MACOSX" else None)
        if why:
            if skipped is not None:
                skipped.append((shown, why))
            continue
        out_name = f"{stem}__{'_'.join(parts)}"
        if parts[-1].lower().endswith(".zip"):
            yield Source(shown, path, out_name, problem=_both("nested_zip"))
            continue
        if not _is_workbook(parts[-1]):
            yield _not_workbook(shown, path, parts[-1], out_name)
            continue
        problem = None
        if info.flag_bits & 0x1:
            problem = _both("encrypted")
        elif info.file_size > max_member:
            problem = _both("too_big", size=info.file_size, cap=max_member)
        elif info.file_size > (1 << 20) and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            problem = _both("ratio", ratio=info.file_size // max(info.compress_size, 1))
        elif total + info.file_size > max_total:
            problem = _both("zip_total", cap=max_total)
        else:
            total += info.file_size
        yield Source(shown, path, out_name, member=i, size=info.file_size, problem=problem)


def iter_workbooks(paths: Iterable[str], *, skipped: list | None = None, exclude: Iterable[str] = (),
                   max_member: int = MAX_MEMBER_BYTES, max_total: int = MAX_ZIP_TOTAL_BYTES) -> Iterator[Source]:
    """Every workbook under ``paths``, each once, in a stable order.

    A folder is searched recursively (sorted, symlinked folders not followed) for .xlsx/.xlsm/.xls;
    Office lock files (``~$…``), hidden files and folders and desktop junk (Thumbs.db) are skipped and,
    if ``skipped`` is a list, appended to it as ``(path, reason_key)``. Any other file in a folder is
    yielded with a ``problem`` — it becomes an "unreadable" row, so a misfiled annex is seen. A .zip
    (given, or found in a folder) is read in place: its members are yielded with ``member`` set;
    members over ``max_member`` bytes, or past ``max_total`` for the archive, are refused with a
    reason. Folders in ``exclude`` (the output folder) are not entered.
    """
    seen: set = set()
    excluded = {os.path.realpath(p) for p in exclude}

    def once(key) -> bool:
        if key in seen:
            return False
        seen.add(key)
        return True

    def one_file(full: str, display: str, name: str) -> Iterator[Source]:
        if not once(os.path.realpath(full)):
            return
        if name.lower().endswith(".zip"):
            yield from _zip_sources(full, display, skipped, max_member, max_total)
        elif _is_workbook(name):
            yield Source(display, full, name)
        else:
            yield _not_workbook(display, full, name)

    for given in paths:
        given = os.fspath(given)
        if os.path.isdir(given):
            if os.path.realpath(given) in excluded:
                continue
            for root, dirs, files in os.walk(given):
                keep = []
                for d in sorted(dirs):
                    if _skip_reason(d) or os.path.realpath(os.path.join(root, d)) in excluded:
                        if skipped is not None and _skip_reason(d):
                            skipped.append((os.path.join(root, d), _skip_reason(d)))
                        continue
                    keep.append(d)
                dirs[:] = keep
                for name in sorted(files):
                    full = os.path.join(root, name)
                    why = _skip_reason(name)
                    if why:
                        if skipped is not None:
                            skipped.append((full, why))
                        continue
                    if not os.path.isfile(full):  # NB: sockets, fifos, dangling links
                        continue
                    yield from one_file(full, full, name)
        elif os.path.exists(given):
            # NB: a file named on the command line is checked as given, lock file or not
            yield from one_file(given, given, os.path.basename(given))
        else:
            yield Source(given, given, os.path.basename(given),
                         problem=(f"找不到文件：{given}", f"No such file: {given}"))


# ---------------------------------------------------------------------------------------------
# Output names and atomic writes
# ---------------------------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*#]')


def _safe_name(name: str) -> str:
    """A file name that works on every desktop and in a hyperlink ('#' would cut an Excel link)."""
    name = _UNSAFE.sub("_", name).strip(" .") or "workbook"
    if name.startswith(("~$", ".")):
        name = "_" + name.lstrip(".~$")
    return name


def _copy_stem(src_name: str) -> str:
    """The annotated copy's name without suffix; the worker adds .xlsx, or .xlsm to keep macros."""
    return os.path.splitext(_safe_name(src_name))[0]


class _Names:
    """Chooses output names: a taken name gets ' (2)', ' (3)'… and nothing is ever overwritten.

    A stem is claimed with both suffixes, because whether a copy is .xlsx or .xlsm (macros kept) is
    known only once the worker has the file; claiming both keeps names independent of timing.
    """

    SUFFIXES = (".xlsx", ".xlsm")

    def __init__(self, outdir: str):
        self.outdir = outdir
        self.taken = {n.casefold() for n in OWN_OUTPUTS}  # NB: casefold — Windows and macOS ignore case

    def _free(self, stem: str) -> bool:
        return not any((stem + sfx).casefold() in self.taken or os.path.lexists(os.path.join(self.outdir, stem + sfx))
                       for sfx in self.SUFFIXES)

    def claim(self, stem: str) -> str:
        n, cand = 1, stem
        while not self._free(cand):
            n += 1
            cand = f"{stem} ({n})"
        self.taken.update((cand + sfx).casefold() for sfx in self.SUFFIXES)
        return cand


def _tmp_path(final: str, token: str) -> str:
    d, name = os.path.split(final)
    # NB: the real extension is kept at the end: some writers choose the format by it
    return os.path.join(d, f".{name}.tmp-{token}-{secrets.token_hex(4)}{os.path.splitext(name)[1]}")


@contextmanager
def atomic_path(final: str, token: str) -> Iterator[str]:
    """Yield a temp path next to ``final``; on success it replaces ``final``, on any failure
    (KeyboardInterrupt included) it is removed. A reader never sees half a file."""
    tmp = _tmp_path(final, token)
    try:
        yield tmp
        os.replace(tmp, final)
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def _remove_temps(outdir: str, token: str) -> None:
    marker = f".tmp-{token}-"
    try:
        names = os.listdir(outdir)
    except OSError:
        return
    for n in names:
        if n.startswith(".") and marker in n:
            try:
                os.unlink(os.path.join(outdir, n))
            except OSError:
                pass


# ---------------------------------------------------------------------------------------------
# The worker
# ---------------------------------------------------------------------------------------------

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


@dataclass
class FileResult:
    """What a worker sends back: small, picklable, no openpyxl objects."""
    index: int
    report: Report
    copy_name: str | None = None                       # annotated copy written (basename in OUTDIR)
    notes: list[tuple[str, str]] = field(default_factory=list)


def _unreadable(display: str, why: tuple[str, str]) -> Report:
    return Report(path=display, read_error=finding("RD01", None, None, reason=why[0], reason_en=why[1]))


def _init_worker() -> None:
    # NB: Ctrl-C is the parent's to handle; a worker that died of SIGINT would look like a crash
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _extract(task: Task) -> str:
    src = task.source
    folder = os.path.join(task.workdir, str(task.index))
    os.makedirs(folder, exist_ok=True)
    # NB: the member's own basename (not its path) so no '../' can leave the folder, and the
    # checker's messages show a familiar name
    target = os.path.join(folder, _safe_name(src.display.rsplit("/", 1)[-1]))
    limit = min(src.size, MAX_MEMBER_BYTES)
    with zipfile.ZipFile(src.path) as zf:
        info = zf.infolist()[src.member]
        written = 0
        with zf.open(info) as fin, open(target, "wb") as fout:
            while chunk := fin.read(1 << 20):
                written += len(chunk)
                if written > limit:
                    raise _Refused(_both("lied"))
                fout.write(chunk)
    return target


class _Refused(Exception):
    def __init__(self, why: tuple[str, str]):
        super().__init__(why[1])
        self.why = why


def _work(task: Task) -> FileResult:
    """Check one source; write its annotated copy; return the small result."""
    from . import engine

    src = task.source
    notes: list[tuple[str, str]] = []
    local = src.path
    try:
        if src.member is not None:
            try:
                local = _extract(task)
            except _Refused as exc:
                return FileResult(task.index, _unreadable(src.display, exc.why))
            except (zipfile.BadZipFile, RuntimeError, OSError, EOFError, NotImplementedError, ValueError) as exc:
                return FileResult(task.index, _unreadable(src.display, _both("extract_failed", why=type(exc).__name__)))
        rep = engine.check(local, params=task.params)
        copy_name = None
        if rep.readable:
            if task.redact:
                from .redact import redact_report
                rep = redact_report(rep)
            if task.copy_stem:
                copy_name, note = _annotate(rep, task, local)
                if note:
                    notes.append(note)
        rep.path = src.display
        rep.book = None
        rep.derived = {}  # NB: not in report.json and the biggest part; the parent does not need it
        return FileResult(task.index, rep, copy_name, notes)
    finally:
        if src.member is not None:  # NB: also after a refused or failed extraction
            shutil.rmtree(os.path.join(task.workdir, str(task.index)), ignore_errors=True)


def _annotate(rep: Report, task: Task, local: str) -> tuple[str | None, tuple[str, str] | None]:
    try:
        from .annotate import output_suffix, write_annotated
    except ModuleNotFoundError as exc:
        if exc.name == f"{__package__}.annotate":
            return None, _both("no_annotate")
        raise
    final = task.copy_stem + output_suffix(local)
    try:
        with atomic_path(final, task.token) as tmp:
            written = write_annotated(rep, tmp, lang=task.lang, redact=task.redact)
            if written is not None and os.fspath(written) != tmp:  # NB: it may change the suffix
                os.replace(written, tmp)
    except Exception as exc:  # NB: a failed copy must not lose the file's findings
        return None, _both("annotate_failed", why=f"{type(exc).__name__}: {exc}")
    return os.path.basename(final), None


# ---------------------------------------------------------------------------------------------
# Running the pool
# ---------------------------------------------------------------------------------------------

class _Pool:
    """A ProcessPoolExecutor that can be replaced when a worker dies and killed on Ctrl-C."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self.ex = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.jobs, initializer=_init_worker)

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


def _run_tasks(tasks: list[Task], jobs: int, tick) -> Iterator[FileResult]:
    """Results in completion order; at most ``4 × jobs`` tasks in flight (memory stays flat)."""
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
                pending[pool.ex.submit(_work, task)] = task
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
                    res = FileResult(task.index, _unreadable(task.source.display,
                                                             _both("worker_error", why=f"{type(exc).__name__}: {exc}")))
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
                res = pool.ex.submit(_work, task).result()
            except BrokenProcessPool:
                res = FileResult(task.index, _unreadable(task.source.display, _both("worker_died")))
            except Exception as exc:
                res = FileResult(task.index, _unreadable(task.source.display,
                                                         _both("worker_error", why=f"{type(exc).__name__}: {exc}")))
            tick()
            yield res
    except BaseException:
        pool.kill()
        raise
    else:
        pool.close()


# ---------------------------------------------------------------------------------------------
# The summary workbook, the CSV and the JSON
# ---------------------------------------------------------------------------------------------

#: Key figures shown per workbook, in this order; ratios are formatted as percentages.
FIGURE_COLUMNS = ("total_person_months", "required_person_months", "certified_person_months",
                  "required_certified_person_months", "uncertified_person_months", "certified_share",
                  "two_year_share", "stable_rate")
RATIO_FIGURES = {"certified_share", "two_year_share", "stable_rate"}

_HEAD = {
    "station": ("服务站", "station"), "file": ("文件", "file"), "readable": ("可读", "readable"),
    "reason": ("原因", "reason"), "errors": ("错误", "errors"), "warnings": ("警告", "warnings"),
    "copy": ("批注副本", "annotated copy"), "notes": ("备注", "notes"),
    "severity": ("严重程度", "severity"), "rule": ("规则", "rule"), "sheet": ("工作表", "sheet"),
    "cell": ("单元格", "cell"), "message": ("说明", "message"), "expected": ("应为", "expected"),
    "found": ("表中为", "found"), "yes": ("是", "yes"), "no": ("否", "no"),
    "completion": ("{label} 完成率", "{label} completion"),
    "chart_completion": ("各指标完成率（按工作簿）", "Completion of each indicator, by workbook"),
    "chart_pm": ("社工到岗人次与协议要求", "Person-months against the agreement"),
    "no_charts": ("没有可作图的数据（没有可读的附件1或附件2）", "nothing to chart (no readable Annex 1 or Annex 2)"),
    "charts": ("图表", "charts"),
}
FINDING_HEADS = ("file", "severity", "rule", "sheet", "cell", "message", "expected", "found")


def _h(key: str, lang: str, **kw) -> str:
    zh, en = _HEAD[key]
    return (en if lang == "en" else zh).format(**kw)


def _num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _completion_keys(reports: list[Report]) -> list[str]:
    keys: dict[str, None] = {}
    for r in reports:
        comp = r.figures.get("completion") if r.figures else None
        if isinstance(comp, dict):
            for k in comp:
                keys.setdefault(str(k), None)
    return list(keys)


def _cell_text(v: Any, unit: str | None, lang: str) -> str:
    return "" if v is None else show(v, unit, lang)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?%?")


def csv_safe(v: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (CSV injection);
    a plain signed number such as '-3' is a number, not a formula, and is left alone."""
    if isinstance(v, str) and v.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(v):
        return "'" + v
    return v


def _put_text(ws, row: int, col: int, text: str | None, fmt=None) -> None:
    """Text always as a string cell (never a formula nor a link); an empty text leaves a blank cell."""
    if text:
        ws.write_string(row, col, text, fmt)


def write_summary(results: list[FileResult], path: str, lang: str = "zh") -> None:
    """summary.xlsx: 汇总 (one row per workbook), 全部问题 (every finding), 图表 (charts)."""
    import xlsxwriter
    from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

    from .i18n import figure_name

    reports = [r.report for r in results]
    comp_keys = _completion_keys(reports)
    wb = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "strings_to_urls": False,
                                    "strings_to_numbers": False})
    head = wb.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1})
    pct = wb.add_format({"num_format": "0.00%"})
    num = wb.add_format({"num_format": "0.##"})
    link = wb.add_format({"font_color": "#0563C1", "underline": 1})
    bad = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
    warn = wb.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700"})
    grey = wb.add_format({"bg_color": "#D9D9D9"})

    ws = wb.add_worksheet("汇总")
    cols = (["station", "file", "readable", "reason", "errors", "warnings"] + list(FIGURE_COLUMNS)
            + [f"completion:{k}" for k in comp_keys] + ["copy", "notes"])
    at = {c: i for i, c in enumerate(cols)}
    for i, c in enumerate(cols):
        if c in _HEAD:
            text = _h(c, lang)
        elif c.startswith("completion:"):
            text = _h("completion", lang, label=c.split(":", 1)[1])
        else:
            text = figure_name(c, lang)
        ws.write_string(0, i, text, head)
    for row, res in enumerate(results, start=1):
        r = res.report
        _put_text(ws, row, at["station"], r.station)
        _put_text(ws, row, at["file"], r.path)
        _put_text(ws, row, at["readable"], _h("yes" if r.readable else "no", lang))
        _put_text(ws, row, at["reason"], r.read_error.message(lang) if r.read_error else None)
        if r.readable:
            ws.write_number(row, at["errors"], r.errors)
            ws.write_number(row, at["warnings"], r.warnings)
        figs = r.figures or {}
        for key in FIGURE_COLUMNS:
            v = figs.get(key)
            if _num(v):
                ws.write_number(row, at[key], v, pct if key in RATIO_FIGURES else num)
            elif v is not None:
                _put_text(ws, row, at[key], str(v))
        comp = figs.get("completion") if isinstance(figs.get("completion"), dict) else {}
        for k, v in comp.items():
            c = at[f"completion:{k}"]
            if _num(v):
                ws.write_number(row, c, v, pct)
            elif v is not None:
                _put_text(ws, row, c, str(v))
        if res.copy_name:
            ws.write_url(row, at["copy"], "external:" + res.copy_name, link, string=res.copy_name)
        notes = [n[1] if lang == "en" else n[0] for n in res.notes] + list(r.notes)
        if notes:
            _put_text(ws, row, at["notes"], "；".join(notes) if lang != "en" else "; ".join(notes))
    last = len(results)
    ws.freeze_panes(1, 2)
    ws.autofilter(0, 0, max(last, 1), len(cols) - 1)
    ws.set_row(0, 45)
    widths = {"station": 22, "file": 40, "readable": 6, "reason": 40, "errors": 6, "warnings": 6, "copy": 30,
              "notes": 40}
    for c, i in at.items():
        ws.set_column(i, i, widths.get(c, 12))
    if last:
        def rng(c: str) -> str:
            return f"{xl_rowcol_to_cell(1, at[c])}:{xl_rowcol_to_cell(last, at[c])}"

        def ref(c: str) -> str:  # the first data row's cell, column absolute, row relative
            return f"${xl_col_to_name(at[c])}2"

        ws.conditional_format(rng("errors"), {"type": "cell", "criteria": ">", "value": 0, "format": bad})
        ws.conditional_format(rng("warnings"), {"type": "cell", "criteria": ">", "value": 0, "format": warn})
        ws.conditional_format(rng("readable"), {"type": "formula", "criteria": f'=LEN({ref("reason")})>0',
                                                "format": grey})
        for have, need in (("total_person_months", "required_person_months"),
                           ("certified_person_months", "required_certified_person_months")):
            ws.conditional_format(rng(have), {"type": "formula", "format": bad, "criteria":
                                              f"=AND(ISNUMBER({ref(have)}),ISNUMBER({ref(need)}),{ref(have)}<{ref(need)})"})
        for k in comp_keys:
            c = f"completion:{k}"
            ws.conditional_format(rng(c), {"type": "formula", "format": bad,
                                           "criteria": f"=AND(ISNUMBER({ref(c)}),{ref(c)}<1)"})

    # 全部问题: every finding of every file, with an autofilter
    wf = wb.add_worksheet("全部问题")
    for i, c in enumerate(FINDING_HEADS):
        wf.write_string(0, i, _h(c, lang), head)
    row = 0
    for res in results:
        r = res.report
        for f in ([r.read_error] if r.read_error else r.sorted_findings()):
            row += 1
            _put_text(wf, row, 0, r.path)
            _put_text(wf, row, 1, SEVERITY_ZH.get(f.severity, f.severity) if lang != "en" else f.severity)
            _put_text(wf, row, 2, f.rule)
            _put_text(wf, row, 3, f.sheet)
            _put_text(wf, row, 4, f.cell)
            _put_text(wf, row, 5, f.message(lang))
            for col, v in ((6, f.expected), (7, f.found)):
                if _num(v):
                    wf.write_number(row, col, v, pct if f.unit == "pct" else num)
                elif v is not None:
                    _put_text(wf, row, col, _cell_text(v, f.unit, lang))
    wf.freeze_panes(1, 0)
    wf.autofilter(0, 0, max(row, 1), len(FINDING_HEADS) - 1)
    for i, w in enumerate((36, 8, 7, 16, 8, 80, 12, 12)):
        wf.set_column(i, i, w)
    wf.conditional_format(1, 1, max(row, 1), 1, {"type": "text", "criteria": "containing",
                                                   "value": "错误" if lang != "en" else "error", "format": bad})

    # 图表: charts where a person would rather look than read
    _write_charts(wb, results, comp_keys, lang, pct, num)
    wb.close()


#: Up to this many workbooks, the completion chart groups bars by indicator (one bar per workbook):
#: the comparison an evaluator makes. Beyond it, one bar per indicator grouped by workbook, because
#: a chart cannot hold more than 255 series and a legend of hundreds of files reads as nothing.
MAX_SERIES_FILES = 30


def _chart_labels(results: list[FileResult]) -> list[str]:
    """Short, unique category labels: the station, else the file's name; then the name, then (n)."""
    base = [r.report.station or os.path.basename(r.report.path) for r in results]
    labels = [f"{b} · {os.path.basename(r.report.path)}" if base.count(b) > 1 and r.report.station else b
              for b, r in zip(base, results)]
    seen: dict[str, int] = {}
    out = []
    for lab in labels:
        seen[lab] = seen.get(lab, 0) + 1
        out.append(lab if seen[lab] == 1 else f"{lab} ({seen[lab]})")
    return out


def _write_charts(wb, results: list[FileResult], comp_keys: list[str], lang: str, pct, num) -> None:
    """The 图表 sheet: the charts on top, the small tables they draw from below (values as in 汇总)."""
    from .i18n import figure_name

    wc = wb.add_worksheet("图表")
    comp = [r for r in results if r.report.readable and isinstance(r.report.figures.get("completion"), dict)
            and r.report.figures["completion"]]
    pm_keys = ("total_person_months", "required_person_months", "certified_person_months",
               "required_certified_person_months")
    pm = [r for r in results if r.report.readable and _num(r.report.figures.get("total_person_months"))]
    if not (comp and comp_keys) and not pm:
        wc.write_string(0, 0, _h("no_charts", lang))
        return
    bold = wb.add_format({"bold": True})
    charts = []
    # NB: the tables go below the charts; their first row is known once the charts' heights are
    n_c, k = len(comp), len(comp_keys)
    if comp and comp_keys:
        by_indicator = n_c <= MAX_SERIES_FILES
        h = (80 + k * (8 + 6 * n_c)) if by_indicator else (80 + n_c * (10 + 4 * k))
        charts.append(("completion", int(min(4000, max(360, h)))))
    if pm:
        charts.append(("pm", 420))
    row = sum(h // 20 + 2 for _, h in charts)
    placed = 0
    for kind, h in charts:
        if kind == "completion":
            # table: A = indicator, one column per workbook
            t0 = row
            wc.write_string(t0, 0, _h("chart_completion", lang), bold)
            for j, lab in enumerate(_chart_labels(comp), start=1):
                wc.write_string(t0, j, lab, bold)
            for i, key in enumerate(comp_keys, start=1):
                wc.write_string(t0 + i, 0, key)
                for j, res in enumerate(comp, start=1):
                    v = res.report.figures["completion"].get(key)
                    if _num(v):
                        wc.write_number(t0 + i, j, v, pct)
            ch = wb.add_chart({"type": "bar", "subtype": "clustered"})
            if by_indicator:
                for j in range(1, n_c + 1):
                    ch.add_series({"name": ["图表", t0, j], "categories": ["图表", t0 + 1, 0, t0 + k, 0],
                                   "values": ["图表", t0 + 1, j, t0 + k, j]})
            else:
                for i in range(1, k + 1):
                    ch.add_series({"name": ["图表", t0 + i, 0], "categories": ["图表", t0, 1, t0, n_c],
                                   "values": ["图表", t0 + i, 1, t0 + i, n_c]})
            ch.set_x_axis({"num_format": "0%", "min": 0, "major_gridlines": {"visible": True}})
            ch.set_y_axis({"reverse": True})
            row = t0 + k + 2
        else:
            t0 = row
            wc.write_string(t0, 0, _h("chart_pm", lang), bold)
            for j, key in enumerate(pm_keys, start=1):
                wc.write_string(t0, j, figure_name(key, lang), bold)
            for i, (lab, res) in enumerate(zip(_chart_labels(pm), pm), start=1):
                wc.write_string(t0 + i, 0, lab)
                for j, key in enumerate(pm_keys, start=1):
                    v = res.report.figures.get(key)
                    if _num(v):
                        wc.write_number(t0 + i, j, v, num)
            n = len(pm)
            ch = wb.add_chart({"type": "column", "subtype": "clustered"})
            for j in range(1, len(pm_keys) + 1):
                ch.add_series({"name": ["图表", t0, j], "categories": ["图表", t0 + 1, 0, t0 + n, 0],
                               "values": ["图表", t0 + 1, j, t0 + n, j]})
            row = t0 + n + 2
        ch.set_title({"name": _h("chart_completion" if kind == "completion" else "chart_pm", lang)})
        ch.set_legend({"position": "bottom"})
        width = 960 if kind == "completion" else int(min(4000, max(720, 120 + len(pm) * 60)))
        ch.set_size({"width": width, "height": h})
        wc.insert_chart(placed, 0, ch)
        placed += h // 20 + 2
    wc.set_column(0, 0, 36)


def write_findings_csv(results: list[FileResult], path: str, lang: str = "zh") -> None:
    """findings.csv: the 全部问题 table, UTF-8 with BOM (so Excel shows the Chinese), neutralised."""
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([_h(c, lang) for c in ("station",) + FINDING_HEADS])
        for res in results:
            r = res.report
            for f in ([r.read_error] if r.read_error else r.sorted_findings()):
                sev = SEVERITY_ZH.get(f.severity, f.severity) if lang != "en" else f.severity
                w.writerow([csv_safe(x) for x in (r.station or "", r.path, sev, f.rule, f.sheet or "", f.cell or "",
                                                  f.message(lang), _cell_text(f.expected, f.unit, lang),
                                                  _cell_text(f.found, f.unit, lang))])


def write_report_json(results: list[FileResult], path: str, lang: str = "zh") -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(to_json_doc([r.report for r in results], lang), fh, ensure_ascii=False, indent=1)
        fh.write("\n")


def render_summary(results: list[FileResult], outdir: str, skipped: list, lang: str = "zh") -> str:
    """The final words on the terminal: one line per workbook, then the totals."""
    reports = [r.report for r in results]
    lines = []
    for res in results:
        r = res.report
        where = f"  [{r.station}]" if r.station else ""
        if not r.readable:
            lines.append(f"✘ {r.path}{where}: {r.read_error.message(lang)}")
        else:
            mark = "✘" if r.errors else "✔"
            lines.append(f"{mark} {r.path}{where}: {_tx('counts', lang, errors=r.errors, warnings=r.warnings)}")
    ok = [r for r in reports if r.readable]
    lines.append("")
    lines.append(_tx("headline", lang, n=len(reports), ok=len(ok), clean=sum(1 for r in ok if not r.errors),
                     bad=sum(1 for r in ok if r.errors), unreadable=len(reports) - len(ok)))
    if skipped:
        lines.append(_tx("skipped", lang, n=len(skipped)))
    said: dict[str, int] = {}
    for res in results:  # NB: a note that holds for many files (no annotation module) is said once
        for zh, en in res.notes:
            key = en if lang == "en" else zh
            said[key] = said.get(key, 0) + 1
    for text, n in said.items():
        lines.append(f"{text}（{n}）" if lang != "en" else f"{text} ({n})")
    lines.append(_tx("wrote", lang, outdir=outdir, n=sum(1 for r in results if r.copy_name)))
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# The entry point
# ---------------------------------------------------------------------------------------------

def run_batch(paths, outdir, *, jobs=None, fmt="text", quiet=False, redact=False, lang="zh", params=None) -> int:
    """Check every workbook under ``paths`` and write the batch's outputs into ``outdir``.

    Returns the exit status: 0 no error finding, 1 error findings, 2 an unreadable file (or no
    workbook at all), 130 interrupted by Ctrl-C (no half-written file is left behind).
    """
    import click

    from .params import Params

    params = params or Params()
    jobs = max(1, int(jobs or os.cpu_count() or 1))
    outdir = os.fspath(outdir)
    if redact:
        import importlib.util
        if importlib.util.find_spec(f"{__package__}.redact") is None:
            click.echo(_tx("no_redact", lang), err=True)
            return 2
    os.makedirs(outdir, exist_ok=True)
    token = secrets.token_hex(4)
    workdir = tempfile.mkdtemp(prefix="annexproc-batch-")
    try:
        skipped: list = []
        sources = list(iter_workbooks(paths, skipped=skipped, exclude=[outdir]))
        if not sources:
            click.echo(_tx("nothing", lang), err=True)
            return 2
        names = _Names(outdir)
        results: dict[int, FileResult] = {}
        tasks = []
        for i, src in enumerate(sources):
            if not src.checkable:
                results[i] = FileResult(i, _unreadable(src.display, src.problem))
                continue
            copy = os.path.join(outdir, names.claim(_copy_stem(src.name)))
            tasks.append(Task(i, src, params, lang, redact, copy, token, workdir))
        show_bar = not quiet and sys.stderr.isatty()
        bar = (click.progressbar(length=len(sources), label=_tx("progress", lang), file=sys.stderr,
                                 show_pos=True, item_show_func=None) if show_bar else nullcontext(None))
        with bar as b:
            tick = (lambda: b.update(1)) if b is not None else (lambda: None)
            for _ in range(len(sources) - len(tasks)):
                tick()
            if tasks:
                from . import engine  # noqa: F401  NB: imported before the pool so forked workers share it
                running = _run_tasks(tasks, min(jobs, len(tasks)), tick)
                try:
                    for res in running:
                        results[res.index] = res
                finally:
                    running.close()  # NB: Ctrl-C between two results must stop the pool now, not at GC
        ordered = [results[i] for i in range(len(sources))]
        for name, writer in (("summary.xlsx", write_summary), ("findings.csv", write_findings_csv),
                             ("report.json", write_report_json)):
            with atomic_path(os.path.join(outdir, name), token) as tmp:
                writer(ordered, tmp, lang)
        if fmt == "json":
            click.echo(json.dumps(to_json_doc([r.report for r in ordered], lang), ensure_ascii=False, indent=1))
        else:
            click.echo(render_summary(ordered, outdir, skipped, lang))
        return exit_code_of([r.report for r in ordered])
    except KeyboardInterrupt:
        _remove_temps(outdir, token)
        click.echo("\n" + _tx("interrupted", lang), err=True)
        return EXIT_INTERRUPTED
    finally:
        _remove_temps(outdir, token)
        shutil.rmtree(workdir, ignore_errors=True)
