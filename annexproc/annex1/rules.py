"""The 附件1 rules as functions over the model (``model.annex1``, read by annex1.reader), each with its codes."""
from __future__ import annotations

from statistics import mean

from .. import derived
from ..annex2.roster import month_text
from ..cells import from_a1, to_a1
from ..checks import rule
from ..evidence import (chain_breaks, parse_arithmetic, parse_counter_lines, parse_labelled_figures,
                        parse_month_list, parse_name_lists)
from ..formulas import Calc, is_num
from ..values import NOTE_RULE, Kind, normalize, read
from ..workbook import cells_of
from ..xlmath import pct_text, same_shown

RULE_TEXT = {
    "pct": ("百分比 = 完成量 ÷ 协议数，协议为“/”或 0 时填“/”",
            "percentage = achieved ÷ agreed, '/' where the agreement is '/' or 0"),
    "total_pct": ("合计百分比 = 合计完成量 ÷ 合计协议数（不是各片区百分比的平均）",
                  "the 合计 percentage = total achieved ÷ total agreed (not an average of the districts)"),
    "sum_na": ("合计 = 各片区之和（各片区都为“/”时填“/”）", "合计 = the sum of the districts ('/' when all are '/')"),
    "sum": ("合计 = 各片区之和", "合计 = the sum of the districts"),
}
_HINT = {"agree": ("请按协议填写数字；无此指标请填“/”。", "Enter the agreed number, or '/' where there is no such indicator."),
         "done": ("公式按 0 计算；没有完成请填 0。", "The formulas count it as 0; enter 0 when nothing was done."),
         "staff": ("请填写投入该片区的社工人数。", "Enter the number of social workers in this district.")}
#: The findings of a derived cell whose value is wrong: a cause of the cells that read it (_Judge._explained).
_VALUE_ERRORS = ("A101", "A102", "A103", "A105", "A106", "A108")


def _tables(ctx):
    a1 = ctx.model.annex1
    return a1.tables if a1 is not None else []


@rule("A110", "A111", "A113")
def inputs(ctx) -> None:
    """Inputs left blank or dashed; a table not filled in at all (said once)."""
    for t in _tables(ctx):
        if not t.filled:
            if t.inputs:
                i0 = t.inputs[0][0]
                ctx.flag("A113", i0.sheet, to_a1(*i0.pos), what=t.what, what_en=t.what_en)
            continue
        sheet = ctx.book.sheet(t.sheet)
        for i, r in t.inputs:
            cell = to_a1(*sheet.top_left(*i.pos))
            if r.kind is Kind.DASH:
                ctx.flag("A111", i.sheet, cell, found=str(r.raw).strip(), district=i.district,
                         indicator=i.indicator, expected="/" if i.role == "agree" else 0)
            elif r.kind is Kind.BLANK:
                hint = _HINT[i.role]
                ctx.flag("A110", i.sheet, cell, hint=hint[0], hint_en=hint[1], district=i.district,
                         indicator=i.indicator)


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
        rz, re_ = RULE_TEXT.get(kind, RULE_TEXT.get(c.kind, ("", "")))
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


@rule("A123")
def districts(ctx) -> None:
    """The activities block's districts (names and 投入社工人数) against the services block's."""
    a11, values = ctx.model.annex1_1, ctx.model.annex1_values
    b1, b2 = (a11.blocks.get("services"), a11.blocks.get("activities")) if a11 is not None else (None, None)
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
            v1 = values.get((b1.sheet, (b1.districts[i][1], b1.staff_col)))
            v2 = values.get((b2.sheet, (row, b2.staff_col)))
            if is_num(v1) and is_num(v2) and abs(v1 - v2) > 1e-9:
                ctx.flag("A123", b2.sheet, to_a1(row, b2.staff_col), district=name, what="投入社工人数",
                         what_en="投入社工人数", found=v2, expected=v1)


@rule("A115", "A124")
def sentence(ctx) -> None:
    """Block 3's sentence against the 合计 it repeats (探视户数, 建档户数)."""
    a1 = ctx.model.annex1
    if a1 is None or a1.sentence is None:
        return
    lay, figs, total_done = a1.annex1_1.targets, a1.sentence, a1.total_done
    cell = to_a1(*lay.sentence)
    v = figs.get("visit_people_times")
    if v is not None and "visit.count" in total_done and abs(v - total_done["visit.count"][0]) > 1e-9:
        ctx.flag("A115", lay.sheet, cell, found=v, expected=total_done["visit.count"][0],
                 source=total_done["visit.count"][1], indicator="家庭探视服务户数")
    h = figs.get("filed_households")
    if h is not None and "filing.count" in total_done and h > total_done["filing.count"][0] + 1e-9:
        ctx.flag("A124", lay.sheet, cell, found=h, expected=total_done["filing.count"][0],
                 source=total_done["filing.count"][1], indicator="困难群众和特殊群体建档")


def _comments(sheet):
    """(row, col, text, author) of every cell comment in the sheet."""
    out = []
    for (r, c), cell in list(cells_of(sheet.ws).items()):
        cm = getattr(cell, "comment", None)
        if cm is not None and cm.text:
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


@rule("A114", "A116", "A117", "A118", "A122")
def comments(ctx) -> None:
    """The figures and the hand arithmetic in 附件1's comments against the sentence and the 合计."""
    a1 = ctx.model.annex1
    a11, a12 = ctx.model.annex1_1, ctx.model.annex1_2
    if a11 is None:
        return
    figs = a1.sentence or {}
    total_done = a1.total_done if a1.sentence is not None else {}   # NB: the parts are read beside a sentence
    sheets = [a11.sheet] + ([a12.sheet] if a12 is not None and a12.sheet != a11.sheet else [])
    sentence = a11.targets.sentence if a11.targets is not None else None
    for name in sheets:
        s = ctx.book.sheet(name)
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


@rule("A121")
def staff_names(ctx) -> None:
    """The names a 投入社工人数 comment lists against the number in the cell."""
    a11 = ctx.model.annex1_1
    if a11 is None:
        return
    for lay in a11.blocks.values():
        if not lay.staff_col:
            continue
        s = ctx.book.sheet(lay.sheet)
        for name, row in lay.districts:
            cm = s.comment(row, lay.staff_col)
            if cm is None or "0.5" in cm.text or "０.５" in cm.text:
                continue
            names = [n for line in parse_name_lists(cm.text, cm.author) for n in line]
            staff = ctx.model.annex1_values.get((lay.sheet, (row, lay.staff_col)))
            if names and is_num(staff) and abs(len(names) - staff) > 1e-9:
                ctx.flag("A121", lay.sheet, to_a1(row, lay.staff_col), district=name, expected=staff,
                         found=float(len(names)), names=names)


@rule("A119", "A120")
def cases(ctx) -> None:
    """附件1-2's typical cases listed in a comment: their number, and their months against the period."""
    a12 = ctx.model.annex1_2
    if ctx.model.annex1_1 is None or a12 is None:
        return
    s = ctx.book.sheet(a12.sheet)
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
            done = ctx.model.annex1_values.get((a12.sheet, (it.row, it.done_col)))
            if is_num(done) and abs(len(cases) - done) > 1e-9:
                ctx.flag("A119", a12.sheet, cell, indicator=it.target.title.text, found=float(len(cases)),
                         expected=done)
            for ym, who in cases:
                m = (int(ym[:4]), int(ym[4:]))
                if months and ym not in months:
                    ctx.flag("A120", a12.sheet, cell, indicator=it.target.title.text, text=f"{ym} {who}",
                             found=month_text(m), found_en=month_text(m, "en"), period=period,
                             period_en=period_en)
