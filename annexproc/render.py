"""Plain-text rendering of a report for the terminal."""
from __future__ import annotations

from .i18n import affected_figures, figure_name, severity_word, t
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
        lines.append(f"  {t('unreadable', lang)} {rep.read_error.message(lang)}")
        return "\n".join(lines)
    width = 2 if lang == "zh" else 7     # NB: pad to the longest label so the codes line up
    for f in rep.sorted_findings():
        sev = severity_word(f.severity, lang)
        # NB: a finding about the whole workbook (a missing sheet) has no cell to name
        where = f"{f.sheet}!{f.range}: " if f.sheet and f.cell else (f"{f.sheet}: " if f.sheet else "")
        lines.append(f"  {sev:<{width}} {f.rule} {where}{f.message(lang)}")
    hit = affected_figures(rep.findings)   # NB: one reading of the causes' affects for every output
    mark = "（受错误影响）" if lang == "zh" else " (changed by an error)"
    figs = [f"{figure_name(k, lang)} {figure_text(k, v)}" + (mark if k in hit else "")
            for k, v in (rep.figures or {}).items() if not isinstance(v, (dict, list))]
    if figs:   # NB: a workbook without 附件2 has none; an empty heading would only puzzle
        lines.append(f"  {t('figures', lang)}" + ("：" if lang == "zh" else ": ") + ("，" if lang == "zh" else ", ").join(figs))
    sep = "；" if lang == "zh" else "; "
    lines.append("  " + (t("clean", lang) if not rep.errors else t("has_errors", lang)) + sep +
                 t("summary", lang, errors=rep.errors, warnings=rep.warnings, infos=rep.infos))
    if rep.findings:
        lines.append("  " + t("legend", lang))
    return "\n".join(lines)
