"""LibreOffice as the formula oracle: recalculate workbooks the way a spreadsheet program does.

``recalc(paths, outdir)`` converts many files in one soffice call with a throwaway profile whose
``OOXMLRecalcMode`` is 0 ("always recalculate"): without it LibreOffice keeps the cached values of any
.xlsx that says it was written by Excel (xlsxwriter and openpyxl both say so). See real-parts.md.
Read the results with ``openpyxl.load_workbook(p, data_only=True)``.
"""
from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

_RECALC_ITEM = (
    '<item oor:path="/org.openoffice.Office.Calc/Formula/Load">'
    '<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>'
)
_PROFILE: Path | None = None


def soffice() -> str | None:
    """The soffice executable, or None where LibreOffice is not installed: the package's own lookup
    (``ANNEXPROC_SOFFICE`` honoured), so the oracle and the converter never disagree on which one."""
    from annexproc.convert import soffice as package_soffice
    return package_soffice()


def _env() -> dict:
    env = dict(os.environ)
    env.setdefault("HOME", tempfile.gettempdir())
    env["SAL_USE_VCLPLUGIN"] = "svp"  # NB: headless; no display is needed or wanted
    return env


def profile() -> Path:
    """A throwaway LibreOffice profile that recalculates every formula on load (made once a process)."""
    global _PROFILE
    if _PROFILE is not None and (_PROFILE / "user" / "registrymodifications.xcu").exists():
        return _PROFILE
    exe = soffice()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    prof = Path(tempfile.mkdtemp(prefix="annexproc-lo-profile-"))
    # NB: the first start creates the profile; only then can the setting be added to it.
    subprocess.run([exe, f"-env:UserInstallation={prof.as_uri()}", "--headless", "--terminate_after_init"],
                   env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180, check=False)
    xcu = prof / "user" / "registrymodifications.xcu"
    if not xcu.exists():
        raise RuntimeError(f"LibreOffice did not create its profile in {prof}")
    text = xcu.read_text(encoding="utf-8")
    if "OOXMLRecalcMode" not in text:
        text = text.replace("</oor:items>", _RECALC_ITEM + "</oor:items>", 1)
        xcu.write_text(text, encoding="utf-8")
    _PROFILE = prof
    return prof


def recalc(paths, outdir) -> list[Path]:
    """Recalculate ``paths`` with LibreOffice in one call; return the recalculated copies in ``outdir``.

    Each copy is ``outdir/<stem>.xlsx``, in the order of ``paths``. Inputs are never written: ``outdir``
    must not hold any of them, and two inputs may not share a stem.
    """
    return convert(paths, outdir, "xlsx")


def convert(paths, outdir, ext: str = "xlsx") -> list[Path]:
    """Convert ``paths`` to ``ext`` (xlsx, ods, xls, pdf …) in one soffice call, recalculating on load."""
    paths = [Path(p).resolve() for p in paths]
    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    stems = [p.stem for p in paths]
    if len(set(stems)) != len(stems):
        raise ValueError("two inputs share a file name; LibreOffice would write one over the other")
    if any(p.parent == outdir for p in paths):
        raise ValueError("outdir holds an input; LibreOffice would convert it onto itself")
    if not paths:
        return []
    prof = profile()
    proc = subprocess.run(
        [soffice(), f"-env:UserInstallation={prof.as_uri()}", "--headless", "--norestore",
         "--convert-to", ext, "--outdir", str(outdir), *map(str, paths)],
        env=_env(), capture_output=True, text=True, timeout=600, check=False)
    outs = [outdir / f"{s}.{ext.split(':')[0]}" for s in stems]
    missing = [o for o in outs if not o.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not write {missing}: {proc.stdout} {proc.stderr}")
    return outs
