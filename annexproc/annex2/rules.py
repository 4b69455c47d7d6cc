"""The 附件2 rules as functions over the model (``model.annex2``, a Staffing read by annex2.reader), each with its codes.

The derived cells are judged in ``derived_rules``.
"""
from __future__ import annotations

import math
import re

from ..cells import to_a1
from ..checks import rule
from ..formulas import TICK, is_num
from ..values import Kind, Note, read
from ..safety import said
from ..xlmath import num_text
from ..words import args
from .period import check_period
from .reader import EPS, SUB_EN, SUB_ZH, Staffing, _int, outside
from .roster import Worker, month_first, month_last, month_of, month_text, next_month



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
            _flag(ctx, "A230", g.sheet, cell, worker=wr.name, found=wr.seq, **args("reason", "annex2.same.missing"))
        else:
            _flag(ctx, "A230", g.sheet, cell, worker=wr.name, found=wr.seq, **args("reason", "annex2.same.other_name"))
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
        reason = args("reason", "annex2.headcount.params")
    elif st.headcount_source == "formula" and st.headcount_cell:
        reason = args("reason", "annex2.headcount.input", cell=cell, input=st.headcount_cell)
    elif st.headcount_source == "formula":
        reason = args("reason", "annex2.headcount.formula", cell=cell)
    else:
        last = st.last_month
        reason = dict(zip(("reason", "reason_en"), said("annex2.headcount.last_month",
                                                        month=(month_text(last), month_text(last, "en")))))
    _flag(ctx, "A221", st.sheet, cell, expected=st.agreed_headcount, **reason)


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
    join_rule = args("day_rule", "annex2.day_rule.join", day=p.join_full_until_day, partial=num_text(p.partial_value))
    leave_rule = args("day_rule", "annex2.day_rule.leave", day=p.leave_full_from_day,
                      partial=num_text(p.partial_value))
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
                             found=e.marked, **join_rule)
            if left and month_of(left) == ym and not (joined and month_of(joined) == ym):
                want = 1.0 if left.day >= p.leave_full_from_day else p.partial_value
                if not math.isclose(e.marked, want):
                    _flag(ctx, "A211", st.sheet, cell, worker=w.name, left=left, expected=want,
                             found=e.marked, **leave_rule)
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
                         **args("other", f"annex2.section.{rows[r0].section}"),
                         other_cell=to_a1(*e0.cells[0]))
        if not marked:
            reason = None
            segs = [(row, per[ym]) for row, per in w.entries.items() if ym in per and per[ym].segment]
            if segs:
                row, e = segs[0]
                reason = args("reason", "annex2.off.segment", cell=to_a1(*e.cells[0]), segment=e.segment)
            elif any(a <= month_last(ym) and b >= month_first(ym) for a, b in rm.leaves):
                reason = args("reason", "annex2.off.leave")
            if reason:
                row = segs[0][0] if segs else w.rows[0].row
                cell = to_a1(*w.entries[row][ym].cells[0])
                _flag(ctx, "A214", st.sheet, cell, worker=w.name, month=m, **reason)
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


def _share_text(x: float) -> str:
    from fractions import Fraction
    fr = Fraction(x).limit_denominator(20)
    if math.isclose(float(fr), x):
        return f"{fr.numerator}/{fr.denominator}"
    return f"{x:.0%}"
