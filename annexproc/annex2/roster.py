"""The people behind 附件2's rows: contract periods, the dates in 备注, and one Worker per person.

A person certified mid-period has two rows (持证社工 ``14`` and 非持证社工 ``同14``); ``build_roster``
merges them, and also merges rows that carry the same name, so that "one person, one month, one
count" can be checked. Dates are ``datetime.date``; months are ``(year, month)`` tuples.
"""
from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..cells import to_a1
from ..layout import WorkerRow
from ..values import Reading
from ..words import say

Month = tuple[int, int]

# A full date as people write it: 2024.07.08  2024/7/8  2024-07-08  2024年7月8日  20240708
_DATE = r"(?P<y>(?:19|20)\d{2})\s*[年./\-－—]\s*(?P<m>\d{1,2})\s*[月./\-－—]\s*(?P<d>\d{1,2})\s*日?"
_DATE_RE = re.compile(_DATE)
_COMPACT_RE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")
# A date without its year (the second half of '2024年6月24日至12月18日'): 12月18日, 12.18
_MD_RE = re.compile(r"^\s*(?P<m>\d{1,2})\s*[月./\-]\s*(?P<d>\d{1,2})\s*日?")
_OPEN_ENDED = ("无固定期限", "无固定", "长期", "至今", "无期限")
_RANGE_SEP = re.compile(r"^\s*(?:至|到|~|～|—+|-+|－|–|→)\s*")


def _norm(text: str) -> str:
    t = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", t)


def _date(y: int, m: int, d: int) -> _dt.date | None:
    try:
        return _dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[int, int, _dt.date]]:
    """Every full date in ``text``: (start, end, date) spans of the normalised text."""
    t = _norm(text)
    out = []
    for m in _DATE_RE.finditer(t):
        d = _date(m["y"], m["m"], m["d"])
        if d:
            out.append((m.start(), m.end(), d))
    if not out:
        for m in _COMPACT_RE.finditer(t):
            d = _date(m["y"], m["m"], m["d"])
            if d:
                out.append((m.start(), m.end(), d))
    return out


@dataclass(frozen=True)
class Contract:
    """合同期限 as read: start, end (None when open-ended or unreadable), and whether it was understood."""
    text: str
    start: _dt.date | None = None
    end: _dt.date | None = None
    open_ended: bool = False

    @property
    def readable(self) -> bool:
        return self.start is not None and (self.end is not None or self.open_ended)


def parse_contract(raw: Any) -> Contract:
    """'2024.07.08-2027.04.30', '2012.08.01-无固定期限', '2024/7/8至2027/4/30', a date cell (start only)."""
    if raw is None:
        return Contract("")
    if isinstance(raw, _dt.datetime):
        return Contract(str(raw.date()), raw.date(), None, False)
    if isinstance(raw, _dt.date):
        return Contract(str(raw), raw, None, False)
    text = str(raw)
    t = _norm(text)
    dates = find_dates(t)
    open_ended = any(k in t for k in _OPEN_ENDED)
    start = dates[0][2] if dates else None
    end = dates[1][2] if len(dates) > 1 else None
    if start and end is None and not open_ended:
        # NB: '2024年5月11日至2027年4月30日' is covered above; '2024.05.11-4.30' is not a real spelling.
        rest = t[dates[0][1]:]
        rest = _RANGE_SEP.sub("", rest)
        m = _MD_RE.match(rest)
        if m:
            end = _date(start.year, m["m"], m["d"])
    return Contract(text, start, end, open_ended)


@dataclass(frozen=True)
class Remarks:
    """What 备注 says, as dates."""
    text: str
    resigned: _dt.date | None = None          # 2024年10月29日离职
    certified: _dt.date | None = None         # 2024年6月16日考取助理社会工作师证
    certificate: str = ""                     # 助理社会工作师证
    joined: _dt.date | None = None            # 2024年5月21日入职
    leaves: tuple[tuple[_dt.date, _dt.date], ...] = ()   # 休产假 / 休假 periods (on post: they count)
    join_partial: float | None = None         # 入职当月计0.5人次


_RESIGN_KW = ("离职", "辞职", "离岗", "解除劳动合同", "合同终止")
_CERT_KW = re.compile(r"^(?:考取|取得|获得|考得|通过|获)(?P<what>[^，,。；;\s]*?(?:证书|证|资格))?")
_JOIN_KW = ("入职", "到岗", "上岗")
_LEAVE_KW = re.compile(r"^(?:休|请)?(?:产假|病假|哺乳假|育儿假|婚假|长假|休假)")


def parse_remarks(raw: Any) -> Remarks:
    """Read the dates in a 备注 cell; what is not understood is kept as text only."""
    if raw is None:
        return Remarks("")
    text = str(raw)
    t = _norm(text)
    found = dict(resigned=None, certified=None, certificate="", joined=None, join_partial=None)
    leaves = []
    dates = find_dates(t)
    for i, (s, e, d) in enumerate(dates):
        after = t[e:e + 12]
        # a range 'd1至d2…' or 'd1至12月18日…'
        sep = _RANGE_SEP.match(after)
        if sep:
            rest = after[sep.end():]
            nxt = dates[i + 1] if i + 1 < len(dates) and dates[i + 1][0] == e + sep.end() else None
            if nxt:
                end, tail = nxt[2], t[nxt[1]:nxt[1] + 8]
            else:
                m = _MD_RE.match(rest)
                end = _date(d.year, m["m"], m["d"]) if m else None
                if end and end < d:
                    end = _date(d.year + 1, end.month, end.day)
                tail = rest[m.end():m.end() + 8] if m else ""
            if end and _LEAVE_KW.match(tail):
                leaves.append((d, end))
            continue
        if any(after.startswith(k) for k in _RESIGN_KW):
            found["resigned"] = d
            continue
        m = _CERT_KW.match(after)
        if m:
            found["certified"] = d
            found["certificate"] = (m["what"] or "") if m else ""
            if not found["certificate"]:
                m2 = re.match(r"^[^，,。；;]*?(证书|证)", t[e:e + 20])
                found["certificate"] = m2.group(0) if m2 else ""
            continue
        if any(after.startswith(k) for k in _JOIN_KW):
            found["joined"] = d
    m = re.search(r"入职当月(?:计|算|按)?(\d+(?:\.\d+)?)", t)
    if m:
        found["join_partial"] = float(m.group(1))
    return Remarks(text, leaves=tuple(leaves), **found)


def month_of(d: _dt.date) -> Month:
    return (d.year, d.month)


def next_month(ym: Month) -> Month:
    y, m = ym
    return (y + 1, 1) if m == 12 else (y, m + 1)


def month_text(ym: Month, lang: str = "zh") -> str:
    return say("grammar.month", lang, y=ym[0], m=ym[1])


def month_first(ym: Month) -> _dt.date:
    return _dt.date(ym[0], ym[1], 1)


def month_last(ym: Month) -> _dt.date:
    return month_first(next_month(ym)) - _dt.timedelta(days=1)


# -- districts named in 职位 ----------------------------------------------------------------------
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(text: str) -> int | None:
    """'3' → 3, '三' → 3, '十二' → 12, '二十' → 20 (1…99)."""
    t = _norm(text)
    if t.isdigit():
        return int(t)
    if not t or any(ch not in _CN_DIGITS and ch != "十" for ch in t):
        return None
    if "十" in t:
        a, _, b = t.partition("十")
        tens = _CN_DIGITS.get(a, None) if a else 1
        ones = _CN_DIGITS.get(b, None) if b else 0
        if tens is None or ones is None:
            return None
        return tens * 10 + ones
    if len(t) == 1:
        return _CN_DIGITS[t]
    return None


_NUM = r"[0-9一二三四五六七八九十两]+"
_DISTRICT_LIST = re.compile(rf"第?({_NUM}(?:[、,，/和及与&]第?{_NUM})*)(?:个)?片区")
_DISTRICT_AFTER = re.compile(rf"片区({_NUM})")


def districts_of(text: str) -> tuple[int, ...]:
    """District numbers a 职位 or a district name names: '第二片区社工' → (2,), '片区1' → (1,),
    '第一、二片区社工' → (1, 2), '社工站副站长' → ()."""
    t = _norm(text or "")
    out: list[int] = []
    for m in _DISTRICT_LIST.finditer(t):
        for part in re.split(r"[、,，/和及与&]", m.group(1)):
            n = cn_number(part.lstrip("第"))
            if n and n not in out:
                out.append(n)
    for m in _DISTRICT_AFTER.finditer(t):
        n = cn_number(m.group(1))
        if n and n not in out:
            out.append(n)
    return tuple(out)


# -- the roster ---------------------------------------------------------------------------------

@dataclass
class Entry:
    """One row's three cells for one month, as read.

    ``marked``: 人员到位 says on post as a person means it (√, ✓, or a number > 0);
    ``counted``: what the official formula counts (√ or a number in 人员到位, 社保购买 and 工资发放 both '√');
    ``segment``: the cell lies in a '【分段计算】…' merge (counted in the other section).
    """
    row: int
    section: str
    month: Month
    cells: tuple[tuple[int, int], tuple[int, int], tuple[int, int]]   # (present, insured, paid) (row, col)
    present: Reading
    insured: Reading
    paid: Reading
    segment: str | None = None          # '【分段计算】非持证社工' when the cell is in such a merge
    counted: float = 0.0
    marked: float = 0.0


@dataclass
class Worker:
    """One person: the row(s) that carry them, merged through '同N' or an identical name."""
    key: str                             # the 序号 of the first row ('14'), else 'row<N>'
    name: str
    rows: list[WorkerRow] = field(default_factory=list)
    contract: Contract = field(default_factory=lambda: Contract(""))
    remarks: Remarks = field(default_factory=lambda: Remarks(""))
    districts: tuple[int, ...] = ()
    entries: dict[int, dict[Month, Entry]] = field(default_factory=dict)   # row → month → Entry

    @property
    def seq(self) -> str:
        return self.key

    @property
    def position(self) -> str:
        return next((r.position for r in self.rows if r.position), "")

    @property
    def sections(self) -> list[str]:
        out = []
        for r in self.rows:
            if r.section not in out:
                out.append(r.section)
        return out

    def marked(self, month: Month) -> float:
        """On post in ``month`` in any row, as a person means it (max over rows)."""
        return max((e[month].marked for e in self.entries.values() if month in e), default=0.0)

    def counted(self, month: Month) -> float:
        return sum(e[month].counted for e in self.entries.values() if month in e)

    @property
    def qualifications(self) -> list[str]:
        """岗位资格证/资质 of each row, in row order (a worker certified mid-period has two)."""
        out: list[str] = []
        for r in self.rows:
            q = _norm(r.qualification)
            if q and q not in out:
                out.append(q)
        return out

    def to_dict(self, months: list[Month], sheet: str | None = None, name_col: int | None = None) -> dict:
        last = months[-1] if months else None
        secs = self.sections
        # NB: months on post, contract start and qualifications identify the person across workbooks
        # (the batch's cross-station check); sheet and cell say where the name stands
        where = {"sheet": sheet, "cell": to_a1(self.rows[0].row, name_col)} if sheet and name_col else {}
        return {**where, "name": self.name, "seq": self.key,
                "section": secs[0] if len(secs) == 1 else "both", "sections": secs,
                "districts": list(self.districts), "district": ",".join(f"片区{d}" for d in self.districts),
                "position": self.position, "rows": [r.row for r in self.rows],
                "on_post_last_month": bool(last and self.marked(last) > 0),
                "person_months": sum(self.counted(m) for m in months),
                "resigned": self.remarks.resigned.isoformat() if self.remarks.resigned else None,
                "months": [month_text(m, "en") for m in months if self.marked(m) > 0],
                "contract_start": self.contract.start.isoformat() if self.contract.start else None,
                "qualifications": self.qualifications}


def _merge_text(rows: Iterable[WorkerRow], attr: str) -> str:
    vals = []
    for r in rows:
        v = getattr(r, attr)
        if v and v not in vals:
            vals.append(v)
    return "\n".join(vals)


def build_roster(rows: list[WorkerRow]) -> tuple[list[Worker], list[tuple[WorkerRow, str]]]:
    """Group rows into Workers; return them and the '同N' rows that name no row (with why)."""
    by_seq: dict[str, Worker] = {}
    by_name: dict[str, Worker] = {}
    workers: list[Worker] = []
    problems: list[tuple[WorkerRow, str]] = []
    for r in rows:
        if not r.name.strip():
            continue    # NB: a blank row of the template (序号 only): nobody to check
        name_key = _norm(r.name)
        w = None
        if r.same_as is not None:
            w = by_seq.get(r.same_as)
            if w is None:
                problems.append((r, "missing"))
            elif _norm(w.name) != name_key:
                problems.append((r, "name"))
        if w is None and name_key:
            w = by_name.get(name_key)
        if w is None:
            key = r.seq if r.seq and r.same_as is None else (r.same_as or f"row{r.row}")
            w = Worker(key=key, name=r.name)
            workers.append(w)
        w.rows.append(r)
        if r.seq and r.same_as is None:
            by_seq.setdefault(r.seq, w)
        if name_key:
            by_name.setdefault(name_key, w)
    for w in workers:
        contracts = [r.contract for r in w.rows if r.contract]
        w.contract = parse_contract(contracts[0]) if contracts else Contract("")
        w.remarks = parse_remarks(_merge_text(w.rows, "remarks"))
        ds: list[int] = []
        for r in w.rows:
            for d in districts_of(r.position):
                if d not in ds:
                    ds.append(d)
        w.districts = tuple(ds)
    return workers, problems
