"""Which formula cells of a legacy .xls store 0 where their result may have been text (read without LibreOffice).

NB: why this exists. A formula's text result ('/' from ``IF(U12="/","/",V12/U12)``) is stored in an .xls
as a FORMULA record marked "string" followed by a STRING record, and python-calamine reads it right.
But LibreOffice's .xls export writes a text result of a cell formatted as a number (a 0.00% cell) as the
number 0 with no STRING record: the file itself says 0.00%. Read values-only, such a cell would be a false
"the percentage should be '/'" error. A FORMULA record whose stored result is exactly 0 and whose formula
(or the shared formula it points to) holds a string constant is such a suspect: ``suspects`` lists them,
and the values-only check says nothing at those cells (readnotes). With LibreOffice installed the file is
recalculated on conversion and none of this is needed.

The compound-file (OLE) reader here is the minimum for one stream, bounded: every chain is cut at the
file's sector count, so a damaged or hostile file costs at most one pass over its bytes.
"""
from __future__ import annotations

import struct

_END, _FREE = 0xFFFFFFFE, 0xFFFFFFFF
_PTG_STR = 0x17


def _stream(data: bytes, names=("Workbook", "Book")) -> bytes | None:
    """The bytes of the workbook stream of a compound file, or None when it cannot be found."""
    if len(data) < 512:
        return None
    ssz = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    mssz = 1 << struct.unpack_from("<H", data, 0x20)[0]
    if ssz not in (512, 4096) or mssz != 64:
        return None
    n_sectors = (len(data) - ssz) // ssz
    dir_start = struct.unpack_from("<I", data, 0x30)[0]
    cutoff, minifat_start, _, difat_start, n_difat = struct.unpack_from("<5I", data, 0x38)

    def sector(n: int) -> bytes:
        return data[(n + 1) * ssz:(n + 2) * ssz]

    fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < n_sectors]
    d, seen = difat_start, 0
    while d < n_sectors and seen < n_difat and seen <= n_sectors:
        entries = struct.unpack(f"<{ssz // 4}I", sector(d))
        fat_sectors += [s for s in entries[:-1] if s < n_sectors]
        d, seen = entries[-1], seen + 1
    fat = []
    for s in fat_sectors:
        fat += struct.unpack(f"<{ssz // 4}I", sector(s))

    def chain(start: int, table: list[int], limit: int):
        out, n = [], start
        while n < len(table) and n not in (_END, _FREE) and len(out) <= limit:
            out.append(n)
            n = table[n]
        return out

    directory = b"".join(sector(s) for s in chain(dir_start, fat, n_sectors))
    entries = {}
    for off in range(0, len(directory) - 127, 128):
        e = directory[off:off + 128]
        nlen = struct.unpack_from("<H", e, 64)[0]
        name = e[:max(0, min(nlen, 64) - 2)].decode("utf-16-le", "replace")
        entries[name] = (e[66], struct.unpack_from("<I", e, 116)[0], struct.unpack_from("<I", e, 120)[0])
    root = next((v for v in entries.values() if v[0] == 5), None)
    for name in names:
        if name not in entries or entries[name][0] != 2:
            continue
        _, start, size = entries[name]
        if size >= cutoff:
            return b"".join(sector(s) for s in chain(start, fat, n_sectors))[:size]
        if root is None:
            return None
        mini = b"".join(sector(s) for s in chain(root[1], fat, n_sectors))
        minifat = []
        for s in chain(minifat_start, fat, n_sectors):
            minifat += struct.unpack(f"<{ssz // 4}I", sector(s))
        blob = b"".join(mini[m * 64:(m + 1) * 64] for m in chain(start, minifat, len(mini) // 64))
        return blob[:size]
    return None


def _sheet_names(stream: bytes) -> dict[int, str]:
    """{stream offset of a sheet's BOF: its name}, from the BOUNDSHEET records of the globals."""
    out, pos = {}, 0
    while pos + 4 <= len(stream):
        typ, ln = struct.unpack_from("<HH", stream, pos)
        rec = stream[pos + 4:pos + 4 + ln]
        if typ == 0x0085 and ln >= 8:
            cch, high = rec[6], rec[7] & 1
            raw = rec[8:8 + cch * (2 if high else 1)]
            out[struct.unpack_from("<I", rec)[0]] = raw.decode("utf-16-le" if high else "latin-1", "replace")
        elif typ == 0x000A:   # NB: the globals end at their EOF
            break
        pos += 4 + ln
    return out


def suspects(data: bytes) -> dict[str, set[tuple[int, int]]]:
    """{sheet name: {(row, col) 1-based}} of formula cells storing 0 that may have had a text result,
    in the .xls file's ``data``."""
    stream = _stream(data)
    if not stream:
        return {}
    names = _sheet_names(stream)
    out: dict[str, set[tuple[int, int]]] = {}
    sheet, pos = None, 0
    zero_cells: list[tuple[str, int, int, bytes]] = []
    shared_str: dict[tuple[str, int, int], bool] = {}
    last_formula = None
    while pos + 4 <= len(stream):
        typ, ln = struct.unpack_from("<HH", stream, pos)
        rec = stream[pos + 4:pos + 4 + ln]
        if typ == 0x0809:
            sheet = names.get(pos, sheet)
        elif typ == 0x0006 and ln >= 22 and sheet is not None:
            row, col = struct.unpack_from("<HH", rec)
            last_formula = (row, col)
            if rec[6:14] == bytes(8):
                zero_cells.append((sheet, row, col, rec[22:]))
        elif typ == 0x04BC and ln >= 10 and sheet is not None and last_formula is not None:
            # NB: the shared formula follows the first cell of its group, whose ptgExp points at that cell
            shared_str[(sheet, *last_formula)] = _PTG_STR in rec[10:]
        pos += 4 + ln
    for sheet, row, col, rgce in zero_cells:
        if rgce[:1] == b"\x01" and len(rgce) >= 5:
            has_str = shared_str.get((sheet, *struct.unpack_from("<HH", rgce, 1)), False)
        else:
            has_str = _PTG_STR in rgce
        if has_str:
            out.setdefault(sheet, set()).add((row + 1, col + 1))
    return out
