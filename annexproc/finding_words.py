"""How every output words a finding beyond its message: its cell or range ('S9:S25（17 处）'), its message
without formulas (what its cause changes still said at the end), and the official formula it refers to."""
from __future__ import annotations

import re
from dataclasses import replace

from . import words
from .findings import Finding
from .i18n import count_word


def region_text(f: Finding, lang: str = "zh") -> str:
    """Where a finding is: 'S9:S25（17 处）' for one said over a region, its cell for one cell, '' for none."""
    cells = f.all_cells
    if len(cells) > 1:
        return words.say("finding.region", lang, range=f.range, n=count_word(len(cells), "cell", lang))
    return f.cell or ""


def is_ratio_figure(key: str | None) -> bool:
    """Is the key figure a ratio (shown as 0.00%)?"""
    return bool(key) and (key.endswith(("share", "rate", "_pct", "ratio")) or key == "completion")


_FORMULA_ARGS = ("formula", "found_formula")
_TIDY = (  # NB: what is left around a formula taken out of a message, and what it becomes
    (re.compile(r"\s*\(\x00\)"), ""),
    (re.compile(r"[：:]\s*\x00(?=\s*[。.（(])"), ""),
)


def words_only(f: Finding, lang: str = "zh") -> str:
    """The message with its formulas taken out (the 参考公式 column and the comment carry them)."""
    def formula(k: str) -> bool:   # NB: 'all_formula' is a merged finding's formulas (grouping.py)
        return k.removeprefix("all_").removesuffix("_en") in _FORMULA_ARGS

    if not any(formula(k) for k, _ in f.args):
        return f.message(lang)
    # NB: worded without what the cause changes, which the message says at its end, after the tidying
    text = replace(f, args=tuple((k, "\x00" if formula(k) else v) for k, v in f.args), affects=()).message(lang)
    for pattern, repl in _TIDY:
        text = pattern.sub(repl, text)
    text = re.sub(r"[：:]\s*\x00\s*$", words.say("finding.see_formula", lang), text)
    text = re.sub(r"\s*\x00\s*", words.say("grammar.gap", lang), text)
    text = re.sub(r" {2,}", " ", text).replace(" ,", ",").replace(" .", ".").strip()
    return text + f.affects_text(lang) if f.affects else text


def reference_formula(f: Finding, derived: dict | None = None) -> str:
    """The official formula of a finding's cell: the one its message quotes, else the derived cell's."""
    got = dict(f.args).get("formula")
    if isinstance(got, str) and got:
        return got
    d = (derived or {}).get((f.sheet, f.cell)) if f.sheet and f.cell else None
    return d.formula if d is not None else ""
