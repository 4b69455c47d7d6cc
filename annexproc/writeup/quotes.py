"""Finding the figures a report quotes, and which annex figure each one names (Chinese reports).

A figure is named by the words around it, in the evaluators' phrasing: the *subject* (the last
indicator word before it in the sentence — '持证社工', '红棉热线服务', '小组' — or right after its
unit: '24 个个案'), the words just before it ('应配备', '实到岗', '接案') and its unit ('节', '人次').
A list of percentages after '（分别）完成协议指标量的' names, in order, the counts quoted before it in
the sentence. A heading or sentence naming a district ('片区三', '第二片区') makes its figures that
district's. A figure no rule names is not compared (counted in the RP03 note).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .read import Para

#: Indicator words, most specific first (a match hides the shorter ones inside it).
SUBJECTS = (
    ("total_staff", r"社工[（(]含[^）)]*[）)]|全体社工"),
    ("uncertified", r"非持证社工"),
    ("certified", r"持证社工"),
    ("level.senior", r"高级社工师|高级社会工作师"),
    ("level.assistant", r"助理级社工师|助理社工师|助理社会工作师"),
    ("level.mid", r"中级社工师|中级社会工作师|社会工作师|社工师"),
    ("two_year", r"[2两二]年以上"),
    ("stable", r"稳岗率|持续稳定在岗|持续在岗"),
    ("sentence:filed_households", r"建档总户数"),
    ("sentence:filed_people", r"建档人数"),
    ("sentence:visit_people_times", r"入户探访总人[数次]"),
    ("sentence:visit_people", r"服务总人数"),
    ("sentence:served_people_times", r"共服务社区居民"),
    ("filing", r"建档"),
    ("hotline", r"红棉热线服务|热线服务|电访"),
    ("visit", r"家庭探视|入户探访|探访"),
    ("case", r"个案"),
    ("group", r"(?<!服务)小组"),
    ("large", r"大型社区活动|大型活动"),
    ("medium", r"中型社区活动|中型活动"),
    ("small", r"小型社区活动|小型活动"),
    ("policy", r"政策宣传"),
    ("target:five.charity", r"党建引领慈善活动"),
    ("target:five.needs", r"摸查需求"),
    ("target:five.org", r"社区社会组织"),
    ("target:five.brand", r"五社联动品牌项目"),
    ("target:five.meeting", r"居委会沟通会议?"),
    ("target:vol.backbone", r"社区骨干|志愿者骨干"),
    ("target:vol.teams", r"志愿者团体"),
    ("target:vol.people", r"个人志愿者"),
    ("target:vol.active", r"活跃志愿者团队"),
    ("target:public.issues", r"社区公共问题"),
    ("target:typical_cases", r"典型案例"),
    ("target:training_hours", r"专业培训"),
    ("target:meetings", r"项目会议"),
    ("target:evaluations", r"项目评估"),
    ("target:newsletter", r"半年刊"),
)
_SUBJECTS = [(k, re.compile(p)) for k, p in SUBJECTS]

#: Subject → (measure, unit pattern the figure must be followed by, words before it); first match wins.
MEASURES = {
    "filing": (("filing.count", r"个|户|人|份", None),),
    "hotline": (("hotline.count", r"次|人次|个|通", None),),
    "visit": (("visit.count", r"户|人次|次", None),),
    "case": (("case.intake", r"个|宗", r"接案"), ("case.sessions", r"节", None), ("case.closed", r"个|宗", r"结案"),
             ("case.intake", r"个|宗", None)),
    "group": (("group.sessions", r"节", None), ("group.people", r"人次|人", None), ("group.people", r"", r"人次"),
              ("group.count", r"个|组", None)),
}
for _a in ("large", "medium", "small", "policy"):
    MEASURES[_a] = ((f"{_a}.people", r"人次|人", None), (f"{_a}.people", r"", r"人次"),
                    (f"{_a}.times", r"个|次|场|项", None))

STAFF_WORDS = (("required", r"应配备|应到岗|不少于|应配"), ("actual", r"实到"), ("surplus", r"超配|多配"),
               ("shortfall", r"缺配|少配|不足"))
TARGET_UNITS = r"个|次|名|支|项|场|小时|期|份|人|户"
COMPLETION = re.compile(r"完成(?:了)?(?:协议)?指标(?:量)?的?$|完成率(?:为|达)?$|完成(?:了)?协议的?$|协议指标量的$")
LIST_SEP = re.compile(r"^[，,、和及与]$")
_NUM = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(%)?")
_DISTRICT = re.compile(r"片区[一二三四五六七八九十\d]+|第[一二三四五六七八九十\d]+片区")
_SENTENCE = re.compile(r"[^。；;！？!?]+[。；;！？!?]?")


@dataclass(frozen=True)
class Quote:
    """One figure a report quotes, and the annex figure it names (``key``, a facts key)."""
    key: str
    value: float             # as written (a percentage as its number: 67.91)
    text: str                # '133', '67.91%'
    pct: bool
    places: int              # decimals written
    words: str               # the figure with the words around it: '实到岗 133 次'
    sentence: str
    para: Para
    offset: int
    negated: bool = False    # '缺配 3 人次' gives the surplus as -3


@dataclass
class Scan:
    quotes: list[Quote]
    unnamed: list[tuple[Para, str]]    # figures no rule names (paragraph, text)


def _subjects(text: str) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    for key, rx in _SUBJECTS:
        for m in rx.finditer(text):
            if not any(a < m.end() and m.start() < b for a, b, _ in spans):
                spans.append((m.start(), m.end(), key))
    return sorted(spans)


def _district(text: str) -> int | None:
    from ..annex2.roster import districts_of
    found = _DISTRICT.findall(text)
    nums = districts_of(found[-1]) if found else ()
    return nums[0] if nums else None


def _is_heading(p: Para) -> bool:
    return len(p.text) <= 40 and not p.text.endswith(("。", "；"))


def scan(paras: list[Para]) -> Scan:
    """Every figure the paragraphs quote that a rule names, in reading order."""
    out = Scan([], [])
    section = None
    for p in paras:
        if _is_heading(p):
            # NB: '3.片区三社工点服务情况' opens a district's section; the next numbered heading closes it
            d = _district(p.text)
            if d is not None or re.match(r"^[一二三四五六七八九十]+、|^（[一二三四五六七八九十]+）|^\d+[.．]|^附件", p.text):
                section = d
        for sm in _SENTENCE.finditer(p.text):
            _sentence(out, p, sm.group(0), sm.start(), section)
    return out


def _sentence(out: Scan, p: Para, s: str, at: int, section: int | None) -> None:
    subjects = _subjects(s)
    nums = [m for m in _NUM.finditer(s) if not _skipped(s, m, at)]
    pending: list[str] = []             # count keys a percentage list may refer back to
    plist: list[tuple[re.Match, str, str]] = []

    def flush():
        if plist:
            # NB: '分别完成…的 a，b，c' names the counts in order from the first; a lone rate names the last count
            in_turn = "分别" in plist[0][1] or len(plist) >= len(pending)
            refs = pending[:len(plist)] if in_turn else pending[-len(plist):]
            for (m, before, after), ref in zip(plist, refs):
                out.quotes.append(_quote(f"{ref}|pct", m, s, before, after, p, at))
            for m, before, after in plist[len(refs):]:
                out.unnamed.append((p, m.group(0)))
            plist.clear()
            pending.clear()

    prev_end = 0
    for i, m in enumerate(nums):
        before = s[prev_end:m.start()]
        after = s[m.end():nums[i + 1].start() if i + 1 < len(nums) else len(s)]
        prev_end = m.end()
        d = _district(s[:m.start()])
        district = d if d is not None else section
        subject = next((k for a, b, k in reversed(subjects) if b <= m.start()), None)
        after_subject = next((k for a, b, k in subjects if a >= m.end() and
                              re.fullmatch(rf"(?:{TARGET_UNITS}|节)?", s[m.end():a])), None)
        if m.group(2):
            if COMPLETION.search(before) or (plist and LIST_SEP.match(before)):
                plist.append((m, before, after))
                continue
            flush()
            key = _pct_key(subject, before)
        else:
            flush()
            key, neg = _count_key(subject or after_subject, before, after, district)
            if key is not None:
                if "|" in key:      # NB: an annex 1 count: a percentage list may refer back to it
                    pending.append(key)
                out.quotes.append(_quote(key, m, s, before, after, p, at, neg))
                continue
        if key is not None:
            out.quotes.append(_quote(key, m, s, before, after, p, at))
        else:
            out.unnamed.append((p, m.group(0)))
    flush()


def _skipped(s: str, m: re.Match, at: int) -> bool:
    """Dates, years of practice, list markers, annex numbers: not figures."""
    nxt, prv = s[m.end():m.end() + 1], s[max(0, m.start() - 2):m.start()]
    if nxt in ("年", "月", "日", "岁", "号", "元", "万") or prv.endswith(("年", "月", "附件", "第", "片区")):
        return True
    if re.search(r"附件\s*\d+[-－—]$", s[:m.start()]):     # '附件1-2'
        return True
    if prv.endswith(("（", "(")) and nxt in ("）", ")"):
        return True
    return at + m.start() == 0 and nxt in (".", "．", "、")


def _pct_key(subject: str | None, before: str) -> str | None:
    if re.search(r"稳岗率[^，,；;。\d%*/]{0,4}$", before):
        return "stable_rate"
    if subject == "two_year" and re.search(r"占[^，,；;。\d%]*$", before):
        return "two_year_share"
    return None


def _unit(after: str, units: str) -> bool:
    # NB: no unit at all only where the clause goes on ('人次 997，'): not in a table's row of numbers
    return bool(re.match(rf"(?:{units})", after)) if units else bool(re.match(r"[，,、；;。）)]|$", after))


def _count_key(subject: str | None, before: str, after: str, district: int | None) -> tuple[str | None, bool]:
    where = f"d{district}" if district is not None else "合计"
    if re.match(r"个?考核月", after):
        return ("months" if district is None else None), False
    if re.match(r"[名位]社工持续(?:稳定)?在岗", after):
        return ("stable_workers" if district is None else None), False
    if re.search(r"(?:共计|合计|投入(?:符合资质的)?社工|共配备了?)$", before) and re.match(r"[名位人]", after):
        return ("workers" if district is None else f"{where}|staff"), False
    if subject in ("certified", "total_staff", "two_year") and district is None:
        word = next((w for w, rx in STAFF_WORDS if re.search(rx, before)), None)
        if subject == "two_year":
            return ("two_year" if word == "actual" else None), False
        names = {"certified": ("required_certified", "certified", "certified_diff"),
                 "total_staff": ("required", "total", "total_diff")}[subject]
        pick = {"required": names[0], "actual": names[1], "surplus": names[2], "shortfall": names[2]}
        return (pick.get(word) if word else None), word == "shortfall"
    if subject and (subject.startswith("level.") or subject == "uncertified") and re.match(r"[名位人]", after):
        key = "level.uncertified" if subject == "uncertified" else subject
        return (key if district is None else None), False
    if subject in MEASURES:
        for measure, units, words in MEASURES[subject]:
            if (words is None or re.search(words, before)) and _unit(after, units):
                return f"{where}|{measure}", False
        return None, False
    if subject and subject.startswith("sentence:") and district is None and re.match(r"[户人个]", after):
        return f"sentence|{subject[9:]}", False
    if subject and subject.startswith("target:") and district is None and re.match(rf"(?:{TARGET_UNITS})", after):
        return f"target|{subject[7:]}", False
    return None, False


def _quote(key, m, s, before, after, p: Para, at: int, negated: bool = False) -> Quote:
    text = m.group(0)
    lead = re.split(r"[，,、；;：:。]", before)[-1][-12:]
    unit = re.match(r"(?:人次|小时|[个次节户名人份场项位支宗通组])?", after).group(0) if not m.group(2) else ""
    words = " ".join(x for x in (lead, text, unit) if x)
    places = len(m.group(1).split(".")[1]) if "." in m.group(1) else 0
    return Quote(key, float(m.group(1)), text, bool(m.group(2)), places, words, s.strip(), p, at + m.start(),
                 negated)
