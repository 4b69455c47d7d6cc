"""How a person means a cell: numbers, numeric text, full-width digits, `/`, dashes, ticks, units."""
from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from enum import Enum
from typing import Any


class Kind(str, Enum):
    NUMBER = "number"
    NA = "na"          # '/': the indicator does not apply
    BLANK = "blank"
    DASH = "dash"      # '——', '—', '-': not employed that month / nothing
    TICK = "tick"      # '√' (also '✓', '✔', '☑')
    ERROR = "error"    # '#DIV/0!', '#REF!' …
    DATE = "date"
    TEXT = "text"      # anything else


class Note(str, Enum):
    """Why a reading deserves a word even though it was understood."""
    NUMERIC_TEXT = "numeric_text"    # '765' typed as text
    FULLWIDTH = "fullwidth"          # '７６５'
    PERCENT_TEXT = "percent_text"    # '127.50%' typed as text
    UNIT = "unit"                    # '1965次', '6人'
    ALT_TICK = "alt_tick"            # '✓' where the formulas look for '√'
    ALT_NA = "alt_na"                # '／' or '\' for '/'


#: The one map from a reading note to the rule that says it (both annexes): '1次' is RD04 wherever it stands.
NOTE_RULE = {"numeric_text": "RD05", "fullwidth": "RD13", "percent_text": "RD12", "unit": "RD04"}


@dataclass(frozen=True, slots=True)
class Reading:
    kind: Kind
    value: float | None = None
    note: Note | None = None
    raw: Any = None

    @property
    def is_number(self) -> bool:
        return self.kind is Kind.NUMBER

    @property
    def number(self) -> float:
        """The numeric value, 0 for anything that is not a number (as Excel's N())."""
        return self.value if self.kind is Kind.NUMBER else 0.0


TICKS = {"√": None, "✓": Note.ALT_TICK, "✔": Note.ALT_TICK, "☑": Note.ALT_TICK, "✅": Note.ALT_TICK}
DASHES = {"——", "—", "-", "--", "－", "–", "―", "——", "———", "— —"}
NAS = {"/": None, "／": Note.ALT_NA, "\\": Note.ALT_NA, "N/A": Note.ALT_NA, "n/a": Note.ALT_NA}
ERRORS = {"#DIV/0!", "#REF!", "#VALUE!", "#NAME?", "#N/A", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
UNITS = "次个人户节小时场份名位项支元人次"
_NUM = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_UNIT = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(人次|[次个人户节场份名位项支元]|小时)$")
_MAX_TEXT = 200  # NB: a cell of a million characters is judged on its head, in bounded time.


_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """NFKC (full-width → half-width), no spaces or line breaks: for comparing header texts.

    NB: cached: every locator normalises the same few hundred header and label texts again and again.
    """
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


def read(raw: Any) -> Reading:
    """Classify one cell value as a person means it. Never raises."""
    if raw is None:
        return Reading(Kind.BLANK, raw=raw)
    if isinstance(raw, bool):
        return Reading(Kind.TEXT, raw=raw)
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and not math.isfinite(raw):
            return Reading(Kind.TEXT, raw=raw)
        return Reading(Kind.NUMBER, float(raw), raw=raw)
    if isinstance(raw, (_dt.datetime, _dt.date, _dt.time)):
        return Reading(Kind.DATE, raw=raw)
    if type(raw) is str:
        return _read_text(raw, raw)
    return _read_text.__wrapped__(str(raw), raw)   # NB: an odd object (a timedelta …) is not cached


@lru_cache(maxsize=8192)
def _read_text(text: str, raw: Any) -> Reading:
    """``read`` of a text (cached: the same ticks, dashes and labels fill every sheet)."""
    s = text[:_MAX_TEXT].strip()
    if not s:
        return Reading(Kind.BLANK, raw=raw)
    if s in TICKS:
        return Reading(Kind.TICK, 1.0, TICKS[s], raw)
    if s in NAS:
        return Reading(Kind.NA, None, NAS[s], raw)
    if s in ERRORS:
        return Reading(Kind.ERROR, raw=raw)
    if s.replace(" ", "") in DASHES or set(s) <= set("—－-–― "):
        return Reading(Kind.DASH, raw=raw)
    half = unicodedata.normalize("NFKC", s).replace(",", "").replace(" ", "")
    note = Note.FULLWIDTH if half != s.replace(",", "").replace(" ", "") else Note.NUMERIC_TEXT
    if _NUM.match(half):
        return Reading(Kind.NUMBER, float(half), note, raw)
    if half.endswith("%") and _NUM.match(half[:-1]):
        return Reading(Kind.NUMBER, float(half[:-1]) / 100, Note.PERCENT_TEXT, raw)
    m = _UNIT.match(half)
    if m:
        return Reading(Kind.NUMBER, float(m.group(1)), Note.UNIT, raw)
    return Reading(Kind.TEXT, raw=raw)
