"""The command line's own words in Chinese and English (rule messages live in the rulebook)."""
from __future__ import annotations

TEXT = {
    "clean": ("✔ 未发现错误", "✔ no errors found"),
    "summary": ("{errors} 个错误，{warnings} 个警告，{infos} 个提示", "errors: {errors}, warnings: {warnings}, notes: {infos}"),
    "has_errors": ("✘ 有错误，请改正后再提交", "✘ errors to correct before submitting"),
    "unreadable": ("✘", "✘"),
    "figures": ("关键数据", "key figures"),
    "wrote": ("已写出：{path}", "wrote: {path}"),
    "wrote_copy": ("已写出带批注的副本：{path}（第一张表“核查结果”列出全部问题，出错的单元格已标色并加批注）",
                   "wrote the annotated copy: {path} (its first sheet, 核查结果, lists every finding; the cells concerned are "
                   "coloured and carry a comment)"),
    "exists": ("输出文件已存在：{path}（加 --force 覆盖）", "output exists: {path} (add --force to overwrite)"),
    "same_as_input": ("不能把输出写到输入文件上：{path}", "refusing to write the output over the input: {path}"),
    "one_output": ("-o 只能用于单个文件；多个文件请用 annexproc batch", "-o takes a single input file; use `annexproc batch` for several"),
    "one_report": ("--report 只能与单个工作簿一起使用", "--report takes a single workbook"),
    "station": ("服务站", "station"),
    "legend": ("错误：须改正；警告：请核实；提示：仅供参考。", "error: must be corrected · warning: please check · note: for information."),
}

#: Severity as the terminal shows it; English says "note" for info, as the annotated copy does.
SEVERITY_WORDS = {"error": ("错误", "error"), "warning": ("警告", "warning"), "info": ("提示", "note")}


def severity_word(severity: str, lang: str = "zh") -> str:
    """'error' → 错误 / error; 'info' → 提示 / note: every output names a severity this way."""
    return say(SEVERITY_WORDS, severity, lang) if severity in SEVERITY_WORDS else severity

FIGURE_NAMES = {
    "certified_person_months": ("持证社工实到岗人次", "certified person-months"),
    "uncertified_person_months": ("非持证社工实到岗人次", "uncertified person-months"),
    "total_person_months": ("社工实到岗人次", "total person-months"),
    "required_person_months": ("应到岗人次", "required person-months"),
    "required_certified_person_months": ("持证社工应到岗人次（不少于）", "required certified person-months"),
    "two_year_person_months": ("从业2年以上社工到岗人次", "2-year-experience person-months"),
    "two_year_share": ("从业2年以上占比", "2-year share"),
    "certified_share": ("持证社工占比", "certified share"),
    "stable_rate": ("稳岗率", "stable rate"),
    "stable_workers": ("持续在岗社工数", "workers on post every month"),
    "agreed_headcount": ("协议要求在岗社工数", "agreed headcount"),
    "months": ("考核月份数", "months"),
    "annex1_sentence": ("附件1-1 说明句", "附件1-1 sentence"),
    "registered_population": ("户籍人口（万人）", "registered population (10,000s)"),
    "filed_households": ("建档总户数", "households on file"),
    "filed_people": ("建档人数", "people on file"),
    "visit_people_times": ("入户探访总人次", "home visits (person-times)"),
    "visit_people": ("服务总人数", "people served"),
    "served_people_times": ("共服务社区居民人次", "residents served (person-times)"),
    "completion": ("完成率", "completion"),
    "annex1_totals": ("附件1 合计", "附件1 totals"),
    "workers": ("社工名单", "workers"),
}


def say(table: dict[str, tuple[str, str]], key: str, lang: str = "zh", **kw) -> str:
    """One (zh, en) entry of a module's word table, in ``lang``, with its placeholders filled."""
    zh, en = table[key]
    return (en if lang == "en" else zh).format(**kw)


def both(table: dict[str, tuple[str, str]], key: str, **kw) -> tuple[str, str]:
    """(zh, en) of one entry, filled: for a message carried in both languages and picked later."""
    return say(table, key, "zh", **kw), say(table, key, "en", **kw)


def t(key: str, lang: str = "zh", **kw) -> str:
    """The command line's own words."""
    return say(TEXT, key, lang, **kw)


def figure_name(key: str, lang: str = "zh") -> str:
    zh, en = FIGURE_NAMES.get(key, (key, key))
    return en if lang == "en" else zh


def figure_key(what: str) -> str | None:
    """The figure a finding's ``affects`` entry names: by its label as shown (zh or en), or its key."""
    what = str(what).strip()
    for key, names in FIGURE_NAMES.items():
        if what == key or what in names:
            return key
    return None


def affected_figures(findings) -> dict[str, list]:
    """{figure key: [(error finding, as the file has it, as it should be)]} for every key figure an error changes.

    NB: the checkers' convention (findings.Finding.affects): an entry (what, without the cause, with it)
    whose ``what`` is a figure's key (or its label, as 核查结果 and the page show it) marks that figure.
    """
    out: dict[str, list] = {}
    for f in findings:
        if f.severity != "error":
            continue
        for what, without, with_cause in f.affects:
            key = figure_key(what)
            if key is not None:
                out.setdefault(key, []).append((f, with_cause, without))
    return out


def count_word(n: int, key: str, lang: str = "zh") -> str:
    """'3 个错误' / '1 error', '2 errors': a count with its noun, English plurals right."""
    zh, one, many = COUNT_WORDS[key]
    if lang == "en":
        return f"{n} {one if n == 1 else many}"
    return f"{n} {zh}"


COUNT_WORDS = {"error": ("个错误", "error", "errors"), "warning": ("个警告", "warning", "warnings"),
               "info": ("个提示", "note", "notes"), "cell": ("处", "cell", "cells")}
