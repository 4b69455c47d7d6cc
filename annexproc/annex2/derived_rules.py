"""附件2's derived cells against the rules, and the causes found at the inputs that explain them (A201–A205, A220, A231)."""
from __future__ import annotations

from typing import Any

from .. import derived
from ..checks import rule
from ..formulas import TICK, Calc, evaluate_all, is_num
from ..values import NOTE_RULE
from ..words import args
from .reader import EPS, Staffing, as_read
from .roster import Entry
from .rules import _flag, _shortfalls, _staffing

_CAUSES = ("A207", "A208", "A209", "A212", *NOTE_RULE.values())   # findings at inputs that change derived cells


@rule("A201", "A202", "A203", "A204", "A205", "A220", "A231", amends=_CAUSES)
def derived_cells(ctx) -> None:
    """Every derived cell against the rules; a cause found at the inputs carries the cells it changes."""
    st = _staffing(ctx)
    if st is None:
        return
    causes = _Causes(st)
    for calc in st.calcs:
        _compare(ctx, st, calc, st.meant[calc.pos], causes)
    causes.report(ctx)


_SUMLIKE = {"sum", "sum_na", "ticks", "present", "months", "effective", "heads"}


def _compare(ctx, st: Staffing, calc: Calc, expected: Any, causes: "_Causes") -> None:
    v = derived.compare(st.located.sheet, calc, expected, sums=calc.kind in _SUMLIKE)
    if v is None:
        return
    D = derived.Discrepancy
    if v.kind in (D.MISMATCH, D.CONSTANT_WRONG) and causes.explain(calc, v.found, expected):
        return
    unit = "pct" if "%" in (calc.number_format or "") else None
    kw = dict(indicator=calc.label, formula=calc.formula(), expected=expected, unit=unit)
    if v.kind is D.OTHER_FORMULA:
        ctx.other_formulas.append((st.sheet, calc.a1))
    elif calc.kind == "ratio" and v.kind not in (D.CONSTANT_EQUAL, D.OTHER_REFS_AGREE):
        if v.calculated:   # NB: the 稳岗率 is said by its own rule, with the workers it counts
            _flag_stable(ctx, st, calc.a1, v.found, unit)
    else:
        _flag(ctx, derived.CODES["annex2"][v.kind], st.sheet, calc.a1, **derived.said(v), **kw)


def _flag_stable(ctx, st: Staffing, a1: str, found: Any, unit) -> None:
    n, d = len(st.stable_workers), st.agreed_headcount
    _flag(ctx, "A220", st.sheet, a1, expected=(n / d) if d else "/", found=found, unit=unit,
             stable=n, headcount=d)


class _Causes:
    """Derived cells whose value in the file is explained by a cause found elsewhere, and what each cause changes.

    A derived cell that shows what the official formula gives on the cells as typed, where the rules give
    another value, is no separate error: the marks the file's formulas do not count ('✓') make one A201
    for all such cells; a month counted outside the contract, or a number typed as text, lists them in its
    own finding. A month on
    post without the 社保/工资 tick lists the cells and figures it lowers, and the shortfall it makes.
    """

    def __init__(self, st: Staffing):
        self.st = st
        self.calc_at = {c.pos: c for c in st.calcs}
        self._closure: dict = {}
        self.unticked_formulas: list[tuple[Calc, Any, Any]] = []     # (calc, file value, rule value)
        self.effects: dict[str, list] = {}                            # finding cell → affects
        g = st.layout
        self.figure_at = {}
        if g.grand_row:
            self.figure_at[(g.grand_row, g.total_col)] = "total_person_months"
        for key, sec in g.sections.items():
            if sec.subtotal_row:
                self.figure_at[(sec.subtotal_row, g.total_col)] = f"{key}_person_months"

    def closure(self, calc: Calc) -> set:
        """Every input cell a derived cell depends on, through the derived cells it reads."""
        if calc.pos not in self._closure:
            out: set = set()
            for p in calc.refs():
                sub = self.calc_at.get(p)
                out |= self.closure(sub) if sub is not None and sub.pos != calc.pos else {p}
            self._closure[calc.pos] = out
        return self._closure[calc.pos]

    def explain(self, calc: Calc, found: Any, expected: Any) -> bool:
        """Is the file's value at ``calc`` what the official formula gives on the cells as typed, for a
        cause found at the inputs? Then that cause carries it (True)."""
        sheet = self.st.located.sheet
        strict = self.st.recomputed.get(calc.pos)
        if strict == expected or not derived.shows(strict, sheet.value(*calc.pos), sheet.number_format(*calc.pos)):
            return False
        inputs = self.closure(calc)
        months = [cell for pos, cell in self.st.outside.items() if pos in inputs]
        months += [cell for pos, cell in self.st.text_numbers.items() if pos in inputs]
        if months:
            for cell in months:
                self.effects.setdefault(cell, []).extend(self._change(calc, expected, found))
            return True
        if inputs & self.st.alt_ticks:
            self.unticked_formulas.append((calc, found, expected))
            return True
        return False

    def _change(self, calc: Calc, before: Any, after: Any) -> list:
        out = [(calc.a1, before, after)]
        fig = self.figure_at.get(calc.pos)
        if fig:
            out.append((fig, before, after))
        return out

    def report(self, ctx) -> None:
        st = self.st
        if self.unticked_formulas:
            calc, found, expected = self.unticked_formulas[0]
            affects = [a for c, f, e in self.unticked_formulas for a in self._change(c, e, f) if a[0] in FIGURES]
            _flag(ctx, "A201", st.sheet, calc.a1, cells=[c.a1 for c, _, _ in self.unticked_formulas],
                  indicator=calc.label, formula=calc.formula(), expected=expected, found=found, affects=affects,
                  **args("why", "annex2.why.unticked"))
        for cell, entry in st.unticked[:_MAX_FIXES]:
            self.effects.setdefault(cell, []).extend(self._ticked(entry))
        for cell, affects in self.effects.items():
            ctx.amend(st.sheet, cell, _CAUSES, affects)
        ctx.explained |= _short(st, self.effects, {code for code, _, _ in _shortfalls(st, ctx.params)})

    def _ticked(self, e: Entry) -> list:
        """What ticking the missing 社保/工资 of ``e`` would change: (cell or figure, then, now)."""
        sheet = self.st.located.sheet
        base = as_read(sheet, self.st.outside)
        fixed = set(e.cells[1:])
        values = evaluate_all(self.st.calcs, lambda p: TICK if p in fixed else base(p))
        return [a for c in self.st.calcs if values[c.pos] != self.st.meant[c.pos]
                for a in self._change(c, values[c.pos], self.st.meant[c.pos])]


_MAX_FIXES = 40          # NB: each costs one evaluation of the grid; a sheet with more is broken anyway
FIGURES = {"total_person_months", "certified_person_months", "uncertified_person_months"}


def _short(st: Staffing, effects: dict, flagged: set[str]) -> set[str]:
    """The shortfalls (A219, A218) that the causes alone make: they are said inside the causes, not again."""
    f = st.figures
    out = set()
    for code, key, need in (("A219", "total_person_months", f.get("required_person_months")),
                            ("A218", "certified_person_months", f.get("required_certified_person_months"))):
        if code not in flagged or need is None:
            continue
        # NB: the cause makes the difference between meeting and missing the agreement, either way round:
        # a missing 社保 tick lowers the total below it, a month ticked after leaving hides the shortfall
        if any(what == key and is_num(a) and is_num(b) and min(a, b) + EPS < need <= max(a, b) + EPS
               for affects in effects.values() for what, a, b in affects):
            out.add(code)
    return out
