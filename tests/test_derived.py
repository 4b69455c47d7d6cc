"""annexproc.derived: the one reference parser and the one comparison of a derived cell with the file."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from annexproc.derived import Discrepancy, averages, compare, formula_refs, refs_text, shows
from annexproc.formulas import Calc


# -- formula_refs -----------------------------------------------------------------------------------

@pytest.mark.parametrize("formula, refs", [
    ("=SUM(C5:C7)", {(5, 3), (6, 3), (7, 3)}),
    ("=$B$2+B$3+$B4", {(2, 2), (3, 2), (4, 2)}),
    ("=SUM($C$7:$C$5)", {(5, 3), (6, 3), (7, 3)}),                     # corners in either order
    ("=sum(c5:c6)", {(5, 3), (6, 3)}),                                  # Excel reads refs in any case
    ('=IF(A1="B2","C3",D4)', {(1, 1), (4, 4)}),                         # quoted text is no reference
    ("=LOG10(A1)+ATAN2(B1,C1)", {(1, 1), (1, 2), (1, 3)}),              # function names are not cells
    ("=A1B+R2C3+Q1_total", set()),                                      # names are not cells
    ("=S!A1+'S'!B1+s!C1", {(1, 1), (1, 2), (1, 3)}),                    # the own sheet, qualified
    ("='附件1-2'!B2:B3", {("附件1-2", 2, 2), ("附件1-2", 3, 2)}),
    ("='it''s'!A1", {("it's", 1, 1)}),
    ("=G5-附件!B2", {(5, 7), ("附件", 2, 2)}),                           # '-' ends an unquoted sheet name
    ("=[1]S!A1", {("[1]S", 1, 1)}),                                     # another workbook's sheet S ≠ S
    ("='[1]Sheet 1'!$A$1+'C:\\d\\[B.xlsx]S'!C3", {("[1]Sheet 1", 1, 1), ("C:\\d\\[B.xlsx]S", 3, 3)}),
    ("=SUM(G:G)+SUM($5:$7)", {("range", "G:G"), ("range", "$5:$7")}),
    ("=SUM(A1:XFD100)", {("range", "A1:XFD100")}),                      # too large to list: named
])
def test_formula_refs(formula, refs):
    assert formula_refs(formula, "S") == refs


def test_refs_text_names_every_kind_of_reference():
    refs = formula_refs("=A1+'附件1-2'!B2+SUM(G:G)+[1]S!C3", "S")
    assert refs_text(refs) == ["A1", "[1]S!C3", "G:G", "附件1-2!B2"]
    assert refs_text(set()) == []
    from annexproc.findings import show
    assert show(refs_text(refs), lang="zh") == "A1、[1]S!C3、G:G、附件1-2!B2"
    assert show(refs_text(refs), lang="en") == "A1, [1]S!C3, G:G, 附件1-2!B2"
    assert show([], lang="zh") == "无" and show([], lang="en") == "none"


def test_averages_only_outside_quoted_text():
    assert averages("=AVERAGE(A1:A3)") and averages("=average (A1)") and averages("=AVERAGEIF(A1:A3,\">0\")")
    assert not averages('=SUM(A1)&"AVERAGE("') and not averages(None)


# -- shows ----------------------------------------------------------------------------------------

def test_shows_at_the_precision_of_the_format():
    assert shows(1.27631, 1.2763, "0.00%") and not shows(1.27631, 1.2764, "0.00%")
    assert not shows(1.27631, 1.2763, "General")
    assert shows(1.27631, "127.63%", "General"), "percentage text: at the decimals typed"
    assert shows(12.0, "12", "General") and not shows(12.0, True, "General")
    assert shows("/", "／", "General") and not shows("/", 0, "General")
    assert shows("#DIV/0!", "#DIV/0! ", "General")
    assert not shows(0.0, None, "General"), "a blank shows nothing, not 0"


# -- compare --------------------------------------------------------------------------------------

@dataclass
class _Sheet:
    """The part of workbook.Sheet that compare reads."""
    name: str = "S"
    formulas: dict = field(default_factory=dict)
    cached: dict = field(default_factory=dict)
    formats: dict = field(default_factory=dict)

    def formula(self, r, c):
        return self.formulas.get((r, c))

    def value(self, r, c):
        return self.cached.get((r, c))

    def number_format(self, r, c):
        return self.formats.get((r, c), "General")


PCT = Calc((5, 3), "pct", ((5, 1), (5, 2)), "0.00%")          # C5 = B5 / A5
SUM = Calc((8, 1), "sum", (((5, 1), (6, 1), (7, 1)),))         # A8 = SUM(A5:A7)


def _cell(formula=None, value=None, fmt="0.00%", pos=(5, 3)):
    s = _Sheet(formats={pos: fmt})
    if formula is not None:
        s.formulas[pos] = formula
    if value is not None:
        s.cached[pos] = value
    return s


def test_the_rule_formula_with_its_value_agrees():
    assert compare(_cell(PCT.formula(), 0.5), PCT, 0.5) is None
    assert compare(_cell(PCT.formula()), PCT, 0.5) is None, "never calculated: nothing to compare"


def test_mismatch_and_its_kind():
    v = compare(_cell(PCT.formula(), 0.6), PCT, 0.5)
    assert (v.kind, v.expected, v.found, v.na) == (Discrepancy.MISMATCH, 0.5, 0.6, None)
    assert compare(_cell(PCT.formula(), 0.6), PCT, "/").na == "number_for_na"
    assert compare(_cell(PCT.formula(), "——"), PCT, 0.5).na == "na_for_number"
    assert compare(_cell(PCT.formula(), "——"), PCT, 0.5).found == "——", "found is what the cell shows"


def test_constants_equal_or_not():
    v = compare(_cell(None, 0.5), PCT, 0.5)
    assert v.kind is Discrepancy.CONSTANT_EQUAL and v.formula is None and v.refs == frozenset()
    assert compare(_cell(None, 0.5, fmt="General"), PCT, 0.50004).kind is Discrepancy.CONSTANT_EQUAL, \
        "a typed value in a General cell is read at the rule's format"
    v = compare(_cell(None, "/"), PCT, 0.5)
    assert (v.kind, v.na) == (Discrepancy.CONSTANT_WRONG, "na_for_number")
    assert compare(_cell(None, None), PCT, 0.0).kind is Discrepancy.CONSTANT_WRONG


def test_formula_on_other_cells_agreeing_or_not():
    v = compare(_cell("=B5/A6", 0.5), PCT, 0.5)
    assert v.kind is Discrepancy.OTHER_REFS_AGREE and v.missing == {(5, 1)}, "another row's agreement"
    assert v.refs == {(5, 2), (6, 1)} and v.expected_refs == {(5, 1), (5, 2)}
    assert compare(_cell("=B5/A6", 0.7), PCT, 0.5).kind is Discrepancy.OTHER_REFS
    v = compare(_cell("=B5/A6"), PCT, 0.5)
    assert (v.kind, v.calculated, v.found) == (Discrepancy.OTHER_REFS, False, None)
    assert compare(_cell("=IF(ISNUMBER(s!A5),IF(A5=0,\"/\",N(B5)/A5),\"/\")", 0.5), PCT, 0.5).kind is \
        Discrepancy.OTHER_FORMULA, "the own sheet named in a reference is the same cell: no formula on other cells"


def test_average_where_the_rule_adds_up():
    s = _cell("=AVERAGE(A5:A7)", 2.0, fmt="General", pos=(8, 1))
    assert compare(s, SUM, 6.0, sums=True).kind is Discrepancy.AVERAGE
    assert compare(s, SUM, 6.0).kind is Discrepancy.MISMATCH, "without sums it is judged by its value"
    uncached = _cell("=AVERAGE(A5:A7)", None, fmt="General", pos=(8, 1))
    assert compare(uncached, SUM, 6.0, sums=True).kind is Discrepancy.AVERAGE, "whatever it gives"


# -- another template's formula: judged by its value, warned only when it leaves out part of a kind ----

MONTHS = Calc((5, 10), "months", tuple(((5, c), (5, c + 1), (5, c + 2)) for c in (1, 4, 7)))   # J5: 3 months


@pytest.mark.parametrize("calc, formula, missing", [
    (PCT, '=IFERROR(B5/A5,"/")', set()),                       # another style, the same cells
    (SUM, "=A5+A6+A7", set()),
    (SUM, "=SUM(A5:A7)+0*Z1", set()),                          # an extra cell of no kind the rule reads
    (SUM, "=A5+A6", {(7, 1)}),                                 # a 合计 of two districts of three
    (SUM, "=A5+A6+8", {(7, 1)}),
    (PCT, "=10/13", {(5, 1), (5, 2)}),                         # a constant written as a formula
    (PCT, "=B5/A6", {(5, 1)}),                                 # another row's agreement
    (MONTHS, '=COUNTIF(A5,"√")+COUNTIF(D5,"√")+COUNTIF(G5,"√")', set()),   # 人员到位 only: a template's choice
    (MONTHS, '=COUNTIF(A5,"√")+COUNTIF(D5,"√")', {(5, 7)}),               # a month of 人员到位 left out
])
def test_an_agreeing_formula_is_fragile_only_when_it_leaves_out_part_of_a_kind(calc, formula, missing):
    v = compare(_cell(formula, 0.5, fmt="General", pos=calc.pos), calc, 0.5)
    if missing:
        assert (v.kind, set(v.missing)) == (Discrepancy.OTHER_REFS_AGREE, missing)
    else:
        assert v.kind is Discrepancy.OTHER_FORMULA, v
