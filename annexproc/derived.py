"""Comparing a derived cell with what the file holds: one verdict for every annex, and the cells a formula reads.

Each annex recomputes its derived cells (``formulas.Calc``) and asks ``compare`` how the cell in the
file stands against that value; the answer is a :class:`Verdict` (or None when the cell agrees),
which the annex's checker maps to its own stable rule codes (A1xx, A2xx). Rows and columns are
1-based, as everywhere (``cells``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Any, Callable

from .cells import col_index, to_a1
from .formulas import NA, Calc, is_num
from .values import Kind, Note, read
from .xlmath import same_shown, xl_round


@dataclass(slots=True)
class Derived:
    """One derived cell as the rules define it: where, its official formula, its recomputed value."""
    sheet: str
    cell: str               # A1, top-left of a merge
    formula: str            # the official formula, with its leading '='
    value: Any              # recomputed value: float, '/', or an error text such as '#DIV/0!'
    number_format: str = "General"
    label: str = ""         # what it is, for messages: '片区1 红棉热线服务次数 百分比'


#: a formula's reference: (row, col) on its own sheet, (sheet, row, col) elsewhere — a sheet of
#: another workbook keeps its '[1]' or '[Book.xlsx]' prefix, so it never equals a sheet of this one
#: — or ('range', text) for a whole column, a whole row or a range too large to list.
Ref = tuple

_STRING = re.compile(r'"[^"]*"')
# NB: an unquoted sheet name is anything up to '!' that is no operator or delimiter ('-' is one:
# 'G5-附件!B2' is G5 minus a cell of 附件); a quoted one doubles its quotes. '[1]' or '[Book.xlsx]'
# in front names another workbook (openpyxl keeps Excel's '[1]' index form).
_SHEET = r"(?:'(?P<quoted>(?:[^']|'')+)'|(?P<plain>(?:\[[^\]]*\])?[^\s'!()+\-*/^&=<>,;:\"{}%\[\]]+))!"
_CELLS = r"\$?(?P<c1>[A-Z]{1,3})\$?(?P<r1>\d+)(?::\$?(?P<c2>[A-Z]{1,3})\$?(?P<r2>\d+))?"
_LINES = r"\$?[A-Z]{1,3}:\$?[A-Z]{1,3}|\$?\d+:\$?\d+"      # whole columns 'G:G', whole rows '5:7'
_REF = re.compile(rf"(?<![\w.$'\]])(?:{_SHEET})?(?:{_CELLS}|(?P<lines>{_LINES}))(?![\w(!\[])", re.IGNORECASE)
_MAX_CELLS = 20_000          # NB: no rule reads this many cells; larger ranges are named, not listed
_AVERAGE = re.compile(r"(?<!\w)AVERAGE[A-Z]*\s*\(", re.IGNORECASE)   # AVERAGE, AVERAGEA, AVERAGEIF(S)


def formula_refs(formula: str, sheet: str) -> set[Ref]:
    """Cells a formula on ``sheet`` reads: '$A$1', ranges, 'Sheet'!A1, '[1]Sheet'!A1 (see ``Ref``).

    References are case-insensitive, like Excel's, sheet names included; text in quotes is no reference.
    """
    out: set[Ref] = set()
    own = sheet.casefold()
    for m in _REF.finditer(_STRING.sub('""', formula)):
        name = m["plain"] if m["plain"] is not None else m["quoted"]
        other = None if name is None else name.replace("''", "'")
        if other is not None and other.casefold() == own:
            other = None
        if m["lines"] is not None:
            out.add(("range", m.group(0)))
            continue
        r1, c1 = int(m["r1"]), col_index(m["c1"])
        r2, c2 = (int(m["r2"]), col_index(m["c2"])) if m["c2"] else (r1, c1)
        if (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1) > _MAX_CELLS:
            out.add(("range", m.group(0)))
            continue
        for r in range(min(r1, r2), max(r1, r2) + 1):
            for c in range(min(c1, c2), max(c1, c2) + 1):
                out.add((r, c) if other is None else (other, r, c))
    return out


def refs_text(refs) -> list[str]:
    """References as a message lists them: ['G5', 'G6', '附件1-2!B2'] (at most 12 cells of the own sheet);
    findings.show joins a list per language (、 or ', ', 无/none when empty)."""
    own = sorted(r for r in refs if len(r) == 2 and isinstance(r[0], int))
    shown = [to_a1(*p) for p in own][:12]
    if len(own) > 12:
        shown.append("…")
    rest = sorted((r for r in refs if not (len(r) == 2 and isinstance(r[0], int))), key=lambda r: (r[0], str(r[1:])))
    shown += [r[1] if r[0] == "range" else f"{r[0]}!{to_a1(r[1], r[2])}" for r in rest]
    return shown


def stored(sheet) -> Callable[[tuple[int, int]], Any]:
    """A getter of cell values as a spreadsheet's formulas see them ('✓' is not '√', text '5' no number)."""
    def get(pos: tuple[int, int]) -> Any:
        return sheet.value(*pos)
    return get


def averages(formula: str | None) -> bool:
    """Does the formula take an AVERAGE (AVERAGEA, AVERAGEIF…) outside quoted text?"""
    return formula is not None and _AVERAGE.search(_STRING.sub('""', formula)) is not None


def shows(expected: Any, raw: Any, number_format: str | None) -> bool:
    """Does a cell holding ``raw`` show ``expected`` at the precision its number format shows?

    A number typed as percentage text ('127.63%') is compared at the decimals typed; '／' means '/';
    a blank shows nothing, not 0.
    """
    rd = read(raw)
    if is_num(expected):
        if rd.kind is not Kind.NUMBER:
            return False
        if rd.note is Note.PERCENT_TEXT:
            m = re.search(r"\.(\d+)", str(raw))
            places = len(m.group(1)) if m else 0
            return xl_round(expected * 100, places) == xl_round(rd.value * 100, places)
        return same_shown(expected, rd.value, number_format)
    if expected == NA:
        return rd.kind is Kind.NA
    if isinstance(expected, str):
        return rd.kind is Kind.ERROR and str(raw).strip() == expected
    return rd.kind is Kind.BLANK


def shown_value(raw: Any) -> Any:
    """What a message says a cell holds: a number as float, None for blank, an error or text as written."""
    rd = read(raw)
    if rd.kind is Kind.NUMBER:
        return rd.value
    if rd.kind is Kind.BLANK:
        return None
    if rd.kind is Kind.ERROR:
        return str(raw).strip()
    return raw


class Discrepancy(str, Enum):
    """How a derived cell departs from its rule."""
    AVERAGE = "average"                      # an AVERAGE where the rule adds up (whatever it gives)
    OTHER_REFS = "other_refs"                # a formula reading other cells; its value differs or was never calculated
    OTHER_REFS_AGREE = "other_refs_agree"    # agrees for now, but leaves out a cell of a kind it reads
    OTHER_FORMULA = "other_formula"          # another template's formula that gives the rule's value: fine
    MISMATCH = "mismatch"                    # the rule's cells, another value
    CONSTANT_EQUAL = "constant_equal"        # a typed value where the formula belongs; it agrees
    CONSTANT_WRONG = "constant_wrong"        # a typed value where the formula belongs; it does not


#: The rule each annex reports a discrepancy with (OTHER_FORMULA is none: one RD16 note for the workbook).
CODES = {
    "annex1": {Discrepancy.MISMATCH: "A101", Discrepancy.CONSTANT_EQUAL: "A104", Discrepancy.CONSTANT_WRONG: "A105",
               Discrepancy.OTHER_REFS: "A106", Discrepancy.OTHER_REFS_AGREE: "A107", Discrepancy.AVERAGE: "A108"},
    "annex2": {Discrepancy.MISMATCH: "A201", Discrepancy.CONSTANT_EQUAL: "A202", Discrepancy.CONSTANT_WRONG: "A203",
               Discrepancy.OTHER_REFS: "A204", Discrepancy.AVERAGE: "A205", Discrepancy.OTHER_REFS_AGREE: "A231"},
}


@dataclass(frozen=True, slots=True)
class Verdict:
    """What ``compare`` found. ``na`` says a wrong value is the wrong kind: 'number_for_na' (a number
    where the rule gives '/'), 'na_for_number' ('/' or a dash where it gives a number), else None."""
    kind: Discrepancy
    expected: Any
    found: Any                   # shown_value of the cell; None too for a formula never calculated
    calculated: bool             # False: a formula with no cached value (a file saved by a library)
    formula: str | None          # the cell's own formula ('=…'), None for a typed value
    refs: frozenset              # what that formula reads (formula_refs); empty for a typed value
    expected_refs: frozenset     # what the rule's formula reads
    na: str | None = None
    missing: frozenset = frozenset()   # OTHER_REFS_AGREE: the rule's cells the formula leaves out


def said(v: "Verdict") -> dict[str, Any]:
    """What a finding of ``v`` says beside the rule's value, in both annexes alike: what the cell shows
    (or that its formula was never calculated), the cell's formula, and what it reads or leaves out."""
    D = Discrepancy
    if v.kind is D.OTHER_REFS and not v.calculated:
        from .words import args
        out: dict[str, Any] = args("found", "finding.not_calculated")
    else:
        out = {"found": v.found}
    if v.kind in (D.AVERAGE, D.OTHER_REFS, D.OTHER_REFS_AGREE):
        out["found_formula"] = v.formula
    if v.kind is D.OTHER_REFS:
        out.update(found_refs=refs_text(v.refs), expected_refs=refs_text(v.expected_refs))
    elif v.kind is D.OTHER_REFS_AGREE:
        out["missing"] = refs_text(v.missing)
    return out


def left_out(refs: frozenset, calc: Calc) -> frozenset:
    """The rule's cells a formula that agrees today leaves out although it reads their kind.

    A formula is another template's business while it gives the rule's value; it is fragile when it
    reads part of a kind (a 合计 of two districts of three), reads another cell in place of one of a
    kind (a percentage over the next row's agreement), or reads none of the rule's cells (a constant
    written as a formula, '=10/13'). Leaving a whole kind out (人员到位 only) is a template's choice.
    """
    own = {r for r in refs if len(r) == 2 and isinstance(r[0], int)}
    groups = calc.groups()
    expected = set().union(*groups) if groups else set()
    if expected and not own & expected:
        return frozenset(expected)
    extra = own - expected
    out: set = set()
    for g in groups:
        read_here = g & own
        if read_here and read_here != g:
            out |= g - own
        elif not read_here and any(_near_kind(x, p, g) for x in extra for p in g):
            out |= g
    return frozenset(out)


def _near_kind(x: tuple[int, int], p: tuple[int, int], group: set) -> bool:
    """Is ``x`` a cell of the same kind as ``p``: in its column for a cell or column of cells, in its row
    for a row of cells (a formula reading C6 where the rule reads C5)."""
    rows = {q[0] for q in group}
    cols = {q[1] for q in group}
    if len(cols) == 1:
        return x[1] == p[1]
    if len(rows) == 1:
        return x[0] == p[0]
    return x[1] in cols


def compare(sheet, calc: Calc, expected: Any, *, sums: bool = False) -> Verdict | None:
    """The file's cell at ``calc.pos`` against ``expected``, the rule's value; None when it agrees.

    ``sums``: the rule adds up, so an AVERAGE in the cell's formula is a discrepancy of its own. The
    number format is the cell's; a typed value in a General cell is read at the rule's format (a
    person types the percentage the template would show). A formula whose cells are the rule's but
    that was never calculated has nothing to compare.
    """
    pos = calc.pos
    formula = sheet.formula(*pos)
    raw = sheet.value(*pos)
    calculated = formula is None or pos in sheet.cached
    fmt = sheet.number_format(*pos)
    if formula is None and (not fmt or fmt == "General"):
        fmt = calc.number_format
    expected_refs = frozenset(calc.refs())
    refs = frozenset(formula_refs(formula, sheet.name)) if formula is not None else frozenset()
    agrees = calculated and shows(expected, raw, fmt)

    def verdict(kind: Discrepancy, na: str | None = None, missing: frozenset = frozenset()) -> Verdict:
        return Verdict(kind, expected, shown_value(raw) if calculated else None, calculated, formula, refs,
                       expected_refs, na, missing)

    if formula is None:
        if agrees and expected == NA:
            return None    # NB: '/' typed where the rule gives '/': what the template's comment asks for
        if agrees:
            return verdict(Discrepancy.CONSTANT_EQUAL)
        return verdict(Discrepancy.CONSTANT_WRONG, _na(expected, raw))
    if sums and averages(formula):
        return verdict(Discrepancy.AVERAGE)
    # NB: the 稳岗率 (kind ratio) may be typed constants (=18/20) or read our template's two labelled
    # inputs: any cells are its own; only its value is held to the grid (A220).
    if refs != expected_refs and calc.kind != "ratio":
        if not agrees:
            return verdict(Discrepancy.OTHER_REFS)
        missing = left_out(refs, calc)
        if not missing:
            return verdict(Discrepancy.OTHER_FORMULA)
        return verdict(Discrepancy.OTHER_REFS_AGREE, missing=missing)
    if not calculated:
        return None
    if agrees:
        same = calc.kind == "ratio" or _plain(formula) == _plain(calc.formula())
        return None if same else verdict(Discrepancy.OTHER_FORMULA)
    return verdict(Discrepancy.MISMATCH, _na(expected, raw))


def _plain(formula: str) -> str:
    """A formula's text without what does not change its meaning here: case, spaces, '$'."""
    return re.sub(r"[\s$]", "", formula).upper()


def _na(expected: Any, raw: Any) -> str | None:
    kind = read(raw).kind
    if expected == NA and kind is Kind.NUMBER:
        return "number_for_na"
    if is_num(expected) and kind in (Kind.NA, Kind.DASH):
        return "na_for_number"
    return None
