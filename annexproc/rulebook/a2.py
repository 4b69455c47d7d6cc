"""A2: 附件2 人员到岗情况 — derived cells, person-months, contract dates, shares, 稳岗率, Annex 1 headcounts.

Placeholders beyond the standard ones: {worker} the worker's name, {month} '2024年7月', ``formula``
(the reference formula: an argument, never in the messages), {what} and {reason} free text chosen by the checker. Each prose, date or month
argument ``x`` comes with ``x_en`` ('2024-07'), which English messages show in its place (findings.py). Rules marked ``inferred`` rest on readings of the template that native-layout.md infers
rather than reads; their thresholds are parameters (annexproc.params.Params).
"""
from . import Rule

RULES = (
    # -- derived cells --------------------------------------------------------------------------
    Rule("A201", "annex2.derived.mismatch", "error", "arithmetic",
         "附件2 计算单元格的结果与规则不符", "An Annex 2 derived cell disagrees with the rule",
         "{cell}（{indicator}）按规则应为 {expected}，表中显示 {found}。{why}",
         "{cell} ({indicator}) should be {expected} by the rule but shows {found}.{why}", optional=("why",)),
    Rule("A202", "annex2.derived.constant_equal", "warning", "arithmetic",
         "附件2 计算单元格被改成了常数（数值仍正确）", "An Annex 2 derived cell holds a typed constant (still right)",
         "{cell}（{indicator}）是手填的 {found}，不是公式；数值目前正确，但改动数据后不会自动更新（annexproc recompute --restore-formulas 可写回公式）。",
         "{cell} ({indicator}) holds the typed value {found}, not a formula; it is right "
         "now but will not follow changes (annexproc recompute --restore-formulas puts the formula back)."),
    Rule("A203", "annex2.derived.constant_differs", "error", "arithmetic",
         "附件2 计算单元格被改成了错误的常数", "An Annex 2 derived cell holds a wrong typed constant",
         "{cell}（{indicator}）是手填的 {found}，按规则应为 {expected}。",
         "{cell} ({indicator}) holds the typed value {found}; the rule gives {expected}."),
    Rule("A204", "annex2.derived.wrong_refs", "error", "arithmetic",
         "附件2 计算公式引用了错误的单元格", "An Annex 2 formula refers to the wrong cells",
         "{cell}（{indicator}）的公式 {found_formula} 引用的单元格与规则不同，结果 {found} 应为 {expected}。",
         "{cell} ({indicator}): the formula {found_formula} refers to other cells than the rule and gives {found} "
         "instead of {expected}."),
    Rule("A231", "annex2.derived.wrong_refs_agree", "warning", "arithmetic",
         "附件2 计算公式漏掉了规则所读的同类单元格（结果暂时一致）",
         "An Annex 2 formula leaves out cells of a kind it reads (the result agrees for now)",
         "{cell}（{indicator}）的公式 {found_formula} 现在结果一致（{found}），但没有读取 {missing}；这些单元格改动后结果会出错。",
         "{cell} ({indicator}): the formula {found_formula} agrees now ({found}) but does not read {missing}; it will "
         "go wrong when they change."),
    Rule("A205", "annex2.derived.average", "error", "arithmetic",
         "附件2 应求和的单元格用了平均值", "An Annex 2 total uses AVERAGE where a SUM belongs",
         "{cell}（{indicator}）用了平均值公式 {found_formula}，应为合计（结果 {expected}）。",
         "{cell} ({indicator}) averages ({found_formula}) where it should add up (giving {expected})."),
    # -- reading the grid -----------------------------------------------------------------------
    # NB: a warning: a person (and an evaluator) reads '✓' as a tick and every figure counts it; where the
    # file's own formulas leave the marks out, the cells they shorten get their own error (A201).
    Rule("A206", "annex2.tick.alternative", "warning", "input",
         "打勾用了“✓”等符号而不是“√”", "A tick is '✓' or another mark instead of '√'",
         "{cell}（{worker} {month} {indicator}）填的是“{found}”，已按打勾计算；官方模板的公式只认“√”，请改为“√”。",
         "{cell} ({worker} {month} {indicator}) holds “{found}”, counted as a tick; the official template's formulas "
         "only count “√”: type “√”."),
    Rule("A222", "annex2.present.out_of_range", "error", "input",
         "人员到位填了 0 到 1 以外的数字", "人员到位 holds a number outside 0–1",
         "{cell}（{worker} {month} 人员到位）填的是 {found}；每人每月最多计 1 人次，部分月份填 0.5 之类的小数。",
         "{cell} ({worker} {month} 人员到位) holds {found}; a person counts at most 1 a month (a part month "
         "as e.g. 0.5)."),
    Rule("A223", "annex2.contract.unreadable", "warning", "input",
         "合同期限无法识别", "The contract period cannot be read",
         "{cell}（{worker} 合同期限）“{found}”无法识别为日期范围（如 2024.07.08-2027.04.30 或 2012.08.01-无固定期限），"
         "无法核对合同期外的月份。",
         "{cell} ({worker} contract) “{found}” cannot be read as a date range (e.g. “2024.07.08-2027.04.30” or "
         "“2012.08.01-无固定期限”); months outside the contract cannot be checked."),
    Rule("A224", "annex2.months.not_consecutive", "warning", "layout",
         "月份表头不连续", "The month headers are not consecutive",
         "{cell} 的月份“{found}”不紧接上一个月份（应为 {expected}）。",
         "The month “{found}” in {cell} does not follow the previous month (expected {expected})."),
    Rule("A232", "annex2.agreement.period_outside", "warning", "layout",
         "标题的年度服务协议时间不包含表中的月份", "The title's agreement period does not contain the grid's months",
         "{cell}：标题写的年度服务协议时间为 {start}至{end}，表中的 {found} 不在此期间内；请核对协议时间或月份表头。",
         "{cell}: the title gives the agreement period {start} to {end}, but {found} of the grid lie outside it; "
         "check the agreement dates or the month headers."),
    Rule("A230", "annex2.same_as.unknown", "warning", "input",
         "“同N”行找不到对应的社工或姓名不一致", "A '同N' row names no row or another name",
         "{cell}（{worker}）的序号“{found}”{reason}。",
         "{cell} ({worker}): the number “{found}” {reason}."),
    # -- months and the contract ----------------------------------------------------------------
    Rule("A207", "annex2.month.before_contract", "error", "consistency",
         "合同开始前的月份被计入", "A month before the contract starts is counted",
         "{cell}：{worker} 的合同 {contract_start} 才开始，{month} 不应计入（表中为 {found}）。",
         "{cell}: {worker}'s contract starts on {contract_start}; {month} cannot count (found {found})."),
    Rule("A208", "annex2.month.after_contract", "error", "consistency",
         "合同结束后的月份被计入", "A month after the contract ends is counted",
         "{cell}：{worker} 的合同已于 {contract_end} 结束，{month} 不应计入（表中为 {found}）。",
         "{cell}: {worker}'s contract ended on {contract_end}; {month} cannot count (found {found})."),
    Rule("A209", "annex2.month.after_resignation", "error", "consistency",
         "离职后的月份被计入", "A month after the resignation is counted",
         "{cell}：备注写明 {worker} 于 {left} 离职，{month} 不应计入（表中为 {found}）。",
         "{cell}: the remarks say {worker} left on {left}; {month} cannot count (found {found})."),
    Rule("A210", "annex2.month.join_day", "warning", "consistency",
         "入职当月的计数与入职日期不符", "The joining month's count contradicts the joining day",
         "{cell}：{worker} {joined} 入职，按“{day_rule}”，当月应计 {expected}，表中为 {found}。",
         "{cell}: {worker} joined on {joined}, so that month counts {expected} ({day_rule}); the sheet has {found}.",
         inferred=True),
    Rule("A211", "annex2.month.leave_day", "warning", "consistency",
         "离职当月的计数与离职日期不符", "The leaving month's count contradicts the leaving day",
         "{cell}：{worker} {left} 离职（或合同结束），按“{day_rule}”，当月应计 {expected}，表中为 {found}。",
         "{cell}: {worker} left (or the contract ended) on {left}, so that month counts {expected} ({day_rule}); "
         "the sheet has {found}.", inferred=True),
    Rule("A212", "annex2.month.not_insured_or_paid", "error", "consistency",
         "在岗月份未勾社保购买或工资发放", "A month on post lacks the 社保购买 or 工资发放 tick",
         "{cell}：{worker} {month} 人员到位，但{what}未打“√”，按表格公式此月不计入到岗人次。",
         "{cell}: {worker} is on post in {month} but {what} is not ticked “√”; by the sheet's formula the month "
         "does not count."),
    Rule("A213", "annex2.month.both_sections", "error", "consistency",
         "同一人同一月在持证和非持证两部分都被计入", "One person is counted in both sections in one month",
         "{cell}：{worker} {month} 已在{other}（{other_cell}）计入，不能在两部分重复计算。",
         "{cell}: {worker} is already counted for {month} in the {other} section ({other_cell}); a month "
         "counts in one section only."),
    Rule("A214", "annex2.month.neither_section", "error", "consistency",
         "备注或分段说明在岗，但该月两部分都未计入", "On post by the remarks or a segment, but counted in neither section",
         "{cell}：{reason}，但 {worker} {month} 在持证和非持证两部分都没有计入。",
         "{cell}: {reason}, yet {worker} is counted in neither section in {month}."),
    Rule("A215", "annex2.month.before_certificate", "error", "consistency",
         "取得证书前的月份计入了持证社工", "A month before the certificate counts as certified",
         "{cell}：{worker} {certified} 取证，{from_month}起才计为持证社工；{month} 应计入非持证社工。",
         "{cell}: {worker} was certified on {certified} and counts as certified from {from_month}; {month} "
         "belongs to the uncertified section.", inferred=True),
    # -- two-year column ------------------------------------------------------------------------
    Rule("A216", "annex2.two_year.above_total", "error", "consistency",
         "从业2年以上到岗小计超过该行人员到岗小计", "The 2-year count exceeds the row's person-months",
         "{cell}：{worker} 的“符合从业2年以上”小计 {found} 大于其人员到岗小计 {expected}。",
         "{cell}: {worker}'s 2-year count {found} is above the row's person-months {expected}."),
    Rule("A217", "annex2.two_year.below_contract", "error", "consistency",
         "从业2年以上到岗小计少于合同本身可证明的月数", "The 2-year count is below what the contract alone proves",
         "{cell}：{worker} 合同自 {contract_start} 起，期内至少 {expected} 个人次已满2年，表中只计 {found}。",
         "{cell}: {worker}'s contract started on {contract_start}, so at least {expected} person-months are past "
         "two years; the sheet counts {found}."),
    # -- the agreement --------------------------------------------------------------------------
    Rule("A218", "annex2.share.certified_low", "error", "consistency",
         "持证社工到岗人次低于协议要求的比例", "Certified person-months below the agreed share",
         "{cell}：持证社工到岗 {found} 人次，低于应到岗 {required} 人次的 {share}（不少于 {expected}）。",
         "{cell}: certified person-months {found} are below {share} of the required {required} "
         "(at least {expected}).", inferred=True),
    Rule("A219", "annex2.total.below_agreement", "error", "consistency",
         "社工到岗人次低于协议要求", "Person-months below the agreement",
         "{cell}：社工实到岗 {found} 人次，少于协议要求 {headcount} 人 × {months} 个月 = {expected} 人次。",
         "{cell}: {found} person-months, fewer than the agreed {headcount} workers × {months} months = {expected}."),
    Rule("A220", "annex2.stable_rate.mismatch", "error", "arithmetic",
         "社工站稳岗率与在岗情况不符", "The 稳岗率 disagrees with the grid",
         "{cell}：每月都在岗的社工 {stable} 人 ÷ 协议要求在岗 {headcount} 人 = {expected}，表中为 {found}。"
         "请在稳岗率下方的“持续在岗社工数”填 {stable}、“协议要求在岗社工数”填 {headcount}"
         "（旧版表格：把公式改为 ={stable}/{headcount}）。",
         "{cell}: {stable} workers on post every month ÷ {headcount} agreed = {expected}, the sheet shows {found}. "
         "Enter {stable} under “持续在岗社工数” and {headcount} under “协议要求在岗社工数” below the rate "
         "(an older sheet: make the formula ={stable}/{headcount}).",
         inferred=True),
    Rule("A221", "annex2.headcount.source", "info", "input",
         "协议要求在岗社工数的来源", "Where the agreed headcount came from",
         "协议要求在岗社工数按 {expected} 人计算：{reason}。",
         "The agreed headcount is taken as {expected}: {reason}."),
    # -- Annex 1's headcounts -------------------------------------------------------------------
    Rule("A225", "annex2.annex1.staff_mismatch", "error", "consistency",
         "附件1 投入社工人数与附件2 在岗社工不符", "Annex 1's 投入社工人数 disagrees with Annex 2",
         "{cell}：{district} 投入社工人数为 {found}，附件2 最后一个月（{month}）职位属该片区的在岗社工为 {expected}"
         "（{names}）。",
         "{cell}: {district} reports {found} workers; Annex 2's last month ({month}) has {expected} on post whose "
         "position names that district ({names})."),
    Rule("A226", "annex2.worker.three_districts", "error", "consistency",
         "一名社工计入了三个或以上片区", "A worker is placed in three or more districts",
         "{cell}：{worker} 的职位“{found}”涉及 {expected} 个片区；每名社工只能计入 1 个片区，或在 2 个片区各计 0.5 人。",
         "{cell}: {worker}'s position “{found}” names {expected} districts; a worker counts in one district, or "
         "as 0.5 in each of two."),
    Rule("A227", "annex2.comment.resigned", "warning", "consistency",
         "片区批注列出了期末已不在岗的社工", "A district comment lists a worker no longer on post",
         "{cell} 的批注把 {worker} 列入 {district}，但附件2 中其在 {month} 已不在岗{reason}。",
         "The comment on {cell} lists {worker} in {district}, but Annex 2 shows them off post in {month}{reason}."),
    Rule("A228", "annex2.comment.not_in_grid", "warning", "consistency",
         "片区批注中的社工不在附件2 名单中", "A district comment names someone not in Annex 2",
         "{cell} 的批注把“{worker}”列入 {district}，但附件2 中没有此人。",
         "The comment on {cell} lists “{worker}” in {district}, but Annex 2 has no such worker."),
    Rule("A229", "annex2.comment.other_district", "warning", "consistency",
         "片区批注与社工职位所属片区不一致", "A district comment and the worker's position disagree",
         "{cell} 的批注把 {worker} 列入 {district}，但其职位“{found}”属于{expected}。",
         "The comment on {cell} lists {worker} in {district}, but the position “{found}” belongs to {expected}."),
)

#: Findings said once for their region (grouping.py): code → (region, zh, en).
GROUPS = {
    "A201": ("sheet", "{range}：{count} 个计算单元格与规则不符，如 {cell}（{indicator}）按规则应为 {expected}，表中显示 {found}。{why}",
             "{range}: {count} derived cells disagree with the rule, e.g. {cell} ({indicator}) should be {expected} but shows {found}.{why}"),
    "A206": ("sheet", "{range}：{count} 个打勾单元格填的是“{all_found}”，已按打勾计算；官方模板的公式只认“√”，请统一改为“√”。",
             "{range}: {count} tick cells hold “{all_found}”, counted as ticks; the official template's formulas only count “√”: "
             "type “√” instead."),
    "A202": ("sheet", "{range}：{count} 个计算单元格是手填的数字而不是公式；数值都与规则一致，但以后改动数据时不会自动更新。"
             "运行 annexproc recompute --restore-formulas 可写回公式。",
             "{range}: {count} derived cells hold typed numbers instead of formulas; every value agrees with the rule, but "
             "none will follow later changes. Run annexproc recompute --restore-formulas to put the formulas back."),
    "A203": ("column", "{range}：{count} 个计算单元格是手填的错误数字，如 {cell}（{indicator}）为 {found}，应为 {expected}。",
             "{range}: {count} derived cells hold wrong typed numbers, e.g. {cell} ({indicator}) holds {found}; it should be {expected}."),
    "A231": ("sheet", "{range}：{count} 个计算单元格的公式现在结果一致，但漏掉了规则所读的同类单元格（如 {cell} 没有读取 {missing}）；这些单元格改动后结果会出错。",
             "{range}: {count} derived cells' formulas agree now but leave out cells of a kind they read (e.g. {cell} "
             "does not read {missing}); they will go wrong when those cells change."),
    "A207": ("row", "{range}：{worker} 的合同 {contract_start} 才开始，{all_month} 不应计入。",
             "{range}: {worker}'s contract starts on {contract_start}; {all_month} cannot count."),
    "A208": ("row", "{range}：{worker} 的合同已于 {contract_end} 结束，{all_month} 不应计入。",
             "{range}: {worker}'s contract ended on {contract_end}; {all_month} cannot count."),
    "A209": ("row", "{range}：备注写明 {worker} 于 {left} 离职，{all_month} 不应计入。",
             "{range}: the remarks say {worker} left on {left}; {all_month} cannot count."),
    "A212": ("row", "{range}：{worker} 在 {all_month} 人员到位，但社保购买或工资发放未打“√”，按表格公式这些月份不计入到岗人次。",
             "{range}: {worker} is on post in {all_month} but 社保购买 or 工资发放 is not ticked “√”; by the sheet's formula "
             "these months do not count."),
    "A213": ("row", "{range}：{worker} 在 {all_month} 已在{other}计入，不能在两部分重复计算。",
             "{range}: {worker} is already counted for {all_month} in the {other} section; a month counts in one section only."),
    "A214": ("row", "{range}：{reason}，但 {worker} 在 {all_month} 的持证和非持证两部分都没有计入。",
             "{range}: {reason}, yet {worker} is counted in neither section in {all_month}."),
    "A215": ("row", "{range}：{worker} {certified} 取证，{from_month}起才计为持证社工；{all_month} 应计入非持证社工。",
             "{range}: {worker} was certified on {certified} and counts as certified from {from_month}; {all_month} "
             "belong to the uncertified section."),
    "A222": ("sheet", "{range}：{count} 个人员到位单元格填了 0 到 1 以外的数字（{all_found}）；每人每月最多计 1 人次。",
             "{range}: {count} 人员到位 cells hold numbers outside 0–1 ({all_found}); a person counts at most 1 a month."),
}
