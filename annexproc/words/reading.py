"""Reading's words: why a file cannot be read (each after the file's name, sheet and cell) and the notes on how it was read.

Said by ``safety.input_error(path, "reading.<name>", sheet=, cell=, **values)`` for the refusals of safety.py,
source.py, workbook.py and xmlscan.py; by ``safety.said`` for the notes a Book carries in both languages.
"""

WORDS = {
    # a refusal after where it is: “name.xlsx”工作表“附件2”的 S9：…
    "refused": ("“{file}”{sheet}{cell}：{what}", "“{file}”{sheet}{cell}: {what}"),
    "refused.sheet": ("工作表“{sheet}”", ", sheet “{sheet}”"),
    "refused.cell": ("的 {cell}", ", cell {cell}"),
    # the file itself (source.py, safety.py)
    "missing": ("找不到文件：{path}", "No such file: {path}"),
    "folder": ("这是一个文件夹，不是工作簿文件。", "this is a folder, not a workbook file."),
    "unreadable": ("无法读取文件（{error}）。", "the file cannot be read ({error})."),
    "too_large": ("文件太大（{size}，上限 {limit}），附件表通常不足 1 MB。",
                  "the file is too large ({size}, limit {limit}); an annex workbook is usually under 1 MB."),
    "empty": ("文件是空的（0 字节），可能上传或复制未完成。",
              "the file is empty (0 bytes); the upload or copy may not have finished."),
    "encrypted": ("工作簿设置了打开密码（已加密），无法读取。请在 Excel 中取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，"
                  "清空密码）后另存再提交。",
                  "the workbook is password-protected (encrypted) and cannot be read. Remove the password in Excel "
                  "(File → Info → Protect Workbook → Encrypt with Password, clear it), save, and submit again."),
    "text": ("这是一个文本文件（可能是 CSV 或网页导出改了扩展名），不是 Excel 工作簿。请在 Excel 或 WPS 中打开后“另存为” .xlsx。",
             "this is a text file (perhaps a CSV or a web export renamed), not an Excel workbook. Open it in Excel or "
             "WPS and “Save as” .xlsx."),
    "unknown": ("不是 Excel 工作簿（.xlsx 文件应为 zip 格式，此文件不是），文件可能已损坏或不是表格文件。",
                "not an Excel workbook (an .xlsx file is a zip archive and this is not); the file may be damaged or not "
                "a spreadsheet."),
    # the zip's central directory (safety.inspect_zip)
    "zip_damaged": ("文件不完整或已损坏（zip 结构无法读取，可能下载或复制未完成）。请重新保存或重新下载后再提交。",
                    "the file is truncated or damaged (its zip structure cannot be read; a download or copy may not "
                    "have finished). Save or download it again."),
    "damaged": ("文件已损坏，无法读取（{error}）。", "the file is damaged and cannot be read ({error})."),
    "too_many_parts": ("压缩包内有 {n} 个部件（上限 {limit}），不像正常的工作簿，已拒绝读取。",
                       "the archive holds {n} parts (limit {limit}); not a normal workbook, refused."),
    "zip_ratio": ("部件 {part} 的压缩比异常（{ratio:.0f} 倍，解压后 {size}），疑似“压缩炸弹”，已拒绝读取。",
                  "part {part} has an abnormal compression ratio ({ratio:.0f}×, {size} inflated); a likely zip bomb, "
                  "refused."),
    "part_too_large": ("部件 {part} 解压后有 {size}（上限 {limit}），已拒绝读取。",
                       "part {part} inflates to {size} (limit {limit}); refused."),
    "zip_too_large": ("解压后共 {size}（上限 {limit}），疑似“压缩炸弹”，已拒绝读取。",
                      "it inflates to {size} in all (limit {limit}); a likely zip bomb, refused."),
    "opendocument": ("这是 OpenDocument 文档（{kind}），不是电子表格。",
                     "this is an OpenDocument {kind} document, not a spreadsheet."),
    "word": ("这是 Word 文档，不是 Excel 工作簿。", "this is a Word document, not an Excel workbook."),
    "powerpoint": ("这是 PowerPoint 演示文稿，不是 Excel 工作簿。", "this is a PowerPoint file, not an Excel workbook."),
    "no_workbook": ("这是一个 zip 压缩包，但里面没有 Excel 工作簿（缺少 xl/workbook.xml）。如是多个文件打包，请用 annexproc batch。",
                    "this is a zip archive but holds no Excel workbook (no xl/workbook.xml). For a zip of several files "
                    "use `annexproc batch`."),
    # opening the workbook (workbook.py)
    "out_of_memory": ("读取时内存不足，文件过大。", "out of memory while reading; the file is too large."),
    "inflate": ("文件不完整或已损坏（压缩数据无法解开，可能下载或复制未完成）。",
                "the file is truncated or damaged (its compressed data cannot be inflated; a download or copy may not "
                "have finished)."),
    "inflate.zlib": ("文件不完整或已损坏（压缩数据无法解开）。",
                     "the file is truncated or damaged (its compressed data cannot be inflated)."),
    "no_sheet": ("文件中没有工作表。", "the file holds no worksheet."),
    "cannot_open": ("无法作为 Excel 工作簿打开（{error}: {why}）。请在 Excel 或 WPS 中打开并另存为 .xlsx 后再试。",
                    "cannot be opened as an Excel workbook ({error}: {why}). Open it in Excel or WPS, save as .xlsx and "
                    "try again."),
    "no_calamine": ("这是旧版 .xls 文件，需要 python-calamine 才能读取；请另存为 .xlsx。",
                    "this is a legacy .xls file and python-calamine is needed to read it; save it as .xlsx."),
    "legacy_encrypted": ("旧版工作簿设置了密码（已加密），无法读取。请在 Excel 中取消密码后另存为 .xlsx 再提交。",
                         "the legacy workbook is password-protected (encrypted) and cannot be read. Remove the password "
                         "in Excel, save as .xlsx and submit again."),
    "foreign_damaged": ("{label} 文件无法读取，可能已损坏（{error}: {why}）。请在 Excel 或 WPS 中打开并另存为 .xlsx。",
                        "the {label} file cannot be read and may be damaged ({error}: {why}). Open it in Excel or WPS and "
                        "save as .xlsx."),
    "short.xls": ("旧版 .xls", "xls"),
    "short.xlsb": (".xlsb", "xlsb"),
    "short.ods": (".ods", "ods"),
    # how a file that is not OOXML was read (a Book's notes, RD09)
    "format.xls": ("旧版 .xls", "legacy .xls"),
    "format.xlsb": ("二进制 .xlsb", "binary .xlsb"),
    "format.ods": ("OpenDocument .ods", "OpenDocument .ods"),
    "converted": ("{label} 已由 LibreOffice 转换为 .xlsx 读取（公式、计算结果、批注和合并单元格都已保留，检查与 .xlsx 相同）；"
                  "批注副本将另存为 .xlsx。",
                  "The {label} was converted to .xlsx by LibreOffice to be read (formulas, their results, comments and "
                  "merged cells kept: the checks are those of an .xlsx); the annotated copy will be saved as .xlsx."),
    "values_only": ("{label} 已转换读取，批注副本将另存为 .xlsx。只读取了数值和合并单元格{lo}：公式和原有批注无法读取，"
                    "因此检查公式（如手填数字代替公式）和批注内容的规则没有运行。安装 LibreOffice 或另存为 .xlsx 可做完整检查。"
                    "{uncertain}",
                    "The {label} was converted to be read; the annotated copy will be saved as .xlsx. Only values and "
                    "merged cells were read{lo}: formulas and existing comments could not be, so the rules on formulas "
                    "(such as typed numbers in place of formulas) and on comments were not run. Install LibreOffice or "
                    "save as .xlsx for the full check.{uncertain}"),
    "values_only.lo_failed": ("（LibreOffice 转换失败：{why}）", " (the LibreOffice conversion failed: {why})"),
    "values_only.no_lo": ("（未安装 LibreOffice）", " (LibreOffice is not installed)"),
    "values_only.uncertain": ("另有 {n} 个公式单元格保存的结果为 0、原本可能是文字（如“/”；LibreOffice 另存的 .xls 会这样保存），"
                              "这些单元格未作核对。",
                              " {n} formula cells store 0 where their result may have been text (such as '/'; "
                              "LibreOffice saves an .xls that way): they were not checked."),
    # what readnotes.py says of the reading: an annex on a renamed sheet (RD15's {what}), what a cell should
    # hold (RD06's {expected_kind}: an input of 附件1, 附件2's 人员到位, its 社保购买 or 工资发放)
    "annex.annex1_1": ("附件1-1", "Annex 1-1"),
    "annex.annex1_2": ("附件1-2", "Annex 1-2"),
    "annex.annex2": ("附件2", "Annex 2"),
    "expected_kind.input": ("数字，或“/”（无此指标）", "a number, or '/' (no such indicator)"),
    "expected_kind.present": ("√、—— 或 0.5 之类的数字", "√, —— or a number such as 0.5"),
    "expected_kind.tick": ("√ 或 ——", "√ or ——"),
    # the sheets' XML (xmlscan.py)
    "dtd": ("文件中的 XML{part}含有实体/DTD 声明。Excel 从不写这种内容，它可能是“XML 炸弹”，为安全起见已拒绝读取。",
            "its XML{part} contains an entity/DTD declaration. Excel never writes one; it may be an XML bomb and was "
            "refused for safety."),
    "dtd.part": ("（{part}）", " ({part})"),
    "part_missing": ("工作表的部件 {part} 缺失，文件已损坏。", "the sheet's part {part} is missing; the file is damaged."),
    "bad_ref": ("单元格引用“{ref}”无效，文件已损坏。", "invalid cell reference “{ref}”; the file is damaged."),
    "bad_number": ("数值“{value}”无效，文件已损坏。", "invalid number “{value}”; the file is damaged."),
    "bad_string": ("共享字符串编号超出范围，文件已损坏。", "a shared-string index is out of range; the file is damaged."),
    "bad_xml": ("工作表的 XML 已损坏（{why}）。", "the sheet's XML is damaged ({why})."),
    "too_many_rows": ("使用区域超过 {limit} 行（至少到第 {n} 行），附件表不会这么大；请删除多余的行后再提交。",
                      "its used range goes past {limit} rows (to row {n} at least); an annex is never this large. Delete "
                      "the extra rows and submit again."),
    "too_many_cells": ("工作簿的单元格超过 {limit} 个{merge}，附件表不会这么大，已停止读取。",
                       "the workbook holds more than {limit} cells{merge}; an annex is never this large, reading stopped."),
    "too_many_cells.merge": ("（合并区域 {ref}）", " (merged range {ref})"),
}
