"""Excel's built-in number formats and which formats are dates, as openpyxl reads them.

The reader (xmlscan) must give a check exactly what ``openpyxl.load_workbook`` gives — a number in a
date format is a datetime, a cell's ``number_format`` is the code openpyxl would report — without
importing openpyxl (most of a plain check's start-up). These are openpyxl 3.1's tables and rules
(``openpyxl/styles/numbers.py``), copied; ``tests/test_native_reader.py`` compares both on real files.
"""
from __future__ import annotations

import datetime as _dt
import re

#: The ids Excel does not write out (0–49); the locale-dependent ids (27–36, 50–58 …) are absent,
#: as in openpyxl, and read as General.
BUILTIN = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)', 6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
    14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM",
    20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)", 39: "#,##0.00_);(#,##0.00)",
    40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
    42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}

_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')   # literals and [colour]/[$-locale]
_DATE_CHAR = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_TIMEDELTA = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)

_WINDOWS_EPOCH = _dt.datetime(1899, 12, 30)
_MAC_EPOCH = _dt.datetime(1904, 1, 1)


def is_date_format(fmt: str | None) -> bool:
    if fmt is None:
        return False
    return _DATE_CHAR.search(_STRIP.sub("", fmt.split(";")[0])) is not None


def is_timedelta_format(fmt: str | None) -> bool:
    if fmt is None:
        return False
    return _TIMEDELTA.search(fmt.split(";")[0]) is not None


def from_excel(value: float, date1904: bool = False, timedelta: bool = False):
    """An Excel serial number as openpyxl gives it: datetime, time (a fraction of a day) or timedelta."""
    if timedelta:
        td = _dt.timedelta(days=value)
        if td.microseconds:   # NB: millisecond precision, as openpyxl rounds
            td = _dt.timedelta(seconds=td.total_seconds() // 1, microseconds=round(td.microseconds, -3))
        return td
    epoch = _MAC_EPOCH if date1904 else _WINDOWS_EPOCH
    day, fraction = divmod(value, 1)
    diff = _dt.timedelta(milliseconds=round(fraction * 86400 * 1000))
    if 0 <= value < 1 and diff.days == 0:
        mins, secs = divmod(diff.seconds, 60)
        hours, mins = divmod(mins, 60)
        return _dt.time(hours, mins, secs, diff.microseconds)
    if 0 < value < 60 and not date1904:
        day += 1   # NB: Excel's 29 February 1900, which never was
    return epoch + _dt.timedelta(days=day) + diff
