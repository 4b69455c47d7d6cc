"""Limits and guards: what a file may cost us to read, and how every output reaches the disk.

Three kinds of protection live here, so that the caps are stated once and tested once:

* **Sniffing** (``sniff``): what a file really is, from its first bytes, whatever its name says —
  a zip (xlsx/xlsm/xlsb/ods), an OLE container (legacy .xls, or a password-protected workbook whose
  OLE holds an ``EncryptedPackage`` stream), text (CSV/HTML exports renamed .xls), or nothing.
* **Caps** (``inspect_zip`` and the ``MAX_*`` constants): the zip's central directory is read
  before any XML is parsed, and a file whose parts would inflate past the caps (a zip bomb), or
  that is not a workbook at all, is refused with a sentence naming the file. The row and cell caps
  are enforced while the sheet XML streams past (``xmlscan._scan_sheet``), so a sheet claiming a
  million rows costs a bounded time. XML with a DTD (the "billion laughs" entity bomb) is refused:
  Excel never writes one, and openpyxl parses through defusedxml (``openpyxl.xml.DEFUSEDXML``).
* **Atomic output** (``atomic_write``): every file annexproc writes goes to a temporary file in
  the same folder and is moved into place only when complete, so Ctrl-C or a crash never leaves a
  half-written output, and an existing file is never truncated by a failed write.

Every refusal is an :class:`~annexproc.errors.AnnexInputError` with a Chinese and an English
sentence, said from the catalogue (``annexproc/words/reading.py``); ``engine.check`` turns it into an
RD01 finding and the CLI into exit status 2.
"""
from __future__ import annotations

import contextlib
import os
import posixpath
import tempfile
import zipfile
from dataclasses import dataclass, field
from typing import Iterator

from .errors import AnnexInputError
from .words import pick, say

# NB: an annex workbook is tens of kilobytes with a few thousand cells; these caps are two to
# three orders of magnitude above any real one and still keep a run within seconds and ~1 GB.
MAX_FILE_BYTES = 100 * 1024 * 1024          # the file on disk
MAX_PART_BYTES = 200 * 1024 * 1024          # one part of the zip, uncompressed (a sheet's XML)
MAX_TOTAL_BYTES = 400 * 1024 * 1024         # every part together, uncompressed
MAX_RATIO = 200                             # inflation ratio of a large part …
RATIO_FLOOR = 16 * 1024 * 1024              # … counted only for parts above this size
MAX_PARTS = 10_000                          # entries in the zip
MAX_ROWS = 100_000                          # rows of one sheet (highest used row or <row> count)
MAX_CELLS = 1_000_000                       # cells of the workbook (incl. the cells merges create)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_ENCRYPTED = ("EncryptedPackage".encode("utf-16-le"), b"EncryptedPackage")


def _name(path: str) -> str:
    return os.path.basename(path) or path


def said(key: str, /, **values) -> tuple[str, str]:
    """(zh, en) of a catalogue entry; a value given as a (zh, en) pair (a word said in each language, or
    "" where a clause is left out) fills each language with its own."""
    return tuple(say(key, lang, **{k: pick(v, lang) if isinstance(v, tuple) else v for k, v in values.items()})
                 for lang in ("zh", "en"))


def input_error(path: str, key: str, /, *, sheet: str | None = None, cell: str | None = None,
                **values) -> AnnexInputError:
    """An AnnexInputError saying the catalogue entry ``key`` (filled from ``values`` as ``said`` fills
    them) after the file's name, and the sheet and cell where given."""
    zh, en = said("reading.refused", file=_name(path), what=said(key, **values),
                  sheet=said("reading.refused.sheet", sheet=sheet) if sheet else "",
                  cell=said("reading.refused.cell", cell=cell) if sheet and cell else "")
    return AnnexInputError(zh, message_en=en, path=path, sheet=sheet, cell=cell)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


# ----------------------------------------------------------------------------------------- sniffing

def too_large(path: str, size: int) -> AnnexInputError:
    return input_error(path, "reading.too_large", size=_mb(size), limit=_mb(MAX_FILE_BYTES))


def sniff(src) -> str:
    """What the file is by its bytes: 'zip', 'ole', 'encrypted', 'empty', 'text' or 'unknown'.

    ``src`` is a ``source.Source`` (or a path, read here). Reading raises AnnexInputError for a missing
    file, a folder or a file past ``MAX_FILE_BYTES``.
    """
    if not hasattr(src, "data"):
        from .source import read
        src = read(src)
    data = src.data
    if not data:
        return "empty"
    head = data[:8]
    if head.startswith(OLE_MAGIC):
        # NB: an OLE directory names its streams in UTF-16LE; an encrypted OOXML workbook (Excel's
        # "Encrypt with password") is an OLE holding an "EncryptedPackage" stream.
        return "encrypted" if any(m in data for m in _ENCRYPTED) else "ole"
    if head.startswith(ZIP_MAGICS):
        return "zip"
    sample = data[:4096]
    try:
        sample.decode("utf-8")
        return "text"
    except UnicodeDecodeError as exc:
        if exc.start > len(sample) - 4:     # a multi-byte character cut at the end of the sample
            return "text"
    try:
        sample.decode("gb18030")
        return "text" if b"\x00" not in sample else "unknown"
    except UnicodeDecodeError:
        return "unknown"


def refuse_by_kind(path: str, kind: str) -> None:
    """Raise the user's sentence for a kind of file that cannot be read at all."""
    if kind in ("empty", "encrypted", "text", "unknown"):
        raise input_error(path, f"reading.{kind}")


# ----------------------------------------------------------------------------------------- zip caps

@dataclass
class ZipFacts:
    """What the central directory says about an OOXML/ODF package, read before any XML."""
    kind: str                                  # 'xlsx' | 'xlsm' | 'xlsb' | 'ods'
    workbook_part: str | None                  # e.g. 'xl/workbook.xml'
    names: set[str] = field(default_factory=set)
    sizes: dict[str, int] = field(default_factory=dict)


def inspect_zip(src) -> ZipFacts:
    """Read the central directory of a ``source.Source``; refuse a damaged zip, a bomb, or a zip that
    is not a workbook."""
    path = src.path
    try:
        zf = src.zip
        infos = zf.infolist()
        names = {i.filename for i in infos}
        facts = _package_kind(path, zf, names)
    except zipfile.BadZipFile as exc:
        raise input_error(path, "reading.zip_damaged") from exc
    except (OSError, EOFError, ValueError, KeyError, NotImplementedError) as exc:
        raise input_error(path, "reading.damaged", error=type(exc).__name__) from exc
    if len(infos) > MAX_PARTS:
        raise input_error(path, "reading.too_many_parts", n=len(infos), limit=MAX_PARTS)
    total = 0
    for i in infos:
        total += i.file_size
        facts.sizes[i.filename] = i.file_size
        ratio = i.file_size / max(i.compress_size, 1)
        if i.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise input_error(path, "reading.zip_ratio", part=i.filename, ratio=ratio, size=_mb(i.file_size))
        if i.file_size > MAX_PART_BYTES:
            raise input_error(path, "reading.part_too_large", part=i.filename, size=_mb(i.file_size),
                              limit=_mb(MAX_PART_BYTES))
    if total > MAX_TOTAL_BYTES:
        raise input_error(path, "reading.zip_too_large", size=_mb(total), limit=_mb(MAX_TOTAL_BYTES))
    facts.names = names
    return facts


def _package_kind(path: str, zf: zipfile.ZipFile, names: set[str]) -> ZipFacts:
    if "mimetype" in names:
        mime = zf.read("mimetype")[:100].decode("ascii", "replace").strip()
        if mime == "application/vnd.oasis.opendocument.spreadsheet":
            return ZipFacts("ods", None)
        if mime.startswith("application/vnd.oasis.opendocument"):
            raise input_error(path, "reading.opendocument", kind=mime.rsplit('.', 1)[-1])
    part = _office_document(zf, names)
    if part is None:
        if "word/document.xml" in names:
            raise input_error(path, "reading.word")
        if "ppt/presentation.xml" in names:
            raise input_error(path, "reading.powerpoint")
        raise input_error(path, "reading.no_workbook")
    if part.endswith(".bin"):
        return ZipFacts("xlsb", part)
    macro = "xl/vbaProject.bin" in names or path.lower().endswith(".xlsm")
    return ZipFacts("xlsm" if macro else "xlsx", part)


def _office_document(zf: zipfile.ZipFile, names: set[str]) -> str | None:
    """The workbook part named by _rels/.rels (officeDocument), or the usual one if present."""
    if "_rels/.rels" in names:
        from defusedxml.ElementTree import fromstring
        try:
            root = fromstring(zf.read("_rels/.rels")[:1_000_000], forbid_dtd=True)
        except Exception:  # NB: a damaged .rels falls back to the usual part name
            root = None
        if root is not None:
            for rel in root:
                if rel.get("Type", "").endswith("/officeDocument"):
                    target = posixpath.normpath(rel.get("Target", "").lstrip("/"))
                    if target in names:
                        return target
    for cand in ("xl/workbook.xml", "xl/workbook.bin"):
        if cand in names:
            return cand
    return None


# ----------------------------------------------------------------------------------------- output

class OverInput(ValueError):
    """An output asked for at the input's own path."""


def output_path(input_path, out_path) -> "os.PathLike":
    """The path a copy of ``input_path`` asked for at ``out_path`` is written to: a legacy .xls input (or
    any non-Excel suffix) is written as .xlsx. Refuses (``OverInput``) the input itself, whatever the
    path's spelling (a link, '..', another case on a case-insensitive disk)."""
    from pathlib import Path
    out = Path(out_path)
    if out.suffix.lower() not in (".xlsx", ".xlsm"):
        out = out.with_suffix(".xlsx")
    if same_file(input_path, out):
        raise OverInput(f"refusing to write the output over the input: {out}")
    return out


def same_file(a, b) -> bool:
    """Do the two paths name one existing file?"""
    return os.path.exists(a) and os.path.exists(b) and os.path.samefile(a, b)


def _umask() -> int:
    m = os.umask(0)
    os.umask(m)
    return m


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str | None = None, encoding: str | None = None,
                 newline: str | None = None, *, tag: str | None = None) -> Iterator:
    """Write ``path`` all at once: a temp file in the same folder, fsync, then ``os.replace``.

    Without ``mode`` it yields the temporary file's **path** (for writers that want a filename,
    such as ``openpyxl.Workbook.save`` or ``xlsxwriter.Workbook``); with ``mode`` ('w', 'wb', …)
    it yields an open file object. On any exception — KeyboardInterrupt included — the temp file
    is removed, the target is left as it was, and the exception propagates::

        with atomic_write("checked.xlsx") as tmp:
            wb.save(tmp)
        with atomic_write("findings.csv", "w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(rows)

    ``tag`` goes into the temp file's name (``.name.tmp-<tag>-…``) so that a batch can find and remove
    what a killed worker, whose ``finally`` never ran, left behind.
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    base = os.path.basename(path)
    ext = os.path.splitext(base)[1]
    # NB: keep the real extension last: some writers (xlsxwriter, openpyxl) look at it.
    prefix = f".{base}.tmp-{tag}-" if tag else f".{base}."
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=f".part{ext}")
    fh = None
    try:
        if mode is None:
            os.close(fd)
            fd = -1
            yield tmp
        else:
            fh = os.fdopen(fd, mode, encoding=encoding, newline=newline) if "b" not in mode else os.fdopen(fd, mode)
            fd = -1
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
            fh.close()
        if mode is None:
            with open(tmp, "rb") as done:
                os.fsync(done.fileno())
        os.chmod(tmp, 0o666 & ~_umask())   # NB: mkstemp makes 0600; outputs get the usual mode
        os.replace(tmp, path)
        tmp = None
        with contextlib.suppress(OSError):  # NB: make the rename itself durable (POSIX)
            dfd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
    finally:
        if fd != -1:
            os.close(fd)
        if fh is not None and not fh.closed:
            fh.close()
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


# ----------------------------------------------------------------------------------------- text out

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def inert_text(value):
    """A workbook's text made safe for a CSV or a written cell: never read as a formula.

    Text starting with ``= + - @`` (or a tab/CR) gets a leading apostrophe, the OWASP advice for
    CSV injection; numbers and everything else pass unchanged. Use for any text taken from a
    user's workbook (names, labels) that we write into findings.csv or summary.xlsx.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
