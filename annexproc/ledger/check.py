"""Checking the activity ledger (活动台账): double counts inside it, and its totals against 附件1-1.

The rule functions read ``model.ledger`` (ledger.reader) and, when the ledger holds at least one activity, flag:

- LD01 the same activity under more than one district (same date, same name once spaces,
  punctuation, full/half width and district prefixes are stripped) — on each row, naming the others;
  LD03 the same within one district (entered twice); LD02 near-identical names on one day (warning);
- LD04/LD05 each district's and the 合计's 完成量 of 附件1-1 against the ledger's count and 服务人次
  per type (the measure's ``ledger_unit``), at the Annex 1 cell, naming the ledger rows behind it;
- LD06 activities dated outside the period, LD10 unreadable dates, LD07 rows with no district,
  LD08 districts Annex 1 does not have, LD09 a 服务人次 that is not a count, LD11 unknown types.

An empty ledger (the blank template's, or the sample's) is no ledger: no finding at all.
"""
from __future__ import annotations

import datetime as _dt
import difflib
import re
import unicodedata
from typing import Any

from ..cells import to_a1
from ..checks import rule
from ..findings import joined
from ..values import Kind, normalize, read
from ..words import args, say
from . import feeds, ledger_types
from .locate import Entry, Ledger
from .reader import counts, in_period, period_of

#: Two names on the same day at least this similar (difflib ratio) are flagged as possible duplicates.
NEAR_DUPLICATE_RATIO = 0.85
_MAX_ROWS_NAMED = 12     # a message names at most this many ledger rows, then says how many more

_CN = "0-9一二三四五六七八九十两"
_DISTRICT_PREFIX = re.compile(rf"第?[{_CN}]+(?:个)?片区|片区[{_CN}]+|[{_CN}]+区")


# -- names and districts -----------------------------------------------------------------------

def name_key(name: str, districts: tuple[str, ...] = ()) -> str:
    """An activity name for comparison: NFKC, lower case, no spaces or punctuation, no district
    prefixes ('片区1', '第一片区', and the ledger's own district names at the start)."""
    t = unicodedata.normalize("NFKC", name or "").lower()
    t = re.sub(r"\s+", "", t)
    for d in sorted((normalize(x).lower() for x in districts if x), key=len, reverse=True):
        if d and t.startswith(d):
            t = t[len(d):]
            break
    t = _DISTRICT_PREFIX.sub("", t)
    return "".join(ch for ch in t if not unicodedata.category(ch)[0] in "PSZ")


def _district_numbers(text: str) -> tuple[int, ...]:
    try:
        from ..annex2.roster import districts_of   # NB: one reading of '第二片区'/'片区2' for the whole tool
    except ImportError:  # pragma: no cover - annex2 is part of the package
        return ()
    return districts_of(text)


def match_district(text: str, names: list[str]) -> str | None:
    """The Annex 1 district a ledger 片区 names: same text, else the same district number."""
    t = normalize(text)
    for n in names:
        if normalize(n) == t:
            return n
    nums = _district_numbers(text)
    if len(nums) == 1:
        hits = [n for n in names if _district_numbers(n) == nums]
        if len(hits) == 1:
            return hits[0]
    return None


# -- the period ---------------------------------------------------------------------------------

def _period_text(months, lang="zh") -> str:
    (y1, m1), (y2, m2) = months[0], months[-1]
    return say("grammar.span", lang, first=say("grammar.month", lang, y=y1, m=m1),
               last=say("grammar.month", lang, y=y2, m=m2))


# -- rules -----------------------------------------------------------------------------------------

def _ledger(ctx) -> Ledger | None:
    """The ledger when it holds at least one activity (an empty one is the blank template's: no rule)."""
    ledger = ctx.model.ledger
    return None if ledger is None or ledger.empty else ledger


@rule("LD06", "LD07", "LD08", "LD09", "LD10", "LD11")
def rows(ctx) -> None:
    """Each row's date, district, type and 服务人次."""
    ledger = _ledger(ctx)
    if ledger is not None:
        _row_rules(ctx, ledger, _months(ctx), _districts(ctx))


@rule("LD01", "LD02", "LD03")
def duplicates(ctx) -> None:
    """One activity entered twice, under two districts, or under a near-identical name."""
    ledger = _ledger(ctx)
    if ledger is not None:
        _duplicates(ctx, ledger, _districts(ctx))


@rule("LD04", "LD05", "LD12")
def against_annex1(ctx) -> None:
    """附件1-1's 完成量 against the ledger's count and 服务人次 per type and district."""
    ledger, a11 = _ledger(ctx), ctx.model.annex1_1
    if ledger is not None and a11 is not None and getattr(a11, "blocks", None):
        months = _months(ctx)
        _against_annex1(ctx, ledger, a11, _districts(ctx), in_period(ledger, months), months)


def _months(ctx):
    return period_of(ctx.model, ctx.params, ctx.params_given)


def _districts(ctx) -> list[str]:
    return _annex_districts(ctx.model.annex1_1) or list(ctx.params.districts)


def _annex_districts(a11) -> list[str]:
    out: list[str] = []
    for lay in (getattr(a11, "blocks", None) or {}).values():
        for name, _ in lay.districts:
            if name not in out:
                out.append(name)
    return out


def _cell(ledger: Ledger, e: Entry, key: str) -> str:
    return to_a1(e.row, ledger.cols.get(key) or ledger.cols["name"])


def _label(e: Entry) -> dict[str, str]:
    """The activity as a message names it (``activity`` and, for a row with no name, ``activity_en``)."""
    return {"activity": e.name} if e.name else args("activity", "ledger.no_name")


def _district(e: Entry) -> dict[str, str]:
    return {"district": e.district} if e.district else args("district", "ledger.no_district")


def _row_rules(ctx, ledger: Ledger, months, districts: list[str]) -> None:
    s = ledger.sheet
    inside = in_period(ledger, months)
    period, period_en = _period_text(months), _period_text(months, "en")
    types = ledger_types()
    for e in ledger.entries:
        if e.date is None:
            ctx.flag("LD10", s, _cell(ledger, e, "date"), row=e.row, **_label(e),
                     found="" if e.date_raw is None else str(e.date_raw), expected=_period_text(months))
        elif not inside[e.row]:
            ctx.flag("LD06", s, _cell(ledger, e, "date"), row=e.row, **_label(e), found=e.date_text(),
                     expected=period, period=period, period_en=period_en)
        if not e.district:
            ctx.flag("LD07", s, _cell(ledger, e, "district"), row=e.row, **_label(e))
        elif match_district(e.district, districts) is None:
            ctx.flag("LD08", s, _cell(ledger, e, "district"), row=e.row, found=e.district,
                     expected=joined(districts), expected_en=joined(districts, "en"))
        if e.type not in types and normalize(e.type) not in {normalize(t) for t in types}:
            ctx.flag("LD11", s, _cell(ledger, e, "type"), row=e.row, **_label(e), found=e.type,
                     expected=joined(types), expected_en=joined(types, "en"))
        rd = e.people_reading
        # NB: the reader counts such a 服务人次 as none (ledger.reader), and a text number is a reading note
        if "people" in ledger.cols and rd is not None and rd.kind not in (Kind.BLANK, Kind.DASH) and not counts(rd):
            ctx.flag("LD09", ledger.sheet, _cell(ledger, e, "people"), row=e.row, **_label(e),
                     found=str(rd.raw).strip(), expected=say("ledger.count_expected"))


# -- double counts -----------------------------------------------------------------------------

def _rows_text(rows: list[Entry], lang: str = "zh") -> str:
    parts = []
    for e in rows[:_MAX_ROWS_NAMED]:
        parts.append(say("ledger.row", lang, row=e.row, district=e.district or say("ledger.no_district", lang)))
    more = len(rows) - _MAX_ROWS_NAMED
    if more > 0:
        parts.append(say("ledger.more", lang, n=more))
    return say("grammar.list", lang).join(parts)


def _duplicates(ctx, ledger: Ledger, districts: list[str]) -> None:
    s = ledger.sheet
    own = tuple(sorted({e.district for e in ledger.entries if e.district} | set(districts)))
    dated = [e for e in ledger.entries if e.date is not None and not e.month_only and e.name]
    keys = {e.row: name_key(e.name, own) for e in dated}
    by_day: dict[_dt.date, list[Entry]] = {}
    for e in dated:
        by_day.setdefault(e.date, []).append(e)
    for day, rows in by_day.items():
        exact: dict[str, list[Entry]] = {}
        for e in rows:
            if keys[e.row]:
                exact.setdefault(keys[e.row], []).append(e)
        for group in exact.values():
            if len(group) < 2:
                continue
            for e in group:
                mine = _district_key(e.district, districts)
                others = [o for o in group if o is not e]
                across = [o for o in others if _district_key(o.district, districts) != mine]
                same = [o for o in others if _district_key(o.district, districts) == mine]
                date = f"{day.year}/{day.month}/{day.day}"
                if across:
                    ctx.flag("LD01", s, _cell(ledger, e, "district"), row=e.row, activity=e.name,
                             **_district(e), date=date, others=_rows_text(across),
                             others_en=_rows_text(across, "en"))
                if same:
                    ctx.flag("LD03", s, _cell(ledger, e, "name"), row=e.row, activity=e.name,
                             **_district(e), date=date, others=_rows_text(same),
                             others_en=_rows_text(same, "en"))
        # near-duplicates: different keys, similar enough
        near: dict[int, list[tuple[Entry, float]]] = {}
        for i, a in enumerate(rows):
            for b in rows[i + 1:]:
                ka, kb = keys[a.row], keys[b.row]
                if not ka or not kb or ka == kb:
                    continue
                ratio = difflib.SequenceMatcher(None, ka, kb).ratio()
                if ratio >= NEAR_DUPLICATE_RATIO:
                    near.setdefault(a.row, []).append((b, ratio))
                    near.setdefault(b.row, []).append((a, ratio))
        for e in rows:
            if e.row not in near:
                continue
            pairs = near[e.row]
            others = [o for o, _ in pairs]
            ctx.flag("LD02", s, _cell(ledger, e, "name"), row=e.row, activity=e.name,
                     others=_rows_text(others), others_en=_rows_text(others, "en"),
                     ratio=f"{max(r for _, r in pairs):.2f}")


def _district_key(text: str, districts: list[str]) -> str:
    m = match_district(text, districts) if text else None
    return m if m is not None else normalize(text or "")


# -- against 附件1-1 ---------------------------------------------------------------------------------

def _against_annex1(ctx, ledger: Ledger, a11, districts: list[str], in_period: dict[int, bool], months) -> None:
    types = ledger_types()
    norm_types = {normalize(t): t for t in types}
    counted = [e for e in ledger.entries if in_period.get(e.row, True)]
    by_type: dict[str, list[Entry]] = {}
    for e in counted:
        t = e.type if e.type in types else norm_types.get(normalize(e.type))
        if t:
            by_type.setdefault(t, []).append(e)
    meant = ctx.model.annex1_values
    plan = feeds()
    absent = [t for t in types if t in plan and t not in by_type
              and any(b in a11.blocks for b, _, _ in plan[t])]
    for t, rows_t in by_type.items():
        outside = sum(1 for e in ledger.entries if not in_period.get(e.row, True)
                      and (e.type == t or normalize(e.type) == normalize(t)))
        for block_key, measure_key, unit in plan.get(t, ()):
            lay = a11.blocks.get(block_key)
            if lay is None:
                continue
            mc = next((m for m in lay.measures if m.measure.key == measure_key), None)
            if mc is None:
                continue
            sheet = ctx.book.sheet(lay.sheet)
            for name, row in lay.rows():
                if name == "合计":
                    mine = rows_t
                else:
                    mine = [e for e in rows_t if e.district and match_district(e.district, [name]) == name]
                want = float(len(mine)) if unit == "count" else float(sum(e.people or 0 for e in mine))
                found = _annex_value(ctx, sheet, lay.sheet, row, mc.done, meant)
                if not mine and not isinstance(found, float):
                    continue   # NB: '/' or blank, and nothing of this type here: nothing to compare
                if isinstance(found, float) and abs(found - want) < 1e-9:
                    continue
                rows_zh = _rows_list(mine, outside)
                rows_en = _rows_list(mine, outside, "en")
                code = "LD04" if unit == "count" else "LD05"
                ctx.flag(code, lay.sheet, to_a1(row, mc.done), expected=want,
                         found=found if found is not None else None, district=name,
                         indicator=mc.indicator, what=mc.measure.label,
                         what_en="count" if unit == "count" else "person-times", type=t,
                         rows=rows_zh, rows_en=rows_en)
    if absent:
        ctx.flag("LD12", ledger.sheet, to_a1(ledger.header_row, ledger.cols["type"]), types=absent)


def _rows_list(rows: list[Entry], outside: int, lang: str = "zh") -> str:
    if not rows:
        text = say("ledger.rows.none", lang)
    else:
        nums = [str(e.row) for e in rows[:_MAX_ROWS_NAMED]]
        more = len(rows) - _MAX_ROWS_NAMED
        text = say("ledger.rows", lang, rows=say("grammar.list", lang).join(nums),
                   more=say("ledger.rows.more", lang, count=len(rows) if lang != "en" else more) if more > 0 else "")
    if outside:
        text += say("ledger.rows.outside", lang, n=outside)
    return text


def _annex_value(ctx, sheet, sheet_name: str, row: int, col: int, meant: dict) -> Any:
    """附件1-1's 完成量 as the person meant it: the annex1 checker's reading, else the cell read here.
    A 合计 cell is the recomputed total when the annex1 checker derived one (what the rule gives)."""
    key = (sheet_name, (row, col))
    if key in meant:
        v = meant[key]
    else:
        d = ctx.derived.get((sheet_name, to_a1(row, col)))
        v = d.value if d is not None else sheet.value(row, col)
        rd = read(v)
        v = rd.value if rd.kind is Kind.NUMBER else (None if rd.kind is Kind.BLANK else rd.raw)
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return float(v)
    return v
