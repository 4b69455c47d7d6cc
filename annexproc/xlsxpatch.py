"""Surgery on a saved .xlsx: put cached values (``<v>``) back into formula cells openpyxl wrote without.

openpyxl saves every formula as ``<c r="E7"><f>E5/E6</f><v /></c>``: a viewer that does not
recalculate (a phone preview, pandas, openpyxl ``data_only=True``) then shows nothing. After saving,
``patch_cached_values`` streams each ``xl/worksheets/sheet*.xml`` and gives every ``<c>`` holding an
``<f>`` the value we know for it. ``fullCalcOnLoad`` is left as openpyxl wrote it, so Excel still
recalculates on opening.

NB: the sheet XML is processed in chunks with a regular expression, not parsed into a tree: a
``<c>`` element cannot nest, and ``<`` never occurs unescaped in text or attributes, so every complete
``<c …>…</c>`` is found whole, and a tree round trip would rename the namespace prefixes that
``mc:Ignorable`` refers to.
"""
from __future__ import annotations

import datetime as _dt
import math
import os
import posixpath
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping
from xml.sax.saxutils import escape

from .cells import from_a1
from .values import ERRORS

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

#: (sheet name, (row, col) 1-based) → the cached value to give that formula cell, or None to leave it.
ValueFor = Callable[[str, tuple[int, int]], Any]

_CELL = re.compile(rb"<c\b[^>]*?(?:/>|>.*?</c>)", re.S)
_START = re.compile(rb"^<c\b([^>]*?)(/?)>")
_ATTR_R = re.compile(rb'\sr="([A-Z]+[0-9]+)"')
_ATTR_T = re.compile(rb'\st="[^"]*"')
_V = re.compile(rb"<v\s*/>|<v>.*?</v>|<v\s[^>]*>.*?</v>", re.S)
_F_END = re.compile(rb"<f\b[^>]*?/>|<f\b[^>]*>.*?</f>", re.S)
_CHUNK = 1 << 20


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """{zip member of a worksheet: sheet name}, read from workbook.xml and its relationships."""
    from defusedxml import ElementTree as ET

    wb = ET.fromstring(zf.read("xl/workbook.xml"))
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    target = {}
    for rel in rels.iter(f"{{{NS_PKG_REL}}}Relationship"):
        t = rel.get("Target", "")
        # NB: a target is relative to xl/ unless it starts with '/' (package root).
        target[rel.get("Id")] = t.lstrip("/") if t.startswith("/") else posixpath.normpath(posixpath.join("xl", t))
    out = {}
    for sh in wb.iter(f"{{{NS_MAIN}}}sheet"):
        part = target.get(sh.get(f"{{{NS_REL}}}id"))
        if part:
            out[part] = sh.get("name")
    return out


def number_text(x: float) -> str:
    """A number as ``<v>`` holds it: integers without '.0', others as repr (round-trips exactly)."""
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(float(x))


def v_xml(value: Any) -> tuple[bytes | None, bytes] | None:
    """(t attribute or None, ``<v>`` element) for a value; None when it cannot be a cached value."""
    if value is None:
        return None
    if isinstance(value, bool):
        return b"b", b"<v>1</v>" if value else b"<v>0</v>"
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            return None
        return None, b"<v>" + number_text(value).encode() + b"</v>"
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time, _dt.timedelta)):
        from openpyxl.utils.datetime import to_excel
        return None, b"<v>" + number_text(to_excel(value)).encode() + b"</v>"
    text = str(value)
    if text in ERRORS:
        return b"e", b"<v>" + text.encode() + b"</v>"
    return b"str", b"<v>" + escape(text).encode("utf-8") + b"</v>"


def patch_cell(xml: bytes, sheet: str, value_for: ValueFor) -> bytes:
    """One ``<c>`` element with its cached value put in, or unchanged when it has no formula."""
    if b"<f" not in xml:
        return xml
    m = _START.match(xml)
    if not m or m.group(2):       # NB: '<c …/>' has no formula
        return xml
    fm = _F_END.search(xml)
    r = _ATTR_R.search(m.group(1))
    if fm is None or r is None:
        return xml
    got = v_xml(value_for(sheet, from_a1(r.group(1).decode())))
    if got is None:
        return xml
    t, v = got
    attrs = _ATTR_T.sub(b"", m.group(1))
    if t is not None:
        attrs += b' t="' + t + b'"'
    start = b"<c" + attrs + b">"
    body = xml[m.end():fm.start()] + fm.group(0)          # whatever precedes <f>, and <f> itself
    rest = _V.sub(b"", xml[fm.end():], count=1)           # drop the empty <v/>; keep <is>, <extLst>
    return start + body + v + rest


def _patched_stream(src, sheet: str, value_for: ValueFor) -> Iterator[bytes]:
    buf = b""
    while True:
        chunk = src.read(_CHUNK)
        buf += chunk
        done = 0
        parts = []
        for m in _CELL.finditer(buf):
            parts.append(buf[done:m.start()])
            parts.append(patch_cell(m.group(0), sheet, value_for))
            done = m.end()
        if parts:
            yield b"".join(parts)
        buf = buf[done:]
        if not chunk:
            if buf:
                yield buf
            return


#: (the source zip, a member's name, its bytes) → the bytes to write instead.
Rewrite = Callable[[zipfile.ZipFile, str, bytes], bytes]


def patch_cached_values(src_path: str, dst_path: str, value_for: ValueFor, rewrite: Rewrite | None = None) -> int:
    """Copy the .xlsx ``src_path`` to ``dst_path``, formula cells getting ``value_for``'s values.

    Every other member is copied unchanged, or as ``rewrite`` gives it. Returns the number of
    worksheets streamed.
    """
    n = 0
    with zipfile.ZipFile(src_path) as zin, zipfile.ZipFile(dst_path, "w", zipfile.ZIP_DEFLATED) as zout:
        parts = sheet_parts(zin)
        for info in zin.infolist():
            name = parts.get(info.filename)
            if name is None:
                data = zin.read(info.filename)
                zout.writestr(info, rewrite(zin, info.filename, data) if rewrite else data)
                continue
            n += 1
            out_info = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            out_info.compress_type = zipfile.ZIP_DEFLATED
            with zin.open(info) as src, zout.open(out_info, "w", force_zip64=True) as dst:
                for piece in _patched_stream(src, name, value_for):
                    dst.write(piece)
    return n


def values_from(mapping: Mapping[str, Mapping[tuple[int, int], Any]]) -> ValueFor:
    """A ``value_for`` over {sheet: {(row, col): value}}."""
    def value_for(sheet: str, pos: tuple[int, int]) -> Any:
        return mapping.get(sheet, {}).get(pos)
    return value_for


def sheet_rel_targets(zf: zipfile.ZipFile, part: str, type_suffix: str) -> list[str]:
    """The members a worksheet ``part`` refers to with relationships of a type ending ``type_suffix``."""
    rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    try:
        data = zf.read(rels).decode("utf-8")
    except KeyError:
        return []
    out = []
    for m in re.finditer(r"<Relationship\b[^>]*>", data):
        tag = m.group(0)
        typ, target = re.search(r'Type="([^"]*)"', tag), re.search(r'Target="([^"]*)"', tag)
        if typ and target and typ.group(1).endswith(type_suffix):
            t = target.group(1)
            out.append(t.lstrip("/") if t.startswith("/") else posixpath.normpath(
                posixpath.join(posixpath.dirname(part), t)))
    return out


def formula_cells(path: str) -> dict[str, dict[str, tuple[str, str | None, str | None]]]:
    """{sheet: {A1: (formula text, t attribute, <v> text)}} of every formula cell in the file's XML.

    For tests and for checking what a viewer that does not recalculate will show.
    """
    from xml.sax.saxutils import unescape

    out: dict[str, dict] = {}
    with zipfile.ZipFile(path) as zf:
        for part, name in sheet_parts(zf).items():
            cells = out.setdefault(name, {})
            data = zf.read(part)
            for m in _CELL.finditer(data):
                xml = m.group(0)
                fm = _F_END.search(xml)
                if fm is None:
                    continue
                start = _START.match(xml)
                ref = _ATTR_R.search(start.group(1)).group(1).decode()
                t = re.search(rb'\st="([^"]*)"', start.group(1))
                f = re.sub(rb"^<f\b[^>]*?(/>|>)|</f>$", b"", fm.group(0))
                v = re.search(rb"<v>(.*?)</v>", xml[fm.end():], re.S)
                cells[ref] = (unescape(f.decode("utf-8")), t.group(1).decode() if t else None,
                              unescape(v.group(1).decode("utf-8")) if v else None)
    return out


def save_with_cached_values(wb, out_path, value_for: ValueFor, rewrite: Rewrite | None = None) -> Path:
    """Save an openpyxl workbook to ``out_path`` atomically, formula cells getting cached values."""
    from .safety import atomic_write

    out = Path(out_path)
    fd, saved = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".saved", dir=str(out.parent or Path(".")))
    os.close(fd)
    try:
        wb.save(saved)
        with atomic_write(out) as final:   # NB: moved into place only when complete
            patch_cached_values(saved, final, value_for, rewrite)
    finally:
        if os.path.exists(saved):
            os.unlink(saved)
    return out
