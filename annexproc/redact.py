"""Pseudonyms for workers' names (``--redact``): a report or a workbook can leave the station without them.

**Which names.** The contract with the checkers is deliberately loose; a name is taken from any of:

* ``report.figures['workers']`` — the 附件2 roster the staffing checker stores: a list of dicts with a
  ``"name"`` (or ``"姓名"``) key, a list of plain strings, or a dict keyed by name;
* ``report.figures['worker_names']`` — a plain list, for any checker that knows names but no roster;
* the ``worker`` field of every finding;
* as a fallback when the report has its workbook (``report.book``), the cells under a header cell
  “姓名” that look like a person's name (2–4 CJK characters, or Latin words), so that a file whose
  roster could not be located still leaks no name.

**Which pseudonyms.** ``社工`` + a letter + three digits (``社工K042``), chosen by a keyed hash
(HMAC-SHA256) of the name: the same name gets the same pseudonym in every file of one run — the
batch's worker processes included, because the key lives in the environment variable
``ANNEXPROC_REDACT_KEY``, set at import when absent and inherited by child processes. Set that
variable yourself to keep pseudonyms stable across runs (e.g. month after month); without it a new
run draws a new key, so pseudonyms cannot be traced back by hashing candidate names. Two names that
hash to the same code within one :class:`Redactor` never share it: the later one takes the next free
code of its own deterministic sequence (26 000 codes make that rare: about 1 % for a 25-person roster).

**Where.** :func:`redact_report` returns a copy of a report with every finding field, message argument,
figure, derived-cell label and note rewritten (the input path is kept: it is where the workbook is
read from). :func:`redact_workbook` rewrites an openpyxl workbook about to be written (cell texts,
text inside formulas, comments and their authors, document properties) and the cached texts of
``report.book``. ``Redactor.name(n)`` and ``Redactor.text(s)`` serve any other output (summary.xlsx,
findings.csv, the web page).
"""
from __future__ import annotations

import dataclasses
import hashlib
import hmac
import os
import re
import secrets
from typing import Any, Iterable

from .workbook import cells_of

ENV_KEY = "ANNEXPROC_REDACT_KEY"
PREFIX = "社工"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_NAME_CJK = re.compile(r"^[\u3400-\u9fff·]{2,4}$")
_NAME_LATIN = re.compile(r"^[A-Za-z][A-Za-z .'-]{1,38}[A-Za-z.]$")
_NOT_NAMES = ("计", "社工", "片区", "人员", "姓名", "序号", "职位", "合计", "备注", "分段")

if not os.environ.get(ENV_KEY):
    # NB: set once in the parent so that batch workers (fork or spawn) share the run's key
    os.environ[ENV_KEY] = secrets.token_hex(16)


def run_key() -> bytes:
    """The keyed hash's key for this run (``ANNEXPROC_REDACT_KEY``)."""
    return os.environ[ENV_KEY].encode("utf-8")


class Redactor:
    """Maps names to stable pseudonyms and rewrites text that contains them."""

    def __init__(self, key: bytes | str | None = None, names: Iterable[str] = ()):
        self._key = key.encode("utf-8") if isinstance(key, str) else (key or run_key())
        self._by_name: dict[str, str] = {}
        self._taken: dict[str, str] = {}
        self._pattern: re.Pattern | None = None
        self.add(names)

    # -- names -------------------------------------------------------------------------------
    def _code(self, name: str, attempt: int) -> str:
        digest = hmac.new(self._key, f"{attempt}\0{name}".encode("utf-8"), hashlib.sha256).digest()
        n = int.from_bytes(digest[:8], "big") % (26 * 1000)
        return f"{PREFIX}{_LETTERS[n // 1000]}{n % 1000:03d}"

    def name(self, name: str) -> str:
        """The pseudonym of ``name`` (surrounding spaces ignored); registers it for :meth:`text`."""
        key = _clean(name)
        if not key:
            return name
        got = self._by_name.get(key)
        if got is None:
            attempt = 0
            got = self._code(key, attempt)
            while got in self._taken and self._taken[got] != key:
                attempt += 1
                got = self._code(key, attempt)
            self._by_name[key] = got
            self._taken[got] = key
            self._pattern = None
        return got

    def add(self, names: Iterable[str]) -> None:
        """Register names so that :meth:`text` replaces them (in a sorted, order-free way)."""
        for n in sorted({_clean(n) for n in names if isinstance(n, str)} - {""}):
            if len(n) >= 2:     # NB: a one-character "name" would shred ordinary text
                self.name(n)

    @property
    def names(self) -> dict[str, str]:
        """{name: pseudonym} of every name seen so far."""
        return dict(self._by_name)

    # -- text ---------------------------------------------------------------------------------
    def text(self, s: str) -> str:
        """``s`` with every known name replaced by its pseudonym (longest names first)."""
        if not self._by_name or not s:
            return s
        if self._pattern is None:
            alts = sorted(self._by_name, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(a) for a in alts))
        return self._pattern.sub(lambda m: self._by_name[m.group(0)], s)

    def value(self, v: Any) -> Any:
        """Any value with names replaced inside: strings, and lists/tuples/sets/dicts of them."""
        if isinstance(v, str):
            return self.text(v)
        if isinstance(v, dict):
            return {self.value(k): self.value(x) for k, x in v.items()}
        if isinstance(v, list):
            return [self.value(x) for x in v]
        if isinstance(v, tuple):
            return tuple(self.value(x) for x in v)
        if isinstance(v, (set, frozenset)):
            return type(v)(self.value(x) for x in v)
        return v


def _clean(name: Any) -> str:
    return name.strip() if isinstance(name, str) else ""


_DEFAULT: Redactor | None = None


def default_redactor() -> Redactor:
    """The process's redactor: the same name keeps its pseudonym across every file of the run."""
    global _DEFAULT
    if _DEFAULT is None or _DEFAULT._key != run_key():
        _DEFAULT = Redactor()
    return _DEFAULT


# ----------------------------------------------------------------------------------------- names

def names_of(report) -> list[str]:
    """Every worker's name the report knows (see the module docstring for where they come from)."""
    out: list[str] = []
    figures = getattr(report, "figures", None) or {}
    workers = figures.get("workers")
    if isinstance(workers, dict):
        out.extend(k for k in workers if isinstance(k, str))
    elif isinstance(workers, (list, tuple)):
        for w in workers:
            if isinstance(w, str):
                out.append(w)
            elif isinstance(w, dict):
                n = w.get("name") or w.get("姓名")
                if isinstance(n, str):
                    out.append(n)
            elif isinstance(getattr(w, "name", None), str):
                out.append(w.name)
    extra = figures.get("worker_names")
    if isinstance(extra, (list, tuple, set)):
        out.extend(n for n in extra if isinstance(n, str))
    for f in list(getattr(report, "findings", ()) or ()) + [getattr(report, "read_error", None)]:
        if f is not None and isinstance(getattr(f, "worker", None), str):
            out.append(f.worker)
    book = getattr(report, "book", None)
    if book is not None:
        out.extend(_names_in_book(book))
    return [n.strip() for n in out if n and n.strip()]


def _looks_like_name(s: str) -> bool:
    s = s.strip()
    if not (_NAME_CJK.match(s) or _NAME_LATIN.match(s)):
        return False
    return not any(w in s for w in _NOT_NAMES)


def _names_in_book(book) -> list[str]:
    """Cells below a “姓名” header cell that look like names (the fallback for an unlocated roster)."""
    found: list[str] = []
    for sheet in getattr(book, "sheets", ()):
        cached = getattr(sheet, "cached", {})
        heads = [(r, c) for (r, c), v in cached.items() if isinstance(v, str) and v.replace(" ", "").strip() == "姓名"]
        for r0, c in heads:
            blanks = 0
            for r in range(r0 + 1, min(r0 + 2000, sheet.max_row) + 1):
                v = cached.get((r, c))
                if v is None:
                    blanks += 1
                    if blanks > 20:
                        break
                    continue
                blanks = 0
                if isinstance(v, str) and _looks_like_name(v):
                    found.append(v.strip())
    return found


# ----------------------------------------------------------------------------------------- report

def redact_report(report, redactor: Redactor | None = None):
    """A copy of ``report`` whose findings, figures and labels name no worker."""
    red = redactor or default_redactor()
    red.add(names_of(report))
    new = dataclasses.replace(report)
    new.findings = [_redact_finding(f, red) for f in report.findings]
    if report.read_error is not None:
        new.read_error = _redact_finding(report.read_error, red)
    new.figures = red.value(dict(report.figures))
    new.derived = {k: (dataclasses.replace(d, label=red.text(d.label)) if isinstance(getattr(d, "label", None), str) else d)
                   for k, d in report.derived.items()}
    return new


_TEXT_FIELDS = ("expected", "found", "indicator", "district", "worker", "quote")  # quote: a written report's sentence (RP)


def _redact_finding(f, red: Redactor):
    changes = {k: red.value(getattr(f, k)) for k in _TEXT_FIELDS if isinstance(getattr(f, k), (str, list, tuple, dict))}
    if f.worker:
        changes["worker"] = red.name(f.worker)
    changes["args"] = tuple((k, red.value(v)) for k, v in f.args)
    return dataclasses.replace(f, **changes)


# ----------------------------------------------------------------------------------------- workbook

def redact_workbook(wb, report=None, redactor: Redactor | None = None) -> int:
    """Rewrite an openpyxl workbook about to be written so it names no worker; returns cells changed.

    Cell texts (rich text too), text inside formulas (``=COUNTIF(C:C,"林晓雨")``), comments and
    their authors, and the document's creator fields. With ``report``, its names are registered
    first and the cached texts of ``report.book`` (put back next to formulas when the copy is
    saved) are rewritten as well.
    """
    red = redactor or default_redactor()
    if report is not None:
        red.add(names_of(report))
    changed = 0
    for ws in wb.worksheets:
        for cell in cells_of(ws).values():
            v = cell.value
            if isinstance(v, str):
                nv = red.text(v)
                if nv != v:
                    formula = cell.data_type == "f"
                    cell.value = nv
                    if not formula:
                        cell.data_type = "s"      # NB: never let a rewritten text become a formula
                    changed += 1
            elif v is not None and hasattr(v, "__iter__") and type(v).__name__ == "CellRichText":
                for block in v:
                    if hasattr(block, "text") and isinstance(block.text, str):
                        nt = red.text(block.text)
                        if nt != block.text:
                            block.text = nt
                            changed += 1
                for i, block in enumerate(v):
                    if isinstance(block, str) and red.text(block) != block:
                        v[i] = red.text(block)
                        changed += 1
            elif v is not None and isinstance(getattr(v, "text", None), str):   # ArrayFormula
                v.text = red.text(v.text)
            c = cell.comment
            if c is not None:
                text, author = red.text(c.text or ""), red.text(c.author or "")
                if text != c.text or author != c.author:
                    from openpyxl.comments import Comment
                    new = Comment(text, author or "annexproc")
                    new.width, new.height = c.width, c.height
                    cell.comment = new
                    changed += 1
    props = getattr(wb, "properties", None)
    if props is not None:
        for attr in ("creator", "lastModifiedBy"):
            if getattr(props, attr, None):
                setattr(props, attr, "annexproc")
    book = getattr(report, "book", None) if report is not None else None
    if book is not None:
        for sheet in book.sheets:
            for k, v in list(sheet.cached.items()):
                if isinstance(v, str):
                    nv = red.text(v)
                    if nv != v:
                        sheet.cached[k] = nv
    return changed
