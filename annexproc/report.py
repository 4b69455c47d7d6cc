"""The result of checking one workbook: findings, key figures, recomputed cells. Rendered elsewhere."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .derived import Derived  # noqa: F401  (NB: kept importable from here)
from .findings import Finding

SCHEMA = 1

# Exit statuses scripts can rely on.
EXIT_CLEAN = 0      # no finding of severity error
EXIT_FINDINGS = 1   # at least one error finding
EXIT_UNREADABLE = 2  # a file could not be read at all, or the call is wrong
#: Findings that mean nothing of the file could be checked (no annex in it): exit status 2 as well.
UNCHECKED = frozenset({"RD17"})


@dataclass(slots=True)
class Report:
    path: str
    station: str | None = None
    read_error: Finding | None = None
    findings: list[Finding] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    derived: dict[tuple[str, str], Derived] = field(default_factory=dict)
    sha256: str | None = None
    book: Any = None                                  # workbook.Book while in process
    model: Any = None                                 # model.Model while in process (compare and the writeup read it)

    @property
    def located(self) -> Any:
        """The model under its old name (``report.located.get('annex2')`` still reads); {} when dropped."""
        return self.model if self.model is not None else {}

    @located.setter
    def located(self, value: Any) -> None:
        self.model = value or None

    @classmethod
    def unreadable(cls, path: str, zh: str, en: str) -> "Report":
        """The report of a file that could not be checked at all: its RD01 says why, in zh and en."""
        from .findings import finding
        return cls(path=str(path), read_error=finding("RD01", None, None, reason=zh, reason_en=en))

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    @property
    def infos(self) -> int:
        return sum(1 for f in self.findings if f.severity == "info")

    @property
    def readable(self) -> bool:
        return self.read_error is None

    @property
    def exit_code(self) -> int:
        if self.read_error is not None or any(f.rule in UNCHECKED for f in self.findings):
            return EXIT_UNREADABLE
        return EXIT_FINDINGS if self.errors else EXIT_CLEAN

    def sorted_findings(self) -> list[Finding]:
        return sorted(self.findings, key=Finding.sort_key)

    def to_dict(self, lang: str = "zh") -> dict:
        """The `check --format json` entry of one file (schema 1)."""
        return {"path": self.path, "station": self.station,
                "read_error": self.read_error.message(lang) if self.read_error else None,
                "findings": [f.to_dict(lang) for f in self.sorted_findings()],
                "figures": dict(self.figures)}

    def recomputed(self) -> dict[tuple[str, str], Any]:
        """{(sheet, cell): value} of every derived cell: the official formulas' results."""
        return {k: d.value for k, d in self.derived.items()}

    def to_frame(self, lang: str = "zh"):
        """The findings as a pandas DataFrame (imports pandas on demand)."""
        from .tabular import findings_frame
        return findings_frame([self], lang=lang)


def exit_code_of(reports) -> int:
    """The worst exit status over several files: 2 beats 1 beats 0."""
    return max((r.exit_code for r in reports), default=EXIT_CLEAN)


def to_json_doc(reports, lang: str = "zh") -> dict:
    return {"schema": SCHEMA, "files": [r.to_dict(lang) for r in reports]}
