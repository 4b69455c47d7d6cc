"""RP: a written evaluation report checked against the annexes (``annexproc check WORKBOOK --report FILE``).

A report finding has no sheet or cell: it carries ``quote`` (the sentence) and ``location`` (paragraph,
and page for a PDF). Placeholders beyond the standard ones: {at} where in the report ('第 12 段（第 3 页）'),
{words} the figure with the words around it as the report writes it, {source} the annex, {other_at}
where the other count is, {other} that count, {cause} the annex finding's message, {count}/{total}/{unnamed} how many figures.
"""
from . import Rule

RULES = (
    Rule("RP01", "report.figure_disagrees", "error", "consistency",
         "报告引用的数字与附件不符", "A figure the report quotes disagrees with the annexes",
         "报告{at}：{words}；{source} 为 {expected}（{indicator}）。",
         "Report {at}: {words}; {source} gives {expected} ({indicator})."),
    Rule("RP02", "report.figure_inconsistent", "warning", "consistency",
         "报告中同一指标前后数字不一致", "The report gives one indicator two different figures",
         "报告{at}：{words}；{other_at}写的是 {other}（{indicator}）。",
         "Report {at}: {words}; {other_at} says {other} ({indicator})."),
    Rule("RP03", "report.figures_agree", "info", "consistency",
         "报告中与附件一致的数字", "Figures of the report that agree with the annexes",
         "报告中 {count} 个数字与附件一致（共核对 {total} 个；另有 {unnamed} 个数字未能对应到附件指标，未核对）。",
         "{count} figures of the report agree with the annexes ({total} checked; {unnamed} other figures could not be "
         "matched to an annex indicator and were not checked)."),
    Rule("RP04", "report.figure_unconfirmed", "warning", "consistency",
         "报告引用的数字所依据的附件有错误", "A figure the report quotes rests on annex cells with errors",
         "报告{at}：{words}；{source} 中{indicator}所依据的单元格有错误（{cause}），请先改正附件再核对此数字。",
         "Report {at}: {words}; the cells of {source} behind {indicator} have errors ({cause}): correct the "
         "annexes before checking this figure."),
    Rule("RP05", "report.unreadable", "error", "input",
         "报告文件无法读取", "The report file cannot be read",
         "无法读取报告文件：{reason}", "Cannot read the report file: {reason}"),
)
