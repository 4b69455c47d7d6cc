"""CP: one station's earlier and later workbook side by side (``annexproc compare EARLIER LATER``).

The final evaluation's workbook repeats the mid-term's months and adds the rest of the agreement year;
what was reported for a past month must not change. Each finding stands at the later workbook's cell,
with ``expected`` the earlier value and ``found`` the later one. Placeholders beyond the standard ones:
{earlier} the earlier file, {month} '2024年7月' (with ``month_en``), {months} a list of months,
{item} which agreement figure (with ``item_en``).
"""
from . import Rule

RULES = (
    Rule("CP01", "compare.past_month.rewritten", "error", "consistency",
         "已报送月份的到岗记录被改动", "A month already reported was rewritten",
         "{cell}（{worker} {month} {indicator}）在前一期工作簿（{earlier}）中为 {expected}，本期改为 {found}；"
         "已报送月份的记录不能改动。",
         "{cell} ({worker} {month} {indicator}) was {expected} in the earlier workbook ({earlier}) and is {found} "
         "now; a month already reported must not change."),
    Rule("CP02", "compare.agreement.changed", "warning", "consistency",
         "协议数据与前一期不同", "An agreement figure differs from the earlier workbook",
         "{cell}（{item}）在前一期工作簿（{earlier}）中为 {expected}，本期为 {found}；协议内容的改动须有书面变更依据。",
         "{cell} ({item}) was {expected} in the earlier workbook ({earlier}) and is {found} now; a change of the "
         "agreement must be documented."),
    Rule("CP03", "compare.worker.dropped", "error", "consistency",
         "前一期计为到岗的社工在本期附件2中没有了", "A worker counted in the earlier workbook is missing from the later one",
         "{cell}：{worker} 在前一期工作簿（{earlier}）中 {months} 计为到岗，本期的附件2 中没有此人；已报送月份的人员不能删除。",
         "{cell}: {worker} was counted on post in {months} in the earlier workbook ({earlier}) but is missing from "
         "this 附件2; a worker of a month already reported must not be removed."),
    Rule("CP04", "compare.worker.added", "error", "consistency",
         "本期为已报送的月份补加了社工", "The later workbook adds a worker to months already reported",
         "{cell}：{worker} 在 {months} 计为到岗，但前一期工作簿（{earlier}）中没有此人；已报送月份不能补加人员。",
         "{cell}: {worker} is counted on post in {months}, but the earlier workbook ({earlier}) has no such "
         "worker; a month already reported must not gain a worker."),
    Rule("CP05", "compare.count.decreased", "error", "consistency",
         "累计完成量比前一期少", "A cumulative count is lower than in the earlier workbook",
         "{cell}（{where} 完成量）在前一期工作簿（{earlier}）中已是 {expected}，本期只有 {found}；累计完成量只会增加。",
         "{cell} ({where} 完成量) was already {expected} in the earlier workbook ({earlier}) and is {found} now; a "
         "cumulative count only grows."),
    Rule("CP06", "compare.months.not_repeated", "warning", "layout",
         "本期工作簿没有包含前一期的全部月份", "The later workbook does not repeat every month of the earlier one",
         "{cell}：前一期工作簿（{earlier}）的 {months} 不在本期的月份中；本期工作簿应包含协议年度至今的全部月份，这些月份无法比较。",
         "{cell}: this workbook's months leave out {months} of the earlier workbook ({earlier}); it should hold "
         "every month of the agreement year so far, and what was reported for them cannot be compared."),
)
