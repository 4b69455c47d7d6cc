"""Build the foreign-template corpus (issue 13): the seed's annexes as other stations' templates have them.

Run: python tests/foreign/build_foreign.py [--out DIR]   (default tests/foreign/files; needs LibreOffice)

Written with openpyxl from the seed's text (tests/foreign/seed_data.py), never through annexproc's own
template, layout or formula table: what annexproc sees here is a workbook it did not write. openpyxl
stores no cached values, so every file is saved again by LibreOffice with recalculation (the ``.lo.xlsx``,
``.xls`` and ``.ods`` files); the raw openpyxl files are not kept. Which file is correct and which is
broken, with the findings expected of each, is in tests/foreign/expected.json.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment
from openpyxl.utils import column_index_from_string, get_column_letter as col

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import seed_data as sd  # noqa: E402

PCT = "0.00%"
# NB: the project's steering tools live next to the repository (README: ../shared); a worktree may sit elsewhere.
_TOOL = Path("shared", "tools", "xlsx_rewrite.py")
REWRITE_TOOL = next((p for p in (Path(os.environ.get("XLSX_REWRITE", "/nonexistent")), HERE.parents[2] / _TOOL,
                                 HERE.parents[3] / _TOOL) if p.exists()), HERE.parents[2] / _TOOL)


# ---------------------------------------------------------------- formula styles
@dataclass(frozen=True)
class Style:
    """How one template writes its formulas, and which mark its people type for a tick."""
    mark: str                                   # the tick typed in 附件2
    counts: str                                 # the tick its formulas count
    pct: Callable[[str, str], str]              # (agreement cell, achieved cell) → 百分比 formula
    total: Callable[[str, int, int], str]       # (column, first row, last row) → 合计 formula
    row_total: Callable[[int, str], str]        # (row, tick) → 人员到岗小计
    present_sub: Callable[[str, int, int, str], str]   # 小计 of a 人员到位 column
    tick_sub: Callable[[str, int, int, str], str]      # 小计 of a 社保购买 / 工资发放 column
    effective: Callable[[list[str], int, int, str], str]  # 有效人次小计 of one month
    heads: Callable[[str, list[tuple[int, int]], str], str]  # 总计 of a 人员到位 column (heads)


def _month_cols(i: int) -> list[str]:
    base = 7 + 3 * i   # G = 人员到位 of the first month
    return [col(base), col(base + 1), col(base + 2)]


def _seed_row_total(r: int, t: str) -> str:
    # NB: the three sub-columns as three ranges one column apart; MOD(COLUMN(),3)=1 keeps the month triples.
    m = f"(MOD(COLUMN(G{r}:AB{r}),3)=1)*(H{r}:AC{r}=\"{t}\")*(I{r}:AD{r}=\"{t}\")"
    return f"=SUMPRODUCT({m}*(G{r}:AB{r}=\"{t}\"))+SUMPRODUCT({m},G{r}:AB{r})"


def _seed_effective(c: list[str], a: int, b: int, t: str) -> str:
    g, h, i = (f"{x}{a}:{x}{b}" for x in c)
    return (f"=SUMPRODUCT(({g}=\"{t}\")*({h}=\"{t}\")*({i}=\"{t}\"))"
            f"+SUMPRODUCT(({h}=\"{t}\")*({i}=\"{t}\"),{g})")


SEED = Style(
    mark="√", counts="√",
    pct=lambda a, d: f'=IF({a}="/","/",{d}/{a})',
    total=lambda c, a, b: f"=SUM({c}{a}:{c}{b})",
    row_total=_seed_row_total,
    present_sub=lambda c, a, b, t: f'=SUMPRODUCT(--({c}{a}:{c}{b}="{t}"))+SUM({c}{a}:{c}{b})',
    tick_sub=lambda c, a, b, t: f'=SUMPRODUCT(--({c}{a}:{c}{b}="{t}"))',
    effective=_seed_effective,
    heads=lambda c, spans, t: "=" + "+".join(f'SUMPRODUCT(--({c}{a}:{c}{b}="{t}"))+COUNT({c}{a}:{c}{b})'
                                             for a, b in spans),
)


def _other_row_total(r: int, t: str) -> str:
    # NB: counts the 人员到位 marks only (and adds the part months typed as numbers): a template's choice.
    present = [f"{_month_cols(i)[0]}{r}" for i in range(8)]
    return "=" + "+".join(f'COUNTIF({p},"{t}")' for p in present) + f"+SUM({','.join(present)})"


def _other_heads(c: str, spans: list[tuple[int, int]], t: str) -> str:
    cells = ",".join(f"{c}{a}:{c}{b}" for a, b in spans)
    minus = "".join(f'-COUNTIF({c}{a}:{c}{b},"——")' for a, b in spans)
    seg = "".join(f'-COUNTIF({c}{a}:{c}{b},"{txt}")' for (a, b), txt in zip(spans, SEGMENT_TEXT.values()))
    return f"=COUNTA({cells}){minus}{seg}"


OTHER = Style(
    mark="√", counts="√",
    pct=lambda a, d: f'=IFERROR({d}/{a},"/")',
    total=lambda c, a, b: "=" + "+".join(f"{c}{r}" for r in range(a, b + 1)),
    row_total=_other_row_total,
    present_sub=lambda c, a, b, t: f'=COUNTIF({c}{a}:{c}{b},"{t}")+SUM({c}{a}:{c}{b})',
    tick_sub=lambda c, a, b, t: f'=COUNTA({c}{a}:{c}{b})-COUNTIF({c}{a}:{c}{b},"——")',
    effective=lambda c, a, b, t: (f'=COUNTIFS({c[0]}{a}:{c[0]}{b},"{t}",{c[1]}{a}:{c[1]}{b},"{t}",'
                                  f'{c[2]}{a}:{c[2]}{b},"{t}")+SUMIFS({c[0]}{a}:{c[0]}{b},'
                                  f'{c[1]}{a}:{c[1]}{b},"{t}",{c[2]}{a}:{c[2]}{b},"{t}")'),
    heads=_other_heads,
)

SEGMENT_TEXT = {"certified": "【分段计算】非持证社工", "uncertified": "【分段计算】持证社工"}


# ---------------------------------------------------------------- 附件1-1
def _put(ws, ref: str, value, *, fmt: str | None = None, comment: tuple[str, str] | None = None,
         merge: str | None = None):
    cell = ws[ref]
    cell.value = value
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    if fmt:
        cell.number_format = fmt
    if comment:
        cell.comment = Comment(comment[0], comment[1], width=300, height=160)
    if merge:
        ws.merge_cells(merge)


def _district_block(ws, st: Style, top: int, groups, staff_comments, template_comments: dict) -> None:
    """A block of districts × (协议, 完成量, 百分比) triples under two header rows, then its 合计 row."""
    h1, h2, first = top, top + 1, top + 2
    last = first + len(sd.DISTRICTS) - 1
    tot = last + 1
    _put(ws, f"A{h1}", "服务片区", merge=f"A{h1}:A{h2}", comment=template_comments.get("district"))
    _put(ws, f"B{h1}", "投入社工人数", merge=f"B{h1}:B{h2}", comment=template_comments.get("staff"))
    for i, (d, n, note) in enumerate(zip(sd.DISTRICTS, sd.STAFF, staff_comments)):
        _put(ws, f"A{first + i}", d)
        _put(ws, f"B{first + i}", n, comment=(note, sd.COMMENT_AUTHOR))
    _put(ws, f"A{tot}", "合计")
    _put(ws, f"B{tot}", st.total("B", first, last))
    c = 3
    for gi, (title, measures) in enumerate(groups):
        _put(ws, f"{col(c)}{h1}", title, merge=f"{col(c)}{h1}:{col(c + 3 * len(measures) - 1)}{h1}",
             comment=template_comments.get("group") if gi == 0 else None)
        for mi, (agree_title, done_title, values) in enumerate(measures):
            a, d, p = col(c), col(c + 1), col(c + 2)
            first_leaf = gi == 0 and mi == 0
            _put(ws, f"{a}{h2}", agree_title, comment=template_comments.get("agreement") if first_leaf else None)
            _put(ws, f"{d}{h2}", done_title)
            _put(ws, f"{p}{h2}", "百分比", comment=template_comments.get("percent") if first_leaf else None)
            for i, (agree, done) in enumerate(values):
                r = first + i
                _put(ws, f"{a}{r}", agree)
                _put(ws, f"{d}{r}", done)
                _put(ws, f"{p}{r}", st.pct(f"{a}{r}", f"{d}{r}"), fmt=PCT)
            no_agreement = all(v[0] == "/" for v in values)
            # NB: where no district has an agreement the template's 合计 协议 is the typed '/' of the seed.
            _put(ws, f"{a}{tot}", "/" if no_agreement else st.total(a, first, last))
            _put(ws, f"{d}{tot}", st.total(d, first, last))
            _put(ws, f"{p}{tot}", st.pct(f"{a}{tot}", f"{d}{tot}"), fmt=PCT)
            c += 3


BLOCK3_COLS = [("A", "B", "E", "F"), ("I", "J", "L", "M"), (None, "P", "S", "T")]


def _annex11(wb: Workbook, st: Style) -> None:
    ws = wb.active
    ws.title = "附件1-1"
    _put(ws, "A1", "附件1-1")
    _put(ws, "A2", sd.TITLE, merge="A2:AC2")
    tpl = {"district": (sd.C_DISTRICT, sd.TPL_AUTHOR_A), "staff": (sd.C_STAFF, sd.TPL_AUTHOR_B),
           "agreement": (sd.C_AGREEMENT, sd.TPL_AUTHOR_B), "percent": (sd.C_PERCENT, sd.TPL_AUTHOR_B)}
    _district_block(ws, st, 3, sd.BLOCK1, sd.STAFF_COMMENTS_1, tpl)
    _district_block(ws, st, 10, sd.BLOCK2, sd.STAFF_COMMENTS_2, {"group": (sd.C_LARGE, sd.TPL_AUTHOR_A)})
    # Block 3: a header row, the merged sentence, five data rows. Each group: (category column or None,
    # first and last column of the merged item cell, 指标要求 column; 完成量 and 百分比 follow it).
    # 五社联动 stands in column A from the header row down; 志愿者 in I over the data rows, under 协议内容.
    head, sent, first = 17, 18, 19
    last = first + 4
    for (category, items), (cat, i0, i1, req) in zip(sd.BLOCK3, BLOCK3_COLS):
        rq = column_index_from_string(req)
        done, pct = col(rq + 1), col(rq + 2)
        if cat == "A":
            _put(ws, f"A{head}", category, merge=f"A{head}:A{last}")
            _put(ws, f"{i0}{head}", "协议内容", merge=f"{i0}{head}:{i1}{head}")
        else:
            _put(ws, f"{cat or i0}{head}", "协议内容", merge=f"{cat or i0}{head}:{i1}{head}")
            if cat:
                _put(ws, f"{cat}{first}", category, merge=f"{cat}{first}:{cat}{last}")
        for c, h in ((req, "指标要求"), (done, "完成量"), (pct, "百分比")):
            _put(ws, f"{c}{head}", h)
        for i, item in enumerate(items):
            if item is None:
                continue
            r = first + i
            name, target, achieved = item
            _put(ws, f"{i0}{r}", name, merge=f"{i0}{r}:{i1}{r}")
            _put(ws, f"{req}{r}", target)
            _put(ws, f"{done}{r}", achieved)
            _put(ws, f"{pct}{r}", st.pct(f"{req}{r}", f"{done}{r}"), fmt=PCT)
    _put(ws, f"B{sent}", sd.SENTENCE, merge=f"B{sent}:V{sent}", comment=(sd.SENTENCE_COMMENT, sd.COMMENT_AUTHOR))
    ws.row_dimensions[sent].height = 48
    for i in range(1, 30):
        ws.column_dimensions[col(i)].width = 8


# ---------------------------------------------------------------- 附件1-2
def _annex12(wb: Workbook, st: Style) -> None:
    ws = wb.create_sheet("附件1-2")
    _put(ws, "A1", sd.TITLE, merge="A1:C1")
    r = 2
    for i, (title, target, achieved) in enumerate(sd.ANNEX12):
        _put(ws, f"A{r}", title, merge=f"A{r}:C{r}",
             comment=(sd.CASES_COMMENT, sd.COMMENT_AUTHOR) if i == 0 else None)
        for j, h in enumerate(("指标要求", "完成情况", "完成百分比")):
            _put(ws, f"{col(1 + j)}{r + 1}", h)
        _put(ws, f"A{r + 2}", target)
        _put(ws, f"B{r + 2}", achieved)
        _put(ws, f"C{r + 2}", st.pct(f"A{r + 2}", f"B{r + 2}"), fmt=PCT)
        r += 3
    for c in "ABC":
        ws.column_dimensions[c].width = 16


# ---------------------------------------------------------------- 附件2
CERT_FIRST = 5
CERT_LAST = CERT_FIRST + len(sd.CERTIFIED) - 1          # 23
CERT_SUB, CERT_EFF = CERT_LAST + 1, CERT_LAST + 2        # 24, 25
UNC_FIRST = CERT_EFF + 1                                 # 26
UNC_LAST = UNC_FIRST + len(sd.UNCERTIFIED) - 1           # 33
UNC_SUB, UNC_EFF = UNC_LAST + 1, UNC_LAST + 2            # 34, 35
TOT_HEADS, TOT_EFF, TOT_STABLE = UNC_EFF + 1, UNC_EFF + 2, UNC_EFF + 3   # 36, 37, 38
SUBTOTAL, TWO_YEAR, REMARKS = "AE", "AF", "AG"


def _worker_rows(ws, st: Style, section: str, rows, first: int) -> None:
    for k, (no, name, post, qual, contract, months, two_year, remark) in enumerate(rows):
        r = first + k
        for c, v in zip("BCDEF", (no, name, post, qual, contract)):
            _put(ws, f"{c}{r}", v)
        i = 0
        while i < 8:
            spec = months[i]
            cells = _month_cols(i)
            if spec == sd.S:
                j = i
                while j < 8 and months[j] == sd.S:
                    j += 1
                _put(ws, f"{cells[0]}{r}", SEGMENT_TEXT[section], merge=f"{cells[0]}{r}:{_month_cols(j - 1)[2]}{r}")
                i = j
                continue
            if spec == sd.D:
                vals = ["——"] * 3
            elif spec == sd.V:
                vals = [st.mark] * 3
            else:
                vals = [spec, st.mark, st.mark]
            for c, v in zip(cells, vals):
                _put(ws, f"{c}{r}", v)
            i += 1
        _put(ws, f"{SUBTOTAL}{r}", st.row_total(r, st.counts))
        _put(ws, f"{TWO_YEAR}{r}", two_year)
        if remark:
            _put(ws, f"{REMARKS}{r}", remark)


def _section_totals(ws, st: Style, label: str, first: int, last: int, sub: int, eff: int) -> None:
    _put(ws, f"A{sub}", "小计", merge=f"A{sub}:F{sub}")
    _put(ws, f"A{eff}", f"{label}有效人次小计", merge=f"A{eff}:F{eff}")
    t = st.counts
    for i in range(8):
        p, s, w = _month_cols(i)
        _put(ws, f"{p}{sub}", st.present_sub(p, first, last, t))
        _put(ws, f"{s}{sub}", st.tick_sub(s, first, last, t))
        _put(ws, f"{w}{sub}", st.tick_sub(w, first, last, t))
        _put(ws, f"{p}{eff}", st.effective([p, s, w], first, last, t), merge=f"{p}{eff}:{w}{eff}")
    _put(ws, f"{SUBTOTAL}{sub}", f"=SUM({SUBTOTAL}{first}:{SUBTOTAL}{last})")
    _put(ws, f"{TWO_YEAR}{sub}", f"=SUM({TWO_YEAR}{first}:{TWO_YEAR}{last})")


def _annex2(wb: Workbook, st: Style) -> None:
    ws = wb.create_sheet("附件2")
    _put(ws, "A1", "附件2")
    _put(ws, "A2", sd.AGREEMENT_LINE, merge="A2:AG2")
    for c, h in zip("ABCDEF", ("类型", "序号", "姓名", "职位", "岗位资格证/资质", "合同期限")):
        _put(ws, f"{c}3", h, merge=f"{c}3:{c}4")
    for i, m in enumerate(sd.MONTHS):
        p, s, w = _month_cols(i)
        _put(ws, f"{p}3", m, merge=f"{p}3:{w}3")
        for c, h in zip((p, s, w), ("人员到位", "社保购买", "工资发放")):
            _put(ws, f"{c}4", h)
    for c, h in ((SUBTOTAL, "人员到岗小计"), (TWO_YEAR, "符合从业2年以上的社工到岗小计"), (REMARKS, "备注")):
        _put(ws, f"{c}3", h, merge=f"{c}3:{c}4")
    _put(ws, f"A{CERT_FIRST}", "持证社工", merge=f"A{CERT_FIRST}:A{CERT_LAST}")
    _worker_rows(ws, st, "certified", sd.CERTIFIED, CERT_FIRST)
    _section_totals(ws, st, "持证社工", CERT_FIRST, CERT_LAST, CERT_SUB, CERT_EFF)
    _put(ws, f"A{UNC_FIRST}", "非持证社工", merge=f"A{UNC_FIRST}:A{UNC_LAST}")
    _worker_rows(ws, st, "uncertified", sd.UNCERTIFIED, UNC_FIRST)
    _section_totals(ws, st, "非持证社工", UNC_FIRST, UNC_LAST, UNC_SUB, UNC_EFF)
    _put(ws, f"A{TOT_HEADS}", "总计", merge=f"A{TOT_HEADS}:A{TOT_STABLE}")
    _put(ws, f"B{TOT_HEADS}", "每月社保购买、工资发放、人员到岗等情况总计", merge=f"B{TOT_HEADS}:F{TOT_HEADS}")
    _put(ws, f"B{TOT_EFF}", "社工有效人次小计（即持证社工及非持证社工有效人次总数）", merge=f"B{TOT_EFF}:F{TOT_EFF}")
    _put(ws, f"B{TOT_STABLE}", "社工站稳岗率（持续在岗社工数/协议要求在岗社工数*100%）",
         merge=f"B{TOT_STABLE}:F{TOT_STABLE}")
    spans = [(CERT_FIRST, CERT_LAST), (UNC_FIRST, UNC_LAST)]
    for i in range(8):
        p, s, w = _month_cols(i)
        _put(ws, f"{p}{TOT_HEADS}", st.heads(p, spans, st.counts))
        for c in (s, w):
            _put(ws, f"{c}{TOT_HEADS}", f"={c}{CERT_SUB}+{c}{UNC_SUB}")
        _put(ws, f"{p}{TOT_EFF}", f"={p}{CERT_EFF}+{p}{UNC_EFF}", merge=f"{p}{TOT_EFF}:{w}{TOT_EFF}")
    # NB: the grand totals stand in merged cells over the 总计 row and the next, as the seed prints them.
    for c in (SUBTOTAL, TWO_YEAR):
        _put(ws, f"{c}{TOT_HEADS}", f"={c}{CERT_SUB}+{c}{UNC_SUB}", merge=f"{c}{TOT_HEADS}:{c}{TOT_EFF}")
    _put(ws, f"G{TOT_STABLE}", sd.STABLE, fmt=PCT, merge=f"G{TOT_STABLE}:AD{TOT_STABLE}")
    for c in "BCDEF":
        ws.column_dimensions[c].width = 12
    for i in range(7, 31):
        ws.column_dimensions[col(i)].width = 5
    ws.column_dimensions[REMARKS].width = 30


def workbook(st: Style) -> Workbook:
    """The seed's three annexes in the seed's layout, with ``st``'s formulas and tick marks."""
    wb = Workbook()
    _annex11(wb, st)
    _annex12(wb, st)
    _annex2(wb, st)
    return wb


# ---------------------------------------------------------------- breaks (each from seed_layout)
def _row_of(no) -> int:
    """The 附件2 row of the worker with 序号 ``no`` (certified section, or 同N / uncertified)."""
    for first, rows in ((CERT_FIRST, sd.CERTIFIED), (UNC_FIRST, sd.UNCERTIFIED)):
        for k, w in enumerate(rows):
            if w[0] == no:
                return first + k
    raise KeyError(no)


def _break_pct(wb):        # 片区1 建档 百分比 typed over its formula, and wrong (120% for 127.50%)
    wb["附件1-1"]["E5"].value = 1.2


def _break_total(wb):      # 合计 大型社区活动 人次 adds two of the three districts
    wb["附件1-1"]["G15"].value = "=SUM(G12:G13)"


def _break_missing_tick(wb):   # 序号8, 2024年9月: 社保购买 not ticked
    wb["附件2"][f"{_month_cols(4)[1]}{_row_of(8)}"].value = None


def _break_text_count(wb):     # 片区1 红棉热线 完成量 typed as text with its unit
    wb["附件1-1"]["G5"].value = "1965次"


def _break_after_leaving(wb):  # 序号18 left on 2024-07-31; 2024年8月 ticked anyway
    r = _row_of(18)
    for c in _month_cols(3):
        wb["附件2"][f"{c}{r}"].value = "√"


BREAKS = {
    "broken_pct_hardcoded": _break_pct,
    "broken_total_two_districts": _break_total,
    "broken_missing_tick": _break_missing_tick,
    "broken_text_count": _break_text_count,
    "broken_tick_after_leaving": _break_after_leaving,
}
STYLES = {
    "seed_layout": SEED,
    "other_styles": OTHER,
    "check_counted": replace(SEED, mark="✓", counts="✓"),
    "check_uncounted": replace(SEED, mark="✓", counts="√"),   # formulas blind to ✓
}


# ---------------------------------------------------------------- LibreOffice
def _values_only(raw: Path, recalculated: Path, out: Path) -> None:
    """``raw`` with every formula replaced by the value LibreOffice computed for it."""
    wb = load_workbook(raw)
    vals = load_workbook(recalculated, data_only=True)
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.value = vals[ws.title][cell.coordinate].value
    wb.save(out)


def build(out: Path) -> list[Path]:
    """Write the corpus into ``out``; return the files written."""
    from lo_oracle import convert, soffice
    if soffice() is None:
        raise SystemExit("LibreOffice (soffice) is needed to build the corpus (cached values).")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="foreign-") as tmp:
        raw, lo = Path(tmp, "raw"), Path(tmp, "lo")
        raw.mkdir()
        for name, st in STYLES.items():
            workbook(st).save(raw / f"{name}.xlsx")
        for name, brk in BREAKS.items():
            wb = workbook(SEED)
            brk(wb)
            wb.save(raw / f"{name}.xlsx")
        convert(sorted(raw.glob("*.xlsx")), lo, "xlsx")
        vraw = Path(tmp, "values")
        vraw.mkdir()
        _values_only(raw / "seed_layout.xlsx", lo / "seed_layout.xlsx", vraw / "values_only.xlsx")
        convert([vraw / "values_only.xlsx"], lo, "xlsx")
        shutil.copy(vraw / "values_only.xlsx", out / "values_only.xlsx")   # openpyxl's: no formulas at all
        written.append(out / "values_only.xlsx")
        for p in sorted(lo.glob("*.xlsx")):
            dst = out / f"{p.stem}.lo.xlsx"
            shutil.copy(p, dst)
            written.append(dst)
        for ext, flt in (("xls", 'xls:MS Excel 97'), ("ods", "ods")):
            other = Path(tmp, ext)
            for p in convert([raw / "seed_layout.xlsx", raw / "check_counted.xlsx"], other, flt):
                shutil.copy(p, out / p.name)
                written.append(out / p.name)
    excel = out / "seed_layout.excel.xlsx"
    if REWRITE_TOOL.exists():
        subprocess.run([sys.executable, str(REWRITE_TOOL), "shared+inline", str(out / "seed_layout.lo.xlsx"),
                        str(excel)], check=True, stdout=subprocess.DEVNULL)
        written.append(excel)
    else:
        print(f"note: {REWRITE_TOOL} not found; {excel.name} not rebuilt", file=sys.stderr)
    return written


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE / "files")
    args = ap.parse_args(argv)
    for p in build(args.out):
        print(p)


if __name__ == "__main__":
    main()
