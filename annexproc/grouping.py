"""Saying a repeated finding once: findings of one rule over one region become one finding.

A rule's ``group`` names its region: ``cell`` (the same cell twice, e.g. two cases in one comment),
``row`` (one worker's months), ``column`` (a column of subtotals) or ``sheet`` (a table of pasted
values, every ``✓``). A merged finding keeps the first finding's fields, lists every cell in
``cells`` and the causes' ``affects`` together, and is worded by the rule's group template, which
may use ``{count}``, ``{range}``, ``{cells}`` and ``{all_X}`` — the distinct values of ``X`` across the
members (an argument, or ``found``/``expected``/``worker``/``indicator``/``district``). The
annotated copy still marks every cell.
"""
from __future__ import annotations

from dataclasses import replace

from .cells import from_a1
from .findings import Finding
from .rulebook import get_rule

_FIELDS = ("found", "expected", "worker", "indicator", "district")


def group(findings: list[Finding]) -> list[Finding]:
    """The findings with every region's repeats merged, in the order of each region's first finding."""
    buckets: dict[tuple, list[Finding]] = {}
    for i, f in enumerate(findings):
        buckets.setdefault(_key(f, i), []).append(f)
    return [fs[0] if len(fs) == 1 else merge(fs) for fs in buckets.values()]


def _key(f: Finding, i: int) -> tuple:
    rule = get_rule(f.rule)
    if not f.sheet or not f.cell or not rule.group_zh or f.cells:
        return ("single", i)
    try:
        row, col = from_a1(f.cell)
    except ValueError:
        return ("single", i)
    region = {"cell": f.cell, "row": row, "column": col, "sheet": None}.get(rule.group, ("single", i))
    return (f.rule, f.severity, f.sheet, rule.group, region)


def merge(fs: list[Finding]) -> Finding:
    """One finding for ``fs`` (one rule, one region): the first's fields, every cell, every effect."""
    first = fs[0]
    cells = tuple(dict.fromkeys(c for f in fs for c in f.all_cells))
    affects = tuple(dict.fromkeys(a for f in fs for a in f.affects))
    args = dict(first.args)
    keys = dict.fromkeys([k for f in fs for k, _ in f.args] + list(_FIELDS))
    for k in keys:
        values = [v for f in fs if (v := _value(f, k)) is not None]
        args[f"all_{k}"] = tuple(dict.fromkeys(values))
    args["count"] = len(fs)
    return replace(first, cells=cells, affects=affects, args=tuple(sorted(args.items())))


def _value(f: Finding, key: str):
    if key in _FIELDS:
        return getattr(f, key)
    return dict(f.args).get(key)
