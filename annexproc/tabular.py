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
