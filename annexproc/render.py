"""Plain-text rendering of a report for the terminal."""
from __future__ import annotations

from .findings import SEVERITY_ZH
from .i18n import figure_name, t
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
        lines.append(f"  {t('unreadable', lang)}: {rep.read_error.message(lang)}")
        return "\n".join(lines)
    for f in rep.sorted_findings():
        sev = SEVERITY_ZH[f.severity] if lang == "zh" else f.severity
        where = f"{f.sheet}!{f.cell}" if f.sheet and f.cell else (f.sheet or "-")
        lines.append(f"  {sev:<4} {f.rule} {where}: {f.message(lang)}")
    if rep.figures:
        figs = "，".join(f"{figure_name(k, lang)} {figure_text(k, v)}" for k, v in rep.figures.items()
                        if not isinstance(v, (dict, list)))
        lines.append(f"  {t('figures', lang)}: {figs}")
    lines.append("  " + (t("clean", lang) + "；" if not rep.errors else "") +
                 t("summary", lang, errors=rep.errors, warnings=rep.warnings, infos=rep.infos))
    return "\n".join(lines)
