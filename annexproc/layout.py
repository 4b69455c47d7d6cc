"""Where each part of an annex sits in one workbook, and the derived cells that follows from it.

A layout is either *planned* (the template writer decides positions from the spec and params) or
*located* (the readers find positions by header text in a user's file). Both produce the same
dataclasses, and ``*_calcs`` turns either into the list of derived cells with their official
formulas — so the template, the checker and ``recompute`` share one definition. Rows and columns
are 1-based.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .formulas import Calc
from .spec.model import DistrictBlock, Measure, Target

PCT_FORMAT = "0.00%"


@dataclass
class MeasureCols:
    measure: Measure
    indicator: str            # indicator title, for messages
    agree: int
    done: int
    pct: int

    @property
    def title(self) -> str:
        """'大型社区活动 人次'; an indicator whose name already says what it counts stays alone
        ('红棉热线服务次数', not '红棉热线服务次数 次数')."""
        return self.indicator if self.measure.label in self.indicator else f"{self.indicator} {self.measure.label}"


@dataclass
class DistrictBlockLayout:
    """附件1-1 block 1 or 2."""
    spec: DistrictBlock
    sheet: str
    header_row: int                       # group titles
    leaf_row: int                         # 协议 / 完成量 / 百分比
    district_col: int
    staff_col: int | None
    districts: list[tuple[str, int]]      # (name as written, row)
    total_row: int | None
    measures: list[MeasureCols] = field(default_factory=list)

    def rows(self):
        """(district name, row) of every district, then ('合计', total_row)."""
        yield from self.districts
        if self.total_row:
            yield ("合计", self.total_row)


@dataclass
class TargetCells:
    target: Target
    row: int
    title_col: int | None       # 协议内容 cell (None in 附件1-2, where the title sits above)
    target_col: int
    done_col: int
    pct_col: int
    title_row: int | None = None


@dataclass
class TargetLayout:
    """附件1-1 block 3 or 附件1-2: independent (指标要求, 完成量, 百分比) items."""
    sheet: str
    items: list[TargetCells] = field(default_factory=list)
    sentence: tuple[int, int] | None = None     # the merged sentence cell of block 3


@dataclass
class WorkerRow:
    row: int
    section: str                 # 'certified' | 'uncertified'
    seq: str                     # '14' or '同14'
    name: str
    position: str = ""
    qualification: str = ""
    contract: str = ""
    remarks: str = ""
    same_as: str | None = None   # '14' when seq is '同14'


@dataclass
class SectionLayout:
    key: str
    workers: list[WorkerRow] = field(default_factory=list)
    subtotal_row: int | None = None
    effective_row: int | None = None


@dataclass
class StaffingLayout:
    """附件2: the grid of workers × months × (人员到位, 社保购买, 工资发放)."""
    sheet: str
    header_row: int
    sub_row: int
    months: list[tuple[int, int]]                 # (year, month)
    month_cols: list[tuple[int, int, int]]        # (present, insured, paid) columns per month
    lead: dict[str, int]                          # '类型' … '合同期限' → column
    total_col: int
    two_year_col: int | None
    remarks_col: int | None
    sections: dict[str, SectionLayout] = field(default_factory=dict)
    grand_row: int | None = None                  # 每月社保购买、工资发放、人员到岗等情况总计
    effective_total_row: int | None = None        # 社工有效人次小计（…）
    stable_cell: tuple[int, int] | None = None    # 社工站稳岗率 value cell
    agreement_text: str | None = None

    def all_workers(self) -> list[WorkerRow]:
        return [w for s in self.sections.values() for w in s.workers]


# -- derived cells ------------------------------------------------------------------------------

def district_calcs(b: DistrictBlockLayout) -> list[Calc]:
    """Percentages of every district, then the 合计 sums, then the 合计 percentages."""
    calcs: list[Calc] = []
    for name, row in b.districts:
        for m in b.measures:
            calcs.append(Calc((row, m.pct), "pct", ((row, m.agree), (row, m.done)), PCT_FORMAT,
                              f"{name} {m.title} 百分比"))
    if b.total_row and b.districts:
        rows = [r for _, r in b.districts]
        t = b.total_row
        if b.staff_col:
            calcs.append(Calc((t, b.staff_col), "sum", (tuple((r, b.staff_col) for r in rows),), "General",
                              "合计 投入社工人数"))
        for m in b.measures:
            for col, what in ((m.agree, "协议"), (m.done, "完成量")):
                calcs.append(Calc((t, col), "sum_na", (tuple((r, col) for r in rows),), "General",
                                  f"合计 {m.title} {what}"))
        for m in b.measures:
            calcs.append(Calc((t, m.pct), "pct", ((t, m.agree), (t, m.done)), PCT_FORMAT,
                              f"合计 {m.title} 百分比"))
    return calcs


def target_calcs(t: TargetLayout) -> list[Calc]:
    return [Calc((i.row, i.pct_col), "pct", ((i.row, i.target_col), (i.row, i.done_col)), PCT_FORMAT,
                 f"{i.target.title.text} 百分比") for i in t.items]


def staffing_calcs(g: StaffingLayout, stable: tuple[float, float] | None = None) -> list[Calc]:
    """Row subtotals, section 小计 and 有效人次小计, the 总计 rows; the 稳岗率 when its counts are known."""
    calcs: list[Calc] = []
    for w in g.all_workers():
        calcs.append(Calc((w.row, g.total_col), "months",
                          tuple(((w.row, p), (w.row, s), (w.row, x)) for p, s, x in g.month_cols),
                          "General", f"{w.name} 人员到岗小计"))
    for key, sec in g.sections.items():
        rows = [w.row for w in sec.workers]
        if not rows:
            continue
        label = "持证社工" if key == "certified" else "非持证社工"
        if sec.subtotal_row:
            r = sec.subtotal_row
            for (p, s, x) in g.month_cols:
                calcs.append(Calc((r, p), "present", (tuple((q, p) for q in rows),), "General", f"{label}小计 人员到位"))
                calcs.append(Calc((r, s), "ticks", (tuple((q, s) for q in rows),), "General", f"{label}小计 社保购买"))
                calcs.append(Calc((r, x), "ticks", (tuple((q, x) for q in rows),), "General", f"{label}小计 工资发放"))
            calcs.append(Calc((r, g.total_col), "sum", (tuple((q, g.total_col) for q in rows),), "General",
                              f"{label}小计 人员到岗小计"))
            if g.two_year_col:
                calcs.append(Calc((r, g.two_year_col), "sum", (tuple((q, g.two_year_col) for q in rows),),
                                  "General", f"{label}小计 从业2年以上"))
        if sec.effective_row:
            for (y, m), (p, s, x) in zip(g.months, g.month_cols):
                calcs.append(Calc((sec.effective_row, p), "effective",
                                  (tuple((q, p) for q in rows), tuple((q, s) for q in rows),
                                   tuple((q, x) for q in rows)), "General", f"{label}有效人次小计 {y}年{m}月"))
    secs = [s for s in g.sections.values() if s.workers]
    if g.grand_row:
        r = g.grand_row
        for i, (p, s, x) in enumerate(g.month_cols):
            calcs.append(Calc((r, p), "heads", tuple(tuple((q.row, p) for q in s_.workers) for s_ in secs),
                              "General", "总计 人员到位（人数）"))
            for col, what in ((s, "社保购买"), (x, "工资发放")):
                subs = tuple((s_.subtotal_row, col) for s_ in secs if s_.subtotal_row)
                calcs.append(Calc((r, col), "sum", (subs,), "General", f"总计 {what}"))
        for col, what in ((g.total_col, "人员到岗小计"), (g.two_year_col, "从业2年以上")):
            if col:
                subs = tuple((s_.subtotal_row, col) for s_ in secs if s_.subtotal_row)
                calcs.append(Calc((r, col), "sum", (subs,), "General", f"总计 {what}"))
    if g.effective_total_row:
        for (y, m), (p, s, x) in zip(g.months, g.month_cols):
            effs = tuple((s_.effective_row, p) for s_ in secs if s_.effective_row)
            calcs.append(Calc((g.effective_total_row, p), "sum", (effs,), "General", f"社工有效人次小计 {y}年{m}月"))
    if g.stable_cell and stable is not None:
        calcs.append(Calc(g.stable_cell, "ratio", stable, PCT_FORMAT, "社工站稳岗率"))
    return calcs
