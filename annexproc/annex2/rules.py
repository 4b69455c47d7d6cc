"""The 附件2 rules as functions over the model (``model.annex2``, a Staffing read by annex2.reader), each with its codes."""
from __future__ import annotations

import math
import re
from typing import Any

from .. import derived
from ..cells import to_a1
from ..checks import rule
from ..formulas import TICK, Calc, evaluate_all, is_num
from ..values import NOTE_RULE, Kind, Note
from ..values import read
from ..xlmath import num_text
from .period import check_period
from .reader import EPS, SUB_EN, SUB_ZH, Staffing, _int, as_read, outside
from .roster import Entry, Worker, month_first, month_last, month_of, month_text, next_month

SECTION_ZH = {"certified": "持证社工", "uncertified": "非持证社工"}
SECTION_EN = {"certified": "certified", "uncertified": "uncertified"}
_CAUSES = ("A207", "A208", "A209", "A212", *NOTE_RULE.values())   # findings at inputs that change derived cells


_CN_MONTH = re.compile(r"(\d{4})年(\d{1,2})月")


def _flag(ctx, code: str, sheet, cell, **kw) -> None:
    """ctx.flag, with the English month ('2024-12') beside the Chinese one for the en templates."""
    if isinstance(kw.get("month"), str):
        kw.setdefault("month_en", _CN_MONTH.sub(lambda m: f"{m[1]}-{int(m[2]):02d}", kw["month"]))
    ctx.flag(code, sheet, cell, **kw)


def _staffing(ctx) -> Staffing | None:
    return ctx.model.annex2


@rule("A224", "A232", "A230", "A223", "A226")
def grid(ctx) -> None:
    """The month titles, the agreement period, ``同N`` rows, unreadable contracts, a 职位 naming three districts."""
    st = _staffing(ctx)
    if st is None:
        return
    loc, g = st.located, st.layout
    for i, exp, found in loc.gaps:
        _flag(ctx, "A224", g.sheet, to_a1(*loc.month_cells[i]), found=loc.month_texts[i],
              expected=month_text(exp), expected_en=month_text(exp, "en"))
    check_period(ctx, loc)
    for wr, why in st.roster_problems:
        cell = to_a1(wr.row, g.lead.get("序号", g.lead["姓名"]))
        if why == "missing":
            _flag(ctx, "A230", g.sheet, cell, worker=wr.name, found=wr.seq, reason="指向的序号不存在，已按姓名归并",
                  reason_en="names no existing row; merged by name")
        else:
            _flag(ctx, "A230", g.sheet, cell, worker=wr.name, found=wr.seq,
                  reason="指向的行姓名不同，已按本行姓名归并", reason_en="names a row with another name; merged by name")
    for w in st.workers:
        if w.contract.text and not w.contract.readable:
            r = w.rows[0].row
            _flag(ctx, "A223", g.sheet, to_a1(r, g.lead["合同期限"]), worker=w.name, found=w.contract.text)
        if len(w.districts) >= 3 and "职位" in g.lead:
            _flag(ctx, "A226", g.sheet, to_a1(w.rows[0].row, g.lead["职位"]), worker=w.name, found=w.position,
                  expected=len(w.districts))


@rule("A206", "A222")
def marks(ctx) -> None:
    """Tick marks other than '√'; 人员到位 numbers outside 0…1."""
    st = _staffing(ctx)
    for w, e in st.read_entries() if st is not None else ():
        month = month_text(e.month)
        for i, (rd, pos) in enumerate(zip((e.present, e.insured, e.paid), e.cells)):
            if rd.kind is Kind.TICK and rd.note is Note.ALT_TICK:
                _flag(ctx, "A206", st.sheet, to_a1(*pos), found=str(rd.raw).strip(), expected=TICK, worker=w.name,
                      indicator=SUB_ZH[i], month=month)
            elif i == 0 and rd.kind is Kind.NUMBER and rd.value is not None and not (0 <= rd.value <= 1):
                _flag(ctx, "A222", st.sheet, to_a1(*pos), found=rd.value, worker=w.name, month=month)


@rule("A221")
def headcount(ctx) -> None:
    """Where the agreed headcount came from (the parameters, the 稳岗率 formula, the last month)."""
    st = _staffing(ctx)
    if st is None:
        return
    g = st.layout
    cell = to_a1(*g.stable_cell) if g.stable_cell else None
    if st.headcount_source == "params":
        reason, reason_en = "取自参数（--headcount 或参数文件）", "from the parameters (--headcount or the params file)"
    elif st.headcount_source == "formula":
        reason = f"取自稳岗率单元格 {cell} 公式中的分母（协议要求在岗社工数）"
        reason_en = f"the denominator in the 稳岗率 formula of {cell}"
    else:
        reason = (f"未给出参数、稳岗率单元格也没有含分母的公式，按最后一个月（{month_text(st.last_month)}）"
                  f"在岗人数计；如协议人数不同，请用 --headcount 指定")
        reason_en = (f"no parameter and no denominator in the 稳岗率 formula: the heads on post in the last month "
                     f"({month_text(st.last_month, 'en')}); give --headcount if the agreement says otherwise")
    _flag(ctx, "A221", st.sheet, cell, expected=st.agreed_headcount, reason=reason, reason_en=reason_en)


@rule("A207", "A208", "A209", "A210", "A211", "A212")
def months(ctx) -> None:
    """Months on post outside the contract or after leaving, partial months, months without 社保/工资."""
    st = _staffing(ctx)
    for w in st.workers if st is not None else ():
        _month_rules(ctx, st, w)


@rule("A213", "A214", "A215")
def sections(ctx) -> None:
    """Both sections in one month; neither while on post by 备注 or a segment; certified before the certificate."""
    st = _staffing(ctx)
    for w in st.workers if st is not None else ():
        _section_rules(ctx, st, w)


def _month_rules(ctx, st: Staffing, w: Worker) -> None:
    p = ctx.params
    c, rm = w.contract, w.remarks
    rule_zh = f"{p.join_full_until_day}日及以前入职计1、之后计{num_text(p.partial_value)}"
    rule_en = f"joining on or before day {p.join_full_until_day} → 1, after → {num_text(p.partial_value)}"
    lrule_zh = f"{p.leave_full_from_day}日及以后离职计1、之前计{num_text(p.partial_value)}"
    lrule_en = f"leaving on or after day {p.leave_full_from_day} → 1, before → {num_text(p.partial_value)}"
    joined = rm.joined or c.start
    left_dates = [d for d in (rm.resigned, c.end) if d]
    left = min(left_dates) if left_dates else None
    for row, per in w.entries.items():
        for ym, e in per.items():
            if e.marked <= 0:
                continue
            cell = to_a1(*e.cells[0])
            found = e.present.value if e.present.kind is Kind.NUMBER else str(e.present.raw).strip()
            m = month_text(ym)
            why = outside(w, ym)     # NB: such a month counts 0 (annex2.reader): said once, here
            if why == "A207":
                _flag(ctx, "A207", st.sheet, cell, worker=w.name, month=m, found=found, contract_start=c.start)
                continue
            if why == "A208":
                _flag(ctx, "A208", st.sheet, cell, worker=w.name, month=m, found=found, contract_end=c.end)
                continue
            if why == "A209":
                _flag(ctx, "A209", st.sheet, cell, worker=w.name, month=m, found=found, left=rm.resigned)
                continue
            # NB: the partial-month rules look at the whole person (both rows): a 0.5 may sit in either.
            if joined and month_of(joined) == ym and not (left and month_of(left) == ym):
                want = 1.0 if joined.day <= p.join_full_until_day else p.partial_value
                if not math.isclose(e.marked, want):
                    _flag(ctx, "A210", st.sheet, cell, worker=w.name, joined=joined, expected=want,
                             found=e.marked, day_rule=rule_zh, day_rule_en=rule_en)
            if left and month_of(left) == ym and not (joined and month_of(joined) == ym):
                want = 1.0 if left.day >= p.leave_full_from_day else p.partial_value
                if not math.isclose(e.marked, want):
                    _flag(ctx, "A211", st.sheet, cell, worker=w.name, left=left, expected=want,
                             found=e.marked, day_rule=lrule_zh, day_rule_en=lrule_en)
            if e.insured.kind is not Kind.TICK or e.paid.kind is not Kind.TICK:
                miss = [(SUB_ZH[i], SUB_EN[i], e.cells[i], rd.raw) for i, rd in ((1, e.insured), (2, e.paid))
                        if rd.kind is not Kind.TICK]
                _flag(ctx, "A212", st.sheet, to_a1(*miss[0][2]), worker=w.name, month=m,
                         what="、".join(x[0] for x in miss), what_en=" and ".join(x[1] for x in miss),
                         expected=TICK, found=miss[0][3])


def _section_rules(ctx, st: Staffing, w: Worker) -> None:
    """Both sections in one month; neither section while on post by 备注 or a segment; certificate dates."""
    rm = w.remarks
    rows = {r.row: r for r in w.rows}
    for ym in st.months:
        marked = [(row, per[ym]) for row, per in w.entries.items() if ym in per and per[ym].marked > 0]
        m = month_text(ym)
        if len({rows[r].section for r, _ in marked}) > 1 or len(marked) > 1:
            (r0, e0), *rest = marked
            for r1, e1 in rest:
                _flag(ctx, "A213", st.sheet, to_a1(*e1.cells[0]), worker=w.name, month=m,
                         other=SECTION_ZH[rows[r0].section], other_en=SECTION_EN[rows[r0].section],
                         other_cell=to_a1(*e0.cells[0]))
        if not marked:
            reason = None
            segs = [(row, per[ym]) for row, per in w.entries.items() if ym in per and per[ym].segment]
            if segs:
                row, e = segs[0]
                reason = (f"{to_a1(*e.cells[0])} 的“{e.segment}”表示此月计入另一部分",
                          f"“{e.segment}” in {to_a1(*e.cells[0])} says this month counts in the other section")
            elif any(a <= month_last(ym) and b >= month_first(ym) for a, b in rm.leaves):
                reason = ("备注写明此月在休假（休假期间仍计在岗）", "the remarks put this month in a leave (on post)")
            if reason:
                row = segs[0][0] if segs else w.rows[0].row
                cell = to_a1(*w.entries[row][ym].cells[0])
                _flag(ctx, "A214", st.sheet, cell, worker=w.name, month=m, reason=reason[0], reason_en=reason[1])
    if rm.certified:
        start = month_of(rm.certified)
        if ctx.params.certified_from != "same":
            start = next_month(start)
        for row, per in w.entries.items():
            if rows[row].section != "certified":
                continue
            for ym, e in per.items():
                if e.marked > 0 and ym < start:
                    _flag(ctx, "A215", st.sheet, to_a1(*e.cells[0]), worker=w.name, month=month_text(ym),
                             certified=rm.certified, from_month=month_text(start),
                             from_month_en=month_text(start, "en"), found=e.marked)


@rule("A216", "A217")
def two_year(ctx) -> None:
    """满两年 months: not more than the row's total, not fewer than the contract proves."""
    st = _staffing(ctx)
    for w in st.workers if st is not None else ():
        _two_year_rules(ctx, st, w)


def _two_year_rules(ctx, st: Staffing, w: Worker) -> None:
    g = st.layout
    if not g.two_year_col:
        return
    sheet = st.located.sheet
    start = w.contract.start
    for wr in w.rows:
        pos = (wr.row, g.two_year_col)
        rd = read(sheet.value(*pos))
        two = rd.value if rd.kind is Kind.NUMBER else 0.0
        total = st.meant.get((wr.row, g.total_col))
        total = float(total) if is_num(total) else 0.0
        a1 = to_a1(*pos)
        if two > total + EPS:
            _flag(ctx, "A216", st.sheet, a1, worker=wr.name, found=two, expected=total)
            continue
        if start is None:
            continue
        proven = 0.0
        for ym, e in w.entries[wr.row].items():
            y, m = ym
            try:
                bar = month_first((y - 2, m))
            except ValueError:
                continue
            if start <= bar:
                proven += e.counted
        if two + EPS < proven:
            _flag(ctx, "A217", st.sheet, a1, worker=wr.name, found=two, expected=proven, contract_start=start)


@rule("A218", "A219", after=("A201",))
def shortfall(ctx) -> None:
    """The person-months against the agreement: the certified share, the total (unless a cause says it)."""
    st = _staffing(ctx)
    for code, cell, kw in _shortfalls(st, ctx.params) if st is not None else ():
        if code not in ctx.explained:
            _flag(ctx, code, st.sheet, cell, **kw)


def _shortfalls(st: Staffing, p) -> list[tuple[str, str, dict]]:
    """(code, cell, arguments) of each shortfall the figures show."""
    if not st.workers:
        return []    # NB: a blank grid (the template as issued) is not filled in yet: nothing to hold it to
    g, f = st.layout, st.figures
    cert, total, months = f["certified_person_months"], f["total_person_months"], f["months"]
    required, required_cert = f["required_person_months"], f["required_certified_person_months"]
    cert_sec, out = g.sections.get("certified"), []
    if cert_sec and cert + EPS < required_cert:
        r = cert_sec.subtotal_row or (cert_sec.workers[-1].row if cert_sec.workers else g.header_row)
        out.append(("A218", to_a1(r, g.total_col), dict(found=_int(cert), expected=required_cert, required=_int(required),
                    share=_share_text(p.certified_share), share_en=_share_text(p.certified_share))))
    if total + EPS < required:
        r = g.grand_row or (cert_sec.subtotal_row if cert_sec and cert_sec.subtotal_row else g.header_row)
        out.append(("A219", to_a1(r, g.total_col), dict(found=_int(total), expected=_int(required),
                    headcount=f["agreed_headcount"], months=months)))
    return out


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
    if v.kind is D.CONSTANT_EQUAL:
        _flag(ctx, "A202", st.sheet, calc.a1, found=v.found, **kw)
    elif v.kind is D.OTHER_FORMULA:
        ctx.other_formulas.append((st.sheet, calc.a1))
    elif v.kind is D.OTHER_REFS_AGREE:
        _flag(ctx, "A231", st.sheet, calc.a1, found=v.found, found_formula=v.formula,
              missing=derived.refs_text(v.missing), **kw)
    elif calc.kind == "ratio":
        if v.calculated:
            _flag_stable(ctx, st, calc.a1, v.found, unit)
    elif v.kind is D.CONSTANT_WRONG:
        _flag(ctx, "A203", st.sheet, calc.a1, found=v.found, **kw)
    elif v.kind is D.AVERAGE:
        _flag(ctx, "A205", st.sheet, calc.a1, found=v.found, found_formula=v.formula, **kw)
    elif v.kind is D.OTHER_REFS:
        _flag(ctx, "A204", st.sheet, calc.a1, found=v.found if v.calculated else "（未计算）",
              **({} if v.calculated else {"found_en": "not calculated"}),
              found_formula=v.formula, **kw)
    else:
        _flag(ctx, "A201", st.sheet, calc.a1, found=v.found, **kw)


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
                  why="表中的公式没有把“✓”等勾号算作打勾。", why_en=" The sheet's formulas do not count '✓' as a tick.")
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


def _share_text(x: float) -> str:
    from fractions import Fraction
    fr = Fraction(x).limit_denominator(20)
    if math.isclose(float(fr), x):
        return f"{fr.numerator}/{fr.denominator}"
    return f"{x:.0%}"
