"""Reading the evidence stations write in their own cell comments (批注): pure functions, no workbook.

Comments are typed by hand: figures with labels (``电访 6752``), hand arithmetic (``88+155+…=1021``,
``8485-6041=2417``), month-by-month differences of a cumulative counter (``202407 6041-3960=2081``),
lists of cases by month (``202406 林晓雨``), lists of names (``林晓雨 周子涵 …``) and headed lists
(``建档人数：`` then ``第一：666``). Every parser takes the comment text (full-width characters allowed)
and never raises; callers decide what to compare with what. Texts are NFKC-normalised first, so spans
refer to the normalised text (``norm(text)``).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_NUM = r"\d+(?:\.\d+)?"
_ARITH = re.compile(rf"({_NUM})((?:\s*[+\-]\s*{_NUM})+)\s*=\s*({_NUM})")
_TERM = re.compile(rf"([+\-])\s*({_NUM})")
_MONTH = re.compile(r"^\s*(\d{4})\s*(?:[.\-/年]\s*)?(\d{1,2})\s*月?(?=\s|$|[:：])")
_NAME = re.compile(r"^(?P<name>[\u4e00-\u9fff·]{2,5}?)(?:\((?P<note>[^)]*)\)|(?P<half>0?\.5|1⁄2|半)人?)?$")
_NAME_SPLIT = re.compile(r"[\s、,;/]+")
_HALF_NOTE = re.compile(r"0?\.5|1⁄2|半")
#: Words that are labels or roles, not people (a list may say '社工：' or '片区主管：').
_NOT_NAMES = ("片区", "社工", "主管", "站长", "主任", "督导", "人员", "名单", "合计", "共计", "服务站", "小组")
_ORG = re.compile(r"(社工|服务站|服务中心|中心|站)$")


def norm(text: str | None) -> str:
    """NFKC (full-width digits, ＋, ＝ and brackets to half-width), Windows line ends to \\n."""
    if not text:
        return ""
    return unicodedata.normalize("NFKC", str(text)).replace("\r\n", "\n").replace("\r", "\n")


def _f(x: str) -> float:
    return float(x)


@dataclass(frozen=True)
class Arithmetic:
    """``a+b+…=c`` or ``a-b=c`` as written: ``terms`` signed, ``computed`` their sum."""
    terms: tuple[float, ...]
    stated: float
    computed: float
    span: tuple[int, int]
    text: str

    @property
    def ok(self) -> bool:
        return abs(self.computed - self.stated) < 1e-9

    def __iter__(self):  # NB: unpacks as the (terms, stated_result, computed, span) the brief names
        return iter((self.terms, self.stated, self.computed, self.span))


def parse_arithmetic(text: str | None) -> list[Arithmetic]:
    """Every ``a±b±…=c`` in the text, with what it really adds up to."""
    t = norm(text)
    out = []
    for m in _ARITH.finditer(t):
        terms = [_f(m.group(1))] + [(_f(n) if s == "+" else -_f(n)) for s, n in _TERM.findall(m.group(2))]
        total = 0.0
        for x in terms:
            total += x
        out.append(Arithmetic(tuple(terms), _f(m.group(3)), round(total, 9), m.span(), m.group(0)))
    return out


def _yyyymm(y: str, m: str) -> str | None:
    yi, mi = int(y), int(m)
    if not (1900 <= yi <= 2100 and 1 <= mi <= 12):
        return None
    return f"{yi:04d}{mi:02d}"


def parse_month_list(text: str | None) -> list[tuple[str, str]]:
    """Lines ``YYYYMM name`` (also ``2024.06 name``, ``2024年6月 name``) → [('202406', 'name'), …].

    Lines whose rest starts with a figure (``202407 6041-3960=2081``) are counter lines, not items.
    """
    out = []
    for line in norm(text).split("\n"):
        m = _MONTH.match(line)
        if not m:
            continue
        ym = _yyyymm(m.group(1), m.group(2))
        rest = line[m.end():].strip().lstrip(":：").strip()
        if ym is None or not rest or re.match(r"^[\d+\-=.]", rest):
            continue
        out.append((ym, rest))
    return out


@dataclass(frozen=True)
class CounterLine:
    """``YYYYMM a-b=c`` (a difference of a cumulative counter) or ``YYYYMM a`` (its first value)."""
    month: str
    line_no: int
    value: float                 # the counter's reading that month (a), or the plain figure
    subtracted: float | None     # b, when the line is a difference
    stated: float | None         # c as written
    text: str


def parse_counter_lines(text: str | None) -> list[CounterLine]:
    out = []
    for i, line in enumerate(norm(text).split("\n")):
        m = _MONTH.match(line)
        if not m:
            continue
        ym = _yyyymm(m.group(1), m.group(2))
        rest = line[m.end():].strip()
        if ym is None:
            continue
        d = re.match(rf"^({_NUM})\s*-\s*({_NUM})\s*=\s*({_NUM})\s*$", rest)
        if d:
            out.append(CounterLine(ym, i, _f(d.group(1)), _f(d.group(2)), _f(d.group(3)), line.strip()))
            continue
        p = re.match(rf"^({_NUM})\s*$", rest)
        if p:
            out.append(CounterLine(ym, i, _f(p.group(1)), None, None, line.strip()))
    return out


def chain_breaks(lines: list[CounterLine]) -> list[tuple[CounterLine, float]]:
    """Differences that do not subtract the previous month's counter reading: [(line, expected b)].

    A chain runs over consecutive lines of consecutive months; a gap (``202403`` then ``202405``) or
    a plain figure starts a new one (the plain figure is its first reading).
    """
    out = []
    for prev, cur in zip(lines, lines[1:]):
        if cur.subtracted is None or cur.line_no != prev.line_no + 1 or not _next_month(prev.month, cur.month):
            continue
        if abs(cur.subtracted - prev.value) > 1e-9:
            out.append((cur, prev.value))
    return out


def _next_month(a: str, b: str) -> bool:
    y, m = int(a[:4]), int(a[4:])
    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return b == f"{y:04d}{m:02d}"


@dataclass
class Section:
    """Labelled figures under one heading (``None`` for the comment's opening lines)."""
    heading: str | None
    items: list[tuple[str, float, "Arithmetic | None"]] = field(default_factory=list)


_ITEM = re.compile(rf"^([^\d\s:：][^\d:：]*?)\s*[:：]?\s*((?:{_NUM})(?:\s*[+\-]\s*{_NUM})*(?:\s*=\s*{_NUM})?)\s*$")


def strip_author(text: str | None, author: str | None = None) -> str:
    """The comment without its first line when that line is the author's name (Excel writes it)."""
    t = norm(text)
    lines = t.split("\n")
    if lines:
        head = lines[0].strip().rstrip(":：").strip()
        if head and ((author and head == norm(author).strip()) or (_ORG.search(head) and not re.search(r"\d", head))):
            return "\n".join(lines[1:])
    return t


def parse_labelled_figures(text: str | None, author: str | None = None) -> list[Section]:
    """Sections of ``label figure`` lines: the opening lines, then one per ``heading：`` line.

    A blank line ends a headed section (later items go back to no heading). A figure written as
    arithmetic counts as its stated result; month lines (``202406 …``) are not items.
    """
    t = strip_author(text, author)
    sections = [Section(None)]
    for line in t.split("\n"):
        s = line.strip()
        if not s:
            if sections[-1].heading is not None:
                sections.append(Section(None))
            continue
        if _MONTH.match(s):
            continue
        if s.endswith((":", "：")) and not re.search(r"\d", s):
            sections.append(Section(s.rstrip(":：").strip()))
            continue
        m = _ITEM.match(s)
        if not m:
            continue
        figure = m.group(2)
        ar = parse_arithmetic(figure)
        value = ar[0].stated if ar else _f(re.match(_NUM, figure).group(0))
        sections[-1].items.append((m.group(1).strip(), value, ar[0] if ar else None))
    return [s for s in sections if s.items]


@dataclass(frozen=True)
class Listed:
    """A person a comment lists, and whether a 0.5 is marked beside the name."""
    name: str
    half: bool


def _listed_lines(text: str | None, author: str | None) -> list[list[Listed]]:
    out = []
    for line in strip_author(text, author).split("\n"):
        # NB: '林晓雨（0.5 人）' is one token: spaces inside brackets go before splitting
        line = re.sub(r"\(([^)]*)\)", lambda m: "(" + re.sub(r"\s+", "", m.group(1)) + ")", line)
        found = []
        for tok in _NAME_SPLIT.split(line):
            tok = tok.strip(".。")
            if ":" in tok:
                tok = tok.rsplit(":", 1)[1]      # NB: '社工:林晓雨' — the label is not a person
            m = _NAME.match(tok)
            if not m or any(w in m["name"] for w in _NOT_NAMES):
                continue
            half = bool(m["half"]) or bool(m["note"] and _HALF_NOTE.search(m["note"]))
            found.append(Listed(m["name"], half))
        if found:
            out.append(found)
    return out


def listed_names(text: str | None, author: str | None = None) -> list[Listed]:
    """The people a comment lists (a 投入社工人数 district list), in order, repeats kept.

    A name is 2 to 5 Chinese characters; '(0.5)', '（0.5 人）', '0.5' or '半' after it marks a half
    count; other notes in brackets, labels ('社工：'), roles, figures and the author line are skipped.
    """
    return [n for line in _listed_lines(text, author) for n in line]


def parse_name_lists(text: str | None, author: str | None = None) -> list[list[str]]:
    """The names of ``listed_names``, line by line: [['林晓雨', '周子涵', …], …]."""
    return [[n.name for n in line] for line in _listed_lines(text, author)]
