"""Language helpers over the catalogue (annexproc.words): severities, counts, key figures and what errors change."""
from __future__ import annotations

from . import words

#: {figure key: (zh, en)}: the key figures' names (the catalogue's 'figures' area).
FIGURE_NAMES = words.area("figures")


def severity_word(severity: str, lang: str = "zh") -> str:
    """'error' → 错误 / error; 'info' → 提示 / note: every output names a severity this way."""
    return words.say(f"finding.severity.{severity}", lang) if severity in _SEVERITIES else severity


_SEVERITIES = ("error", "warning", "info")


def say(table: dict[str, tuple[str, str]], key: str, lang: str = "zh", **kw) -> str:
    """One (zh, en) entry of a module's own word table, in ``lang``, filled.

    NB: kept for the web page's table (web/app.py MSG), which has not moved into the catalogue yet;
    everything else says ``words.say("area.key", lang)``.
    """
    return words.fill(words.pick(table[key], lang), kw, key=key)


def both(table: dict[str, tuple[str, str]], key: str, **kw) -> tuple[str, str]:
    """(zh, en) of one entry of a module's own table, filled (see ``say``)."""
    return say(table, key, "zh", **kw), say(table, key, "en", **kw)


def t(key: str, lang: str = "zh", **kw) -> str:
    """The command line's own words (the catalogue's 'cli' area)."""
    return words.say(f"cli.{key}", lang, **kw)


def figure_name(key: str, lang: str = "zh") -> str:
    names = FIGURE_NAMES.get(key)
    return words.pick(names, lang) if names else key


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
    return words.say(f"grammar.count.{key}.one" if n == 1 else f"grammar.count.{key}", lang, n=n)
