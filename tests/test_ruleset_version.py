"""RULESET_VERSION is derived from the rule registry (issue 17): it changes when a rule does, and only then."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import replace

import annexproc
from annexproc import rulebook

from conftest import ROOT


def _registry_with(code: str, **change) -> dict:
    """The registry with one rule changed (under its code and its aliases)."""
    rule = rulebook.get_rule(code)
    changed = replace(rule, **change)
    return {k: (changed if r is rule else r) for k, r in rulebook.all_rules().items()}


def test_it_is_the_registry_fingerprint():
    assert re.fullmatch(r"[0-9a-f]{12}", annexproc.RULESET_VERSION)
    assert annexproc.RULESET_VERSION == rulebook.ruleset_version()


def test_it_changes_when_a_rule_changes(monkeypatch):
    before = rulebook.ruleset_version()
    assert rulebook.get_rule("A227").severity == "warning"
    for change in ({"severity": "error"}, {"message_en": rulebook.get_rule("A227").message_en + " "},
                   {"group": "row"}, {"category": "layout"}):
        monkeypatch.setattr(rulebook, "_REGISTRY", _registry_with("A227", **change))
        assert rulebook.ruleset_version() != before, change
        monkeypatch.undo()
    assert rulebook.ruleset_version() == before


def test_it_is_the_same_in_every_process():
    """A fresh interpreter (another hash seed) computes the same version."""
    code = "import annexproc; print(annexproc.RULESET_VERSION)"
    got = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True,
                          env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip() for seed in ("1", "2")}
    assert got == {rulebook.ruleset_version()}
