"""The activity ledger (活动台账) as data: its sheet name, its headers and the activity types it lists.

One row per activity: 序号 | 日期 | 活动名称 | 活动类型 | 片区 | 服务人次 | 备注. The types are the
``ledger_type`` of 附件1-1's indicators (spec/annex1.py), so a type always feeds an indicator; which of
that indicator's measures it feeds (次数 or 人次) is the measure's ``ledger_unit``. The template writer
(annexproc.template), the locator (``locate``) and the checks (``check``) all read this module.
"""
from __future__ import annotations

from ..spec import ANNEX1_1
from ..spec.model import Header

SHEET_NAME = "活动台账"
SHEET_NAMES = ("活动台账", "台账", "活动记录", "活动登记表")

SEQ = Header("序号", ("No.", "NO", "编号"))   # NB: variants match as a set; not a (zh, en) pair to test_words
DATE = Header("日期", ("活动日期", "活动时间", "时间", "开展日期", "开展时间"))
NAME = Header("活动名称", ("名称", "活动主题", "活动标题", "项目名称"))
TYPE = Header("活动类型", ("类型", "活动类别", "类别", "服务类型"))
DISTRICT = Header("片区", ("服务片区", "所属片区", "开展片区", "片区名称"))
PEOPLE = Header("服务人次", ("人次", "参与人次", "服务人数", "参加人次", "受益人次"))
REMARKS = Header("备注", ("说明",))

#: The columns of the template, in order; the four of REQUIRED find the header row in a user's file.
COLUMNS = (SEQ, DATE, NAME, TYPE, DISTRICT, PEOPLE, REMARKS)
REQUIRED = (DATE, NAME, TYPE, DISTRICT)


def ledger_types() -> tuple[str, ...]:
    """The 活动类型 list: the activities block's types, then the services block's (小组, 个案)."""
    out: list[str] = []
    for block in sorted(ANNEX1_1.blocks, key=lambda b: b.key != "activities"):
        for ind in block.indicators:
            if ind.ledger_type and ind.ledger_type not in out:
                out.append(ind.ledger_type)
    return tuple(out)


def feeds() -> dict[str, list[tuple[str, str, str]]]:
    """{type: [(block key, measure key, 'count'|'people'), …]}: the Annex 1 measures a type adds up to."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    for block in ANNEX1_1.blocks:
        for ind in block.indicators:
            if not ind.ledger_type:
                continue
            for m in ind.measures:
                if m.ledger_unit in ("count", "people"):
                    out.setdefault(ind.ledger_type, []).append((block.key, m.key, m.ledger_unit))
    return out


from .reader import read  # noqa: E402,F401  (NB: after the columns its locator reads)
