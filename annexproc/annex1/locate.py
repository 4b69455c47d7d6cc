"""Finding 附件1-1 and 附件1-2 in a workbook by what they say, not where they sit.

Sheets are chosen by their content (indicator titles, header texts), never by name; blocks are found
by their header rows at any row and column offset (extra title rows, an empty first column, hidden
columns); header texts are compared after ``values.normalize`` (full-width/half-width, spaces, line
breaks) against the spec's accepted variants. What is found is returned as the layout dataclasses
of ``annexproc.layout``; what is not is listed in ``missing`` for the checker to report.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..layout import DistrictBlockLayout, MeasureCols, TargetCells, TargetLayout
from ..model import Missing  # noqa: F401  (NB: what the readers did not find, for every annex)
from ..safety import said
from ..spec import ANNEX1_1, ANNEX1_2
from ..spec.model import DistrictBlock, Header
from ..values import normalize

#: How far to look: a filled annex never needs more (NB: bounds the time on huge junk sheets).
MAX_ROWS, MAX_COLS = 400, 200


@dataclass
class Annex11:
    """附件1-1 as located: its sheet, title, the two district blocks and block 3."""
    sheet: str
    station: str | None = None
    title_cell: tuple[int, int] | None = None
    blocks: dict[str, DistrictBlockLayout] = field(default_factory=dict)   # 'services', 'activities'
    targets: TargetLayout | None = None


class Grid:
    """The anchors' normalised texts of one sheet, for header matching."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.text: dict[tuple[int, int], str] = {}
        for (r, c), v in sheet.cached.items():
            if r > MAX_ROWS or c > MAX_COLS:
                continue
            if sheet.top_left(r, c) != (r, c):
                continue
            if isinstance(v, str) and v.strip():
                self.text[(r, c)] = normalize(v)

    def find(self, header: Header) -> list[tuple[int, int]]:
        keys = header.keys
        return sorted(p for p, t in self.text.items() if t in keys)

    def at(self, r: int, c: int) -> str:
        """The text of the cell when it is an anchor (a merge's other cells read as blank)."""
        return self.text.get((r, c), "")

    def span(self, r: int, c: int) -> tuple[int, int, int, int]:
        return self.sheet.merged_at.get((r, c), (r, c, r, c))


# -- sheets ---------------------------------------------------------------------------------------

def _score_11(g: Grid) -> int:
    # NB: an activity ledger also names 片区 and the activity types; only 附件1-1 has 投入社工人数.
    if not g.find(ANNEX1_1.blocks[0].staff_header):
        return 0
    titles = [i.title for b in ANNEX1_1.blocks for i in b.indicators]
    titles += [t.title for t in ANNEX1_1.target_block.targets]
    return sum(1 for h in titles if g.find(h)) + (2 if g.find(ANNEX1_1.blocks[0].district_header) else 0)


def _score_12(g: Grid) -> int:
    return sum(1 for t in ANNEX1_2.targets if g.find(t.title)) + (1 if g.find(ANNEX1_2.target_header) else 0)


def choose_sheets(book) -> tuple[object | None, object | None]:
    """(附件1-1 sheet, 附件1-2 sheet) by content; a name in the spec's list only breaks ties."""
    best11 = best12 = (0, 0, None)
    for i, s in enumerate(book.sheets):
        g = Grid(s)
        hint11 = int(normalize(s.name) in {normalize(n) for n in ANNEX1_1.sheet_names})
        hint12 = int(normalize(s.name) in {normalize(n) for n in ANNEX1_2.sheet_names})
        s11, s12 = _score_11(g), _score_12(g)
        if s11 >= 4 and (s11, hint11) > best11[:2]:
            best11 = (s11, hint11, s)
        if s12 >= 3 and (s12, hint12) > best12[:2]:
            best12 = (s12, hint12, s)
    return best11[2], best12[2]


_TITLE = re.compile("^" + re.escape(normalize(ANNEX1_1.title_template)).replace(re.escape("{station}"), "(.+?)") + "$")


def find_station(sheet) -> tuple[str | None, tuple[int, int] | None]:
    """The station named in the title '广州市{station}购买服务项目指标完成情况统计表'."""
    g = Grid(sheet)
    for (r, c), t in sorted(g.text.items()):
        m = _TITLE.match(t)
        if m:
            return m.group(1), (r, c)
    return None, None


# -- 附件1-1 blocks 1 and 2 ------------------------------------------------------------------------

def _district_block(g: Grid, spec: DistrictBlock, anchor: tuple[int, int], missing: list[Missing]
                    ) -> DistrictBlockLayout | None:
    sheet = g.sheet
    r0, dcol = anchor
    # the group-title row: the anchor's row or up to two rows above (an unmerged 服务片区 in the leaf row)
    groups: list[tuple[int, int, object]] = []
    header_row = r0
    for hr in (r0, r0 - 1, r0 - 2):
        found = []
        for ind in spec.indicators:
            for (r, c) in g.find(ind.title):
                if r == hr and c > dcol:
                    found.append((c, r, ind))
                    break
        if found:
            groups, header_row = sorted(found, key=lambda x: x[0]), hr
            break
    if not groups:
        return None
    # the leaf row: the first row below the group titles holding a 百分比 header under them
    leaf_row = None
    first_col = groups[0][0]
    for lr in range(header_row + 1, header_row + 4):
        if any(m.pct.matches(g.at(lr, c)) for c in range(first_col, first_col + 40)
               for ind in spec.indicators for m in ind.measures):
            leaf_row = lr
            break
    if leaf_row is None:
        missing.append(Missing(sheet.name, *said("annex1.missing.leaf_row", title=spec.indicators[0].title.text)))
        return None
    last_leaf = max((c for (r, c) in g.text if r == leaf_row), default=first_col)
    staff_col = None
    for c in range(dcol + 1, first_col):
        for rr in range(header_row, leaf_row + 1):
            if spec.staff_header.matches(g.at(rr, c)):
                staff_col = c
    lay = DistrictBlockLayout(spec, sheet.name, header_row, leaf_row, dcol, staff_col, [], None)
    for i, (c, r, ind) in enumerate(groups):
        end = groups[i + 1][0] - 1 if i + 1 < len(groups) else max(last_leaf, g.span(r, c)[3])
        col = c
        for m in ind.measures:
            cols = []
            for h in (m.agree, m.done, m.pct):
                while col <= end and not h.matches(g.at(leaf_row, col)):
                    col += 1
                if col > end:
                    break
                cols.append(col)
                col += 1
            if len(cols) < 3:
                names = "、".join(h.text for h in (m.agree, m.done, m.pct))
                missing.append(Missing(sheet.name, *said("annex1.missing.measure", title=ind.title.text,
                                                         measure=(m.label, m.key), names=names)))
                col = c
                continue
            lay.measures.append(MeasureCols(m, ind.title.text, *cols))
    for ind in spec.indicators:
        if not any(ind.title.text == x[2].title.text for x in groups):
            missing.append(Missing(sheet.name, *said("annex1.missing.indicator", title=ind.title.text)))
    # district rows, then 合计
    r = leaf_row + 1
    while r <= min(sheet.max_row, leaf_row + 200):
        if sheet.top_left(r, dcol) != (r, dcol):
            r += 1
            continue
        t = g.text.get((r, dcol), "")
        v = sheet.value(r, dcol)
        if not t and v is not None and str(v).strip():
            t = normalize(str(v))
        if ANNEX1_1.total_label.matches(t):
            lay.total_row = r
            break
        if not t or spec.district_header.matches(t):
            break
        lay.districts.append((str(sheet.value(r, dcol)).strip(), r))
        r += 1
    if lay.total_row is None:
        missing.append(Missing(sheet.name, *said("annex1.missing.total_row", title=spec.indicators[0].title.text)))
    if not lay.districts:
        missing.append(Missing(sheet.name, *said("annex1.missing.district_rows", title=spec.indicators[0].title.text)))
    return lay


def _block_of(g: Grid, anchor) -> DistrictBlock | None:
    """Which spec block the 服务片区 header at ``anchor`` heads: the one whose titles share its rows."""
    r0, c0 = anchor
    best, n_best = None, 0
    for spec in ANNEX1_1.blocks:
        n = sum(1 for ind in spec.indicators for (r, c) in g.find(ind.title) if r0 - 2 <= r <= r0 and c > c0)
        if n > n_best:
            best, n_best = spec, n
    return best


# -- block 3 and 附件1-2 ----------------------------------------------------------------------------

def _next_header(g: Grid, row: int, start: int, h: Header, limit: int = 4) -> int | None:
    for c in range(start, start + limit + 1):
        if h.matches(g.at(row, c)):
            return c
    return None


def _block3(g: Grid, missing: list[Missing]) -> TargetLayout | None:
    tb = ANNEX1_1.target_block
    sheet = g.sheet
    lay = TargetLayout(sheet.name)
    heads = []
    for (r, c) in g.find(tb.content_header):
        tc = _next_header(g, r, c + 1, tb.target_header)
        dc = _next_header(g, r, (tc or c) + 1, tb.done_header) if tc else None
        pc = _next_header(g, r, (dc or c) + 1, tb.pct_header) if dc else None
        if tc and dc and pc:
            heads.append((r, c, tc, dc, pc))
    if not heads:
        missing.append(Missing(sheet.name, *said("annex1.missing.targets_header")))
        return None
    for t in tb.targets:
        hit = None
        for (r, c) in g.find(t.title):
            for (hr, hc, tc, dc, pc) in heads:
                # NB: an item may stand right of a category label (志愿者 merged down the group's first
                # column, 培育社区骨干 beside it): any column under 协议内容, before 指标要求
                if hc <= c < tc and r > hr:
                    hit = TargetCells(t, r, c, tc, dc, pc)
                    break
            if hit:
                break
        if hit:
            lay.items.append(hit)
        else:
            missing.append(Missing(sheet.name, *said("annex1.missing.target_row", title=t.title.text), block=False))
    keys = ("入户探访总人数", "共服务社区居民", "建档总户数")
    for (r, c), t in sorted(g.text.items()):
        if any(k in t for k in keys):
            lay.sentence = (r, c)
            break
    return lay


def locate_annex1_2(sheet, missing: list[Missing]) -> TargetLayout:
    """附件1-2's five (指标要求, 完成情况, 完成百分比) items, side by side or stacked."""
    g = Grid(sheet)
    lay = TargetLayout(sheet.name)
    for t in ANNEX1_2.targets:
        hit = None
        for (r, c) in g.find(t.title):
            _, _, r2, c2 = g.span(r, c)
            for hr in range(r2 + 1, r2 + 4):
                tc = next((cc for cc in range(max(1, c - 1), c2 + 2)
                           if ANNEX1_2.target_header.matches(g.at(hr, cc))), None)
                if tc is None:
                    continue
                dc = _next_header(g, hr, tc + 1, ANNEX1_2.done_header)
                pc = _next_header(g, hr, (dc or tc) + 1, ANNEX1_2.pct_header) if dc else None
                if dc and pc:
                    hit = TargetCells(t, hr + 1, None, tc, dc, pc, title_row=r)
                    break
            if hit:
                break
        if hit:
            lay.items.append(hit)
        else:
            missing.append(Missing(sheet.name, *said("annex1.missing.annex1_2_item", title=t.title.text), block=False))
    return lay


def locate_annex1_1(sheet, missing: list[Missing]) -> Annex11:
    g = Grid(sheet)
    station, title = find_station(sheet)
    out = Annex11(sheet.name, station, title)
    for spec in ANNEX1_1.blocks:
        for anchor in g.find(spec.district_header):
            if _block_of(g, anchor) is spec and spec.key not in out.blocks:
                lay = _district_block(g, spec, anchor, missing)
                if lay is not None:
                    out.blocks[spec.key] = lay
        if spec.key not in out.blocks:
            titles = [i.title.text for i in spec.indicators]
            missing.append(Missing(sheet.name, *said("annex1.missing.block",
                                                     titles=("、".join(titles), ", ".join(titles)))))
    out.targets = _block3(g, missing)
    return out


def locate(book) -> tuple[Annex11 | None, TargetLayout | None, list[Missing]]:
    """Both annexes of one workbook, and what could not be found."""
    missing: list[Missing] = []
    s11, s12 = choose_sheets(book)
    names = "、".join(s.name for s in book.sheets)
    a11 = a12 = None
    if s11 is None:
        missing.append(Missing(None, *said("annex1.missing.annex1_1"), looked=names))
    else:
        a11 = locate_annex1_1(s11, missing)
    if s12 is None:
        missing.append(Missing(None, *said("annex1.missing.annex1_2"), looked=names))
    else:
        a12 = locate_annex1_2(s12, missing)
    return a11, a12, missing
