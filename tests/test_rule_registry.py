"""Issue 17, reading apart from judging: readers give a model and notes, rules are functions found by their codes.

Every code a rule function emits has exactly one owner (checks.py); a selection runs only the functions it
needs; a function that raises is one RD11 naming its codes, and every other finding is still there.
"""
from __future__ import annotations

import subprocess
import sys

import pytest

import annexproc
from annexproc import checks, engine
from annexproc.rulebook import unique_rules
from annexproc.values import NOTE_RULE
from annexproc.workbook import open_book
from conftest import ROOT, SAMPLE

FAIL_CELLS = ROOT / "tests" / "fixtures" / "annex1" / "fail_cells.xlsx"
#: Codes said outside the rule functions: the engine's (unreadable file, a crash), the annotator's, across stations.
ELSEWHERE = {"RD01", "RD10", "RD11", "XS05", "XS06"}


def _keys(rep) -> list[tuple]:
    return [(f.sheet, f.cell, f.rule, f.message("zh")) for f in rep.sorted_findings()]


def test_every_checker_code_has_exactly_one_owning_function():
    owned = [code for ck in checks.all_checks() for code in ck.codes]
    assert len(owned) == len(set(owned)), sorted({c for c in owned if owned.count(c) > 1})
    family = {r.code for r in unique_rules() if r.code[:2] in ("RD", "A1", "A2", "XS", "LD")}
    assert set(owned) == family - ELSEWHERE


def test_each_function_runs_after_the_codes_it_reads():
    order = checks.plan()
    owner = checks.owners()
    assert len(order) == len(checks.all_checks())
    for i, ck in enumerate(order):
        assert all(order.index(owner[code]) < i for code in ck.after), ck.name


def test_selecting_one_code_runs_only_its_function(monkeypatch):
    called, real = [], checks.Check.__call__

    def spy(ck, ctx):
        called.append(ck.name)
        real(ck, ctx)
    monkeypatch.setattr(checks.Check, "__call__", spy)
    rep = annexproc.check(str(SAMPLE), select=("A117",))
    assert called == ["annex1.rules.comments"]
    assert [(f.cell, f.rule, f.expected, f.found) for f in rep.findings] == [("A19", "A117", 2444, 2417)]
    called.clear()
    annexproc.check(str(SAMPLE), select=("A109",))    # NB: A109 re-codes a reading note: the notes run first
    assert called == ["readnotes.notes", "annex1.derived_rules.derived_cells"]


@pytest.mark.parametrize("path", [FAIL_CELLS, ROOT / "tests" / "foreign" / "files" / "broken_tick_after_leaving.lo.xlsx",
                                  ROOT / "tests" / "foreign" / "files" / "broken_text_count.lo.xlsx"],
                         ids=lambda p: p.name)
def test_a_selected_code_reads_as_in_a_full_check(path):
    """A cause given its effects and made an error (amends), a note re-coded A109: the same when selected alone."""
    full = annexproc.check(str(path))
    assert any(f.affects for f in full.findings), "a workbook with a cause that changes other cells"
    for code in sorted({f.rule for f in full.findings}):
        rep = annexproc.check(str(path), select=(code,))
        assert _keys(rep) == [k for k in _keys(full) if k[2] == code], code
        assert [f.affects for f in rep.sorted_findings()] == [f.affects for f in full.sorted_findings() if f.rule == code]


def test_a_function_not_selected_is_not_called(monkeypatch):
    import annexproc.ledger.check as ledger_rules

    def boom(ctx):
        raise AssertionError("a rule that was not selected ran")
    monkeypatch.setattr(ledger_rules, "duplicates", boom)
    full = annexproc.check(str(SAMPLE))
    rep = annexproc.check(str(SAMPLE), select=("A1",))
    assert [f.rule for f in rep.findings if f.rule == "RD11"] == []
    assert _keys(rep) == [k for k in _keys(full) if k[2].startswith("A1") and k[2] != "RD11"]


def test_a_crash_is_one_rd11_naming_its_codes_and_hides_nothing_else(monkeypatch):
    import annexproc.annex1.rules as annex1_rules
    full = annexproc.check(str(SAMPLE))

    def crash(ctx):
        raise KeyError("片区9")
    monkeypatch.setattr(annex1_rules, "comments", crash)
    rep = annexproc.check(str(SAMPLE))
    crashed = [f for f in rep.findings if f.rule == "RD11"]
    assert len(crashed) == 1
    assert crashed[0].message("zh").startswith("规则 A114、A116、A117、A118、A122 处理此处时出错：KeyError: '片区9'")
    assert crashed[0].message("en").startswith("Rule A114, A116, A117, A118, A122 failed here")
    mine = {"A114", "A116", "A117", "A118", "A122"}
    assert [k for k in _keys(rep) if k[2] != "RD11"] == [k for k in _keys(full) if k[2] not in mine]


def test_a_reader_that_crashes_leaves_the_other_annexes_checked(monkeypatch):
    import annexproc.ledger.reader as ledger_reader
    full = annexproc.check(str(SAMPLE))

    def crash(book):
        raise ValueError("台账坏了")
    monkeypatch.setattr(ledger_reader, "locate", crash)
    rep = annexproc.check(str(SAMPLE))
    assert [(f.rule, dict(f.args)["failed_rule"]) for f in rep.findings if f.rule == "RD11"] == [("RD11", "ledger.read")]
    assert [k for k in _keys(rep) if k[2] != "RD11"] == _keys(full)


def test_readers_give_a_model_and_notes_which_one_map_turns_into_codes():
    book = open_book(str(FAIL_CELLS))
    model = annexproc.annex1.read(book)
    assert model.annex1_1.sheet == "附件1-1" and model.annex2 is None
    assert model.notes, "fail_cells types numbers as text"
    rep = annexproc.check(str(FAIL_CELLS))
    at: dict = {}
    for f in rep.findings:
        for c in f.all_cells:
            at.setdefault((f.sheet, c), set()).add(f.rule)
    for n in model.notes:
        # NB: a text number that leaves printed cells wrong is said as the error A109 (annex1.derived_rules)
        assert at[(n.sheet, n.cell)] & {NOTE_RULE[n.note], "A109"}, n
    assert {n.rule for n in model.notes} <= set(NOTE_RULE.values())


def test_the_model_keeps_the_old_located_keys():
    rep = annexproc.check(str(SAMPLE))
    assert rep.located.get("annex2") is rep.model.annex2 and rep.model.annex2.sheet == "附件2"
    assert rep.located["annex1_1"] is rep.model.annex1_1
    assert rep.located.get("annex1_values") == rep.model.annex1.values
    assert rep.located.get("nothing") is None


def test_importing_the_report_imports_no_checker_and_no_tabular():
    code = ("import sys, annexproc.report; print('\\n'.join(m for m in sys.modules if m.startswith('annexproc')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    mods = set(out.stdout.split())
    assert "annexproc.report" in mods, out.stderr
    assert not mods & {"annexproc.tabular", "annexproc.engine", "annexproc.checks", "annexproc.readnotes",
                       "annexproc.crosscheck", "annexproc.annex1", "annexproc.annex2", "annexproc.ledger"}, mods


def test_tabular_reads_without_running_a_rule(monkeypatch):
    pytest.importorskip("pandas")

    def boom(*a, **kw):
        raise AssertionError("a rule ran for a table of values")
    monkeypatch.setattr(checks, "plan", boom)
    monkeypatch.setattr(engine, "run_rules", boom)
    df = annexproc.read_annex1(str(SAMPLE))
    total = df[(df.district == "合计") & (df.indicator == "红棉热线服务次数")].iloc[0]
    assert (total.agreement, total.achieved) == (7000, 6752)
    st = annexproc.read_staffing(str(SAMPLE))
    assert st.groupby("section").value.sum().to_dict() == {"certified": 133, "uncertified": 27.5}
