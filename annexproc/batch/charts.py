"""The 图表 sheet of summary.xlsx: completion of each indicator by workbook, person-months against the
agreement; the small tables the charts draw from sit below them."""
from __future__ import annotations

import os

from ..i18n import figure_name, say
from .columns import HEAD, is_number

#: Up to this many workbooks, the completion chart groups bars by indicator (one bar per workbook):
#: the comparison an evaluator makes. Beyond it, one bar per indicator grouped by workbook, because
#: a chart cannot hold more than 255 series and a legend of hundreds of files reads as nothing.
MAX_SERIES_FILES = 30


def _chart_labels(results: list) -> list[str]:
    """Short, unique category labels: the station, else the file's name; then the name, then (n)."""
    base = [r.report.station or os.path.basename(r.report.path) for r in results]
    labels = [f"{b} · {os.path.basename(r.report.path)}" if base.count(b) > 1 and r.report.station else b
              for b, r in zip(base, results)]
    seen: dict[str, int] = {}
    out = []
    for lab in labels:
        seen[lab] = seen.get(lab, 0) + 1
        out.append(lab if seen[lab] == 1 else f"{lab} ({seen[lab]})")
    return out


def write_charts(wb, results: list, comp_keys: list[str], lang: str, pct, num) -> None:
    """The 图表 sheet: the charts on top, the small tables they draw from below (values as in 汇总)."""
    wc = wb.add_worksheet("图表")
    comp = [r for r in results if r.report.readable and isinstance(r.report.figures.get("completion"), dict)
            and r.report.figures["completion"]]
    pm_keys = ("total_person_months", "required_person_months", "certified_person_months",
               "required_certified_person_months")
    pm = [r for r in results if r.report.readable and is_number(r.report.figures.get("total_person_months"))]
    if not (comp and comp_keys) and not pm:
        wc.write_string(0, 0, say(HEAD, "no_charts", lang))
        return
    bold = wb.add_format({"bold": True})
    charts = []
    # NB: the tables go below the charts; their first row is known once the charts' heights are
    n_c, k = len(comp), len(comp_keys)
    if comp and comp_keys:
        by_indicator = n_c <= MAX_SERIES_FILES
        h = (80 + k * (8 + 6 * n_c)) if by_indicator else (80 + n_c * (10 + 4 * k))
        charts.append(("completion", int(min(4000, max(360, h)))))
    if pm:
        charts.append(("pm", 420))
    row = sum(h // 20 + 2 for _, h in charts)
    placed = 0
    for kind, h in charts:
        if kind == "completion":
            # table: A = indicator, one column per workbook
            t0 = row
            wc.write_string(t0, 0, say(HEAD, "chart_completion", lang), bold)
            for j, lab in enumerate(_chart_labels(comp), start=1):
                wc.write_string(t0, j, lab, bold)
            for i, key in enumerate(comp_keys, start=1):
                wc.write_string(t0 + i, 0, key)
                for j, res in enumerate(comp, start=1):
                    v = res.report.figures["completion"].get(key)
                    if is_number(v):
                        wc.write_number(t0 + i, j, v, pct)
            ch = wb.add_chart({"type": "bar", "subtype": "clustered"})
            if by_indicator:
                for j in range(1, n_c + 1):
                    ch.add_series({"name": ["图表", t0, j], "categories": ["图表", t0 + 1, 0, t0 + k, 0],
                                   "values": ["图表", t0 + 1, j, t0 + k, j]})
            else:
                for i in range(1, k + 1):
                    ch.add_series({"name": ["图表", t0 + i, 0], "categories": ["图表", t0, 1, t0, n_c],
                                   "values": ["图表", t0 + i, 1, t0 + i, n_c]})
            ch.set_x_axis({"num_format": "0%", "min": 0, "major_gridlines": {"visible": True}})
            ch.set_y_axis({"reverse": True})
            row = t0 + k + 2
        else:
            t0 = row
            wc.write_string(t0, 0, say(HEAD, "chart_pm", lang), bold)
            for j, key in enumerate(pm_keys, start=1):
                wc.write_string(t0, j, figure_name(key, lang), bold)
            for i, (lab, res) in enumerate(zip(_chart_labels(pm), pm), start=1):
                wc.write_string(t0 + i, 0, lab)
                for j, key in enumerate(pm_keys, start=1):
                    v = res.report.figures.get(key)
                    if is_number(v):
                        wc.write_number(t0 + i, j, v, num)
            n = len(pm)
            ch = wb.add_chart({"type": "column", "subtype": "clustered"})
            for j in range(1, len(pm_keys) + 1):
                ch.add_series({"name": ["图表", t0, j], "categories": ["图表", t0 + 1, 0, t0 + n, 0],
                               "values": ["图表", t0 + 1, j, t0 + n, j]})
            row = t0 + n + 2
        ch.set_title({"name": say(HEAD, "chart_completion" if kind == "completion" else "chart_pm", lang)})
        ch.set_legend({"position": "bottom"})
        width = 960 if kind == "completion" else int(min(4000, max(720, 120 + len(pm) * 60)))
        ch.set_size({"width": width, "height": h})
        wc.insert_chart(placed, 0, ch)
        placed += h // 20 + 2
    wc.set_column(0, 0, 36)
