"""LD: the activity ledger (活动台账) — one row per activity, double counts, and its totals against 附件1-1.

The template's comment on 大型社区活动 says an activity held jointly by several districts counts in
one district only; totals cannot show such a double count, the ledger behind them can.
Placeholders beyond the standard ones: {row} the ledger row, {others} the other rows ('第7行（片区2）'),
{rows} the ledger rows behind a total, {type} the 活动类型, {period} the evaluation period,
{what} 次数 or 服务人次, {ratio} a similarity. Each prose or period argument ``x`` comes with ``x_en``,
which English messages show in its place (findings.py).
"""
from . import Rule

RULES = (
    Rule("LD01", "ledger.duplicate.districts", "error", "consistency",
         "同一活动在台账中计入了多个片区", "One activity is entered under more than one district",
         "{cell}：第{row}行“{activity}”（{district}，{date}）与{others}是同一场活动；多个片区合办的活动只能计入一个片区。",
         "{cell}: row {row} “{activity}” ({district}, {date}) is the same activity as {others}; an activity held "
         "jointly by several districts counts in one district only."),
    Rule("LD02", "ledger.duplicate.near_name", "warning", "consistency",
         "同一天有名称几乎相同的活动，可能重复登记", "Near-identical activity names on the same day: possibly entered twice",
         "{cell}：第{row}行“{activity}”与同日的{others}名称几乎相同（相似度 {ratio}），请确认不是同一场活动。",
         "{cell}: row {row} “{activity}” and {others} on the same day have near-identical names (similarity "
         "{ratio}); make sure they are not one activity.", inferred=True),
    Rule("LD03", "ledger.duplicate.row", "error", "consistency",
         "同一片区同一活动登记了两次", "The same activity is entered twice in one district",
         "{cell}：第{row}行“{activity}”（{district}，{date}）与{others}重复登记，会被计算两次。",
         "{cell}: row {row} “{activity}” ({district}, {date}) repeats {others}; it would be counted twice."),
    Rule("LD04", "ledger.annex1.count", "error", "consistency",
         "附件1-1 的完成次数与活动台账不符", "Annex 1's count differs from the activity ledger",
         "{cell}（{district} {indicator} {what}）填 {found}，活动台账中评估期内的“{type}”为 {expected} 次（{rows}）。",
         "{cell} ({district} {indicator} {what}) says {found}; the ledger lists {expected} “{type}” in the "
         "period ({rows})."),
    Rule("LD05", "ledger.annex1.people", "error", "consistency",
         "附件1-1 的完成人次与活动台账不符", "Annex 1's person-times differ from the activity ledger",
         "{cell}（{district} {indicator} 人次）填 {found}，活动台账中评估期内“{type}”的服务人次合计为 {expected}（{rows}）。",
         "{cell} ({district} {indicator} person-times) says {found}; the ledger's 服务人次 of “{type}” in the "
         "period add up to {expected} ({rows})."),
    Rule("LD06", "ledger.date.outside_period", "error", "consistency",
         "活动日期不在评估期内", "An activity is dated outside the period",
         "{cell}：第{row}行“{activity}”的日期 {found} 不在评估期 {period} 内，不应计入本期完成量。",
         "{cell}: row {row} “{activity}” is dated {found}, outside the period {period}; it does not count this period."),
    Rule("LD07", "ledger.district.missing", "error", "input",
         "活动未填写片区", "An activity has no district",
         "{cell}：第{row}行“{activity}”没有填写片区，无法计入任何片区的完成量（只计入合计）。",
         "{cell}: row {row} “{activity}” has no district; it cannot count for any district (only for the 合计)."),
    Rule("LD08", "ledger.district.unknown", "warning", "input",
         "活动的片区不在附件1-1 的片区之中", "An activity's district is not one of Annex 1's districts",
         "{cell}：第{row}行的片区“{found}”不是附件1-1 中的片区（{expected}）。",
         "{cell}: row {row}'s district “{found}” is not one of Annex 1's districts ({expected})."),
    Rule("LD09", "ledger.people.not_count", "error", "input",
         "服务人次不是人数", "A 服务人次 is not a count of people",
         "{cell}：第{row}行“{activity}”的服务人次为“{found}”，应为 0 或正整数。",
         "{cell}: row {row} “{activity}” has 服务人次 “{found}”; it should be a whole number, 0 or more."),
    Rule("LD10", "ledger.date.unreadable", "warning", "input",
         "活动日期为空或无法识别", "An activity's date is blank or cannot be read",
         "{cell}：第{row}行“{activity}”的日期“{found}”无法识别（如 2024/6/1、2024年6月1日、2024.6.1），无法核对是否在评估期内。",
         "{cell}: row {row} “{activity}” has the date “{found}”, which cannot be read (e.g. “2024/6/1”, "
         "“2024年6月1日”, “2024.6.1”); whether it falls in the period cannot be checked."),
    Rule("LD11", "ledger.type.unknown", "warning", "input",
         "活动类型为空或不在类型列表中", "An activity's type is blank or not in the list",
         "{cell}：第{row}行“{activity}”的活动类型“{found}”不在列表（{expected}）中，未计入任何指标。",
         "{cell}: row {row} “{activity}” has the type “{found}”, not in the list ({expected}); it counts for no indicator."),
    Rule("LD12", "ledger.type.absent", "info", "consistency",
         "台账中没有某些活动类型，相应指标未与台账核对", "Some activity types are absent from the ledger and were not checked",
         "活动台账中没有“{types}”类型的活动，附件1-1 的相应完成量未与台账核对。",
         "The ledger has no activity of these types: {types}; Annex 1's matching figures were not checked against it."),
)
