"""One station's earlier and later workbook side by side (mid-term, final): what the later one rewrote.

``compare(earlier, later)`` checks both workbooks with the engine and reads the model the checkers
built (``report.model``: 附件2's Staffing, 附件1's layouts and values as meant), never the sheets
again. Workers are matched by person (their name), not by row: rows move when people join. Findings
(CP rules) stand at the later workbook's cells, ``expected`` the earlier value, ``found`` the later.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

from .annex2.reader import SUB_ZH
from .annex2.roster import month_text
from .cells import to_a1
from .crossstation import month_spans, station_key
from .findings import Finding, finding, show
from .formulas import is_num
from .report import EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNREADABLE, SCHEMA, Report
from .values import Kind, normalize
from .words import args, both, pick, say

EPS = 1e-9


@dataclass
class Comparison:
    """Both reports, the CP findings (at the later workbook's cells), or why the two were not compared."""
    earlier: Report
    later: Report
    findings: list[Finding] = field(default_factory=list)
    refused: tuple[str, str] | None = None      # (zh, en)

    @property
    def exit_code(self) -> int:
        if self.refused or not (self.earlier.readable and self.later.readable):
            return EXIT_UNREADABLE
        return EXIT_FINDINGS if any(f.severity == "error" for f in self.findings) else EXIT_CLEAN

    def problem(self, lang: str = "zh") -> str | None:
        """Why there is nothing to compare (a refusal, an unreadable file), in ``lang``; None when compared."""
        if self.refused:
            return pick(self.refused, lang)
        bad = next((r for r in (self.earlier, self.later) if not r.readable), None)
        return f"{bad.path}: {bad.read_error.message(lang)}" if bad else None

    def report(self) -> Report:
        """The later workbook's report with the CP findings as its findings: what text and ``-o`` show."""
        return replace(self.later, findings=sorted(self.findings, key=Finding.sort_key), figures={})

    def to_dict(self, lang: str = "zh") -> dict:
        """``compare --format json`` (schema 1)."""
        doc = {"schema": SCHEMA, "earlier": self.earlier.path, "later": self.later.path,
               "findings": [{k: d[k] for k in ("rule", "severity", "sheet", "cell", "message", "expected", "found")}
                            for d in (f.to_dict(lang) for f in sorted(self.findings, key=Finding.sort_key))]}
        if self.problem(lang):
            doc["error"] = self.problem(lang)
        return doc


def head(c: Comparison, lang: str = "zh") -> str:
    return say("compare.head", lang, a=c.earlier.path, b=c.later.path)


def compare(earlier: str, later: str, *, params=None) -> Comparison:
    """Compare two workbooks of one station; never raises for a bad file (see ``problem``)."""
    from .params import Params
    from .pipeline import Options, process
    o = Options(params=params or Params())
    a, b = process(str(earlier), o).report, process(str(later), o).report
    c = Comparison(a, b)
    if not (a.readable and b.readable):
        return c
    if station_key(a.station) and station_key(b.station) and station_key(a.station) != station_key(b.station):
        c.refused = both("compare.other_station", a=a.station, b=b.station)
        return c
    name = os.path.basename(str(earlier))
    _staffing(c.findings, a.model.annex2, b.model.annex2, name)
    _annex1(c.findings, a.model, b.model, name)
    return c


# -- 附件2 ----------------------------------------------------------------------------------------

def _entry(worker, month):
    """The worker's entry for ``month``: the row that says something that month, else any row's."""
    es = [e[month] for e in worker.entries.values() if month in e]
    said = [e for e in es if not e.segment and any(_key(r) is not None for r in (e.present, e.insured, e.paid))]
    return (said or [e for e in es if not e.segment] or es or [None])[0]


def _key(reading):
    """What a cell means, for comparing: a tick is a tick ('✓' = '√'), a dash is nothing, like a blank."""
    if reading is None or reading.kind in (Kind.BLANK, Kind.DASH):
        return None
    if reading.kind is Kind.TICK:
        return "√"
    if reading.kind is Kind.NUMBER:
        return round(reading.value, 9)
    return normalize(str(reading.raw))


def _staffing(out: list, sa, sb, earlier: str) -> None:
    if sa is None or sb is None:
        return
    later_months = set(sb.months)
    common = [m for m in sa.months if m in later_months]
    gone = [m for m in sa.months if m not in later_months]
    if gone:
        out.append(finding("CP06", sb.sheet, to_a1(*sb.located.month_cells[0]), earlier=earlier,
                           months=month_spans(gone, "zh"), months_en=month_spans(gone, "en")))
    g = sb.layout
    by_name = {normalize(w.name): w for w in sb.workers}
    seen = set()
    for wa in sa.workers:
        seen.add(normalize(wa.name))
        wb = by_name.get(normalize(wa.name))
        on = [m for m in common if wa.marked(m) > 0]
        if wb is None:
            if on:   # NB: no row to point at in the later grid: its 姓名 heading
                out.append(finding("CP03", sb.sheet, to_a1(g.header_row, g.lead["姓名"]), worker=wa.name,
                                   earlier=earlier, months=month_spans(on, "zh"), months_en=month_spans(on, "en"),
                                   expected=sum(wa.counted(m) for m in common), found=None))
            continue
        for m in common:
            ea, eb = _entry(wa, m), _entry(wb, m)
            if eb is None:
                continue
            for i, part in enumerate(("present", "insured", "paid")):
                ra, rb = getattr(ea, part, None), getattr(eb, part)
                if _key(ra) != _key(rb):
                    out.append(finding("CP01", sb.sheet, to_a1(*eb.cells[i]), worker=wb.name, indicator=SUB_ZH[i],
                                       month=month_text(m), month_en=month_text(m, "en"), earlier=earlier,
                                       expected=ra.raw if ra else None, found=rb.raw))
    for wb in sb.workers:
        on = [m for m in common if wb.marked(m) > 0]
        if normalize(wb.name) not in seen and on:
            out.append(finding("CP04", sb.sheet, to_a1(wb.rows[0].row, g.lead["姓名"]), worker=wb.name,
                               earlier=earlier, months=month_spans(on, "zh"), months_en=month_spans(on, "en")))
    if sa.headcount_source == sb.headcount_source == "formula" and g.stable_cell and \
            abs((sa.agreed_headcount or 0) - (sb.agreed_headcount or 0)) > EPS:
        out.append(finding("CP02", sb.sheet, to_a1(*g.stable_cell), **args("item", "compare.item.headcount"),
                           earlier=earlier, expected=sa.agreed_headcount, found=sb.agreed_headcount))
    pa, pb = sa.located.agreement, sb.located.agreement
    if all(pa) and all(pb) and pa != pb:
        out.append(finding("CP02", sb.sheet, _agreement_cell(sb), **args("item", "compare.item.period"),
                           earlier=earlier, expected=_period(pa), expected_en=_period(pa, "en"),
                           found=_period(pb), found_en=_period(pb, "en")))


def _period(p, lang: str = "zh") -> str:
    return say("grammar.period", lang, first=show(p[0], lang=lang), last=show(p[1], lang=lang))


def _agreement_cell(st) -> str | None:
    """Where the later grid states its agreement period (the line above the header)."""
    sheet, g = st.located.sheet, st.layout
    for r in range(1, g.header_row):
        for col in range(1, sheet.max_col + 1):
            if sheet.text(r, col).strip() == (g.agreement_text or "").strip():
                return to_a1(r, col)
    return None


# -- 附件1 ----------------------------------------------------------------------------------------

def _annex1_cells(model) -> dict:
    """{(role, block, district, measure): (sheet, (row, col), district, label)} of 附件1's agreement
    ('agree') and achieved ('done') inputs, keyed so that the same figure matches in both workbooks."""
    out = {}
    a11, a12 = model.annex1_1, model.annex1_2
    for key, lay in (a11.blocks.items() if a11 else ()):
        for name, row in lay.districts:
            for m in lay.measures:
                for role, col, head in (("agree", m.agree, m.measure.agree.text), ("done", m.done, None)):
                    out[(role, key, normalize(name), m.measure.key)] = (lay.sheet, (row, col), name, m.title, head)
    for tag, lay in (("block3", a11.targets if a11 else None), ("annex1_2", a12)):
        for it in (lay.items if lay else ()):
            for role, col in (("agree", it.target_col), ("done", it.done_col)):
                out[(role, tag, "", it.target.key)] = (lay.sheet, (it.row, col), None, it.target.title.text, "指标要求")
    return out


def _differs(x, y) -> bool:
    if is_num(x) and is_num(y):
        return abs(float(x) - float(y)) > EPS
    return (None if x is None else normalize(str(x))) != (None if y is None else normalize(str(y)))


def _annex1(out: list, la, lb, earlier: str) -> None:
    va, vb = la.annex1_values, lb.annex1_values
    ca = _annex1_cells(la)
    for key, (sheet, pos, district, label, head) in _annex1_cells(lb).items():
        if key not in ca:
            continue
        x, y = va.get((ca[key][0], ca[key][1])), vb.get((sheet, pos))
        cell = to_a1(*pos)
        if key[0] == "agree" and _differs(x, y):
            what = " ".join(p for p in (district, label, head) if p)
            out.append(finding("CP02", sheet, cell, item=what, item_en=what, earlier=earlier, expected=x, found=y,
                               district=district, indicator=label))
        elif key[0] == "done" and is_num(x) and is_num(y) and float(y) < float(x) - EPS:
            out.append(finding("CP05", sheet, cell, district=district, indicator=label, earlier=earlier,
                               expected=x, found=y))
