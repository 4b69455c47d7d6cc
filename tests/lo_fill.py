"""Filling a workbook in LibreOffice as a person does: text entered into cells, the file saved by the program.

``fill(jobs, outdir)`` starts soffice once with a small LibreOffice Basic macro (installed into the oracle's
throwaway profile, lo_oracle.profile()). For each job it opens the workbook, enters every value with
``XCell.setFormula`` — the API twin of typing into the input line: "0.5" becomes a number, "√" a text,
exactly as LibreOffice parses what is typed — recalculates, and saves it as .xlsx ("Calc MS Excel 2007 XML").
Basic, not Python-UNO: Basic ships with every LibreOffice; python3-uno is a separate package.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import lo_oracle

MODULE = "AnnexFill"
_BASIC = r'''<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="AnnexFill" script:language="StarBasic">
REM Each line of the job file: input path TAB typed-values path TAB output path.
REM Each line of a values file: sheet TAB cell TAB text as typed.
Function Lines(sPath As String)
  Dim oSFA, oText, aOut(), n As Long
  oSFA = createUnoService(&quot;com.sun.star.ucb.SimpleFileAccess&quot;)
  oText = createUnoService(&quot;com.sun.star.io.TextInputStream&quot;)
  oText.setInputStream(oSFA.openFileRead(ConvertToURL(sPath)))
  oText.setEncoding(&quot;UTF-8&quot;)
  n = 0
  Do While Not oText.isEOF()
    ReDim Preserve aOut(n)
    aOut(n) = Replace(Replace(oText.readLine(), Chr(13), &quot;&quot;), Chr(10), &quot;&quot;)
    n = n + 1
  Loop
  oText.closeInput()
  If n = 0 Then Lines = Array() Else Lines = aOut()
End Function

Sub Main
  Dim aJobs, aJob, aVals, aCell, oDoc, oOut, oSheet, oShape, i As Long, j As Long, k As Long
  Dim aLoad(0) As New com.sun.star.beans.PropertyValue
  Dim aSave(0) As New com.sun.star.beans.PropertyValue
  aLoad(0).Name = &quot;Hidden&quot; : aLoad(0).Value = True
  aSave(0).Name = &quot;FilterName&quot; : aSave(0).Value = &quot;Calc MS Excel 2007 XML&quot;
  aJobs = Lines(Environ(&quot;ANNEXPROC_FILL_JOBS&quot;))
  For i = LBound(aJobs) To UBound(aJobs)
    aJob = Split(aJobs(i), Chr(9))
    oDoc = StarDesktop.loadComponentFromURL(ConvertToURL(aJob(0)), &quot;_blank&quot;, 0, aLoad())
    aVals = Lines(aJob(1))
    For j = LBound(aVals) To UBound(aVals)
      aCell = Split(aVals(j), Chr(9))
      oDoc.Sheets.getByName(aCell(0)).getCellRangeByName(aCell(1)).setFormula(aCell(2))
    Next j
    oDoc.calculateAll()
    oDoc.storeToURL(ConvertToURL(aJob(2)), aSave())
    REM after saving (its circles are not to be saved): which sheets hold values their validation refuses
    oOut = createUnoService(&quot;com.sun.star.io.TextOutputStream&quot;)
    oOut.setOutputStream(createUnoService(&quot;com.sun.star.ucb.SimpleFileAccess&quot;).openFileWrite(ConvertToURL(aJob(2) &amp; &quot;.invalid.tsv&quot;)))
    oOut.setEncoding(&quot;UTF-8&quot;)
    For j = 0 To oDoc.Sheets.Count - 1
      oSheet = oDoc.Sheets.getByIndex(j)
      If oSheet.showInvalid() Then
        REM the circles it draws are anchored at the invalid cells (notes are caption shapes, not ellipses)
        For k = 0 To oSheet.DrawPage.Count - 1
          oShape = oSheet.DrawPage.getByIndex(k)
          If oShape.ShapeType = &quot;com.sun.star.drawing.EllipseShape&quot; Then
            oOut.writeString(oSheet.Name &amp; Chr(9) &amp; oShape.Anchor.AbsoluteName &amp; Chr(10))
          End If
        Next k
      End If
    Next j
    oOut.closeOutput()
    oDoc.close(True)
  Next i
  StarDesktop.terminate()
End Sub
</script:module>
'''


def _install(profile: Path) -> None:
    std = profile / "user" / "basic" / "Standard"
    (std / f"{MODULE}.xba").write_text(_BASIC, encoding="utf-8")
    xlb = std / "script.xlb"
    text = xlb.read_text(encoding="utf-8")
    if f'"{MODULE}"' not in text:
        xlb.write_text(text.replace("</library:library>",
                                    f' <library:element library:name="{MODULE}"/>\n</library:library>'),
                       encoding="utf-8")


def fill(jobs: list[tuple[Path, dict[tuple[str, str], str], Path]], workdir: Path) -> list[Path]:
    """Type ``{(sheet, A1): text}`` into each input workbook and save it as the output .xlsx (one soffice).

    Next to each output, ``<out>.invalid.tsv`` lists the cells whose value LibreOffice's validity check
    (有效性, 标记无效数据) marks as invalid (``invalid(out)`` reads it): its own verdict on the validations.
    """
    prof = lo_oracle.profile()
    _install(prof)
    workdir.mkdir(parents=True, exist_ok=True)
    lines = []
    for i, (src, values, out) in enumerate(jobs):
        vals = workdir / f"values_{i}.tsv"
        vals.write_text("".join(f"{s}\t{a}\t{t}\n" for (s, a), t in values.items()), encoding="utf-8")
        lines.append(f"{Path(src).resolve()}\t{vals.resolve()}\t{Path(out).resolve()}\n")
    job = workdir / "jobs.tsv"
    job.write_text("".join(lines), encoding="utf-8")
    env = {**lo_oracle._env(), "ANNEXPROC_FILL_JOBS": str(job.resolve())}
    proc = subprocess.run([lo_oracle.soffice(), f"-env:UserInstallation={prof.as_uri()}", "--headless",
                           "--norestore", f"macro:///Standard.{MODULE}.Main"],
                          env=env, capture_output=True, text=True, timeout=600, check=False)
    outs = [Path(out) for _, _, out in jobs]
    missing = [o for o in outs if not o.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not write {missing}: {proc.stdout} {proc.stderr}")
    return outs


def invalid(out: Path) -> set[tuple[str, str]]:
    """(sheet, A1) of every cell of a filled workbook whose value LibreOffice's validity check refuses."""
    text = Path(f"{out}.invalid.tsv").read_text(encoding="utf-8")
    return {(s, a.rsplit(".", 1)[-1].replace("$", "")) for s, a in (ln.split("\t") for ln in text.splitlines())}
