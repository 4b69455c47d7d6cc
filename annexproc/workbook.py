"""Opening the user's workbook once: formulas, cached values, formats and merges behind one facade.

Everything reads cells through ``Sheet`` so that how the file is parsed (openpyxl, a cached-value
reader, a legacy .xls converter) is decided here and nowhere else. Rows and columns are 1-based.

How a file is read (``open_book``), from its bytes read once (``source.read``: size cap, SHA-256):

1. ``safety.sniff`` looks at its bytes: a zip goes on; an OLE container holding ``EncryptedPackage``
   is a password-protected workbook (refused, saying so); any other OLE is a legacy .xls; empty, text
   or unknown files are refused.
2. ``safety.inspect_zip`` reads the central directory: damaged/truncated zips, zip bombs and zips
   that are not workbooks are refused before any XML is parsed.
3. An .xls or .ods is converted to .xlsx by LibreOffice when it is installed (``convert.py``) and read
   as one (steps 4–5; an RD09 note says so); without it, or for an .xlsb, python-calamine reads it into
   an in-memory openpyxl workbook, values only (``Book.values_only``; the note says which rules could
   not run), .ods merges from content.xml (``odsmerges.py``).
4. One streaming pass over each sheet's XML (``xmlscan.scan_package``) collects everything a check
   reads — the values a viewer shows, formulas, number formats, comments, merges, hidden columns, and
   the looks the page's preview draws — as openpyxl would give them (tests/test_native_reader.py),
   without importing it; it enforces the row and cell caps, refuses XML with a DTD (entity bombs), and lists formulas that
   refer to other workbooks (``Book.external_refs``, reported as RD08). A sheet past the caps that is
   not named as an annex is skipped (``Book.skipped``, RD18) instead of refusing the file.
5. openpyxl loads the workbook only when a copy is written (``annotate.load_for_output``) or a tool
   asks for ``Book.wb``, from the same bytes (``keep_vba`` for .xlsm, so the annotated copy keeps the
   macros; nothing is ever run).

Every failure is an ``AnnexInputError`` naming the file (and sheet/cell where it applies).
"""
from __future__ import annotations

import io
import os
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from typing import Any

from . import safety
from .cells import from_a1, to_a1
from .errors import AnnexInputError
from .safety import input_error, said
from .xmlscan import Scan, dtd_error, is_defused, scan_package, too_many_cells, too_many_rows



def cells_of(ws) -> dict[tuple[int, int], Any]:
    """{(row, col): cell} of the cells an openpyxl worksheet holds, 1-based, without creating any.

    NB: openpyxl keeps them in the private ``_cells``; iterating ``ws.iter_rows`` would create every
    empty cell of the used range. This is the one place outside fastload.py that knows.
    """
    return ws._cells


@dataclass(frozen=True)
class Note:
    """A cell comment as a check reads it (openpyxl's ``Comment`` has the same two fields)."""
    text: str
    author: str | None = None


@dataclass
class Sheet:
    """One worksheet as the checks read it: plain dictionaries, whichever reader filled them."""
    name: str
    cached: dict[tuple[int, int], Any]        # (row, col) → the value a viewer shows (constants too)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)   # (row, col) → '=…'
    formats: dict[tuple[int, int], str] = field(default_factory=dict)    # number formats other than General
    notes: dict[tuple[int, int], Note] = field(default_factory=dict)     # the cells' comments
    merged_at: dict[tuple[int, int], tuple[int, int, int, int]] = field(default_factory=dict)
    hidden_cols: frozenset[int] = frozenset()
    used: tuple[int, int] = (0, 0)            # (last row, last col) holding a value or formula
    state: str = "visible"                    # visible | hidden | veryHidden
    merges: tuple[str, ...] = ()              # the merged ranges as written ('A1:C2')
    # NB: how the page's preview draws it (bold, alignment, widths, hidden rows): read with the rest,
    # so that showing a sheet never needs openpyxl
    looks: dict[tuple[int, int], tuple[bool, str | None]] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    hidden_rows: frozenset[int] = frozenset()
    book: Any = field(default=None, repr=False, compare=False)

    @property
    def ws(self):
        """The openpyxl worksheet (for the writers and the page's preview; loads the workbook once)."""
        return self.book.wb[self.name]

    @property
    def max_row(self) -> int:
        """The last row holding a value or formula (styled empty rows below do not count)."""
        return self.used[0]

    @property
    def max_col(self) -> int:
        """The last column holding a value or formula."""
        return self.used[1]

    def raw(self, row: int, col: int) -> Any:
        """What the cell holds: a constant, or its formula text ('=…')."""
        f = self.formulas.get((row, col))
        return f if f is not None else self.cached.get((row, col))

    def formula(self, row: int, col: int) -> str | None:
        return self.formulas.get((row, col))

    def value(self, row: int, col: int) -> Any:
        """The value a reader sees: the cached result of a formula, else the constant."""
        return self.cached.get((row, col))

    def number_format(self, row: int, col: int) -> str:
        return self.formats.get((row, col), "General")

    def comment(self, row: int, col: int) -> Note | None:
        """The cell's comment (``.text``, ``.author``), or None when it has none or it is empty."""
        return self.notes.get((row, col))

    def top_left(self, row: int, col: int) -> tuple[int, int]:
        """The anchor of the merge holding (row, col), or the cell itself."""
        m = self.merged_at.get((row, col))
        return (m[0], m[1]) if m else (row, col)

    def text(self, row: int, col: int) -> str:
        """The displayed text of a cell, a merged cell reading as its anchor's text."""
        r, c = self.top_left(row, col)
        v = self.value(r, c)
        return "" if v is None else str(v)


@dataclass
class Book:
    path: str
    sheets: list[Sheet]
    sha256: str
    source: Any = None              # source.Source whose bytes the writers load (the converted .xlsx for .xls/.ods)
    notes: list[tuple[str, str]] = field(default_factory=list)   # (zh, en) said about the reading
    external_refs: list[tuple[str, str, str]] = field(default_factory=list)  # (sheet, A1, '=formula')
    kind: str = "xlsx"              # what the file was: xlsx | xlsm | xls | xlsb | ods
    keep_vba: bool = False          # the workbook carries macros, kept (never run) in our copies
    # NB: True when only values could be read (python-calamine, no LibreOffice): no formula, no comment
    # is known, so the rules that judge formulas or read comments must say nothing (readnotes.py)
    values_only: bool = False
    skipped: list[str] = field(default_factory=list)   # sheets past the size caps that are not annexes
    # NB: (sheet, A1) of cells whose stored value cannot be trusted (an .xls formula storing 0 where its
    # result may have been text: biff.py); a values-only check says nothing at them
    uncertain: set[tuple[str, str]] = field(default_factory=set)
    parts: dict[str, str] = field(default_factory=dict)   # sheet name → its part in the package
    _wb: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        for s in self.sheets:
            s.book = self

    def sheet(self, name: str) -> Sheet:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(name)

    @property
    def wb(self):
        """The openpyxl workbook of the same bytes (formulas, styles), loaded on first use: for tools and
        tests that read openpyxl's objects; never a check (the writers load their own, ``fresh_workbook``)."""
        if self._wb is None:
            from .fastload import merges_unstyled
            with merges_unstyled():   # NB: its readers never read merged borders
                self._wb = load_openpyxl(self)
        return self._wb

    @property
    def converted(self) -> bool:
        """True when the file was not OOXML and was read into an in-memory workbook (or a sheet was left
        out): the annotated copy is written from ``wb``, not reloaded from the input."""
        return self.kind in ("xls", "xlsb", "ods") or bool(self.skipped)


def fresh_workbook(book: Book):
    """An openpyxl workbook of ``book`` no one has written into, from its bytes: a writer changes the
    workbook it is given, and the web page writes two copies from one check."""
    if book.source is None:
        return book.wb
    if book.values_only:
        return _open_converted(book.source, book.kind).wb   # NB: calamine again, from the bytes read once
    from .fastload import merges_unstyled
    with merges_unstyled():
        return load_openpyxl(book)


def load_openpyxl(book: Book, *, rich_text: bool = False, keep_vba: bool | None = None, quiet: bool = True):
    """openpyxl's workbook of ``book``'s bytes (sheets past the caps left empty); never the file again.

    ``quiet=False`` lets openpyxl's warnings through (the annotated copy names what it cannot carry).
    """
    import openpyxl
    data = book.source.data
    if book.skipped:
        data = _without_parts(data, [book.parts[n] for n in book.skipped if n in book.parts])
    keep_vba = book.keep_vba if keep_vba is None else keep_vba
    try:
        with warnings.catch_warnings():
            if quiet:
                warnings.simplefilter("ignore")   # NB: "unknown extension", "data validation" chatter
            return openpyxl.load_workbook(io.BytesIO(data), data_only=False, rich_text=rich_text, keep_vba=keep_vba,
                                          keep_links=True)
    except MemoryError as exc:
        raise input_error(book.path, "reading.out_of_memory") from exc
    except Exception as exc:  # NB: openpyxl raises many kinds; the user needs one clear sentence
        cause: BaseException | None = exc
        while cause is not None:
            if is_defused(cause):
                raise dtd_error(book.path, None, "") from exc
            cause = cause.__cause__ or cause.__context__
        raise _cannot_open(book.path, exc) from exc


# ------------------------------------------------------------------------------------------ entry

def open_book(src) -> Book:
    """Read a workbook for checking from a path or a ``source.Source`` (its bytes, read once).

    Raises AnnexInputError with a message for the user.
    """
    from .source import Source, read
    src = src if isinstance(src, Source) else read(str(src))
    kind = safety.sniff(src)
    if kind == "ole":
        return _open_foreign(src, "xls")
    safety.refuse_by_kind(src.path, kind)        # empty, encrypted, text, unknown: raise
    facts = safety.inspect_zip(src)
    if facts.kind == "ods":
        return _open_foreign(src, "ods")
    if facts.kind == "xlsb":
        return _open_converted(src, facts.kind)
    return _open_ooxml(src, facts)


def _open_ooxml(src, facts: safety.ZipFacts) -> Book:
    """An .xlsx/.xlsm: one streaming scan gives the check all it reads; openpyxl waits for a writer."""
    path = src.path
    try:
        scans = scan_package(src, facts, skippable=_not_an_annex)
    except AnnexInputError:
        raise
    except MemoryError as exc:
        raise input_error(path, "reading.out_of_memory") from exc
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError) as exc:
        # NB: zlib.error is not an OSError; both mean the compressed data is cut or damaged
        raise input_error(path, "reading.inflate") from exc
    except Exception as exc:
        import zlib
        if isinstance(exc, zlib.error):
            raise input_error(path, "reading.inflate.zlib") from exc
        raise _cannot_open(path, exc) from exc
    if not scans:
        raise input_error(path, "reading.no_sheet")
    big = [name for name, scan in scans.items() if scan.too_big is not None]
    if big and len(big) == len(scans):
        raise scans[big[0]].too_big   # NB: nothing else to read: the refusal stands
    sheets, external_refs = [], []
    for name, scan in scans.items():
        if scan.too_big is not None:
            continue
        sheets.append(_sheet_of_scan(name, scan))
        for r, c, text in scan.external:
            external_refs.append((name, to_a1(r, c), scan.formulas.get((r, c)) or text))
    return Book(path, sheets, src.sha256, source=src, external_refs=external_refs, kind=facts.kind,
                keep_vba=facts.kind == "xlsm", skipped=big,   # NB: readnotes says so (RD18), one note a sheet
                parts={name: scan.part for name, scan in scans.items()})


_EMPTY_SHEET = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>')


def _without_parts(data: bytes, parts: list[str]) -> bytes:
    """The package's bytes with ``parts`` (sheets too large to be annexes) made empty sheets.

    NB: openpyxl would otherwise parse a 300 000-row sheet of raw data into memory cell by cell for
    the annotated copy; the copy is made in memory, from the bytes already read.
    """
    import shutil
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in parts:
                dst.writestr(info.filename, _EMPTY_SHEET)
            else:
                with src.open(info) as fin, dst.open(info.filename, "w") as fout:
                    shutil.copyfileobj(fin, fout, 1 << 20)
    return out.getvalue()


def _not_an_annex(name: str) -> bool:
    """A sheet past the size caps is skipped unless its name is one an annex goes by (then it is refused)."""
    from .spec import ANNEX1_1, ANNEX1_2, ANNEX2
    from .values import normalize
    return normalize(name) not in {normalize(n) for spec in (ANNEX1_1, ANNEX1_2, ANNEX2) for n in spec.sheet_names}


def _cannot_open(path: str, exc: BaseException) -> AnnexInputError:
    # NB: the library's words may hold the full path (a temporary folder in a batch): name the file only
    why = str(exc).replace(os.path.abspath(path), os.path.basename(path)).replace(path, os.path.basename(path))[:120]
    return input_error(path, "reading.cannot_open", error=type(exc).__name__, why=why)


# ------------------------------------------------------------------------------------------ assemble

def _merged_at(ranges, used: tuple[int, int]) -> dict[tuple[int, int], tuple[int, int, int, int]]:
    """{cell: (r1, c1, r2, c2)} of every cell a merge covers, clipped to the used range.

    NB: a merge over a whole column must not cost a million entries.
    """
    max_r, max_c = used
    merged_at = {}
    for r1, c1, r2, c2 in ranges:
        rr, cc = min(r2, max(max_r, r1)), min(c2, max(max_c, c1))
        box = (r1, c1, r2, c2)
        for r in range(r1, rr + 1):
            for c in range(c1, cc + 1):
                merged_at[(r, c)] = box
    return merged_at


def _box(ref: str) -> tuple[int, int, int, int] | None:
    a, _, b = ref.partition(":")
    try:
        r1, c1 = from_a1(a.replace("$", ""))
        r2, c2 = from_a1((b or a).replace("$", ""))
    except (ValueError, KeyError, AttributeError):
        return None
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def _sheet_of_scan(name: str, scan: Scan) -> Sheet:
    boxes = [b for b in map(_box, scan.merges) if b is not None]
    merged_at = _merged_at(boxes, scan.used)
    notes = {}
    for pos, (text, author) in scan.comments.items():
        m = merged_at.get(pos)
        if text and (m is None or (m[0], m[1]) == pos):   # NB: openpyxl drops a comment inside a merge
            notes[pos] = Note(text, author)
    hidden, widths = set(), {}
    for lo, hi in scan.hidden_cols:
        hidden.update(range(lo, min(hi, max(scan.used[1], lo)) + 1))
    for lo, hi, width in scan.widths:
        widths.update(dict.fromkeys(range(lo, min(hi, max(scan.used[1], lo)) + 1), width))
    return Sheet(name, scan.cached, scan.formulas, scan.formats, notes, merged_at, frozenset(hidden), scan.used,
                 scan.state, tuple(scan.merges), scan.looks, widths, frozenset(scan.hidden_rows))


def _sheet_of_ws(ws, cached: dict, used: tuple[int, int]) -> Sheet:
    """A Sheet of an in-memory openpyxl worksheet (values read by calamine)."""
    boxes = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges]
    return Sheet(ws.title, cached, merged_at=_merged_at(boxes, used), used=used, state=ws.sheet_state,
                 merges=tuple(str(r) for r in ws.merged_cells.ranges))   # NB: calamine gives no looks


# ------------------------------------------------------------------------------------------ legacy

def _lo_note(kind: str) -> tuple[str, str]:
    return said("reading.converted", label=said(f"reading.format.{kind}"))


def _values_note(kind: str, why: str | None, uncertain: int = 0) -> tuple[str, str]:
    # NB: an .xlsb is never given to LibreOffice: nothing to say of it
    lo = (said("reading.values_only.lo_failed", why=why) if why else
          said("reading.values_only.no_lo") if kind != "xlsb" else "")
    return said("reading.values_only", label=said(f"reading.format.{kind}"), lo=lo,
                uncertain=said("reading.values_only.uncertain", n=uncertain) if uncertain else "")


def _open_foreign(src, kind: str) -> Book:
    """An .xls or .ods: through LibreOffice when installed (everything kept), else values only."""
    from . import convert
    from .source import read
    path = src.path
    why = None
    if convert.soffice() is not None:
        try:
            with convert.converted(src, kind) as xlsx:
                made = read(xlsx)
                book = _renamed(path, lambda: _open_ooxml(made, safety.inspect_zip(made)), xlsx)
        except convert.ConversionFailed as exc:
            why = str(exc)
        else:
            book.path, book.sha256, book.kind = path, src.sha256, kind
            book.source.path = path   # NB: the converted bytes stand in for the file in the writers
            book.notes.insert(0, _lo_note(kind))
            return book
    return _open_converted(src, kind, why)


def _renamed(path: str, read, stand_in: str):
    """``read()``, its refusals naming the user's file rather than the converted stand-in."""
    try:
        return read()
    except AnnexInputError as exc:
        theirs, ours = os.path.basename(stand_in), os.path.basename(path)
        exc.message, exc.message_en = exc.message.replace(theirs, ours), exc.message_en.replace(theirs, ours)
        exc.args = (exc.message,)
        exc.path = path
        raise


def _open_converted(src, kind: str, why: str | None = None) -> Book:
    """Read .xls/.xlsb/.ods with python-calamine into an in-memory openpyxl workbook (values only).

    ``why``: why LibreOffice could not convert it (None when it is not installed).
    """
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    path = src.path
    try:
        import python_calamine as pc
    except ImportError as exc:  # pragma: no cover - a dependency
        raise input_error(path, "reading.no_calamine") from exc
    try:
        cwb = pc.CalamineWorkbook.from_filelike(src.stream())
        # NB: calamine gives no merged ranges for an .ods; content.xml states them (odsmerges)
        ods_merges = _ods_merges(src) if kind == "ods" else {}
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        sheets, skipped = [], []
        total = 0
        for meta in cwb.sheets_metadata:
            if "WorkSheet" not in str(meta.typ):
                continue
            cs = cwb.get_sheet_by_name(meta.name)
            if max(cs.height, cs.total_height) > safety.MAX_ROWS:   # NB: known before any row is a Python object
                if not _not_an_annex(meta.name):
                    raise too_many_rows(path, meta.name, cs.total_height, cs.height)
                skipped.append(meta.name)
                continue
            ws = wb.create_sheet(_safe_title(meta.name, wb))
            if "Visible" not in str(meta.visible) or "Hidden" in str(meta.visible):
                ws.sheet_state = "hidden"
            rows = cs.to_python(skip_empty_area=False)
            if len(rows) > safety.MAX_ROWS:
                raise too_many_rows(path, meta.name, len(rows), len(rows))
            cached = {}
            max_r = max_c = 0
            for r, row in enumerate(rows, start=1):
                total += len(row)
                if total > safety.MAX_CELLS * 4:   # NB: counts blanks of the grid too
                    raise too_many_cells(path, meta.name)
                for c, v in enumerate(row, start=1):
                    if v is None or v == "":
                        continue
                    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
                        v = int(v)   # NB: as an .xlsx reader gives whole numbers
                    elif isinstance(v, str):
                        v = ILLEGAL_CHARACTERS_RE.sub("", v)   # NB: control characters openpyxl refuses
                    cell = ws.cell(r, c, v)
                    if isinstance(v, str) and v.startswith("="):
                        cell.data_type = "s"   # NB: text that looks like a formula stays text
                    cached[(r, c)] = v
                    max_r, max_c = max(max_r, r), max(max_c, c)
            merges = ods_merges.get(meta.name, []) if kind == "ods" else (cs.merged_cell_ranges or [])
            for (r1, c1), (r2, c2) in merges:
                if (r2 - r1 + 1) * (c2 - c1 + 1) > safety.MAX_CELLS:
                    raise too_many_cells(path, meta.name)
                ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
            sheets.append(_sheet_of_ws(ws, cached, (max_r, max_c)))
    except AnnexInputError:
        raise
    except MemoryError as exc:
        raise input_error(path, "reading.out_of_memory") from exc
    except Exception as exc:  # NB: calamine raises its own kinds (CalamineError, PasswordError …)
        name = type(exc).__name__
        if "password" in name.lower() or "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise input_error(path, "reading.legacy_encrypted") from exc
        raise input_error(path, "reading.foreign_damaged", label=said(f"reading.short.{kind}"), error=name,
                          why=str(exc)[:120]) from exc
    if not sheets:
        if skipped:
            raise too_many_rows(path, skipped[0], safety.MAX_ROWS + 1, safety.MAX_ROWS + 1)
        raise input_error(path, "reading.no_sheet")
    uncertain = set()
    if kind == "xls":
        from .biff import suspects
        uncertain = {(name, to_a1(r, c)) for name, cells in suspects(src.data).items() for r, c in cells}
    return Book(path, sheets, src.sha256, source=src, notes=[_values_note(kind, why, len(uncertain))], kind=kind,
                values_only=True, skipped=skipped, uncertain=uncertain, _wb=wb)


def _ods_merges(src) -> dict[str, list[tuple[tuple[int, int], tuple[int, int]]]]:
    from .odsmerges import merged_ranges
    return merged_ranges(src)


def _safe_title(name: str, wb) -> str:
    """A sheet title openpyxl accepts (≤ 31 characters, none of []:*?/\\), unique in the book."""
    title = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "Sheet"
    base, n = title, 1
    while title in wb.sheetnames:
        n += 1
        title = f"{base[:28]}({n})"
    return title
