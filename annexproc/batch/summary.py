"""summary.xlsx: 汇总 (one row per workbook, key figures, links to the copies), 全部问题 (every finding),
图表 (charts.py). Written with xlsxwriter; text is never taken for a formula, a number or a link. Every
sheet prints on A4 landscape, fitted to the page width, its header row repeated on each page."""
from __future__ import annotations

from ..finding_words import region_text
from ..findings import show
from ..i18n import affected_figures, figure_name
from ..words import area, pick, say
from .charts import write_charts
from .columns import (CROSS_HEADS, FIGURE_COLUMNS, FINDING_HEADS, RATIO_FIGURES, cell_text, completion_keys,
                      finding_cells, is_number, severity_text)


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
        ("warn", {"bg_color": "#FFEB9C", "font_color": "#9C5700"}), ("grey", {"bg_color": "#D9D9D9"}),
        ("bold", {"bold": True}), ("wrap", {"text_wrap": True, "valign": "top"}),
        ("bad_pct", {"bg_color": "#FFC7CE", "font_color": "#9C0006", "num_format": "0.00%"}),
        ("bad_num", {"bg_color": "#FFC7CE", "font_color": "#9C0006", "num_format": "0.##"}))}
    for name, write in (("汇总", _overview), ("全部问题", _all_findings)):
        ws = wb.add_worksheet(name)
        write(ws, results, lang, fmt, comp_keys)
        _printable(ws)
    # 图表: charts where a person would rather look than read
    write_charts(wb, results, comp_keys, lang, fmt)
    cross = wb.add_worksheet(say("columns.cross_sheet", lang))
    _cross_station(cross, results, lang, fmt)
    _printable(cross)
    wb.close()


def _printable(ws) -> None:
    """A4 landscape, one page wide (as many pages down as it takes), the header row on every page."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&C&P / &N")


def _put_text(ws, row: int, col: int, text: str | None, fmt=None) -> None:
    """Text always as a string cell (never a formula nor a link); an empty text leaves a blank cell."""
    if text:
        ws.write_string(row, col, text, fmt)


def _overview(ws, results: list, lang: str, fmt: dict, comp_keys: list[str]) -> None:
    """汇总: one row per workbook — readable or why not, counts, key figures, completion, copy, notes."""
    from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

    pct, num = fmt["pct"], fmt["num"]
    # NB: the completion columns come last and out of the print area: thirty of them fitted to one page
    # width would print nothing legible; on paper they are the 图表 sheet's table, indicators down the page
    cols = (["station", "file", "readable", "reason", "errors", "warnings"] + list(FIGURE_COLUMNS)
            + ["copy", "notes"] + [f"completion:{k}" for k in comp_keys])
    at = {c: i for i, c in enumerate(cols)}
    for i, c in enumerate(cols):
        if c in area("columns"):
            text = say(f"columns.{c}", lang)
        elif c.startswith("completion:"):
            text = say("columns.completion", lang, label=c.split(":", 1)[1])
        else:
            text = figure_name(c, lang)
        ws.write_string(0, i, text, fmt["head"])
    for row, res in enumerate(results, start=1):
        r = res.report
        _put_text(ws, row, at["station"], r.station, fmt["wrap"])
        _put_text(ws, row, at["file"], r.path, fmt["wrap"])
        _put_text(ws, row, at["readable"], say("columns.yes" if r.readable else "columns.no", lang))
        _put_text(ws, row, at["reason"], r.read_error.message(lang) if r.read_error else None, fmt["wrap"])
        if r.readable:
            ws.write_number(row, at["errors"], r.errors)
            ws.write_number(row, at["warnings"], r.warnings)
        figs = r.figures or {}
        affected = affected_figures(r.findings)
        for key in FIGURE_COLUMNS:
            v = figs.get(key)
            ratio = key in RATIO_FIGURES
            if is_number(v):
                ws.write_number(row, at[key], v, (fmt["bad_pct"] if ratio else fmt["bad_num"]) if key in affected
                                else pct if ratio else num)
            elif v is not None:
                _put_text(ws, row, at[key], str(v))
            if key in affected:   # NB: a figure an error changes says so, and what it should be
                f, _, should = affected[key][0]
                ws.write_comment(row, at[key], say("columns.affected", lang, v=show(should, "pct" if ratio else None, lang),
                                                   where=f"{f.sheet}!{region_text(f, lang)}" if f.sheet else f.rule))
        comp = figs.get("completion") if isinstance(figs.get("completion"), dict) else {}
        for k, v in comp.items():
            c = at[f"completion:{k}"]
            if is_number(v):
                ws.write_number(row, c, v, pct)
            elif v is not None:
                _put_text(ws, row, c, str(v))
        if res.copy_name:
            ws.write_url(row, at["copy"], "external:" + res.copy_name, fmt["link"], string=res.copy_name)
        notes = [pick(n, lang) for n in res.notes]
        if notes:
            _put_text(ws, row, at["notes"], say("grammar.semicolon", lang).join(notes), fmt["wrap"])
    last = len(results)
    ws.freeze_panes(1, 2)
    ws.autofilter(0, 0, max(last, 1), len(cols) - 1)
    ws.set_row(0, 45)
    widths = {"station": 18, "file": 26, "readable": 5, "reason": 26, "errors": 5, "warnings": 5, "copy": 20,
              "notes": 26}
    for c, i in at.items():
        ws.set_column(i, i, widths.get(c, 9 if c in FIGURE_COLUMNS else 12))
    ws.print_area(0, 0, max(last, 1), at["notes"])
    # NB: neither xlsxwriter nor a printer grows a row for wrapped text: give each row the lines it needs
    from ..results_sheet import row_height
    wrapped = ("station", "file", "reason", "notes")
    for row, res in enumerate(results, start=1):
        r = res.report
        texts = (r.station, r.path, r.read_error.message(lang) if r.read_error else None,
                 "；".join(pick(n, lang) for n in res.notes))
        ws.set_row(row, row_height(texts, [widths[c] for c in wrapped]))
    ws.set_header("&L" + say("columns.print_note", lang).replace("&", "&&"))
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


def _all_findings(wf, results: list, lang: str, fmt: dict, comp_keys=None) -> None:
    """全部问题: every finding of every file (a file's RD01 when unreadable), with an autofilter."""
    for i, c in enumerate(FINDING_HEADS):
        wf.write_string(0, i, say(f"columns.{c}", lang), fmt["head"])
    row = 0
    for res in results:
        r = res.report
        for f in ([r.read_error] if r.read_error else r.sorted_findings()):
            row += 1
            for col, text in enumerate((r.path, severity_text(f.severity, lang), f.rule, f.sheet,
                                        *finding_cells(f, lang))):
                _put_text(wf, row, col, text)
            _put_text(wf, row, 7, f.message(lang), fmt["wrap"])
            for col, v in ((8, f.expected), (9, f.found)):
                if is_number(v):
                    wf.write_number(row, col, v, fmt["pct"] if f.unit == "pct" else fmt["num"])
                elif v is not None:
                    _put_text(wf, row, col, cell_text(v, f.unit, lang))
    wf.freeze_panes(1, 0)
    wf.autofilter(0, 0, max(row, 1), len(FINDING_HEADS) - 1)
    for i, w in enumerate((30, 8, 6, 10, 10, 18, 10, 70, 10, 10)):
        wf.set_column(i, i, w)
    wf.conditional_format(1, 1, max(row, 1), 1, {"type": "text", "criteria": "containing", "format": fmt["bad"],
                                                   "value": severity_text("error", lang)})


def _cross_station(ws, results: list, lang: str, fmt: dict) -> None:
    """多站同名社工: each worker a station counts on post in months another station counts them too
    (XS05), and the namesakes (XS06), one row per file that names them."""
    for i, c in enumerate(CROSS_HEADS):
        ws.write_string(0, i, say(f"columns.{c}", lang), fmt["head"])
    row = 0
    for res in results:
        r = res.report
        for f in r.sorted_findings():
            if f.rule not in ("XS05", "XS06"):
                continue
            row += 1
            a = dict(f.args)
            months = pick((say("grammar.list", "zh").join(a.get("months") or ()), a.get("months_en")), lang)
            for col, text in enumerate((f.worker, months, severity_text(f.severity, lang), f.rule, r.station, r.path,
                                        f"{f.sheet}!{f.cell}", a.get("other_station"), a.get("other_file"),
                                        f"{a.get('other_sheet')}!{a.get('other_cell')}")):
                _put_text(ws, row, col, text, fmt["bad"] if col == 2 and f.severity == "error" else None)
    if not row:
        _put_text(ws, 1, 0, say("columns.cross_none", lang))
    ws.freeze_panes(1, 1)
    for i, w in enumerate((10, 30, 8, 7, 20, 30, 10, 20, 30, 10)):
        ws.set_column(i, i, w)
