"""The one catalogue of what a user reads, Chinese and English side by side: ``say("cli.clean", lang)``.

A key is ``<area>.<name>``: each area is a module of this package holding ``WORDS = {name: (zh, en)}``,
imported on first use (``annexproc check`` loads only the areas it speaks). A rule's message is said the
same way, its templates staying in the rulebook as data keyed by code: ``say("rule.A101", lang, **values)``,
``"rule.A101.group"`` for a region said once, ``"rule.A101.summary"`` for its one line.

What is an error (decided in issue 17):
- a key that does not exist: always (KeyError), in tests and in production alike;
- a placeholder the entry uses and the caller does not give: in strict mode (``ANNEXPROC_STRICT_WORDS=1``,
  which tests/conftest.py sets) a KeyError; otherwise it shows as ``{name}`` — never blank — and is logged;
- a value given that a catalogue entry does not use: a TypeError in strict mode. A rule's message is
  exempt: a finding carries values (its formula, its English twins) that other outputs read; and a rule
  may name placeholders its findings may leave out (``Rule.optional``, e.g. A201's {why}), said as nothing.
Both languages of an entry use the same placeholders; tests/test_words.py checks every entry and rule.
"""
from __future__ import annotations

import importlib
import logging
import os
import string
from functools import lru_cache

AREAS = ("cli", "grammar", "finding", "figures", "sheet", "batch", "columns", "recompute", "compare", "writeup",
         "reading", "annex1", "annex2", "ledger", "web")
_LOADED: dict[str, dict[str, tuple[str, str]]] = {}
_FMT = string.Formatter()
_log = logging.getLogger(__name__)


def strict() -> bool:
    """Are missing or unused placeholders errors? (tests: yes; production: shown, logged)."""
    return os.environ.get("ANNEXPROC_STRICT_WORDS", "") not in ("", "0")


def area(name: str) -> dict[str, tuple[str, str]]:
    """One area's entries {name: (zh, en)}, loaded on first use."""
    got = _LOADED.get(name)
    if got is None:
        if name not in AREAS:
            raise KeyError(f"no word area {name!r}; areas: {', '.join(AREAS)}")
        got = _LOADED[name] = importlib.import_module(f"{__name__}.{name}").WORDS
    return got


def entry(key: str) -> tuple[str, str]:
    """(zh, en) templates of a key: a catalogue entry, or a rule's message, group message or summary."""
    head, _, rest = key.partition(".")
    if head == "rule":
        return _rule_entry(rest)
    try:
        return area(head)[rest]
    except KeyError:
        raise KeyError(f"no words for {key!r}") from None


def _rule_entry(rest: str) -> tuple[str, str]:
    from ..rulebook import get_rule
    code, _, part = rest.partition(".")
    rule = get_rule(code)
    if part == "":
        return rule.message_zh, rule.message_en
    if part == "group" and rule.group_zh:
        return rule.group_zh, rule.group_en
    if part == "summary":
        return rule.summary_zh, rule.summary_en
    raise KeyError(f"no words for 'rule.{rest}'")


def say(key: str, /, lang: str = "zh", **values) -> str:
    """The entry ``key`` in ``lang`` ('en', else Chinese), its placeholders filled from ``values``."""
    return fill(pick(entry(key), lang), values, key=key, exact=not key.startswith("rule."))


def both(key: str, /, **values) -> tuple[str, str]:
    """(zh, en) of one entry, filled: for a message carried in both languages and picked later."""
    return say(key, "zh", **values), say(key, "en", **values)


def pick(zh_en: tuple[str, str], lang: str = "zh") -> str:
    """One of a (zh, en) pair already filled (a note a worker carried in both languages): English for 'en'."""
    return zh_en[1] if lang == "en" else zh_en[0]


def pair(key: str, /, **values) -> str:
    """'中文 / English': for a message said before the language is known (a command-line usage error)."""
    zh, en = both(key, **values)
    return f"{zh} / {en}"


def args(name: str, key: str, /, **values) -> dict[str, str]:
    """{name: zh, name_en: en}: a finding's prose argument and its English twin (findings.finding)."""
    zh, en = both(key, **values)
    return {name: zh, f"{name}_en": en}


@lru_cache(maxsize=4096)
def fields(template: str) -> frozenset[str]:
    """The placeholder names a template uses."""
    return frozenset(f.split(".")[0].split("[")[0] for _, f, _, _ in _FMT.parse(template) if f)


class _Missing(dict):
    """Values that say what is missing instead of leaving a blank."""
    key = ""

    def __missing__(self, name):
        if strict():
            raise KeyError(f"{self.key or 'template'}: no value for placeholder {{{name}}}")
        _log.warning("%s: no value for placeholder {%s}", self.key or "template", name)
        return "{" + name + "}"


def fill(template: str, values: dict, *, key: str = "", exact: bool = True) -> str:
    """A template with its placeholders filled; see the module's docstring for what is an error."""
    if exact and strict():
        unused = set(values) - fields(template)
        if unused:
            raise TypeError(f"{key or template!r}: values not used by the template: {sorted(unused)}")
    vals = _Missing(values)
    vals.key = key
    return template.format_map(vals)


def keys() -> list[str]:
    """Every catalogue key (rules excluded), area by area."""
    return [f"{a}.{k}" for a in AREAS for k in area(a)]
