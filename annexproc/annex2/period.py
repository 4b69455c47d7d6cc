"""A232: the agreement period stated in 附件2's title must contain every month of the grid."""
from __future__ import annotations

import datetime as _dt

from ..cells import to_a1
from .locate import Located
from .roster import month_first, month_last, month_text


def check_period(ctx, loc: Located) -> None:
    """Flag the title cell when months of the grid fall outside its 年度服务协议时间 (a title without
    an end date is read as one agreement year from its start; one without dates says nothing)."""
    start, end = loc.agreement
    if start is None or loc.agreement_cell is None:
        return
    if end is None:
        try:
            end = _dt.date(start.year + 1, start.month, start.day) - _dt.timedelta(days=1)
        except ValueError:       # NB: 29 February: the agreement year ends on the 28th
            end = _dt.date(start.year + 1, 2, 28)
    outside = [ym for ym in loc.layout.months if month_last(ym) < start or month_first(ym) > end]
    if outside:
        ctx.flag("A232", loc.layout.sheet, to_a1(*loc.agreement_cell), start=start, end=end,
                 found=[month_text(ym) for ym in outside], found_en=[month_text(ym, "en") for ym in outside])
