"""The written report's words outside its document templates (writeup/templates): the facts' names, where a
figure or a quote is. NB: the draft's own sentences stay in writeup/templates/{zh,en}.toml, one per language."""

WORDS = {
    # 附件2's facts
    "fact.months": ("考核月份数", "assessment months"),
    "fact.required_certified": ("持证社工应配备人次", "required certified person-months"),
    "fact.certified": ("持证社工实到岗人次", "certified person-months"),
    "fact.certified_diff": ("持证社工超配人次", "certified surplus"),
    "fact.required": ("社工应到岗人次", "required person-months"),
    "fact.total": ("社工实到岗人次", "person-months"),
    "fact.total_diff": ("社工超配人次", "surplus person-months"),
    "fact.stable_workers": ("持续稳定在岗社工数", "workers on post every month"),
    "fact.stable_rate": ("稳岗率", "stable rate"),
    "fact.two_year": ("从业2年以上社工实到人次", "2-year person-months"),
    "fact.two_year_share": ("从业2年以上社工占实到人次比例", "2-year share"),
    "fact.level.senior": ("高级社工师人数", "senior social workers"),
    "fact.level.mid": ("中级社工师人数", "intermediate social workers"),
    "fact.level.assistant": ("助理级社工师人数", "assistant social workers"),
    "fact.level.uncertified": ("非持证社工人数", "uncertified workers"),
    "fact.workers": ("评估末月在岗社工数", "workers in the last month"),
    # 附件1's facts: a district's and a target's figures ({where}: '片区1 ' or nothing for the total)
    "fact.staff": ("{district} 投入社工人数", "{district} social workers"),
    "fact.done": ("{where}{title}", "{where}{title}"),
    "fact.agree": ("{where}{title} 协议", "{where}{title} agreed"),
    "fact.pct": ("{where}{title} 完成率", "{where}{title} completion"),
    "fact.target_agree": ("{title} 指标要求", "{title} agreed"),
    # a figure the annexes have wrong: where ('附件2 S9:S25（A201）')
    "problem_cell": ("{sheet} {range}（{rule}）", "{sheet} {range} ({rule})"),
    # why a written report cannot be read (RP05)
    "unsupported": ("不支持的报告格式 {ext}（应为 {suffixes}）", "unsupported report format {ext} (expected {suffixes})"),
    "no_ext": ("（无扩展名）", "(no extension)"),
    # where a quote of the report is
    "at": ("第 {paragraph} 段{page}", "paragraph {paragraph}{page}"),
    "at_page": ("（第 {page} 页）", " (page {page})"),
}
