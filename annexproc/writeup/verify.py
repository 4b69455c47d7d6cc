"""Checking a written report against the annexes: every figure it quotes that names an annex figure (RP findings).

``check_report(report, path)`` reads the report file, finds the figures it quotes (``quotes.scan``),
compares each with the recomputed annexes (``facts``) at the precision the report writes it
('90%' agrees with 90.00%, '67.9%' with 67.91%), and returns the findings: RP01 a figure that
disagrees, RP02 one indicator quoted with two counts, RP04 a figure resting on annex cells with errors,
RP03 the note counting the figures that agree, RP05 a report that cannot be read.
"""
from __future__ import annotations

from ..findings import Finding, finding
from ..words import say
from ..xlmath import xl_round
from .facts import Fact, gather
from .quotes import Quote, scan
from .read import ReportReadError, read_report


def check_report(report, path: str) -> list[Finding]:
    """RP findings of the report file at ``path`` against ``report``."""
    try:
        paras = read_report(path)
    except ReportReadError as exc:
        return [finding("RP05", None, None, reason=str(exc), reason_en=exc.message_en)]
    return compare(gather(report), paras)


def compare(fx, paras) -> list[Finding]:
    found = scan(paras)
    out: list[Finding] = []
    agreed = checked = 0
    first: dict[str, Quote] = {}
    for q in found.quotes:
        fact = fx.get(q.key)
        if fact is None or not (fact.problems or isinstance(fact.value, (int, float))):
            continue
        checked += 1
        if q.key in first and _value(q) != _value(first[q.key]):   # NB: before RP01: the report against itself
            other = first[q.key]
            out.append(_finding("RP02", q, fact, other=other.text, other_at=_at(other, "zh"),
                                other_at_en=_at(other, "en")))
        first.setdefault(q.key, q)
        if fact.problems:
            p = fact.problems[0]
            out.append(_finding("RP04", q, fact, cause=p.message("zh").rstrip("。"), cause_en=p.message("en").rstrip(".")))
        elif _agrees(q, fact):
            agreed += 1
        else:
            out.append(_finding("RP01", q, fact))
    if checked or found.unnamed:
        out.append(finding("RP03", None, None, count=agreed, total=checked, unnamed=len(found.unnamed)))
    return out


def _value(q: Quote) -> float:
    return -q.value if q.negated else q.value


def _agrees(q: Quote, fact: Fact) -> bool:
    """At the precision the report writes: a ratio as a percentage with the report's decimals."""
    if fact.unit == "pct":
        return q.pct and xl_round(fact.value * 100, q.places) == q.value
    return not q.pct and abs(float(fact.value) - _value(q)) < 1e-9


def _at(q: Quote, lang: str) -> str:
    page = q.para.page_at(q.offset)
    return say("writeup.at", lang, paragraph=q.para.index, page=say("writeup.at_page", lang, page=page) if page else "")


def _finding(rule: str, q: Quote, fact: Fact, **kw) -> Finding:
    page = q.para.page_at(q.offset)
    location = (("paragraph", q.para.index),) + ((("page", page),) if page else ())
    return finding(rule, None, None, expected=fact.value, found=round(q.value / 100, q.places + 2) if q.pct else _value(q),
                   unit=fact.unit, indicator=fact.label, indicator_en=fact.label_en, quote=q.sentence, location=location, words=q.words,
                   at=_at(q, "zh"), at_en=_at(q, "en"), source=fact.source, **kw)


def add_report_findings(rep, path: str, select=(), ignore=(), overrides=None) -> None:
    """Append the RP findings of the report at ``path`` to ``rep`` (selected and re-graded as the workbook's)."""
    from ..rulebook import selected
    overrides = overrides or {}
    rep.findings += [f.with_severity(overrides[f.rule]) if f.rule in overrides else f
                     for f in check_report(rep, path) if selected(f.rule, select, ignore)]
