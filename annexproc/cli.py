"""The command line: check, recompute, template, report, rules, batch, compare, serve.

Exit statuses: 0 no error finding · 1 error findings · 2 unreadable input or a wrong call.
Human words go to stderr, machine output (``--format json``) to stdout.
"""
from __future__ import annotations

import json
import os
import sys

import click

from .report import EXIT_UNREADABLE
from .words import pair, say

LANG = click.option("--lang", type=click.Choice(["zh", "en"]), default=lambda: os.environ.get("ANNEXPROC_LANG", "zh"),
                    show_default="zh", help="消息语言 / language of messages.")

#: What a check is asked, the same wherever it runs (check, batch, serve): ``_options`` makes them one Options.
_RULE_OPTIONS = (
    click.option("--params", "params_file", type=click.Path(exists=True, dir_okay=False),
                 help="协议参数 JSON（协议社工数、持证比例、半月规则…）/ agreement parameters."),
    click.option("--headcount", type=int, help="协议要求在岗社工数 / agreed headcount (稳岗率)."),
    click.option("--select", help="只报告这些规则（前缀，逗号分隔），如 A1,A205 / report only these rules (prefixes)."),
    click.option("--ignore", help="忽略这些规则（前缀，逗号分隔）/ ignore these rules (prefixes)."),
    click.option("--severity", "severity", help="改变规则的严重程度，如 A227=error,A117=info / re-grade rules."),
)


def rule_options(command):
    """--params, --headcount, --select, --ignore and --severity on a command, in this order."""
    for option in reversed(_RULE_OPTIONS):
        command = option(command)
    return command


EPILOG = """\b
示例 / Examples:
  annexproc check samples/sample.xlsx                 # 检查一个工作簿（中文）
  annexproc check samples/sample.xlsx -o checked.xlsx # 并写出带批注的副本
  annexproc check a.xlsx b.xlsx --format json --lang en
  annexproc recompute filled.xlsx -o fixed.xlsx --restore-formulas
  annexproc template -o templates/ --districts 3 --start 2024-05 --months 12
  annexproc batch 收件箱/ stations.zip -o 核查结果/ --jobs 2
  annexproc compare 中期.xlsx 末期.xlsx -o 末期-比较.xlsx  # 前后两期比较
  annexproc check samples/sample.xlsx --report 评估报告.pdf   # 核对报告中引用的数字
  annexproc report samples/sample.xlsx -o 草稿.docx    # 起草报告的数据段落
  annexproc rules                                     # 列出所有规则编号
  annexproc serve                                     # 打开网页版 http://127.0.0.1:8000

\b
退出码 / exit status: 0 无错误 clean · 1 有错误 errors found · 2 无法读取或用法错误 unreadable / usage
"""


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
             epilog=EPILOG)
@click.version_option(package_name="annexproc", message="annexproc %(version)s")
def main():
    """annexproc — 检查、重算并批注社工服务站的附件表（附件1-1、附件1-2、附件2）。

    Check, recompute and annotate the Excel annexes of Guangzhou's social work service
    stations: every derived cell is recomputed from the rules and compared with the file.
    """


def _params(params_file, **over):
    from .params import Params
    given = {k for k, v in over.items() if v is not None}
    try:
        return Params.load(params_file, **over), given
    except (OSError, ValueError, TypeError) as exc:
        raise click.UsageError(f"{pair('cli.bad_params')}: {exc}")


def _options(params_file, headcount, select, ignore, severity, **kw):
    """The one ``pipeline.Options`` of a command's --params/--headcount/--select/--ignore/--severity."""
    from .pipeline import Options
    params, given = _params(params_file, agreed_headcount=headcount)
    return Options(params=params, params_given=frozenset(given), select=_codes(select), ignore=_codes(ignore),
                   severity=tuple(_severities(severity).items()), **kw)


def _severities(text: str | None) -> dict[str, str]:
    """'A227=error,A117=info' → {'A227': 'error', 'A117': 'info'}; a rule keeps its code, only its grade moves."""
    from .rulebook import all_rules
    out = {}
    for item in _codes(text):
        code, _, level = item.partition("=")
        level = level.lower()
        if code not in all_rules() or level not in ("error", "warning", "info"):
            raise click.BadParameter(f"{item}: {pair('cli.bad_severity')}", param_hint="--severity")
        out[all_rules()[code].code] = level
    return out


def _codes(text: str | None) -> tuple[str, ...]:
    return tuple(c.strip().upper() for c in (text or "").split(",") if c.strip())


def _guard_output(inp: str, out: str, force: bool, lang: str) -> None:
    from .safety import same_file
    if same_file(inp, out):
        raise click.UsageError(say("cli.same_as_input", lang, path=out))
    if os.path.exists(out) and not force:
        raise click.UsageError(say("cli.exists", lang, path=out))


def _annotated_path(inp: str, out: str, lang: str) -> str:
    """The file ``check inp -o out`` writes, as annotate names it ('x.xls' is written as 'x.xlsx')."""
    from .annotate import output_path
    try:
        return str(output_path(inp, out))
    except ValueError:   # NB: annotate's own refusal to write over the input
        raise click.UsageError(say("cli.same_as_input", lang, path=out)) from None


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False),
              help="写出带批注的副本（.xlsx）/ write the annotated copy here.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: 给人看 · json: 给程序用 (schema 1, on stdout).")
@LANG
@rule_options
@click.option("--force", is_flag=True, help="覆盖已存在的输出文件 / overwrite an existing output.")
@click.option("--redact", is_flag=True, help="输出中以化名代替社工姓名 / pseudonymise workers' names.")
@click.option("--no-fail", is_flag=True, help="有错误也以 0 退出（仍在无法读取时返回 2）/ exit 0 despite errors (still 2 when unreadable).")
@click.option("--report", "report_file", type=click.Path(exists=True, dir_okay=False),
              help="核对一份评估报告（.docx/.pdf/.txt/.md）中引用的数字 / check the figures a written report quotes.")
def check(files, output, fmt, lang, params_file, headcount, select, ignore, severity, force, redact, no_fail,
          report_file):
    """检查工作簿：找到各附件、按规则重算每个派生单元格、在出错的单元格处报告。

    Check workbooks: find the annexes, recompute every derived cell from the rules and report
    each discrepancy at its cell.
    """
    from .pipeline import process
    from .render import render_text
    from .report import exit_code_of, to_json_doc

    if output and len(files) > 1:
        raise click.UsageError(say("cli.one_output", lang))
    if report_file and len(files) > 1:
        raise click.UsageError(say("cli.one_report", lang))
    if output:
        _guard_output(files[0], _annotated_path(files[0], output, lang), force, lang)
    options = _options(params_file, headcount, select, ignore, severity, lang=lang, redact=redact,
                       report_file=report_file, annotated=output)
    reports = []
    for path in files:
        done = process(path, options)
        reports.append(done.report)
        if done.annotated is not None:
            click.echo(say("cli.wrote_copy", lang, path=done.annotated), err=True)
    if fmt == "json":
        click.echo(json.dumps(to_json_doc(reports, lang), ensure_ascii=False, indent=1))
    else:
        for rep in reports:
            click.echo(render_text(rep, lang), err=False)
    code = exit_code_of(reports)
    sys.exit(code if not no_fail or code == EXIT_UNREADABLE else 0)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="输出文件 / output .xlsx")
@click.option("--restore-formulas", is_flag=True,
              help="把错误或缺失的公式改回官方公式（结果一致的本站公式保留）/ rewrite wrong or missing formulas.")
@click.option("--values-only", is_flag=True,
              help="派生单元格只写数值、不留公式 / derived cells as plain values, no formulas.")
@click.option("--force", is_flag=True, help="覆盖已存在的输出文件 / overwrite an existing output.")
@click.option("--params", "params_file", type=click.Path(exists=True, dir_okay=False),
              help="协议参数 JSON（半月规则、持证比例…）/ agreement parameters.")
@click.option("--headcount", type=int, help="协议要求在岗社工数 / agreed headcount (稳岗率).")
@LANG
def recompute(file, output, restore_formulas, values_only, force, params_file, headcount, lang):
    """不用电子表格软件，算出官方公式的结果并写入副本（输入单元格不变）。

    The official formulas' results without a spreadsheet program: the file's formulas are kept and
    every derived cell gets the right value; the cells whose value changed are coloured and listed.
    """
    from .pipeline import process
    if restore_formulas and values_only:
        raise click.UsageError(pair("cli.one_of_restore_values"))
    _guard_output(file, output, force, lang)
    mode = "values" if values_only else "restore" if restore_formulas else "keep"
    ran = process(file, _options(params_file, headcount, None, None, None, lang=lang, recomputed=output,
                                 recompute_mode=mode))
    if not ran.report.readable:
        click.echo(f"{file}: {ran.report.read_error.message(lang)}", err=True)
        sys.exit(EXIT_UNREADABLE)
    done = ran.recomputed
    for change in done.changes:
        click.echo("  " + change.text(lang), err=True)
    restored = say("cli.restored", lang, n=len(done.restored)) if done.restored else ""
    tail = say("cli.recomputed", lang, cells=done.cells, changed=len(done.changes), restored=restored)
    click.echo(say("cli.wrote", lang, path=done.path) + tail, err=True)


@main.command()
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False),
              help="输出目录 / output folder.")
@click.option("--station", default="XX街社工服务站", show_default=True, help="服务站名称（也用于文件名）/ station name.")
@click.option("--districts", type=click.IntRange(1, 30), default=3, show_default=True, help="片区数 / districts.")
@click.option("--start", default="2024-05", show_default=True, help="考核期第一个月 YYYY-MM / first month.")
@click.option("--months", type=click.IntRange(1, 12), default=8, show_default=True, help="考核月份数 / months.")
@click.option("--agreement-start", default=None,
              help="年度服务协议开始 YYYY-MM[-DD]（默认：考核期第一个月；协议期一年）/ agreement start.")
@click.option("--headcount", type=int, default=20, show_default=True, help="协议要求在岗社工数 / agreed headcount.")
@click.option("--workers", type=click.IntRange(1, 200), default=20, show_default=True,
              help="每个分区预留的社工行数 / worker rows per section.")
@click.option("--force", is_flag=True, help="覆盖已存在的模板 / overwrite an existing template.")
@LANG
def template(outdir, station, districts, start, months, agreement_start, headcount, workers, force, lang):
    """写出空白官方模板：附件1-1、附件1-2、附件2、活动台账四张表。

    两级合并表头、批注、公式（灰色，已锁定）、输入格（白色）的下拉列表和数字验证；
    文件名含服务站名称。Write the blank official workbook: four sheets (附件1-1, 附件1-2,
    附件2, 活动台账) with merged headers, the documented comments, a formula in every derived
    cell (grey, locked), dropdowns and number validation on the input cells (white).
    """
    import datetime as dt
    import re

    from .params import Params
    from .template import write_template
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", start):
        raise click.BadParameter(pair("cli.bad_month"), param_hint="--start")
    p = Params(station=station, start=start, months=months, agreed_headcount=headcount,
               districts=[f"片区{i}" for i in range(1, districts + 1)])
    if agreement_start:
        try:
            p.agreement_start = dt.date.fromisoformat(agreement_start if agreement_start.count("-") == 2
                                                      else f"{agreement_start}-01").isoformat()
        except ValueError:
            raise click.BadParameter(pair("cli.bad_date"), param_hint="--agreement-start") from None
    first, last = (dt.date.fromisoformat(d) for d in p.agreement())
    y, m = p.month_list()[-1]
    if dt.date(*p.month_list()[0], 1) < first or dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(1) > last:
        raise click.BadParameter(pair("cli.outside_agreement", first=first, last=last), param_hint="--agreement-start")
    try:
        path = write_template(p, outdir, worker_rows=workers, force=force)
    except FileExistsError as exc:
        raise click.UsageError(say("cli.exists", lang, path=str(exc))) from None
    click.echo(path)


# -- the evaluation report's draft (writeup) ----------------------------------------------------------

@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="草稿文件 / the draft (.docx or .md).")
@click.option("--format", "fmt", type=click.Choice(["docx", "md"]), default=None,
              help="docx（Word）或 md（Markdown）；默认按 -o 的扩展名 / default: from -o's extension.")
@LANG
@click.option("--params", "params_file", type=click.Path(exists=True, dir_okay=False),
              help="协议参数 JSON / agreement parameters.")
@click.option("--headcount", type=int, help="协议要求在岗社工数 / agreed headcount (稳岗率).")
@click.option("--force", is_flag=True, help="覆盖已存在的输出文件 / overwrite an existing output.")
def report(file, output, fmt, lang, params_file, headcount, force):
    """按重算后的附件起草评估报告的数据段落（人员配置、服务指标完成情况）和各片区表格。

    Draft the evaluation report's data paragraphs (staffing, service indicators) and the district
    tables from the recomputed annexes, in the evaluators' phrasing; where the annexes have errors
    the draft carries a marked note instead of the figure.
    """
    from .pipeline import process
    from .writeup.draft import build, save
    from .writeup.facts import gather
    fmt = fmt or ("md" if output.lower().endswith((".md", ".markdown", ".txt")) else "docx")
    _guard_output(file, output, force, lang)
    options = _options(params_file, headcount, None, None, None, lang=lang)
    params = options.params
    rep = process(file, options).report
    if not rep.readable:
        click.echo(f"{file}: {rep.read_error.message(lang)}", err=True)
        sys.exit(EXIT_UNREADABLE)
    save(build(gather(rep, params), lang), output, fmt)
    click.echo(say("cli.wrote", lang, path=output), err=True)


@main.command()
@LANG
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text")
def rules(lang, fmt):
    """列出所有规则编号及一句话说明 / list every rule code with its summary."""
    from .rulebook import unique_rules
    rs = unique_rules()
    if fmt == "json":
        click.echo(json.dumps([{"code": r.code, "name": r.name, "severity": r.severity, "category": r.category,
                                "summary": r.summary(lang), "inferred": r.inferred} for r in rs],
                              ensure_ascii=False, indent=1))
        return
    for r in rs:
        mark = " *" if r.inferred else ""
        if fmt == "markdown":
            click.echo(f"| {r.code} | {r.name} | {r.severity} | {r.summary(lang)}{mark} |")
        else:
            click.echo(f"{r.code}  {r.severity:<7}  {r.summary(lang)}{mark}")
    if fmt == "text":
        click.echo(say("cli.inferred", lang))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False), help="输出目录 / output folder.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None, help="进程数（默认：CPU 核数）/ processes.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: 给人看 · json: 给程序用（stdout）/ for people or for programs.")
@click.option("--quiet", "-q", is_flag=True, help="不显示进度条 / no progress bar.")
@click.option("--redact", is_flag=True, help="输出中以化名代替社工姓名 / pseudonymise workers' names.")
@rule_options
@LANG
def batch(paths, outdir, jobs, fmt, quiet, redact, params_file, headcount, select, ignore, severity, lang):
    """批量检查文件夹或 .zip 中的所有工作簿，写出批注副本、summary.xlsx、findings.csv、report.json。

    Batch-check every workbook in folders or .zip files; write the annotated copies, summary.xlsx,
    findings.csv and report.json into the -o folder. --select/--ignore/--severity/--params apply to
    every workbook, as in `check`.
    """
    from .batch import run_batch
    options = _options(params_file, headcount, select, ignore, severity, lang=lang, redact=redact)
    sys.exit(run_batch(paths, outdir, jobs=jobs, fmt=fmt, quiet=quiet, redact=redact, lang=lang, options=options))


@main.command()
@click.argument("earlier", type=click.Path(dir_okay=False))
@click.argument("later", type=click.Path(dir_okay=False))
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False),
              help="写出带这些批注的本期工作簿副本 / write the later workbook annotated with these findings.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: 给人看 · json: 给程序用 (schema 1, on stdout).")
@LANG
@click.option("--force", is_flag=True, help="覆盖已存在的输出文件 / overwrite an existing output.")
@click.option("--no-fail", is_flag=True, help="有错误也以 0 退出（仍在无法比较时返回 2）/ exit 0 despite errors (still 2 when not compared).")
def compare(earlier, later, output, fmt, lang, force, no_fail):
    """比较同一服务站的前后两期工作簿（如中期与末期）：已报送月份被改、协议数据变化、人员增删、累计完成量减少。

    Compare one station's earlier and later workbook (mid-term, final): a past month rewritten,
    an agreement figure changed, a worker added or dropped, a cumulative count that went down.
    """
    from .compare import compare as run, head
    from .render import render_text

    if output:
        _guard_output(later, _annotated_path(later, output, lang), force, lang)
    c = run(earlier, later)
    if c.problem(lang):
        click.echo(c.problem(lang), err=True)
    elif output:
        from .annotate import write_annotated
        written = write_annotated(c.report(), output, lang=lang)
        click.echo(say("cli.wrote_copy", lang, path=written), err=True)
    if fmt == "json":
        click.echo(json.dumps(c.to_dict(lang), ensure_ascii=False, indent=1))
    elif not c.problem(lang):
        click.echo(head(c, lang) + "\n" + render_text(c.report(), lang))
    sys.exit(c.exit_code if not no_fail or c.exit_code == EXIT_UNREADABLE else 0)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", type=click.IntRange(0, 64), default=None,
              help="检查进程数（默认每核一个；0：在服务进程内）/ worker processes (default one per core; 0: in the server).")
@rule_options
def serve(host, port, workers, params_file, headcount, select, ignore, severity):
    """启动网页版：拖入工作簿即可查看核查结果 / start the web page.

    --params/--select/--ignore/--severity apply to every upload, as in `check` (an evaluator's settings).
    """
    from .web.app import serve as _serve
    _serve(host, port, workers=workers, options=_options(params_file, headcount, select, ignore, severity))


if __name__ == "__main__":  # pragma: no cover
    main()
