"""The parameters a station's agreement and the evaluators' inferred rules leave open."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields


@dataclass
class Params:
    station: str = "XX街社工服务站"         # NB: a placeholder: no real station is the default
    districts: list[str] = field(default_factory=lambda: ["片区1", "片区2", "片区3"])
    start: str = "2024-05"                 # first month of the period, YYYY-MM
    months: int = 8                        # months in the period (1…12)
    #: 年度服务协议时间 (YYYY-MM-DD); None: from the period's first day, for one year (``agreement()``)
    agreement_start: str | None = None
    agreement_end: str | None = None
    #: agreed social workers (协议要求在岗社工数); None: from the 稳岗率 formula, else last month's heads
    agreed_headcount: int | None = None
    certified_share: float = 3 / 5         # 持证社工比例不低于五分之三 (the station's agreement)
    #: a worker joining on or before this day counts the full month, after it `partial_value`
    join_full_until_day: int = 15
    #: a worker leaving on or after this day counts the full month, before it `partial_value`
    leave_full_from_day: int = 16
    partial_value: float = 0.5
    #: '稳岗率' reading: "every_month" (on post every month) or "minus_resigned"
    stable_rule: str = "every_month"
    #: certificate obtained in a month → certified from the month after ("next") or the same ("same")
    certified_from: str = "next"

    @classmethod
    def load(cls, path: str | None = None, **overrides) -> "Params":
        data = {}
        if path:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown parameter(s) in {path}: {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(sorted(known))}")
        data.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**data)

    def month_list(self) -> list[tuple[int, int]]:
        """[(2024, 5), (2024, 6), …] for the period."""
        y, m = (int(x) for x in self.start.split("-"))
        out = []
        for _ in range(self.months):
            out.append((y, m))
            m += 1
            if m > 12:
                y, m = y + 1, 1
        return out

    def agreement(self) -> tuple[str, str]:
        """(first day, last day) of the agreement year, ISO: the given dates, else the period's first
        day and the day before its first anniversary."""
        import datetime as dt
        start = dt.date.fromisoformat(self.agreement_start or f"{self.start}-01")
        if self.agreement_end:
            return start.isoformat(), self.agreement_end
        try:
            nxt = start.replace(year=start.year + 1)
        except ValueError:               # NB: from 29 February the year ends on 28 February
            nxt = dt.date(start.year + 1, 3, 1)
        return start.isoformat(), (nxt - dt.timedelta(days=1)).isoformat()

    def to_dict(self) -> dict:
        return asdict(self)
