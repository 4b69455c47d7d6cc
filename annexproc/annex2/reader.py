"""Reading 附件2 人员到岗情况: the grid, the people behind its rows, every month as counted and as marked,
the agreed headcount, the 稳岗 workers, the derived cells and the key figures — no judgement.

Two readings of a month are kept apart on purpose:

- *counted* is what the official formula counts (``√`` or a number in 人员到位, with ``√`` in both
  社保购买 and 工资发放) — the person-month figures and the derived cells use it, because that is what
  the sheet shows once a spreadsheet recalculates it; a month outside the contract (or after leaving) counts 0;
- *marked* is what a person means by 人员到位 (``√``, ``✓`` or a number > 0) — the date rules, the
  稳岗率 and the district headcounts use it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Iterator

from .. import derived
from ..cells import to_a1
from ..derived import Derived
from ..formulas import TICK, Calc, evaluate_all, is_num
from ..layout import StaffingLayout, staffing_calcs
from ..model import Missing, Model, ReadNote
from ..params import Params
from ..values import NOTE_RULE, Kind, Reading, normalize
from ..values import read as read_cell
from .locate import Located, NotFound, is_segment, locate, stable_denominator
from .roster import Entry, Month, Worker, build_roster, month_first, month_last, month_text

SUB_ZH = ("人员到位", "社保购买", "工资发放")
SUB_EN = ("on post", "insurance", "salary")
EPS = 1e-9


@dataclass
class Staffing:
    """附件2 as read.

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
    headcount_cell: str | None = None     # 'formula': the input cell the 稳岗率 divides by (None: a number)
    stable_workers: list[Worker] = field(default_factory=list)
    meant: dict[tuple[int, int], Any] = field(default_factory=dict)   # the derived cells by the rules
    alt_ticks: set[tuple[int, int]] = field(default_factory=set)      # marks such as '✓'
    outside: dict[tuple[int, int], str] = field(default_factory=dict)  # 人员到位 cell of a month that cannot count → its A1
    unticked: list[tuple[str, Entry]] = field(default_factory=list)  # (A212's cell, entry): on post without 社保/工资
    text_numbers: dict[tuple[int, int], str] = field(default_factory=dict)  # '0.5' typed as text → its A1
    roster_problems: list = field(default_factory=list)              # (WorkerRow, 'missing' | 'other name'): 同N
    notes: list[ReadNote] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    rows: dict[int, dict[Month, Entry]] = field(default_factory=dict)   # every grid row's months, by row

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

    def read_entries(self) -> Iterator[tuple[Worker, Entry]]:
        """(worker, entry) of every month read from its own cells (not a '【分段计算】' merge), in sheet order."""
        for w in self.workers:
            for per in w.entries.values():
                for e in per.values():
                    if not e.segment:
                        yield w, e

    def derived(self) -> list[Derived]:
        return [Derived(self.sheet, c.a1, c.formula(), self.recomputed[c.pos], c.number_format, c.label)
                for c in self.calcs]


def entry_label(w: Worker, e: Entry, i: int) -> dict[str, str]:
    """The ``indicator`` of a finding at one of a month's three cells, in both languages."""
    ind = SUB_ZH[i]
    return dict(indicator=f"{w.name} {month_text(e.month)} {ind}", indicator_en=f"{w.name} {month_text(e.month, 'en')} {ind}")


def formula_count(e: Entry) -> float:
    """What the official formula counts for the month from the cells as typed: '√' in 社保购买 and 工资发放,
    then '√' (1) or a number in 人员到位 — a '✓' or a number typed as text counts nothing there."""
    p, s, x = e.present.raw, e.insured.raw, e.paid.raw
    if s == TICK and x == TICK:
        return 1.0 if p == TICK else (float(p) if is_num(p) else 0.0)
    return 0.0


def outside(w: Worker, ym: Month) -> str | None:
    """Why a month cannot count: before the contract ('A207'), after it ('A208'), after leaving ('A209')."""
    c, rm = w.contract, w.remarks
    first, last = month_first(ym), month_last(ym)
    if c.start and last < c.start:
        return "A207"
    if c.end and first > c.end and not (rm.resigned and rm.resigned < first):
        return "A208"
    if rm.resigned and first > rm.resigned:
        return "A209"
    return None


def read(book, params: Params | None = None) -> Model:
    """附件2 of ``book`` as read with ``params`` (period, headcount, 稳岗 rule): the Staffing, or what was not found."""
    params = params or Params()
    try:
        loc = locate(book, params)
    except NotFound as exc:
        return Model(missing=[Missing(exc.sheet or None, exc.what, exc.what_en, looked=exc.looked)])
    g = loc.layout
    st = Staffing(g, g.sheet, loc)
    st.workers, st.roster_problems = build_roster(g.all_workers())
    _read_entries(st)
    _headcount(st, params)
    if params.stable_rule == "minus_resigned":
        first, last = month_first(st.months[0]), month_last(st.last_month)
        gone = [w for w in st.workers if w.remarks.resigned and first <= w.remarks.resigned <= last]
        n = max(0, int(st.agreed_headcount or 0) - len(gone))
        st.stable_workers = [w for w in st.workers if w not in gone][:n]
    else:
        st.stable_workers = [w for w in st.workers if all(w.marked(m) > 0 for m in st.months)]
    _uncounted(st)
    # derived cells: the official formulas on the cells as typed (what a recalculating program shows, and
    # what recompute writes) and the rules on the marks as a person reads them (the expected values)
    st.calcs = staffing_calcs(g, stable=(len(st.stable_workers), st.agreed_headcount or 0))
    st.recomputed = evaluate_all(st.calcs, derived.stored(loc.sheet))
    st.meant = evaluate_all(st.calcs, as_read(loc.sheet, st.outside))
    st.figures = _figures(st, params)
    return Model(annex2=st, notes=st.notes)


def _read_entries(st: Staffing) -> None:
    sheet = st.located.sheet
    g = st.layout
    for wr in g.all_workers():    # NB: every row, a worker's or not (a blank template's rows too: tabular)
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
                readings.append(read_cell(raw) if not seg else Reading(Kind.BLANK))
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
        st.rows[wr.row] = per
    for w in st.workers:
        for wr in w.rows:
            w.entries[wr.row] = st.rows[wr.row]
            for e in st.rows[wr.row].values():
                if not e.segment:
                    _notes(st, w, e)


def _notes(st: Staffing, w: Worker, e: Entry) -> None:
    for i, (rd, pos) in enumerate(zip((e.present, e.insured, e.paid), e.cells)):
        if rd.kind is Kind.TICK and rd.note is not None:
            st.alt_ticks.add(pos)
        elif i == 0 and rd.kind is Kind.NUMBER and rd.note is not None and rd.note.value in NOTE_RULE:
            st.text_numbers[pos] = to_a1(*pos)
            label = (("worker", w.name),) + tuple(entry_label(w, e, 0).items())
            st.notes.append(ReadNote(st.sheet, to_a1(*pos), rd.note.value, str(rd.raw), rd.value, label))


def _headcount(st: Staffing, p: Params) -> None:
    g = st.layout
    if p.agreed_headcount is not None:
        st.agreed_headcount, st.headcount_source = float(p.agreed_headcount), "params"
        return
    den, st.headcount_cell = stable_denominator(st.located.sheet, g.stable_cell) if g.stable_cell else (None, None)
    if den:
        st.agreed_headcount, st.headcount_source = den, "formula"
    else:
        st.agreed_headcount, st.headcount_source = float(len(st.on_post(st.last_month))), "last_month"


def _uncounted(st: Staffing) -> None:
    """Months marked on post that cannot count (they count 0), and months on post without 社保/工资 ticks."""
    for w in st.workers:
        for per in w.entries.values():
            for ym, e in per.items():
                if e.marked <= 0:
                    continue
                if outside(w, ym):
                    st.outside[e.cells[0]] = to_a1(*e.cells[0])
                    e.counted = 0.0
                elif e.insured.kind is not Kind.TICK or e.paid.kind is not Kind.TICK:
                    first = next(pos for rd, pos in zip((e.insured, e.paid), e.cells[1:]) if rd.kind is not Kind.TICK)
                    st.unticked.append((to_a1(*first), e))


def as_read(sheet, outside: dict) -> Any:
    """Cell values as the rules read them: any tick mark is '√', a number typed as text a number, and a
    month that cannot count (before or after the contract, after leaving) is no month."""
    def get(pos):
        if pos in outside:
            return None
        raw = sheet.value(*pos)
        rd = read_cell(raw)
        if rd.kind is Kind.TICK:
            return TICK
        if rd.kind is Kind.NUMBER:
            return rd.value
        return raw
    return get


def _int(x: Any) -> Any:
    """133.0 → 133 for the JSON figures; other numbers unchanged."""
    if isinstance(x, float) and x.is_integer():
        return int(x)
    return x


def _row_total(st: Staffing, row: int) -> float:
    v = st.meant.get((row, st.layout.total_col))
    return float(v) if is_num(v) else 0.0


def _figures(st: Staffing, p: Params) -> dict[str, Any]:
    g = st.layout
    sheet = st.located.sheet
    by_sec = {k: sum(_row_total(st, w.row) for w in sec.workers) for k, sec in g.sections.items()}
    cert, uncert = by_sec.get("certified", 0.0), by_sec.get("uncertified", 0.0)
    total = cert + uncert
    two = 0.0
    if g.two_year_col:
        for wr in g.all_workers():
            rd = read_cell(sheet.value(wr.row, g.two_year_col))
            two += rd.value if rd.kind is Kind.NUMBER else 0.0
    months = len(g.months)
    agreed = st.agreed_headcount or 0.0
    required = agreed * months
    required_cert = math.ceil(required * p.certified_share - EPS)
    stable = len(st.stable_workers)
    return {
        "certified_person_months": _int(cert), "uncertified_person_months": _int(uncert),
        "total_person_months": _int(total), "two_year_person_months": _int(two),
        "two_year_share": (two / total) if total else None,
        "required_person_months": _int(required), "required_certified_person_months": _int(float(required_cert)),
        # NB: certified_share is against the REQUIRED person-months, so it reads directly against the 3/5
        "certified_share": (cert / required) if required else None,
        "stable_rate": (stable / agreed) if agreed else None, "stable_workers": stable,
        "agreed_headcount": _int(agreed), "months": months,
        "workers": [w.to_dict(g.months, g.sheet, g.lead.get("姓名")) for w in st.workers],
    }
