"""The command line's words: the terminal report, its refusals and usage errors (help texts stay in cli.py)."""

WORDS = {
    "clean": ("✔ 未发现错误", "✔ no errors found"),
    "summary": ("{errors} 个错误，{warnings} 个警告，{infos} 个提示", "errors: {errors}, warnings: {warnings}, notes: {infos}"),
    "has_errors": ("✘ 有错误，请改正后再提交", "✘ errors to correct before submitting"),
    "unreadable": ("✘", "✘"),
    "figures": ("关键数据", "key figures"),
    "wrote": ("已写出：{path}", "wrote: {path}"),
    "wrote_copy": ("已写出带批注的副本：{path}（第一张表“核查结果”列出全部问题，出错的单元格已标色并加批注）",
                   "wrote the annotated copy: {path} (its first sheet, 核查结果, lists every finding; the cells concerned are "
                   "coloured and carry a comment)"),
    "exists": ("输出文件已存在：{path}（加 --force 覆盖）", "output exists: {path} (add --force to overwrite)"),
    "same_as_input": ("不能把输出写到输入文件上：{path}", "refusing to write the output over the input: {path}"),
    "one_output": ("-o 只能用于单个文件；多个文件请用 annexproc batch", "-o takes a single input file; use `annexproc batch` for several"),
    "one_report": ("--report 只能与单个工作簿一起使用", "--report takes a single workbook"),
    "legend": ("错误：须改正；警告：请核实；提示：仅供参考。", "error: must be corrected · warning: please check · note: for information."),
    # the terminal report (render.py)
    "changed_mark": ("（受错误影响）", " (changed by an error)"),
    "figures_line": ("{label}：{figures}", "{label}: {figures}"),
    "verdict_line": ("{verdict}；{summary}", "{verdict}; {summary}"),
    # usage errors, said in both languages at once (words.pair): the call is wrong before --lang is read
    "bad_params": ("参数文件有误", "bad params file"),
    "bad_severity": ("应为 规则编号=error|warning|info", "expected CODE=error|warning|info"),
    "one_of_restore_values": ("--restore-formulas 与 --values-only 只能选一个", "choose one of --restore-formulas and --values-only"),
    "bad_month": ("应为 YYYY-MM", "expected YYYY-MM"),
    "bad_date": ("应为 YYYY-MM 或 YYYY-MM-DD", "expected YYYY-MM or YYYY-MM-DD"),
    "outside_agreement": ("考核期不在协议期 {first}～{last} 内", "the period lies outside the agreement year {first} – {last}"),
    # `recompute`: what was written
    "recomputed": ("（{cells} 个派生单元格，{changed} 个数值有改动{restored}）", " ({cells} derived cells, {changed} changed{restored})"),
    "restored": ("，改回 {n} 个公式", ", {n} formulas restored"),
    # `rules`
    "inferred": ("\n* 推断规则（可配置）/ inferred rule (configurable)", "\n* inferred rule (configurable)"),
}
