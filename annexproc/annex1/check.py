"""Checking 附件1-1 and 附件1-2: locate, read every input, recompute every derived cell, cross-check.

``run(ctx)`` leaves for the checkers after it:

* ``ctx.located['annex1_1']`` — an ``annex1.locate.Annex11`` (or None when the sheet is missing):
  ``.sheet`` (sheet name), ``.station`` (from the title, e.g. '逢源街社工站'), ``.title_cell``
  ((row, col) or None), ``.blocks`` {'services': DistrictBlockLayout, 'activities': DistrictBlockLayout}
  (either may be absent), ``.targets`` the TargetLayout of block 3 (五社联动/志愿者/公共问题; its
  ``sentence`` is the (row, col) of the sentence cell or None). Rows/cols 1-based (annexproc.layout).
* ``ctx.located['annex1_2']`` — the TargetLayout of 附件1-2 (``items`` with title_row set), or None.
* ``ctx.located['annex1_values']`` — {(sheet, (row, col)): value as the person meant it} of every
  input cell read (numbers as float, '/' for not applicable, None blank, other text as written) and
  every derived cell recomputed from them.
* ``ctx.figures['completion']`` — {'<indicator> <measure label>': 合计 ratio} for every measure of
  blocks 1–2, {'<target title>': ratio} for block 3 and 附件1-2 (floats; '/' ratios left out).
* ``ctx.figures['annex1_totals']`` — {'<indicator> <measure label>': {'agreement': x, 'achieved': y}}
  of the 合计 rows, plus '投入社工人数': n; ``ctx.figures['annex1_sentence']`` the sentence's figures.

Values are read twice: *as meant* (text numbers read as numbers: the expected values and figures)
and *strictly* (what the official formula gives from the cells as stored: the registered Derived
values, so the annotated copy and ``recompute`` write what Excel would show).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import mean
from typing import Any

from .. import derived
from ..annex2.roster import month_text
from ..cells import from_a1, to_a1
from ..derived import formula_refs
from ..evidence import (chain_breaks, parse_arithmetic, parse_counter_lines, parse_labelled_figures,
                        parse_month_list, parse_name_lists)
from ..formulas import NA, Calc, evaluate_all, is_num
from ..layout import DistrictBlockLayout, TargetLayout, district_calcs, target_calcs
from ..report import Derived
from ..spec import ANNEX1_1
from ..values import NOTE_RULE, Kind, Note, normalize, read
from ..xlmath import pct_text, same_shown
from .locate import locate

RULE_TEXT = {
    "pct": ("百分比 = 完成量 ÷ 协议数，协议为“/”或 0 时填“/”",
            "percentage = achieved ÷ agreed, '/' where the agreement is '/' or 0"),
    "total_pct": ("合计百分比 = 合计完成量 ÷ 合计协议数（不是各片区百分比的平均）",
                  "the 合计 percentage = total achieved ÷ total agreed (not an average of the districts)"),
    "sum_na": ("合计 = 各片区之和（各片区都为“/”时填“/”）", "合计 = the sum of the districts ('/' when all are '/')"),
    "sum": ("合计 = 各片区之和", "合计 = the sum of the districts"),
}


@dataclass
class _Input:
    sheet: str
    pos: tuple[int, int]
    district: str | None
    indicator: str
    role: str                 # 'agree' | 'done' | 'staff'


def _meant(reading) -> Any:
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


# NB: formula_refs lives in annexproc.derived (one reference parser for the package); kept importable here
__all__ = ["formula_refs", "run"]


# -- the checker ----------------------------------------------------------------------------------

class _Checker:
    def __init__(self, ctx):
        self.ctx = ctx
        self.book = ctx.book
        self.meant: dict[tuple[str, tuple[int, int]], Any] = {}
        self.text_inputs: dict[tuple[str, tuple[int, int]], str] = {}
        self.completion: dict[str, float] = {}
        self.totals: dict[str, Any] = {}
        # NB: one cause, one error: a derived cell that is wrong only because of a text number it reads, or of
        # a wrong derived cell it reads, is listed in that cause's finding (effects) instead of its own
        self.wrong: dict[tuple[str, tuple[int, int]], tuple[str, str]] = {}   # derived cell → (sheet, A1) of its cause
        self.effects: dict[tuple[str, str], list] = {}                        # cause → [(cell, without, with)]

    def sheet(self, name):
        return self.book.sheet(name)

    # step 2: inputs
    def read_inputs(self, inputs: list[_Input], what: str, what_en: str) -> bool:
        """Read and flag every input; False when all of them are blank (an unfilled table)."""
        readings = []
        for i in inputs:
            s = self.sheet(i.sheet)
            r = read(s.value(*i.pos))
            readings.append((i, r))
            self.meant[(i.sheet, i.pos)] = _meant(r)
        # NB: a blank template already holds '/' where its spec has no agreement (小型社区活动)
        if readings and all(r.kind in (Kind.BLANK, Kind.NA) for _, r in readings) and \
                any(r.kind is Kind.BLANK for _, r in readings):
            i0 = readings[0][0]
            self.ctx.flag("A113", i0.sheet, to_a1(*i0.pos), what=what, what_en=what_en)
            return False
        for i, r in readings:
            self.flag_reading(i, r)
        return True

    def flag_reading(self, i: _Input, r) -> None:
        cell = to_a1(*self.sheet(i.sheet).top_left(*i.pos))
        # NB: as annex2 does, RD findings carry the whole label in ``indicator`` (their templates
        # print "{district}{indicator}" with no separator)
        kw = dict(indicator=f"{i.district} {i.indicator}" if i.district else i.indicator)
        raw = r.raw
        if r.kind is Kind.NUMBER and r.note:
            code = NOTE_RULE.get(r.note.value)
            if code:
                self.ctx.flag(code, i.sheet, cell, expected=r.value, found=str(raw), **kw)
                self.text_inputs[(i.sheet, i.pos)] = cell
        elif r.kind is Kind.ERROR:
            self.ctx.flag("RD07", i.sheet, cell, found=str(raw).strip(), **kw)
        elif r.kind in (Kind.TEXT, Kind.DATE, Kind.TICK):
            self.ctx.flag("RD06", i.sheet, cell, found=str(raw), expected_kind="数字，或“/”（无此指标）",
                          expected_kind_en="a number, or '/' (no such indicator)", **kw)
        elif r.kind is Kind.DASH:
            self.ctx.flag("A111", i.sheet, cell, found=str(raw).strip(), district=i.district,
                          indicator=i.indicator, expected="/" if i.role == "agree" else 0)
        elif r.kind is Kind.BLANK:
            hint = {"agree": ("请按协议填写数字；无此指标请填“/”。", "Enter the agreed number, or '/' where there is no such indicator."),
                    "done": ("公式按 0 计算；没有完成请填 0。", "The formulas count it as 0; enter 0 when nothing was done."),
                    "staff": ("请填写投入该片区的社工人数。", "Enter the number of social workers in this district.")}[i.role]
            self.ctx.flag("A110", i.sheet, cell, hint=hint[0], hint_en=hint[1], district=i.district,
                          indicator=i.indicator)

    # steps 3 and 4: derived cells
    def derive(self, sheet_name: str, calcs: list[Calc], info: dict[tuple[int, int], dict]) -> dict:
        s = self.sheet(sheet_name)

        def lenient(p):
            key = (sheet_name, p)
            if key in self.meant:
                return self.meant[key]
            return _meant(read(s.value(*p)))

        meant = evaluate_all(calcs, lenient)
        stored = evaluate_all(calcs, derived.stored(s))
        for c in calcs:
            self.meant[(sheet_name, c.pos)] = meant[c.pos]
            cell = to_a1(*s.top_left(*c.pos))
            self.ctx.derive(Derived(sheet_name, cell, c.formula(), stored[c.pos], c.number_format, c.label))
            self.compare(s, c, meant[c.pos], stored[c.pos], info.get(c.pos, {}), meant)
        return meant

    def compare(self, s, c: Calc, exp, strict_val, info: dict, meant: dict) -> None:
        cell = to_a1(*s.top_left(*c.pos))
        found = s.value(*c.pos)
        fr = read(found)
        kind = info.get("rule", c.kind)
        rz, re_ = RULE_TEXT.get(kind, RULE_TEXT.get(c.kind, ("", "")))
        unit = "pct" if c.kind == "pct" else None
        kw = dict(district=info.get("district"), indicator=info.get("indicator"), label=c.label,
                  formula=c.formula(), rule_text=rz, rule_text_en=re_, unit=unit)
        if fr.note is Note.PERCENT_TEXT:
            self.ctx.flag("RD12", s.name, cell, expected=fr.value, found=str(found), indicator=c.label)
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
        if v.kind is D.AVERAGE:
            self.ctx.flag("A108", s.name, cell, expected=exp, found=v.found, **kw)
        elif v.kind is D.OTHER_FORMULA:
            self.ctx.other_formulas.append((s.name, cell))
        elif v.kind is D.OTHER_REFS_AGREE:
            self.ctx.flag("A107", s.name, cell, expected=exp, found=v.found, found_formula=v.formula,
                          missing=derived.refs_text(v.missing), **kw)
        elif v.kind is D.OTHER_REFS:
            self.ctx.flag("A106", s.name, cell, expected=exp,
                          found=v.found if v.calculated else "（未计算）", found_formula=v.formula,
                          **({} if v.calculated else {"found_en": "not calculated"}),
                          found_refs=derived.refs_text(v.refs), expected_refs=derived.refs_text(v.expected_refs), **kw)
        elif v.kind is D.CONSTANT_EQUAL:
            self.ctx.flag("A104", s.name, cell, expected=exp, found=v.found, **kw)
        else:
            code = "A101" if v.kind is D.MISMATCH else "A105"
            if v.na == "number_for_na" and unit == "pct":
                code = "A102"
            elif v.na == "na_for_number":
                code = "A103"
            self.ctx.flag(code, s.name, cell, expected=exp, found=v.found, **kw)

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
        texts = {(sheet, a1) for (sheet, _), a1 in self.text_inputs.items()}
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
            if (sheet, p) in self.text_inputs:
                out.append(self.text_inputs[(sheet, p)])
            sub = self._calc_at.get((sheet, p))
            if sub is not None:
                todo.extend(sub.refs())
        return sorted(set(out), key=lambda a: from_a1(a))

    def _is_average(self, fr, exp, info, meant) -> bool:
        """A 合计 percentage that equals the mean of the district percentages and not the rule."""
        if fr.kind is not Kind.NUMBER or not info.get("district_pcts"):
            return False
        if is_num(exp) and same_shown(exp, fr.value, "0.00%"):
            return False
        s = self.sheet(info["sheet"])
        for source in ([meant.get(p) for p in info["district_pcts"]],
                       [read(s.value(*p)).value for p in info["district_pcts"]]):
            nums = [v for v in source if is_num(v)]
            if len(nums) >= 2 and same_shown(mean(nums), fr.value, "0.00%"):
                return True
        return False


#: The findings of a derived cell whose value is wrong: a cause of the cells that read it (_explained).
_VALUE_ERRORS = ("A101", "A102", "A103", "A105", "A106", "A108")


# -- blocks ---------------------------------------------------------------------------------------

def _block_inputs(lay: DistrictBlockLayout) -> list[_Input]:
    out = []
    for name, row in lay.districts:
        if lay.staff_col:
            out.append(_Input(lay.sheet, (row, lay.staff_col), name, "投入社工人数", "staff"))
        for m in lay.measures:
            out.append(_Input(lay.sheet, (row, m.agree), name, f"{m.indicator} {m.measure.agree.text}", "agree"))
            out.append(_Input(lay.sheet, (row, m.done), name, f"{m.indicator} {m.measure.done.text}", "done"))
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


def _target_inputs(lay: TargetLayout, done_label: str) -> list[_Input]:
    out = []
    for it in lay.items:
        out.append(_Input(lay.sheet, (it.row, it.target_col), None, f"{it.target.title.text} 指标要求", "agree"))
        out.append(_Input(lay.sheet, (it.row, it.done_col), None, f"{it.target.title.text} {done_label}", "done"))
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


def _comments(sheet):
    """(row, col, text, author) of every cell comment in the sheet."""
    out = []
    for (r, c), cm in sheet.notes.items():
        out.append((r, c, cm.text, cm.author))
    return sorted(out)


#: comment labels → (measures whose 合计 完成量 they repeat, zh, en); documented composition of 16914
PARTS = (
    (("电访", "热线", "电话"), ("hotline.count",), "红棉热线服务次数的合计完成量", "the 合计 achieved of 红棉热线服务次数"),
    (("个案",), ("case.sessions",), "专业个案节数的合计完成量", "the 合计 achieved of 专业个案 sessions"),
    (("小组",), ("group.people",), "专业小组人次的合计完成量", "the 合计 achieved of 专业小组 people"),
    (("活动",), ("large.people", "medium.people", "policy.people", "small.people"),
     "四类社区活动人次合计完成量之和", "the sum of the four activities' 合计 people achieved"),
)

HEADINGS = {"建档人数": "filed_people", "建档总户数": "filed_households", "服务总人数": "visit_people",
            "入户探访总人数": "visit_people_times", "共服务社区居民": "served_people_times"}


def run(ctx) -> None:
    a11, a12, missing = locate(ctx.book)
    ctx.located["annex1_1"] = a11
    ctx.located["annex1_2"] = a12
    for m in missing:
        if m.sheet is None:
            # NB: the sheets searched as a list (Missing.looked is joined the Chinese way)
            ctx.flag("RD02", None, None, what=m.what, what_en=m.what_en,
                     looked=[s.name for s in ctx.book.sheets])
        elif m.block:
            ctx.flag("RD03", m.sheet, m.cell, what=m.what, what_en=m.what_en)
        else:
            ctx.flag("A112", m.sheet, m.cell, what=m.what, what_en=m.what_en)
    if a11 and a11.station and not ctx.station:
        ctx.station = a11.station
    ck = _Checker(ctx)
    ck._calc_at = {}
    total_done: dict[str, tuple[float, str]] = {}
    if a11 is not None:
        for key, lay in a11.blocks.items():
            calcs = district_calcs(lay)
            for c in calcs:
                ck._calc_at[(lay.sheet, c.pos)] = c
            title = lay.spec.indicators[0].title.text
            if not ck.read_inputs(_block_inputs(lay), f"“{title}”表格", f"the block of “{title}”"):
                continue
            meant = ck.derive(lay.sheet, calcs, _block_info(lay))
            if lay.total_row:
                t = lay.total_row
                if lay.staff_col and key == "services":
                    ck.totals["投入社工人数"] = meant.get((t, lay.staff_col))
                for m in lay.measures:
                    name = m.title
                    ag, dn, pc = meant.get((t, m.agree)), meant.get((t, m.done)), meant.get((t, m.pct))
                    ck.totals[name] = {"agreement": ag, "achieved": dn}
                    if is_num(pc):
                        ck.completion[name] = float(pc)
                    if is_num(dn):
                        total_done[m.measure.key] = (float(dn), to_a1(t, m.done))
        _compare_blocks(ctx, a11, ck)
        if a11.targets is not None and a11.targets.items:
            _targets(ck, a11.targets, "完成量")
    if a12 is not None and a12.items:
        _targets(ck, a12, "完成情况")
    ck.amend_causes()
    if a11 is not None:
        _sentence(ctx, ck, a11, total_done)
        _comment_checks(ctx, ck, a11, a12)
    ctx.located["annex1_values"] = ck.meant
    ctx.figures["completion"] = ck.completion
    if ck.totals:
        ctx.figures["annex1_totals"] = ck.totals


def _targets(ck: _Checker, lay: TargetLayout, done_label: str) -> None:
    calcs = target_calcs(lay)
    what, what_en = (("附件1-2", "附件1-2") if lay.items[0].title_col is None
                     else ("五社联动/志愿者表格", "the 五社联动/志愿者 block"))
    if not ck.read_inputs(_target_inputs(lay, done_label), what, what_en):
        return
    info = {(it.row, it.pct_col): dict(district=None, indicator=it.target.title.text) for it in lay.items}
    meant = ck.derive(lay.sheet, calcs, info)
    for it in lay.items:
        v = meant.get((it.row, it.pct_col))
        if is_num(v):
            ck.completion[it.target.title.text] = float(v)


def _compare_blocks(ctx, a11, ck: _Checker) -> None:
    b1, b2 = a11.blocks.get("services"), a11.blocks.get("activities")
    if not (b1 and b2):
        return
    names1 = [normalize(n) for n, _ in b1.districts]
    for i, (name, row) in enumerate(b2.districts):
        cell = to_a1(row, b2.district_col)
        if i >= len(b1.districts):
            ctx.flag("A123", b2.sheet, cell, district=name, what="片区", what_en="the district",
                     found=name, expected="（无）", expected_en="none")
            continue
        if normalize(name) != names1[i]:
            ctx.flag("A123", b2.sheet, cell, district=name, what="片区名称", what_en="the district name",
                     found=name, expected=b1.districts[i][0])
            continue
        if b1.staff_col and b2.staff_col:
            v1 = ck.meant.get((b1.sheet, (b1.districts[i][1], b1.staff_col)))
            v2 = ck.meant.get((b2.sheet, (row, b2.staff_col)))
            if is_num(v1) and is_num(v2) and abs(v1 - v2) > 1e-9:
                ctx.flag("A123", b2.sheet, to_a1(row, b2.staff_col), district=name, what="投入社工人数",
                         what_en="投入社工人数", found=v2, expected=v1)


def _sentence(ctx, ck: _Checker, a11, total_done) -> None:
    lay = a11.targets
    if lay is None or lay.sentence is None:
        return
    s = ck.sheet(lay.sheet)
    r, c = lay.sentence
    figs = _sentence_figures(s.text(r, c))
    if figs:
        ctx.figures["annex1_sentence"] = figs
    cell = to_a1(r, c)
    v = figs.get("visit_people_times")
    if v is not None and "visit.count" in total_done and abs(v - total_done["visit.count"][0]) > 1e-9:
        ctx.flag("A115", s.name, cell, found=v, expected=total_done["visit.count"][0],
                 source=total_done["visit.count"][1], indicator="家庭探视服务户数")
    h = figs.get("filed_households")
    if h is not None and "filing.count" in total_done and h > total_done["filing.count"][0] + 1e-9:
        ctx.flag("A124", s.name, cell, found=h, expected=total_done["filing.count"][0],
                 source=total_done["filing.count"][1], indicator="困难群众和特殊群体建档")
    ck._sentence_figs = figs
    ck._total_done = total_done


def _comment_checks(ctx, ck: _Checker, a11, a12) -> None:
    figs = getattr(ck, "_sentence_figs", {})
    total_done = getattr(ck, "_total_done", {})
    sheets = [a11.sheet] + ([a12.sheet] if a12 is not None and a12.sheet != a11.sheet else [])
    sentence = a11.targets.sentence if a11.targets is not None else None
    for name in sheets:
        s = ck.sheet(name)
        for r, c, text, author in _comments(s):
            cell = to_a1(*s.top_left(r, c))
            for ar in parse_arithmetic(text):
                if not ar.ok:
                    ctx.flag("A117", name, cell, text=ar.text, expected=ar.computed, found=ar.stated)
            for line, prev in chain_breaks(parse_counter_lines(text)):
                ctx.flag("A118", name, cell, text=line.text, expected=prev, found=line.subtracted)
            if name != a11.sheet:
                continue
            sections = parse_labelled_figures(text, author)
            top = next((sec for sec in sections if sec.heading is None), None)
            is_sentence = sentence is not None and (r, c) == sentence
            if top and (is_sentence or _looks_like_parts(top)) and len(top.items) >= 2:
                _parts(ctx, name, cell, top, figs, total_done)
            for sec in sections:
                key = HEADINGS.get(normalize(sec.heading or ""))
                if key and key in figs:
                    total = sum(v for _, v, _ in sec.items)
                    if abs(total - figs[key]) > 1e-9:
                        ctx.flag("A122", name, cell, heading=sec.heading, found=total, expected=figs[key])
    if a11 is not None:
        _staff_names(ctx, ck, a11)
    if a12 is not None:
        _cases(ctx, ck, a12)


def _looks_like_parts(sec) -> bool:
    labels = [normalize(lbl) for lbl, _, _ in sec.items]
    return sum(1 for keys, *_ in PARTS if any(any(k in lbl for k in keys) for lbl in labels)) >= 2


def _parts(ctx, sheet, cell, sec, figs, total_done) -> None:
    total = sum(v for _, v, _ in sec.items)
    served = figs.get("served_people_times")
    parts = " + ".join(f"{lbl} {_fmt(v)}" for lbl, v, _ in sec.items)
    if served is not None and abs(total - served) > 1e-9:
        ctx.flag("A114", sheet, cell, found=served, expected=total, parts=parts)
    for lbl, v, _ in sec.items:
        n = normalize(lbl)
        if "探访" in n and "visit_people" in figs and abs(v - figs["visit_people"]) > 1e-9:
            ctx.flag("A116", sheet, cell, part=lbl, found=v, expected=figs["visit_people"],
                     source_label="说明文字的“服务总人数”", source_label_en="the sentence's 服务总人数",
                     source=cell)
            continue
        for keys, measures, zh, en in PARTS:
            if any(k in n for k in keys):
                if all(m in total_done for m in measures):
                    want = sum(total_done[m][0] for m in measures)
                    if abs(v - want) > 1e-9:
                        ctx.flag("A116", sheet, cell, part=lbl, found=v, expected=want, source_label=zh,
                                 source_label_en=en, source=[total_done[m][1] for m in measures])
                break


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def _staff_names(ctx, ck: _Checker, a11) -> None:
    for lay in a11.blocks.values():
        if not lay.staff_col:
            continue
        s = ck.sheet(lay.sheet)
        for name, row in lay.districts:
            cm = s.comment(row, lay.staff_col)
            if cm is None or "0.5" in cm.text or "０.５" in cm.text:
                continue
            names = [n for line in parse_name_lists(cm.text, cm.author) for n in line]
            staff = ck.meant.get((lay.sheet, (row, lay.staff_col)))
            if names and is_num(staff) and abs(len(names) - staff) > 1e-9:
                ctx.flag("A121", lay.sheet, to_a1(row, lay.staff_col), district=name, expected=staff,
                         found=float(len(names)), names=names)


def _cases(ctx, ck: _Checker, a12) -> None:
    s = ck.sheet(a12.sheet)
    months = {f"{y:04d}{m:02d}" for y, m in ctx.params.month_list()}
    ml = ctx.params.month_list()
    period = f"{month_text(ml[0])}至{month_text(ml[-1])}" if ml else ""
    period_en = f"{month_text(ml[0], 'en')} to {month_text(ml[-1], 'en')}" if ml else ""
    for it in a12.items:
        if it.target.key != "typical_cases":
            continue
        top = it.title_row or it.row - 2
        for r, c, text, author in _comments(s):
            if not (top <= r <= it.row and it.target_col <= c <= it.pct_col):
                continue
            cases = parse_month_list(text)
            if not cases:
                continue
            cell = to_a1(*s.top_left(r, c))
            done = ck.meant.get((a12.sheet, (it.row, it.done_col)))
            if is_num(done) and abs(len(cases) - done) > 1e-9:
                ctx.flag("A119", a12.sheet, cell, indicator=it.target.title.text, found=float(len(cases)),
                         expected=done)
            for ym, who in cases:
                m = (int(ym[:4]), int(ym[4:]))
                if months and ym not in months:
                    ctx.flag("A120", a12.sheet, cell, indicator=it.target.title.text, text=f"{ym} {who}",
                             found=month_text(m), found_en=month_text(m, "en"), period=period,
                             period_en=period_en)
