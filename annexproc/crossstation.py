"""Across a batch of workbooks: one worker counted on post by two stations in the same months (XS05/XS06).

Reads only each report's ``figures['workers']`` (name, months on post, contract start, qualifications,
where the name stands), so it runs in the batch's parent on the small results the workers send back.
Workers are indexed by name: only people of the same name are ever compared, never every pair of
workbooks. Two claims of one name by two stations in a common month are the same person (XS05, an
error in both files) unless their contract starts or qualifications, where both files give them,
differ: a namesake (XS06, a note). A worker who moves between stations in different months is fine.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

from .findings import Finding, finding
from .values import normalize
from .words import say

_SUFFIX = re.compile(r"(社工服务站|社会工作服务站|社工站|服务站)$")


def station_key(name: str | None) -> str | None:
    """The station as two workbooks name it alike: '逢源街社工服务站' and '逢源街社工站' are one."""
    if not name:
        return None
    return _SUFFIX.sub("", normalize(name)) or normalize(name)


@dataclass(frozen=True, slots=True)
class Claim:
    """One worker of one workbook, as the cross-station check sees them."""
    index: int                     # the report's position in the batch
    station: str                   # station_key, or the file itself when it names no station
    worker: dict                   # the figures['workers'] entry
    months: frozenset[str]         # 'YYYY-MM' on post


def _claims(reports) -> dict[str, list[Claim]]:
    index: dict[str, list[Claim]] = {}
    for i, r in enumerate(reports):
        if not r.readable or not r.figures:
            continue
        # NB: a workbook naming no station is a station of its own (it cannot be matched to another)
        station = station_key(r.station) or f"file:{r.path}"
        for w in r.figures.get("workers") or ():
            if isinstance(w, dict) and w.get("name") and w.get("months") and w.get("cell"):
                index.setdefault(normalize(w["name"]), []).append(Claim(i, station, w, frozenset(w["months"])))
    return index


def same_person(a: dict, b: dict) -> bool:
    """Same name; and contract start and qualifications agree wherever both workbooks give them."""
    if a.get("contract_start") and b.get("contract_start") and a["contract_start"] != b["contract_start"]:
        return False
    qa, qb = set(a.get("qualifications") or ()), set(b.get("qualifications") or ())
    return not (qa and qb and not qa & qb)


def _identity(w: dict) -> str:
    return " ".join([w.get("contract_start") or "?", "/".join(w.get("qualifications") or ()) or "?"])


def month_spans(months, lang: str = "zh"):
    """Months as a message lists them, runs of consecutive months as one span: zh a list
    ['2024年5月至2024年8月', '2024年11月'] (joined with '、' when shown), en one text '2024-05 to 2024-08, 2024-11'."""
    from .annex2.roster import month_text, next_month
    runs: list[list] = []
    for m in sorted(set(months)):
        if runs and next_month(runs[-1][-1]) == m:
            runs[-1].append(m)
        else:
            runs.append([m])
    texts = [say("grammar.span", lang, first=month_text(r[0], lang), last=month_text(r[-1], lang)) if len(r) > 1
             else month_text(r[0], lang) for r in runs]
    return texts if lang == "zh" else say("grammar.list", lang).join(texts)


def _finding(code: str, mine: Claim, other: Claim, months: list[str], reports) -> Finding:
    w, o = mine.worker, other.worker
    yms = [(int(m[:4]), int(m[5:7])) for m in months]
    return finding(code, w.get("sheet"), w["cell"], worker=w["name"],
                   months=month_spans(yms, "zh"), months_en=month_spans(yms, "en"),
                   other_station=reports[other.index].station or "?", other_file=reports[other.index].path,
                   other_sheet=o.get("sheet") or "", other_cell=o["cell"], mine=_identity(w), theirs=_identity(o))


def cross_station(reports) -> dict[int, list[Finding]]:
    """{report index: the XS05/XS06 findings it gains} over a batch's reports, in their order."""
    out: dict[int, list[Finding]] = {}
    for claims in _claims(reports).values():
        if len(claims) < 2 or len({c.station for c in claims}) < 2:
            continue
        # NB: pairs within one name only: a handful, however many workbooks the batch holds
        for a, b in combinations(claims, 2):
            both = sorted(a.months & b.months)
            if a.station == b.station or not both:
                continue
            code = "XS05" if same_person(a.worker, b.worker) else "XS06"
            out.setdefault(a.index, []).append(_finding(code, a, b, both, reports))
            out.setdefault(b.index, []).append(_finding(code, b, a, both, reports))
    return out


def add_cross_station(reports) -> int:
    """Run the check and put each finding into its report; returns how many were added."""
    extra = cross_station(reports)
    for i, fs in extra.items():
        reports[i].findings.extend(fs)
    return sum(len(fs) for fs in extra.values())
