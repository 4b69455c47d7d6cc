"""The figures an evaluation report quotes, taken from a checked workbook's recomputed annexes.

A :class:`Fact` is one figure: its value as the rules recompute it, where it comes from (附件2, 附件1-1,
附件1-2), what it is called, and the error findings of the workbook behind it (then a draft writes a
marked note instead of the number, and ``check --report`` says the figure cannot be confirmed).

Keys: staffing figures by name ('certified', 'stable_rate', 'level.assistant' …); 附件1 measures as
'<district>|<measure key>' with '|pct' for the percentage and '|agree' for the agreement, where the
district is '合计' or 'd<N>' (片区N), and '<district>|staff' for 投入社工人数; block 3 and 附件1-2
items as 'target|<target key>' (with '|pct', '|agree').
"""
from __future__ import annotations

import calendar
import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from ..findings import Finding
from ..model import Model
from ..words import both

#: Qualification levels in the order a report lists them; what 岗位资格证/资质 says for each.
LEVELS = ("senior", "mid", "assistant", "uncertified")


@dataclass(frozen=True)
class Fact:
    key: str
    value: Any                     # a number, '/' (no agreement), or None (not in the workbook)
    source: str                    # '附件2' | '附件1-1' | '附件1-2'
    label: str                     # '持证社工实到岗人次'
    label_en: str
    unit: str | None = None        # 'pct': a ratio shown as 0.00%
    problems: tuple[Finding, ...] = ()

    def name(self, lang: str = "zh") -> str:
        return self.label_en if lang == "en" else self.label


@dataclass
class Facts:
    """Every quotable figure of one workbook, plus what the draft's tables and period need."""
    by_key: dict[str, Fact] = field(default_factory=dict)
    station: str | None = None
    months: list[tuple[int, int]] = field(default_factory=list)
    agreement: tuple[_dt.date | None, _dt.date | None] = (None, None)
    districts: list[tuple[int, str]] = field(default_factory=list)     # (number, name as written)
    blocks: dict[str, list] = field(default_factory=dict)              # 'services' → [MeasureCols]
    targets: dict[str, list] = field(default_factory=dict)             # 'five_social' / 'annex1_2' → [Target]
    certified_share: float = 0.6                                       # 持证社工比例不低于 (the agreement's)

    def get(self, key: str) -> Fact | None:
        return self.by_key.get(key)

    @property
    def period(self) -> tuple[_dt.date, _dt.date] | None:
        if not self.months:
            return None
        (y0, m0), (y1, m1) = self.months[0], self.months[-1]
        return _dt.date(y0, m0, 1), _dt.date(y1, m1, calendar.monthrange(y1, m1)[1])


def level_of(section: str, qualification: str) -> str:
    """'社会工作师' → mid, '助理社会工作师' → assistant, '高级社会工作师' → senior; the uncertified section → uncertified."""
    q = qualification or ""
    if section == "uncertified":
        return "uncertified"
    if "高级" in q:
        return "senior"
    if "助理" in q:
        return "assistant"
    return "mid"


def gather(report, params=None) -> Facts:
    """The facts of a report (``params``: the agreement's, as checked)."""
    from ..params import Params
    fx = Facts(station=report.station, certified_share=(params or Params()).certified_share)
    errors = [f for f in report.findings if f.severity == "error"]
    _staffing(fx, report, errors)
    _annex1(fx, report, errors)
    return fx


def _put(fx: Facts, key, value, source, label, label_en, unit=None, problems=()):
    fx.by_key[key] = Fact(key, value, source, label, label_en, unit, tuple(problems))


def _staffing(fx: Facts, report, errors) -> None:
    st = report.model.annex2 if report.model is not None else None
    f = report.figures
    if st is None or "total_person_months" not in f:
        return
    fx.months = list(st.layout.months)
    fx.agreement = tuple(st.located.agreement)
    probs = [e for e in errors if e.sheet == st.sheet]
    src = "附件2"
    cert, req_cert = f["certified_person_months"], f["required_certified_person_months"]
    total, req = f["total_person_months"], f["required_person_months"]
    for key, value, unit in (
            ("months", f["months"], None), ("required_certified", req_cert, None), ("certified", cert, None),
            ("certified_diff", _num(cert - req_cert), None), ("required", req, None), ("total", total, None),
            ("total_diff", _num(total - req), None), ("stable_workers", f["stable_workers"], None),
            ("stable_rate", f["stable_rate"], "pct"), ("two_year", f["two_year_person_months"], None),
            ("two_year_share", f["two_year_share"], "pct")):
        _put(fx, key, value, src, *both(f"writeup.fact.{key}"), unit, probs)
    counts = dict.fromkeys(LEVELS, 0)
    last = st.last_month
    for w in st.on_post(last):
        row = max(w.rows, key=lambda r: w.entries.get(r.row, {}).get(last).marked
                  if w.entries.get(r.row, {}).get(last) else -1)
        counts[level_of(row.section, row.qualification)] += 1
    for lv, n in counts.items():
        _put(fx, f"level.{lv}", n, src, *both(f"writeup.fact.level.{lv}"), None, probs)
    _put(fx, "workers", sum(counts.values()), src, *both("writeup.fact.workers"), None, probs)


def _num(x):
    return int(x) if isinstance(x, float) and x.is_integer() else x


def _district_number(name: str, index: int) -> int:
    from ..annex2.roster import districts_of
    nums = districts_of(name)
    return nums[0] if nums else index + 1


def _annex1(fx: Facts, report, errors) -> None:
    model = report.model or Model()
    a11, a12, vals = model.annex1_1, model.annex1_2, model.annex1_values
    if a11 is not None:
        on = _cells_of(errors, a11.sheet)
        for bkey, lay in a11.blocks.items():
            fx.blocks[bkey] = list(lay.measures)
            if not fx.districts:
                fx.districts = [(_district_number(n, i), n) for i, (n, _) in enumerate(lay.districts)]
            numbers = {n: num for num, n in fx.districts}
            rows = [r for _, r in lay.districts]
            for i, (dname, r) in enumerate(lay.rows()):
                total = dname == "合计"
                d = "合计" if total else f"d{numbers.get(dname, _district_number(dname, i))}"
                feeds = rows + [r] if total else [r]     # NB: a total rests on every district's cells

                def probs(*cols):
                    return on({(q, c) for q in feeds for c in cols})
                if lay.staff_col and bkey == "services":
                    _put(fx, f"{d}|staff", vals.get((lay.sheet, (r, lay.staff_col))), "附件1-1",
                         *both("writeup.fact.staff", district=dname), None, probs(lay.staff_col))
                for m in lay.measures:
                    base, where = f"{d}|{m.measure.key}", "" if total else f"{dname} "
                    named = {"where": where, "title": m.title}
                    _put(fx, base, vals.get((lay.sheet, (r, m.done))), "附件1-1", *both("writeup.fact.done", **named),
                         None, probs(m.done))
                    _put(fx, base + "|agree", vals.get((lay.sheet, (r, m.agree))), "附件1-1",
                         *both("writeup.fact.agree", **named), None, probs(m.agree))
                    _put(fx, base + "|pct", vals.get((lay.sheet, (r, m.pct))), "附件1-1",
                         *both("writeup.fact.pct", **named), "pct", probs(m.agree, m.done) + on({(r, m.pct)}))
        if a11.targets is not None:
            _targets(fx, "five_social", a11.targets, vals, on, "附件1-1")
            sentence = a11.targets.sentence
            from ..i18n import figure_name
            for name, v in report.figures.get("annex1_sentence", {}).items():   # the sentence under block 3
                _put(fx, f"sentence|{name}", v, "附件1-1", figure_name(name), figure_name(name, "en"), None,
                     on({sentence}) if sentence else [])
    if a12 is not None:
        _targets(fx, "annex1_2", a12, vals, _cells_of(errors, a12.sheet), "附件1-2")


def _targets(fx: Facts, group: str, lay, vals, on, source: str) -> None:
    fx.targets[group] = [it.target for it in lay.items]
    for it in lay.items:
        title, base = it.target.title.text, f"target|{it.target.key}"
        done, agree, pct = (it.row, it.done_col), (it.row, it.target_col), (it.row, it.pct_col)
        _put(fx, base, vals.get((lay.sheet, done)), source, title, title, None, on({done}))
        _put(fx, base + "|agree", vals.get((lay.sheet, agree)), source, *both("writeup.fact.target_agree", title=title),
             None, on({agree}))
        _put(fx, base + "|pct", vals.get((lay.sheet, pct)), source, *both("writeup.fact.pct", where="", title=title),
             "pct", on({done, agree, pct}))


def _cells_of(errors: list[Finding], sheet: str):
    """A function: the error findings of ``sheet`` at any of the given (row, col) cells."""
    from ..cells import from_a1
    at = [(e, {from_a1(c) for c in e.all_cells}) for e in errors if e.sheet == sheet]

    def on(cells: set) -> list[Finding]:
        return [e for e, where in at if where & cells]
    return on
