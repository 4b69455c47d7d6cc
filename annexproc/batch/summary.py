"""summary.xlsx: 汇总 (one row per workbook, key figures, links to the copies), 全部问题 (every finding),
图表 (charts.py). Written with xlsxwriter; text is never taken for a formula, a number or a link."""
from __future__ import annotations

from ..i18n import figure_name, say
from .charts import write_charts
from .columns import (CROSS_HEADS, FIGURE_COLUMNS, FINDING_HEADS, HEAD, RATIO_FIGURES, cell_text, completion_keys, is_number,
                      severity_text)


def write_summary(results: list, path: str, lang: str = "zh") -> None:
    """summary.xlsx of the batch's ``FileResult``s, in their order."""
    import xlsxwriter

    comp_keys = completion_keys([r.report for r in results])
    wb = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "strings_to_urls": False,
                                    "strings_to_numbers": False})
    fmt = {name: wb.add_format(props) for name, props in (
        ("head", {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1}),
        ("pct", {"num_format": "0.00%"}), ("num", {"num_format": "0.##"}),
        ("link", {"font_color": "#0563C1", "underline": 1}),
        ("bad", {"bg_color": "#FFC7CE", "font_color": "#9C0006"}),
        ("warn", {"bg_color": "#FFEB9C", "font_color": "#9C5700"}), ("grey", {"bg_color": "#D9D9D9"}))}
    _overview(wb.add_worksheet("汇总"), results, comp_keys, lang, fmt)
    _all_findings(wb.add_worksheet("全部问题"), results, lang, fmt)
    # 图表: charts where a person would rather look than read
    write_charts(wb, results, comp_keys, lang, fmt["pct"], fmt["num"])
    _cross_station(wb.add_worksheet(say(HEAD, "cross_sheet", lang)), results, lang, fmt)
    wb.close()


def _put_text(ws, row: int, col: int, text: str | None, fmt=None) -> None:
    """Text always as a string cell (never a formula nor a link); an empty text leaves a blank cell."""
    if text:
        ws.write_string(row, col, text, fmt)


def _overview(ws, results: list, comp_keys: list[str], lang: str, fmt: dict) -> None:
    """汇总: one row per workbook — readable or why not, counts, key figures, completion, copy, notes."""
    from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

    pct, num = fmt["pct"], fmt["num"]
    cols = (["station", "file", "readable", "reason", "errors", "warnings"] + list(FIGURE_COLUMNS)
            + [f"completion:{k}" for k in comp_keys] + ["copy", "notes"])
    at = {c: i for i, c in enumerate(cols)}
    for i, c in enumerate(cols):
        if c in HEAD:
            text = say(HEAD, c, lang)
        elif c.startswith("completion:"):
            text = say(HEAD, "completion", lang, label=c.split(":", 1)[1])
        else:
            text = figure_name(c, lang)
        ws.write_string(0, i, text, fmt["head"])
    for row, res in enumerate(results, start=1):
        r = res.report
        _put_text(ws, row, at["station"], r.station)
        _put_text(ws, row, at["file"], r.path)
        _put_text(ws, row, at["readable"], say(HEAD, "yes" if r.readable else "no", lang))
        _put_text(ws, row, at["reason"], r.read_error.message(lang) if r.read_error else None)
        if r.readable:
            ws.write_number(row, at["errors"], r.errors)
            ws.write_number(row, at["warnings"], r.warnings)
        figs = r.figures or {}
        for key in FIGURE_COLUMNS:
            v = figs.get(key)
            if is_number(v):
                ws.write_number(row, at[key], v, pct if key in RATIO_FIGURES else num)
            elif v is not None:
                _put_text(ws, row, at[key], str(v))
        comp = figs.get("completion") if isinstance(figs.get("completion"), dict) else {}
        for k, v in comp.items():
            c = at[f"completion:{k}"]
            if is_number(v):
                ws.write_number(row, c, v, pct)
            elif v is not None:
                _put_text(ws, row, c, str(v))
        if res.copy_name:
            ws.write_url(row, at["copy"], "external:" + res.copy_name, fmt["link"], string=res.copy_name)
        notes = [n[1] if lang == "en" else n[0] for n in res.notes]
        if notes:
            _put_text(ws, row, at["notes"], "；".join(notes) if lang != "en" else "; ".join(notes))
    last = len(results)
    ws.freeze_panes(1, 2)
    ws.autofilter(0, 0, max(last, 1), len(cols) - 1)
    ws.set_row(0, 45)
    widths = {"station": 22, "file": 40, "readable": 6, "reason": 40, "errors": 6, "warnings": 6, "copy": 30,
              "notes": 40}
    for c, i in at.items():
        ws.set_column(i, i, widths.get(c, 12))
    if not last:
        return

    def rng(c: str) -> str:
        return f"{xl_rowcol_to_cell(1, at[c])}:{xl_rowcol_to_cell(last, at[c])}"

    def ref(c: str) -> str:  # the first data row's cell, column absolute, row relative
        return f"${xl_col_to_name(at[c])}2"

    bad = fmt["bad"]
    ws.conditional_format(rng("errors"), {"type": "cell", "criteria": ">", "value": 0, "format": bad})
    ws.conditional_format(rng("warnings"), {"type": "cell", "criteria": ">", "value": 0, "format": fmt["warn"]})
    ws.conditional_format(rng("readable"), {"type": "formula", "criteria": f'=LEN({ref("reason")})>0',
                                            "format": fmt["grey"]})
    for have, need in (("total_person_months", "required_person_months"),
                       ("certified_person_months", "required_certified_person_months")):
        ws.conditional_format(rng(have), {"type": "formula", "format": bad, "criteria":
                                          f"=AND(ISNUMBER({ref(have)}),ISNUMBER({ref(need)}),{ref(have)}<{ref(need)})"})
    for k in comp_keys:
        c = f"completion:{k}"
        ws.conditional_format(rng(c), {"type": "formula", "format": bad,
                                       "criteria": f"=AND(ISNUMBER({ref(c)}),{ref(c)}<1)"})


def _all_findings(wf, results: list, lang: str, fmt: dict) -> None:
    """全部问题: every finding of every file (a file's RD01 when unreadable), with an autofilter."""
    for i, c in enumerate(FINDING_HEADS):
        wf.write_string(0, i, say(HEAD, c, lang), fmt["head"])
    row = 0
    for res in results:
        r = res.report
        for f in ([r.read_error] if r.read_error else r.sorted_findings()):
            row += 1
            for col, text in enumerate((r.path, severity_text(f.severity, lang), f.rule, f.sheet, f.cell,
                                        f.message(lang))):
                _put_text(wf, row, col, text)
            for col, v in ((6, f.expected), (7, f.found)):
                if is_number(v):
                    wf.write_number(row, col, v, fmt["pct"] if f.unit == "pct" else fmt["num"])
                elif v is not None:
                    _put_text(wf, row, col, cell_text(v, f.unit, lang))
    wf.freeze_panes(1, 0)
    wf.autofilter(0, 0, max(row, 1), len(FINDING_HEADS) - 1)
    for i, w in enumerate((36, 8, 7, 16, 8, 80, 12, 12)):
        wf.set_column(i, i, w)
    wf.conditional_format(1, 1, max(row, 1), 1, {"type": "text", "criteria": "containing", "format": fmt["bad"],
                                                   "value": severity_text("error", lang)})


def _cross_station(ws, results: list, lang: str, fmt: dict) -> None:
    """多站同名社工: each worker a station counts on post in months another station counts them too
    (XS05), and the namesakes (XS06), one row per file that names them."""
    for i, c in enumerate(CROSS_HEADS):
        ws.write_string(0, i, say(HEAD, c, lang), fmt["head"])
    row = 0
    for res in results:
        r = res.report
        for f in r.sorted_findings():
            if f.rule not in ("XS05", "XS06"):
                continue
            row += 1
            a = dict(f.args)
            months = a.get("months_en") if lang == "en" else "、".join(a.get("months") or ())
            for col, text in enumerate((f.worker, months, severity_text(f.severity, lang), f.rule, r.station, r.path,
                                        f"{f.sheet}!{f.cell}", a.get("other_station"), a.get("other_file"),
                                        f"{a.get('other_sheet')}!{a.get('other_cell')}")):
                _put_text(ws, row, col, text, fmt["bad"] if col == 2 and f.severity == "error" else None)
    if not row:
        _put_text(ws, 1, 0, say(HEAD, "cross_none", lang))
    ws.freeze_panes(1, 1)
    for i, w in enumerate((10, 30, 8, 7, 20, 30, 10, 20, 30, 10)):
        ws.set_column(i, i, w)
