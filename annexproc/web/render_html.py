"""One worksheet as an HTML table in its native layout, flagged cells marked by severity.

Pure: reads a ``workbook.Sheet`` and the findings, returns a string. Every piece of workbook text is
escaped with ``html.escape`` — a cell is the user's input and is never trusted as markup.
Rows and columns are 1-based, as everywhere in annexproc (see ``cells``).
"""
from __future__ import annotations

import datetime as _dt
import html
import math
from typing import Any, Iterable, Mapping

from ..cells import col_letter, from_a1, to_a1
from ..findings import SEVERITY_ORDER
from ..i18n import severity_word
from ..words import say
from ..xlmath import format_places, num_text, xl_round

#: NB: a sheet formatted down to row 100000 must not become a 100 MB page; the findings list still
#: names every cell, the table shows the head of the sheet and says it was cut.
MAX_ROWS = 400
MAX_COLS = 120

def _sev_word(severity: str, lang: str) -> str:
    """A flagged cell's tooltip: '[错误 A101] …'; in English the code's own severity ('[error A101] …')."""
    return severity_word(severity, "zh") if lang != "en" else severity


def display_text(value: Any, number_format: str | None = "General") -> str:
    """A cell value as a spreadsheet shows it: '0.00%' → '219.63%', '0.0' → '1.5', dates as dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)
        places, pct = format_places(number_format)
        comma = "," if number_format and "#,##" in number_format else ""
        if pct:
            p = 2 if places is None else places
            return f"{xl_round(value * 100, p):{comma}.{p}f}%"
        if places is not None:
            return f"{xl_round(value, places):{comma}.{places}f}"
        return num_text(value)
    if isinstance(value, _dt.datetime):
        if value.time() == _dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    return str(value)


def _message(f: Any, lang: str) -> tuple[str, str, str]:
    """(severity, rule, message) of a Finding or of its ``to_dict()`` form."""
    if isinstance(f, Mapping):
        return f.get("severity", "info"), f.get("rule", ""), f.get("message", "")
    return f.severity, f.rule, f.message(lang)


def _anchor(sheet, ref: str) -> tuple[int, int] | None:
    """The top-left cell a finding's reference lands on ('B3', 'B3:D7', or a cell inside a merge)."""
    try:
        r, c = from_a1(ref.split(":")[0])
    except (ValueError, AttributeError):
        return None
    return sheet.top_left(r, c)


def _bounds(sheet, flagged: Iterable[tuple[int, int]]) -> tuple[int, int]:
    """The used range (cells holding something: ``Sheet.max_row/max_col``), merges and flagged cells."""
    max_r, max_c = sheet.max_row or 0, sheet.max_col or 0
    for (r1, c1, r2, c2) in set(sheet.merged_at.values()):
        max_r, max_c = max(max_r, r2), max(max_c, c2)
    for (r, c) in flagged:
        max_r, max_c = max(max_r, r), max(max_c, c)
    return max_r, max_c


def _style_classes(sheet, r: int, c: int) -> list[str]:
    bold, h = sheet.looks.get((r, c), (False, None))
    out = ["b"] if bold else []
    if h in ("center", "centerContinuous"):
        out.append("al-c")
    elif h == "right":
        out.append("al-r")
    elif h == "left":
        out.append("al-l")
    v = sheet.value(r, c)
    if h is None and isinstance(v, (int, float)) and not isinstance(v, bool):
        out.append("al-r")  # NB: as a spreadsheet aligns numbers by default
    return out


def sheet_html(sheet, findings_by_cell: Mapping[str, Iterable[Any]], *, lang: str = "zh",
               max_rows: int = MAX_ROWS, max_cols: int = MAX_COLS) -> str:
    """Render ``sheet`` (a ``workbook.Sheet``) as ``<table class="sheet">``.

    ``findings_by_cell`` maps an A1 reference (as in ``Finding.cell``) to the findings there
    (``Finding`` objects or their ``to_dict()``). A flagged cell gets ``class="flag sev-<worst>"``,
    ``data-cell``, ``data-sev``, ``data-msg`` and ``title`` with the messages, one per line.
    Merged ranges become rowspan/colspan; hidden rows and columns are left out.
    """
    flags: dict[tuple[int, int], list[tuple[str, str, str]]] = {}
    for ref, fs in findings_by_cell.items():
        at = _anchor(sheet, ref) if ref else None
        if at is None:
            continue
        flags.setdefault(at, []).extend(_message(f, lang) for f in fs)

    last_r, last_c = _bounds(sheet, flags)
    cut_r, cut_c = last_r > max_rows, last_c > max_cols
    last_r, last_c = min(last_r, max_rows), min(last_c, max_cols)
    hidden_rows = sheet.hidden_rows
    cols = [c for c in range(1, last_c + 1) if c not in sheet.hidden_cols]
    rows = [r for r in range(1, last_r + 1) if r not in hidden_rows]
    col_set, row_set = set(cols), set(rows)
    esc = html.escape

    out = [f'<table class="sheet" data-sheet="{esc(sheet.name)}"><colgroup><col class="rh">']
    for c in cols:
        width = sheet.widths.get(c) or 8.43
        # NB: widths go in a data attribute the page applies: the CSP forbids inline style attributes
        out.append(f'<col data-w="{round(min(width, 80) * 7 + 5)}">')
    out.append('</colgroup><thead><tr><th class="corner"></th>')
    out.extend(f'<th class="ch">{col_letter(c)}</th>' for c in cols)
    out.append("</tr></thead><tbody>")
    for r in rows:
        out.append(f'<tr><th class="rh">{r}</th>')
        for c in cols:
            box = sheet.merged_at.get((r, c))
            attrs = ""
            if box is not None:
                r1, c1, r2, c2 = box
                if (r, c) != (r1, c1):
                    # NB: a merge whose anchor row/column is hidden or cut still shows once, at its
                    # first visible cell
                    first_r = next((x for x in range(r1, r2 + 1) if x in row_set), None)
                    first_c = next((x for x in range(c1, c2 + 1) if x in col_set), None)
                    if (r, c) != (first_r, first_c):
                        continue
                rs = sum(1 for x in range(r, r2 + 1) if x in row_set)
                cs = sum(1 for x in range(c, c2 + 1) if x in col_set)
                attrs += (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
                vr, vc = r1, c1
            else:
                vr, vc = r, c
            text = display_text(sheet.value(vr, vc), sheet.number_format(vr, vc))
            classes = _style_classes(sheet, vr, vc)
            if box is not None:
                classes.append("m")
            fl = flags.get((vr, vc))
            if fl:
                worst = min((s for s, _, _ in fl), key=lambda s: SEVERITY_ORDER.get(s, 9))
                classes += ["flag", f"sev-{worst}"]
                msg = "\n".join(f"[{_sev_word(s, lang)} {rule}] {m}" for s, rule, m in fl)
                attrs += (f' data-cell="{to_a1(vr, vc)}" data-sev="{worst}" tabindex="0"'
                          f' data-msg="{esc(msg)}" title="{esc(msg)}"')
            else:
                attrs += f' data-cell="{to_a1(vr, vc)}"'
            cls = f' class="{" ".join(classes)}"' if classes else ""
            body = esc(text).replace("\n", "<br>")
            out.append(f"<td{cls}{attrs}>{body}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    if cut_r or cut_c:
        note = say("web.sheet_cut", lang, rows=max_rows, cols=max_cols)
        out.append(f'<p class="cut">{esc(note)}</p>')
    return "".join(out)
