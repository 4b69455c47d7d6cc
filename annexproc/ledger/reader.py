"""Reading the activity ledger: its rows, each 服务人次 read as a count where it is one, the months it covers."""
from __future__ import annotations

import datetime as _dt

from ..cells import to_a1
from ..model import Model, ReadNote
from ..values import NOTE_RULE, Kind, Note
from .locate import Ledger, locate


def counts(reading) -> bool:
    """Is a 服务人次 a count (0 or a whole number, not a percentage)? A blank or a dash is no count either."""
    return (reading.kind is Kind.NUMBER and reading.note is not Note.PERCENT_TEXT and reading.value >= 0
            and float(reading.value).is_integer())


def read(book) -> Model:
    """The ledger of ``book`` as read (None when there is none); ``people`` is None where it is no count."""
    ledger = locate(book)
    notes: list[ReadNote] = []
    if ledger is not None and not ledger.empty and "people" in ledger.cols:
        for e in ledger.entries:
            rd = e.people_reading
            if rd is None or rd.kind in (Kind.BLANK, Kind.DASH):
                continue
            if not counts(rd):
                e.people = None
            elif rd.note is not None and rd.note.value in NOTE_RULE:
                # NB: a count typed as text is counted here, but the ledger's SUMIFS totals leave it out: say so.
                label = (("indicator", f"{ledger.sheet}第{e.row}行 服务人次"),
                         ("indicator_en", f"{ledger.sheet} row {e.row} 服务人次"))
                notes.append(ReadNote(ledger.sheet, to_a1(e.row, ledger.cols["people"]), rd.note.value,
                                      str(rd.raw).strip(), rd.value, label))
    return Model(ledger=ledger, notes=notes)


def period_of(model, params, given=()) -> list[tuple[int, int]]:
    """The months checked: the user's parameters when given, else 附件2's months, else the defaults."""
    if not ({"start", "months"} & set(given or ())):
        months = getattr(model.annex2, "months", None)
        if months:
            return list(months)
    return params.month_list()


def in_period(ledger: Ledger, months) -> dict[int, bool]:
    """{row: counts in the period} (an unreadable date counts: unknown)."""
    first = _dt.date(*months[0], 1)
    y, m = months[-1]
    last = _dt.date(y + (m == 12), m % 12 + 1, 1) - _dt.timedelta(days=1)
    return {e.row: e.date is None or first <= e.date <= last for e in ledger.entries}


def figure(model, params, given=()) -> dict | None:
    """The report's ``ledger`` figure: the sheet, its activities, those in the period."""
    ledger = model.ledger
    if ledger is None or ledger.empty:
        return None
    inside = in_period(ledger, period_of(model, params, given))
    return {"sheet": ledger.sheet, "activities": len(ledger.entries),
            "in_period": sum(1 for e in ledger.entries if inside[e.row])}
