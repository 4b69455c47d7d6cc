"""Generated documentation stays in step with the code."""
from __future__ import annotations

import importlib.util

from conftest import ROOT


def test_rules_doc_is_generated_from_the_registry():
    spec = importlib.util.spec_from_file_location("gen", ROOT / "docs" / "generate_rules.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == gen.render(), "docs/rules.md is stale: run python docs/generate_rules.py"


def test_readme_commands_are_the_ones_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_cmd = 'pip install -e ".[test]" && python -m pytest -q'
    assert test_cmd in readme
    assert test_cmd.replace("pip install -e", "pip install -q -e") in ci
    assert "annexproc check samples/sample.xlsx" in readme
