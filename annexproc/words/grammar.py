"""How each language writes what is not a sentence: joiners, stops, a blank, a date, a count with its noun."""

WORDS = {
    "list": ("、", ", "),             # names or cells listed
    "comma": ("，", ", "),
    "semicolon": ("；", "; "),
    "gap": ("", " "),                 # between words: Chinese writes none
    "none": ("无", "none"),           # an empty list
    "blank": ("（空）", "(blank)"),    # an empty cell
    "date": ("{y}年{m}月{d}日", "{y:04d}-{m:02d}-{d:02d}"),
    "month": ("{y}年{m}月", "{y}-{m:02d}"),
    "period": ("{first}至{last}", "{first} – {last}"),
    "span": ("{first}至{last}", "{first} to {last}"),
    "counted": ("{text}（{n}）", "{text} ({n})"),
    # a count with its noun: English says one and many apart ('count.X.one' for one)
    "count.error": ("{n} 个错误", "{n} errors"), "count.error.one": ("{n} 个错误", "{n} error"),
    "count.warning": ("{n} 个警告", "{n} warnings"), "count.warning.one": ("{n} 个警告", "{n} warning"),
    "count.info": ("{n} 个提示", "{n} notes"), "count.info.one": ("{n} 个提示", "{n} note"),
    "count.cell": ("{n} 处", "{n} cells"), "count.cell.one": ("{n} 处", "{n} cell"),
}
