"""One way through for one workbook: read its bytes once, check them, write the copies asked for.

``process(source, options)`` is what ``annexproc check``, each worker of ``annexproc batch`` and each
upload of the web page run, so that the rule selection, the re-grading, the agreement's parameters,
the written report and the pseudonyms apply alike everywhere::

    bytes (source.read, once) → Book (workbook.open_book: the package scanned once, no openpyxl)
      → Report (engine.check: readers, then the selected rules)
      → + the written report's figures (writeup.verify) → pseudonyms (redact)
      → copies (annotate / recompute: openpyxl loads the same bytes; the file is not opened again)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .params import Params
from .report import Report


@dataclass(frozen=True)
class Options:
    """What a user may ask of a check, wherever they ask it (command line, batch, web page)."""
    params: Params = field(default_factory=Params)
    params_given: frozenset[str] = frozenset()    # the params the user set (others may be read from the sheet)
    select: tuple[str, ...] = ()                  # rule codes or prefixes to report (empty: all)
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()    # (code, 'error'|'warning'|'info') re-gradings
    lang: str = "zh"
    redact: bool = False                          # workers' names pseudonymised in every output
    report_file: str | None = None                # a written evaluation report whose figures are checked
    annotated: str | None = None                  # write the annotated copy here
    recomputed: str | None = None                 # write the recomputed copy here
    recompute_mode: str = "keep"                  # keep | values | restore (recompute.MODES)
    extra: tuple[Any, ...] = ()                   # findings the caller adds (a batch's cross-station pass)
    keep_going: bool = False                      # a copy that cannot be written is noted, not raised (web)


@dataclass
class Outcome:
    """What ``process`` made: the report, and the copies written (None when not asked or unreadable)."""
    report: Report
    annotated: Path | None = None
    recomputed: Any = None                        # recompute.Recomputed
    failed: dict[str, str] = field(default_factory=dict)   # copy → why it was not written (keep_going)


def process(src, options: Options | None = None) -> Outcome:
    """Check one workbook (a path or a ``source.Source``) and write the copies ``options`` asks for.

    Never raises for a bad workbook (its report has ``read_error``); a copy that cannot be written
    raises, for the caller to say so, unless ``keep_going`` (then ``Outcome.failed`` says why).
    """
    from . import engine

    o = options or Options()
    rep = engine.check(src, params=o.params, params_given=o.params_given, select=o.select, ignore=o.ignore,
                       severity_overrides=dict(o.severity))
    if not rep.readable:
        return Outcome(rep)
    if o.report_file:
        from .writeup.verify import add_report_findings
        add_report_findings(rep, o.report_file, o.select, o.ignore, dict(o.severity))
    if o.redact:
        from .redact import redact_report
        rep = redact_report(rep)
    if o.extra:
        rep.findings.extend(o.extra)
    out = Outcome(rep)
    for kind, path in (("annotated", o.annotated), ("recomputed", o.recomputed)):
        if not path:
            continue
        try:
            setattr(out, kind, _write(kind, rep, path, o))
        except Exception as exc:   # NB: a copy that fails leaves the check itself standing
            if not o.keep_going:
                raise
            out.failed[kind] = f"{type(exc).__name__}: {exc}"
    return out


def _write(kind: str, rep: Report, path: str, o: Options):
    """One copy of the checked workbook, from the bytes the check read (the writers never reopen the file)."""
    if kind == "annotated":
        from .annotate import write_annotated
        return write_annotated(rep, path, lang=o.lang, redact=o.redact)
    from .recompute import write_recomputed
    return write_recomputed(rep.path, path, values_only=o.recompute_mode == "values",
                            restore_formulas=o.recompute_mode == "restore", report=rep, lang=o.lang)
