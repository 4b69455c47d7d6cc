"""Workbooks put side by side (issue 16), written with the template writer and invented names.

- ``stations(folder)``: 东湖街 and 西湖街 share two workers (same contract and certificate) in the same
  months, each has a 米乐天 with another contract (a namesake), and 费小川 moves from one to the other
  in different months.
- ``periods(folder)``: 南湖街's mid-term (8 months) and final (12 months) workbooks — a faithful final,
  a final with a rewritten past month, a changed agreement figure and a decreased count, a final that
  drops one worker, adds another to past months and no longer repeats 2024年5月, and a mid-term of
  another station.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "samples"))
import build_sample  # noqa: E402

from annexproc.params import Params  # noqa: E402
from annexproc.template import FillData, Worker, write_workbook  # noqa: E402

S, D = "√", "——"
SW, ASW = "社会工作师", "助理社会工作师"


def _params(station: str, months: int, start: str = "2024-05") -> Params:
    return Params(station=station, districts=build_sample.DISTRICTS, start=start, months=months,
                  agreement_start="2024-05-01", agreement_end="2025-04-30", agreed_headcount=4)


def _data(workers: list[Worker], grow: float = 0, changes: dict | None = None) -> FillData:
    """The sample's 附件1 figures (完成量 grown by ``grow``), ``changes`` {(measure, district): (协议, 完成量)}."""
    values = {(k, d): (a, c + grow if isinstance(c, (int, float)) else c)
              for k, rows in build_sample.TABLE.items() for d, (a, c) in zip(build_sample.DISTRICTS, rows)}
    values.update(changes or {})
    return FillData(values=values, targets=build_sample.TARGETS, workers=workers)


# -- two stations ---------------------------------------------------------------------------------

def stations(folder: Path) -> tuple[Path, Path]:
    full = [S] * 8
    east = [
        Worker("certified", "1", "蓝海明", "第一片区社工", SW, "2020.03.01-无固定期限", full, 8),
        Worker("certified", "2", "柏静怡", "第二片区社工", ASW, "2021.06.01-2026.05.31", full, 8),
        Worker("certified", "3", "米乐天", "第三片区社工", SW, "2019.01.01-无固定期限", full, 8),
        Worker("uncertified", "4", "费小川", "第一片区社工", "社会工作专业", "2022.09.01-2025.08.31",
               [S] * 3 + [D] * 5, 3),
    ]
    west = [
        Worker("certified", "1", "岳清和", "第一片区主管", SW, "2015.04.01-无固定期限", full, 8),
        Worker("certified", "2", "柏静怡", "第二片区社工", ASW, "2021.06.01-2026.05.31", full, 8),
        Worker("certified", "3", "米乐天", "第三片区社工", ASW, "2023.09.01-2026.08.31", full, 8),
        Worker("certified", "4", "蓝海明", "第一片区社工", SW, "2020.03.01-无固定期限", [S] * 4 + [D] * 4, 4),
        Worker("uncertified", "5", "费小川", "第二片区社工", "社会工作专业", "2022.09.01-2025.08.31",
               [D] * 3 + [S] * 5, 5),
    ]
    a, b = folder / "东湖街.xlsx", folder / "西湖街.xlsx"
    write_workbook(str(a), _params("东湖街社工服务站", 8), _data(east))
    write_workbook(str(b), _params("西湖街社工服务站", 8), _data(west))
    return a, b


# -- two periods of one station -------------------------------------------------------------------

def _south(months: int, *, rewrite=False, drop=False, add=False) -> list[Worker]:
    full = [S] * months
    ws = [
        Worker("certified", "1", "甘雨薇", "第一片区主管", SW, "2016.03.01-无固定期限", full, months),
        Worker("certified", "2", "骆明轩", "第二片区社工", ASW, "2021.05.10-2026.05.31", list(full), months),
        Worker("certified", "3", "严书瑶", "第三片区社工", ASW, "2022.01.01-2027.12.31", full, months),
        Worker("uncertified", "4", "温子豪", "第一片区社工", "社会工作专业", "2023.07.01-2026.06.30", full, 0),
    ]
    if months == 12:   # NB: someone joins in 2025年1月, listed first: every other row moves down
        ws.insert(0, Worker("certified", "1", "岳清和", "第二片区社工", SW, "2025.01.02-2028.01.31",
                            [D] * 8 + [S] * 4, 4))
    if rewrite:        # 2024年7月 of 骆明轩: 工资发放 no longer ticked
        ws[2].months[2] = (S, S, None)
    if drop:
        ws = [w for w in ws if w.name != "严书瑶"]
    if add:
        ws.append(Worker("uncertified", "9", "费小川", "第三片区社工", "社会工作专业", "2024.05.01-2027.04.30",
                         [S] * months, 0))
    for i, w in enumerate(ws, 1):
        w.seq = str(i)
    return ws


def periods(folder: Path) -> dict[str, Path]:
    out = {name: folder / f"南湖街_{name}.xlsx" for name in ("mid", "final", "final_bad", "final_other")}
    write_workbook(str(out["mid"]), _params("南湖街社工服务站", 8), _data(_south(8)))
    write_workbook(str(out["final"]), _params("南湖街社工服务站", 12), _data(_south(12), grow=10))
    write_workbook(str(out["final_bad"]), _params("南湖街社工服务站", 12), _data(
        _south(12, rewrite=True), grow=10,
        changes={("hotline.count", "片区1"): (2600, 2100), ("case.sessions", "片区2"): (93, 90)}))
    write_workbook(str(out["final_other"]), _params("南湖街社工服务站", 11, start="2024-06"),
                   _data(_south(11, drop=True, add=True), grow=10))
    other = folder / "北湖街_mid.xlsx"
    write_workbook(str(other), _params("北湖街社工服务站", 8), _data(_south(8)))
    out["other_station"] = other
    return out


def cross_station_findings(folder: Path) -> list:
    """(workbook, finding) of the cross-station check over ``stations``' workbooks."""
    import annexproc
    from annexproc.crossstation import add_cross_station
    reports = [annexproc.check(str(p)) for p in stations(folder)]
    add_cross_station(reports)
    return [(Path(r.path).name, f) for r in reports for f in r.findings if f.rule in ("XS05", "XS06")]


def compare_findings(folder: Path) -> list:
    """(workbook, finding) of ``compare`` between the mid-term and each final of ``periods``."""
    from annexproc.compare import compare
    ps = periods(folder)
    return [(f"{ps['mid'].name} → {ps[k].name}", f) for k in ("final", "final_bad", "final_other")
            for f in compare(ps["mid"], ps[k]).findings]
