"""Plain-text rendering of a report for the terminal."""
from __future__ import annotations

from .i18n import affected_figures, figure_name, severity_word
from .words import say
from .xlmath import num_text, pct_text

_PCT_FIGURES = {"two_year_share", "stable_rate", "certified_share"}


def figure_text(key, value) -> str:
    if value is None:
        return "/"          # NB: e.g. a 2-year share of no person-months at all
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return pct_text(value) if key in _PCT_FIGURES else num_text(value)
    return str(value)


def render_text(rep, lang: str = "zh") -> str:
    lines = [f"{rep.path}" + (f"  [{rep.station}]" if rep.station else "")]
    if rep.read_error is not None:
        lines.append(f"  {say('cli.unreadable', lang)} {rep.read_error.message(lang)}")
        return "\n".join(lines)
    # NB: pad to the longest severity word so the codes line up
    width = max(len(severity_word(s, lang)) for s in ("error", "warning", "info"))
    for f in rep.sorted_findings():
        sev = severity_word(f.severity, lang)
        # NB: a finding about the whole workbook (a missing sheet) has no cell to name
        where = f"{f.sheet}!{f.range}: " if f.sheet and f.cell else (f"{f.sheet}: " if f.sheet else "")
        lines.append(f"  {sev:<{width}} {f.rule} {where}{f.message(lang)}")
    hit = affected_figures(rep.findings)   # NB: one reading of the causes' affects for every output
    mark = say("cli.changed_mark", lang)
    figs = [f"{figure_name(k, lang)} {figure_text(k, v)}" + (mark if k in hit else "")
            for k, v in (rep.figures or {}).items() if not isinstance(v, (dict, list))]
    if figs:   # NB: a workbook without 附件2 has none; an empty heading would only puzzle
        lines.append("  " + say("cli.figures_line", lang, label=say("cli.figures", lang),
                                figures=say("grammar.comma", lang).join(figs)))
    lines.append("  " + say("cli.verdict_line", lang, verdict=say("cli.clean" if not rep.errors else "cli.has_errors", lang),
                            summary=say("cli.summary", lang, errors=rep.errors, warnings=rep.warnings, infos=rep.infos)))
    if rep.findings:
        lines.append("  " + say("cli.legend", lang))
    return "\n".join(lines)
