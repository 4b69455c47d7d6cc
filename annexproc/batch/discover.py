"""Finding the workbooks: folders walked in order, .zip members read in place (GBK names decoded),
lock, hidden and system files skipped, zip bombs refused by size and ratio caps."""
from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from typing import Iterable, Iterator

from ..words import both, say

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
#: Largest uncompressed workbook taken out of a .zip. A station's annexes are well under 5 MB; a
#: member above this is refused as a probable zip bomb rather than written to disk.
MAX_MEMBER_BYTES = 64 << 20
#: Largest sum of uncompressed workbook members taken from one .zip.
MAX_ZIP_TOTAL_BYTES = 1 << 30
#: A member compressed more than this many times over (and above 1 MB) is refused: real .xlsx
#: files are themselves compressed and shrink little more.
MAX_RATIO = 200
#: Most entries listed from one .zip; the rest is refused with one row.
MAX_ZIP_ENTRIES = 5000
#: Files every desktop leaves in folders; skipped like lock files (not reported as unreadable).
SYSTEM_FILES = {"thumbs.db", "desktop.ini", "ehthumbs.db"}


@dataclass(frozen=True)
class Source:
    """One workbook to check: a file, or a member of a .zip read in place."""
    display: str                       # what the user sees: the path, or 'stations.zip/逢源街/附件.xlsx'
    path: str                          # the file on disk (the archive, for a member)
    name: str                          # the basename the annotated copy is named after
    member: int | None = None          # index of the member in the archive's infolist()
    size: int = 0                      # declared uncompressed size of a member
    problem: tuple[str, str] | None = None   # (zh, en): why it cannot be checked at all

    @property
    def checkable(self) -> bool:
        return self.problem is None


def decode_member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its author typed it, whichever tool made the archive.

    With the UTF-8 flag (0x800) zipfile decodes right. Without it zipfile decodes cp437, which is
    wrong for archives made by Windows in China (names in GBK). We undo cp437 and decode: first an
    Info-ZIP Unicode Path field (0x7075) if present, then UTF-8, then GB18030 (a superset of GBK).
    NB: UTF-8 is tried before GBK on purpose (the brief said GBK first): GBK-encoded Chinese is
    almost never valid UTF-8 (lead bytes B0–F7 followed by another high byte break UTF-8's
    continuation rule), while UTF-8 Chinese is often *valid* GBK and would decode as mojibake.
    """
    if info.flag_bits & 0x800:
        return info.filename
    extra = info.extra
    i = 0
    while i + 4 <= len(extra):
        tag, size = int.from_bytes(extra[i:i + 2], "little"), int.from_bytes(extra[i + 2:i + 4], "little")
        if tag == 0x7075 and size >= 5 and extra[i + 4] == 1:
            try:
                return extra[i + 9:i + 4 + size].decode("utf-8")
            except UnicodeDecodeError:
                break
        i += 4 + size
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return info.filename


def _skip_reason(name: str) -> str | None:
    """'lock', 'hidden' or 'system' for a file or folder a batch passes over, else None."""
    if name.startswith("~$"):
        return "lock"
    if name.startswith("."):
        return "hidden"
    if name.lower() in SYSTEM_FILES:
        return "system"
    return None


def _is_workbook(name: str) -> bool:
    return name.lower().endswith(WORKBOOK_SUFFIXES)


def _not_workbook(display: str, path: str, name: str, out_name: str | None = None) -> Source:
    ext = os.path.splitext(name)[1]
    why = tuple(say("batch.not_workbook", lang, ext=ext or say("batch.no_ext", lang)) for lang in ("zh", "en"))
    return Source(display, path, out_name or name, problem=why)


def _zip_sources(path: str, display: str, skipped: list | None, max_member: int, max_total: int) -> Iterator[Source]:
    stem = os.path.splitext(os.path.basename(path))[0]
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        yield Source(display, path, os.path.basename(path), problem=both("batch.bad_zip", why=type(exc).__name__))
        return
    named = [(i, info, decode_member_name(info)) for i, info in enumerate(infos) if not info.is_dir()]
    named.sort(key=lambda t: t[2])
    total = 0
    for count, (i, info, name) in enumerate(named):
        if count == MAX_ZIP_ENTRIES:
            yield Source(display, path, stem, problem=both("batch.too_many", n=len(named), cap=MAX_ZIP_ENTRIES))
            return
        name = name.replace("\\", "/")
        parts = [p for p in name.split("/") if p not in ("", ".")]
        if not parts:
            continue
        shown = f"{display}/{'/'.join(parts)}"
        why = next((r for r in map(_skip_reason, parts) if r), None) or ("hidden" if parts[0] == "__MACOSX" else None)
        if why:
            if skipped is not None:
                skipped.append((shown, why))
            continue
        out_name = f"{stem}__{'_'.join(parts)}"
        if parts[-1].lower().endswith(".zip"):
            yield Source(shown, path, out_name, problem=both("batch.nested_zip"))
            continue
        if not _is_workbook(parts[-1]):
            yield _not_workbook(shown, path, parts[-1], out_name)
            continue
        problem = None
        if info.flag_bits & 0x1:
            problem = both("batch.encrypted")
        elif info.file_size > max_member:
            problem = both("batch.too_big", size=info.file_size, cap=max_member)
        elif info.file_size > (1 << 20) and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            problem = both("batch.ratio", ratio=info.file_size // max(info.compress_size, 1))
        elif total + info.file_size > max_total:
            problem = both("batch.zip_total", cap=max_total)
        else:
            total += info.file_size
        yield Source(shown, path, out_name, member=i, size=info.file_size, problem=problem)


def iter_workbooks(paths: Iterable[str], *, skipped: list | None = None, exclude: Iterable[str] = (),
                   max_member: int = MAX_MEMBER_BYTES, max_total: int = MAX_ZIP_TOTAL_BYTES) -> Iterator[Source]:
    """Every workbook under ``paths``, each once, in a stable order.

    A folder is searched recursively (sorted, symlinked folders not followed) for .xlsx/.xlsm/.xls/.ods;
    Office lock files (``~$…``), hidden files and folders and desktop junk (Thumbs.db) are skipped and,
    if ``skipped`` is a list, appended to it as ``(path, reason_key)``. Any other file in a folder is
    yielded with a ``problem`` — it becomes an "unreadable" row, so a misfiled annex is seen. A .zip
    (given, or found in a folder) is read in place: its members are yielded with ``member`` set;
    members over ``max_member`` bytes, or past ``max_total`` for the archive, are refused with a
    reason. Folders in ``exclude`` (the output folder) are not entered.
    """
    seen: set = set()
    excluded = {os.path.realpath(p) for p in exclude}

    def one_file(full: str, display: str, name: str) -> Iterator[Source]:
        key = os.path.realpath(full)
        if key in seen:
            return
        seen.add(key)
        if name.lower().endswith(".zip"):
            yield from _zip_sources(full, display, skipped, max_member, max_total)
        elif _is_workbook(name):
            yield Source(display, full, name)
        else:
            yield _not_workbook(display, full, name)

    def skip(path: str, why: str | None) -> bool:
        if why and skipped is not None:
            skipped.append((path, why))
        return why is not None

    for given in paths:
        given = os.fspath(given)
        if os.path.isdir(given):
            if os.path.realpath(given) in excluded:
                continue
            for root, dirs, files in os.walk(given):
                dirs[:] = [d for d in sorted(dirs) if not skip(os.path.join(root, d), _skip_reason(d))
                           and os.path.realpath(os.path.join(root, d)) not in excluded]
                for name in sorted(files):
                    full = os.path.join(root, name)
                    if skip(full, _skip_reason(name)) or not os.path.isfile(full):  # NB: sockets, fifos, dangling links
                        continue
                    yield from one_file(full, full, name)
        elif os.path.exists(given):
            # NB: a file named on the command line is checked as given, lock file or not
            yield from one_file(given, given, os.path.basename(given))
        else:
            yield Source(given, given, os.path.basename(given), problem=both("batch.missing", path=given))
