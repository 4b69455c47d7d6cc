"""The 附件1 rules as functions over the model (``model.annex1``, read by annex1.reader), each with its codes.

The derived cells are judged in ``derived_rules``.
"""
from __future__ import annotations

from ..annex2.roster import month_text
from ..cells import to_a1
from ..checks import rule
from ..evidence import (chain_breaks, parse_arithmetic, parse_counter_lines, parse_labelled_figures,
                        parse_month_list, parse_name_lists)
from ..formulas import is_num
from ..safety import said
from ..values import Kind, normalize
from ..words import args

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
                ctx.flag("A110", i.sheet, cell, **args("hint", f"annex1.hint.{i.role}"), district=i.district,
                         indicator=i.indicator)


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
            ctx.flag("A123", b2.sheet, cell, district=name, **args("what", "annex1.district"),
                     found=name, **args("expected", "annex1.none"))
            continue
        if normalize(name) != names1[i]:
            ctx.flag("A123", b2.sheet, cell, district=name, **args("what", "annex1.district_name"),
                     found=name, expected=b1.districts[i][0])
            continue
        if b1.staff_col and b2.staff_col:
            v1 = values.get((b1.sheet, (b1.districts[i][1], b1.staff_col)))
            v2 = values.get((b2.sheet, (row, b2.staff_col)))
            if is_num(v1) and is_num(v2) and abs(v1 - v2) > 1e-9:
                ctx.flag("A123", b2.sheet, to_a1(row, b2.staff_col), district=name,
                         **args("what", "annex1.district_staff"), found=v2, expected=v1)


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
    for (r, c), cm in sheet.notes.items():
        out.append((r, c, cm.text, cm.author))
    return sorted(out)


#: comment labels → (measures whose 合计 完成量 they repeat, zh, en); documented composition of 16914
PARTS = (
    (("电访", "热线", "电话"), ("hotline.count",), "hotline"),
    (("个案",), ("case.sessions",), "case"),
    (("小组",), ("group.people",), "group"),
    (("活动",), ("large.people", "medium.people", "policy.people", "small.people"), "activities"),
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
                     **args("source_label", "annex1.source.sentence"), source=cell)
            continue
        for keys, measures, source in PARTS:
            if any(k in n for k in keys):
                if all(m in total_done for m in measures):
                    want = sum(total_done[m][0] for m in measures)
                    if abs(v - want) > 1e-9:
                        ctx.flag("A116", sheet, cell, part=lbl, found=v, expected=want,
                                 **args("source_label", f"annex1.source.{source}"),
                                 source=[total_done[m][1] for m in measures])
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
    period, period_en = said("grammar.span", first=(month_text(ml[0]), month_text(ml[0], "en")),
                             last=(month_text(ml[-1]), month_text(ml[-1], "en"))) if ml else ("", "")
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
