"""Finding the activity ledger (活动台账) in a workbook by its headers, and reading its rows.

The ledger is the sheet region whose header row holds 日期, 活动名称, 活动类型 and 片区 (any accepted
variant, after ``values.normalize``) close together, on any sheet and at any offset; 序号, 服务人次 and
备注 are read when present. Rows run from below the header to the last used row; blank rows are
skipped, a 合计/总计 row ends nothing (it is skipped too). Rows and columns are 1-based.

Dates are read from date cells, Excel serial numbers and text as people type it (``2024/6/1``,
``2024年6月1日``, ``2024.6.1``, ``2024-06-01``, ``20240601``; a month alone, ``2024年6月``, is kept
as a month).
"""
from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..values import Kind, Reading, normalize, read
from . import COLUMNS, DATE, DISTRICT, NAME, PEOPLE, REMARKS, REQUIRED, SEQ, TYPE

_HEADER_ROWS = 400       # NB: near the top of its sheet, or below the annex on the annex's own sheet
_HEADER_COLS = 80
_MAX_ROWS = 5000         # a ledger longer than this is read up to here
_SPAN = 12               # the required headers lie within this many columns
_KEYS = {SEQ: "seq", DATE: "date", NAME: "name", TYPE: "type", DISTRICT: "district", PEOPLE: "people",
         REMARKS: "remarks"}
_TOTAL = {normalize(t) for t in ("合计", "总计", "合 计", "小计")}


@dataclass
class Entry:
    """One activity as read. ``date`` None when blank or unreadable; ``month_only`` when only
    year and month were written. ``people`` None when blank or not a number."""
    row: int
    name: str
    type: str
    district: str
    date: _dt.date | None = None
    date_raw: Any = None
    month_only: bool = False
    people: float | None = None
    people_reading: Reading | None = None
    seq: Any = None
    remarks: str = ""

    def date_text(self) -> str:
        if self.date is None:
            return "" if self.date_raw is None else str(self.date_raw)
        if self.month_only:
            return f"{self.date.year}年{self.date.month}月"
        return f"{self.date.year}/{self.date.month}/{self.date.day}"


@dataclass
class Ledger:
    sheet: str
    header_row: int
    cols: dict[str, int]                     # 'date', 'name', … → column
    entries: list[Entry] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """No activity in it: a blank template's ledger, which no rule looks at."""
        return not self.entries


# -- dates --------------------------------------------------------------------------------------

_FULL = re.compile(r"(?P<y>(?:19|20)\d{2})\s*[年./\-－]\s*(?P<m>\d{1,2})\s*[月./\-－]\s*(?P<d>\d{1,2})\s*[日号]?")
_COMPACT = re.compile(r"^(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)$")
_MONTH = re.compile(r"^(?P<y>(?:19|20)\d{2})\s*[年./\-－]\s*(?P<m>\d{1,2})\s*月?份?$")


def parse_date(raw: Any) -> tuple[_dt.date | None, bool]:
    """(date, month_only) of a ledger date as a person writes it; (None, False) when unreadable."""
    if isinstance(raw, _dt.datetime):
        return raw.date(), False
    if isinstance(raw, _dt.date):
        return raw, False
    if isinstance(raw, bool) or raw is None:
        return None, False
    if isinstance(raw, (int, float)):
        if 20000 <= raw <= 80000:            # NB: a date serial in a cell without a date format
            return (_dt.datetime(1899, 12, 30) + _dt.timedelta(days=int(raw))).date(), False
        m = _COMPACT.match(str(int(raw))) if float(raw).is_integer() else None
        return (_safe(m["y"], m["m"], m["d"]), False) if m else (None, False)
    t = unicodedata.normalize("NFKC", str(raw)).strip()
    m = _FULL.search(t)
    if m:
        return _safe(m["y"], m["m"], m["d"]), False
    m = _COMPACT.match(t)
    if m:
        return _safe(m["y"], m["m"], m["d"]), False
    m = _MONTH.match(t)
    if m:
        d = _safe(m["y"], m["m"], 1)
        return d, d is not None
    return None, False


def _safe(y, m, d) -> _dt.date | None:
    try:
        return _dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


# -- finding the header -----------------------------------------------------------------------

#: Each column's accepted header texts, normalised once (issue 8: per cell it was half the check's rule time).


def _header_in(sheet) -> tuple[int, dict[str, int]] | None:
    rows: dict[int, list[tuple[int, str]]] = {}
    for (r, c), v in sheet.cached.items():
        # NB: a header is a few characters; a long text (a million-character cell) is never one
        if r <= _HEADER_ROWS and c <= _HEADER_COLS and isinstance(v, str) and 0 < len(v) <= 40 and v.strip():
            rows.setdefault(r, []).append((c, normalize(v)))
    for r in sorted(rows):
        cols: dict[str, int] = {}
        for c, text in sorted(rows[r]):
            for h in COLUMNS:
                key = _KEYS[h]
                if key not in cols and text in h.keys:
                    cols[key] = c
                    break
        need = [cols.get(_KEYS[h]) for h in REQUIRED]
        if all(need) and max(need) - min(need) <= _SPAN:
            return r, cols
    return None


def locate(book) -> Ledger | None:
    """The first sheet region headed like a ledger, with its activities; None when there is none."""
    for sheet in book.sheets:
        hit = _header_in(sheet)
        if hit is None:
            continue
        header, cols = hit
        ledger = Ledger(sheet.name, header, cols)
        ledger.entries = list(_entries(sheet, header, cols))
        return ledger
    return None


def _val(sheet, r: int, c: int | None) -> Any:
    if not c:
        return None
    return sheet.value(*sheet.top_left(r, c))   # NB: a date or district merged over rows applies to each


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _entries(sheet, header: int, cols: dict[str, int]):
    last = min(sheet.max_row, header + _MAX_ROWS)
    headers = {normalize(x) for h in COLUMNS for x in h.all()}
    for r in range(header + 1, last + 1):
        vals = {k: _val(sheet, r, c) for k, c in cols.items()}
        name, typ, district = _text(vals.get("name")), _text(vals.get("type")), _text(vals.get("district"))
        people_raw, date_raw = vals.get("people"), vals.get("date")
        if not any((name, typ, district, _text(people_raw), _text(date_raw))):
            continue
        if normalize(_text(vals.get("seq"))) in _TOTAL or normalize(name) in _TOTAL or normalize(_text(date_raw)) in _TOTAL:
            continue
        if normalize(name) in headers and normalize(typ) in headers:
            continue   # NB: the header repeated on a printed second page
        date, month_only = parse_date(date_raw)
        reading = read(people_raw)
        people = reading.value if reading.kind is Kind.NUMBER else (0.0 if reading.kind in (Kind.BLANK, Kind.DASH) else None)
        yield Entry(r, name, typ, district, date, date_raw, month_only, people, reading,
                    vals.get("seq"), _text(vals.get("remarks")))
