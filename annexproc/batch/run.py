"""``run_batch``: the sources found, the tasks handed to the pool, the results put back in source
order, the outputs written whole, the last words on the terminal; Ctrl-C leaves no half file."""
from __future__ import annotations

import json
import os
import secrets
import sys
import time
from contextlib import nullcontext

from ..crossstation import cross_station
from ..i18n import count_word
from ..report import exit_code_of
from .discover import iter_workbooks
from ..safety import atomic_write, same_file
from .outputs import (Names, batch_doc, copy_stem, previous_copies, remove_stale_copies, remove_temps, write_findings_csv,
                      write_report_json)
from .pool import run_tasks
from .summary import write_summary
from ..words import pick, say
from .worker import FileResult, Task, unreadable

EXIT_INTERRUPTED = 130


def run_batch(paths, outdir, *, jobs=None, fmt="text", quiet=False, redact=False, lang="zh", params=None,
              options=None, timings: dict | None = None) -> int:
    """Check every workbook under ``paths`` and write the batch's outputs into ``outdir``.

    ``options`` (``pipeline.Options``: selection, re-grading, parameters) apply to every workbook; without
    them, ``params``, ``lang`` and ``redact`` make them.

    Returns the exit status: 0 no error finding, 1 error findings, 2 an unreadable file (or no
    workbook at all), 130 interrupted by Ctrl-C (no half-written file is left behind).
    """
    import click

    import dataclasses

    from ..params import Params
    from ..pipeline import Options

    options = options or Options(params=params or Params())
    options = dataclasses.replace(options, lang=lang, redact=redact or options.redact)
    jobs = max(1, int(jobs or os.cpu_count() or 1))
    outdir = os.fspath(outdir)
    for p in paths:   # NB: the copies would mix with the stations' own files, and the next run would check them
        if os.path.isdir(p) and os.path.isdir(outdir) and same_file(p, outdir):
            click.echo(say("batch.same_folder", lang, path=outdir), err=True)
            return 2
    os.makedirs(outdir, exist_ok=True)
    token = secrets.token_hex(4)
    started = time.perf_counter()
    try:
        skipped: list = []
        sources = list(iter_workbooks(paths, skipped=skipped, exclude=[outdir]))
        if not sources:
            click.echo(say("batch.nothing", lang), err=True)
            return 2
        # NB: the copies' names are chosen here, before any task runs: --jobs 2 names them as --jobs 1
        previous = previous_copies(outdir)
        names = Names(outdir, ours=previous)
        results: dict[int, FileResult] = {}
        tasks = []
        for i, src in enumerate(sources):
            if not src.checkable:
                results[i] = FileResult(i, unreadable(src.display, src.problem))
                continue
            copy = os.path.join(outdir, names.claim(copy_stem(src.name)))
            tasks.append(Task(i, src, options, copy, token))
        show_bar = not quiet and sys.stderr.isatty()
        bar = (click.progressbar(length=len(sources), label=say("batch.progress", lang), file=sys.stderr,
                                 show_pos=True, item_show_func=None) if show_bar else nullcontext(None))
        with bar as b:
            tick = (lambda: b.update(1)) if b is not None else (lambda: None)
            for _ in range(len(sources) - len(tasks)):
                tick()
            if tasks:
                from .. import engine, pipeline  # noqa: F401  NB: imported before the pool so forked workers share them
                running = run_tasks(tasks, min(jobs, len(tasks)), tick)
                try:
                    for res in running:
                        results[res.index] = res
                finally:
                    running.close()  # NB: Ctrl-C between two results must stop the pool now, not at GC
        ordered = [results[i] for i in range(len(sources))]
        # NB: workbooks side by side, once all are checked: a worker counted by two stations (XS05/XS06)
        t0 = time.perf_counter()
        extra = cross_station([r.report for r in ordered])
        for i, fs in extra.items():
            ordered[i].report.findings.extend(fs)
        cross = time.perf_counter() - t0
        _rewrite_copies(ordered, tasks, extra, jobs)
        rewrite = time.perf_counter() - t0 - cross
        for name, writer in (("summary.xlsx", write_summary), ("findings.csv", write_findings_csv),
                             ("report.json", write_report_json)):
            with atomic_write(os.path.join(outdir, name), tag=token) as tmp:
                writer(ordered, tmp, lang)
        remove_stale_copies(outdir, previous, {r.copy_name for r in ordered if r.copy_name})
        if fmt == "json":
            click.echo(json.dumps(batch_doc(ordered, lang), ensure_ascii=False, indent=1))
        else:
            click.echo(render_summary(ordered, outdir, skipped, lang))
        if timings is not None:   # NB: for bench/cross_station.py: the pass against the whole run
            timings.update(cross_station=cross, rewrite_copies=rewrite, total=time.perf_counter() - started)
        return exit_code_of([r.report for r in ordered])
    except KeyboardInterrupt:
        remove_temps(outdir, token)
        click.echo("\n" + say("batch.interrupted", lang), err=True)
        return EXIT_INTERRUPTED
    finally:
        remove_temps(outdir, token)


def _rewrite_copies(ordered: list[FileResult], tasks: list[Task], extra: dict, jobs: int) -> None:
    """Write again the annotated copies of the files that gained an XS05 error, with their cross-station
    findings (their XS06 notes too); a file with only XS06 notes keeps its copy. Rare, so cheap."""
    import dataclasses
    redo = [dataclasses.replace(t, extra=tuple(extra[t.index])) for t in tasks
            if ordered[t.index].copy_name and any(f.rule == "XS05" for f in extra.get(t.index, ()))]
    if not redo:
        return
    running = run_tasks(redo, min(jobs, len(redo)), lambda: None)
    try:
        for res in running:
            ordered[res.index].copy_name, ordered[res.index].notes = res.copy_name, res.notes
    finally:
        running.close()


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
            counts = say("grammar.comma", lang).join((count_word(r.errors, "error", lang),
                                                       count_word(r.warnings, "warning", lang)))
            lines.append(f"{mark} {r.path}{where}: {counts}")
    ok = [r for r in reports if r.readable]
    lines.append("")
    lines.append(say("batch.headline", lang, n=len(reports), ok=len(ok), clean=sum(1 for r in ok if not r.errors),
                     bad=sum(1 for r in ok if r.errors), unreadable=len(reports) - len(ok)))
    if skipped:
        lines.append(say("batch.skipped", lang, n=len(skipped)))
    said: dict[str, int] = {}
    for res in results:  # NB: a note that holds for many files (the same failure of every copy) is said once
        for note in res.notes:
            key = pick(note, lang)
            said[key] = said.get(key, 0) + 1
    for text, n in said.items():
        lines.append(say("grammar.counted", lang, text=text, n=n))
    lines.append(say("batch.wrote", lang, outdir=outdir, n=sum(1 for r in results if r.copy_name)))
    return "\n".join(lines)
