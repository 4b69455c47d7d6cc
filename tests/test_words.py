"""The one catalogue of user words (annexproc.words, issue 17): every entry and every rule message formats in
both languages with the same placeholders; unknown keys, missing and unused placeholders are errors in tests;
the files that still say their own sentences inline are an explicit list, to shrink.

Every finding message of every fixture workbook is rendered in both languages by test_messages.py, with the
strict mode on (conftest.py): a rule template naming a placeholder its findings do not carry fails there.
"""
from __future__ import annotations

import ast
import logging
import re
from pathlib import Path

import pytest

from annexproc import words
from annexproc.findings import finding
from annexproc.rulebook import unique_rules

from conftest import ROOT

PACKAGE = ROOT / "annexproc"


def _dummy(template: str) -> dict:
    # NB: 1 formats under every spec our templates use ('{y:04d}') and as text
    return dict.fromkeys(words.fields(template), 1)


def test_tests_run_strict():
    assert words.strict(), "conftest.py sets ANNEXPROC_STRICT_WORDS=1"


@pytest.mark.parametrize("key", words.keys())
def test_every_entry_formats_in_both_languages_with_the_same_placeholders(key):
    zh, en = words.entry(key)
    assert isinstance(zh, str) and isinstance(en, str) and (zh or key == "grammar.gap") and en
    assert words.fields(zh) == words.fields(en), key
    values = _dummy(zh)
    for lang in ("zh", "en"):
        text = words.say(key, lang, **values)
        assert not re.search(r"\{[A-Za-z_]\w*\}", text), (key, lang, text)


@pytest.mark.parametrize("rule", unique_rules(), ids=lambda r: r.code)
def test_every_rule_message_uses_the_same_placeholders_in_both_languages(rule):
    for part in ("", ".group", ".summary"):
        if part == ".group" and not rule.group_zh:
            continue
        zh, en = words.entry(f"rule.{rule.code}{part}")
        assert words.fields(zh) == words.fields(en), (rule.code, part)
        for lang in ("zh", "en"):
            words.say(f"rule.{rule.code}{part}", lang, **_dummy(zh))
    assert set(rule.optional) <= words.fields(rule.message_zh), "an optional placeholder the message names"


@pytest.mark.parametrize("rule", [r for r in unique_rules() if r.group_zh], ids=lambda r: r.code)
def test_a_group_message_needs_nothing_its_single_findings_do_not_carry(rule):
    """A region said once (grouping.merge) carries the first finding's values, {count} {range} {cells}, and
    {all_X} for each X of its members: its template names nothing else."""
    single = words.fields(rule.message_zh) | set(rule.optional) | {
        "sheet", "cell", "expected", "found", "indicator", "district", "worker", "where"}
    extra = {x for x in words.fields(rule.group_zh) - single - {"count", "range", "cells"}
             if not (x.startswith("all_") and x[4:] in single)}
    assert not extra, extra


def test_an_unknown_key_is_an_error():
    for key in ("cli.no_such_words", "nowhere.clean", "rule.ZZ99", "rule.A101.nothing", "cli"):
        with pytest.raises(KeyError):
            words.say(key)


def test_a_missing_placeholder_is_an_error_in_tests_and_shown_otherwise(monkeypatch, caplog):
    with pytest.raises(KeyError, match=r"\{path\}"):
        words.say("cli.exists", "en")
    monkeypatch.setenv("ANNEXPROC_STRICT_WORDS", "0")
    with caplog.at_level(logging.WARNING, logger="annexproc.words"):
        text = words.say("cli.exists", "en")
    assert text == "output exists: {path} (add --force to overwrite)"   # NB: never a silent blank
    assert "cli.exists: no value for placeholder {path}" in caplog.text


def test_an_unused_value_is_an_error_in_tests(monkeypatch):
    with pytest.raises(TypeError, match="pth"):
        words.say("cli.exists", "zh", path="a.xlsx", pth="a.xlsx")
    monkeypatch.setenv("ANNEXPROC_STRICT_WORDS", "0")
    assert words.say("cli.exists", "zh", path="a.xlsx", pth="x") == "输出文件已存在：a.xlsx（加 --force 覆盖）"


def test_a_rule_message_is_said_through_the_catalogue():
    f = finding("A201", "附件2", "S9", expected=8, found=7, indicator="社工实到岗人次")
    assert f.message("en") == words.say("rule.A201", "en", cell="S9", indicator="社工实到岗人次", expected="8",
                                        found="7", why="")
    # NB: a finding carries values other outputs read (its formula, English twins): not an error for a rule
    g = finding("A201", "附件2", "S9", expected=0.5, found=0.4, unit="pct", indicator="x", formula="=S8/S7",
                why="表中的公式没有把“✓”算作打勾。", why_en=" The sheet's formulas do not count '✓' as a tick.")
    assert g.message("en") == ("S9 (x) should be 50.00% by the rule but shows 40.00%. The sheet's formulas do not "
                               "count '✓' as a tick.")


def test_a_finding_missing_a_placeholder_is_an_error():
    """CP01 names {earlier} and {month}: a finding without them cannot be said."""
    with pytest.raises(KeyError, match=r"rule\.CP01: no value for placeholder \{month\}"):
        finding("CP01", "附件2", "S9", worker="林晓雨", indicator="x", earlier="a.xlsx").message("zh")


def test_pair_args_and_pick():
    assert words.pair("cli.bad_month") == "应为 YYYY-MM / expected YYYY-MM"
    assert words.args("item", "compare.item.period") == {
        "item": "年度服务协议时间", "item_en": "the agreement period (年度服务协议时间)"}
    assert words.pick(("中", "en"), "en") == "en" and words.pick(("中", "en"), "zh") == "中"


# -- every key the code says exists ----------------------------------------------------------------

SAYERS = {"say": 0, "both": 0, "pair": 0, "args": 1, "said": 0, "input_error": 1}   # NB: the last two: safety.py
#: keywords a sayer takes besides the entry's values (input_error says the sheet and cell before the sentence)
NOT_VALUES = {"input_error": {"lang", "sheet", "cell"}}


def _said_keys():
    """(file, line, key or f-string prefix, is_prefix, the placeholder names given or None for **values) of
    every literal key given to say/both/pair/args."""
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            at = SAYERS.get(name)
            if at is None or len(node.args) <= at:
                continue
            arg = node.args[at]
            where = (path.relative_to(ROOT).as_posix(), node.lineno)
            given = (None if any(k.arg is None for k in node.keywords)
                     else frozenset(k.arg for k in node.keywords if k.arg not in NOT_VALUES.get(name, {"lang"})))
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                yield (*where, arg.value, False, given)
            elif isinstance(arg, ast.JoinedStr) and isinstance(arg.values[0], ast.Constant):
                yield (*where, arg.values[0].value, True, given)
            elif isinstance(arg, ast.IfExp):
                for branch in (arg.body, arg.orelse):
                    if isinstance(branch, ast.Constant):
                        yield (*where, branch.value, False, given)


def test_every_key_the_code_says_exists():
    said = list(_said_keys())
    assert len(said) > 100, "the scan found the calls"
    known = words.keys()
    missing, wrong = [], []
    for path, line, key, prefix, given in said:
        if key.startswith("rule.") and not prefix:
            continue   # NB: built from a code at run time
        ok = any(k.startswith(key) for k in known) if prefix else key in known
        if not ok:
            missing.append(f"{path}:{line} {key}{'…' if prefix else ''}")
        elif not prefix and given is not None and given != words.fields(words.entry(key)[0]):
            wrong.append(f"{path}:{line} {key} given {sorted(given)}, uses {sorted(words.fields(words.entry(key)[0]))}")
    assert not missing, missing
    # NB: each caller gives exactly the placeholders its entry uses (a caller passing **values is checked
    # when it runs, in strict mode)
    assert not wrong, wrong


# -- the files that still say their own sentences -------------------------------------------------

#: Files that still hold inline zh/en sentences, being rewritten elsewhere when the catalogue came
#: (issue 17). Shrink this list as each moves its words into annexproc/words; never grow it.
STILL_INLINE: set[str] = set()
#: The catalogue itself, and the rule registry's per-code templates (data keyed by code).
CATALOGUES = ("words/", "rulebook/")

CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
IDEOGRAPH = re.compile(r"[\u3400-\u9fff]")   # NB: a sentence has words, not only a stop ('。')
ENGLISH = re.compile(r"[A-Za-z]{2,}")


def _text(node) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    return None


def _has_cjk(nodes, chars=CJK) -> bool:
    return any(isinstance(x, ast.Constant) and isinstance(x.value, str) and chars.search(x.value)
               for n in nodes for x in ast.walk(n))


def _zh_en(a, b) -> bool:
    ta, tb = _text(a), _text(b)
    return bool(ta and tb and CJK.search(ta) and not CJK.search(tb) and ENGLISH.search(tb))


def _mentions_lang(node) -> bool:
    return any(isinstance(x, ast.Name) and x.id == "lang" or isinstance(x, ast.Attribute) and x.attr == "lang"
               for x in ast.walk(node))


def inline_pairs(source: str) -> list[tuple[int, str]]:
    """Where a source says a sentence in both languages itself: a branch on the language holding Chinese,
    a (zh, en) pair of literals, 'zh / en' in one literal, or a keyword and its '_en' twin."""
    hits = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.IfExp) and _mentions_lang(node.test) and _has_cjk([node.body, node.orelse]):
            hits.append((node.lineno, "a branch on the language"))
        elif isinstance(node, ast.If) and _mentions_lang(node.test) and _has_cjk(node.body + node.orelse):
            hits.append((node.lineno, "a branch on the language"))
        elif isinstance(node, (ast.Tuple, ast.List)) and any(_zh_en(a, b) for a, b in zip(node.elts, node.elts[1:])):
            hits.append((node.lineno, "a (zh, en) pair"))
        elif isinstance(node, ast.Call):
            if any(_zh_en(a, b) for a, b in zip(node.args, node.args[1:])):
                hits.append((node.lineno, "zh and en arguments"))
            if any((t := _text(a)) and CJK.search(t) and re.search(r" / [A-Za-z]", t) for a in node.args):
                hits.append((node.lineno, "'zh / en' in one literal"))
            kws = {k.arg: k.value for k in node.keywords if k.arg}
            if any(k.endswith("_en") and k[:-3] in kws and _has_cjk([kws[k[:-3]]], IDEOGRAPH) for k in kws):
                hits.append((node.lineno, "a keyword and its _en twin"))
    return hits


def test_the_scan_sees_an_inline_pair():
    assert inline_pairs('x = "否" if lang == "zh" else "no"')
    assert inline_pairs('T = {"a": ("中文句子", "an English sentence")}')
    assert inline_pairs('f(path, "文件已损坏。", "the file is damaged.")')
    assert inline_pairs('raise E("应为 YYYY-MM / expected YYYY-MM")')
    assert inline_pairs('finding("A1", s, c, why="理由", why_en="a reason")')
    assert not inline_pairs('x = say("cli.clean", lang)\nSHEET = "核查结果"')


def test_only_the_listed_files_say_their_own_sentences():
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith(CATALOGUES):
            continue
        hits = inline_pairs(path.read_text(encoding="utf-8"))
        if hits:
            found[rel] = hits
    new = {k: v for k, v in found.items() if k not in STILL_INLINE}
    assert not new, f"say these through annexproc.words instead: {new}"
    done = STILL_INLINE - set(found)
    assert not done, f"these hold no inline sentence any more: take them off STILL_INLINE: {sorted(done)}"
