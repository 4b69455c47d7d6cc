"""附件1's words: what its locator could not find, the tables it names, the rules its derived cells follow and
the hints and labels its findings carry (annex1/locate.py, reader.py, rules.py, derived_rules.py)."""

WORDS = {
    # what could not be found (a Missing's what / what_en: RD02, RD03, A112)
    "missing.leaf_row": ("“{title}”等指标下方的“协议/完成量/百分比”表头行",
                         "the 协议/完成量/百分比 header row under “{title}”"),
    # NB: {measure} is the measure's label in Chinese, its key in English
    "missing.measure": ("“{title}”下{measure}的表头（{names}）", "the {names} headers of “{title}” ({measure})"),
    "missing.indicator": ("指标“{title}”的表头", "the header of “{title}”"),
    "missing.total_row": ("“{title}”所在表格的“合计”行", "the 合计 (total) row of the block of “{title}”"),
    "missing.district_rows": ("“{title}”所在表格的片区行", "the district rows of the block of “{title}”"),
    "missing.targets_header": ("五社联动/志愿者表格的表头（协议内容、指标要求、完成量、百分比）",
                               "the header of the 五社联动/志愿者 block (协议内容, 指标要求, 完成量, 百分比)"),
    "missing.target_row": ("“{title}”一行", "the row of “{title}”"),
    "missing.annex1_2_item": ("“{title}”及其下方的“指标要求/完成情况/完成百分比”",
                              "“{title}” with its 指标要求/完成情况/完成百分比 headers below"),
    # NB: {titles} is joined with '、' in Chinese, ', ' in English
    "missing.block": ("以“服务片区”开头、含“{titles}”的表格", "the block headed 服务片区 with {titles}"),
    "missing.annex1_1": ("附件1-1（指标完成情况统计表：服务片区、红棉热线服务次数……）",
                         "附件1-1 (the indicator table: 服务片区, 红棉热线服务次数 …)"),
    "missing.annex1_2": ("附件1-2（典型案例、专业培训、项目会议……的指标要求/完成情况）",
                         "附件1-2 (典型案例, 专业培训, 项目会议 … with 指标要求/完成情况)"),
    # the tables as a finding names them (a Table's what / what_en: A113)
    "table.block": ("“{title}”表格", "the block of “{title}”"),
    "table.annex1_2": ("附件1-2", "附件1-2"),
    "table.targets": ("五社联动/志愿者表格", "the 五社联动/志愿者 block"),
    # the two district blocks as the cross-checks name them (XS01–XS04)
    "table.services": ("服务表（困难群众建档…专业小组）", "services table"),
    "table.activities": ("活动表（大型社区活动…小型社区活动）", "activities table"),
    # the rule a derived cell follows (A101–A109's {rule_text})
    "rule.pct": ("百分比 = 完成量 ÷ 协议数，协议为“/”或 0 时填“/”",
                 "percentage = achieved ÷ agreed, '/' where the agreement is '/' or 0"),
    "rule.total_pct": ("合计百分比 = 合计完成量 ÷ 合计协议数（不是各片区百分比的平均）",
                       "the 合计 percentage = total achieved ÷ total agreed (not an average of the districts)"),
    "rule.sum_na": ("合计 = 各片区之和（各片区都为“/”时填“/”）", "合计 = the sum of the districts ('/' when all are '/')"),
    "rule.sum": ("合计 = 各片区之和", "合计 = the sum of the districts"),
    # what to enter in a blank input, by its role (A110's {hint})
    "hint.agree": ("请按协议填写数字；无此指标请填“/”。", "Enter the agreed number, or '/' where there is no such indicator."),
    "hint.done": ("公式按 0 计算；没有完成请填 0。", "The formulas count it as 0; enter 0 when nothing was done."),
    "hint.staff": ("请填写投入该片区的社工人数。", "Enter the number of social workers in this district."),
    # the activities block's districts against the services block's (A123's {what}, {expected})
    "district": ("片区", "the district"),
    "district_name": ("片区名称", "the district name"),
    "district_staff": ("投入社工人数", "投入社工人数"),
    "none": ("（无）", "none"),
    # where block 3's parts should come from (A116's {source_label})
    "source.sentence": ("说明文字的“服务总人数”", "the sentence's 服务总人数"),
    "source.hotline": ("红棉热线服务次数的合计完成量", "the 合计 achieved of 红棉热线服务次数"),
    "source.case": ("专业个案节数的合计完成量", "the 合计 achieved of 专业个案 sessions"),
    "source.group": ("专业小组人次的合计完成量", "the 合计 achieved of 专业小组 people"),
    "source.activities": ("四类社区活动人次合计完成量之和", "the sum of the four activities' 合计 people achieved"),
}
