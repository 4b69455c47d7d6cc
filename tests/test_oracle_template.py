"""LibreOffice as the oracle: our formulas' values equal what a real spreadsheet engine computes.

The official workbook carries a formula in every derived cell together with the value our Python
evaluation gives it (``formulas.Calc.evaluate``, cached by xlsxwriter). LibreOffice, told by a
throwaway profile to recalculate every formula on load, recalculates the same files in ONE soffice
call; every formula cell must come out the same at full precision (numbers within 1e-12 relative,
texts such as '/' equal). Covered: the bundled sample, the default blank templates, and 60 seeded
random fillings (1–5 districts, any start month, 1–12 months, '/', 0, halves, blanks, text numbers,
worker grids with √ / —— / 0.5 / 【分段计算】 merges / triples with missing ticks).

When the annex checkers are built, the values ``engine.check`` recomputes from the *read* workbook
are compared with LibreOffice's too. A canary file with a deliberately wrong cached value proves
LibreOffice really recalculated (with its default settings it would keep the cached value).
"""
from __future__ import annotations

import functools
import glob
import math
import os
import random
import re
import sys
from pathlib import Path

import pytest
from openpyxl.utils import get_column_letter

sys.path.insert(0, os.path.dirname(__file__))
import lo_oracle  # noqa: E402

from annexproc.params import Params  # noqa: E402
from annexproc.template import FillData, Worker, write_workbook  # noqa: E402
from annexproc.spec import ANNEX1_1, ANNEX1_2  # noqa: E402

pytestmark = [pytest.mark.libreoffice,
              pytest.mark.skipif(lo_oracle.soffice() is None,
                                 reason="LibreOffice (soffice) is not installed: the formula oracle cannot run "
                                        "(apt-get install -y --no-install-recommends libreoffice-calc-nogui)")]

ROOT = Path(__file__).resolve().parent.parent
N_RANDOM = 60
SEED = 20240501
TICK, DASH = "√", "——"


# -- random fillings ------------------------------------------------------------------------------

def _count(rng: random.Random):
    """An agreement or completion as stations type them."""
    return rng.choice([
        lambda: rng.randint(1, 3000),
        lambda: rng.randint(1, 60),
        lambda: 0,
        lambda: "/",
        lambda: None,
        lambda: rng.randint(1, 3000) + 0.5,                 # 1419.5
        lambda: round(rng.uniform(0, 500), rng.randint(1, 3)),
        lambda: str(rng.randint(1, 900)),                   # a number typed as text
        lambda: "１２",                                      # full-width digits, text
    ])()


def _pair(rng: random.Random):
    roll = rng.random()
    if roll < 0.08:
        return (800, 1757)                                  # 219.625 %, rounds to 219.63 %
    if roll < 0.14:
        return ("/", rng.choice([None, "/", rng.randint(1, 400)]))
    if roll < 0.20:
        return (0, rng.choice([0, 5, None]))
    if roll < 0.25:
        return (rng.randint(1, 50), None)
    if roll < 0.30:
        return (3, rng.choice([1, 2, 4, 7]))                # thirds: not exact in binary
    return (_count(rng), _count(rng))


def _month_state(rng: random.Random):
    return rng.choices(
        [TICK, DASH, 0.5, None, "triple"],
        weights=[55, 15, 8, 5, 17])[0]


def _triple(rng: random.Random):
    pick = lambda: rng.choice([TICK, TICK, TICK, DASH, None, 0.5, 1, 0, "0.5", "✓", "/"])  # noqa: E731
    return (pick(), pick(), pick())


def _worker(rng: random.Random, section: str, seq: str, months: int) -> Worker:
    states = []
    i = 0
    while i < months:
        if rng.random() < 0.08 and i < months - 1:            # a 【分段计算】 run of 1–3 months
            run = min(months - i, rng.randint(1, 3))
            states += ["seg"] * run
            i += run
            continue
        st = _month_state(rng)
        states.append(_triple(rng) if st == "triple" else st)
        i += 1
    two = rng.choice([None, 0, rng.randint(0, months), rng.randint(0, months) + 0.5])
    return Worker(section, seq, rng.choice(["林晓雨", "周子涵", "陈可欣", "黄思远", "吴嘉怡"]),
                  rng.choice(["第一片区社工", "第二片区主管", "党建服务社工"]),
                  rng.choice(["社会工作师", "助理社会工作师", ""]), "2024.05.01-2027.04.30", states, two,
                  rng.choice(["", "入职当月计0.5人次"]))


def random_case(seed: int) -> tuple[Params, FillData]:
    rng = random.Random(seed)
    n = rng.randint(1, 5)
    districts = [f"片区{i}" for i in range(1, n + 1)]
    params = Params(station="测试街社工服务站", districts=districts,
                    start=f"{rng.randint(2023, 2025)}-{rng.randint(1, 12):02d}", months=rng.randint(1, 12),
                    agreed_headcount=rng.choice([None, 12, 20]))
    values = {}
    for block in ANNEX1_1.blocks:
        for ind in block.indicators:
            for m in ind.measures:
                for d in districts:
                    if rng.random() < 0.9:
                        values[(m.key, d)] = _pair(rng)
    targets = {t.key: _pair(rng) for t in (*ANNEX1_1.target_block.targets, *ANNEX1_2.targets)
               if rng.random() < 0.9}
    staff = {d: rng.choice([None, 3, 5, 6, 5.5, 0.5, "5"]) for d in districts}
    workers = []
    seq = 1
    for section in ("certified", "uncertified"):
        for _ in range(rng.randint(1, 7)):
            same = section == "uncertified" and rng.random() < 0.2
            workers.append(_worker(rng, section, f"同{rng.randint(1, seq)}" if same else str(seq), params.months))
            seq += 0 if same else 1
    fill = FillData(staff=staff, values=values, targets=targets, workers=workers,
                    stable_workers=rng.choice([None, 0, 7, 18]))
    return params, fill


# -- comparing ------------------------------------------------------------------------------------

def same(ours, theirs) -> bool:
    if isinstance(ours, bool) or isinstance(theirs, bool):
        return ours == theirs
    if isinstance(ours, (int, float)) and isinstance(theirs, (int, float)):
        return ours == theirs or math.isclose(ours, theirs, rel_tol=1e-12, abs_tol=0.0)
    return (ours if ours != "" else None) == (theirs if theirs != "" else None)


@functools.lru_cache(maxsize=None)
def formula_cells(path: Path) -> dict[tuple[str, str], str]:
    """{(sheet, A1): formula text} of every formula cell (openpyxl, read-only: it is fast)."""
    import openpyxl
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return {(ws.title, f"{get_column_letter(c.column)}{c.row}"): c.value for ws in wb.worksheets
                for row in ws.iter_rows() for c in row if getattr(c, "data_type", None) == "f"}
    finally:
        wb.close()


def values_at(path: Path, keys) -> dict[tuple[str, str], object]:
    """The cached values a reader sees at ``keys`` (openpyxl data_only)."""
    import openpyxl
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        grid = {(ws.title, f"{get_column_letter(c.column)}{c.row}"): c.value for ws in wb.worksheets
                for row in ws.iter_rows() for c in row if getattr(c, "column", None)}
    finally:
        wb.close()
    return {k: grid.get(k) for k in keys}


def differences(ours_path: Path, lo_path: Path, ours: dict | None = None) -> list[str]:
    """One line per formula cell whose value differs: sheet, cell, formula, ours, LibreOffice's."""
    formulas = formula_cells(ours_path)
    assert formulas, f"{ours_path.name}: no formula cells"
    if ours is None:
        ours = values_at(ours_path, formulas)
    theirs = values_at(lo_path, formulas)
    return [f"{ours_path.name} {s}!{a}  {formulas[(s, a)]}  ours={ours[(s, a)]!r}  LibreOffice={theirs[(s, a)]!r}"
            for (s, a) in formulas if (s, a) in ours and not same(ours[(s, a)], theirs[(s, a)])]


# -- one soffice call for every file ------------------------------------------------------------

@pytest.fixture(scope="module")
def oracle(tmp_path_factory):
    """Write the inputs, recalculate them all in one LibreOffice call: {name: (input, recalculated)}."""
    src = tmp_path_factory.mktemp("oracle-in")
    out = tmp_path_factory.mktemp("oracle-out")
    inputs: dict[str, Path] = {}
    inputs["sample"] = ROOT / "samples" / "sample.xlsx"
    for i, p in enumerate(sorted(glob.glob(str(ROOT / "workbook_templates" / "*.xlsx")))):
        inputs[f"template{i}"] = Path(p)
    cases = {}
    for i in range(N_RANDOM):
        params, fill = random_case(SEED + i)
        path = src / f"random_{i:03d}.xlsx"
        write_workbook(str(path), params, fill)
        inputs[path.stem] = path
        cases[path.stem] = (params, fill)
    canary = src / "canary.xlsx"
    _write_canary(canary)
    inputs["canary"] = canary
    try:
        outs = lo_oracle.recalc(list(inputs.values()), out)
    except RuntimeError as exc:
        pytest.skip(f"LibreOffice could not recalculate: {exc}")
    return {name: (p, o) for (name, p), o in zip(inputs.items(), outs)}, cases


def _write_canary(path: Path) -> None:
    import xlsxwriter
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("canary")
    ws.write_number(0, 0, 20)
    ws.write_formula(0, 1, "=A1/8", None, 0)      # cached 0: only a recalculation gives 2.5
    wb.close()


def test_libreoffice_really_recalculates(oracle):
    files, _ = oracle
    inp, out = files["canary"]
    assert values_at(inp, [("canary", "B1")])[("canary", "B1")] == 0
    assert values_at(out, [("canary", "B1")])[("canary", "B1")] == 2.5, \
        "LibreOffice kept the cached value: its profile lacks OOXMLRecalcMode=0"


def test_sample_and_templates_equal_libreoffice(oracle):
    files, _ = oracle
    names = ["sample"] + [n for n in files if n.startswith("template")]
    assert len(names) >= 3, "the sample and both default templates must be in the repository"
    diffs, counted = [], 0
    for name in names:
        inp, out = files[name]
        counted += len(formula_cells(inp))
        diffs += differences(inp, out)
    assert counted > 700
    assert not diffs, f"{len(diffs)} formula cells differ from LibreOffice:\n" + "\n".join(diffs[:40])


def test_random_fillings_equal_libreoffice(oracle):
    files, cases = oracle
    assert len(cases) >= 50
    diffs, counted = [], 0
    for name in cases:
        inp, out = files[name]
        counted += len(formula_cells(inp))
        diffs += differences(inp, out)
    assert counted > 50 * 100
    assert not diffs, f"{len(diffs)} formula cells differ from LibreOffice:\n" + "\n".join(diffs[:40])


def test_random_fillings_cover_the_hard_cases(oracle):
    """The generator really produces what the oracle is meant to settle."""
    _, cases = oracle
    agreements = [a for _, f in cases.values() for a, _ in f.values.values()]
    states = [s for _, f in cases.values() for w in f.workers for s in w.months]
    assert "/" in agreements and 0 in agreements and None in agreements and 800 in agreements
    assert any(isinstance(a, str) and a.isdigit() for a in agreements)
    assert {TICK, DASH, 0.5, "seg"} <= set(s for s in states if not isinstance(s, tuple))
    assert any(isinstance(s, tuple) and None in s for s in states)
    assert {len(p.districts) for p, _ in cases.values()} == {1, 2, 3, 4, 5}
    assert len({p.months for p, _ in cases.values()}) >= 8


def test_checker_recomputation_equals_libreoffice(oracle):
    """What ``engine.check`` recomputes from the read workbook equals LibreOffice's recalculation.

    Compared where the checker's official formula is the one in the file. The one cell where it
    may not be is the 稳岗率, whose formula divides two labelled inputs (or, in older sheets, two typed
    constants such as =18/20): the checker derives the counts from the staffing grid and writes its own
    constants, so there its value must be what its own formula gives.
    """
    from annexproc import engine
    files, cases = oracle
    names = ["sample"] + list(cases)[:20]
    diffs, compared, own = [], 0, 0
    for name in names:
        inp, out = files[name]
        report = engine.check(str(inp))
        assert report.readable, report.read_error
        formulas = formula_cells(inp)
        ours = {}
        for k, d in report.derived.items():
            if _norm(formulas.get(k)) == _norm(d.formula):
                ours[k] = d.value
                continue
            m = CONSTANT_RATIO.match(d.formula or "")
            assert m, f"{name} {k}: checker formula {d.formula!r} is not the file's {formulas.get(k)!r}"
            n, den = float(m.group(1)), float(m.group(2))
            assert same(d.value, n / den if den else "/"), (name, k, d)
            own += 1
        compared += len(ours)
        diffs += differences(inp, out, ours)
    assert compared > 20 * 100 and own <= len(names)
    assert not diffs, f"{len(diffs)} recomputed cells differ from LibreOffice:\n" + "\n".join(diffs[:40])


CONSTANT_RATIO = re.compile(r"^=\s*([0-9.]+)\s*/\s*([0-9.]+)\s*$")


def _norm(formula) -> str | None:
    return None if formula is None else re.sub(r"\s+", "", str(formula)).lstrip("=").upper()
