"""附件1's derived cells against the rules; a text number or a wrong cell that explains others carries them (A101–A109)."""
from __future__ import annotations

from statistics import mean

from .. import derived
from ..cells import from_a1, to_a1
from ..checks import rule
from ..formulas import Calc, is_num
from ..values import NOTE_RULE, Kind, read
from ..words import entry
from ..xlmath import pct_text, same_shown
from .rules import _tables

#: The kinds of derived cell whose rule a finding says ({rule_text}: words "annex1.rule.<kind>").
RULE_KINDS = ("pct", "total_pct", "sum_na", "sum")
#: The findings of a derived cell whose value is wrong: a cause of the cells that read it (_Judge._explained).
_VALUE_ERRORS = ("A101", "A102", "A103", "A105", "A106", "A108")



@rule("A101", "A102", "A103", "A104", "A105", "A106", "A107", "A108", "A109", after=("RD05",),
      amends=tuple(NOTE_RULE.values()))
def derived_cells(ctx) -> None:
    """Every derived cell against the rules; a text number or a wrong cell that explains others carries them."""
    judge = _Judge(ctx)
    for t in _tables(ctx):
        if t.filled:
            s = ctx.book.sheet(t.sheet)
            for c in t.calcs:
                judge.compare(s, c, t.meant[c.pos], t.stored[c.pos], t.info.get(c.pos, {}), t.meant)
    judge.amend_causes()


class _Judge:
    """The derived cells' verdicts, and which wrong cell is wrong only because of another (one cause, one error)."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.a1 = ctx.model.annex1
        # NB: one cause, one error: a derived cell that is wrong only because of a text number it reads, or of
        # a wrong derived cell it reads, is listed in that cause's finding (effects) instead of its own
        self.wrong: dict[tuple[str, tuple[int, int]], tuple[str, str]] = {}   # derived cell → (sheet, A1) of its cause
        self.effects: dict[tuple[str, str], list] = {}                        # cause → [(cell, without, with)]

    def compare(self, s, c: Calc, exp, strict_val, info: dict, meant: dict) -> None:
        cell = to_a1(*s.top_left(*c.pos))
        found = s.value(*c.pos)
        fr = read(found)
        kind = info.get("rule", c.kind)
        rk = kind if kind in RULE_KINDS else c.kind
        rz, re_ = entry(f"annex1.rule.{rk}") if rk in RULE_KINDS else ("", "")
        unit = "pct" if c.kind == "pct" else None
        kw = dict(district=info.get("district"), indicator=info.get("indicator"), label=c.label,
                  formula=c.formula(), rule_text=rz, rule_text_en=re_, unit=unit)
        if kind == "total_pct" and self._is_average(fr, exp, info, meant):
            self.ctx.flag("A108", s.name, cell, expected=exp, found=derived.shown_value(found), **kw)
            return
        v = derived.compare(s, c, exp, sums=kind == "total_pct")
        if v is None:
            return
        D = derived.Discrepancy
        if v.kind in (D.MISMATCH, D.CONSTANT_WRONG) and self._explained(s, c, cell, exp, strict_val, found):
            return
        if v.kind not in (D.CONSTANT_EQUAL, D.OTHER_FORMULA, D.OTHER_REFS_AGREE):
            self.wrong[(s.name, c.pos)] = (s.name, cell)
        if v.kind is D.OTHER_FORMULA:
            self.ctx.other_formulas.append((s.name, cell))
            return
        code = derived.CODES["annex1"][v.kind]
        if v.kind in (D.MISMATCH, D.CONSTANT_WRONG):   # NB: a number where the rule gives '/', or the reverse
            if v.na == "number_for_na" and unit == "pct":
                code = "A102"
            elif v.na == "na_for_number":
                code = "A103"
        self.ctx.flag(code, s.name, cell, expected=exp, **derived.said(v), **kw)

    def _explained(self, s, c: Calc, cell: str, exp, strict, found) -> bool:
        """Does the cell show what its formula gives from the cells as they are, wrong only because of a
        text number it reads (the formulas leave text out) or of a wrong derived cell it reads?"""
        shows_strict = derived.shows(strict, found, s.number_format(*c.pos))
        texts = self._text_inputs_of(s.name, c)
        if texts and (shows_strict or read(found).kind is Kind.ERROR):
            causes = [(s.name, a1) for a1 in texts]
        else:
            causes = list(dict.fromkeys(self.wrong[(s.name, p)] for p in c.refs() if (s.name, p) in self.wrong))
            # NB: right from the cells it reads as the file has them (a percentage of a wrong 合计)
            if not (causes and derived.shows(c.evaluate(derived.stored(s)), found, s.number_format(*c.pos))):
                return False
            self.wrong[(s.name, c.pos)] = causes[0]
        shown = derived.shown_value(found)
        if c.kind == "pct":   # NB: as the cell shows it
            exp, shown = (pct_text(x) if is_num(x) else x for x in (exp, shown))
        for key in causes:
            self.effects.setdefault(key, []).append((cell, exp, shown))
        return True

    def amend_causes(self) -> None:
        """Give each cause the cells it makes wrong; a text number that does so is the error A109."""
        texts = {(sheet, a1) for (sheet, _), a1 in self.a1.text_inputs.items()}
        for (sheet, a1), affects in self.effects.items():
            if (sheet, a1) in texts:
                self.ctx.amend(sheet, a1, NOTE_RULE.values(), affects, rule="A109")
            else:
                self.ctx.amend(sheet, a1, _VALUE_ERRORS, affects)

    def _text_inputs_of(self, sheet, c: Calc) -> list[str]:
        """Text-number input cells that feed ``c``, through the 合计 cells too."""
        out, seen, todo = [], set(), list(c.refs())
        while todo:
            p = todo.pop()
            if p in seen:
                continue
            seen.add(p)
            if (sheet, p) in self.a1.text_inputs:
                out.append(self.a1.text_inputs[(sheet, p)])
            sub = self.a1.calc_at.get((sheet, p))
            if sub is not None:
                todo.extend(sub.refs())
        return sorted(set(out), key=lambda a: from_a1(a))

    def _is_average(self, fr, exp, info, meant) -> bool:
        """A 合计 percentage that equals the mean of the district percentages and not the rule."""
        if fr.kind is not Kind.NUMBER or not info.get("district_pcts"):
            return False
        if is_num(exp) and same_shown(exp, fr.value, "0.00%"):
            return False
        s = self.ctx.book.sheet(info["sheet"])
        for source in ([meant.get(p) for p in info["district_pcts"]],
                       [read(s.value(*p)).value for p in info["district_pcts"]]):
            nums = [v for v in source if is_num(v)]
            if len(nums) >= 2 and same_shown(mean(nums), fr.value, "0.00%"):
                return True
        return False
