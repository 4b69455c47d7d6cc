"""The batch's words: why a file is not checked (an RD01 row), a note on a checked file, the terminal."""

WORDS = {
    # why a file of the inputs is not checked (an RD01 row)
    "not_workbook": ("不是 Excel 工作簿（{ext}），未检查；文件夹里的每个文件都会列出，以免漏看发错格式的附件",
                     "not an Excel workbook ({ext}), not checked; every file of a folder is listed so that an "
                     "annex sent in the wrong format is not missed"),
    "no_ext": ("无扩展名", "no extension"),
    "missing": ("找不到文件：{path}", "No such file: {path}"),
    "bad_zip": ("无法作为 .zip 压缩包打开（{why}）", "cannot be opened as a .zip archive ({why})"),
    "nested_zip": ("压缩包内的压缩包不展开检查，请先解压", "an archive inside an archive is not opened; unpack it first"),
    "encrypted": ("压缩包成员已加密，无法读取", "the archive member is encrypted and cannot be read"),
    "too_big": ("解压后 {size} 字节，超过单个文件上限 {cap} 字节（疑似压缩炸弹），未解压",
                "{size} bytes uncompressed, over the per-file cap of {cap} bytes (probable zip bomb); not extracted"),
    "ratio": ("压缩比 {ratio}:1 异常（疑似压缩炸弹），未解压", "compression ratio {ratio}:1 (probable zip bomb); not extracted"),
    "zip_total": ("压缩包解压总量超过上限 {cap} 字节（疑似压缩炸弹），其余成员未解压",
                  "the archive's members exceed the total cap of {cap} bytes (probable zip bomb); not extracted"),
    "too_many": ("压缩包有 {n} 个条目，只列出前 {cap} 个", "the archive holds {n} entries; only the first {cap} are listed"),
    "lied": ("解压时超过声明的大小或上限（疑似压缩炸弹），已停止", "grew past its declared size or the cap while extracting "
             "(probable zip bomb); stopped"),
    "extract_failed": ("无法从压缩包中取出（{why}）", "cannot be extracted from the archive ({why})"),
    "worker_died": ("检查进程异常退出（文件可能过大或已损坏）", "the checking process died (the file may be too large or damaged)"),
    "worker_error": ("检查时出错：{why}", "checking failed: {why}"),
    # a note on a checked file
    "annotate_failed": ("批注副本写出失败：{why}", "the annotated copy could not be written: {why}"),
    # the terminal
    "nothing": ("没有找到任何工作簿", "no workbook found"),
    "same_folder": ("-o 输出目录不能是输入文件夹本身（{path}）：批注副本会与各站原文件混在一起。请另选一个目录，例如 -o 核查结果/",
                    "-o cannot be the input folder itself ({path}): the annotated copies would mix with the stations' "
                    "own files. Choose another folder, e.g. -o results/"),
    "interrupted": ("已中断：未写完的文件已删除", "interrupted: unfinished files were removed"),
    "headline": ("共 {n} 个工作簿：可读 {ok} 个（无错误 {clean}，有错误 {bad}），无法读取 {unreadable} 个",
                 "{n} workbooks: {ok} readable ({clean} without errors, {bad} with errors), {unreadable} unreadable"),
    "skipped": ("已跳过 {n} 个锁文件、隐藏或系统文件", "skipped {n} lock, hidden or system files"),
    "wrote": ("已写出：{outdir}（summary.xlsx、findings.csv、report.json，批注副本 {n} 个）",
              "wrote: {outdir} (summary.xlsx, findings.csv, report.json, {n} annotated copies)"),
    "progress": ("核查中", "checking"),
}
