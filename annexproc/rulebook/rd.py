"""RD: reading the workbook and finding the annexes in it.

Placeholders beyond the standard ones: {where} the cell's district and indicator label, whichever the
finding has; {reason} and {what} prose chosen by the reader (with ``*_en``, shown in English messages).
"""
from . import Rule

RULES = (
    Rule("RD01", "read.unreadable", "error", "input",
         "文件无法作为工作簿读取", "The file cannot be read as a workbook",
         "无法读取该文件：{reason}", "Cannot read this file: {reason}"),
    Rule("RD02", "read.sheet_missing", "error", "layout",
         "找不到某个附件的工作表", "An annex's sheet cannot be found",
         "找不到{what}：已按标题和表头文字查找所有工作表（{looked}）。",
         "Cannot find {what}: every sheet was searched by its title and header texts ({looked})."),
    Rule("RD03", "read.block_missing", "error", "layout",
         "工作表中找不到某个表格块或表头", "A block or header cannot be found in the sheet",
         "工作表“{sheet}”中找不到{what}。", "Cannot find {what} in sheet “{sheet}”."),
    Rule("RD04", "read.number_with_unit", "warning", "input",
         "数字单元格中写了带单位的文字", "A number cell holds text with a unit",
         "{cell}（{where}）填的是文字“{found}”，已按 {expected} 读取；请只填数字，否则公式不会计算它。",
         "{cell} ({where}) holds the text “{found}”, read as {expected}; enter the number alone or the formulas will not count it."),
    Rule("RD05", "read.number_as_text", "warning", "input",
         "数字以文本形式存储", "A number is stored as text",
         "{cell}（{where}）的“{found}”是文本格式的数字，已按 {expected} 读取；公式不会把文本计入合计。",
         "{cell} ({where}) “{found}” is a number stored as text, read as {expected}; formulas do not add text up."),
    Rule("RD06", "read.unreadable_value", "error", "input",
         "单元格内容无法理解", "A cell's content cannot be understood",
         "{cell}（{where}）应为{expected_kind}，实际为“{found}”，无法读取。",
         "{cell} ({where}) should hold {expected_kind} but holds “{found}”, which cannot be read."),
    Rule("RD07", "read.error_value", "error", "input",
         "单元格显示错误值", "A cell shows an error value",
         "{cell}（{where}）显示错误值 {found}，请检查公式引用。",
         "{cell} ({where}) shows the error {found}; check what its formula refers to."),
    Rule("RD08", "read.external_link", "warning", "input",
         "公式引用了其他工作簿", "A formula refers to another workbook",
         "{cell} 的公式引用了其他工作簿（{found}），收到文件的人无法重算。",
         "The formula in {cell} refers to another workbook ({found}); whoever receives the file cannot recalculate it."),
    Rule("RD09", "read.converted", "info", "input",
         "旧格式文件已转换读取", "A legacy file was converted to be read",
         "{reason}", "{reason}"),
    Rule("RD10", "read.not_carried", "info", "input",
         "部分内容未能带入批注副本", "Some content could not be carried into the annotated copy",
         "批注副本未能保留：{reason}", "The annotated copy could not keep: {reason}"),
    Rule("RD11", "read.internal_error", "error", "input",
         "检查规则内部出错（请报告）", "A rule failed internally (please report)",
         "规则 {failed_rule} 处理此处时出错：{reason}。其余检查照常进行。",
         "Rule {failed_rule} failed here: {reason}. The other checks went on."),
    Rule("RD12", "read.percent_as_text", "warning", "input",
         "百分比以文本形式填写", "A percentage is typed as text",
         "{cell}（{where}）的“{found}”是文字，不是公式结果；已按 {expected} 读取。",
         "{cell} ({where}) “{found}” is typed text, not a formula result; read as {expected}."),
    Rule("RD13", "read.full_width", "warning", "input",
         "数字用了全角字符", "A number is typed in full-width characters",
         "{cell}（{where}）的“{found}”使用全角数字，已按 {expected} 读取；公式不会计算全角数字。",
         "{cell} ({where}) “{found}” uses full-width digits, read as {expected}; formulas do not count them."),
    Rule("RD14", "read.no_saved_results", "info", "input",
         "公式没有保存计算结果", "Formulas carry no saved results",
         "{count} 个公式（工作表：{sheets}）没有保存计算结果（文件可能由不重算的程序保存）：这些单元格只能按公式核对，"
         "手机或聊天软件预览时会显示为空。请在 Excel 或 WPS 中打开并保存后再提交。",
         "{count} formulas (sheets: {sheets}) carry no saved result (the file was probably saved by a program that "
         "does not recalculate): they can only be checked by their formulas, and previews show them blank. Open and "
         "save the file in Excel or WPS before submitting."),
    Rule("RD15", "read.sheet_renamed", "info", "layout",
         "附件所在的工作表名称不是官方名称", "An annex sits on a sheet with an unofficial name",
         "{what}是按表格内容在工作表“{sheet}”中找到的；官方表名为“{official}”，提交前请改回，以免评估方找不到。",
         "{what} was found by its content on the sheet “{sheet}”; the official name is “{official}”: rename it "
         "before submitting so that evaluators find it."),
    Rule("RD16", "read.other_formulas_agree", "info", "input",
         "部分计算单元格使用了别的公式，数值与规则一致", "Some derived cells use other formulas; their values agree",
         "{count} 个计算单元格（{sheets}）使用的公式与参考公式不同，其数值与规则一致，无需改动。",
         "{count} derived cells ({sheets}) use formulas other than the reference formulas; their values agree, nothing to change."),
    Rule("RD17", "read.no_annex", "error", "input",
         "工作簿中找不到任何附件表，无从检查", "No annex is found in the workbook: nothing could be checked",
         "“{workbook}”中找不到任何附件表（附件1-1、附件1-2、附件2）：已按标题和表头文字查找所有工作表（{looked}），没有可检查的内容。"
         "请确认提交的是附件表工作簿。",
         "No annex (附件1-1, 附件1-2, 附件2) is found in “{workbook}”: every sheet was searched by its title and header "
         "texts ({looked}); nothing could be checked. Make sure this is the annex workbook."),
    Rule("RD18", "read.sheet_skipped", "info", "input",
         "过大的非附件工作表未读取", "A sheet too large to be an annex was skipped",
         "工作表“{sheet}”超过大小上限（{max_rows} 行或 {max_cells} 个单元格），不是附件表，未读取也未检查；批注副本中此表为空。",
         "Sheet “{sheet}” is past the size limits ({max_rows} rows or {max_cells} cells) and is not an annex: it was "
         "neither read nor checked, and it is empty in the annotated copy."),
)

#: Findings said once for their region (grouping.py): code → (region, zh, en).
GROUPS = {
    "RD04": ("sheet", "{range}：{count} 个数字单元格写了带单位的文字（如 {cell}“{found}”），已按数字读取；请只填数字，否则公式不会计算它们。",
             "{range}: {count} number cells hold text with a unit (e.g. {cell} “{found}”), read as numbers; enter the numbers alone or the formulas will not count them."),
    "RD05": ("sheet", "{range}：{count} 个数字以文本形式存储（如 {cell}“{found}”），已按数字读取；公式不会把文本计入合计。",
             "{range}: {count} numbers are stored as text (e.g. {cell} “{found}”), read as numbers; formulas do not add text up."),
    "RD06": ("sheet", "{range}：{count} 个单元格的内容无法理解（如 {cell}“{found}”，应为{expected_kind}）。",
             "{range}: {count} cells cannot be understood (e.g. {cell} “{found}” should hold {expected_kind})."),
    "RD07": ("sheet", "{range}：{count} 个单元格显示错误值（{all_found}），请检查公式引用。",
             "{range}: {count} cells show error values ({all_found}); check what their formulas refer to."),
    "RD12": ("sheet", "{range}：{count} 个百分比是手填的文字（如 {cell}“{found}”），不是公式结果。",
             "{range}: {count} percentages are typed text (e.g. {cell} “{found}”), not formula results."),
    "RD13": ("sheet", "{range}：{count} 个数字使用全角字符（如 {cell}“{found}”），已按数字读取；公式不会计算全角数字。",
             "{range}: {count} numbers use full-width digits (e.g. {cell} “{found}”), read as numbers; formulas do not count them."),
}
