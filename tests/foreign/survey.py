"""Survey the foreign-template corpus: what annexproc.check says of each file, against expected.json.

Run: PYTHONPATH=. python tests/foreign/survey.py [-v]   (-v also lists every finding: grade, rule, sheet!cell)
Per file: the expected verdict, the counts of errors / warnings / infos, the counts by rule code, the
staffing figures that differ from the expected ones, and (for a broken file) which expected findings were
not found at their cells.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPECTED = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))


def figure_misses(figures: dict, expected: dict) -> dict:
    """{key: (found, expected)} of every expected figure the report does not reproduce (share to 1e-9)."""
    out = {}
    for k, want in expected.items():
        got = figures.get(k)
        ok = isinstance(got, (int, float)) and abs(got - want) <= 1e-9
        if not ok:
            out[k] = (got, want)
    return out


def covers(f, sheet: str, cell: str) -> bool:
    """Whether finding ``f`` is said at ``sheet!cell``: its cell, one of its cells, or a cell it affects."""
    return f.sheet == sheet and (cell in f.all_cells or any(what == cell for what, _, _ in f.affects))


def finding_misses(findings, expected: list[dict]) -> list[dict]:
    """Expected findings with no finding of that rule (and grade, where given) covering that sheet and cell."""
    return [e for e in expected
            if not any(covers(f, e["sheet"], e["cell"]) and e.get("rule") in (None, f.rule)
                       and e.get("severity") in (None, f.severity) for f in findings)]


def main(verbose: bool = False) -> None:
    import annexproc
    for name, exp in EXPECTED["files"].items():
        path = HERE / "files" / name
        rep = annexproc.check(str(path))
        by_rule = Counter(f.rule for f in rep.findings)
        bar = ", ".join(f"{k[4:]} ≤ {exp[k]}" for k in ("max_errors", "max_warnings") if k in exp)
        print(f"{name}  [{exp['verdict']}{': ' + bar if bar else ''}]  errors {rep.errors}  warnings {rep.warnings}"
              f"  infos {rep.infos}" + (f"  READ ERROR {rep.read_error.rule}" if rep.read_error else ""))
        print("    by rule: " + (", ".join(f"{r}×{n}" for r, n in sorted(by_rule.items())) or "none"))
        misses = figure_misses(rep.figures, exp.get("figures", {}))
        print("    figures: " + ("as expected" if not misses else
                                  "; ".join(f"{k} {got!r} (expected {want!r})" for k, (got, want) in misses.items())))
        if exp.get("findings"):
            lost = finding_misses(rep.findings, exp["findings"])
            print(f"    expected findings found: {len(exp['findings']) - len(lost)}/{len(exp['findings'])}"
                  + "".join(f"\n      missing {e['sheet']}!{e['cell']} {e.get('rule') or '(no code yet)'}"
                            f" {e.get('severity', '')}: {e['what']}" for e in lost))
        if exp.get("seed_slips"):
            lost = finding_misses(rep.findings, exp["seed_slips"])
            print(f"    seed's own slips found: {len(exp['seed_slips']) - len(lost)}/{len(exp['seed_slips'])}"
                  + "".join(f"\n      missing {e['sheet']}!{e['cell']} {e['rule']}: {e['what']}" for e in lost))
        if verbose:
            for f in rep.sorted_findings():
                cells = f"{f.cell}" + (f" (+{len(f.all_cells) - 1} cells)" if len(f.all_cells) > 1 else "")
                print(f"      {f.severity:7} {f.rule} {f.sheet}!{cells}: {f.message('en')[:150]}")


if __name__ == "__main__":
    main("-v" in sys.argv[1:])
