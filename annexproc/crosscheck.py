"""Cross-checks run last: workers counted twice in the station's own district lists.

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
(A213), a 职位 naming three districts (A226), lists against the roster (A227–A229), the sentence and
the sums and hand arithmetic in comments, cumulative counters included (A114–A118, A122).
"""
from __future__ import annotations

from itertools import combinations

from .cells import to_a1
from .evidence import Listed, listed_names
from .values import Kind, read

# NB: the district lists are read by evidence.listed_names (one name parser); kept importable here
__all__ = ["Listed", "listed_names", "run"]

_BLOCK = {"services": ("服务表（困难群众建档…专业小组）", "services table"),
          "activities": ("活动表（大型社区活动…小型社区活动）", "activities table")}


def run(ctx) -> None:
    a11 = ctx.located.get("annex1_1")
    if a11 is None:
        return
    tables = []
    for key, lay in (getattr(a11, "blocks", None) or {}).items():
        if lay.staff_col:
            where = _district_lists(ctx, key, lay)
            if where is not None:
                tables.append((key, lay, where))
    for one, other in combinations(tables, 2):
        _across_tables(ctx, one, other)


def _block(key: str, lay) -> tuple[str, str]:
    title = lay.spec.indicators[0].title.text
    return _BLOCK.get(key, (title, title))


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
