"""附件2's words: what its locator could not find and the reasons, rules and section names its findings carry
(annex2/locate.py, rules.py, derived_rules.py)."""

WORDS = {
    # what could not be found (a NotFound's what / what_en: RD02, RD03)
    "missing.header": ("附件2 的表头（“姓名”及其下方的“人员到位”）", "the header of 附件2 (姓名 with 人员到位 below it)"),
    "missing.sheet": ("附件2 人员到岗情况表", "附件2 (the staffing grid)"),
    "missing.sub_columns": ("{title} 下的“人员到位、社保购买、工资发放”三列", "the three sub-columns under {title}"),
    "missing.total_column": ("“人员到岗小计”列", "the 人员到岗小计 column"),
    "missing.months": ("月份表头（如“2024年5月”）", "the month titles (e.g. 2024年5月)"),
    "missing.workers": ("附件2 的社工行", "any worker row in 附件2"),
    # a '同N' row that names no row or another person (A230's {reason})
    "same.missing": ("指向的序号不存在，已按姓名归并", "names no existing row; merged by name"),
    "same.other_name": ("指向的行姓名不同，已按本行姓名归并", "names a row with another name; merged by name"),
    # where the agreed headcount came from (A221's {reason})
    "headcount.params": ("取自参数（--headcount 或参数文件）", "from the parameters (--headcount or the params file)"),
    "headcount.formula": ("取自稳岗率单元格 {cell} 公式中的分母（协议要求在岗社工数）",
                          "the denominator in the 稳岗率 formula of {cell}"),
    "headcount.input": ("取自稳岗率单元格 {cell} 公式所除的单元格 {input}（协议要求在岗社工数）",
                        "the cell {input} the 稳岗率 formula of {cell} divides by (the agreed headcount)"),
    "headcount.last_month": ("未给出参数、稳岗率单元格也没有含分母的公式，按最后一个月（{month}）在岗人数计；"
                             "如协议人数不同，请用 --headcount 指定",
                             "no parameter and no denominator in the 稳岗率 formula: the heads on post in the last month "
                             "({month}); give --headcount if the agreement says otherwise"),
    # the partial-month rules (A210/A211's {day_rule})
    "day_rule.join": ("{day}日及以前入职计1、之后计{partial}", "joining on or before day {day} → 1, after → {partial}"),
    "day_rule.leave": ("{day}日及以后离职计1、之前计{partial}", "leaving on or after day {day} → 1, before → {partial}"),
    # the two sections (A213's {other})
    "section.certified": ("持证社工", "certified"),
    "section.uncertified": ("非持证社工", "uncertified"),
    # why neither section is marked in a month (A214's {reason})
    "off.segment": ("{cell} 的“{segment}”表示此月计入另一部分",
                    "“{segment}” in {cell} says this month counts in the other section"),
    "off.leave": ("备注写明此月在休假（休假期间仍计在岗）", "the remarks put this month in a leave (on post)"),
    # a worker a district's comment lists, not on post in the last month (A227's {reason})
    "left": ("（备注：{date}离职）", " (remarks: left on {date})"),
    # the formulas leave out '✓' (A201's {why})
    "why.unticked": ("表中的公式没有把“✓”等勾号算作打勾。", " The sheet's formulas do not count '✓' as a tick."),
}
