"""Cross-checks over the model: 附件1 against 附件2, and workers counted twice in the station's own district lists.

附件1's 投入社工人数 against 附件2's grid (A225–A229, the 附件2 family's codes): each district's count
against the workers on post in the last month whose 职位 names it, and the names a district's comment lists
against the roster (someone not in it, off post by then, or of another district).

The template's comment on 投入社工人数 (documented): "不能重复计算投入社工人数，每1名社工只能计入1个或2个
服务片区" — one district, or 0.5 in each of two. Stations list each district's workers by name in a
comment on that district's 投入社工人数 cell; across one table's districts those lists must not
count a person twice:

- XS01 a name in three or more districts' lists of one table (each listing cell is flagged);
- XS02 a name in two districts' lists without 0.5 marked (``林晓雨(0.5)``, ``林晓雨0.5``, ``林晓雨半``)
  and without half counts in the 投入社工人数 cells (each listing cell is flagged);
- XS03 a name twice in one district's list;
- XS04 a name in both tables (services, activities) whose districts in one table are not all among
  those of the other (片区1 in one, 片区2 in the other; or 片区1/片区2 in one, 片区1/片区3 in the
  other): across the station the worker then counts in districts they were never shared between.
  Each listing cell whose district the other table does not give the name is flagged, naming the
  other table's cells. The same districts in both tables, or 0.5/0.5 in one and a full count in one
  of those two in the other, are not findings; a name in one table only (a worker who left) is the
  roster checks' (A227), not ours.

What the other checkers already reconcile is not repeated here: both sections of 附件2 in one month
(A213), a 职位 naming three districts (A226), the sentence and
the sums and hand arithmetic in comments, cumulative counters included (A114–A118, A122).
"""
from __future__ import annotations

import math
from itertools import combinations

from .annex2.roster import districts_of, month_text
from .cells import to_a1
from .checks import rule
from .evidence import Listed, listed_names
from .findings import joined, show
from .safety import said
from .values import Kind, read
from .words import both

# NB: the district lists are read by evidence.listed_names (one name parser); kept importable here
__all__ = ["Listed", "listed_names", "district_lists", "staff_against_grid"]


@rule("A225", "A227", "A228", "A229")
def staff_against_grid(ctx) -> None:
    """A225–A229: each district's 投入社工人数 and its comment's names against 附件2's last month."""
    a11, st = ctx.model.annex1_1, ctx.model.annex2
    if a11 is not None and st is not None:
        _staff_against_grid(ctx, a11, st)


@rule("XS01", "XS02", "XS03", "XS04")
def district_lists(ctx) -> None:
    """XS01–XS04: the names each table's district comments list, within one table and across both."""
    a11 = ctx.model.annex1_1
    tables = []
    for key, lay in (getattr(a11, "blocks", None) or {}).items():
        if lay.staff_col:
            where = _district_lists(ctx, key, lay)
            if where is not None:
                tables.append((key, lay, where))
    for one, other in combinations(tables, 2):
        _across_tables(ctx, one, other)


def _staff_against_grid(ctx, a11, st) -> None:
    """A225–A229: each district's 投入社工人数 and its comment's names against 附件2's last month."""
    last = st.last_month
    month = dict(month=month_text(last), month_en=month_text(last, "en"))
    on_post = st.on_post(last)
    for b in a11.blocks.values():
        if not b.staff_col:
            continue
        sheet = ctx.book.sheet(b.sheet)
        for i, (name, row) in enumerate(b.districts):
            ds = districts_of(name)
            num = ds[0] if len(ds) == 1 else i + 1      # NB: districts named by their communities: by order
            members = [w for w in on_post if num in w.districts and len(w.districts) <= 2]
            expected = sum(1.0 / len(w.districts) for w in members)
            pos = (row, b.staff_col)
            a1 = to_a1(*pos)
            rd = read(sheet.value(*pos))
            if rd.kind is Kind.NUMBER and not math.isclose(rd.value, expected, abs_tol=1e-9):
                names = [w.name + ("(0.5)" if len(w.districts) == 2 else "") for w in members]
                ctx.flag("A225", b.sheet, a1, district=name, found=rd.value, expected=expected, names=names, **month)
            comment = sheet.comment(*pos)
            if comment is None:
                continue
            for nm in dict.fromkeys(n.name for n in listed_names(comment.text, comment.author)):
                w = st.worker_named(nm)
                if w is None:
                    ctx.flag("A228", b.sheet, a1, worker=nm, district=name)
                elif w.marked(last) <= 0:
                    left = w.remarks.resigned
                    why = said("annex2.left", date=(show(left), show(left, lang="en"))) if left else ("", "")
                    ctx.flag("A227", b.sheet, a1, worker=w.name, district=name, reason=why[0], reason_en=why[1],
                             **month)
                elif w.districts and num not in w.districts:
                    named = [f"片区{d}" for d in w.districts]   # NB: a district's name, as the sheets write it
                    ctx.flag("A229", b.sheet, a1, worker=w.name, district=name, found=w.position,
                             expected=joined(named), expected_en=joined(named, "en"))


def _block(key: str, lay) -> tuple[str, str]:
    if key in ("services", "activities"):
        return both(f"annex1.table.{key}")
    title = lay.spec.indicators[0].title.text
    return title, title


def _district_lists(ctx, key: str, lay) -> dict[str, list[tuple[str, str, bool, bool]]] | None:
    """XS01–XS03 within one table; returns {name: [(district, A1, half, staff half)]} for XS04."""
    try:
        sheet = ctx.book.sheet(lay.sheet)
    except KeyError:
        return None
    block_zh, block_en = _block(key, lay)
    where: dict[str, list[tuple[str, str, bool, bool]]] = {}    # name → [(district, A1, half, staff half)]
    for district, row in lay.districts:
        cm = sheet.comment(row, lay.staff_col)
        if cm is None:
            continue
        a1 = to_a1(row, lay.staff_col)
        rd = read(sheet.value(row, lay.staff_col))
        staff_half = rd.kind is Kind.NUMBER and not float(rd.value).is_integer()
        names = listed_names(cm.text, cm.author)
        counts: dict[str, int] = {}
        for n in names:
            counts[n.name] = counts.get(n.name, 0) + 1
        for n, k in counts.items():
            if k > 1:
                ctx.flag("XS03", lay.sheet, a1, worker=n, district=district, count=float(k))
        seen = set()
        for n in names:
            if n.name in seen:
                continue
            seen.add(n.name)
            half = any(x.half for x in names if x.name == n.name)
            where.setdefault(n.name, []).append((district, a1, half, staff_half))
    for name, places in where.items():
        if len(places) >= 3:
            for district, a1, _, _ in places:
                others = [p for p in places if p[1] != a1]
                ctx.flag("XS01", lay.sheet, a1, worker=name, district=district, count=float(len(places)),
                         block=block_zh, block_en=block_en,
                         listed="、".join(f"{d}（{c}）" for d, c, _, _ in others),
                         listed_en=", ".join(f"{d} ({c})" for d, c, _, _ in others))
        elif len(places) == 2:
            (d1, c1, h1, s1), (d2, c2, h2, s2) = places
            if (h1 and h2) or (s1 and s2):
                continue   # NB: 0.5 in each of two districts is the documented way to share a worker
            for (d, c), (od, oc) in (((d1, c1), (d2, c2)), ((d2, c2), (d1, c1))):
                ctx.flag("XS02", lay.sheet, c, worker=name, district=d, other=od, other_cell=oc,
                         block=block_zh, block_en=block_en)
    return where


def _across_tables(ctx, one, other) -> None:
    """XS04: a worker's districts are the station's, so both tables must list them in the same ones."""
    (k1, l1, w1), (k2, l2, w2) = one, other
    for name in (n for n in w1 if n in w2):    # NB: in list order, so findings come in a stable order
        d1 = {d: c for d, c, _, _ in w1[name]}
        d2 = {d: c for d, c, _, _ in w2[name]}
        if d1.keys() <= d2.keys() or d2.keys() <= d1.keys():
            # NB: the same districts, or shared 0.5/0.5 in one table and full in one of the two in the
            # other: no district beyond the documented one-or-two-with-halves (test_double_count pins it)
            continue
        for (key, lay, mine), (okey, olay, theirs) in (((k1, l1, d1), (k2, l2, d2)), ((k2, l2, d2), (k1, l1, d1))):
            bz, be = _block(key, lay)
            oz, oe = _block(okey, olay)
            # NB: the other cell's sheet is named only when the tables sit on different sheets
            pre = "" if olay.sheet == lay.sheet else f"{olay.sheet}!"
            for district, a1 in mine.items():
                if district in theirs:
                    continue
                ctx.flag("XS04", lay.sheet, a1, worker=name, district=district,
                         block=bz, block_en=be, other_block=oz, other_block_en=oe,
                         listed="、".join(f"{d}（{pre}{c}）" for d, c in theirs.items()),
                         listed_en=", ".join(f"{d} ({pre}{c})" for d, c in theirs.items()))
