"""pandas views of annexproc's results: tables for people who work in DataFrames.

This module is the only place that imports pandas (``annexproc check`` never does). It holds:

- ``findings_frame(reports, lang)`` — every finding of several checked files as ONE DataFrame;
- ``read_annex1`` / ``read_staffing`` — the annexes' tables as DataFrames (added by their own issues).

Keep each function small and its columns stable: they are a public API (``annexproc.findings_frame``).
"""
from __future__ import annotations

from typing import Iterable

#: The columns of ``findings_frame``, in order. Stable English keys (the JSON keys of a finding, plus
#: the file and station it belongs to); the Chinese headers are the writers' business (batch, web).
FINDING_COLUMNS = ("file", "station", "severity", "rule", "sheet", "cell", "message", "expected", "found",
                   "indicator", "district", "worker")


def finding_rows(reports: Iterable, lang: str = "zh") -> Iterable[dict]:
    """One dict per finding across ``reports`` (plain Python, no pandas), in each file's report order.

    A file that could not be read gives one row: its read error (RD01), so that a table of findings
    never hides a file that was not checked at all.
    """
    for rep in reports:
        items = [rep.read_error] if rep.read_error is not None else rep.sorted_findings()
        for f in items:
            d = f.to_dict(lang)
            yield {"file": rep.path, "station": rep.station, **{k: d.get(k) for k in FINDING_COLUMNS[2:]}}


def findings_frame(reports: Iterable, lang: str = "zh"):
    """Every finding of every report as one pandas DataFrame, with a ``file`` column.

    >>> df = findings_frame(annexproc.check_many(["a.xlsx", "b.xlsx"]))
    >>> df[df.severity == "error"].groupby("file").size()

    ``expected`` and ``found`` keep their raw values (numbers stay numbers; ratios are fractions, not
    percentage text), so the column dtype is ``object``; ``message`` is rendered in ``lang``.
    """
    import pandas as pd

    rows = list(finding_rows(reports, lang))
    df = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    for col in ("expected", "found"):  # NB: else pandas makes 12 → 12.0 and '/' impossible to mix
        df[col] = pd.Series([r[col] for r in rows], dtype=object, index=df.index)
    return df


#: The columns of ``read_annex1``, in order.
ANNEX1_COLUMNS = ("sheet", "block", "district", "indicator", "measure", "agreement", "achieved", "ratio",
                  "agreement_cell", "achieved_cell", "ratio_cell", "ratio_in_file")


def read_annex1(path: str, params=None):
    """附件1-1 and 附件1-2 of one workbook as a DataFrame, found by their header texts.

    One row per district (and 合计) and indicator measure of blocks 1–2 (``block`` 'services' or
    'activities'), then one per item of block 3 ('five_social', district None) and of 附件1-2
    ('annex1_2'). ``agreement``/``achieved`` are the cells as the person meant them (text numbers read
    as numbers, '/' kept, blank None; 合计 rows recomputed as the sums of the districts), ``ratio`` is
    recomputed from them by the official rule (a float, or '/'), ``ratio_in_file`` is what the file
    shows; ``*_cell`` are the A1 cells they came from. Raises ``AnnexInputError`` for an unreadable file.

    >>> df = annexproc.read_annex1("samples/sample.xlsx")
    >>> df[df.district == "合计"][["indicator", "measure", "ratio"]]
    """
    import pandas as pd

    from .annex1 import read
    from .cells import to_a1
    from .workbook import open_book

    book = open_book(str(path))
    model = read(book)   # NB: read, not judged: no rule runs for a table of values (params: kept for the API)
    vals = model.annex1_values
    rows = []

    def row(sheet, block, district, indicator, measure, a, d, p):
        s = book.sheet(sheet)
        rows.append({"sheet": sheet, "block": block, "district": district, "indicator": indicator,
                     "measure": measure, "agreement": vals.get((sheet, a)), "achieved": vals.get((sheet, d)),
                     "ratio": vals.get((sheet, p)), "agreement_cell": to_a1(*a), "achieved_cell": to_a1(*d),
                     "ratio_cell": to_a1(*p), "ratio_in_file": s.value(*p)})

    a11, a12 = model.annex1_1, model.annex1_2
    if a11 is not None:
        for key, lay in a11.blocks.items():
            for name, r in lay.rows():
                for m in lay.measures:
                    row(lay.sheet, key, name, m.indicator, m.measure.label, (r, m.agree), (r, m.done), (r, m.pct))
        if a11.targets is not None:
            for it in a11.targets.items:
                row(a11.targets.sheet, "five_social", None, it.target.title.text, it.target.group,
                    (it.row, it.target_col), (it.row, it.done_col), (it.row, it.pct_col))
    if a12 is not None:
        for it in a12.items:
            row(a12.sheet, "annex1_2", None, it.target.title.text, None,
                (it.row, it.target_col), (it.row, it.done_col), (it.row, it.pct_col))
    df = pd.DataFrame(rows, columns=list(ANNEX1_COLUMNS))
    for col in ("agreement", "achieved", "ratio", "ratio_in_file"):  # NB: numbers and '/' mix
        df[col] = pd.Series([r[col] for r in rows], dtype=object, index=df.index)
    return df


#: The columns of ``read_staffing``, in order.
STAFFING_COLUMNS = ("name", "seq", "section", "year", "month", "present", "insured", "paid", "value", "marked",
                    "segment", "row", "present_cell", "insured_cell", "paid_cell", "cells")


def read_staffing(path: str, params=None):
    """附件2 as one pandas DataFrame: one row per worker row and month of the period.

    ``present``/``insured``/``paid`` are the cells' values as typed ('√', '——', 0.5, None …);
    ``value`` is what the official formula counts that month (the row's 人员到岗小计 adds them up),
    ``marked`` what 人员到位 means to a person (a '✓' counts 1 here, not in ``value``), ``segment`` the
    '【分段计算】…' text covering the month (counted in the other section). ``seq`` is the 序号 as written
    ('14', '同14'); ``cells`` the A1 range of the month's three cells. Raises AnnexInputError when the
    file cannot be read and LookupError when it holds no 附件2.

    >>> df = read_staffing("samples/sample.xlsx")
    >>> df.groupby("section").value.sum()      # certified 133, uncertified 27.5
    """
    import pandas as pd

    from .annex2 import read
    from .annex2.reader import formula_count
    from .cells import a1_range, to_a1
    from .workbook import open_book

    model = read(open_book(str(path)), params)
    st = model.annex2
    if st is None:
        raise LookupError(f"{path}: {model.missing[0].what_en}") from None
    g = st.layout
    rows = []
    for wr in g.all_workers():
        for (y, m), cols in zip(g.months, g.month_cols):
            e = st.rows[wr.row][(y, m)]
            rows.append({"name": wr.name, "seq": wr.seq, "section": wr.section, "year": y, "month": m,
                         "present": e.present.raw, "insured": e.insured.raw, "paid": e.paid.raw,
                         "value": formula_count(e), "marked": e.marked, "segment": e.segment,
                         "row": wr.row, "present_cell": to_a1(wr.row, cols[0]), "insured_cell": to_a1(wr.row, cols[1]),
                         "paid_cell": to_a1(wr.row, cols[2]), "cells": a1_range(wr.row, cols[0], wr.row, cols[2])})
    return pd.DataFrame(rows, columns=list(STAFFING_COLUMNS))
