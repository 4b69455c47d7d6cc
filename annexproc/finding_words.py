"""How every output words a finding beyond its message: its cell or range ('S9:S25（17 处）'), what its
cause changes further on, its message without formulas, and the official formula it refers to."""
from __future__ import annotations

import re
from dataclasses import replace

from .findings import Finding, show
from .i18n import count_word, figure_key, figure_name, say

_WORDS = {
    "affects": ("影响：{what} 表中 {found}，应为 {expected}", "Changes: {what} {found}, should be {expected}"),
}


def region_text(f: Finding, lang: str = "zh") -> str:
    """Where a finding is: 'S9:S25（17 处）' for one said over a region, its cell for one cell, '' for none."""
    cells = f.all_cells
    if len(cells) > 1:
        n = count_word(len(cells), "cell", lang)
        return f"{f.range}（{n}）" if lang != "en" else f"{f.range} ({n})"
    return f.cell or ""


def is_ratio_figure(key: str | None) -> bool:
    return bool(key) and (key.endswith(("share", "rate", "_pct", "ratio")) or key == "completion")


def affects_lines(f: Finding, lang: str = "zh") -> list[str]:
    """What a finding's cause changes further on, one line each: '影响：社工实到岗人次 表中 160.5，应为 159.5'."""
    out = []
    for what, found, expected in f.affects:
        key = figure_key(what)
        unit = "pct" if is_ratio_figure(key) or (key is None and f.unit == "pct") else None
        out.append(say(_WORDS, "affects", lang, what=figure_name(key, lang) if key else what,
                       found=show(found, unit, lang), expected=show(expected, unit, lang)))
    return out


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
    text = replace(f, args=tuple((k, "\x00" if formula(k) else v) for k, v in f.args)).message(lang)
    for pattern, repl in _TIDY:
        text = pattern.sub(repl, text)
    see = "：见“参考公式”列" if lang != "en" else ": see the reference formula"
    text = re.sub(r"[：:]\s*\x00\s*$", see, text)
    text = re.sub(r"\s*\x00\s*", "" if lang != "en" else " ", text)
    return re.sub(r" {2,}", " ", text).replace(" ,", ",").replace(" .", ".").strip()


def reference_formula(f: Finding, derived: dict | None = None) -> str:
    """The official formula of a finding's cell: the one its message quotes, else the derived cell's."""
    got = dict(f.args).get("formula")
    if isinstance(got, str) and got:
        return got
    d = (derived or {}).get((f.sheet, f.cell)) if f.sheet and f.cell else None
    return d.formula if d is not None else ""
