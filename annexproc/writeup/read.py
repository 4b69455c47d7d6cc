"""Reading a written report (.docx, .pdf, .txt, .md) into numbered paragraphs, the page of each character kept.

A PDF's text comes as lines broken wherever the page was full, paragraphs running across pages, page
numbers in between (as in the source report): lines are joined back into paragraphs here, and a
figure split at a line's end ('17' / '57') is joined again. Word tables are not read (only paragraphs).
"""
from __future__ import annotations

import os
import re
import statistics
from dataclasses import dataclass, field

from ..words import say

SUFFIXES = (".docx", ".pdf", ".txt", ".md")


class ReportReadError(Exception):
    """The report file cannot be read: ``str(exc)`` says why, ``message_en`` in English."""

    def __init__(self, message: str, message_en: str | None = None):
        super().__init__(message)
        self.message_en = message_en or message


@dataclass
class Para:
    index: int                                          # 1-based, counting non-empty paragraphs
    text: str                                           # normalised: see ``normalise``
    pages: list[tuple[int, int]] = field(default_factory=list)   # (offset where a page starts, page number)

    def page_at(self, offset: int) -> int | None:
        page = None
        for start, p in self.pages:
            if start <= offset:
                page = p
        return page


_FULL = str.maketrans("０１２３４５６７８９％．，", "0123456789%.，")
_ASCII = re.compile(r"[A-Za-z0-9]")


def normalise(text: str) -> str:
    """Full-width digits to ASCII; whitespace dropped except one space between two ASCII letters or digits
    ('实到岗 133 次' → '实到岗133次', '16 8 10' stays three numbers)."""
    text = text.translate(_FULL)
    return re.sub(r"\s+", lambda m: " " if _between_ascii(m) else "", text).strip()


def _between_ascii(m: re.Match) -> bool:
    s, a, b = m.string, m.start(), m.end()
    return a > 0 and b < len(s) and bool(_ASCII.match(s[a - 1])) and bool(_ASCII.match(s[b]))


def _join(a: str, b: str) -> str:
    """Two lines of one paragraph: nothing between them, but a space between two words of English."""
    if a and b and a[-1].isascii() and a[-1].isalpha() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


_MARKER = re.compile(r"^\s*(#|（[一二三四五六七八九十\d]+）|\([一二三四五六七八九十\d]+\)|[一二三四五六七八九十]+、|"
                     r"\d+[.．、](?!\d)|[-*] )")
_PAGE_NO = re.compile(r"^\s*(?:[-—–]\s*)?\d{1,3}(?:\s*[-—–])?\s*$|^\s*第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?\s*$")
_ENDS = tuple("。：:！？!?）)”\"")


def paragraphs_from_lines(lines: list[tuple[str, int | None]], blank_breaks: bool | None = None) -> list[Para]:
    """Rebuild paragraphs from (line, page) pairs of wrapped text.

    A line starts a paragraph after a blank line (when blank lines separate paragraphs), when it opens
    with a list marker ('（2）', '2.', '一、', '#'), or when the line before was clearly shorter than a full
    line (a heading, or a paragraph's last line). Page-number lines are dropped.
    """
    lines = [(t, p) for t, p in lines if not _PAGE_NO.match(t)]
    def width(t: str) -> float:   # NB: as printed: spaces around figures vary, a digit is half a character
        t = re.sub(r"\s+", "", t)
        return len(t) - 0.5 * sum(1 for ch in t if ch.isascii())

    filled = [width(t) for t, _ in lines if t.strip()]
    if blank_breaks is None:   # NB: the source report's text has a blank line after every line: no breaks then
        gaps = sum(1 for i in range(1, len(lines)) if not lines[i][0].strip() and lines[i - 1][0].strip())
        blank_breaks = bool(filled) and gaps < 0.5 * len(filled)
    full = statistics.quantiles(filled, n=10)[-1] if len(filled) >= 2 else (filled[0] if filled else 0)
    ends = sum(1 for t, _ in lines if t.strip().endswith(_ENDS))
    # NB: one paragraph a line (nothing was wrapped): very long lines, or nearly every line ends a sentence
    unwrapped = full > 120 or (bool(filled) and ends >= 0.8 * len(filled))
    paras: list[list[tuple[str, int | None]]] = []
    prev, brk = "", True
    for text, page in lines:
        t = text.strip()
        if not t:
            brk = brk or blank_breaks
            continue
        short = width(prev) < 0.6 * full or (prev.endswith(_ENDS) and width(prev) < 0.85 * full)  # a heading, a last line
        split = bool(re.search(r"[\d.]$", prev) and re.match(r"[\d.%]", t))   # a figure broken across the line
        new = not split and (brk or unwrapped or short or bool(_MARKER.match(t)))
        if new or not paras:
            paras.append([])
        paras[-1].append((t, page))
        prev, brk = t, False
    out = []
    for chunk in paras:
        text, pages = "", []
        for t, page in chunk:
            t = normalise(t)
            if page is not None and (not pages or pages[-1][1] != page):
                pages.append((len(text), page))
            text = _join(text, t)
        if text:
            out.append(Para(len(out) + 1, text, pages))
    return out


def read_report(path: str) -> list[Para]:
    """The report's paragraphs; raises ReportReadError for a file that cannot be read."""
    ext = os.path.splitext(path)[1].lower()
    if ext not in SUFFIXES:
        raise ReportReadError(*(say("writeup.unsupported", lang, ext=ext or say("writeup.no_ext", lang),
                                    suffixes=say("grammar.list", lang).join(SUFFIXES)) for lang in ("zh", "en")))
    try:
        if ext == ".docx":
            return _docx(path)
        if ext == ".pdf":
            return _pdf(path)
        with open(path, encoding="utf-8-sig") as fh:
            text = fh.read()
    except ReportReadError:
        raise
    except (OSError, UnicodeDecodeError, ValueError, KeyError) as exc:
        raise ReportReadError(f"{type(exc).__name__}: {exc}") from None
    except Exception as exc:  # NB: python-docx and pypdf raise their own kinds for a damaged file
        raise ReportReadError(f"{type(exc).__name__}: {exc}") from None
    lines = text.splitlines()
    if ext == ".md":   # NB: tables and fenced code are not prose; blank lines separate paragraphs
        lines = [re.sub(r"^\s*#+\s*", "", ln).replace("**", "") for ln in lines if not ln.lstrip().startswith("|")]
        return paragraphs_from_lines([(ln, None) for ln in lines], blank_breaks=True)
    return paragraphs_from_lines([(ln, None) for ln in lines])


def _docx(path: str) -> list[Para]:
    from docx import Document
    doc = Document(path)
    out = []
    for p in doc.paragraphs:
        parts = [normalise(x) for x in p.text.split("\n")]   # NB: a soft line break (w:br) reads as '\n'
        text = ""
        for part in parts:
            text = _join(text, part)
        if text:
            out.append(Para(len(out) + 1, text))
    return out


def _pdf(path: str) -> list[Para]:
    from pypdf import PdfReader
    reader = PdfReader(path)
    lines: list[tuple[str, int | None]] = []
    for number, page in enumerate(reader.pages, start=1):
        lines += [(ln, number) for ln in (page.extract_text() or "").splitlines()]
    return paragraphs_from_lines(lines)
