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
sentence; ``engine.check`` turns it into an RD01 finding and the CLI into exit status 2.
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


def input_error(path: str, zh: str, en: str, *, sheet: str | None = None, cell: str | None = None) -> AnnexInputError:
    """An AnnexInputError whose two sentences start with the file's name (and sheet/cell)."""
    where_zh = f"“{_name(path)}”"
    where_en = f"“{_name(path)}”"
    if sheet:
        where_zh += f"工作表“{sheet}”" + (f"的 {cell}" if cell else "")
        where_en += f", sheet “{sheet}”" + (f", cell {cell}" if cell else "")
    return AnnexInputError(f"{where_zh}：{zh}", message_en=f"{where_en}: {en}", path=path, sheet=sheet, cell=cell)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


# ----------------------------------------------------------------------------------------- sniffing

def too_large(path: str, size: int) -> AnnexInputError:
    return input_error(path, f"文件太大（{_mb(size)}，上限 {_mb(MAX_FILE_BYTES)}），附件表通常不足 1 MB。",
                       f"the file is too large ({_mb(size)}, limit {_mb(MAX_FILE_BYTES)}); an annex workbook is usually under 1 MB.")


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
    if kind == "empty":
        raise input_error(path, "文件是空的（0 字节），可能上传或复制未完成。",
                          "the file is empty (0 bytes); the upload or copy may not have finished.")
    if kind == "encrypted":
        raise input_error(path, "工作簿设置了打开密码（已加密），无法读取。请在 Excel 中取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后另存再提交。",
                          "the workbook is password-protected (encrypted) and cannot be read. Remove the password in Excel (File → Info → Protect Workbook → Encrypt with Password, clear it), save, and submit again.")
    if kind == "text":
        raise input_error(path, "这是一个文本文件（可能是 CSV 或网页导出改了扩展名），不是 Excel 工作簿。请在 Excel 或 WPS 中打开后“另存为” .xlsx。",
                          "this is a text file (perhaps a CSV or a web export renamed), not an Excel workbook. Open it in Excel or WPS and “Save as” .xlsx.")
    if kind == "unknown":
        raise input_error(path, "不是 Excel 工作簿（.xlsx 文件应为 zip 格式，此文件不是），文件可能已损坏或不是表格文件。",
                          "not an Excel workbook (an .xlsx file is a zip archive and this is not); the file may be damaged or not a spreadsheet.")


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
        raise input_error(path, "文件不完整或已损坏（zip 结构无法读取，可能下载或复制未完成）。请重新保存或重新下载后再提交。",
                          "the file is truncated or damaged (its zip structure cannot be read; a download or copy may not have finished). Save or download it again.") from exc
    except (OSError, EOFError, ValueError, KeyError, NotImplementedError) as exc:
        raise input_error(path, f"文件已损坏，无法读取（{type(exc).__name__}）。",
                          f"the file is damaged and cannot be read ({type(exc).__name__}).") from exc
    if len(infos) > MAX_PARTS:
        raise input_error(path, f"压缩包内有 {len(infos)} 个部件（上限 {MAX_PARTS}），不像正常的工作簿，已拒绝读取。",
                          f"the archive holds {len(infos)} parts (limit {MAX_PARTS}); not a normal workbook, refused.")
    total = 0
    for i in infos:
        total += i.file_size
        facts.sizes[i.filename] = i.file_size
        ratio = i.file_size / max(i.compress_size, 1)
        if i.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise input_error(path, f"部件 {i.filename} 的压缩比异常（{ratio:.0f} 倍，解压后 {_mb(i.file_size)}），疑似“压缩炸弹”，已拒绝读取。",
                              f"part {i.filename} has an abnormal compression ratio ({ratio:.0f}×, {_mb(i.file_size)} inflated); a likely zip bomb, refused.")
        if i.file_size > MAX_PART_BYTES:
            raise input_error(path, f"部件 {i.filename} 解压后有 {_mb(i.file_size)}（上限 {_mb(MAX_PART_BYTES)}），已拒绝读取。",
                              f"part {i.filename} inflates to {_mb(i.file_size)} (limit {_mb(MAX_PART_BYTES)}); refused.")
    if total > MAX_TOTAL_BYTES:
        raise input_error(path, f"解压后共 {_mb(total)}（上限 {_mb(MAX_TOTAL_BYTES)}），疑似“压缩炸弹”，已拒绝读取。",
                          f"it inflates to {_mb(total)} in all (limit {_mb(MAX_TOTAL_BYTES)}); a likely zip bomb, refused.")
    facts.names = names
    return facts


def _package_kind(path: str, zf: zipfile.ZipFile, names: set[str]) -> ZipFacts:
    if "mimetype" in names:
        mime = zf.read("mimetype")[:100].decode("ascii", "replace").strip()
        if mime == "application/vnd.oasis.opendocument.spreadsheet":
            return ZipFacts("ods", None)
        if mime.startswith("application/vnd.oasis.opendocument"):
            raise input_error(path, f"这是 OpenDocument 文档（{mime.rsplit('.', 1)[-1]}），不是电子表格。",
                              f"this is an OpenDocument {mime.rsplit('.', 1)[-1]} document, not a spreadsheet.")
    part = _office_document(zf, names)
    if part is None:
        if "word/document.xml" in names:
            raise input_error(path, "这是 Word 文档，不是 Excel 工作簿。", "this is a Word document, not an Excel workbook.")
        if "ppt/presentation.xml" in names:
            raise input_error(path, "这是 PowerPoint 演示文稿，不是 Excel 工作簿。", "this is a PowerPoint file, not an Excel workbook.")
        raise input_error(path, "这是一个 zip 压缩包，但里面没有 Excel 工作簿（缺少 xl/workbook.xml）。如是多个文件打包，请用 annexproc batch。",
                          "this is a zip archive but holds no Excel workbook (no xl/workbook.xml). For a zip of several files use `annexproc batch`.")
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
