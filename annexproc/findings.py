"""A finding: one rule broken at one cell. Frozen, with fixed field names (JSON keys)."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from . import words
from .xlmath import num_text, pct_text


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def show(value: Any, unit: str | None = None, lang: str = "zh") -> str:
    """A value as a message shows it: '/' stays '/', ratios as percentages, counts without '.0',
    a date as each language writes it, a list joined as each language joins one."""
    if value is None:
        return words.say("grammar.blank", lang)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (list, tuple)):
        return joined([show(v, unit, lang) for v in value], lang)
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return words.say("grammar.date", lang, y=value.year, m=value.month, d=value.day)
    if isinstance(value, (int, float)):
        return pct_text(value) if unit == "pct" else num_text(value)
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def joined(items, lang: str = "zh") -> str:
    """Names or cells as a message lists them: '、' between them in Chinese, ', ' in English; none → 无/none."""
    items = [str(x) for x in items]
    if not items:
        return words.say("grammar.none", lang)
    return words.say("grammar.list", lang).join(items)


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: str
    sheet: str | None
    cell: str | None
    expected: Any = None
    found: Any = None
    indicator: str | None = None
    district: str | None = None
    worker: str | None = None
    unit: str | None = None            # "pct": expected/found are ratios shown as 0.00%
    args: tuple[tuple[str, Any], ...] = field(default=())
    file: str | None = None
    # NB: a finding said once for a region: ``cells`` lists every cell it covers (the first is ``cell``);
    # empty for a finding of one cell. ``affects`` names what a cause changes further on: (what, without
    # the cause, with it) — a cell ('S25', 8, 7) or a key figure ('total_person_months', 160.5, 159.5).
    cells: tuple[str, ...] = field(default=())
    affects: tuple[tuple[str, Any, Any], ...] = field(default=())
    # NB: a finding about a written report (RP) has no sheet or cell: ``quote`` is its sentence and
    # ``location`` where it is, (('paragraph', 12), ('page', 3)) — the page for a PDF only.
    quote: str | None = None
    location: tuple[tuple[str, Any], ...] = field(default=())

    @property
    def all_cells(self) -> tuple[str, ...]:
        """Every cell the finding covers (its one cell, or none)."""
        return self.cells or ((self.cell,) if self.cell else ())

    @property
    def range(self) -> str | None:
        """The A1 range that holds every cell ('S9:S25'), the cell itself for one, None for none."""
        cells = self.all_cells
        if len(cells) <= 1:
            return cells[0] if cells else None
        from .cells import a1_range, from_a1
        pos = [from_a1(c) for c in cells]
        return a1_range(min(r for r, _ in pos), min(c for _, c in pos), max(r for r, _ in pos),
                        max(c for _, c in pos))

    def message(self, lang: str = "zh") -> str:
        from .rulebook import get_rule
        rule = get_rule(self.rule)
        key = f"rule.{self.rule}"
        if self.cells and rule.group_zh:   # NB: a region said once (grouping.py)
            key += ".group"
        values = dict.fromkeys(rule.optional, "")
        values.update(
            sheet=self.sheet or "", cell=self.cell or "",
            expected=show(self.expected, self.unit, lang), found=show(self.found, self.unit, lang),
            indicator=self.indicator or "", district=self.district or "", worker=self.worker or "",
        )
        for k, v in self.args:
            values[k] = show(v, self.unit if k in ("all_found", "all_expected") else None, lang) \
                if not isinstance(v, str) else v
        if self.cells:
            values["range"] = self.range or ""
            values["cells"] = show(list(self.cells[:12]) + (["…"] if len(self.cells) > 12 else []), None, lang)
            values.setdefault("count", show(len(self.cells), None, lang))
        if lang == "en":
            # NB: 'x_en' is the English of 'x' — prose, a date or a period the checker wrote (never data
            # read from the workbook): it replaces 'x', fields included, so templates name 'x' only.
            for k, v in self.args:
                if k.endswith("_en"):
                    values[k[:-3]] = values[k]
        # NB: {where} names the place in the table by what the finding has (a district, an indicator
        # label, or both): no '( ' or doubled space when one of them is missing
        values["where"] = " ".join(v for v in (values["district"], values["indicator"]) if v)
        text = words.say(key, lang, **values)
        return text + self.affects_text(lang) if self.affects else text

    def affects_text(self, lang: str = "zh") -> str:
        """What the cause changes, as a sentence: figures first, then up to eight cells."""
        from .i18n import FIGURE_NAMES, figure_name
        figs = [a for a in self.affects if a[0] in FIGURE_NAMES]
        cells = [a for a in self.affects if a[0] not in FIGURE_NAMES]
        shown = [f"{figure_name(w, lang)} {show(a, None, lang)} → {show(b, None, lang)}" for w, a, b in figs]
        shown += [f"{w} {show(a, self.unit, lang)} → {show(b, self.unit, lang)}" for w, a, b in cells[:8]]
        if len(cells) > 8:
            shown.append(words.say("finding.more_cells", lang, n=len(cells)))
        return words.say("finding.changes", lang, items=joined(shown, lang))

    def shown(self, name: str, lang: str = "zh") -> str:
        """'expected' or 'found' as the message shows it in ``lang`` (its 'x_en' arg in English)."""
        if lang == "en":
            for k, v in self.args:
                if k == f"{name}_en":
                    return show(v, None, lang) if not isinstance(v, str) else v
        return show(getattr(self, name), self.unit, lang)

    def to_dict(self, lang: str = "zh") -> dict:
        return {"rule": self.rule, "severity": self.severity, "sheet": self.sheet, "cell": self.cell,
                "quote": self.quote, "location": dict(self.location) or None,    # NB: a written report's (RP)
                "message": self.message(lang), "expected": _jsonable(self.expected),
                "found": _jsonable(self.found), "indicator": self.indicator,
                "district": self.district, "worker": self.worker,
                "cells": list(self.all_cells), "range": self.range,
                "affects": [{"what": w, "from": _jsonable(a), "to": _jsonable(b)} for w, a, b in self.affects]}

    def key(self) -> tuple[str | None, str | None, str]:
        """(sheet, cell, rule): what tests compare."""
        return (self.sheet, self.cell, self.rule)

    def keys(self) -> set[tuple[str | None, str | None, str]]:
        """(sheet, cell, rule) of every cell the finding covers: what tests compare with exact sets."""
        return {(self.sheet, c, self.rule) for c in self.all_cells} or {self.key()}

    def sort_key(self):
        return (SEVERITY_ORDER.get(self.severity, 9), self.sheet or "", _cell_order(self.cell),
                dict(self.location).get("paragraph", 0), self.rule)

    def with_severity(self, severity: str) -> "Finding":
        return replace(self, severity=severity)


def _cell_order(cell: str | None):
    if not cell:
        return (0, 0)
    from .cells import from_a1
    try:
        return from_a1(cell)
    except ValueError:
        return (0, 0)


def _jsonable(v: Any) -> Any:
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    return str(v)


def finding(rule: str, sheet: str | None, cell: str | None, **kw: Any) -> Finding:
    """Make a finding of a registered rule; its severity comes from the registry, not the call site.

    Known keywords are Finding fields; any other keyword becomes a message placeholder, and
    ``x_en`` gives the English of ``x`` where ``x`` is prose or a date the checker wrote. A list
    is kept as a tuple (a finding is hashable) and joined per language when shown.
    """
    from .rulebook import get_rule
    kw = {k: tuple(v) if isinstance(v, list) else v for k, v in kw.items()}
    fields = {k: kw.pop(k) for k in list(kw) if k in _FIELDS}
    severity = fields.pop("severity", None) or get_rule(rule).severity
    return Finding(rule, severity, sheet, cell, args=tuple(sorted(kw.items())), **fields)


_FIELDS = {"expected", "found", "indicator", "district", "worker", "unit", "file", "severity", "cells", "affects",
           "quote", "location"}
