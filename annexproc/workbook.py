"""Opening the user's workbook once: formulas, cached values, formats and merges behind one facade.

Everything reads cells through ``Sheet`` so that how the file is parsed (openpyxl, a cached-value
reader, a legacy .xls converter) is decided here and nowhere else. Rows and columns are 1-based.

How a file is read (``open_book``):

1. ``safety.sniff`` looks at its bytes: a zip goes on; an OLE container holding ``EncryptedPackage``
   is a password-protected workbook (refused, saying so); any other OLE is a legacy .xls, read
   with python-calamine into an in-memory openpyxl workbook (values and merges only; a note says
   so and the engine reports it as RD09); empty, text or unknown files are refused.
2. ``safety.inspect_zip`` reads the central directory: damaged/truncated zips, zip bombs and zips
   that are not workbooks are refused before any XML is parsed. .xlsb and .ods go to calamine too.
3. One streaming pass over each sheet's XML (``_scan_sheet``) collects the cached values a viewer
   shows (what ``openpyxl.load_workbook(data_only=True)`` would give, at a fraction of the cost),
   enforces the row and cell caps, refuses XML with a DTD (entity bombs), and lists formulas that
   refer to other workbooks (``Book.external_refs``, reported as RD08).
4. openpyxl loads the formulas, styles, comments and merges once (``keep_vba`` for .xlsm, so the
   annotated copy keeps the macros; nothing is ever run).

Every failure is an ``AnnexInputError`` naming the file (and sheet/cell where it applies).
"""
from __future__ import annotations

import hashlib
import os
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from . import safety
from .errors import AnnexInputError
from .safety import input_error

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RNS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PNS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ROW, _C, _V, _F, _IS, _T, _R = (f"{_NS}{t}" for t in ("row", "c", "v", "f", "is", "t", "r"))
_MERGE = f"{_NS}mergeCell"
_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
_EXTERNAL = re.compile(r"\[\d+\]")
_STRING_LIT = re.compile(r'"[^"]*"')


@dataclass
class Sheet:
    name: str
    ws: Any                                   # openpyxl Worksheet (formulas, styles, comments)
    cached: dict[tuple[int, int], Any]        # (row, col) → the value a viewer shows
    merged_at: dict[tuple[int, int], tuple[int, int, int, int]] = field(default_factory=dict)
    hidden_cols: frozenset[int] = frozenset()
    used: tuple[int, int] | None = None       # (last row, last col) holding a value or formula

    @property
    def max_row(self) -> int:
        """The last row holding a value or formula (styled empty rows below do not count)."""
        return self.used[0] if self.used is not None else self.ws.max_row

    @property
    def max_col(self) -> int:
        """The last column holding a value or formula."""
        return self.used[1] if self.used is not None else self.ws.max_column

    def raw(self, row: int, col: int) -> Any:
        """What the cell holds: a constant, or its formula text ('=…')."""
        c = self.ws._cells.get((row, col))
        return c.value if c is not None else None

    def formula(self, row: int, col: int) -> str | None:
        c = self.ws._cells.get((row, col))
        if c is None or c.data_type != "f":
            return None
        v = c.value
        if isinstance(v, str):
            return v
        text = getattr(v, "text", None)  # ArrayFormula / DataTableFormula
        return text if isinstance(text, str) else None

    def value(self, row: int, col: int) -> Any:
        """The value a reader sees: the cached result of a formula, else the constant."""
        if (row, col) in self.cached:
            return self.cached[(row, col)]
        c = self.ws._cells.get((row, col))
        if c is None or c.data_type == "f":
            return None
        return c.value

    def number_format(self, row: int, col: int) -> str:
        c = self.ws._cells.get((row, col))
        return c.number_format if c is not None else "General"

    def comment(self, row: int, col: int) -> Any:
        """The cell's comment (openpyxl's: ``.text``, ``.author``), or None when it has none or it is empty."""
        c = self.ws._cells.get((row, col))
        cm = getattr(c, "comment", None) if c is not None else None
        return cm if cm is not None and cm.text else None

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
    wb: Any
    sheets: list[Sheet]
    sha256: str
    notes: list[tuple[str, str]] = field(default_factory=list)   # (zh, en) said about the reading
    external_refs: list[tuple[str, str, str]] = field(default_factory=list)  # (sheet, A1, '=formula')
    kind: str = "xlsx"              # what the file was: xlsx | xlsm | xls | xlsb | ods
    keep_vba: bool = False          # the workbook carries macros, kept (never run) in our copies

    def sheet(self, name: str) -> Sheet:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(name)

    @property
    def converted(self) -> bool:
        """True when the file was not OOXML and was read into an in-memory workbook."""
        return self.kind in ("xls", "xlsb", "ods")


def sha256_of(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ------------------------------------------------------------------------------------------ entry

def open_book(path: str) -> Book:
    """Read a workbook for checking. Raises AnnexInputError with a message for the user."""
    path = str(path)
    kind = safety.sniff(path)
    if kind == "ole":
        return _open_converted(path, "xls")
    safety.refuse_by_kind(path, kind)            # empty, encrypted, text, unknown: raise
    facts = safety.inspect_zip(path)
    if facts.kind in ("xlsb", "ods"):
        return _open_converted(path, facts.kind)
    try:
        scans = _scan_package(path, facts)
    except AnnexInputError:
        raise
    except MemoryError as exc:
        raise input_error(path, "读取时内存不足，文件过大。", "out of memory while reading; the file is too large.") from exc
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        # NB: zlib.error is not an OSError; both mean the compressed data is cut or damaged
        raise input_error(path, "文件不完整或已损坏（压缩数据无法解开，可能下载或复制未完成）。",
                          "the file is truncated or damaged (its compressed data cannot be inflated; a download or copy may not have finished).") from exc
    except Exception as exc:
        import zlib
        if isinstance(exc, zlib.error):
            raise input_error(path, "文件不完整或已损坏（压缩数据无法解开）。",
                              "the file is truncated or damaged (its compressed data cannot be inflated).") from exc
        raise _cannot_open(path, exc) from exc
    wb = _load_openpyxl(path, keep_vba=facts.kind == "xlsm")
    return _assemble(path, wb, scans, facts.kind)


def _cannot_open(path: str, exc: BaseException) -> AnnexInputError:
    # NB: the library's words may hold the full path (a temporary folder in a batch): name the file only
    why = str(exc).replace(os.path.abspath(path), os.path.basename(path)).replace(path, os.path.basename(path))[:120]
    return input_error(path, f"无法作为 Excel 工作簿打开（{type(exc).__name__}: {why}）。请在 Excel 或 WPS 中打开并另存为 .xlsx 后再试。",
                       f"cannot be opened as an Excel workbook ({type(exc).__name__}: {why}). Open it in Excel or WPS, save as .xlsx and try again.")


def _load_openpyxl(path: str, keep_vba: bool):
    import warnings

    import openpyxl  # NB: imported here so that `annexproc --help` stays fast
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # NB: "unknown extension", "data validation" chatter
            return openpyxl.load_workbook(path, data_only=False, rich_text=False, keep_vba=keep_vba,
                                          keep_links=True)
    except MemoryError as exc:
        raise input_error(path, "读取时内存不足，文件过大。", "out of memory while reading; the file is too large.") from exc
    except Exception as exc:  # NB: openpyxl raises many kinds; the user needs one clear sentence
        cause: BaseException | None = exc
        while cause is not None:
            if _is_defused(cause):
                raise _dtd_error(path, None, "") from exc
            cause = cause.__cause__ or cause.__context__
        raise _cannot_open(path, exc) from exc


def _is_defused(exc: BaseException) -> bool:
    if isinstance(exc, _DTDFound):
        return True
    try:
        from defusedxml import DefusedXmlException
    except ImportError:  # pragma: no cover - defusedxml is a dependency
        return False
    return isinstance(exc, DefusedXmlException)


def _dtd_error(path: str, sheet: str | None, part: str) -> AnnexInputError:
    where = f"（{part}）" if part else ""
    return input_error(path, f"文件中的 XML{where}含有实体/DTD 声明。Excel 从不写这种内容，它可能是“XML 炸弹”，为安全起见已拒绝读取。",
                       f"its XML{(' (' + part + ')') if part else ''} contains an entity/DTD declaration. Excel never writes one; it may be an XML bomb and was refused for safety.",
                       sheet=sheet)


# ------------------------------------------------------------------------------------------ scan

@dataclass
class _Scan:
    """What one streaming pass over a sheet's XML found."""
    cached: dict[tuple[int, int], Any] = field(default_factory=dict)
    numbers: list[tuple[tuple[int, int], int]] = field(default_factory=list)  # (key, style id) of numbers
    external: list[tuple[int, int, str]] = field(default_factory=list)         # (row, col, formula text)
    used: tuple[int, int] = (0, 0)
    cells: int = 0


class _DTDFound(Exception):
    """A part's XML holds a DTD or entity declaration (never written by Excel)."""


_DTD_MARKS = tuple(m.encode(enc) for m in ("<!DOCTYPE", "<!ENTITY") for enc in ("ascii", "utf-16-le", "utf-16-be"))


def _parse(source, chunk: int = 1 << 20):
    """Stream ``end`` events of an XML part, refusing any DTD or entity declaration.

    NB: the C parser (xml.etree's XMLPullParser) is about twice as fast as defusedxml's pure-Python
    one. A DTD can only stand in the prolog and '<' is always escaped in text, so a byte search for
    '<!DOCTYPE' / '<!ENTITY' over every chunk (with an overlap) refuses every entity bomb before
    expat sees it; it could only misfire on those words inside a comment or CDATA, which Excel
    never writes.
    """
    from xml.etree.ElementTree import XMLPullParser
    parser = XMLPullParser(events=("end",))
    tail = b""
    while True:
        data = source.read(chunk)
        if not data:
            break
        probe = tail + data
        if b"<" in probe and b"!" in probe and any(m in probe for m in _DTD_MARKS):
            raise _DTDFound()
        tail = data[-20:]
        parser.feed(data)
        yield from parser.read_events()
    parser.close()
    yield from parser.read_events()


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """{rId: (type suffix, absolute part name)} of a part's relationships."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    out: dict[str, tuple[str, str]] = {}
    try:
        data = zf.open(rels_name)
    except KeyError:
        return out
    with data:
        for _, el in _parse(data):
            if el.tag == f"{_PNS}Relationship":
                target = el.get("Target", "")
                if el.get("TargetMode") == "External":
                    full = target
                elif target.startswith("/"):
                    full = posixpath.normpath(target.lstrip("/"))
                else:
                    full = posixpath.normpath(posixpath.join(folder, target))
                out[el.get("Id", "")] = (el.get("Type", "").rsplit("/", 1)[-1], full)
    return out


def _scan_package(path: str, facts: safety.ZipFacts) -> dict[str, _Scan]:
    """One pass over workbook.xml, its rels, sharedStrings and every worksheet: {sheet name: _Scan}."""
    wb_part = facts.workbook_part or "xl/workbook.xml"
    with zipfile.ZipFile(path) as zf:
        rels = _rels(zf, wb_part)
        sheets: list[tuple[str, str]] = []
        with zf.open(wb_part) as fh:
            try:
                for _, el in _parse(fh):
                    if el.tag == f"{_NS}sheet":
                        rel = rels.get(el.get(f"{_RNS}id", ""))
                        if rel and rel[0] == "worksheet":
                            sheets.append((el.get("name", ""), rel[1]))
            except Exception as exc:
                if _is_defused(exc):
                    raise _dtd_error(path, None, wb_part) from exc
                raise
        strings: list[str] = []
        for typ, target in rels.values():
            if typ == "sharedStrings" and target in facts.names:
                strings = _shared_strings(zf, path, target)
        parsed = {wb_part, *[t for _, t in sheets]} | {t for typ, t in rels.values() if typ == "sharedStrings"}
        for part in sorted(facts.names - parsed):
            if part.endswith((".xml", ".rels", ".vml")):
                _refuse_dtd(zf, path, part)   # NB: openpyxl parses these; say why before it fails
        total = 0
        scans: dict[str, _Scan] = {}
        for name, part in sheets:
            if part not in facts.names:
                continue   # NB: openpyxl will say what is wrong with a missing sheet part
            scan = _scan_sheet(zf, path, name, part, strings, safety.MAX_CELLS - total)
            total += scan.cells
            scans[name] = scan
    return scans


def _refuse_dtd(zf: zipfile.ZipFile, path: str, part: str) -> None:
    """Raise if an XML part we do not parse ourselves holds a DTD (an entity bomb)."""
    with zf.open(part) as fh:
        tail = b""
        for data in iter(lambda: fh.read(1 << 20), b""):
            probe = tail + data
            if any(m in probe for m in _DTD_MARKS):
                raise _dtd_error(path, None, part)
            tail = data[-20:]


def _shared_strings(zf: zipfile.ZipFile, path: str, part: str) -> list[str]:
    """The shared string table as openpyxl reads it (rich runs joined, phonetic runs left out)."""
    out: list[str] = []
    si, t, r = f"{_NS}si", _T, _R
    with zf.open(part) as fh:
        try:
            for _, el in _parse(fh):
                if el.tag == si:
                    out.append(_text_of(el).replace("x005F_", ""))
                    el.clear()
        except Exception as exc:
            if _is_defused(exc):
                raise _dtd_error(path, None, part) from exc
            raise
    return out


def _text_of(el) -> str:
    """Text of an <si>/<is>: its direct <t> plus the <t> of each <r> run (not <rPh>)."""
    parts = []
    for child in el:
        if child.tag == _T:
            parts.append(child.text or "")
        elif child.tag == _R:
            tt = child.find(_T)
            if tt is not None:
                parts.append(tt.text or "")
    return "".join(parts)


def _col_num(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _cast_number(text: str):
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _scan_sheet(zf: zipfile.ZipFile, path: str, name: str, part: str, strings: list[str],
                cell_budget: int) -> _Scan:
    """Stream one worksheet: cached values, used range, external formulas; enforce the caps."""
    from .cells import to_a1
    scan = _Scan()
    cached, numbers, external = scan.cached, scan.numbers, scan.external
    max_r = max_c = 0
    row_no = 0
    rows_seen = 0
    cells = 0
    shared_ext: set[str] = set()
    _precount_rows(zf, path, name, part)
    with zf.open(part) as fh:
        try:
            for _, el in _parse(fh):
                tag = el.tag
                if tag == _ROW:
                    rows_seen += 1
                    r_attr = el.get("r")
                    row_no = int(r_attr) if r_attr else row_no + 1
                    if rows_seen > safety.MAX_ROWS:
                        raise _too_many_rows(path, name, row_no, rows_seen)
                    col_no = 0
                    for c in el:
                        if c.tag != _C:
                            continue
                        cells += 1
                        ref = c.get("r")
                        if ref:
                            m = _CELL_REF.match(ref)
                            if m is None:
                                raise input_error(path, f"单元格引用“{ref[:20]}”无效，文件已损坏。",
                                                  f"invalid cell reference “{ref[:20]}”; the file is damaged.", sheet=name)
                            col_no = _col_num(m.group(1))
                            row = int(m.group(2))
                        else:
                            col_no += 1
                            row = row_no
                        t = c.get("t", "n")
                        f = c.find(_F)
                        if f is not None:
                            text = f.text
                            si = f.get("si")
                            if text:
                                if _EXTERNAL.search(_STRING_LIT.sub("", text)):
                                    external.append((row, col_no, "=" + text))
                                    if si is not None:
                                        shared_ext.add(si)
                            elif si is not None and si in shared_ext:
                                external.append((row, col_no, ""))
                        if t == "inlineStr":
                            is_ = c.find(_IS)
                            value = _text_of(is_) if is_ is not None else None
                        else:
                            value = c.findtext(_V) or None
                            if value is not None:
                                if t == "n":
                                    try:
                                        value = _cast_number(value)
                                    except ValueError:
                                        raise input_error(path, f"数值“{value[:20]}”无效，文件已损坏。",
                                                          f"invalid number “{value[:20]}”; the file is damaged.",
                                                          sheet=name, cell=to_a1(row, col_no)) from None
                                    s = c.get("s")
                                    if s:
                                        numbers.append(((row, col_no), int(s)))
                                elif t == "s":
                                    try:
                                        value = strings[int(value)]
                                    except (IndexError, ValueError):
                                        raise input_error(path, "共享字符串编号超出范围，文件已损坏。",
                                                          "a shared-string index is out of range; the file is damaged.",
                                                          sheet=name, cell=to_a1(row, col_no)) from None
                                elif t == "b":
                                    value = value.strip() not in ("0", "", "false")
                                elif t == "d":
                                    from openpyxl.utils.datetime import from_ISO8601
                                    try:
                                        value = from_ISO8601(value)
                                    except ValueError:
                                        pass
                                # 'str' and 'e' (error texts such as '#DIV/0!') stay as written
                        if value is not None:
                            cached[(row, col_no)] = value
                        if value is not None or f is not None:
                            if row > max_r:
                                max_r = row
                            if col_no > max_c:
                                max_c = col_no
                    if max_r > safety.MAX_ROWS:
                        raise _too_many_rows(path, name, max_r, rows_seen)
                    if cells > cell_budget:
                        raise _too_many_cells(path, name)
                    el.clear()
                elif tag == _MERGE:
                    ref = el.get("ref", "")
                    cells += _merge_area(path, name, ref)
                    if cells > cell_budget:
                        raise _too_many_cells(path, name, ref)
                    el.clear()
                elif tag == f"{_NS}sheetData":
                    el.clear()
        except AnnexInputError:
            raise
        except Exception as exc:
            if _is_defused(exc):
                raise _dtd_error(path, name, part) from exc
            from xml.etree.ElementTree import ParseError
            if isinstance(exc, ParseError):
                raise input_error(path, f"工作表的 XML 已损坏（{exc}）。", f"the sheet's XML is damaged ({exc}).",
                                  sheet=name) from exc
            raise
    scan.used = (max_r, max_c)
    scan.cells = cells
    return scan


def _precount_rows(zf: zipfile.ZipFile, path: str, name: str, part: str) -> None:
    """Refuse a sheet of too many <row> elements before parsing any of it (bytes.count is C-fast).

    NB: '<' is always escaped in text, so '<row ' and '<row>' only ever open a row element; a writer
    using a namespace prefix ('<x:row') is not counted here, and the parse counts its rows instead.
    """
    rows = 0
    tail = b""
    with zf.open(part) as fh:
        for data in iter(lambda: fh.read(1 << 20), b""):
            probe = tail + data
            rows += probe.count(b"<row ") + probe.count(b"<row>")
            tail = data[-5:]
            rows -= tail.count(b"<row ") + tail.count(b"<row>")   # NB: counted again with the next chunk
            if rows > safety.MAX_ROWS:
                raise _too_many_rows(path, name, 0, rows)


def _merge_area(path: str, sheet: str, ref: str) -> int:
    """Cells a merge covers (openpyxl makes one object per cell, so a huge merge costs as much)."""
    a, _, b = ref.partition(":")
    ma, mb = _CELL_REF.match(a or ""), _CELL_REF.match(b or a or "")
    if ma is None or mb is None:
        return 0
    r1, c1, r2, c2 = int(ma.group(2)), _col_num(ma.group(1)), int(mb.group(2)), _col_num(mb.group(1))
    return (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)


def _too_many_rows(path: str, sheet: str, row: int, seen: int) -> AnnexInputError:
    n = max(row, seen)
    return input_error(path, f"使用区域超过 {safety.MAX_ROWS} 行（至少到第 {n} 行），附件表不会这么大；请删除多余的行后再提交。",
                       f"its used range goes past {safety.MAX_ROWS} rows (to row {n} at least); an annex is never this large. Delete the extra rows and submit again.",
                       sheet=sheet)


def _too_many_cells(path: str, sheet: str, ref: str = "") -> AnnexInputError:
    extra_zh = f"（合并区域 {ref[:30]}）" if ref else ""
    extra_en = f" (merged range {ref[:30]})" if ref else ""
    return input_error(path, f"工作簿的单元格超过 {safety.MAX_CELLS} 个{extra_zh}，附件表不会这么大，已停止读取。",
                       f"the workbook holds more than {safety.MAX_CELLS} cells{extra_en}; an annex is never this large, reading stopped.",
                       sheet=sheet)


# ------------------------------------------------------------------------------------------ assemble

def _assemble(path: str, wb, scans: dict[str, _Scan], kind: str) -> Book:
    from openpyxl.utils.datetime import from_excel
    date_styles = getattr(wb, "_date_formats", None) or {}
    delta_styles = getattr(wb, "_timedelta_formats", None) or {}
    epoch = getattr(wb, "epoch", None)
    sheets, external_refs = [], []
    for ws in wb.worksheets:
        scan = scans.get(ws.title)
        if scan is None:
            # NB: a sheet we could not map (odd rels): fall back to openpyxl's own values
            cached = {k: c.value for k, c in ws._cells.items() if c.value is not None and c.data_type != "f"}
            used = None
        else:
            cached = scan.cached
            for key, style in scan.numbers:
                if style in date_styles:
                    # NB: exactly what openpyxl data_only gives: a datetime for a date-formatted number
                    try:
                        cached[key] = from_excel(cached[key], epoch, timedelta=style in delta_styles)
                    except (OverflowError, ValueError):
                        cached[key] = "#VALUE!"
            used = scan.used
            for r, c, text in scan.external:
                from .cells import to_a1
                cell = ws._cells.get((r, c))
                formula = cell.value if cell is not None and isinstance(cell.value, str) else text
                external_refs.append((ws.title, to_a1(r, c), formula or text))
        sheets.append(_sheet(ws, cached, used))
    book = Book(path, wb, sheets, sha256_of(path), external_refs=external_refs, kind=kind,
                keep_vba=kind == "xlsm")
    return book


def _sheet(ws, cached: dict, used: tuple[int, int] | None) -> Sheet:
    from .cells import col_index
    max_r, max_c = used if used is not None else (ws.max_row, ws.max_column)
    merged_at = {}
    for rng in ws.merged_cells.ranges:
        # NB: clip to the used range: a merge over a whole column must not cost a million entries
        r2, c2 = min(rng.max_row, max(max_r, rng.min_row)), min(rng.max_col, max(max_c, rng.min_col))
        box = (rng.min_row, rng.min_col, rng.max_row, rng.max_col)
        for r in range(rng.min_row, r2 + 1):
            for c in range(rng.min_col, c2 + 1):
                merged_at[(r, c)] = box
    hidden = set()
    for key, d in ws.column_dimensions.items():
        if d.hidden:
            lo = d.min or col_index(key)
            hi = min(d.max or lo, max(max_c, lo))   # NB: <col min=… max=…> groups columns
            hidden.update(range(lo, hi + 1))
    return Sheet(ws.title, ws, cached, merged_at, frozenset(hidden), used)


# ------------------------------------------------------------------------------------------ legacy

_CONVERTED_NOTE = {
    "xls": ("旧版 .xls 已转换读取，批注副本将另存为 .xlsx（只读取了数值和合并单元格；公式、格式和原有批注未能读取）。",
            "The legacy .xls was converted to be read; the annotated copy will be saved as .xlsx (values and merged cells only; formulas, formats and existing comments could not be read)."),
    "xlsb": ("二进制 .xlsb 已转换读取，批注副本将另存为 .xlsx（只读取了数值和合并单元格；公式、格式和原有批注未能读取）。",
             "The binary .xlsb was converted to be read; the annotated copy will be saved as .xlsx (values and merged cells only; formulas, formats and existing comments could not be read)."),
    "ods": ("OpenDocument .ods 已转换读取，批注副本将另存为 .xlsx（只读取了数值和合并单元格；公式、格式和原有批注未能读取）。",
            "The OpenDocument .ods was converted to be read; the annotated copy will be saved as .xlsx (values and merged cells only; formulas, formats and existing comments could not be read)."),
}


def _open_converted(path: str, kind: str) -> Book:
    """Read .xls/.xlsb/.ods with python-calamine into an in-memory openpyxl workbook (values only)."""
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    try:
        import python_calamine as pc
    except ImportError as exc:  # pragma: no cover - a dependency
        raise input_error(path, "这是旧版 .xls 文件，需要 python-calamine 才能读取；请另存为 .xlsx。",
                          "this is a legacy .xls file and python-calamine is needed to read it; save it as .xlsx.") from exc
    try:
        cwb = pc.CalamineWorkbook.from_path(path)
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        sheets = []
        total = 0
        for meta in cwb.sheets_metadata:
            if "WorkSheet" not in str(meta.typ):
                continue
            cs = cwb.get_sheet_by_name(meta.name)
            ws = wb.create_sheet(_safe_title(meta.name, wb))
            if "Visible" not in str(meta.visible) or "Hidden" in str(meta.visible):
                ws.sheet_state = "hidden"
            rows = cs.to_python(skip_empty_area=False)
            if len(rows) > safety.MAX_ROWS:
                raise _too_many_rows(path, meta.name, len(rows), len(rows))
            cached = {}
            max_r = max_c = 0
            for r, row in enumerate(rows, start=1):
                total += len(row)
                if total > safety.MAX_CELLS * 4:   # NB: counts blanks of the grid too
                    raise _too_many_cells(path, meta.name)
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
            for (r1, c1), (r2, c2) in (cs.merged_cell_ranges or []):
                if (r2 - r1 + 1) * (c2 - c1 + 1) > safety.MAX_CELLS:
                    raise _too_many_cells(path, meta.name)
                ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
            sheets.append(_sheet(ws, cached, (max_r, max_c)))
    except AnnexInputError:
        raise
    except MemoryError as exc:
        raise input_error(path, "读取时内存不足，文件过大。", "out of memory while reading; the file is too large.") from exc
    except Exception as exc:  # NB: calamine raises its own kinds (CalamineError, PasswordError …)
        name = type(exc).__name__
        if "password" in name.lower() or "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise input_error(path, "旧版工作簿设置了密码（已加密），无法读取。请在 Excel 中取消密码后另存为 .xlsx 再提交。",
                              "the legacy workbook is password-protected (encrypted) and cannot be read. Remove the password in Excel, save as .xlsx and submit again.") from exc
        label = {"xls": "旧版 .xls", "xlsb": ".xlsb", "ods": ".ods"}[kind]
        raise input_error(path, f"{label} 文件无法读取，可能已损坏（{name}: {str(exc)[:120]}）。请在 Excel 或 WPS 中打开并另存为 .xlsx。",
                          f"the {kind} file cannot be read and may be damaged ({name}: {str(exc)[:120]}). Open it in Excel or WPS and save as .xlsx.") from exc
    if not sheets:
        raise input_error(path, "文件中没有工作表。", "the file holds no worksheet.")
    return Book(path, wb, sheets, sha256_of(path), notes=[_CONVERTED_NOTE[kind]], kind=kind)


def _safe_title(name: str, wb) -> str:
    """A sheet title openpyxl accepts (≤ 31 characters, none of []:*?/\\), unique in the book."""
    title = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "Sheet"
    base, n = title, 1
    while title in wb.sheetnames:
        n += 1
        title = f"{base[:28]}({n})"
    return title
