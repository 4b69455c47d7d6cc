"""One streaming pass over a workbook's XML: what a check reads of each sheet, with the size and DTD caps.

The pass collects, per sheet, what ``openpyxl.load_workbook`` would give a check — the values a viewer
shows (the cached results of formulas, constants with dates as datetimes), every formula's text (a
shared formula moved to its cell by ``sharedformula.translate``), the number format of each styled
cell, the comments, merges, hidden columns and the sheet's visibility — in a fraction of openpyxl's
time and without importing it. Each part is inflated once, from the bytes ``source.read`` read once.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from . import safety
from .cells import col_index, to_a1
from .errors import AnnexInputError
from .numformats import from_excel
from .safety import input_error, said
from .sharedformula import translate

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RNS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PNS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ROW, _C, _V, _F, _IS, _T, _R = (f"{_NS}{t}" for t in ("row", "c", "v", "f", "is", "t", "r"))
_MERGE = f"{_NS}mergeCell"
_COL = f"{_NS}col"
_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
_EXTERNAL = re.compile(r"\[\d+\]")
_STRING_LIT = re.compile(r'"[^"]*"')


@dataclass
class Scan:
    """What one streaming pass over a sheet's XML found."""
    cached: dict[tuple[int, int], Any] = field(default_factory=dict)
    external: list[tuple[int, int, str]] = field(default_factory=list)         # (row, col, formula text)
    used: tuple[int, int] = (0, 0)
    cells: int = 0
    part: str = ""                                   # the sheet's part in the package
    too_big: AnnexInputError | None = None           # set when the sheet was skipped for its size
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)    # (row, col) → '=…'
    formats: dict[tuple[int, int], str] = field(default_factory=dict)     # number formats other than General
    comments: dict[tuple[int, int], tuple[str, str | None]] = field(default_factory=dict)  # → (text, author)
    merges: list[str] = field(default_factory=list)                        # 'A1:C2' as written
    hidden_cols: list[tuple[int, int]] = field(default_factory=list)       # <col min max hidden>
    widths: list[tuple[int, int, float]] = field(default_factory=list)     # <col min max width>
    hidden_rows: set[int] = field(default_factory=set)
    looks: dict[tuple[int, int], tuple[bool, str | None]] = field(default_factory=dict)  # (bold, horizontal)
    state: str = "visible"                                                 # visible | hidden | veryHidden


@dataclass
class Styles:
    """The workbook's cell formats as a check needs them: each xf's number format, which are dates."""
    formats: list[str] = field(default_factory=list)       # xf index → format code
    dates: set[int] = field(default_factory=set)           # xf indexes formatted as dates (openpyxl's rule)
    durations: set[int] = field(default_factory=set)       # … as elapsed times ([h]:mm)
    looks: list[tuple[bool, str | None]] = field(default_factory=list)   # xf index → (bold, horizontal)
    date1904: bool = False


class DTDFound(Exception):
    """A part's XML holds a DTD or entity declaration (never written by Excel)."""


def is_defused(exc: BaseException) -> bool:
    """Was ``exc`` (or is it) a refusal of a DTD or entity declaration, ours or defusedxml's?"""
    if isinstance(exc, DTDFound):
        return True
    try:
        from defusedxml import DefusedXmlException
    except ImportError:  # pragma: no cover - defusedxml is a dependency
        return False
    return isinstance(exc, DefusedXmlException)


def dtd_error(path: str, sheet: str | None, part: str) -> AnnexInputError:
    """The user's error for a part holding a DTD or entity declaration (a possible XML bomb)."""
    return input_error(path, "reading.dtd", sheet=sheet, part=said("reading.dtd.part", part=part) if part else "")


_DTD_MARKS = tuple(m.encode(enc) for m in ("<!DOCTYPE", "<!ENTITY") for enc in ("ascii", "utf-16-le", "utf-16-be"))


def _parse(source, chunk: int = 1 << 20, events=("end",)):
    """Stream ``end`` events of an XML part, refusing any DTD or entity declaration.

    NB: the C parser (xml.etree's XMLPullParser) is about twice as fast as defusedxml's pure-Python
    one. A DTD can only stand in the prolog and '<' is always escaped in text, so a byte search for
    '<!DOCTYPE' / '<!ENTITY' over every chunk (with an overlap) refuses every entity bomb before
    expat sees it; it could only misfire on those words inside a comment or CDATA, which Excel
    never writes.
    """
    from xml.etree.ElementTree import XMLPullParser
    parser = XMLPullParser(events=events)
    tail = b""
    while True:
        data = source.read(chunk)
        if not data:
            break
        probe = tail + data
        if b"<" in probe and b"!" in probe and any(m in probe for m in _DTD_MARKS):
            raise DTDFound()
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


def scan_package(src, facts: safety.ZipFacts, skippable=None) -> dict[str, Scan]:
    """One pass over workbook.xml, its rels, styles, sharedStrings, every worksheet and its comments:
    {sheet name: Scan} in the workbook's order. ``src`` is a ``source.Source`` (its bytes, read once).

    ``skippable(name)``: whether a sheet past the row or cell caps may be skipped (its Scan then holds
    only ``too_big``, the refusal it would have been, and its cells count against no budget) rather than
    refuse the whole file. NB: the caps still bound what a skipped sheet costs: its rows are counted
    in bytes before any parse, and a parse stops at the cell budget.
    """
    path, zf = src.path, src.zip
    wb_part = facts.workbook_part or "xl/workbook.xml"
    rels = _rels(zf, wb_part)
    sheets: list[tuple[str, str, str]] = []
    styles = Styles()
    with zf.open(wb_part) as fh:
        try:
            for _, el in _parse(fh):
                if el.tag == f"{_NS}sheet":
                    rel = rels.get(el.get(f"{_RNS}id", ""))
                    if rel and rel[0] == "worksheet":
                        sheets.append((el.get("name", ""), rel[1], el.get("state") or "visible"))
                elif el.tag == f"{_NS}workbookPr":
                    styles.date1904 = el.get("date1904", "").strip().lower() in ("1", "true")
        except Exception as exc:
            if is_defused(exc):
                raise dtd_error(path, None, wb_part) from exc
            raise
    strings: list[str] = []
    parsed = {wb_part, *[t for _, t, _ in sheets]}
    for typ, target in rels.values():
        if typ == "sharedStrings" and target in facts.names:
            strings = _shared_strings(zf, path, target)
            parsed.add(target)
        elif typ == "styles" and target in facts.names:
            _read_styles(zf, path, target, styles)
            parsed.add(target)
    total = 0
    scans: dict[str, Scan] = {}
    # NB: the sheets that may not be skipped are read first, so that a big sheet of raw data before
    # the annexes, not an annex after it, is the one that finds the workbook's cell budget spent
    order = sorted(sheets, key=lambda s: skippable is not None and skippable(s[0]))
    for name, part, state in order:
        if part not in facts.names:
            raise input_error(path, "reading.part_missing", sheet=name, part=part)
        try:
            scan = _scan_sheet(zf, path, name, part, strings, safety.MAX_CELLS - total, styles)
        except AnnexInputError as exc:
            if not (getattr(exc, "too_big", False) and skippable is not None and skippable(name)):
                raise
            scan = Scan(too_big=exc)
        scan.part, scan.state = part, state
        total += scan.cells
        if scan.too_big is None:
            for typ, target in _rels(zf, part).values():
                if typ == "comments" and target in facts.names:
                    _read_comments(zf, path, name, target, scan)
                    parsed.add(target)
        scans[name] = scan
    for part in sorted(facts.names - parsed):
        if part.endswith((".xml", ".rels", ".vml")):
            _refuse_dtd(zf, path, part)   # NB: the writers' openpyxl parses these; say why before it fails
    return {name: scans[name] for name, _, _ in sheets if name in scans}


def _read_styles(zf: zipfile.ZipFile, path: str, part: str, styles: Styles) -> None:
    """Each cell xf's number format, resolved as openpyxl resolves it (a custom code wins over a
    built-in id; an id neither built in nor defined reads as General), which are dates, and the look
    the page's preview shows (bold, horizontal alignment)."""
    from .numformats import BUILTIN, is_date_format, is_timedelta_format
    custom: dict[int, str] = {}
    xfs: list[tuple[int, int, str | None]] = []     # (numFmtId, fontId, horizontal)
    bold: list[bool] = []
    where = ""
    with zf.open(part) as fh:
        try:
            for ev, el in _parse(fh, events=("start", "end")):
                tag = el.tag
                if tag in (f"{_NS}cellXfs", f"{_NS}fonts"):
                    where = tag if ev == "start" else ""
                elif ev != "end":
                    continue
                elif tag == f"{_NS}numFmt":
                    try:
                        custom[int(el.get("numFmtId", ""))] = el.get("formatCode", "")
                    except ValueError:
                        pass
                elif tag == f"{_NS}font" and where == f"{_NS}fonts":
                    b = el.find(f"{_NS}b")
                    bold.append(b is not None and b.get("val", "1").strip().lower() not in ("0", "false"))
                elif tag == f"{_NS}xf" and where == f"{_NS}cellXfs":
                    al = el.find(f"{_NS}alignment")
                    xfs.append((_int(el.get("numFmtId")), _int(el.get("fontId")),
                                al.get("horizontal") if al is not None else None))
        except Exception as exc:
            if is_defused(exc):
                raise dtd_error(path, None, part) from exc
            raise
    for i, (fid, font, horizontal) in enumerate(xfs):
        code = custom.get(fid)
        known = code if code is not None else BUILTIN.get(fid)
        styles.formats.append(known if known is not None else "General")
        styles.looks.append((font < len(bold) and bold[font], horizontal))
        if is_date_format(known):
            styles.dates.add(i)
        if is_timedelta_format(known):
            styles.durations.add(i)


def _int(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0


def _read_comments(zf: zipfile.ZipFile, path: str, sheet: str, part: str, scan: Scan) -> None:
    """The sheet's comments: {(row, col): (text, author)} (rich runs joined, as openpyxl reads them)."""
    authors: list[str] = []
    with zf.open(part) as fh:
        try:
            for _, el in _parse(fh):
                if el.tag == f"{_NS}author":
                    authors.append(el.text or "")
                elif el.tag == f"{_NS}comment":
                    m = _CELL_REF.match(el.get("ref", ""))
                    text = el.find(f"{_NS}text")
                    if m is not None and text is not None:
                        try:
                            author = authors[int(el.get("authorId") or 0)]
                        except (IndexError, ValueError):
                            author = None
                        scan.comments[(int(m.group(2)), col_index(m.group(1)))] = (_text_of(text), author)
                    el.clear()
        except Exception as exc:
            if is_defused(exc):
                raise dtd_error(path, sheet, part) from exc
            raise


def _refuse_dtd(zf: zipfile.ZipFile, path: str, part: str) -> None:
    """Raise if an XML part we do not parse ourselves holds a DTD (an entity bomb)."""
    with zf.open(part) as fh:
        tail = b""
        for data in iter(lambda: fh.read(1 << 20), b""):
            probe = tail + data
            if any(m in probe for m in _DTD_MARKS):
                raise dtd_error(path, None, part)
            tail = data[-20:]


def _shared_strings(zf: zipfile.ZipFile, path: str, part: str) -> list[str]:
    """The shared string table as openpyxl reads it (rich runs joined, phonetic runs left out)."""
    out: list[str] = []
    si = f"{_NS}si"
    with zf.open(part) as fh:
        try:
            for _, el in _parse(fh):
                if el.tag == si:
                    out.append(_text_of(el).replace("x005F_", ""))
                    el.clear()
        except Exception as exc:
            if is_defused(exc):
                raise dtd_error(path, None, part) from exc
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


def _cast_number(text: str):
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _scan_sheet(zf: zipfile.ZipFile, path: str, name: str, part: str, strings: list[str],
                cell_budget: int, styles: Styles | None = None) -> Scan:
    """Stream one worksheet: values, formulas, formats, merges, hidden columns; enforce the caps."""
    import io
    styles = styles or Styles()
    scan = Scan()
    cached, external, formulas, formats = scan.cached, scan.external, scan.formulas, scan.formats
    fmt_of, dates, durations, looks_of, looks = styles.formats, styles.dates, styles.durations, styles.looks, scan.looks
    shared: dict[str, tuple[str, tuple[int, int]]] = {}      # si → (master text, master cell)
    max_r = max_c = 0
    row_no = 0
    rows_seen = 0
    cells = 0
    shared_ext: set[str] = set()
    data = zf.read(part)   # NB: inflated once; inspect_zip has bounded its size
    _precount_rows(data, path, name)
    try:
        for _, el in _parse(io.BytesIO(data)):
            tag = el.tag
            if tag == _ROW:
                rows_seen += 1
                r_attr = el.get("r")
                row_no = int(r_attr) if r_attr else row_no + 1
                if rows_seen > safety.MAX_ROWS:
                    raise too_many_rows(path, name, row_no, rows_seen)
                if el.get("hidden", "").strip().lower() in ("1", "true"):
                    scan.hidden_rows.add(row_no)
                col_no = 0
                for c in el:
                    if c.tag != _C:
                        continue
                    cells += 1
                    ref = c.get("r")
                    if ref:
                        m = _CELL_REF.match(ref)
                        if m is None:
                            raise input_error(path, "reading.bad_ref", sheet=name, ref=ref[:20])
                        col_no = col_index(m.group(1))
                        row = int(m.group(2))
                    else:
                        col_no += 1
                        row = row_no
                    pos = (row, col_no)
                    t = c.get("t", "n")
                    s_attr = c.get("s")
                    style = int(s_attr) if s_attr and s_attr.isdigit() else 0
                    if style and style < len(fmt_of):
                        if fmt_of[style] != "General":
                            formats[pos] = fmt_of[style]
                        if looks_of[style] != (False, None):
                            looks[pos] = looks_of[style]
                    f = c.find(_F)
                    if f is not None:
                        text = f.text
                        si = f.get("si")
                        kind = f.get("t")
                        if kind == "shared" and si is not None:
                            if si in shared:
                                master, origin = shared[si]
                                formulas[pos] = translate(master, origin, pos)
                            elif text:
                                shared[si] = ("=" + text, pos)
                                formulas[pos] = "=" + text
                            else:
                                formulas[pos] = "="
                        else:
                            formulas[pos] = "=" + (text or "")
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
                                    raise input_error(path, "reading.bad_number", sheet=name, cell=to_a1(row, col_no),
                                                      value=value[:20]) from None
                                if style in dates:
                                    # NB: exactly what openpyxl gives: a datetime for a date-formatted number
                                    try:
                                        value = from_excel(value, styles.date1904, timedelta=style in durations)
                                    except (OverflowError, ValueError):
                                        value = "#VALUE!"
                            elif t == "s":
                                try:
                                    value = strings[int(value)]
                                except (IndexError, ValueError):
                                    raise input_error(path, "reading.bad_string", sheet=name,
                                                      cell=to_a1(row, col_no)) from None
                            elif t == "b":
                                value = value.strip() not in ("0", "", "false")
                            elif t == "d":
                                value = _iso_date(value)
                            # 'str' and 'e' (error texts such as '#DIV/0!') stay as written
                    if value is not None:
                        cached[pos] = value
                    if value is not None or f is not None:
                        if row > max_r:
                            max_r = row
                        if col_no > max_c:
                            max_c = col_no
                if max_r > safety.MAX_ROWS:
                    raise too_many_rows(path, name, max_r, rows_seen)
                if cells > cell_budget:
                    raise too_many_cells(path, name)
                el.clear()
            elif tag == _MERGE:
                ref = el.get("ref", "")
                cells += _merge_area(path, name, ref)
                if cells > cell_budget:
                    raise too_many_cells(path, name, ref)
                scan.merges.append(ref)
                el.clear()
            elif tag == _COL:
                lo = _int(el.get("min"))
                hi = max(_int(el.get("max")), lo)
                if lo > 0:   # NB: clipped to the used range later: a group may run to column XFD
                    if el.get("hidden", "").strip().lower() in ("1", "true"):
                        scan.hidden_cols.append((lo, hi))
                    try:
                        width = float(el.get("width") or 0)
                    except ValueError:
                        width = 0.0
                    if width > 0:
                        scan.widths.append((lo, hi, width))
            elif tag == f"{_NS}sheetData":
                el.clear()
    except AnnexInputError:
        raise
    except Exception as exc:
        if is_defused(exc):
            raise dtd_error(path, name, part) from exc
        from xml.etree.ElementTree import ParseError
        if isinstance(exc, ParseError):
            raise input_error(path, "reading.bad_xml", sheet=name, why=str(exc)) from exc
        raise
    scan.used = (max_r, max_c)
    scan.cells = cells
    return scan


def _iso_date(text: str):
    """A cell of type 'd' (an ISO 8601 date, which few writers store), exactly as openpyxl reads it."""
    from openpyxl.utils.datetime import from_ISO8601   # NB: the only openpyxl import of a check, and rare
    try:
        return from_ISO8601(text)
    except ValueError:
        return text


def _precount_rows(data: bytes, path: str, name: str) -> None:
    """Refuse a sheet of too many <row> elements before parsing any of it (bytes.count is C-fast).

    NB: '<' is always escaped in text, so '<row ' and '<row>' only ever open a row element; a writer
    using a namespace prefix ('<x:row') is not counted here, and the parse counts its rows instead.
    """
    rows = data.count(b"<row ") + data.count(b"<row>")
    if rows > safety.MAX_ROWS:
        raise too_many_rows(path, name, 0, rows)


def _merge_area(path: str, sheet: str, ref: str) -> int:
    """Cells a merge covers (openpyxl makes one object per cell, so a huge merge costs as much)."""
    a, _, b = ref.partition(":")
    ma, mb = _CELL_REF.match(a or ""), _CELL_REF.match(b or a or "")
    if ma is None or mb is None:
        return 0
    r1, c1, r2, c2 = int(ma.group(2)), col_index(ma.group(1)), int(mb.group(2)), col_index(mb.group(1))
    return (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)


def too_many_rows(path: str, sheet: str, row: int, seen: int) -> AnnexInputError:
    return _too_big(input_error(path, "reading.too_many_rows", sheet=sheet, limit=safety.MAX_ROWS, n=max(row, seen)))


def too_many_cells(path: str, sheet: str, ref: str = "") -> AnnexInputError:
    merge = said("reading.too_many_cells.merge", ref=ref[:30]) if ref else ""
    return _too_big(input_error(path, "reading.too_many_cells", sheet=sheet, limit=safety.MAX_CELLS, merge=merge))


def _too_big(exc: AnnexInputError) -> AnnexInputError:
    """A refusal for size: a sheet that is not an annex may be skipped instead (scan_package)."""
    exc.too_big = True
    return exc
