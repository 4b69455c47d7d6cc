"""Draft the evaluation report's data paragraphs and tables from the recomputed annexes (.docx or Markdown).

The wording is data: ``templates/<lang>.toml`` (zh first). A paragraph is a list of runs ``(text, note)``:
a figure whose annex cells have errors, or that the workbook lacks, becomes a marked note run instead.
"""
from __future__ import annotations

import calendar
import string
import tomllib
from dataclasses import dataclass, field
from importlib import resources

from ..words import say
from ..xlmath import num_text, pct_text
from .facts import LEVELS, Fact, Facts

_FMT = string.Formatter()


def template(lang: str = "zh") -> dict:
    """The paragraphs' wording in ``lang`` (zh.toml or en.toml in this package)."""
    text = resources.files(__package__).joinpath("templates", f"{'en' if lang == 'en' else 'zh'}.toml").read_text("utf-8")
    return tomllib.loads(text)


@dataclass
class Draft:
    """Blocks in order: ('heading', text) · ('para', [(text, note)]) · ('table', heading, columns, rows)."""
    title: str
    blocks: list[tuple] = field(default_factory=list)

    def text(self) -> str:
        """The paragraphs as plain text (notes included), one per line: what ``check --report`` reads of a .txt."""
        out = [self.title]
        for b in self.blocks:
            if b[0] == "heading":
                out.append(b[1])
            elif b[0] == "para":
                out.append("".join(t for t, _ in b[1]))
        return "\n".join(out) + "\n"


class _Writer:
    """Fills one language's templates from the facts."""

    def __init__(self, fx: Facts, lang: str):
        self.fx, self.lang, self.t = fx, lang, template(lang)

    def note(self, fact: Fact | None, what: str) -> tuple[str, bool] | None:
        n = self.t["notes"]
        if fact is None or fact.value is None:
            return n["missing"].format(what=n["names"].get(what, what)), True
        if fact.problems:   # NB: where, not the whole message: a note stays short enough to read in a sentence
            cells = [say("writeup.problem_cell", self.lang, sheet=p.sheet, range=p.range or "", rule=p.rule)
                     for p in fact.problems[:3]]
            more = n["more"].format(n=len(fact.problems) - 3) if len(fact.problems) > 3 else ""
            return n["problem"].format(what=fact.name(self.lang), cells=n["sep"].join(cells), more=more), True
        return None

    def figure(self, fact: Fact | None, what: str) -> tuple[str, bool]:
        return self.note(fact, what) or (show(fact.value, fact.unit), False)

    def date(self, d) -> str:
        if d is None:
            return ""
        return self.t["notes"]["date"].format(y=d.year, m=d.month, d=d.day, month_name=calendar.month_name[d.month])

    def fill(self, tmpl: str, values: dict[str, tuple[str, bool]]) -> list[tuple[str, bool]]:
        """The template's literal text with each {name} replaced by its run (a figure or a note)."""
        runs: list[tuple[str, bool]] = []
        for literal, name, _, _ in _FMT.parse(tmpl):
            if literal:
                runs.append((literal, False))
            if name is not None:
                runs.append(values.get(name, (self.t["notes"]["missing"].format(what=name), True)))
        merged: list[tuple[str, bool]] = []
        for text, note in runs:   # NB: adjacent plain runs joined: a .docx paragraph stays a few runs
            if merged and not note and not merged[-1][1]:
                merged[-1] = (merged[-1][0] + text, False)
            else:
                merged.append((text, note))
        return merged

    def staffing(self) -> list[tuple]:
        fx, s = self.fx, self.t["staffing"]
        g = fx.get
        v = {k: self.figure(g(k), k) for k in ("months", "required_certified", "certified", "required", "total",
                                                 "workers", "stable_workers", "stable_rate", "two_year",
                                                 "two_year_share")}
        for k in ("certified_diff", "total_diff"):
            f = g(k)
            v[k] = self.note(f, k) or (self._diff(f.value), False)
        start, end = fx.agreement
        unknown = (s["unknown_agreement"], True)
        v["agreement_start"] = (self.date(start), False) if start else unknown
        v["agreement_end"] = (self.date(end), False) if end else ("", False)
        period = fx.period
        v["period_start"] = (self.date(period[0]), False) if period else unknown
        v["period_end"] = (self.date(period[1]), False) if period else ("", False)
        levels = [(lv, g(f"level.{lv}")) for lv in LEVELS]
        bad = next((self.note(f, lv) for lv, f in levels if self.note(f, lv)), None)
        items = [s["level"].format(name=s["levels"][lv], n=show(f.value)) for lv, f in levels
                 if f is not None and f.value]
        joined = s["level_sep"].join(items[:-1]) + s["level_last_sep"] + items[-1] if len(items) > 1 else "".join(items)
        v["levels"] = bad or (joined, False)
        v["share"] = (self._share(fx.certified_share), False)
        return [("heading", s["heading"]), ("para", self.fill(s["period"], v)), ("para", self.fill(s["body"], v))]

    def _share(self, x: float) -> str:
        """0.6 → 五分之三 / 3/5 (the agreement's certified share, as a fraction)."""
        from fractions import Fraction
        f = Fraction(x).limit_denominator(20)
        if self.lang == "en":
            return f"{f.numerator}/{f.denominator}"
        return f"{_cn(f.denominator)}分之{_cn(f.numerator)}"

    def _diff(self, n) -> str:
        s = self.t["staffing"]
        if n > 0:
            return s["surplus"].format(n=show(n))
        return s["shortfall"].format(n=show(-n)) if n < 0 else s["exact"]

    def services(self) -> list[tuple]:
        fx, s = self.fx, self.t["services"]
        v = {"workers": self.figure(fx.get("workers"), "workers"), "months": self.figure(fx.get("months"), "months")}
        for ms in fx.blocks.values():
            for m in ms:
                name = m.measure.key.replace(".", "_")
                v[name] = self.figure(fx.get(f"合计|{m.measure.key}"), m.title)
                v[name + "_pct"] = self.figure(fx.get(f"合计|{m.measure.key}|pct"), m.title)
        return [("heading", s["heading"]), ("para", self.fill(s["body"], v))]

    def tables(self) -> list[tuple]:
        fx, t = self.fx, self.t["tables"]
        measures = [m for ms in fx.blocks.values() for m in ms]
        out = []
        rows_of = [(f"d{n}", t["district_heading"].format(district=name, staff=show(_value(fx, f"d{n}|staff"))))
                   for n, name in fx.districts] + [("合计", t["total_heading"])]
        for d, heading in rows_of if measures else ():
            rows = [[m.title, *(self.cell(fx.get(f"{d}|{m.measure.key}{x}")) for x in ("|agree", "", "|pct"))]
                    for m in measures]
            out.append(("table", heading, t["district_columns"], rows))
        for group, heading, cols in (("five_social", t["five_heading"], t["five_columns"]),
                                     ("annex1_2", t["annex12_heading"], t["annex12_columns"])):
            items = fx.targets.get(group)
            if items:
                rows = [([it.group or ""] if group == "five_social" else []) + [it.title.text] +
                        [self.cell(fx.get(f"target|{it.key}{x}")) for x in ("|agree", "", "|pct")] for it in items]
                out.append(("table", heading, cols, rows))
        return out

    def cell(self, fact: Fact | None) -> str:
        if fact is None or fact.value is None:
            return ""
        text = show(fact.value, fact.unit)
        return text + (" ⚠" if fact.problems else "")


def _cn(n: int) -> str:
    """1 … 20 in Chinese numerals (a share's denominator is at most 20)."""
    digits = "零一二三四五六七八九"
    return digits[n] if n < 10 else ("十" if n < 20 else "二十") + (digits[n % 10] if n % 10 else "")


def _value(fx: Facts, key: str):
    f = fx.get(key)
    return f.value if f else None


def show(value, unit: str | None = None) -> str:
    """A figure as the report writes it: 219.63% (two decimals, half away from zero), 160.5, '/'."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return pct_text(value) if unit == "pct" else num_text(float(value))


def build(fx: Facts, lang: str = "zh") -> Draft:
    """The draft of one workbook's data paragraphs and tables."""
    w = _Writer(fx, lang)
    d = Draft(w.t["title"].format(station=fx.station or ""))
    d.blocks.append(("para", [(w.t["draft_note"], True)]))
    if fx.get("total") is not None:
        d.blocks += w.staffing()
    if fx.blocks:
        d.blocks += w.services()
    d.blocks += w.tables()
    return d


def to_markdown(d: Draft) -> str:
    out = [f"# {d.title}", ""]
    for b in d.blocks:
        if b[0] == "heading":
            out += [f"## {b[1]}", ""]
        elif b[0] == "para":
            out += ["".join(f"**{t}**" if note else t for t, note in b[1]), ""]
        else:
            _, heading, cols, rows = b
            out += [f"### {heading}", "", "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
            out += ["| " + " | ".join(r) + " |" for r in rows]
            out.append("")
    return "\n".join(out)


def write_docx(d: Draft, path: str) -> None:
    """The draft as a Word document (python-docx): notes highlighted, tables in the 'Table Grid' style."""
    from docx import Document
    from docx.enum.text import WD_COLOR_INDEX

    doc = Document()
    doc.add_heading(d.title, level=1)
    for b in d.blocks:
        if b[0] == "heading":
            doc.add_heading(b[1], level=2)
        elif b[0] == "para":
            p = doc.add_paragraph()
            for text, note in b[1]:
                run = p.add_run(text)
                if note:
                    run.bold = True
                    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        else:
            _, heading, cols, rows = b
            doc.add_heading(heading, level=3)
            table = doc.add_table(rows=1, cols=len(cols))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, cols):
                cell.text = text
            for r in rows:
                for cell, text in zip(table.add_row().cells, r):
                    cell.text = text
    doc.save(path)


def save(d: Draft, path: str, fmt: str = "docx") -> None:
    """Write the draft to ``path`` at once (safety.atomic_write): 'docx' or 'md'."""
    from ..safety import atomic_write
    if fmt == "md":
        with atomic_write(path, "w", encoding="utf-8") as fh:
            fh.write(to_markdown(d))
    else:
        with atomic_write(path) as tmp:
            write_docx(d, tmp)
