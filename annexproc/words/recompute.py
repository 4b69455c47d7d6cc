"""The recomputed copy's words: each changed cell on the terminal, and the comment on it."""

WORDS = {
    "change": ("{where}: {before} → {after}", "{where}: {before} → {after}"),
    "stale": ("（此格公式与规则不符，Excel 重算后会变回原值；加 --restore-formulas 改正公式）",
              " (its formula disagrees with the rule and Excel will recalculate it back; "
              "add --restore-formulas to correct the formula)"),
    "restored": ("（已改回官方公式）", " (official formula restored)"),
    "note": ("annexproc 重算：原为 {before}，按官方公式应为 {after}。",
             "annexproc recomputed: was {before}; the official formula gives {after}."),
}
