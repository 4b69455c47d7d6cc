"""The vocabulary of the annex specs: plain frozen data, checked when the spec loads."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..errors import AnnexSpecError
from ..values import normalize


@dataclass(frozen=True)
class Header:
    """A header text and the variants people write for it (compared after ``normalize``)."""
    text: str
    variants: tuple[str, ...] = ()

    def matches(self, cell_text: str) -> bool:
        """Is ``cell_text`` this header, as people write it? The one header matcher of every locator."""
        return bool(cell_text) and normalize(cell_text) in self.keys

    @cached_property
    def keys(self) -> frozenset[str]:
        """The header's texts as compared (``normalize``d): computed once, not per cell."""
        return frozenset(normalize(v) for v in (self.text, *self.variants))

    def all(self) -> tuple[str, ...]:
        return (self.text, *self.variants)


@dataclass(frozen=True)
class Measure:
    """One (agreement, achieved, percentage) triple of an Annex 1 indicator."""
    key: str                  # e.g. 'case.sessions'
    label: str                # what it counts, for messages: '节数'
    agree: Header
    done: Header
    pct: Header = Header("百分比", ("完成百分比", "完成率", "百分比(%)"))
    ledger_unit: str | None = None   # 'count' or 'people': what the activity ledger sums for it


@dataclass(frozen=True)
class Indicator:
    key: str
    title: Header
    measures: tuple[Measure, ...]
    comment: str | None = None       # the template's 批注 on the group header (documented)
    agreement: bool = True           # False: no agreement in the default template ('/')
    ledger_type: str | None = None   # 活动台账 活动类型 that feeds it


@dataclass(frozen=True)
class DistrictBlock:
    """附件1-1 blocks 1 and 2: rows of districts and 合计, indicator triples side by side."""
    key: str
    district_header: Header
    staff_header: Header
    indicators: tuple[Indicator, ...]
    district_comment: str | None = None
    staff_comment: str | None = None


@dataclass(frozen=True)
class Target:
    """A (指标要求, 完成量, 百分比) item: 附件1-1 block 3 and 附件1-2."""
    key: str
    title: Header
    group: str | None = None          # '五社联动', '志愿者', '社区公共问题' (block 3 column group)
    comment: str | None = None


@dataclass(frozen=True)
class TargetBlock:
    key: str
    title: Header | None
    content_header: Header            # 协议内容
    target_header: Header             # 指标要求
    done_header: Header               # 完成量 / 完成情况
    pct_header: Header                # 百分比 / 完成百分比
    targets: tuple[Target, ...]
    groups: tuple[str, ...] = ()      # column groups, in order


@dataclass(frozen=True)
class Annex1Spec:
    title_template: str               # '广州市{station}购买服务项目指标完成情况统计表'
    sheet_name: str
    sheet_names: tuple[str, ...]      # names people give the sheet (a hint only: content decides)
    blocks: tuple[DistrictBlock, ...]
    target_block: TargetBlock | None
    sentence_keys: tuple[tuple[str, str], ...] = ()   # (figure key, regex) read from the sentence
    pct_comment: str = ""
    agree_comment: str = ""
    total_label: Header = Header("合计", ("总计", "合 计"))

    def __post_init__(self):
        keys = [m.key for b in self.blocks for i in b.indicators for m in i.measures]
        if len(keys) != len(set(keys)):
            raise AnnexSpecError(f"measure keys repeat in {self.sheet_name}: {keys}")


@dataclass(frozen=True)
class Annex12Spec:
    sheet_name: str
    sheet_names: tuple[str, ...]
    title_template: str
    target_header: Header
    done_header: Header
    pct_header: Header
    targets: tuple[Target, ...]


@dataclass(frozen=True)
class Annex2Spec:
    sheet_name: str
    sheet_names: tuple[str, ...]
    agreement_template: str           # '年度服务协议时间：{start}至{end}'
    lead_columns: tuple[Header, ...]  # 类型 序号 姓名 职位 岗位资格证/资质 合同期限
    sub_columns: tuple[Header, ...]   # 人员到位 社保购买 工资发放
    month_header: str                 # '{y}年{m}月'
    row_total: Header                 # 人员到岗小计
    two_year: Header                  # 符合从业2年以上的社工到岗小计
    remarks: Header                   # 备注
    sections: tuple[tuple[str, Header], ...]   # ('certified', Header('持证社工')), ('uncertified', …)
    subtotal: Header                  # 小计
    effective: dict = field(default_factory=dict)   # section → Header of its 有效人次小计 row
    grand_total_label: Header = Header("总计")
    grand_rows: tuple[Header, ...] = ()   # 每月…总计, 社工有效人次小计…, 社工站稳岗率…
    segment_prefix: str = "【分段计算】"
    same_as_prefix: str = "同"
