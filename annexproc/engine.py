"""Running the checks on one workbook and collecting one Report: read the model, run the selected rules.

No pandas on this path.
"""
from __future__ import annotations

import traceback
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Iterator

from .errors import AnnexInputError
from .findings import Finding, finding
from .grouping import group
from .model import Model
from .params import Params
from .report import Derived, Report
from .rulebook import selected

#: The readers, in the order they read: the ledger's period comes from 附件2's months.
READERS = ("annex1", "annex2", "ledger")


@dataclass
class Context:
    """What the rule functions share while one workbook is checked."""
    book: Any                                   # workbook.Book
    params: Params
    params_given: set[str] = field(default_factory=set)   # which params the user set explicitly
    findings: list[Finding] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    derived: dict[tuple[str, str], Derived] = field(default_factory=dict)
    model: Model = field(default_factory=Model)
    station: str | None = None
    other_formulas: list[tuple[str, str]] = field(default_factory=list)  # (sheet, A1): another formula, same value
    explained: set[str] = field(default_factory=set)   # codes a cause's finding already says (not said again)

    @property
    def located(self) -> Model:
        """The model under its old name (``ctx.located['annex2']`` still reads)."""
        return self.model

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

    def crashed(self, name, exc: Exception) -> None:
        """RD11: a reader or a rule function raised; ``name`` is the reader or the rule's codes."""
        tb = traceback.extract_tb(exc.__traceback__)[-1]
        self.flag("RD11", None, None, failed_rule=name,
                  reason=f"{type(exc).__name__}: {exc} ({tb.filename.rsplit('/', 1)[-1]}:{tb.lineno})")


def read(ctx: Context, readers: Iterable[str] = READERS) -> None:
    """Read the model of ``ctx.book``: each reader on its own (one that raises is RD11, the others read)."""
    for name in readers:
        try:
            part = _READ[name](ctx)
        except Exception as exc:  # NB: one broken reader must not hide the other annexes
            ctx.crashed(f"{name}.read", exc)
            continue
        ctx.model.merge(part)
        take_in(ctx, part)


def _read_ledger(ctx) -> Model:
    from .ledger import read
    return read(ctx.book)


def _read_annex2(ctx) -> Model:
    from .annex2 import read
    return read(ctx.book, ctx.params)


def _read_annex1(ctx) -> Model:
    from .annex1 import read
    return read(ctx.book)


_READ = {"annex1": _read_annex1, "annex2": _read_annex2, "ledger": _read_ledger}


def take_in(ctx: Context, part: Model) -> None:
    """What a reader's part gives the report besides findings: the derived cells, the figures, the station."""
    if part.annex1 is not None:
        for d in part.annex1.derived:
            ctx.derive(d)
        ctx.figures.update(part.annex1.figures())
        if part.annex1.station and not ctx.station:
            ctx.station = part.annex1.station
    if part.annex2 is not None:
        for d in part.annex2.derived():
            ctx.derive(d)
        ctx.figures.update(part.annex2.figures)
    if part.ledger is not None:
        from .ledger.reader import figure
        fig = figure(ctx.model, ctx.params, ctx.params_given)
        if fig is not None:
            ctx.figures["ledger"] = fig


def run_rules(ctx: Context, select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()) -> None:
    """Run the rule functions the selection needs, in their order; one that raises is RD11 naming its codes."""
    from .checks import plan
    for check in plan(select, ignore):
        try:
            check(ctx)
        except Exception as exc:  # NB: one broken rule must not hide every other finding
            ctx.crashed(list(check.codes), exc)


def check(path: str, *, params: Params | None = None, params_given: Iterable[str] = (),
          select: tuple[str, ...] = (), ignore: tuple[str, ...] = (),
          severity_overrides: dict[str, str] | None = None) -> Report:
    """Check one workbook. Never raises for a bad file: an unreadable one gives ``read_error``.

    The model (``report.model``: layouts, values, the staffing, the ledger) stays on the report in process.
    """
    from .readnotes import values_only
    from .workbook import open_book

    params = params or Params()
    report = Report(path=str(getattr(path, "path", path)))
    try:
        book = open_book(path)   # NB: a path or a source.Source: the bytes are read once, openpyxl is not loaded
    except AnnexInputError as exc:
        return Report.unreadable(report.path, exc.text("zh"), exc.text("en"))
    report.sha256 = book.sha256
    ctx = Context(book=book, params=params, params_given=set(params_given))
    read(ctx)
    run_rules(ctx, select, ignore)
    values_only(ctx)
    overrides = severity_overrides or {}
    report.findings = group([f.with_severity(overrides[f.rule]) if f.rule in overrides else f
                             for f in ctx.findings if selected(f.rule, select, ignore)])
    report.figures = ctx.figures
    report.derived = ctx.derived
    report.station = ctx.station
    report.book = book  # NB: kept for the annotator in the same process; not serialised
    report.model = ctx.model  # NB: what compare and the writeup read; not serialised
    return report


def check_many(paths: Iterable[str], **kw) -> Iterator[Report]:
    """Check several workbooks one after the other (see batch for processes)."""
    for p in paths:
        r = check(p, **kw)
        r.book = r.model = None
        yield r
