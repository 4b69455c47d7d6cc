"""What makes the official workbook easy to fill and to print: validations, the legend, sheet protection,
row heights that fit wrapped text, and a page setup that splits wide sheets instead of shrinking them.

Used by ``template.py``. Rows and columns are 1-based (``cells``); xlsxwriter's 0-based pairs come from
``cells.zero``.
"""
from __future__ import annotations

import math
import unicodedata

from .cells import to_a1, zero

GREY = "#F2F2F2"
#: No password: a station that must merge 【分段计算】 cells lifts it (审阅 → 撤销工作表保护).
PROTECT = {"format_columns": True, "format_rows": True, "select_locked_cells": True,
           "select_unlocked_cells": True}
TICKS = ["√", "——", "0.5"]           # 人员到位: on post, not employed, a part month
TICKS_PAID = ["√", "——"]             # 社保购买 / 工资发放
LINE_PT, PAD_PT, MIN_PT = 13.5, 4.0, 15.0   # one line of 10 pt 宋体, cell padding, Excel's default row
SCALE = 80                           # print scale (%): 8 pt on paper; wider sheets go on more pages
_PAGE_PT = 842 - 2 * 0.3 * 72        # A4 landscape, 0.3" side margins


def text_px(text: str) -> float:
    """The width of one line of ``text`` in pixels at 10 pt 宋体 (a CJK character 13.3 px, others 6.7)."""
    return sum(13.4 if unicodedata.east_asian_width(ch) in "WF" else 6.7 for ch in text)


def lines(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a cell ``width`` units wide (its own line breaks kept)."""
    room = max(col_px(width) - 6, 14)
    return sum(max(1, math.ceil(text_px(p) / room)) for p in str(text).split("\n"))


def fit_rows(ws, cells: dict[int, list[tuple[str, float]]], floor: dict[int, float] | None = None) -> None:
    """Set each row's height to fit the tallest of its wrapped texts: {row: [(text, width), …]}."""
    for row, items in cells.items():
        n = max((lines(t, w) for t, w in items if t), default=1)
        ws.set_row(row - 1, max(MIN_PT, n * LINE_PT + PAD_PT, (floor or {}).get(row, 0)))


def col_px(width: float, digit: float = 7) -> int:
    """The pixel width of a column ``width`` units wide: Excel's, with Calibri 11's 7-pixel digit; wider
    where Calibri is missing (LibreOffice falls back to a font whose digit is about 9.4 pixels)."""
    return int(width * digit + 5)


WIDE_DIGIT = 9.8     # NB: page breaks are planned for the widest rendering, so no program adds its own


def page_breaks(widths: dict[int, float], groups: list[tuple[int, int]], repeat: tuple[int, int],
                scale: int = SCALE) -> list[int]:
    """0-based columns that start a new printed page, so that no group (an indicator's or a month's
    columns) is cut: ``widths`` {col: width}, ``groups`` [(first, last)], ``repeat`` the columns every
    page repeats."""
    room = _PAGE_PT / (scale / 100) / 0.75
    rep = sum(col_px(widths[c], WIDE_DIGIT) for c in range(repeat[0], repeat[1] + 1))
    used = sum(col_px(widths[c], WIDE_DIGIT) for c in range(1, groups[0][0]))
    breaks = []
    for first, last in groups:
        w = sum(col_px(widths[c], WIDE_DIGIT) for c in range(first, last + 1))
        if used + w > room and used > rep:
            breaks.append(first - 1)
            used = rep
        used += w
    return breaks


def page_setup(ws, title_rows: tuple[int, int], repeat_cols: tuple[int, int] | None = None,
               breaks: list[int] = (), scale: int = SCALE) -> None:
    """A4 landscape at a readable scale; header rows (and name columns) repeated on every page; pages
    ordered left to right first, as a wide table is read."""
    ws.set_paper(9)
    ws.set_landscape()
    ws.set_print_scale(scale)
    ws.repeat_rows(title_rows[0] - 1, title_rows[1] - 1)
    if repeat_cols:
        ws.repeat_columns(repeat_cols[0] - 1, repeat_cols[1] - 1)
    if breaks:
        ws.set_v_pagebreaks(list(breaks))
    ws.print_across()
    ws.set_margins(left=0.3, right=0.3, top=0.5, bottom=0.5)


def legend(ws, fm, col: int, last: int, widths: dict[int, float], extra: str = "") -> None:
    """Row 1: grey = calculated, white = to fill: two sample cells at ``col`` and ``col + 1``, the words
    after them up to ``last`` (kept on the first printed page), the row as tall as they wrap."""
    text = "← 灰色格由公式自动计算（已锁定）；白色格请填写。工作表已保护，无密码。" + extra
    ws.write(*zero(1, col), "灰色", fm.derived)
    ws.write(*zero(1, col + 1), "白色", fm.cell)
    ws.merge_range(*zero(1, col + 2), *zero(1, last), text, fm.note)
    fit_rows(ws, {1: [(text, sum(widths.get(c, 8.43) for c in range(col + 2, last + 1)))]})


def protect(ws) -> None:
    ws.protect("", PROTECT)


def whole(ws, r1: int, c1: int, r2: int, c2: int, what: str, slash: bool = False, decimal: bool = False) -> None:
    """Count cells: a whole number (a decimal where hours or halves are counted), '/' where the indicator
    does not exist; anything else ('1965次') is refused as it is typed."""
    ref = to_a1(r1, c1)
    unit = "数字" if decimal else "整数"
    if slash or decimal:
        # NB: IF, not OR/AND: INT('/') is #VALUE!, and an error anywhere in OR makes every '/' invalid
        test = f"{ref}>=0" if decimal else f"AND({ref}>=0,{ref}=INT({ref}))"
        opts = {"validate": "custom", "value": f'=IF(ISNUMBER({ref}),{test},{ref}="/")' if slash
                else f"=IF(ISNUMBER({ref}),{test},FALSE)"}
    else:
        opts = {"validate": "integer", "criteria": ">=", "value": 0}
    ws.data_validation(*zero(r1, c1), *zero(r2, c2), {
        **opts, "error_type": "stop", "error_title": f"{what}应填{unit}",
        "error_message": f"请只填{unit}，不要带“次”“人”等单位（如 1965，而不是“1965次”）"
                         + ("；本领域无此指标时填“/”。" if slash else "。"),
        "input_title": what, "input_message": f"填{unit}" + ("；无此指标填“/”" if slash else "")})


def ticks(ws, ranges: list[tuple[int, int, int, int]], paid: bool) -> None:
    """A dropdown on tick cells: √ / —— (/ 0.5 for 人员到位) in every range (r1, c1, r2, c2)."""
    first = ranges[0]
    multi = " ".join(f"{to_a1(r1, c1)}:{to_a1(r2, c2)}" for r1, c1, r2, c2 in ranges)
    ws.data_validation(*zero(first[0], first[1]), *zero(first[2], first[3]), {
        "validate": "list", "source": TICKS_PAID if paid else TICKS, "multi_range": multi,
        "error_type": "stop" if paid else "warning",
        "input_title": "社保购买 / 工资发放" if paid else "人员到位",
        "input_message": ("从下拉列表选择：√ 已购买/已发放；—— 未入职或已离职" if paid else
                          "从下拉列表选择：√ 到位；—— 未入职或已离职；0.5 入职或离职当月不足半月"),
        "error_title": "请从下拉列表选择",
        "error_message": ("此格只接受 √ 或 ——。" if paid else
                          "此格应为 √、—— 或 0 到 1 之间的数字（如 0.5）；“✓”等符号不会被公式计入。")})

