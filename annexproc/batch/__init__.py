"""Batch checking: every workbook in folders and .zip files, on N processes, into one summary folder.

``annexproc batch PATH... -o OUTDIR`` finds the workbooks (``discover.iter_workbooks``), checks each
one with ``engine.check`` in a process pool (``pool``, ``worker``), and writes into OUTDIR the
annotated copies, ``summary.xlsx`` (``summary``, ``charts``), ``findings.csv`` and ``report.json``
(``outputs``); ``run.run_batch`` ties them together.

Design notes:
- Memory stays flat: tasks are submitted through a bounded window, and a worker sends back only a
  small ``FileResult`` (the Report without its openpyxl book nor its derived cells). The annotated
  copy is written by the worker, which still holds the book.
- Output is deterministic: results are put back in source order, and the annotated copies' names
  are chosen by the parent before any task runs, so ``--jobs 2`` gives what ``--jobs 1`` gives.
- Every output file is written to ``.name.tmp-<token>-<random>`` inside OUTDIR and then
  ``os.replace``d: a reader never sees half a file, and Ctrl-C removes the temp files.
- A file that cannot be read is a row with its reason (RD01), never a stop.
"""
from __future__ import annotations

from .discover import Source, decode_member_name, iter_workbooks
from .outputs import write_findings_csv, write_report_json
from .run import run_batch
from .summary import write_summary
from .worker import FileResult, Task

__all__ = ["FileResult", "Source", "Task", "decode_member_name", "iter_workbooks", "run_batch",
           "write_findings_csv", "write_report_json", "write_summary"]
