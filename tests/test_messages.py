"""Every finding message reads right in English and in Chinese, for a station admin who has not read the docs.

The checker runs over every fixture workbook of the repo — the committed ones (tests/fixtures/**,
samples/sample.xlsx) and those the builder scripts write into a temporary folder (附件2 and the
activity ledger), the findings of workbooks put side by side (tests/multi_workbooks.py) — plus the two codes no workbook gives: RD10 (written by the annotator) and RD11
(a rule that crashed). Each finding is rendered in both languages and checked:

- English has no Chinese once the finding's own data is taken out: the sheet, the cell text found,
  names, quoted “…” parts, the labels the sheet writes (districts, indicators) and the titles of
  the official template (annexproc.spec), which an English message keeps as the sheet writes them;
- English never shows a date or a period the Chinese way ('2024年5月', '…至…'), outside quotes;
- neither language has '()', '( ', ' )', doubled spaces or a '{placeholder}' left over;
  every placeholder a rule's template names is filled by its findings (strict mode: else a KeyError);
- every rule code of the registry is given by at least one of these workbooks.
"""
from __future__ import annotations

import ast
import glob
import importlib.util
import re
import sys
from pathlib import Path

import pytest

import annexproc
from annexproc.annotate import write_annotated
from annexproc.params import Params
from annexproc.rulebook import unique_rules

from conftest import ROOT, SAMPLE

sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
import build_annex2  # noqa: E402
import multi_workbooks  # noqa: E402

_spec = importlib.util.spec_from_file_location("build_ledger", ROOT / "tests" / "fixtures" / "build_ledger.py")
build_ledger = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_ledger)

#: Finding fields and arguments that hold text read from a cell or a comment as it stands there.
CELL_TEXT = {"sheet", "worker", "found", "text", "part", "heading", "activity", "type", "formula",
             "found_formula", "parts", "other_station", "other_file", "other_sheet", "mine", "theirs", "earlier",
             "words", "cause"}   # words: a report's; cause: an annex finding's message
#: Arguments that list or combine the sheet's own labels (districts, indicators, names, cells, sheet
#: names): taken out piece by piece, so that a Chinese joiner or a date the checker wrote still shows.
LABELS = {"indicator", "district", "label", "names", "types", "looked", "cells", "other", "expected",
          "inputs", "expected_refs", "found_refs", "block", "missing", "sheets", "item"}

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
CN_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月|\d{1,2}\s*月\s*\d{1,2}\s*日|\d\s*至\s*\d")
QUOTED = re.compile(r"“[^”]*”")
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z_0-9]*\}")
ARTEFACTS = ("()", "（）", "( ", " )", "（ ", " ）", "  ", " ,", " ;", "“”")


def _template_titles() -> list[str]:
    """The Chinese words the official template writes (every CJK run of 2+ characters in the spec's
    strings and the ledger's headers), longest first: an English message keeps them as they are."""
    runs: set[str] = set()
    sources = [*glob.glob(str(ROOT / "annexproc" / "spec" / "*.py")), str(ROOT / "annexproc" / "ledger" / "__init__.py")]
    for path in sources:
        for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                runs.update(r for r in re.findall(r"[\u3400-\u9fff]{2,}", node.value))
    return sorted(runs, key=len, reverse=True)


TITLES = _template_titles()


# -- every workbook, checked once --------------------------------------------------------------------

def _committed() -> list[tuple[str, Path, dict]]:
    paths = sorted(Path(p) for p in glob.glob(str(ROOT / "tests" / "fixtures" / "**" / "*.xls*"), recursive=True))
    return [(p.relative_to(ROOT).as_posix(), p, {}) for p in paths] + [("samples/sample.xlsx", SAMPLE, {})]


def _values_with_unit(dst: Path) -> Path:
    """The sample pasted as values, with a count typed with its unit: RD04, harmless (nothing printed from it)."""
    import openpyxl
    wb = openpyxl.load_workbook(SAMPLE, data_only=True)
    ws = wb["附件1-1"]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == 1965)
    cell.value = "1965次"
    wb.save(dst)
    return dst


@pytest.fixture(scope="module")
def findings(tmp_path_factory) -> list[tuple[str, object]]:
    """(workbook, finding) for every finding of every fixture workbook, RD10 and RD11 included."""
    out = tmp_path_factory.mktemp("messages")
    jobs = _committed()
    for name, (_, params, _) in build_annex2.FIXTURES.items():
        jobs.append((f"annex2/{name}", Path(build_annex2.build(name, str(out))), params))
    ledger_dir = out / "ledger"
    for name in build_ledger.build(str(ledger_dir)):
        jobs.append((f"ledger/{name}", ledger_dir / name, {}))
    jobs.append(("values_only_with_unit", _values_with_unit(out / "values_unit.xlsx"), {}))
    # XS05/XS06 and CP: workbooks side by side (the batch's cross-station pass, compare)
    got = multi_workbooks.cross_station_findings(out) + multi_workbooks.compare_findings(out)
    for name, path, params in jobs:
        rep = annexproc.check(str(path), params=Params(**params), params_given=set(params))
        got += [(name, f) for f in ([rep.read_error] if rep.read_error else []) + list(rep.findings)]
    # RD10: what an annotated copy cannot carry — an .xlsm's macros in an .xlsx copy
    rep = annexproc.check(str(ROOT / "tests" / "fixtures" / "bad" / "macros.xlsm"))
    write_annotated(rep, out / "macros_copy.xlsx")
    got += [("bad/macros.xlsm → .xlsx", f) for f in rep.findings if f.rule == "RD10"]
    # RP: a written report against the sample (a typo, one indicator twice, an unreadable file) and a figure
    # resting on annex errors (the 合计 hotline rate made an average of the districts')
    from annexproc.writeup.verify import check_report
    sample = annexproc.check(str(SAMPLE))
    text, junk, hot = out / "report.txt", out / "report.pdf", out / "hotline.txt"
    text.write_text("评估期持证社工应配备不少于 96 人次，实到岗 135 次。\n另据统计，持证社工实到岗 133 次。\n",
                    encoding="utf-8")
    junk.write_bytes(b"not a pdf")
    hot.write_text("红棉热线服务 6752 次，完成率 96.46%。\n", encoding="utf-8")
    got += [("report.txt", f) for f in check_report(sample, str(text)) + check_report(sample, str(junk))]
    averaged = build_annex2.edit(build_annex2._set("附件1-1", "H8", "=AVERAGE(H5:H7)", 0.9667))(str(out / "avg.xlsx"))
    got += [("hotline.txt", f) for f in check_report(annexproc.check(averaged), str(hot))]
    return got


def test_every_rule_code_is_given_by_a_fixture(findings, monkeypatch):
    import annexproc.crosscheck as crosscheck

    def crash(ctx):
        raise KeyError("片区9")
    monkeypatch.setattr(crosscheck, "staff_against_grid", crash)   # RD11: a rule that crashed on a workbook
    crashed = [f for f in annexproc.check(str(SAMPLE)).findings if f.rule == "RD11"]
    assert crashed and all(_problems(f) == [] for f in crashed), [_problems(f) for f in crashed]
    given = {f.rule for _, f in findings} | {f.rule for f in crashed}
    missing = sorted(r.code for r in unique_rules() if r.code not in given)
    assert not missing, f"rule codes no fixture gives: {missing}"


def _data(f) -> tuple[list[str], list[str]]:
    """(cell texts, label pieces) of a finding: what it read from the workbook."""
    values = {k: getattr(f, k) for k in ("sheet", "indicator", "district", "worker", "found", "expected")}
    values.update(dict(f.args))
    texts, pieces = [], []
    for k, v in values.items():
        k = k[4:] if k.startswith("all_") else k   # NB: a merged finding's values of every member (grouping.py)
        items = v if isinstance(v, (list, tuple)) else (v,)
        items = [x for x in items if isinstance(x, str) and x]
        if k in CELL_TEXT:
            texts += items
        elif k in LABELS:
            for x in items:
                # NB: a date or period the checker wrote into a label is not the sheet's: it must show
                pieces += [p for p in re.split(r"[\s、]+", x) if p and not CN_DATE.search(p)]
    return texts, pieces


def _strip(message: str, strings) -> str:
    for s in sorted(set(strings), key=len, reverse=True):
        message = message.replace(s, "•")
    return message


def _problems(f) -> list[str]:
    """What is wrong with a finding's two messages (empty: reads right)."""
    out = []
    texts, pieces = _data(f)
    for lang in ("zh", "en"):
        m = f.message(lang)
        if PLACEHOLDER.search(m):
            out.append(f"{lang}: placeholder left: {m}")
        bare = _strip(QUOTED.sub("“•”", m), texts)        # NB: a formula's 'TODAY()' is no artefact
        hits = [a for a in ARTEFACTS if a in bare]
        if hits or m != m.strip():
            out.append(f"{lang}: artefact {hits}: {m}")
    en = f.message("en")
    unquoted = QUOTED.sub("“•”", en)
    if CN_DATE.search(_strip(unquoted, [t for t in texts if not CN_DATE.search(t)] + pieces)):
        out.append(f"en: a Chinese date or period: {en}")
    rest = _strip(_strip(_strip(unquoted, texts), pieces), TITLES)
    if CJK.search(rest):
        out.append(f"en: Chinese not from the workbook ({''.join(CJK.findall(rest))}): {en}")
    return out


def _report(findings) -> dict[str, str]:
    """{problem: a workbook showing it}, one line per distinct problem."""
    bad: dict[str, str] = {}
    for name, f in findings:
        for p in _problems(f):
            line = f"{f.rule} {p}"
            bad.setdefault(line, name)
    return bad


def test_every_message_reads_right_in_both_languages(findings):
    # NB: said strictly (conftest.py): a rule's placeholder its findings do not fill raises (annexproc.words)
    from annexproc import words
    assert words.strict()
    bad = _report(findings)
    assert not bad, "\n" + "\n".join(f"{k}   [{v}]" for k, v in sorted(bad.items()))


