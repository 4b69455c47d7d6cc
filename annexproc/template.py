"""Writing the official workbook from the spec with xlsxwriter: blank templates and filled samples.

``plan_*`` decide where everything sits (the planned layouts of annexproc.layout); ``write_workbook``
writes the sheets with merged two-level headers, the documented comments, a formula with its cached
value in every derived cell (from ``layout.*_calcs`` and ``formulas.evaluate_all``), number formats,
frozen panes, and what ``template_aids`` adds: dropdowns and number validation on input cells, a
legend, protected sheets with unlocked inputs, fitted row heights and a print split across pages.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from . import template_aids as aids
from .cells import col_letter, zero
from .formulas import evaluate_all
from .layout import (PCT_FORMAT, DistrictBlockLayout, MeasureCols, SectionLayout, StaffingLayout,
                     TargetCells, TargetLayout, district_calcs, staffing_calcs, target_calcs)
from .params import Params
from .spec import ANNEX1_1, ANNEX1_2, ANNEX2

AUTHOR = "annexproc"
TEMPLATE_AUTHOR = "模板"   # NB: the documented 批注 came from the template's authors, not the station


@dataclass
class Worker:
    """One row of 附件2 as filled in. ``months`` per month: '√' (all three ticked), '——', a number
    such as 0.5 (a partial month, 社保/工资 ticked), 'seg' (covered by a 【分段计算】 merge), or an
    explicit (人员到位, 社保购买, 工资发放) triple."""
    section: str
    seq: str
    name: str
    position: str = ""
    qualification: str = ""
    contract: str = ""
    months: list[Any] = field(default_factory=list)
    two_year: float | None = None
    remarks: str = ""


@dataclass
class Activity:
    """One row of the activity ledger (活动台账). ``date`` is a ``datetime.date`` (written as a date
    cell) or text as a station types it ('2024年6月1日'); ``people`` a number or text."""
    date: Any
    name: str
    type: str
    district: str = ""
    people: Any = None
    remarks: str = ""
    seq: Any = None           # 序号; None: the row's number in the ledger


@dataclass
class FillData:
    """What a station typed in: every input cell of the annexes (a blank template has none)."""
    staff: dict[str, float] = field(default_factory=dict)                    # district → 投入社工人数
    values: dict[tuple[str, str], tuple[Any, Any]] = field(default_factory=dict)  # (measure key, district) → (协议, 完成量)
    targets: dict[str, tuple[Any, Any]] = field(default_factory=dict)        # target key → (指标要求, 完成量)
    sentence: str = ""
    workers: list[Worker] = field(default_factory=list)
    stable_workers: float | None = None
    comments: dict[str, str] = field(default_factory=dict)   # anchor → the station's own 批注 text
    comment_author: str = "station"
    ledger: list[Activity] = field(default_factory=list)      # 活动台账 rows (none: a blank ledger)


# -- planning -------------------------------------------------------------------------------------

def plan_annex1_1(params: Params, first_row: int = 3) -> tuple[list[DistrictBlockLayout], TargetLayout, int]:
    """Blocks 1 and 2 then block 3; returns their layouts and the last column used."""
    blocks, row, width = [], first_row, 2
    for spec in ANNEX1_1.blocks:
        lay = DistrictBlockLayout(spec, ANNEX1_1.sheet_name, row, row + 1, 1, 2,
                                  [(d, row + 2 + i) for i, d in enumerate(params.districts)],
                                  row + 2 + len(params.districts))
        col = 3
        for ind in spec.indicators:
            for m in ind.measures:
                lay.measures.append(MeasureCols(m, ind.title.text, col, col + 1, col + 2))
                col += 3
        width = max(width, col - 1)
        blocks.append(lay)
        row = lay.total_row + 2
    tb = ANNEX1_1.target_block
    targets = TargetLayout(ANNEX1_1.sheet_name, sentence=(row + 2, 1))
    for g, group in enumerate(tb.groups):
        items = [t for t in tb.targets if t.group == group]
        for i, t in enumerate(items):
            c = 1 + 4 * g
            targets.items.append(TargetCells(t, row + 3 + i, c, c + 1, c + 2, c + 3))
    return blocks, targets, max(width, 4 * len(tb.groups))


def plan_annex1_2() -> TargetLayout:
    lay = TargetLayout(ANNEX1_2.sheet_name)
    for i, t in enumerate(ANNEX1_2.targets):
        c = 1 + 3 * i
        lay.items.append(TargetCells(t, 5, None, c, c + 1, c + 2, title_row=3))
    return lay


def plan_annex2(params: Params, workers: list[Worker], blank_rows: int = 20) -> StaffingLayout:
    from .layout import WorkerRow
    months = params.month_list()
    lead_names = [h.text for h in ANNEX2.lead_columns]
    lead = {name: i + 1 for i, name in enumerate(lead_names)}
    first = len(lead_names) + 1
    month_cols = [(first + 3 * i, first + 3 * i + 1, first + 3 * i + 2) for i in range(len(months))]
    total_col = first + 3 * len(months)
    g = StaffingLayout(ANNEX2.sheet_name, 3, 4, months, month_cols, lead, total_col, total_col + 1,
                       total_col + 2)
    row = 5
    seq = 1
    for key, _hdr in ANNEX2.sections:
        sec = SectionLayout(key)
        rows = [w for w in workers if w.section == key]
        if not workers:
            rows = [Worker(key, str(seq + i), "") for i in range(blank_rows)]
            seq += blank_rows
        for w in rows:
            same = w.seq[1:] if w.seq.startswith(ANNEX2.same_as_prefix) else None
            sec.workers.append(WorkerRow(row, key, w.seq, w.name, w.position, w.qualification, w.contract,
                                         w.remarks, same))
            row += 1
        sec.subtotal_row, sec.effective_row = row, row + 1
        row += 2
        g.sections[key] = sec
    g.grand_row, g.effective_total_row = row, row + 1
    g.stable_cell = (row + 2, month_cols[0][0])
    return g


# -- writing --------------------------------------------------------------------------------------

class _Formats:
    def __init__(self, wb):
        base = {"font_name": "宋体", "font_size": 10, "border": 1, "align": "center", "valign": "vcenter",
                "text_wrap": True}
        self.cell = wb.add_format(base)
        self.left = wb.add_format({**base, "align": "left"})
        # NB: input cells are the only unlocked ones: the sheets are protected (template_aids.protect)
        self.inp = wb.add_format({**base, "locked": False})
        self.inp_left = wb.add_format({**base, "align": "left", "locked": False})
        self.note = wb.add_format({"font_name": "宋体", "font_size": 9, "font_color": "#404040", "align": "left",
                                   "valign": "vcenter", "text_wrap": True})
        self.head = wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7"})
        self.pct = wb.add_format({**base, "num_format": PCT_FORMAT})
        self.num = wb.add_format({**base, "num_format": "General"})
        self.title = wb.add_format({"font_name": "宋体", "font_size": 16, "bold": True, "align": "center",
                                    "valign": "vcenter"})
        self.label = wb.add_format({"font_name": "宋体", "font_size": 11, "bold": True})
        self.derived = wb.add_format({**base, "bg_color": aids.GREY})
        self.derived_pct = wb.add_format({**base, "bg_color": aids.GREY, "num_format": PCT_FORMAT})


def _merge(ws, r1, c1, r2, c2, value, fmt):
    if (r1, c1) == (r2, c2):
        ws.write(*zero(r1, c1), value, fmt)
    else:
        ws.merge_range(*zero(r1, c1), *zero(r2, c2), value, fmt)


def _comment(ws, row, col, text, author, big=False):
    ws.write_comment(*zero(row, col), text, {"author": author, "x_scale": 3 if big else 2,
                                             "y_scale": 4 if big else 2})


def _write_calcs(ws, calcs, values, fm, skip=()):
    """Every derived cell: its official formula and the value it gives (xlsxwriter caches it)."""
    for c in calcs:
        if c.pos in skip:
            continue
        v = values[c.pos]
        fmt = fm.derived_pct if c.number_format == PCT_FORMAT else fm.derived
        ws.write_formula(*zero(*c.pos), c.formula(), fmt, v if v is not None else "")


def _input(ws, row, col, value, fm, left=False):
    """An input cell (unlocked): a number, a text, or truly empty (no empty string)."""
    fmt = fm.inp_left if left else fm.inp
    if value is None or value == "":
        ws.write_blank(*zero(row, col), None, fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(*zero(row, col), value, fmt)
    else:
        ws.write_string(*zero(row, col), str(value), fmt)


def _getter(cells: dict):
    return lambda p: cells.get(p)


SENTENCE_HINT = ("请用一句话写明所在街道/镇户籍人口（万人）；评估末月困难群众和特殊群体的建档户数、建档人数；"
                 "评估期内入户探访的人次、服务人数；通过社工专业服务服务社区居民的人次（均填数字）。")
STAFF_PROMPT = "该片区的社工人数；一名社工在两个片区各计 0.5 人"


def _write_annex1_1(wb, fm, params: Params, data: FillData):
    ws = wb.add_worksheet(ANNEX1_1.sheet_name)
    blocks, targets, width = plan_annex1_1(params)
    widths = {1: 12, **{c: 8.5 for c in range(2, width + 1)}}
    # NB: a page may only start where it cuts no indicator of any block (nor a group of block 3)
    starts = set(range(3, width + 1))
    for lay in blocks:
        starts &= {min(m.agree for m in lay.measures if m.indicator == ind.title.text)
                   for ind in lay.spec.indicators} | set(range(lay.measures[-1].pct + 1, width + 1))
    n3 = len(ANNEX1_1.target_block.groups)
    starts &= {1 + 4 * g for g in range(n3)} | set(range(4 * n3 + 1, width + 1))
    starts = sorted(starts)
    breaks = aids.page_breaks(widths, list(zip(starts, [s - 1 for s in starts[1:]] + [width])), (1, 2))
    ws.write(0, 0, ANNEX1_1.sheet_name, fm.label)
    aids.legend(ws, fm, 3, breaks[0] if breaks else width, widths)
    # NB: the title centred over the first printed page, not over every column (it would be cut in two),
    # and right of the columns every page repeats (which would show its first characters again)
    _merge(ws, 2, 3, 2, breaks[0] if breaks else width,
           ANNEX1_1.title_template.format(station=_short(params.station)), fm.title)
    ws.set_row(1, 30)
    heights: dict[int, list] = {}
    cells: dict[tuple[int, int], Any] = {}
    for lay in blocks:
        spec = lay.spec
        h, leaf = lay.header_row, lay.leaf_row
        _merge(ws, h, 1, leaf, 1, spec.district_header.text, fm.head)
        _merge(ws, h, 2, leaf, 2, spec.staff_header.text, fm.head)
        _comment(ws, h, 1, spec.district_comment, TEMPLATE_AUTHOR)
        _comment(ws, h, 2, spec.staff_comment, TEMPLATE_AUTHOR, big=True)
        for ind in spec.indicators:
            cols = [m for m in lay.measures if m.indicator == ind.title.text]
            _merge(ws, h, cols[0].agree, h, cols[-1].pct, ind.title.text, fm.head)
            heights.setdefault(h, []).append((ind.title.text, widths[2] * 3 * len(cols)))
            if ind.comment:
                _comment(ws, h, cols[0].agree, ind.comment, TEMPLATE_AUTHOR)
            for m in cols:
                for col, hdr in ((m.agree, m.measure.agree), (m.done, m.measure.done), (m.pct, m.measure.pct)):
                    ws.write(*zero(leaf, col), hdr.text, fm.head)
                    heights.setdefault(leaf, []).append((hdr.text, widths[col]))
        first = lay.measures[0]
        _comment(ws, leaf, first.agree, ANNEX1_1.agree_comment, TEMPLATE_AUTHOR)
        _comment(ws, leaf, first.pct, ANNEX1_1.pct_comment, TEMPLATE_AUTHOR)
        for name, row in lay.districts:
            _input(ws, row, 1, name, fm)
            staff = data.staff.get(name)
            _input(ws, row, 2, staff, fm)
            cells[(row, 2)] = staff
            key = f"staff:{spec.key}:{name}"
            if key in data.comments:
                _comment(ws, row, 2, data.comments[key], data.comment_author, big=True)
            for m in lay.measures:
                ind_agrees = next(i for i in spec.indicators if i.title.text == m.indicator).agreement
                agree, done = data.values.get((m.measure.key, name), (None if ind_agrees else "/", None))
                _input(ws, row, m.agree, agree, fm)
                _input(ws, row, m.done, done, fm)
                cells[(row, m.agree)], cells[(row, m.done)] = agree, done
        ws.write(*zero(lay.total_row, 1), ANNEX1_1.total_label.text, fm.head)
        calcs = district_calcs(lay)
        _write_calcs(ws, calcs, evaluate_all(calcs, _getter(cells)), fm)
        r1, r2 = lay.districts[0][1], lay.districts[-1][1]
        ws.data_validation(*zero(r1, 2), *zero(r2, 2), {
            "validate": "custom", "value": f"=IF(ISNUMBER(B{r1}),AND(B{r1}>=0,MOD(B{r1}*2,1)=0),FALSE)",
            "error_type": "stop", "error_title": "投入社工人数应为整数或 0.5", "input_title": "投入社工人数",
            "input_message": STAFF_PROMPT, "error_message": f"请只填数字：{STAFF_PROMPT}。"})
        for m in lay.measures:
            aids.whole(ws, r1, m.agree, r2, m.agree, m.measure.agree.text, slash=True)
            aids.whole(ws, r1, m.done, r2, m.done, m.measure.done.text)
    # block 3
    tb = ANNEX1_1.target_block
    srow, _ = targets.sentence
    gh, leaf = srow - 2, srow - 1
    for g, group in enumerate(tb.groups):
        c = 1 + 4 * g
        _merge(ws, gh, c, gh, c + 3, group, fm.head)
        for i, hdr in enumerate((tb.content_header, tb.target_header, tb.done_header, tb.pct_header)):
            ws.write(*zero(leaf, c + i), hdr.text, fm.head)
    # NB: the sentence (and its hint) end where the first printed page ends, so no page cuts them
    s_end = min(4 * len(tb.groups), breaks[0] if breaks else width)
    _merge(ws, srow, 1, srow, s_end, data.sentence or None, fm.inp_left)
    for c in range(s_end + 1, 4 * len(tb.groups) + 1):
        ws.write_blank(*zero(srow, c), None, fm.cell)
    ws.data_validation(*zero(srow, 1), *zero(srow, 1), {
        "validate": "any", "input_title": "说明句", "input_message": SENTENCE_HINT[:255]})
    ws.set_row(srow - 1, 60)
    if "sentence" in data.comments:
        _comment(ws, srow, 1, data.comments["sentence"], data.comment_author, big=True)
    nrows = max(t.row for t in targets.items)
    for it in targets.items:
        ws.write(*zero(it.row, it.title_col), it.target.title.text, fm.left)
        heights.setdefault(it.row, []).append((it.target.title.text, widths[it.title_col]))
        target, done = data.targets.get(it.target.key, (None, None))
        _input(ws, it.row, it.target_col, target, fm)
        _input(ws, it.row, it.done_col, done, fm)
        cells[(it.row, it.target_col)], cells[(it.row, it.done_col)] = target, done
        aids.whole(ws, it.row, it.target_col, it.row, it.target_col, tb.target_header.text, slash=True)
        aids.whole(ws, it.row, it.done_col, it.row, it.done_col, tb.done_header.text)
    for g in range(len(tb.groups)):  # the unused cells of each group keep the table's borders
        for r in range(targets.items[0].row, nrows + 1):
            for c in range(1 + 4 * g, 5 + 4 * g):
                if not any(it.row == r and c in (it.title_col, it.target_col, it.done_col, it.pct_col)
                           for it in targets.items):
                    ws.write_blank(*zero(r, c), None, fm.cell)
    calcs = target_calcs(targets)
    _write_calcs(ws, calcs, evaluate_all(calcs, _getter(cells)), fm)
    hint = f"↑ 第 {srow} 行说明句：{SENTENCE_HINT}"
    _merge(ws, nrows + 1, 1, nrows + 1, s_end, hint, fm.note)
    heights[nrows + 1] = [(hint, sum(widths[c] for c in range(1, s_end + 1)))]
    ws.set_column(0, 0, widths[1])
    ws.set_column(1, width - 1, widths[2])
    ws.freeze_panes(*zero(blocks[0].leaf_row + 1, 3))
    aids.fit_rows(ws, heights)
    aids.page_setup(ws, (blocks[0].header_row, blocks[0].leaf_row), (1, 2), breaks)
    aids.protect(ws)
    return blocks, targets


ANNEX1_2_DECIMAL = {"training_hours"}    # hours: 1419.5 is a real completion


def _write_annex1_2(wb, fm, params: Params, data: FillData):
    ws = wb.add_worksheet(ANNEX1_2.sheet_name)
    lay = plan_annex1_2()
    last = lay.items[-1].pct_col
    ws.write(0, 0, ANNEX1_2.sheet_name, fm.label)
    aids.legend(ws, fm, 2, last, {c: 8 for c in range(1, last + 1)})
    _merge(ws, 2, 1, 2, last, ANNEX1_2.title_template.format(station=_short(params.station)), fm.title)
    ws.set_row(1, 30)
    cells = {}
    for it in lay.items:
        _merge(ws, it.title_row, it.target_col, it.title_row, it.pct_col, it.target.title.text, fm.head)
        for col, hdr in ((it.target_col, ANNEX1_2.target_header), (it.done_col, ANNEX1_2.done_header),
                         (it.pct_col, ANNEX1_2.pct_header)):
            ws.write(*zero(it.row - 1, col), hdr.text, fm.head)
        target, done = data.targets.get(it.target.key, (None, None))
        _input(ws, it.row, it.target_col, target, fm)
        _input(ws, it.row, it.done_col, done, fm)
        cells[(it.row, it.target_col)], cells[(it.row, it.done_col)] = target, done
        dec = it.target.key in ANNEX1_2_DECIMAL
        aids.whole(ws, it.row, it.target_col, it.row, it.target_col, ANNEX1_2.target_header.text, slash=True,
                   decimal=dec)
        aids.whole(ws, it.row, it.done_col, it.row, it.done_col, ANNEX1_2.done_header.text, decimal=dec)
        key = f"target:{it.target.key}"
        if key in data.comments:
            _comment(ws, it.title_row, it.target_col, data.comments[key], data.comment_author, big=True)
    calcs = target_calcs(lay)
    _write_calcs(ws, calcs, evaluate_all(calcs, _getter(cells)), fm)
    ws.set_column(0, last - 1, 8)
    ws.set_row(lay.items[0].row - 1, 20)
    aids.page_setup(ws, (3, 4), None, aids.page_breaks({c: 8 for c in range(1, last + 1)},
                                                       [(it.target_col, it.pct_col) for it in lay.items], (1, 0)))
    aids.protect(ws)
    return lay


TWO_YEAR_PROMPT = ("本行中社工从业满2年的月份的到岗人次（入职当月可为 0.5），不超过本行人员到岗小计。"
                   "从业年限按社工的全部从业经历计算，不只看本合同。")
STABLE_INPUTS = (
    ("持续在岗社工数（人）", "评估期内每个月都在岗的社工人数：入职当月计 0.5 者、休产假者也计入；"
                         "中途取证、分持证和非持证两行的社工只计 1 人。"),
    ("协议要求在岗社工数（人）", "按年度服务协议填写，如 20（稳岗率 = 持续在岗社工数 ÷ 此数）。"),
)


def stable_inputs(g: StaffingLayout) -> tuple[tuple[int, int], tuple[int, int]]:
    """The two labelled input cells under the 稳岗率 (持续在岗社工数, 协议要求在岗社工数) of a planned 附件2."""
    row, col = g.stable_cell
    return (row + 1, col), (row + 2, col)


def _write_annex2(wb, fm, params: Params, data: FillData, blank_rows: int):
    ws = wb.add_worksheet(ANNEX2.sheet_name)
    g = plan_annex2(params, data.workers, blank_rows)
    last = g.remarks_col
    ws.write(0, 0, ANNEX2.sheet_name, fm.label)
    start, end = params.agreement()
    widths = {1: 7, 2: 5, 3: 11, 4: 11, 5: 14, 6: 14, g.total_col: 8, g.two_year_col: 8, g.remarks_col: 24,
              **{c: 4.5 for cols in g.month_cols for c in cols}}
    breaks = aids.page_breaks(widths, [(p, x) for p, _, x in g.month_cols] + [(g.total_col, g.remarks_col)], (1, 3))
    aids.legend(ws, fm, 4, breaks[0] if breaks else last, widths,
                "需要合并“【分段计算】”单元格时，可先撤销保护（审阅 → 撤销工作表保护）。")
    ws.set_row(1, 30)
    _merge(ws, 2, 1, 2, breaks[0] if breaks else last,
           ANNEX2.agreement_template.format(start=_cn_date(start), end=_cn_date(end)), fm.title)
    h, sub = g.header_row, g.sub_row
    for hdr in ANNEX2.lead_columns:
        c = g.lead[hdr.text]
        _merge(ws, h, c, sub, c, hdr.text, fm.head)
    for (y, m), cols in zip(g.months, g.month_cols):
        _merge(ws, h, cols[0], h, cols[2], ANNEX2.month_header.format(y=y, m=m), fm.head)
        for c, hdr in zip(cols, ANNEX2.sub_columns):
            ws.write(*zero(sub, c), hdr.text, fm.head)
    for c, hdr in ((g.total_col, ANNEX2.row_total), (g.two_year_col, ANNEX2.two_year), (g.remarks_col, ANNEX2.remarks)):
        _merge(ws, h, c, sub, c, hdr.text, fm.head)
    heights: dict[int, list] = {sub: [(hdr.text, 4.5) for hdr in ANNEX2.sub_columns]}
    heights[sub] += [(ANNEX2.two_year.text, 8)]
    cells: dict[tuple[int, int], Any] = {}
    # NB: plan_annex2 lays the workers out section by section: pair them with their sources in that order
    in_plan_order = [w for key, _ in ANNEX2.sections for w in data.workers if w.section == key]
    by_row = {w.row: src for w, src in zip(g.all_workers(), in_plan_order)}
    for key, hdr in ANNEX2.sections:
        sec = g.sections[key]
        rows = [w.row for w in sec.workers]
        _merge(ws, rows[0], 1, rows[-1], 1, hdr.text, fm.head)
        other = "非持证社工" if key == "certified" else "持证社工"
        for wr in sec.workers:
            src = by_row.get(wr.row)
            seq = int(wr.seq) if wr.seq.isdigit() else wr.seq        # NB: a 序号 is a number; '同14' is text
            for name, val in (("序号", seq), ("姓名", wr.name), ("职位", wr.position),
                              ("岗位资格证/资质", wr.qualification), ("合同期限", wr.contract)):
                _input(ws, wr.row, g.lead[name], val, fm)
                if isinstance(val, str) and val:
                    heights.setdefault(wr.row, []).append((val, widths[g.lead[name]]))
            states = src.months if src else [None] * len(g.months)
            i = 0
            while i < len(g.month_cols):
                st = states[i] if i < len(states) else None
                p, s, x = g.month_cols[i]
                if st == "seg":
                    j = i
                    while j + 1 < len(states) and states[j + 1] == "seg":
                        j += 1
                    _merge(ws, wr.row, p, wr.row, g.month_cols[j][2], f"{ANNEX2.segment_prefix}{other}", fm.inp)
                    i = j + 1
                    continue
                if isinstance(st, tuple):
                    triple = st
                elif st in ("√", "——"):
                    triple = (st, st, st)
                elif isinstance(st, (int, float)):
                    triple = (st, "√", "√")
                else:
                    triple = (None, None, None)
                for c, v in zip((p, s, x), triple):
                    _input(ws, wr.row, c, v, fm)
                    cells[(wr.row, c)] = v
                i += 1
            two = src.two_year if src else None
            _input(ws, wr.row, g.two_year_col, two, fm)
            cells[(wr.row, g.two_year_col)] = two
            _input(ws, wr.row, g.remarks_col, wr.remarks, fm, left=True)
            if wr.remarks:
                heights.setdefault(wr.row, []).append((wr.remarks, widths[g.remarks_col]))
        _merge(ws, sec.subtotal_row, 1, sec.subtotal_row, len(g.lead), ANNEX2.subtotal.text, fm.head)
        _merge(ws, sec.effective_row, 1, sec.effective_row, len(g.lead), ANNEX2.effective[key].text, fm.head)
        for p, s, x in g.month_cols:  # the 有效人次小计 value spans its month's three columns
            ws.merge_range(*zero(sec.effective_row, p), *zero(sec.effective_row, x), "", fm.cell)
        for c in (g.two_year_col, g.remarks_col):
            ws.write_blank(*zero(sec.effective_row, c), None, fm.cell)
        ws.write_blank(*zero(sec.subtotal_row, g.remarks_col), None, fm.cell)
    r = g.grand_row
    srow = g.stable_cell[0]
    p1, _, x1 = g.month_cols[0]
    _merge(ws, r, 1, srow + len(STABLE_INPUTS), 1, ANNEX2.grand_total_label.text, fm.head)
    for row, hdr in zip((r, g.effective_total_row, srow), ANNEX2.grand_rows):
        _merge(ws, row, 2, row, len(g.lead), hdr.text, fm.head)
        heights[row] = [(hdr.text, sum(widths[c] for c in range(2, len(g.lead) + 1)))]
    for p, s, x in g.month_cols:
        ws.merge_range(*zero(g.effective_total_row, p), *zero(g.effective_total_row, x), "", fm.cell)
    # 稳岗率: the rate over the first month's columns; below it its two labelled inputs, each with a note
    note_end = min([b for b in breaks] + [g.remarks_col])      # NB: the notes stay on the first printed page
    note_start = g.month_cols[1][0] if len(g.month_cols) > 1 else g.total_col
    inputs = stable_inputs(g)
    for (row, _), (label, note), value in zip(inputs, STABLE_INPUTS, (data.stable_workers, params.agreed_headcount)):
        _merge(ws, row, 2, row, len(g.lead), label, fm.head)
        _merge(ws, row, p1, row, x1, value, fm.inp)
        cells[(row, p1)] = value
        _merge(ws, row, note_start, row, max(note_start, note_end), note, fm.note)
        ws.data_validation(*zero(row, p1), *zero(row, p1), {
            "validate": "decimal", "criteria": ">=", "value": 0, "error_type": "stop", "input_title": label,
            "input_message": note[:255], "error_title": "请填人数", "error_message": "请只填数字（人数）。"})
        heights[row] = [(note, sum(widths[c] for c in range(note_start, max(note_start, note_end) + 1)))]
    ws.merge_range(*zero(*g.stable_cell), *zero(srow, x1), "", fm.cell)
    if x1 < g.remarks_col:
        ws.merge_range(*zero(srow, x1 + 1), *zero(srow, g.remarks_col), "", fm.cell)
    calcs = staffing_calcs(g, inputs)
    values = evaluate_all(calcs, _getter(cells))
    _write_calcs(ws, calcs, values, fm)
    _grid_validation(ws, g)
    for c, w in widths.items():
        ws.set_column(c - 1, c - 1, w)
    ws.freeze_panes(*zero(sub + 1, len(g.lead) + 1))
    aids.fit_rows(ws, heights)
    aids.page_setup(ws, (h, sub), (1, 3), breaks)
    aids.protect(ws)
    return g, values


def _grid_validation(ws, g) -> None:
    """Dropdowns on the tick cells, a number check with a prompt on the 2-year column, per section."""
    spans = [(s.workers[0].row, s.workers[-1].row) for s in g.sections.values() if s.workers]
    for k, paid in ((0, False), (1, True)):
        ranges = [(r1, cols[k], r2, cols[k]) for r1, r2 in spans for cols in g.month_cols]
        if paid:
            ranges += [(r1, cols[2], r2, cols[2]) for r1, r2 in spans for cols in g.month_cols]
        aids.ticks(ws, ranges, paid)
    for r1, r2 in spans:
        ws.data_validation(*zero(r1, g.two_year_col), *zero(r2, g.two_year_col), {
            "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": len(g.months),
            "error_type": "warning", "input_title": "从业2年以上的到岗人次", "input_message": TWO_YEAR_PROMPT,
            "error_title": "超出范围", "error_message": f"应为 0 到 {len(g.months)} 之间的人次。"})


LEDGER_WIDTHS = (6, 11, 30, 13, 9, 9, 20)
LEDGER_BLANK_ROWS = 200   # rows a blank ledger offers (a filled one: its rows and 50 more, at least this)


def _write_ledger(wb, fm, params: Params, data: FillData):
    """活动台账: one row per activity, validation lists for 活动类型 and 片区, and beside it a count
    table per type × district (COUNTIFS of the rows, SUMIFS of 服务人次) so a station sees its totals
    as it fills the ledger in. Written after the annexes, with formats of its own created here, so
    that the other sheets' bytes do not change."""
    import datetime as _dt

    from .ledger import COLUMNS, SHEET_NAME, ledger_types
    ws = wb.add_worksheet(SHEET_NAME)
    types = ledger_types()
    districts = list(params.districts)
    months = params.month_list()
    first = _dt.date(*months[0], 1)
    y, m = months[-1]
    last = _dt.date(y + (m == 12), m % 12 + 1, 1) - _dt.timedelta(days=1)
    date_fmt = wb.add_format({"font_name": "宋体", "font_size": 10, "border": 1, "align": "center",
                              "valign": "vcenter", "num_format": "yyyy/m/d", "locked": False})
    ncols = len(COLUMNS)
    ws.write(0, 0, SHEET_NAME, fm.label)
    aids.legend(ws, fm, 2, ncols, dict(zip(range(1, ncols + 1), LEDGER_WIDTHS)))
    _merge(ws, 2, 1, 2, ncols, f"{params.station}活动台账（评估期 {first.year}年{first.month}月至"
                               f"{last.year}年{last.month}月）", fm.title)
    ws.set_row(1, 30)
    head = 3
    for c, hdr in enumerate(COLUMNS, start=1):
        ws.write(*zero(head, c), hdr.text, fm.head)
    top = head + 1
    nrows = max(LEDGER_BLANK_ROWS, len(data.ledger) + 50)
    bottom = top + nrows - 1
    for i in range(nrows):
        r = top + i
        a = data.ledger[i] if i < len(data.ledger) else None
        if a is None:
            for c in range(1, ncols + 1):
                ws.write_blank(*zero(r, c), None, date_fmt if c == 2 else fm.inp_left if c in (3, 7) else fm.inp)
            continue
        _input(ws, r, 1, a.seq if a.seq is not None else i + 1, fm)
        if isinstance(a.date, (_dt.date, _dt.datetime)):
            d = a.date if isinstance(a.date, _dt.datetime) else _dt.datetime(a.date.year, a.date.month, a.date.day)
            ws.write_datetime(*zero(r, 2), d, date_fmt)
        else:
            _input(ws, r, 2, a.date, fm)
        _input(ws, r, 3, a.name, fm, left=True)
        for c, v in ((4, a.type), (5, a.district), (6, a.people)):
            _input(ws, r, c, v if v != "" else None, fm)
        _input(ws, r, 7, a.remarks, fm, left=True)
    rng = {c: f"${col_letter(c)}${top}:${col_letter(c)}${bottom}" for c in (4, 5, 6)}
    ws.data_validation(*zero(top, 2), *zero(bottom, 2), {
        "validate": "date", "criteria": "between", "minimum": _dt.datetime(first.year, first.month, first.day),
        "maximum": _dt.datetime(last.year, last.month, last.day), "error_type": "warning",
        "input_title": "活动日期", "input_message": "评估期内的日期，如 2024/6/1",
        "error_title": "日期不在评估期内", "error_message": "评估期外的活动不计入本期完成量。"})
    ws.data_validation(*zero(top, 4), *zero(bottom, 4), {
        "validate": "list", "source": list(types), "error_type": "warning",
        "input_title": "活动类型", "input_message": "从列表中选择", "error_title": "活动类型不在列表中",
        "error_message": "不在列表中的类型不会计入任何指标。"})
    ws.data_validation(*zero(top, 5), *zero(bottom, 5), {
        "validate": "list", "source": districts, "error_type": "warning",
        "input_title": "片区", "input_message": "多个片区合办的活动只能计入一个片区",
        "error_title": "片区不在列表中", "error_message": "请填附件1-1 中的片区名称。"})
    ws.data_validation(*zero(top, 6), *zero(bottom, 6), {
        "validate": "integer", "criteria": ">=", "value": 0, "error_type": "warning",
        "error_title": "服务人次应为整数", "error_message": "服务人次应为 0 或正整数。"})
    # the count table beside the ledger: (次数, 服务人次) per district, then 合计
    t0 = ncols + 2
    _merge(ws, head, t0, head + 1, t0, COLUMNS[3].text, fm.head)
    groups = districts + ["合计"]
    for j, name in enumerate(groups):
        c = t0 + 1 + 2 * j
        _merge(ws, head, c, head, c + 1, name, fm.head)
        ws.write(*zero(head + 1, c), "次数", fm.head)
        ws.write(*zero(head + 1, c + 1), COLUMNS[5].text, fm.head)
    def people_of(acts):
        return sum(a.people for a in acts if isinstance(a.people, (int, float)) and not isinstance(a.people, bool))

    totals: dict[int, float] = {}
    for i, t in enumerate(types):
        r = head + 2 + i
        ws.write(*zero(r, t0), t, fm.cell)
        crit_t = f"${col_letter(t0)}{r}"
        for j, name in enumerate(groups):
            c = t0 + 1 + 2 * j
            if name == "合计":
                mine = [a for a in data.ledger if a.type == t]
                count_f = f"=COUNTIFS({rng[4]},{crit_t})"
                sum_f = f"=SUMIFS({rng[6]},{rng[4]},{crit_t})"
            else:
                crit_d = f"{col_letter(c)}${head}"
                mine = [a for a in data.ledger if a.type == t and a.district == name]
                count_f = f"=COUNTIFS({rng[4]},{crit_t},{rng[5]},{crit_d})"
                sum_f = f"=SUMIFS({rng[6]},{rng[4]},{crit_t},{rng[5]},{crit_d})"
            # NB: the cached values are what the formulas give: exact text matches, numbers only summed
            for col, formula, value in ((c, count_f, len(mine)), (c + 1, sum_f, people_of(mine))):
                ws.write_formula(*zero(r, col), formula, fm.derived, value)
                totals[col] = totals.get(col, 0) + value
    tr = head + 2 + len(types)
    ws.write(*zero(tr, t0), "合计", fm.head)
    for col, value in totals.items():
        letter = col_letter(col)
        ws.write_formula(*zero(tr, col), f"=SUM({letter}{head + 2}:{letter}{tr - 1})", fm.derived, value)
    for c, w in zip(range(1, ncols + 1), LEDGER_WIDTHS):
        ws.set_column(c - 1, c - 1, w)
    ws.set_column(t0 - 1, t0 - 1, 13)
    ws.set_column(t0, t0 + 2 * len(groups) - 1, 8)
    ws.freeze_panes(*zero(top, 1))
    widths = {**dict(zip(range(1, ncols + 1), LEDGER_WIDTHS)), 8: 8, t0: 13,
              **{c: 8 for c in range(t0 + 1, t0 + 1 + 2 * len(groups))}}
    aids.page_setup(ws, (head, head), None, aids.page_breaks(
        widths, [(1, t0)] + [(t0 + 1 + 2 * j, t0 + 2 + 2 * j) for j in range(len(groups))], (1, 0)))
    aids.protect(ws)
    return top, bottom


def _short(station: str) -> str:
    """'逢源街社工服务站' → '逢源街社工站' as the template title writes it."""
    return station.replace("社工服务站", "社工站")


def _cn_date(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"


_EPOCH = __import__("datetime").datetime(2024, 1, 1)


def write_workbook(path: str, params: Params, data: FillData | None = None, *, worker_rows: int = 20) -> str:
    """Write the four sheets (附件1-1, 附件1-2, 附件2, 活动台账) to ``path`` atomically; blank inputs
    where ``data`` is None."""
    import xlsxwriter

    from .safety import atomic_write
    data = data or FillData()
    with atomic_write(path) as tmp:
        wb = xlsxwriter.Workbook(tmp, {"strings_to_numbers": False, "strings_to_formulas": False,
                                       "strings_to_urls": False})
        # NB: a fixed creation time makes the bytes reproducible, so a test can tell a stale template.
        wb.set_properties({"title": f"{params.station} 附件", "author": "annexproc", "created": _EPOCH,
                           "comments": "Generated by annexproc from its declarative spec."})
        fm = _Formats(wb)
        _write_annex1_1(wb, fm, params, data)
        _write_annex1_2(wb, fm, params, data)
        _write_annex2(wb, fm, params, data, worker_rows)
        _write_ledger(wb, fm, params, data)
        wb.close()
    return path


def template_name(params: Params) -> str:
    """'XX街社工服务站_附件模板_3片区_2024-05_8个月.xlsx': the station first, as files are sorted and sent."""
    station = "".join("_" if ch in '\\/:*?"<>|' else ch for ch in params.station.strip()) or "社工服务站"
    return f"{station}_附件模板_{len(params.districts)}片区_{params.start}_{params.months}个月.xlsx"


def write_template(params: Params, outdir: str, worker_rows: int = 20, force: bool = True) -> str:
    """The blank official workbook for these parameters, in ``outdir``; FileExistsError when it is
    there already and not ``force``."""
    os.makedirs(outdir, exist_ok=True)
    path = os.path.join(outdir, template_name(params))
    if not force and os.path.exists(path):
        raise FileExistsError(path)
    return write_workbook(path, params, None, worker_rows=worker_rows)
