"""The 图表 sheet of summary.xlsx: completion rates, never absolute 人次 — each 附件1 indicator by station,
and 附件2's person-months as a share of what the agreement requires — each against a 100% line, a
point not checked labelled so (never drawn as 0%); the small tables the charts draw from sit below."""
from __future__ import annotations

import os

from ..words import say
from .columns import is_number

#: Up to this many workbooks, the completion chart groups bars by indicator (one bar per station):
#: the comparison an evaluator makes. Beyond it, one bar per indicator grouped by station, because
#: a chart cannot hold more than 255 series and a legend of hundreds of stations reads as nothing.
MAX_SERIES_FILES = 30
SHEET = "图表"

#: 附件2's rates: (label key, achieved figure, required figure)
STAFFING_RATES = (("rate_total", "total_person_months", "required_person_months"),
                  ("rate_certified", "certified_person_months", "required_certified_person_months"))


def chart_labels(results: list) -> list[str]:
    """Short, unique labels naming stations: the station, else the file's name without folder or suffix;
    two files of one station add the file's name, then (n)."""
    base = [r.report.station or os.path.splitext(os.path.basename(r.report.path))[0] for r in results]
    labels = [f"{b} · {os.path.basename(r.report.path)}" if base.count(b) > 1 and r.report.station else b
              for b, r in zip(base, results)]
    seen: dict[str, int] = {}
    out = []
    for lab in labels:
        seen[lab] = seen.get(lab, 0) + 1
        out.append(lab if seen[lab] == 1 else f"{lab} ({seen[lab]})")
    return out


def _rate(figs: dict, have: str, need: str):
    a, b = figs.get(have), figs.get(need)
    return a / b if is_number(a) and is_number(b) and b else None


def _table(wc, t0: int, title: str, rows: list[str], cols: list[str], value, lang: str, fmt: dict) -> dict:
    """Write a table (row labels × column labels) at row ``t0``; a value that is not a number is written
    as 未核查 / '/'. Returns where each part is, for the chart's ranges, and which points are missing."""
    wc.write_string(t0, 0, title, fmt["bold"])
    for j, lab in enumerate(cols, start=1):
        wc.write_string(t0, j, lab, fmt["bold"])
    target = len(cols) + 1
    wc.write_string(t0, target, say("columns.target", lang), fmt["bold"])
    missing: dict[int, list[int]] = {j: [] for j in range(1, len(cols) + 1)}
    for i, lab in enumerate(rows, start=1):
        wc.write_string(t0 + i, 0, lab)
        wc.write_number(t0 + i, target, 1, fmt["pct"])
        for j in range(1, len(cols) + 1):
            v = value(i - 1, j - 1)
            if is_number(v):
                wc.write_number(t0 + i, j, v, fmt["pct"])
            else:
                wc.write_string(t0 + i, j, "/" if v == "/" else say("columns.not_checked", lang), fmt["grey"])
                missing[j].append(i - 1)
    return {"t0": t0, "n": len(rows), "k": len(cols), "target": target, "missing": missing}


def _chart(wb, spec: dict, title: str, lang: str, width: int, height: int, *, series_by_row: bool = False):
    """A column chart of the table ``spec`` describes, with the 100% line and 未核查 labels."""
    t0, n, k, target = spec["t0"], spec["n"], spec["k"], spec["target"]
    ch = wb.add_chart({"type": "column", "subtype": "clustered"})
    word = say("columns.not_checked", lang)

    def labels(points: int, missing: list[int]) -> dict:
        # NB: Excel draws a text cell as 0: a point not checked gets the word, so it is never read as 0%
        custom = [({"value": word} if p in missing else {"delete": True}) for p in range(points)]
        return {"value": True, "custom": custom, "position": "inside_base"}

    if not series_by_row:          # one series per column of the table (a station), categories = rows
        for j in range(1, k + 1):
            s = {"name": [SHEET, t0, j], "categories": [SHEET, t0 + 1, 0, t0 + n, 0],
                 "values": [SHEET, t0 + 1, j, t0 + n, j], "gap": 80}
            if spec["missing"][j]:
                s["data_labels"] = labels(n, spec["missing"][j])
            ch.add_series(s)
        line_values, line_cats = [SHEET, t0 + 1, target, t0 + n, target], [SHEET, t0 + 1, 0, t0 + n, 0]
    else:                          # one series per row (an indicator), categories = columns (stations)
        for i in range(1, n + 1):
            missing = [j - 1 for j, rows in spec["missing"].items() if i - 1 in rows]
            s = {"name": [SHEET, t0 + i, 0], "categories": [SHEET, t0, 1, t0, k],
                 "values": [SHEET, t0 + i, 1, t0 + i, k], "gap": 80}
            if missing:
                s["data_labels"] = labels(k, missing)
            ch.add_series(s)
        line_values, line_cats = None, [SHEET, t0, 1, t0, k]
    line = wb.add_chart({"type": "line"})
    if line_values is None:   # NB: a 100% row as long as the categories, written beside the table
        line_values = [SHEET, t0 + n + 1, 1, t0 + n + 1, k]
    line.add_series({"name": say("columns.target", lang), "categories": line_cats, "values": line_values,
                     "line": {"color": "#C00000", "width": 1.5, "dash_type": "dash"},
                     # NB: a marker too, so that the line of a single category still shows
                     "marker": {"type": "dash", "size": 14, "border": {"color": "#C00000"},
                                "fill": {"color": "#C00000"}}})
    ch.combine(line)
    ch.set_title({"name": title, "name_font": {"size": 12}})
    ch.set_y_axis({"num_format": "0%", "min": 0, "major_gridlines": {"visible": True,
                                                                     "line": {"color": "#D9D9D9"}}})
    ch.set_x_axis({"num_font": {"rotation": -45}})
    ch.set_legend({"position": "bottom"})
    ch.show_blanks_as("gap")
    ch.set_size({"width": width, "height": height})
    return ch


def write_charts(wb, results: list, comp_keys: list[str], lang: str, fmt: dict) -> None:
    """The 图表 sheet: the charts on top, the tables they draw from below (values as in 汇总)."""
    wc = wb.add_worksheet(SHEET)
    comp = [r for r in results if r.report.readable and isinstance(r.report.figures.get("completion"), dict)
            and r.report.figures["completion"]]
    staff = [r for r in results if r.report.readable
             and any(_rate(r.report.figures, have, need) is not None for _, have, need in STAFFING_RATES)]
    if not (comp and comp_keys) and not staff:
        wc.write_string(0, 0, say("columns.no_charts", lang))
        return
    wc.set_landscape()
    wc.set_paper(9)
    wc.fit_to_pages(1, 0)
    wc.set_column(0, 0, 36)
    plans = []
    if comp and comp_keys:
        by_indicator = len(comp) <= MAX_SERIES_FILES
        points = len(comp) * len(comp_keys)
        plans.append(("completion", int(min(4000, max(720, 160 + points * 16))), 460))
    if staff:
        plans.append(("staffing", int(min(4000, max(560, 200 + len(staff) * 2 * 28))), 400))
    row = sum(h // 20 + 2 for _, _, h in plans)   # NB: the tables start below the charts
    placed = 0
    for kind, width, height in plans:
        if kind == "completion":
            labels = chart_labels(comp)
            spec = _table(wc, row, say("columns.chart_completion", lang), comp_keys, labels,
                          lambda i, j: comp[j].report.figures["completion"].get(comp_keys[i]), lang, fmt)
            if not by_indicator:
                for j in range(1, len(comp) + 1):
                    wc.write_number(row + len(comp_keys) + 1, j, 1, fmt["pct"])
            ch = _chart(wb, spec, say("columns.chart_completion", lang), lang, width, height,
                        series_by_row=not by_indicator)
            row += len(comp_keys) + 3
        else:
            names = [say(f"columns.{key}", lang) for key, _, _ in STAFFING_RATES]
            spec = _table(wc, row, say("columns.chart_staffing", lang), chart_labels(staff), names,
                          lambda i, j: _rate(staff[i].report.figures, *STAFFING_RATES[j][1:]), lang, fmt)
            ch = _chart(wb, spec, say("columns.chart_staffing", lang), lang, width, height)
            row += len(staff) + 3
        wc.insert_chart(placed, 0, ch)
        placed += height // 20 + 2
