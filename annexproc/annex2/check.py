"""Checking 附件2 人员到岗情况: read the grid, recompute its derived cells, apply the staffing rules.

``run(ctx)`` is called by the engine after the 附件1 checker. It stores ``ctx.located['annex2']``
(a :class:`Staffing`), derives every calculated cell (``ctx.derive``), flags A2xx findings at the
cells that break a rule and sets the key figures (``ctx.figures``); 附件1's 投入社工人数 is held to this grid
by crosscheck.py (cross-annex rules in one place). Two readings of a month are kept apart on purpose:

- *counted* is what the official formula counts (``√`` or a number in 人员到位, with ``√`` in both
  社保购买 and 工资发放) — the person-month figures and the derived cells use it, because that is what
  the sheet shows once a spreadsheet recalculates it;
- *marked* is what a person means by 人员到位 (``√``, ``✓`` or a number > 0) — the date rules, the
  稳岗率 and the district headcounts use it: a ``✓`` month before the contract is still a claim, and a
  worker whose 社保 tick is missing is still on post (both are flagged on their own).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from .. import derived
from ..cells import to_a1
from ..formulas import TICK, Calc, evaluate_all, is_num
from ..layout import StaffingLayout, staffing_calcs
from ..report import Derived
from ..values import NOTE_RULE, Kind, Note, Reading, normalize, read
from ..xlmath import num_text
from .locate import Located, NotFound, is_segment, locate, stable_denominator
from .period import check_period
from .roster import (Entry, Month, Worker, build_roster, month_first, month_last, month_of,
                     month_text, next_month)

SUB_ZH = ("人员到位", "社保购买", "工资发放")
SUB_EN = ("on post", "insurance", "salary")
SECTION_ZH = {"certified": "持证社工", "uncertified": "非持证社工"}
SECTION_EN = {"certified": "certified", "uncertified": "uncertified"}
EPS = 1e-9


@dataclass
class Staffing:
    """What ``ctx.located['annex2']`` holds after the 附件2 checker ran.

    - ``layout``: the located :class:`~annexproc.layout.StaffingLayout` (rows, columns, months);
    - ``sheet``: the sheet name; ``located``: the reader's :class:`~.locate.Located` (agreement dates,
      month title cells, repeated header rows);
    - ``workers``: one :class:`~.roster.Worker` per person (a ``同N`` row merged into its row N, rows of
      the same name merged), each with ``rows`` (WorkerRow), ``contract``, ``remarks`` (dates read from
      备注), ``districts`` (numbers named by 职位: ``第一片区社工`` → (1,)) and ``entries``
      ``{row: {(y, m): Entry}}`` — per month the three readings, ``counted`` and ``marked``;
    - ``calcs`` and ``recomputed``: the official derived cells and their values ``{(row, col): value}``;
    - ``agreed_headcount`` with ``headcount_source`` ('params' | 'formula' | 'last_month');
      ``stable_workers``: the Workers on post every month.

    ``on_post(month)`` lists the workers marked on post that month; ``last_month`` is the period's last.
    """
    layout: StaffingLayout
    sheet: str
    located: Located
    workers: list[Worker] = field(default_factory=list)
    calcs: list[Calc] = field(default_factory=list)
    recomputed: dict[tuple[int, int], Any] = field(default_factory=dict)
    agreed_headcount: float | None = None
    headcount_source: str = ""
    stable_workers: list[Worker] = field(default_factory=list)
    meant: dict[tuple[int, int], Any] = field(default_factory=dict)   # the derived cells by the rules
    alt_ticks: set[tuple[int, int]] = field(default_factory=set)      # marks such as '✓'
    outside: dict[tuple[int, int], str] = field(default_factory=dict)  # 人员到位 cell of a month that cannot count → its finding's cell
    unticked: list[tuple[str, Entry]] = field(default_factory=list)  # (A212's cell, entry): on post without 社保/工资
    text_numbers: dict[tuple[int, int], str] = field(default_factory=dict)  # '0.5' typed as text → its A1

    @property
    def months(self) -> list[Month]:
        return self.layout.months

    @property
    def last_month(self) -> Month:
        return self.layout.months[-1]

    def on_post(self, month: Month) -> list[Worker]:
        return [w for w in self.workers if w.marked(month) > 0]

    def worker_named(self, name: str) -> Worker | None:
        key = normalize(name)
        return next((w for w in self.workers if normalize(w.name) == key), None)


# -- reading ------------------------------------------------------------------------------------

_CN_MONTH = re.compile(r"(\d{4})年(\d{1,2})月")


def _flag(ctx, code: str, sheet, cell, **kw) -> None:
    """ctx.flag, with the English month ('2024-12') beside the Chinese one for the en templates."""
    if isinstance(kw.get("month"), str):
        kw.setdefault("month_en", _CN_MONTH.sub(lambda m: f"{m[1]}-{int(m[2]):02d}", kw["month"]))
    ctx.flag(code, sheet, cell, **kw)


def _read_entries(ctx, st: Staffing) -> None:
    sheet = st.located.sheet
    g = st.layout
    for w in st.workers:
        for wr in w.rows:
            per: dict[Month, Entry] = {}
            for ym, cols in zip(g.months, g.month_cols):
                anchor = sheet.top_left(wr.row, cols[0])
                seg = None
                box = sheet.merged_at.get((wr.row, cols[0]))
                if box and is_segment(sheet.text(*anchor)):
                    seg = sheet.text(*anchor).strip()
                readings = []
                for c in cols:
                    raw = sheet.value(wr.row, c) if sheet.top_left(wr.row, c) == (wr.row, c) else None
                    readings.append(read(raw) if not seg else Reading(Kind.BLANK))
                e = Entry(wr.row, wr.section, ym, tuple((wr.row, c) for c in cols), *readings, segment=seg)
                if not seg:
                    p, ins, paid = readings
                    # NB: counted as a person reads the marks: '✓' is a tick, '0.5' typed as text a number
                    if ins.kind is Kind.TICK and paid.kind is Kind.TICK:
                        e.counted = 1.0 if p.kind is Kind.TICK else (p.value or 0.0 if p.kind is Kind.NUMBER else 0.0)
                    if p.kind is Kind.TICK:
                        e.marked = 1.0
                    elif p.kind is Kind.NUMBER and p.value and p.value > 0:
                        e.marked = float(p.value)
                per[ym] = e
                if not seg:
                    _flag_readings(ctx, st, w, e)
            w.entries[wr.row] = per


def _flag_readings(ctx, st: Staffing, w: Worker, e: Entry) -> None:
    sheet = st.sheet
    month = month_text(e.month)
    for i, (rd, pos) in enumerate(zip((e.present, e.insured, e.paid), e.cells)):
        a1 = to_a1(*pos)
        ind = SUB_ZH[i]
        label = dict(indicator=f"{w.name} {month} {ind}",
                     indicator_en=f"{w.name} {month_text(e.month, 'en')} {ind}")
        if rd.kind is Kind.TICK and rd.note is Note.ALT_TICK:
            st.alt_ticks.add(pos)
            _flag(ctx, "A206", sheet, a1, found=str(rd.raw).strip(), expected=TICK, worker=w.name, indicator=ind,
                     month=month)
        elif rd.kind is Kind.ERROR:
            _flag(ctx, "RD07", sheet, a1, found=str(rd.raw), worker=w.name, **label)
        elif rd.kind in (Kind.TEXT, Kind.DATE) or (i > 0 and rd.kind is Kind.NUMBER):
            _flag(ctx, "RD06", sheet, a1, found=str(rd.raw), worker=w.name, **label,
                     expected_kind="√、—— 或 0.5 之类的数字" if i == 0 else "√ 或 ——",
                     expected_kind_en="√, —— or a number such as 0.5" if i == 0 else "√ or ——")
        elif i == 0 and rd.kind is Kind.NUMBER:
            if rd.note is not None and rd.note.value in NOTE_RULE:
                st.text_numbers[pos] = a1
                _flag(ctx, NOTE_RULE[rd.note.value], sheet, a1, found=str(rd.raw), expected=rd.value,
                      worker=w.name, **label)
            if rd.value is not None and not (0 <= rd.value <= 1):
                _flag(ctx, "A222", sheet, a1, found=rd.value, worker=w.name, month=month)


# -- derived cells --------------------------------------------------------------------------------

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


# -- agreed headcount and the 稳岗率 -------------------------------------------------------------------


def _headcount(ctx, st: Staffing) -> None:
    p = ctx.params
    g = st.layout
    sheet = st.located.sheet
    cell = to_a1(*g.stable_cell) if g.stable_cell else None
    if p.agreed_headcount is not None:
        st.agreed_headcount, st.headcount_source = float(p.agreed_headcount), "params"
        reason, reason_en = "取自参数（--headcount 或参数文件）", "from the parameters (--headcount or the params file)"
    else:
        den = stable_denominator(sheet, g.stable_cell) if g.stable_cell else None
        if den:
            st.agreed_headcount, st.headcount_source = den, "formula"
            reason = f"取自稳岗率单元格 {cell} 公式中的分母（协议要求在岗社工数）"
            reason_en = f"the denominator in the 稳岗率 formula of {cell}"
        else:
            st.agreed_headcount = float(len(st.on_post(st.last_month)))
            st.headcount_source = "last_month"
            reason = (f"未给出参数、稳岗率单元格也没有含分母的公式，按最后一个月（{month_text(st.last_month)}）"
                      f"在岗人数计；如协议人数不同，请用 --headcount 指定")
            reason_en = (f"no parameter and no denominator in the 稳岗率 formula: the heads on post in the last month "
                         f"({month_text(st.last_month, 'en')}); give --headcount if the agreement says otherwise")
    _flag(ctx, "A221", st.sheet, cell, expected=st.agreed_headcount, reason=reason, reason_en=reason_en)


def _stable(ctx, st: Staffing) -> None:
    if ctx.params.stable_rule == "minus_resigned":
        first, last = month_first(st.months[0]), month_last(st.last_month)
        gone = [w for w in st.workers if w.remarks.resigned and first <= w.remarks.resigned <= last]
        n = max(0, int(st.agreed_headcount or 0) - len(gone))
        st.stable_workers = [w for w in st.workers if w not in gone][:n]
    else:
        st.stable_workers = [w for w in st.workers if all(w.marked(m) > 0 for m in st.months)]


# -- rules on months ----------------------------------------------------------------------------------

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
            first, last = month_first(ym), month_last(ym)
            m = month_text(ym)
            if c.start and last < c.start:
                _flag(ctx, "A207", st.sheet, cell, worker=w.name, month=m, found=found, contract_start=c.start)
                st.outside[e.cells[0]] = cell
                e.counted = 0.0
                continue
            if c.end and first > c.end and not (rm.resigned and rm.resigned < first):
                _flag(ctx, "A208", st.sheet, cell, worker=w.name, month=m, found=found, contract_end=c.end)
                st.outside[e.cells[0]] = cell
                e.counted = 0.0
                continue
            if rm.resigned and first > rm.resigned:
                _flag(ctx, "A209", st.sheet, cell, worker=w.name, month=m, found=found, left=rm.resigned)
                st.outside[e.cells[0]] = cell
                e.counted = 0.0
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
                st.unticked.append((to_a1(*miss[0][2]), e))
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


# -- run -----------------------------------------------------------------------------------------

def _int(x: Any) -> Any:
    """133.0 → 133 for the JSON figures; other numbers unchanged."""
    if isinstance(x, float) and x.is_integer():
        return int(x)
    return x


def run(ctx) -> None:
    try:
        loc = locate(ctx.book, ctx.params)
    except NotFound as exc:
        if exc.sheet:
            _flag(ctx, "RD03", exc.sheet, None, what=exc.what, what_en=exc.what_en)
        else:
            # NB: the sheets searched as a list (NotFound.looked is joined the Chinese way)
            _flag(ctx, "RD02", None, None, what=exc.what, what_en=exc.what_en,
                  looked=[s.name for s in ctx.book.sheets])
        return
    g = loc.layout
    st = Staffing(g, g.sheet, loc)
    ctx.located["annex2"] = st
    for i, exp, found in loc.gaps:
        _flag(ctx, "A224", g.sheet, to_a1(*loc.month_cells[i]), found=loc.month_texts[i],
                 expected=month_text(exp), expected_en=month_text(exp, "en"))
    check_period(ctx, loc)
    workers, problems = build_roster(g.all_workers())
    st.workers = workers
    for wr, why in problems:
        cell = to_a1(wr.row, g.lead.get("序号", g.lead["姓名"]))
        if why == "missing":
            _flag(ctx, "A230", g.sheet, cell, worker=wr.name, found=wr.seq, reason="指向的序号不存在，已按姓名归并",
                     reason_en="names no existing row; merged by name")
        else:
            _flag(ctx, "A230", g.sheet, cell, worker=wr.name, found=wr.seq,
                     reason="指向的行姓名不同，已按本行姓名归并", reason_en="names a row with another name; merged by name")
    _read_entries(ctx, st)
    for w in workers:
        if w.contract.text and not w.contract.readable:
            r = w.rows[0].row
            _flag(ctx, "A223", g.sheet, to_a1(r, g.lead["合同期限"]), worker=w.name, found=w.contract.text)
        if len(w.districts) >= 3 and "职位" in g.lead:
            _flag(ctx, "A226", g.sheet, to_a1(w.rows[0].row, g.lead["职位"]), worker=w.name, found=w.position,
                     expected=len(w.districts))
    _headcount(ctx, st)
    _stable(ctx, st)
    for w in workers:
        _month_rules(ctx, st, w)
        _section_rules(ctx, st, w)
    # derived cells: the official formulas on the cells as typed (what a recalculating program shows, and
    # what recompute writes) and the rules on the marks as a person reads them (the expected values)
    sheet = loc.sheet
    st.calcs = staffing_calcs(g, stable=(len(st.stable_workers), st.agreed_headcount or 0))
    st.recomputed = evaluate_all(st.calcs, derived.stored(sheet))
    st.meant = evaluate_all(st.calcs, _as_read(sheet, st.outside))
    causes = _Causes(st)
    for calc in st.calcs:
        ctx.derive(Derived(g.sheet, calc.a1, calc.formula(), st.recomputed[calc.pos], calc.number_format,
                           calc.label))
        _compare(ctx, st, calc, st.meant[calc.pos], causes)
    for w in workers:
        _two_year_rules(ctx, st, w)
    _figures(ctx, st)
    causes.report(ctx)


# -- causes: one error, with the cells and figures it changes -------------------------------------------

def _as_read(sheet, outside: dict) -> Any:
    """Cell values as the rules read them: any tick mark is '√', a number typed as text a number, and a
    month that cannot count (before or after the contract, after leaving) is no month."""
    def get(pos):
        if pos in outside:
            return None
        raw = sheet.value(*pos)
        rd = read(raw)
        if rd.kind is Kind.TICK:
            return TICK
        if rd.kind is Kind.NUMBER:
            return rd.value
        return raw
    return get


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
        shortfall = _short(ctx, st, self.effects)
        for cell, affects in self.effects.items():
            ctx.amend(st.sheet, cell, _CAUSES, affects)
        if shortfall:
            ctx.findings[:] = [f for f in ctx.findings if f.rule not in shortfall]

    def _ticked(self, e: Entry) -> list:
        """What ticking the missing 社保/工资 of ``e`` would change: (cell or figure, then, now)."""
        sheet = self.st.located.sheet
        base = _as_read(sheet, self.st.outside)
        fixed = set(e.cells[1:])
        values = evaluate_all(self.st.calcs, lambda p: TICK if p in fixed else base(p))
        return [a for c in self.st.calcs if values[c.pos] != self.st.meant[c.pos]
                for a in self._change(c, values[c.pos], self.st.meant[c.pos])]


_CAUSES = ("A207", "A208", "A209", "A212", *NOTE_RULE.values())   # findings at inputs that change derived cells
_MAX_FIXES = 40          # NB: each costs one evaluation of the grid; a sheet with more is broken anyway
FIGURES = {"total_person_months", "certified_person_months", "uncertified_person_months"}


def _short(ctx, st: Staffing, effects: dict) -> set[str]:
    """The shortfall findings (A219, A218) that the causes alone make: they are said inside the causes."""
    f = ctx.figures
    out = set()
    for rule, key, need in (("A219", "total_person_months", f.get("required_person_months")),
                            ("A218", "certified_person_months", f.get("required_certified_person_months"))):
        if not any(x.rule == rule for x in ctx.findings) or need is None:
            continue
        # NB: the cause makes the difference between meeting and missing the agreement, either way round:
        # a missing 社保 tick lowers the total below it, a month ticked after leaving hides the shortfall
        if any(what == key and is_num(a) and is_num(b) and min(a, b) + EPS < need <= max(a, b) + EPS
               for affects in effects.values() for what, a, b in affects):
            out.add(rule)
    return out


def _row_total(st: Staffing, row: int) -> float:
    v = st.meant.get((row, st.layout.total_col))
    return float(v) if is_num(v) else 0.0


def _figures(ctx, st: Staffing) -> None:
    g, p = st.layout, ctx.params
    sheet = st.located.sheet
    by_sec = {k: sum(_row_total(st, w.row) for w in sec.workers) for k, sec in g.sections.items()}
    cert, uncert = by_sec.get("certified", 0.0), by_sec.get("uncertified", 0.0)
    total = cert + uncert
    two = 0.0
    if g.two_year_col:
        for wr in g.all_workers():
            rd = read(sheet.value(wr.row, g.two_year_col))
            two += rd.value if rd.kind is Kind.NUMBER else 0.0
    months = len(g.months)
    agreed = st.agreed_headcount or 0.0
    required = agreed * months
    required_cert = math.ceil(required * p.certified_share - EPS)
    stable = len(st.stable_workers)
    f = ctx.figures
    f.update({
        "certified_person_months": _int(cert), "uncertified_person_months": _int(uncert),
        "total_person_months": _int(total), "two_year_person_months": _int(two),
        "two_year_share": (two / total) if total else None,
        "required_person_months": _int(required), "required_certified_person_months": _int(float(required_cert)),
        # NB: certified_share is against the REQUIRED person-months, so it reads directly against the 3/5
        "certified_share": (cert / required) if required else None,
        "stable_rate": (stable / agreed) if agreed else None, "stable_workers": stable,
        "agreed_headcount": _int(agreed), "months": months,
        "workers": [w.to_dict(g.months, g.sheet, g.lead.get("姓名")) for w in st.workers],
    })
    cert_sec, total_cell = g.sections.get("certified"), None
    if not st.workers:
        return    # NB: a blank grid (the template as issued) is not filled in yet: nothing to hold it to
    if cert_sec and cert + EPS < required_cert:
        r = cert_sec.subtotal_row or (cert_sec.workers[-1].row if cert_sec.workers else g.header_row)
        _flag(ctx, "A218", g.sheet, to_a1(r, g.total_col), found=_int(cert), expected=required_cert,
                 required=_int(required), share=_share_text(p.certified_share), share_en=_share_text(p.certified_share))
    if total + EPS < required:
        r = g.grand_row or (cert_sec.subtotal_row if cert_sec and cert_sec.subtotal_row else g.header_row)
        total_cell = to_a1(r, g.total_col)
        _flag(ctx, "A219", g.sheet, total_cell, found=_int(total), expected=_int(required),
                 headcount=_int(agreed), months=months)


def _share_text(x: float) -> str:
    from fractions import Fraction
    fr = Fraction(x).limit_denominator(20)
    if math.isclose(float(fr), x):
        return f"{fr.numerator}/{fr.denominator}"
    return f"{x:.0%}"
