"""The activity ledger's words: the rows its findings name, and what stands for a blank name or district
(ledger/check.py)."""

WORDS = {
    "no_name": ("无名称", "no name"),                      # an activity with no 活动名称 ({activity})
    "no_district": ("无片区", "no district"),              # a row with no 片区 ({district})
    # NB: LD09's {expected}, said in Chinese in both languages as it always has been
    "count_expected": ("0 或正整数", "0 或正整数"),
    # the other rows of a double count (LD01–LD03's {others}), joined as grammar.list joins
    "row": ("第{row}行（{district}）", "row {row} ({district})"),
    "more": ("等另 {n} 行", "and {n} more"),
    # the rows behind a figure (LD04/LD05's {rows}); NB: {count} is how many in all in Chinese, how many more
    # in English
    "rows": ("台账第{rows}行{more}", "ledger rows {rows}{more}"),
    "rows.more": ("等 {count} 行", " and {count} more"),
    "rows.none": ("台账中没有", "none in the ledger"),
    "rows.outside": ("；评估期外的 {n} 行未计入", "; {n} rows outside the period left out"),
}
