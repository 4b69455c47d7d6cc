"""Excel's arithmetic and a person's meaning of a cell: rounding, display precision, text numbers."""
from __future__ import annotations

import pytest

from annexproc.formulas import Calc, evaluate_all
from annexproc.values import Kind, Note, read
from annexproc.xlmath import format_places, pct_text, same_shown, xl_round


@pytest.mark.parametrize("x,places,want", [
    (1757 / 800 * 100, 2, 219.63),    # Python's round gives 219.62
    (2.5, 0, 3.0), (-2.5, 0, -3.0), (0.285, 2, 0.29), (1.005, 2, 1.01), (2185 / 1800 * 100, 2, 121.39),
    (0.0, 2, 0.0),
])
def test_round_is_half_away_from_zero(x, places, want):
    assert xl_round(x, places) == want


def test_percentage_compared_at_the_precision_its_format_shows():
    assert pct_text(1757 / 800) == "219.63%"
    assert format_places("0.00%") == (2, True)
    assert format_places("0.0") == (1, False)
    assert format_places("General") == (None, False)
    assert same_shown(1757 / 800, 2.1963, "0.00%")
    assert not same_shown(1757 / 800, 2.1962, "0.00%")
    assert same_shown(0.83333, 0.8333333333, "0.00%")
    assert not same_shown(0.8333, 0.8334, "General")


@pytest.mark.parametrize("raw,kind,value,note", [
    (765, Kind.NUMBER, 765, None), ("765", Kind.NUMBER, 765, Note.NUMERIC_TEXT),
    ("７６５", Kind.NUMBER, 765, Note.FULLWIDTH), ("127.50%", Kind.NUMBER, 1.275, Note.PERCENT_TEXT),
    ("1965次", Kind.NUMBER, 1965, Note.UNIT), ("6人", Kind.NUMBER, 6, Note.UNIT), ("/", Kind.NA, None, None),
    ("／", Kind.NA, None, Note.ALT_NA), ("——", Kind.DASH, None, None), ("—", Kind.DASH, None, None),
    ("-", Kind.DASH, None, None), ("√", Kind.TICK, 1, None), ("✓", Kind.TICK, 1, Note.ALT_TICK),
    (None, Kind.BLANK, None, None), ("  ", Kind.BLANK, None, None), ("#DIV/0!", Kind.ERROR, None, None),
    ("约七百", Kind.TEXT, None, None), ("x" * 1_000_000, Kind.TEXT, None, None),
])
def test_cells_are_read_as_a_person_means_them(raw, kind, value, note):
    r = read(raw)
    assert r.kind is kind and r.note is note
    if value is not None:
        assert r.value == pytest.approx(value)


def _eval(calc, cells):
    return calc.evaluate(lambda p: cells.get(p))


def test_percentage_formula_semantics():
    c = Calc((1, 3), "pct", ((1, 1), (1, 2)))
    assert c.formula() == '=IF(ISNUMBER(A1),IF(A1=0,"/",N(B1)/A1),"/")'
    assert _eval(c, {(1, 1): 800, (1, 2): 1757}) == 1757 / 800
    assert _eval(c, {(1, 1): "/", (1, 2): 4}) == "/"
    assert _eval(c, {(1, 1): 0, (1, 2): 4}) == "/"
    assert _eval(c, {(1, 1): 10, (1, 2): None}) == 0
    assert _eval(c, {(1, 1): "600", (1, 2): 765}) == "/"      # text is not a number to the formula
    assert _eval(c, {(1, 1): 600, (1, 2): "765"}) == 0
    assert _eval(c, {(1, 1): "#REF!", (1, 2): 3}) == "#REF!"


def test_total_is_a_sum_or_slash_and_its_percentage_reads_the_totals():
    cells = {(1, 1): 3, (2, 1): 2, (3, 1): 3, (1, 2): 3, (2, 2): 3, (3, 2): 4}
    calcs = [Calc((4, 1), "sum_na", (((1, 1), (2, 1), (3, 1)),)),
             Calc((4, 2), "sum_na", (((1, 2), (2, 2), (3, 2)),)),
             Calc((4, 3), "pct", ((4, 1), (4, 2)))]
    assert calcs[0].formula() == '=IF(COUNT(A1:A3)=0,"/",SUM(A1:A3))'
    out = evaluate_all(calcs, lambda p: cells.get(p))
    assert out[(4, 3)] == 10 / 8          # from the totals, not the mean of 100%, 150%, 133.33%
    na = evaluate_all([Calc((4, 1), "sum_na", (((1, 1), (2, 1)),))], lambda p: "/")
    assert na[(4, 1)] == "/"


def test_staffing_formula_semantics():
    months = (((1, 1), (1, 2), (1, 3)), ((1, 4), (1, 5), (1, 6)), ((1, 7), (1, 8), (1, 9)))
    c = Calc((1, 10), "months", months)
    cells = {(1, 1): 0.5, (1, 2): "√", (1, 3): "√", (1, 4): "√", (1, 5): "√", (1, 6): "√",
             (1, 7): "√", (1, 8): "√", (1, 9): "——"}                 # last month: salary not paid
    assert _eval(c, cells) == 1.5
    col = ((1, 1), (2, 1), (3, 1))
    v = {(1, 1): "√", (2, 1): 0.5, (3, 1): "——"}
    assert _eval(Calc((4, 1), "present", (col,)), v) == 1.5
    assert _eval(Calc((4, 1), "ticks", (col,)), v) == 1
    assert _eval(Calc((4, 1), "heads", (col,)), v) == 2              # heads, not person-months
    assert Calc((4, 1), "heads", (col,)).formula() == '=COUNTIF(A1:A3,"√")+COUNTIF(A1:A3,">0")'
    assert _eval(Calc((9, 9), "ratio", (18, 20)), {}) == 0.9
    assert Calc((9, 9), "ratio", (18, 20)).formula() == "=18/20"
    split = Calc((9, 1), "ticks", (((1, 1), (2, 1), (5, 1), (6, 1)),))
    assert split.formula() == '=COUNTIF(A1:A2,"√")+COUNTIF(A5:A6,"√")'
