"""The words of `annexproc compare` (an earlier and a later workbook of one station) beyond the CP rules'."""

WORDS = {
    "other_station": ("拒绝比较：两个工作簿不是同一个服务站（{a} / {b}）；compare 只比较同一服务站的前后两期。",
                      "refused: the two workbooks are of different stations ({a} / {b}); compare takes two periods "
                      "of one station."),
    "head": ("比较 前一期 {a} → 本期 {b}", "comparing earlier {a} → later {b}"),
    # the agreement figures CP02 names ({item})
    "item.headcount": ("协议要求在岗社工数", "the agreed headcount (协议要求在岗社工数)"),
    "item.period": ("年度服务协议时间", "the agreement period (年度服务协议时间)"),
}
