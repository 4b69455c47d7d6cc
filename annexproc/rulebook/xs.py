"""XS: across sheets and comments — workers counted twice, figures the workbook states twice.

The template's comment on 投入社工人数 says a worker counts in one district, or as 0.5 in each of two;
the station's own comments on those cells list each district's workers by name. Placeholders beyond
the standard ones: {listed} the other cells (with their districts), {block} which table (服务表/活动表),
{other_block} the other table, {count} how many. XS05/XS06 are given by the batch, which puts workbooks
side by side: {months} the months both stations count, {other_station}, {other_file}, {other_sheet} and
{other_cell} where the other station names the worker, {mine} and {theirs} what identifies each one.
"""
from . import Rule

RULES = (
    Rule("XS01", "workers.more_than_two_districts", "error", "consistency",
         "一名社工被列入三个或以上片区", "A worker is listed in three or more districts",
         "{cell}：{worker} 在{block}中被列入 {count} 个片区（{listed}）；每名社工只能计入 1 个片区，或在 2 个片区各计 0.5 人。",
         "{cell}: {worker} is listed in {count} districts of the {block} ({listed}); a worker counts in one "
         "district, or as 0.5 in each of two."),
    Rule("XS02", "workers.full_in_two_districts", "error", "consistency",
         "一名社工在两个片区都按 1 人计算", "A worker counts as a full worker in two districts",
         "{cell}：{worker} 在{block}中同时列入{district}和{other}（{other_cell}），却未注明各计 0.5 人；兼任两个片区时只能在一个片区计 1 人，或两边各计 0.5 人。",
         "{cell}: {worker} is listed in both {district} and {other} ({other_cell}) of the {block} without 0.5 "
         "marked; a worker shared by two districts counts 1 in one of them, or 0.5 in each."),
    Rule("XS03", "workers.twice_in_one_list", "error", "consistency",
         "同一片区的社工名单中重复列出同一人", "A district's list names the same worker twice",
         "{cell}：{district}的社工名单中 {worker} 出现了 {count} 次，同一人只能计 1 次。",
         "{cell}: {district}'s list names {worker} {count} times; a person counts once."),
    # NB: inferred — the template says where a worker may count, not that both tables must agree; a
    # warning, because a worker who really changed districts mid-period is written this way too
    Rule("XS04", "workers.districts_differ_between_tables", "warning", "consistency",
         "一名社工在服务表和活动表中列入的片区对不上", "A worker's districts differ between the two tables",
         "{cell}：{worker} 在{block}中列入{district}，{other_block}却只把此人列入{listed}；两个表合起来，此人被计入了不同的片区，"
         "而每名社工只能计入 1 个片区，或在 2 个片区各计 0.5 人。",
         "{cell}: {worker} is listed in {district} in the {block}, but the {other_block} lists them only in {listed}; "
         "across the two tables the worker counts in different districts, while a worker counts in one district, "
         "or as 0.5 in each of two.",
         inferred=True),
    # -- across workbooks (batch): one person, two stations, the same months ---------------------------
    Rule("XS05", "workers.claimed_by_two_stations", "error", "consistency",
         "同一名社工在同一个月被两个服务站计为到岗", "One worker is counted on post by two stations in the same months",
         "{cell}：{worker} 在 {months} 也被另一服务站 {other_station} 计为到岗（{other_file}，{other_sheet}!{other_cell}），"
         "姓名、合同期限和岗位资格证都对得上，应为同一人；同一名社工同一个月只能由一个服务站计算到岗和支付费用。",
         "{cell}: {worker} is also counted on post in {months} by another station, {other_station} ({other_file}, "
         "{other_sheet}!{other_cell}); name, contract and qualification agree, so this is one person, and a worker "
         "counts on post, and is paid for, at one station a month."),
    Rule("XS06", "workers.namesake_at_another_station", "info", "consistency",
         "另一服务站同月有同名社工（合同或资格证不同，按不同的人处理）",
         "Another station has a worker of the same name in the same months (another contract or qualification)",
         "{cell}：另一服务站 {other_station} 在 {months} 也有一名 {worker}（{other_file}，{other_sheet}!{other_cell}），"
         "但合同期限或岗位资格证不同（本表：{mine}；对方：{theirs}），按同名的不同人处理。",
         "{cell}: another station, {other_station}, also has a {worker} in {months} ({other_file}, "
         "{other_sheet}!{other_cell}), with another contract or qualification (here: {mine}; there: {theirs}); "
         "taken as a namesake, not the same person."),
)
