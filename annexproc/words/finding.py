"""How every output words a finding beyond its rule's message: its severity, its region, what it changes."""

WORDS = {
    # severity as every output names it; English says "note" for info, as the annotated copy does
    "severity.error": ("错误", "error"),
    "severity.warning": ("警告", "warning"),
    "severity.info": ("提示", "note"),
    "region": ("{range}（{n}）", "{range} ({n})"),                 # 'S9:S25（17 处）'
    "see_formula": ("：见“参考公式”列", ": see the reference formula"),
    # what a cause changes, said after the message (Finding.affects_text)
    "changes": ("此项还改变了：{items}。", " It also changes: {items}."),
    "more_cells": ("…（共 {n} 个单元格）", "… ({n} cells in all)"),
    # a derived cell whose formula reads other cells and has no stored result (A106, A204's {found})
    "not_calculated": ("（未计算）", "not calculated"),
}
