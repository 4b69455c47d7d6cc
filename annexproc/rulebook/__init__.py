"""The one registry of rules: every code, its severity, summary and message templates.

Each family lives in its own module (``rd`` reading and layout, ``a1`` 附件1 arithmetic, ``a2``
附件2 staffing, ``xs`` cross-sheet consistency, ``ld`` activity ledger, ``cp`` an earlier and a later workbook compared,
``rp`` a written report checked against the annexes) as a ``RULES`` tuple.
Codes are two letters and two digits, stable for ever; a renumbered rule keeps its old code as alias.
"""
from __future__ import annotations

import hashlib
import importlib
import json
import re
from dataclasses import astuple, dataclass, field, replace

FAMILIES = ("rd", "a1", "a2", "xs", "ld", "cp", "rp")
CODE = re.compile(r"^(RD|A1|A2|XS|LD|CP|RP)\d{2}$")


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str                 # dotted, e.g. "annex1.percentage.mismatch"
    severity: str             # default severity: error | warning | info
    category: str             # layout | arithmetic | consistency | input
    summary_zh: str
    summary_en: str
    message_zh: str           # template: {sheet} {cell} {expected} {found} {indicator} {district} {where} {worker} …
    message_en: str           # the same placeholders: an argument ``x_en`` fills ``{x}`` here (findings.py)
    inferred: bool = False    # the rule rests on an inferred (not documented) reading of the template
    aliases: tuple[str, ...] = field(default=())
    # NB: placeholders a finding may leave out, said as nothing then (e.g. A201's {why}, given only when
    # there is a reason to add); any other placeholder a finding does not fill is an error (annexproc.words)
    optional: tuple[str, ...] = field(default=())
    # NB: a rule whose findings repeat over a region says them once (grouping.py): the region
    # ('cell' | 'row' | 'column' | 'sheet') and the templates of the merged finding ({count} {range} {all_X})
    group: str = "single"
    group_zh: str = ""
    group_en: str = ""

    def summary(self, lang: str = "zh") -> str:
        return self.summary_en if lang == "en" else self.summary_zh


_REGISTRY: dict[str, Rule] | None = None


def all_rules() -> dict[str, Rule]:
    """Every rule by code (aliases included), loading the families on first use."""
    global _REGISTRY
    if _REGISTRY is None:
        reg: dict[str, Rule] = {}
        for fam in FAMILIES:
            mod = importlib.import_module(f"{__name__}.{fam}")
            groups = getattr(mod, "GROUPS", {})
            for rule in mod.RULES:
                if rule.code in groups:
                    scope, zh, en = groups[rule.code]
                    rule = replace(rule, group=scope, group_zh=zh, group_en=en)
                if not CODE.match(rule.code):
                    raise ValueError(f"rule code {rule.code!r} does not match {CODE.pattern}")
                if rule.code in reg:
                    raise ValueError(f"rule code {rule.code} is registered twice")
                reg[rule.code] = rule
                for alias in rule.aliases:
                    reg[alias] = rule
        _REGISTRY = reg
    return _REGISTRY


def get_rule(code: str) -> Rule:
    try:
        return all_rules()[code]
    except KeyError:
        raise KeyError(f"unknown rule code {code!r}; see `annexproc rules`") from None


def unique_rules() -> list[Rule]:
    seen, out = set(), []
    for rule in all_rules().values():
        if rule.code not in seen:
            seen.add(rule.code)
            out.append(rule)
    return sorted(out, key=lambda r: r.code)


def selected(code: str, select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()) -> bool:
    """flake8-style selection by code prefix: the longest matching prefix decides (ties ignore)."""
    sel = max((len(p) for p in select if code.startswith(p)), default=None) if select else 0
    if sel is None:
        return False
    ign = max((len(p) for p in ignore if code.startswith(p)), default=None)
    return ign is None or sel > ign


def ruleset_version() -> str:
    """A short stable fingerprint of the whole registry: every field of every rule (code, severity,
    category, grouping, summaries and message templates), so that it changes whenever a rule does.

    NB: sha256 of a canonical JSON text, not ``hash()``: the same rules give the same version in every
    process and on every machine, and a report names the rules that judged it.
    """
    text = json.dumps([astuple(r) for r in unique_rules()], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
