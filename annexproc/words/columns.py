"""The columns and charts of a batch's summary.xlsx and findings.csv: headings and what a cell says."""

WORDS = {
    "station": ("服务站", "station"), "file": ("文件", "file"), "readable": ("可读", "readable"),
    "reason": ("原因", "reason"), "errors": ("错误", "errors"), "warnings": ("警告", "warnings"),
    "copy": ("批注副本", "annotated copy"), "notes": ("备注", "notes"),
    "severity": ("严重程度", "severity"), "rule": ("规则", "rule"), "sheet": ("工作表", "sheet"),
    "cell": ("单元格", "cell"), "message": ("说明", "message"), "expected": ("应为", "expected"),
    "found": ("表中为", "found"), "yes": ("是", "yes"), "no": ("否", "no"),
    "completion": ("{label} 完成率", "{label} completion"),
    "indicator": ("指标", "indicator"), "where": ("片区/社工", "district / worker"),
    "chart_completion": ("附件1 各指标完成率（按服务站）", "Annex 1: completion of each indicator, by station"),
    "chart_staffing": ("附件2 社工到岗完成率（实到 ÷ 应到）", "Annex 2: person-months achieved ÷ required"),
    "rate_total": ("社工到岗完成率", "person-months"), "rate_certified": ("持证社工到岗完成率", "certified person-months"),
    "target": ("100%（协议要求）", "100% (agreed)"),
    "affected": ("受错误影响，应为 {v}（{where}）", "changed by an error: should be {v} ({where})"),
    "print_note": ("各指标完成率见“图表”表", "the completion of each indicator is on the 图表 sheet"), "not_checked": ("未核查", "not checked"),
    "no_charts": ("没有可作图的数据（没有可读的附件1或附件2）", "nothing to chart (no readable Annex 1 or Annex 2)"),
    # the sheet of workers counted by two stations (XS05, namesakes XS06)
    "cross_sheet": ("多站同名社工", "Two stations"), "worker": ("社工", "worker"), "months": ("同时到岗月份", "months"),
    "other_station": ("另一服务站", "other station"), "other_file": ("另一文件", "other file"),
    "other_cell": ("另一文件单元格", "other cell"), "cross_none": ("没有社工同月被两个服务站计为到岗",
                                                          "no worker is counted by two stations in the same month"),
}
