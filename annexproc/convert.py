"""Reading .xls and .ods through LibreOffice: a headless conversion to .xlsx in a private, throwaway profile.

An .xls or .ods holds formulas, cached values, comments and merges that python-calamine cannot give us
(values only, and no merges for .ods). When LibreOffice is installed, ``converted(path)`` copies the
file into a private temporary folder, has ``soffice --headless --convert-to xlsx`` write an .xlsx
beside the copy, and yields that .xlsx; the folder (copy, profile, output, LibreOffice's lock file)
is removed afterwards. The input itself is only ever read, once, by the copy. The conversion is
bounded in time (``TIMEOUT`` seconds, then the whole process group is killed); its profile switches
off the update check and every macro, so nothing in the file is run and nothing is fetched.

A plain .xlsx check never comes here (``workbook.open_book`` calls this only for .xls and .ods).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

#: Seconds a conversion may take: a cold start costs about 2 s, an annex workbook well under 1 s more.
TIMEOUT = 90

# NB: written into the fresh profile before LibreOffice first starts, which keeps and merges it.
# MacroSecurityLevel 3 + DisableMacrosExecution: no macro of the file ever runs; AutoCheckEnabled off:
# no update check where the build has one (the only network access a headless conversion would try).
_PROFILE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Jobs/Jobs/org.openoffice.Office.Jobs:Job['UpdateCheck']/Arguments"><prop oor:name="AutoCheckEnabled" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


class ConversionFailed(Exception):
    """LibreOffice did not produce the .xlsx (timed out, crashed, or refused the file)."""


def soffice() -> str | None:
    """The LibreOffice executable, or None where it is not installed (``ANNEXPROC_SOFFICE`` overrides;
    set it to an empty string to read .xls/.ods without LibreOffice)."""
    override = os.environ.get("ANNEXPROC_SOFFICE")
    if override is not None:
        return (shutil.which(override) or (override if os.access(override, os.X_OK) else None)) if override else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def _env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env["HOME"] = str(home)            # NB: nothing of LibreOffice's lands in the user's home
    env["SAL_USE_VCLPLUGIN"] = "svp"   # NB: headless; no display is needed or wanted
    return env


def _end(proc: subprocess.Popen) -> None:
    """End the conversion: soffice starts soffice.bin as its child, so end the group it leads, nothing else."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


@contextlib.contextmanager
def converted(src, kind: str, *, timeout: float = TIMEOUT) -> Iterator[str]:
    """Yield the path of an .xlsx LibreOffice made of ``src`` (an .xls or .ods: a ``source.Source``, whose
    bytes are written for LibreOffice, or a path); removed on exit.

    Raises ConversionFailed when LibreOffice is missing, times out or writes nothing.
    """
    book_src = src
    exe = soffice()
    if exe is None:
        raise ConversionFailed("LibreOffice (soffice) is not installed")
    try:
        tmp = Path(tempfile.mkdtemp(prefix="annexproc-convert-"))
    except OSError as exc:
        raise ConversionFailed(f"no temporary folder for the conversion ({type(exc).__name__})") from exc
    try:
        # NB: a fixed, plain name: a file name starting with '-' or holding odd characters is never
        # seen by soffice's command line, and its lock file lands here, not beside the user's file.
        src, out = tmp / f"book.{kind}", tmp / "out"
        try:
            if hasattr(book_src, "data"):
                src.write_bytes(book_src.data)
            else:
                shutil.copyfile(book_src, src)
            (tmp / "profile" / "user").mkdir(parents=True)
            (tmp / "profile" / "user" / "registrymodifications.xcu").write_text(_PROFILE_XCU, encoding="utf-8")
            out.mkdir()
        except OSError as exc:   # NB: a full or unwritable temporary folder: read the values instead
            raise ConversionFailed(f"no room for the conversion ({type(exc).__name__})") from exc
        cmd = [exe, f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--nodefault", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
               "--outdir", str(out), str(src)]
        try:
            proc = subprocess.Popen(cmd, env=_env(tmp), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, cwd=tmp, start_new_session=True)
        except OSError as exc:
            raise ConversionFailed(f"LibreOffice could not be started ({type(exc).__name__})") from exc
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _end(proc)
            raise ConversionFailed(f"LibreOffice took longer than {timeout:g} s") from None
        except BaseException:   # NB: Ctrl-C while it converts: leave no LibreOffice behind
            _end(proc)
            raise
        result = out / "book.xlsx"
        if not result.is_file() or result.stat().st_size == 0:
            raise ConversionFailed(f"LibreOffice wrote no .xlsx (exit status {proc.returncode})")
        yield str(result)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
