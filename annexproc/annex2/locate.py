"""Finding 附件2 in a workbook by what it says: the header rows, the months, the sections, the 总计 rows.

Nothing here depends on positions: the header row is the row with 姓名 whose next rows hold 人员到位;
months come from the (merged) month titles over the three sub-columns, whatever the first month and
however many (1–12); a header repeated further down (a printed second page) is skipped; sections
come from the 类型 column, or from their order when there is none. Rows and columns are 1-based.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

from ..cells import col_index, to_a1
from ..layout import SectionLayout, StaffingLayout, WorkerRow
from ..spec.annex2 import ANNEX2
from ..spec.model import Header
from ..values import normalize
from ..safety import said
from ..workbook import Book, Sheet
from .roster import find_dates

Month = tuple[int, int]
SPEC = ANNEX2
LEAD_KEYS = tuple(h.text for h in SPEC.lead_columns)    # 类型 序号 姓名 职位 岗位资格证/资质 合同期限
NAME, TYPE, SEQ = "姓名", "类型", "序号"
_SCAN_ROWS = 80          # NB: the header sits near the top; a title block is never this long
_SEGMENT = normalize(SPEC.segment_prefix)


@dataclass
class Located:
    """A located 附件2 and what the reader noticed on the way."""
    layout: StaffingLayout
    sheet: Sheet
    agreement: tuple[_dt.date | None, _dt.date | None] = (None, None)
    month_cells: list[tuple[int, int]] = field(default_factory=list)   # the title cell of each month
    month_texts: list[str] = field(default_factory=list)
    repeated_headers: list[int] = field(default_factory=list)          # rows of repeated header blocks
    gaps: list[tuple[int, Month, Month]] = field(default_factory=list)  # (month index, expected, found)
    agreement_cell: tuple[int, int] | None = None                      # the title cell stating the agreement


class NotFound(Exception):
    """What could not be found: ``what`` (zh) and ``what_en``; ``sheet`` when the sheet was found."""

    def __init__(self, what: str, what_en: str, sheet: str | None = None, looked: str = ""):
        super().__init__(what_en)
        self.what, self.what_en, self.sheet, self.looked = what, what_en, sheet, looked


# -- text helpers -------------------------------------------------------------------------------

def _t(sheet: Sheet, row: int, col: int) -> str:
    return normalize(sheet.text(row, col))


def _anchor_text(sheet: Sheet, row: int, col: int) -> str:
    """Text of the cell only where it is a merge's anchor (or not merged); '' inside a merge."""
    if sheet.top_left(row, col) != (row, col):
        return ""
    v = sheet.value(row, col)
    return "" if v is None else normalize(str(v))


_MONTH_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月份?$"),
    re.compile(r"^(?P<y>\d{4})[./\-](?P<m>\d{1,2})(?:月)?$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})$"),
    re.compile(r"^(?P<m>\d{1,2})月份?$"),
)


def parse_month(raw: Any) -> tuple[int | None, int] | None:
    """A month title: '2024年5月', '2024.5', '2024-05', '202405', '5月' (year None), a date cell."""
    if isinstance(raw, (_dt.date, _dt.datetime)):
        return (raw.year, raw.month)
    if raw is None or isinstance(raw, bool) or isinstance(raw, (int, float)):
        return None
    t = normalize(str(raw))
    for p in _MONTH_PATTERNS:
        m = p.match(t)
        if m:
            mm = int(m["m"])
            if 1 <= mm <= 12:
                y = int(m["y"]) if "y" in p.groupindex else None
                return (y, mm)
    return None


def parse_agreement(text: str) -> tuple[_dt.date | None, _dt.date | None]:
    """'年度服务协议时间：2024年5月1日至2025年4月30日' → (2024-05-01, 2025-04-30)."""
    ds = [d for _, _, d in find_dates(text)]
    return (ds[0] if ds else None, ds[1] if len(ds) > 1 else None)


# -- the sheet and its header ----------------------------------------------------------------------

def _header_row(sheet: Sheet) -> tuple[int, int, int] | None:
    """(header row, name column, sub-header row) of the first header block in the sheet."""
    last = min(sheet.max_row, _SCAN_ROWS)
    for r in range(1, last + 1):
        for c in range(1, sheet.max_col + 1):
            if _anchor_text(sheet, r, c) == NAME:
                for sr in range(r + 1, min(r + 3, sheet.max_row) + 1):
                    if any(SPEC.sub_columns[0].matches(_t(sheet, sr, cc)) for cc in range(c + 1, sheet.max_col + 1)):
                        return r, c, sr
    return None


def find_sheet(book: Book) -> tuple[Sheet, tuple[int, int, int]]:
    """The sheet that holds 附件2, judged by content; named sheets are tried first."""
    named = [s for s in book.sheets if any(normalize(s.name) == normalize(n) for n in SPEC.sheet_names)]
    others = [s for s in book.sheets if s not in named]
    for s in named + others:
        hit = _header_row(s)
        if hit:
            return s, hit
    if named:
        raise NotFound(*said("annex2.missing.header"), sheet=named[0].name)
    raise NotFound(*said("annex2.missing.sheet"), looked="、".join(s.name for s in book.sheets))


def _lead_columns(sheet: Sheet, hr: int) -> dict[str, int]:
    lead: dict[str, int] = {}
    for c in range(1, sheet.max_col + 1):
        t = _anchor_text(sheet, hr, c)
        for h in SPEC.lead_columns:
            if h.text not in lead and h.matches(t):
                lead[h.text] = c
    return lead


def _find_col(sheet: Sheet, hr: int, h: Header, contains: tuple[str, ...], avoid: tuple[str, ...] = ()) -> int | None:
    for c in range(1, sheet.max_col + 1):
        t = _anchor_text(sheet, hr, c)
        if h.matches(t):
            return c
    for c in range(1, sheet.max_col + 1):
        t = _anchor_text(sheet, hr, c)
        if t and all(k in t for k in contains) and not any(a in t for a in avoid):
            return c
    return None


def _months(sheet: Sheet, hr: int, sr: int, after: int, before: int):
    """[(month, title cell, title text, (present, insured, paid))] from the month titles in row ``hr``."""
    titles = []
    for c in range(after + 1, before):
        if sheet.top_left(hr, c) != (hr, c):
            continue
        raw = sheet.value(hr, c)
        ym = parse_month(raw)
        if ym:
            titles.append((c, ym, "" if raw is None else str(raw)))
    out = []
    for i, (c, ym, text) in enumerate(titles):
        box = sheet.merged_at.get((hr, c))
        end = box[3] if box else (titles[i + 1][0] - 1 if i + 1 < len(titles) else min(c + 2, before - 1))
        subs = {}
        for cc in range(c, end + 1):
            t = _t(sheet, sr, cc)
            for key, h in zip(("p", "s", "x"), SPEC.sub_columns):
                if key not in subs and h.matches(t):
                    subs[key] = cc
        if len(subs) < 3:
            if end - c + 1 >= 3 and not subs:
                subs = {"p": c, "s": c + 1, "x": c + 2}   # NB: sub-headers missing: take the order of the spec
            else:
                raise NotFound(*said("annex2.missing.sub_columns", title=text), sheet=sheet.name)
        out.append((ym, (hr, c), text, (subs["p"], subs["s"], subs["x"])))
    return out


def _years(months, agreement_start: _dt.date | None, fallback_year: int) -> list[Month]:
    """Fill in the years of titles written as '5月', running on from the agreement's first month."""
    out: list[Month] = []
    for (y, m), *_ in months:
        if y is None:
            if out:
                py, pm = out[-1]
                y = py + 1 if m <= pm else py
            elif agreement_start:
                y = agreement_start.year if m >= agreement_start.month else agreement_start.year + 1
            else:
                y = fallback_year
        out.append((y, m))
    return out


# -- the body -------------------------------------------------------------------------------------

def _row_labels(sheet: Sheet, row: int, cols: list[int]) -> list[str]:
    out = []
    seen = set()
    for c in cols:
        anchor = sheet.top_left(row, c)
        if anchor in seen:
            continue
        seen.add(anchor)
        t = _t(sheet, row, c)
        if t:
            out.append(t)
    return out


def _kind(labels: list[str]) -> str | None:
    """What a non-worker row is, from its label texts."""
    for t in labels:
        if "稳岗率" in t:
            return "stable"
    for t in labels:
        if "有效人次" in t and ("即" in t or "总数" in t or t.startswith("社工有效人次")):
            return "effective_total"
    for t in labels:
        if SPEC.grand_rows[0].matches(t) or ("每月" in t and "总计" in t):
            return "grand"
    for t in labels:
        if "有效人次" in t:
            return "effective_uncertified" if "非持证" in t else "effective_certified"
    for t in labels:
        if t in ("小计", "合计", "小计:", "小计："):
            return "subtotal"
    if labels and all(t == "总计" for t in labels):
        return "grand_only"
    return None


def _section_of(text: str) -> str | None:
    if "非持证" in text:
        return "uncertified"
    if "持证" in text:
        return "certified"
    return None


def _seq(raw: Any) -> tuple[str, str | None]:
    if raw is None:
        return "", None
    t = normalize(str(raw))
    m = re.match(r"^同(?:序号|第)?(\d+)(?:号|行)?$", t)
    if m:
        return t, m.group(1)
    return t, None


def _cell_text(sheet: Sheet, row: int, col: int | None) -> str:
    if not col:
        return ""
    r, c = sheet.top_left(row, col)
    if r != row:  # NB: a label merged down from a row above is not this row's value
        return ""
    v = sheet.value(r, c)
    if isinstance(v, (_dt.date, _dt.datetime)):
        return f"{v.year}.{v.month:02d}.{v.day:02d}"
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return "" if v is None else str(v).strip()


def locate_sheet(sheet: Sheet, hit: tuple[int, int, int], params=None) -> Located:
    hr, name_col, sr = hit
    lead = _lead_columns(sheet, hr)
    lead.setdefault(NAME, name_col)
    total_col = _find_col(sheet, hr, SPEC.row_total, ("到岗", "小计"), avoid=("2年", "两年"))
    two_year_col = _find_col(sheet, hr, SPEC.two_year, ("2年",)) or _find_col(sheet, hr, SPEC.two_year, ("两年",))
    remarks_col = _find_col(sheet, hr, SPEC.remarks, ("备注",))
    if total_col is None:
        raise NotFound(*said("annex2.missing.total_column"), sheet=sheet.name)
    last_lead = max(lead.values())
    # agreement line: above the header
    agreement_text, agreement, agreement_cell = None, (None, None), None
    for r in range(1, hr):
        for c in range(1, sheet.max_col + 1):
            t = sheet.text(r, c)
            if "协议" in t and find_dates(t):
                agreement_text, agreement, agreement_cell = t.strip(), parse_agreement(t), (r, c)
                break
        if agreement_text:
            break
    found = _months(sheet, hr, sr, last_lead, total_col)
    if not found:
        raise NotFound(*said("annex2.missing.months"), sheet=sheet.name)
    fallback_year = int(params.start[:4]) if params is not None else _dt.date.today().year
    months = _years(found, agreement[0], fallback_year)
    month_cols = [f[3] for f in found]
    gaps = []
    for i in range(1, len(months)):
        py, pm = months[i - 1]
        exp = (py + 1, 1) if pm == 12 else (py, pm + 1)
        if months[i] != exp:
            gaps.append((i, exp, months[i]))
    layout = StaffingLayout(sheet=sheet.name, header_row=hr, sub_row=sr, months=months, month_cols=month_cols,
                            lead=lead, total_col=total_col, two_year_col=two_year_col, remarks_col=remarks_col,
                            agreement_text=agreement_text)
    loc = Located(layout, sheet, agreement, [f[1] for f in found], [f[2] for f in found],
                  agreement_cell=agreement_cell)
    _body(sheet, loc)
    if not any(s.workers for s in layout.sections.values()):
        raise NotFound(*said("annex2.missing.workers"), sheet=sheet.name)
    loc.gaps = gaps
    return loc


def _body(sheet: Sheet, loc: Located) -> None:
    g = loc.layout
    lead_cols = sorted(g.lead.values())
    label_cols = list(range(1, max(lead_cols) + 1))
    type_col = g.lead.get(TYPE)
    first_p = g.month_cols[0][0]
    current = "certified"
    closed: set[str] = set()
    r = g.sub_row + 1
    while r <= sheet.max_row:
        labels = _row_labels(sheet, r, label_cols)
        name = _cell_text(sheet, r, g.lead[NAME])
        # a repeated header block (a printed page's header): skip it and its sub-header row
        if normalize(name) == NAME or any(SPEC.sub_columns[0].matches(_t(sheet, r, c)) for c in (first_p,)):
            loc.repeated_headers.append(r)
            r += 1
            continue
        kind = _kind(labels)
        if kind:
            if kind in ("subtotal", "effective_certified", "effective_uncertified"):
                key = {"effective_certified": "certified", "effective_uncertified": "uncertified"}.get(kind, current)
                sec = g.sections.setdefault(key, SectionLayout(key))
                if kind == "subtotal":
                    sec.subtotal_row = sec.subtotal_row or r
                else:
                    sec.effective_row = sec.effective_row or r
                closed.add(key)
                if key == "certified":
                    current = "uncertified"
            elif kind in ("grand", "grand_only"):
                g.grand_row = g.grand_row or r
            elif kind == "effective_total":
                g.effective_total_row = g.effective_total_row or r
            elif kind == "stable":
                g.stable_cell = _stable_cell(sheet, r, max(lead_cols), g)
                break
            r += 1
            continue
        seq, same_as = _seq(_cell_text(sheet, r, g.lead.get(SEQ)) or None)
        if (not name and not seq) or sheet.top_left(r, g.lead[NAME]) != (r, g.lead[NAME]) \
                or "协议" in normalize(name):
            # NB: a name cell inside a wider merge is a title line (the agreement line of a repeated page);
            # a row with a 序号 and no name is a blank row of the template: kept, the formulas cover it.
            r += 1
            continue
        sec_text = _cell_text_any(sheet, r, type_col)
        section = _section_of(normalize(sec_text)) or current
        current = section
        w = WorkerRow(row=r, section=section, seq=seq, name=name,
                      position=_cell_text(sheet, r, g.lead.get("职位")),
                      qualification=_cell_text(sheet, r, g.lead.get("岗位资格证/资质")),
                      contract=_cell_text(sheet, r, g.lead.get("合同期限")),
                      remarks=_cell_text(sheet, r, g.remarks_col), same_as=same_as)
        g.sections.setdefault(section, SectionLayout(section)).workers.append(w)
        r += 1
    # NB: keep the spec's order (certified first) whatever order the sections were met in
    g.sections = {k: g.sections[k] for k, _ in SPEC.sections if k in g.sections}


def _cell_text_any(sheet: Sheet, row: int, col: int | None) -> str:
    """A cell's text, a merged cell reading as its anchor (the 类型 label is merged down a section)."""
    return sheet.text(row, col) if col else ""


def _stable_cell(sheet: Sheet, row: int, last_lead: int, g: StaffingLayout) -> tuple[int, int]:
    for c in range(last_lead + 1, sheet.max_col + 1):
        a = sheet.top_left(row, c)
        if a[0] != row and a[1] <= last_lead:
            continue
        if sheet.raw(*a) is not None and not _kind([_t(sheet, *a)]):
            return a
    return (row, g.month_cols[0][0])


_DIVISOR = re.compile(r"/\s*\(?\s*(?:(?P<num>\d+(?:\.\d+)?)|\$?(?P<col>[A-Z]{1,3})\$?(?P<row>\d+))\s*\)?",
                      re.IGNORECASE)


def stable_denominator(sheet: Sheet, cell: tuple[int, int]) -> tuple[float | None, str | None]:
    """(the agreed headcount a 稳岗率 formula divides by, the cell it is typed in): its last divisor, a
    number (``=18/20``: no cell) or a cell of this sheet holding a number (``=IF(N(G53)=0,"/",N(G52)/G53)``,
    our template's labelled input: 'G53')."""
    f = sheet.formula(*cell)
    m = None
    for m in _DIVISOR.finditer(re.sub(r'"[^"]*"', '""', f or "")):
        pass
    if m is None:
        return None, None
    if m["num"]:
        return float(m["num"]), None
    r, c = int(m["row"]), col_index(m["col"].upper())
    v = sheet.value(r, c)
    if isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0:
        return float(v), to_a1(r, c)
    return None, None


def is_segment(text: str) -> bool:
    return normalize(text).startswith(_SEGMENT)


def locate(book: Book, params=None) -> Located:
    """Find 附件2 in ``book``; raises NotFound (→ RD02 / RD03) when it is not there."""
    sheet, hit = find_sheet(book)
    return locate_sheet(sheet, hit, params)
