"""Running the checks on one workbook and collecting one Report. No pandas on this path."""
from __future__ import annotations

import importlib
import traceback
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Iterator

from .errors import AnnexInputError
from .findings import Finding, finding
from .grouping import group
from .params import Params
from .report import Derived, Report
from .rulebook import selected

#: The rule families run in this order; each module has ``run(ctx)``. Later ones read what earlier
#: ones located (ctx.located) — the cross-checks need both annexes.
CHECKERS = ("annexproc.annex1.check", "annexproc.annex2.check", "annexproc.ledger.check",
            "annexproc.crosscheck", "annexproc.readnotes")


@dataclass
class Context:
    """What the checkers share while one workbook is checked."""
    book: Any                                   # workbook.Book
    params: Params
    params_given: set[str] = field(default_factory=set)   # which params the user set explicitly
    findings: list[Finding] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    derived: dict[tuple[str, str], Derived] = field(default_factory=dict)
    located: dict[str, Any] = field(default_factory=dict)  # 'annex1_1', 'annex1_2', 'annex2', 'ledger'
    station: str | None = None
    other_formulas: list[tuple[str, str]] = field(default_factory=list)  # (sheet, A1): another formula, same value

    def add(self, f: Finding) -> None:
        self.findings.append(f)

    def flag(self, rule: str, sheet: str | None, cell: str | None, **kw) -> None:
        self.findings.append(finding(rule, sheet, cell, **kw))

    def amend(self, sheet: str, cell: str, rules, affects, **changes) -> None:
        """Give the finding of one of ``rules`` at ``sheet!cell`` the cells and figures it changes (a cause
        that leaves a printed value wrong is an error, whatever its own grade); ``changes`` re-code it."""
        for i, f in enumerate(self.findings):
            if (f.sheet, f.cell) == (sheet, cell) and f.rule in rules:
                self.findings[i] = replace(f, affects=tuple(dict.fromkeys(f.affects + tuple(affects))),
                                           severity="error", **changes)
                return

    def derive(self, d: Derived) -> None:
        self.derived[(d.sheet, d.cell)] = d


def check(path: str, *, params: Params | None = None, params_given: Iterable[str] = (),
          select: tuple[str, ...] = (), ignore: tuple[str, ...] = (),
          severity_overrides: dict[str, str] | None = None) -> Report:
    """Check one workbook. Never raises for a bad file: an unreadable one gives ``read_error``.

    The checkers' model (``report.located``: layouts, values, the staffing) stays on the report in process.
    """
    from .workbook import open_book

    params = params or Params()
    report = Report(path=str(getattr(path, "path", path)))
    try:
        book = open_book(path)   # NB: a path or a source.Source: the bytes are read once, openpyxl is not loaded
    except AnnexInputError as exc:
        return Report.unreadable(report.path, exc.text("zh"), exc.text("en"))
    report.sha256 = book.sha256
    ctx = Context(book=book, params=params, params_given=set(params_given))
    for zh, en in book.notes:   # NB: the report carries the reader's notes as RD09 findings, in both languages
        ctx.flag("RD09", None, None, reason=zh, reason_en=en)
    for sheet, cell, formula in getattr(book, "external_refs", ()):  # listed by xmlscan.scan_package
        ctx.flag("RD08", sheet, cell, found=formula)
    for name in CHECKERS:
        try:
            importlib.import_module(name).run(ctx)
        except Exception as exc:  # NB: one broken rule must not hide every other finding
            tb = traceback.extract_tb(exc.__traceback__)[-1]
            ctx.flag("RD11", None, None, failed_rule=name.rsplit(".", 2)[-2],
                     reason=f"{type(exc).__name__}: {exc} ({tb.filename.rsplit('/', 1)[-1]}:{tb.lineno})")
    if ctx.other_formulas:   # NB: another template's formulas that give the rule's values: one note
        sheets = list(dict.fromkeys(s for s, _ in ctx.other_formulas))
        ctx.flag("RD16", sheets[0], ctx.other_formulas[0][1], count=len(ctx.other_formulas), sheets=sheets,
                 cells=[c for s, c in ctx.other_formulas if s == sheets[0]])
    overrides = severity_overrides or {}
    report.findings = group([f.with_severity(overrides[f.rule]) if f.rule in overrides else f
                             for f in ctx.findings if selected(f.rule, select, ignore)])
    report.figures = ctx.figures
    report.derived = ctx.derived
    report.station = ctx.station
    report.book = book  # NB: kept for the annotator in the same process; not serialised
    report.located = ctx.located  # NB: the model compare reads (annex2 Staffing, annex1 layouts); not serialised
    return report


def check_many(paths: Iterable[str], **kw) -> Iterator[Report]:
    """Check several workbooks one after the other (see batch for processes)."""
    for p in paths:
        r = check(p, **kw)
        r.book = r.located = None
        yield r
