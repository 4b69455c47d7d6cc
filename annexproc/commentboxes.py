"""The input's comment boxes, kept: openpyxl redraws every comment box at 144×79 px beside its cell;
``comment_boxes`` reads each box's size and place from the input's VML and ``box_restorer`` puts them
back, through ``xlsxpatch``'s rewrite hook, on the comments the copy left untouched."""
from __future__ import annotations

import re
import zipfile

_SHAPE = re.compile(r"<(\w+:)?shape\b([^>]*)>(.*?)</\1shape>", re.S)
_STYLE = re.compile(r"""\sstyle=(?:"([^"]*)"|'([^']*)')""")   # NB: Excel writes VML with single quotes


def _shape_cell(body: str) -> tuple[int, int] | None:
    row, col = re.search(r"<(?:\w+:)?Row>\s*(\d+)", body), re.search(r"<(?:\w+:)?Column>\s*(\d+)", body)
    if not row or not col or 'ObjectType="Note"' not in body:
        return None
    return int(row.group(1)), int(col.group(1))


def _vml_by_sheet(zf: zipfile.ZipFile) -> dict[str, str]:
    """{sheet name: its comments' VML member}."""
    from .xlsxpatch import sheet_parts, sheet_rel_targets
    out = {}
    for part, name in sheet_parts(zf).items():
        for target in sheet_rel_targets(zf, part, "/vmlDrawing"):
            if target in zf.namelist():
                out[name] = target
    return out


def comment_boxes(src) -> dict[str, dict[tuple[int, int], tuple[str, str | None]]]:
    """{sheet: {(row, col) 0-based: (shape style, x:Anchor text)}} of the comment boxes of ``src``
    (a ``source.Source``, whose bytes were read once, or a path)."""
    out: dict[str, dict] = {}
    stream = src.stream() if hasattr(src, "data") else src
    if not zipfile.is_zipfile(stream):
        return out
    with zipfile.ZipFile(stream) as zf:
        if "xl/workbook.xml" not in zf.namelist():
            return out   # NB: an .ods (read through a conversion) is a zip but draws no VML boxes
        for sheet, member in _vml_by_sheet(zf).items():
            text = zf.read(member).decode("utf-8", "replace")
            for m in _SHAPE.finditer(text):
                at, style = _shape_cell(m.group(3)), _STYLE.search(m.group(2))
                if at is None or style is None:
                    continue
                anchor = re.search(r"<(?:\w+:)?Anchor>([^<]*)<", m.group(3))
                out.setdefault(sheet, {})[at] = (style.group(1) if style.group(1) is not None else style.group(2),
                                                 anchor.group(1).strip() if anchor else None)
    return out


def box_restorer(boxes: dict, keep: set[tuple[str, tuple[int, int]]]):
    """An ``xlsxpatch`` rewrite putting the input's box (style and anchor) back on each kept comment."""
    cache: dict[str, dict[str, str]] = {}

    def rewrite(zin: zipfile.ZipFile, member: str, data: bytes) -> bytes:
        if not member.endswith(".vml"):
            return data
        if zin.filename not in cache:
            # NB: read the map through a handle of our own: zin is in the middle of being copied
            with zipfile.ZipFile(zin.filename) as zf:
                cache[zin.filename] = {v: k for k, v in _vml_by_sheet(zf).items()}
        by_member = cache[zin.filename]
        sheet = by_member.get(member)
        if sheet not in boxes:
            return data

        def put_back(m: re.Match) -> str:
            at = _shape_cell(m.group(3))
            if at is None or (sheet, at) not in keep or at not in boxes[sheet]:
                return m.group(0)
            style, anchor = boxes[sheet][at]
            attrs = _STYLE.sub(lambda _: ' style="{}"'.format(style.replace('"', "&quot;")), m.group(2), count=1)
            body = m.group(3)
            if anchor and "Anchor>" not in body:
                cd = re.search(r"<(\w+:)?ClientData\b[^>]*>", body)
                if cd:
                    pre = cd.group(1) or ""
                    body = body[:cd.end()] + f"<{pre}Anchor>{anchor}</{pre}Anchor>" + body[cd.end():]
            return f"<{m.group(1) or ''}shape{attrs}>{body}</{m.group(1) or ''}shape>"

        return _SHAPE.sub(put_back, data.decode("utf-8")).encode("utf-8")
    return rewrite
