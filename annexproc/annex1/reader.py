"""Reading 附件1-1 and 附件1-2: every input as the person meant it, every derived cell recomputed, no judgement.

Values are read twice: *as meant* (text numbers read as numbers: the expected values and figures)
and *strictly* (what the official formula gives from the cells as stored: the registered Derived
values, so the annotated copy and ``recompute`` write what Excel would show). Rows/cols 1-based.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .. import derived
from ..cells import to_a1
from ..derived import Derived
from ..formulas import NA, Calc, evaluate_all, is_num
from ..layout import DistrictBlockLayout, TargetLayout, district_calcs, target_calcs
from ..model import Missing, Model, ReadNote
from ..safety import said
from ..spec import ANNEX1_1
from ..values import NOTE_RULE, Kind, Note, Reading, normalize
from ..values import read as read_cell
from .locate import Annex11, locate


@dataclass
class Input:
    """An input cell: where, whose, what; ``role`` 'agree' | 'done' | 'staff'."""
    sheet: str
    pos: tuple[int, int]
    district: str | None
    indicator: str
    role: str

    @property
    def label(self) -> str:
        return f"{self.district} {self.indicator}" if self.district else self.indicator


@dataclass
class Table:
    """One table as read: its inputs with their readings; when filled, its derived cells and their values."""
    sheet: str
    key: str                                        # 'services', 'activities', 'five_social', 'annex1_2'
    layout: Any                                     # DistrictBlockLayout | TargetLayout
    what: str                                       # the table, for A113
    what_en: str
    inputs: list[tuple[Input, Reading]] = field(default_factory=list)
    filled: bool = False                            # not every input blank or '/': derived cells are read
    calcs: list[Calc] = field(default_factory=list)
    info: dict = field(default_factory=dict)        # derived cell → district, indicator, rule (messages)
    meant: dict = field(default_factory=dict)       # derived cell → value by the rules, from the inputs as meant
    stored: dict = field(default_factory=dict)      # derived cell → the official formula on the cells as stored


@dataclass
class Annex1:
    """附件1 as read: the located layouts, the tables, the values as meant and the key figures."""
    annex1_1: Annex11 | None
    annex1_2: TargetLayout | None
    missing: list[Missing] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    values: dict = field(default_factory=dict)      # (sheet, (row, col)) → value as meant: inputs and derived cells
    text_inputs: dict = field(default_factory=dict)  # (sheet, pos) → A1 of an input whose text the formulas leave out
    calc_at: dict = field(default_factory=dict)     # (sheet, pos) → the Calc of a derived cell
    notes: list[ReadNote] = field(default_factory=list)
    derived: list[Derived] = field(default_factory=list)
    completion: dict[str, float] = field(default_factory=dict)
    totals: dict[str, Any] = field(default_factory=dict)
    total_done: dict[str, tuple[float, str]] = field(default_factory=dict)  # measure key → (合计 完成量, A1)
    sentence: dict[str, float] | None = None        # the figures of block 3's sentence (None: no sentence cell)

    @property
    def station(self) -> str | None:
        return self.annex1_1.station if self.annex1_1 is not None else None

    def figures(self) -> dict[str, Any]:
        """The report's 附件1 figures, in the order the report has always listed them."""
        out: dict[str, Any] = {}
        if self.sentence:
            out["annex1_sentence"] = self.sentence
        out["completion"] = self.completion
        if self.totals:
            out["annex1_totals"] = self.totals
        return out


def meant(reading: Reading) -> Any:
    """A cell as the person meant it, in the terms the formulas use."""
    k = reading.kind
    if k is Kind.NUMBER:
        return reading.value
    if k in (Kind.NA, Kind.DASH):
        return NA
    if k is Kind.BLANK:
        return None
    if k is Kind.ERROR:
        return str(reading.raw).strip()
    return reading.raw


def read(book) -> Model:
    """附件1-1 and 附件1-2 of ``book`` (a workbook.Book) as read: no findings, reading notes only."""
    a11, a12, missing = locate(book)
    out = Annex1(a11, a12, missing)
    if a11 is not None:
        for key, lay in a11.blocks.items():
            title = lay.spec.indicators[0].title.text
            t = _table(out, book, key, lay, district_calcs(lay), _block_inputs(lay),
                       *said("annex1.table.block", title=title), _block_info(lay))
            if t.filled and lay.total_row:
                _totals(out, key, lay, t.meant)
        if a11.targets is not None and a11.targets.items:
            _targets(out, book, "five_social", a11.targets, "完成量")
    if a12 is not None and a12.items:
        _targets(out, book, "annex1_2", a12, "完成情况")
    if a11 is not None and a11.targets is not None and a11.targets.sentence is not None:
        r, c = a11.targets.sentence
        out.sentence = _sentence_figures(book.sheet(a11.targets.sheet).text(r, c))
    return Model(annex1_1=a11, annex1_2=a12, annex1=out, notes=out.notes, missing=out.missing)


def _table(a1: Annex1, book, key: str, lay, calcs: list[Calc], inputs: list[Input], what: str, what_en: str,
           info: dict) -> Table:
    s = book.sheet(lay.sheet)
    t = Table(lay.sheet, key, lay, what, what_en, calcs=calcs, info=info)
    a1.tables.append(t)
    for c in calcs:
        a1.calc_at[(lay.sheet, c.pos)] = c
    for i in inputs:
        r = read_cell(s.value(*i.pos))
        t.inputs.append((i, r))
        a1.values[(i.sheet, i.pos)] = meant(r)
    # NB: a blank template already holds '/' where its spec has no agreement (小型社区活动)
    readings = [r for _, r in t.inputs]
    t.filled = not (readings and all(r.kind in (Kind.BLANK, Kind.NA) for r in readings)
                    and any(r.kind is Kind.BLANK for r in readings))
    if not t.filled:
        return t
    for i, r in t.inputs:
        if r.kind is Kind.NUMBER and r.note and r.note.value in NOTE_RULE:
            cell = to_a1(*s.top_left(*i.pos))
            a1.notes.append(ReadNote(i.sheet, cell, r.note.value, str(r.raw), r.value, (("indicator", i.label),)))
            a1.text_inputs[(i.sheet, i.pos)] = cell

    def lenient(p):
        k = (lay.sheet, p)
        return a1.values[k] if k in a1.values else meant(read_cell(s.value(*p)))

    t.meant = evaluate_all(calcs, lenient)
    t.stored = evaluate_all(calcs, derived.stored(s))
    for c in calcs:
        a1.values[(lay.sheet, c.pos)] = t.meant[c.pos]
        cell = to_a1(*s.top_left(*c.pos))
        a1.derived.append(Derived(lay.sheet, cell, c.formula(), t.stored[c.pos], c.number_format, c.label))
        found = s.value(*c.pos)
        fr = read_cell(found)
        if fr.note is Note.PERCENT_TEXT:
            a1.notes.append(ReadNote(lay.sheet, cell, fr.note.value, str(found), fr.value, (("indicator", c.label),)))
    return t


def _totals(a1: Annex1, key: str, lay: DistrictBlockLayout, values: dict) -> None:
    t = lay.total_row
    if lay.staff_col and key == "services":
        a1.totals["投入社工人数"] = values.get((t, lay.staff_col))
    for m in lay.measures:
        ag, dn, pc = values.get((t, m.agree)), values.get((t, m.done)), values.get((t, m.pct))
        a1.totals[m.title] = {"agreement": ag, "achieved": dn}
        if is_num(pc):
            a1.completion[m.title] = float(pc)
        if is_num(dn):
            a1.total_done[m.measure.key] = (float(dn), to_a1(t, m.done))


def _targets(a1: Annex1, book, key: str, lay: TargetLayout, done_label: str) -> None:
    what, what_en = said("annex1.table.annex1_2" if lay.items[0].title_col is None else "annex1.table.targets")
    info = {(it.row, it.pct_col): dict(district=None, indicator=it.target.title.text) for it in lay.items}
    t = _table(a1, book, key, lay, target_calcs(lay), _target_inputs(lay, done_label), what, what_en, info)
    for it in lay.items if t.filled else ():
        v = t.meant.get((it.row, it.pct_col))
        if is_num(v):
            a1.completion[it.target.title.text] = float(v)


def _block_inputs(lay: DistrictBlockLayout) -> list[Input]:
    out = []
    for name, row in lay.districts:
        if lay.staff_col:
            out.append(Input(lay.sheet, (row, lay.staff_col), name, "投入社工人数", role="staff"))
        for m in lay.measures:
            out.append(Input(lay.sheet, (row, m.agree), name, f"{m.indicator} {m.measure.agree.text}", role="agree"))
            out.append(Input(lay.sheet, (row, m.done), name, f"{m.indicator} {m.measure.done.text}", role="done"))
    return out


def _block_info(lay: DistrictBlockLayout) -> dict:
    info = {}
    for name, row in lay.districts:
        for m in lay.measures:
            info[(row, m.pct)] = dict(district=name, indicator=m.title)
    if lay.total_row:
        t = lay.total_row
        if lay.staff_col:
            info[(t, lay.staff_col)] = dict(district="合计", indicator="投入社工人数")
        for m in lay.measures:
            ind = m.title
            info[(t, m.agree)] = dict(district="合计", indicator=ind)
            info[(t, m.done)] = dict(district="合计", indicator=ind)
            info[(t, m.pct)] = dict(district="合计", indicator=ind, rule="total_pct", sheet=lay.sheet,
                                    district_pcts=[(r, m.pct) for _, r in lay.districts])
    return info


def _target_inputs(lay: TargetLayout, done_label: str) -> list[Input]:
    out = []
    for it in lay.items:
        out.append(Input(lay.sheet, (it.row, it.target_col), None, f"{it.target.title.text} 指标要求", role="agree"))
        out.append(Input(lay.sheet, (it.row, it.done_col), None, f"{it.target.title.text} {done_label}", role="done"))
    return out


def _sentence_figures(text: str) -> dict[str, float]:
    t = normalize(text)
    out = {}
    for key, rx in ANNEX1_1.sentence_keys:
        m = re.search(rx, t)
        if m:
            try:
                out[key] = float(m.group(1))
            except ValueError:
                pass
    return out
