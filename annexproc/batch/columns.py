"""The columns summary.xlsx and findings.csv share: their headings (zh, en) and how a cell reads."""
from __future__ import annotations

from typing import Any

from ..findings import show
from ..i18n import severity_word

#: Key figures shown per workbook, in this order; ratios are formatted as percentages.
FIGURE_COLUMNS = ("total_person_months", "required_person_months", "certified_person_months",
                  "required_certified_person_months", "uncertified_person_months", "certified_share",
                  "two_year_share", "stable_rate")
RATIO_FIGURES = {"certified_share", "two_year_share", "stable_rate"}
#: The columns of 全部问题 and findings.csv (the CSV puts the station first).
FINDING_HEADS = ("file", "severity", "rule", "sheet", "cell", "indicator", "where", "message", "expected", "found")

#: The columns of the cross-station sheet (keys of the catalogue's 'columns' area, annexproc/words/columns.py).
CROSS_HEADS = ("worker", "months", "severity", "rule", "station", "file", "cell", "other_station", "other_file",
               "other_cell")


def completion_keys(reports: list) -> list[str]:
    """Every indicator that has a completion rate in any report, in order of first appearance."""
    keys: dict[str, None] = {}
    for r in reports:
        comp = r.figures.get("completion") if r.figures else None
        if isinstance(comp, dict):
            for k in comp:
                keys.setdefault(str(k), None)
    return list(keys)


def is_number(v: Any) -> bool:
    """A value written as a number cell (a bool is not one, though Python says it is an int)."""
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def cell_text(v: Any, unit: str | None, lang: str) -> str:
    return "" if v is None else show(v, unit, lang)


def finding_cells(f, lang: str) -> tuple[str, str, str]:
    """(cell or 'S9:S25（17 处）', indicator, district or worker) of a finding, as 全部问题 and the CSV show them."""
    from ..finding_words import region_text
    return region_text(f, lang), f.indicator or "", f.district or f.worker or ""


def severity_text(severity: str, lang: str) -> str:
    return severity_word(severity, lang)
