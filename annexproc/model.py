"""The workbook as the readers give it: layouts, values as read, the staffing, the ledger, reading notes."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .values import NOTE_RULE


@dataclass(frozen=True, slots=True)
class ReadNote:
    """A value understood, but not as typed ('0.5次', '７６５', '127.50%' as text): ``values.NOTE_RULE`` says it."""
    sheet: str
    cell: str                       # A1 of the cell (top-left of a merge)
    note: str                       # a values.Note value: 'unit', 'numeric_text', 'fullwidth', 'percent_text'
    found: str                      # the text as typed (as the reader quotes it)
    value: float                    # what it was read as
    label: tuple = ()               # the finding's labels: (('indicator', …), ('worker', …), …)

    @property
    def rule(self) -> str:
        return NOTE_RULE[self.note]


@dataclass
class Missing:
    """Something looked for and not found: a sheet (``cell`` None) or a block/header in a sheet."""
    sheet: str | None
    what: str
    what_en: str
    cell: str | None = None
    block: bool = True          # True: RD03 (a block/header); False: a single item (A112, a warning)
    looked: str = ""            # the sheets searched, for RD02


@dataclass
class Model:
    """One workbook as read, before any rule: what each reader found (None: not there, or not read)."""
    annex1_1: Any = None            # annex1.locate.Annex11
    annex1_2: Any = None            # layout.TargetLayout of 附件1-2
    annex1: Any = None              # annex1.reader.Annex1: the tables, their values as meant, figures
    annex2: Any = None              # annex2.reader.Staffing
    ledger: Any = None              # ledger.locate.Ledger
    notes: list[ReadNote] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)

    def merge(self, part: "Model") -> None:
        """Take in what another reader found (its parts, then its notes and misses after ours)."""
        for key in ("annex1_1", "annex1_2", "annex1", "annex2", "ledger"):
            if getattr(part, key) is not None:
                setattr(self, key, getattr(part, key))
        self.notes += part.notes
        self.missing += part.missing

    @property
    def annex1_values(self) -> dict:
        """{(sheet, (row, col)): value as meant} of 附件1's inputs and derived cells."""
        return self.annex1.values if self.annex1 is not None else {}

    @property
    def annexes(self) -> tuple:
        """The annexes found (none: nothing of the file can be checked, RD17)."""
        return tuple(x for x in (self.annex1_1, self.annex1_2, self.annex2) if x)

    # NB: the old ``located`` dict's keys still read (compare, writeup, tests): model['annex2'], model.get(...)
    _KEYS = ("annex1_1", "annex1_2", "annex2", "ledger", "annex1_values")

    def get(self, key: str, default: Any = None) -> Any:
        if key not in self._KEYS:
            return default
        v = getattr(self, key)
        return default if v is None else v

    def __getitem__(self, key: str) -> Any:
        if key not in self._KEYS:
            raise KeyError(key)
        return getattr(self, key)
