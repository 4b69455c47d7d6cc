"""What the batch writes into OUTDIR besides summary.xlsx: the copies' names, files written whole
(temp name, then ``os.replace``), findings.csv and report.json."""
from __future__ import annotations

import csv
import json
import os
import re

from ..safety import inert_text
from ..words import say
from ..report import to_json_doc
from .columns import FINDING_HEADS, cell_text, finding_cells, severity_text

#: Names the batch writes for itself in OUTDIR; an annotated copy never takes one of them.
OWN_OUTPUTS = ("summary.xlsx", "findings.csv", "report.json")

_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*#]')


def safe_name(name: str) -> str:
    """A file name that works on every desktop and in a hyperlink ('#' would cut an Excel link)."""
    name = _UNSAFE.sub("_", name).strip(" .") or "workbook"
    if name.startswith(("~$", ".")):
        name = "_" + name.lstrip(".~$")
    return name


def copy_stem(src_name: str) -> str:
    """The annotated copy's name without suffix; the worker adds .xlsx, or .xlsm to keep macros."""
    return os.path.splitext(safe_name(src_name))[0]


def previous_copies(outdir: str) -> set[str]:
    """The annotated copies an earlier batch wrote into OUTDIR, as its report.json lists them: ours to replace."""
    try:
        with open(os.path.join(outdir, "report.json"), encoding="utf-8") as fh:
            copies = json.load(fh).get("batch", {}).get("copies", [])
    except (OSError, ValueError, AttributeError):
        return set()
    return {c for c in copies if isinstance(c, str) and c == os.path.basename(c) and not c.startswith(".")}


def remove_stale_copies(outdir: str, previous: set[str], written: set[str]) -> None:
    """Remove the copies an earlier run wrote that this run did not write again (its source is gone)."""
    for name in previous - written:
        try:
            os.unlink(os.path.join(outdir, name))
        except OSError:
            pass


class Names:
    """Chooses output names: a taken name gets ' (2)', ' (3)'… and no file of someone else is ever
    overwritten; a copy an earlier batch wrote here (``ours``) is replaced.

    A stem is claimed with both suffixes, because whether a copy is .xlsx or .xlsm (macros kept) is
    known only once the worker has the file; claiming both keeps names independent of timing.
    """

    SUFFIXES = (".xlsx", ".xlsm")

    def __init__(self, outdir: str, ours: set[str] = frozenset()):
        self.outdir = outdir
        self.ours = {n.casefold() for n in ours}
        self.taken = {n.casefold() for n in OWN_OUTPUTS}  # NB: casefold — Windows and macOS ignore case

    def _free(self, stem: str) -> bool:
        return not any((stem + sfx).casefold() in self.taken
                       or ((stem + sfx).casefold() not in self.ours and os.path.lexists(os.path.join(self.outdir, stem + sfx)))
                       for sfx in self.SUFFIXES)

    def claim(self, stem: str) -> str:
        n, cand = 1, stem
        while not self._free(cand):
            n += 1
            cand = f"{stem} ({n})"
        self.taken.update((cand + sfx).casefold() for sfx in self.SUFFIXES)
        return cand


def remove_temps(outdir: str, token: str) -> None:
    """Remove every temp file of the run ``token`` from OUTDIR (ours and the annotator's inside them)."""
    marker = f".tmp-{token}-"
    try:
        names = os.listdir(outdir)
    except OSError:
        return
    for n in names:
        if n.startswith(".") and marker in n:
            try:
                os.unlink(os.path.join(outdir, n))
            except OSError:
                pass


def write_findings_csv(results: list, path: str, lang: str = "zh") -> None:
    """findings.csv: the 全部问题 table, UTF-8 with BOM (so Excel shows the Chinese), neutralised."""
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([say(f"columns.{c}", lang) for c in ("station",) + FINDING_HEADS])
        for res in results:
            r = res.report
            for f in ([r.read_error] if r.read_error else r.sorted_findings()):
                row = (r.station or "", r.path, severity_text(f.severity, lang), f.rule, f.sheet or "",
                       *finding_cells(f, lang), f.message(lang), cell_text(f.expected, f.unit, lang),
                       cell_text(f.found, f.unit, lang))
                w.writerow([inert_text(x) for x in row])


def batch_doc(results: list, lang: str = "zh") -> dict:
    """The ``check --format json`` document of every workbook, and the copies the batch wrote
    (``batch.copies``: a later run into the same folder replaces them)."""
    doc = to_json_doc([r.report for r in results], lang)
    doc["batch"] = {"copies": [r.copy_name for r in results if r.copy_name]}
    return doc


def write_report_json(results: list, path: str, lang: str = "zh") -> None:
    """report.json: ``batch_doc``."""
    doc = batch_doc(results, lang)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
