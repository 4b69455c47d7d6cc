"""The official formulas of the derived cells: each kind once, as formula text and as Python.

A ``Calc`` names a derived cell, its kind and the cells it reads. ``formula()`` writes the text a
template carries; ``evaluate(get)`` computes what that formula gives, with Excel's semantics, from a
``get((row, col))`` that returns cell values (float, str, None). Both come from the same arguments, so
a template and our recomputation cannot drift apart; the LibreOffice oracle tests prove it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from .cells import a1_range, to_a1
from .values import ERRORS

Pos = tuple[int, int]
Getter = Callable[[Pos], Any]

TICK = "√"
NA = "/"


def is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def is_err(v: Any) -> bool:
    return isinstance(v, str) and v in ERRORS


def _n(v: Any) -> float:
    """Excel's N(): a number stays, anything else is 0."""
    return float(v) if is_num(v) else 0.0


def _runs(cells: Sequence[Pos]) -> list[str]:
    """A1 texts of the contiguous column (or row) runs in ``cells``, in order: ['G5:G9', 'G12:G14']."""
    out: list[str] = []
    i = 0
    while i < len(cells):
        j = i
        while j + 1 < len(cells) and cells[j + 1] == (cells[j][0] + 1, cells[j][1]):
            j += 1
        if j == i:
            while j + 1 < len(cells) and cells[j + 1] == (cells[j][0], cells[j][1] + 1):
                j += 1
        out.append(a1_range(*cells[i], *cells[j]))
        i = j + 1
    return out


def _rng(cells: Sequence[Pos]) -> str:
    """Cells as one argument list for SUM/COUNT: 'G5:G9,G12:G14'."""
    return ",".join(_runs(cells))


def _each(cells: Sequence[Pos], template: str) -> str:
    """'COUNTIF(G5:G9,"√")+COUNTIF(G12:G14,"√")': functions that take a single range, per run."""
    return "+".join(template.format(r=r) for r in _runs(cells))


@dataclass(frozen=True, slots=True)
class Calc:
    """One derived cell. ``args`` are cells or tuples of cells (ranges), by kind:

    pct       (agree, done)                 =IF(ISNUMBER(a),IF(a=0,"/",N(d)/a),"/")
    sum_na    (cells,)                      =IF(COUNT(r)=0,"/",SUM(r))   — a 合计 of counts
    sum       (cells,)                      =SUM(r)
    months    ((p, s, w), …) per month      a row's 人员到岗小计
    ticks     (cells,)                      =COUNTIF(r,"√")               — 社保/工资 小计
    present   (cells,)                      =COUNTIF(r,"√")+SUM(r)        — 人员到位 小计
    effective (ps, ss, ws)                  a month's 有效人次小计
    heads     (cells, cells, …)             =COUNTIF(r,"√")+COUNTIF(r,">0")+…  — heads on post
    ratio     (numerator, denominator)      =n/d as constants, or with cells =IF(N(d)=0,"/",N(n)/d) — 稳岗率
    """
    pos: Pos
    kind: str
    args: tuple
    number_format: str = "General"
    label: str = ""

    @property
    def a1(self) -> str:
        return to_a1(*self.pos)

    def refs(self) -> set[Pos]:
        """Every cell the formula reads (for "points at other cells" checks)."""
        out: set[Pos] = set()

        def walk(x):
            if isinstance(x, tuple) and len(x) == 2 and all(isinstance(i, int) for i in x):
                out.add(x)
            elif isinstance(x, (tuple, list)):
                for i in x:
                    walk(i)
        # NB: a ratio of constants (18, 20) is no cell; a ratio of input cells reads them
        walk(self.args if self.kind != "ratio" else tuple(a for a in self.args if isinstance(a, tuple)))
        return out

    def groups(self) -> list[set[Pos]]:
        """The cells the formula reads, by kind: a formula of another template may leave out a kind
        (a 人员到岗小计 that reads 人员到位 only) but not part of one (a 合计 of two districts of three)."""
        k, a = self.kind, self.args
        if k == "pct":
            return [{a[0]}, {a[1]}]
        if k in ("sum_na", "sum", "ticks", "present"):
            return [set(a[0])]
        if k == "months":
            return [{m[i] for m in a} for i in range(3)]
        if k == "effective":
            return [set(x) for x in a]
        if k == "heads":
            return [{p for r in a for p in r}]
        return []

    # -- formula text ---------------------------------------------------------------------------
    def formula(self) -> str:
        k, a = self.kind, self.args
        if k == "pct":
            ag, dn = to_a1(*a[0]), to_a1(*a[1])
            return f'=IF(ISNUMBER({ag}),IF({ag}=0,"/",N({dn})/{ag}),"/")'
        if k == "sum_na":
            r = _rng(a[0])
            return f'=IF(COUNT({r})=0,"/",SUM({r}))'
        if k == "sum":
            return f"=SUM({_rng(a[0])})"
        if k == "months":
            terms = []
            for p, s, w in a:
                P, S, W = to_a1(*p), to_a1(*s), to_a1(*w)
                terms.append(f'IF(AND({S}="√",{W}="√"),IF({P}="√",1,N({P})),0)')
            return "=" + "+".join(terms)
        if k == "ticks":
            return "=" + _each(a[0], 'COUNTIF({r},"√")')
        if k == "present":
            return "=" + _each(a[0], 'COUNTIF({r},"√")') + f"+SUM({_rng(a[0])})"
        if k == "effective":
            terms = []
            for P, S, W in zip(*(_runs(x) for x in a)):
                terms.append(f'SUMPRODUCT(({P}="√")*({S}="√")*({W}="√"))+SUMIFS({P},{S},"√",{W},"√")')
            return "=" + "+".join(terms)
        if k == "heads":
            return "=" + "+".join(_each(r, 'COUNTIF({r},"√")+COUNTIF({r},">0")') for r in a)
        if k == "ratio":
            n, d = a
            if isinstance(d, tuple):
                N, D = to_a1(*n), to_a1(*d)
                return f'=IF(N({D})=0,"/",N({N})/{D})'
            return f"={_const(n)}/{_const(d)}"
        raise ValueError(f"unknown formula kind {k!r}")

    # -- evaluation -----------------------------------------------------------------------------
    def evaluate(self, get: Getter) -> Any:
        k, a = self.kind, self.args
        if k == "pct":
            ag, dn = get(a[0]), get(a[1])
            if is_err(ag):
                return ag
            if not is_num(ag):
                return NA
            if ag == 0:
                return NA
            if is_err(dn):
                return dn
            return _n(dn) / ag
        if k in ("sum_na", "sum", "present"):
            vals = [get(p) for p in a[0]]
            for v in vals:
                if is_err(v):
                    return v
            nums = [float(v) for v in vals if is_num(v)]
            if k == "sum_na" and not nums:
                return NA
            total = _fsum(nums)
            if k == "present":
                total += sum(1 for v in vals if v == TICK)
            return total
        if k == "ticks":
            return float(sum(1 for p in a[0] if get(p) == TICK))
        if k == "months":
            total = 0.0
            for p, s, w in a:
                sv, wv, pv = get(s), get(w), get(p)
                if sv == TICK and wv == TICK:
                    if pv == TICK:
                        total += 1
                    elif is_err(pv):
                        return pv
                    else:
                        total += _n(pv)
            return total
        if k == "effective":
            total = 0.0
            for p, s, w in zip(*a):
                if get(s) == TICK and get(w) == TICK:
                    pv = get(p)
                    total += 1 if pv == TICK else _n(pv)
            return total
        if k == "heads":
            n = 0
            for r in a:
                for p in r:
                    v = get(p)
                    n += (v == TICK) or (is_num(v) and v > 0)
            return float(n)
        if k == "ratio":
            n, d = a
            if isinstance(d, tuple):
                n, d = get(n), get(d)
                if is_err(d):
                    return d
                if not is_num(d) or d == 0:
                    return NA
                return n if is_err(n) else _n(n) / d
            return NA if not d else n / d
        raise ValueError(f"unknown formula kind {k!r}")


def _fsum(nums: list[float]) -> float:
    # NB: Excel adds left to right in doubles; math.fsum could differ in the last bit from the
    # spreadsheet's result, and the oracle compares at full precision.
    total = 0.0
    for x in nums:
        total += x
    return total


def _const(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def evaluate_all(calcs: Sequence[Calc], get: Getter) -> dict[Pos, Any]:
    """Evaluate calcs in order; later ones see earlier results (a 合计 percentage reads 合计 sums)."""
    done: dict[Pos, Any] = {}

    def lookup(p: Pos):
        return done[p] if p in done else get(p)
    for c in calcs:
        done[c.pos] = c.evaluate(lookup)
    return done
