"""The web application behind ``annexproc serve``: one page and ``POST /api/check``.

Starlette (routing, multipart parsing, static files) on uvicorn (the ASGI server): a small, well-kept
stack with no template engine or ORM to carry, async so that a slow upload does not hold a worker,
and a TestClient for tests. The checks are the engine's own — no rule is implemented here; each file
is checked once, in a worker process of ``pool.Checks`` (``serve``: one per core), and the server
process keeps the connections, the page and the downloads.

Keeps nothing: uploads go to a TemporaryDirectory removed before the response leaves; the
downloadable outputs live in memory (``OutputStore``), keyed by a random token, for ten minutes;
no file name is logged (uvicorn's access log is off and nothing here logs).
"""
from __future__ import annotations

import asyncio
import contextlib
import io
import os
import secrets
import tempfile
import threading
import time
import zipfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..words import both, pair, say
from .pool import Checks, WorkerFailed, from_env

STATIC = Path(__file__).parent / "static"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WORKBOOK_EXT = (".xlsx", ".xlsm", ".xls", ".ods")   # NB: .xls/.ods are read through LibreOffice (convert.py)
REPORT_EXT = (".docx", ".pdf", ".txt", ".md")   # an evaluation report dropped beside one workbook (check --report)


@dataclass(frozen=True)
class Limits:
    """What one request may carry. NB: the total caps the body before it is parsed at all."""
    file_bytes: int = 20 * 1024 * 1024        # one uploaded file, or one workbook inside a .zip
    files: int = 50                           # workbooks in one request, zips' contents included
    total_bytes: int = 100 * 1024 * 1024      # the whole request body
    zip_total_bytes: int = 200 * 1024 * 1024  # uncompressed workbooks taken out of the .zip files
    store_bytes: int = 256 * 1024 * 1024      # every download held in memory, all users together
    ttl_seconds: int = 600                    # a download token lives ten minutes




def size_text(n: int) -> str:
    """20971520 → '20 MB', 1024 → '1 KB'."""
    return f"{n / (1 << 20):g} MB" if n >= 1 << 20 else f"{max(1, n // 1024)} KB"


def _both(key: str, **kw) -> tuple[str, str]:
    """(zh, en) of one message: a refusal carries both, an RD01 reason too."""
    return both(f"web.{key}", **kw)


class OutputStore:
    """Downloads held in memory: token → bytes, expiring, bounded in total size. Thread-safe."""

    def __init__(self, max_bytes: int, ttl: float):
        self.max_bytes, self.ttl = max_bytes, ttl
        self._items: OrderedDict[str, tuple[float, str, str, bytes]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def _drop(self, token: str) -> None:
        _, _, _, data = self._items.pop(token)
        self._size -= len(data)

    def _expire(self, now: float) -> None:
        for token in [t for t, v in self._items.items() if v[0] <= now]:
            self._drop(token)

    def put(self, data: bytes, filename: str, media_type: str = XLSX) -> str | None:
        """Keep ``data``; None when it alone exceeds the bound. The oldest go first when full."""
        if len(data) > self.max_bytes:
            return None
        token = secrets.token_urlsafe(18)
        with self._lock:
            now = time.monotonic()
            self._expire(now)
            while self._items and self._size + len(data) > self.max_bytes:
                self._drop(next(iter(self._items)))
            self._items[token] = (now + self.ttl, filename, media_type, data)
            self._size += len(data)
        return token

    def get(self, token: str) -> tuple[str, str, bytes] | None:
        with self._lock:
            self._expire(time.monotonic())
            item = self._items.get(token)
        return None if item is None else item[1:]

    @property
    def size(self) -> int:
        return self._size

    def __len__(self) -> int:
        return len(self._items)


# --- taking the upload apart -------------------------------------------------------------------

@dataclass
class Item:
    """One workbook to check, or one upload that cannot be checked (``problem``: zh, en)."""
    name: str
    path: str | None = None
    problem: tuple[str, str] | None = None
    is_report: bool = False              # an evaluation report (.docx/.pdf/.txt/.md), not a workbook
    report: Item | None = None           # the report dropped beside this workbook


def _attach_report(items: list[Item]) -> list[Item]:
    """One report beside one workbook goes with it; a report otherwise is a problem of its own."""
    reports = [i for i in items if i.is_report]
    rest = [i for i in items if not i.is_report]
    books = [i for i in rest if i.path]
    if len(reports) == 1 and len(books) == 1:
        books[0].report = reports[0]
        return rest
    return rest + [Item(r.name, problem=_both("report_alone")) for r in reports]


class _TooLarge(Exception):
    pass


def _limited(receive, limit: int):
    """Wrap the ASGI receive so that a body over ``limit`` bytes stops being read (chunked too)."""
    seen = 0

    async def wrapped():
        nonlocal seen
        message = await receive()
        if message.get("type") == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _TooLarge
        return message

    return wrapped


def _unzip(zpath: str, zname: str, tmp: str, limits: Limits, budget: list[int]) -> list[Item]:
    """The workbooks of an uploaded .zip, found as ``annexproc batch`` finds them.

    ``batch.iter_workbooks`` decodes GBK member names, skips lock and hidden files, refuses nested
    zips, encrypted members and zip bombs; each member is then written under a name of our own
    (never the member's path), reading at most the cap even if the header lies.
    """
    from ..batch import iter_workbooks

    items: list[Item] = []
    for src in iter_workbooks([zpath], max_member=limits.file_bytes, max_total=budget[0]):
        shown = zname + src.display[len(zpath):] if src.display.startswith(zpath) else zname
        if src.problem is not None or src.member is None:
            items.append(Item(shown, problem=src.problem or _both("zip_empty")))
            continue
        out = _own_path(tmp, src.name)
        try:
            with zipfile.ZipFile(zpath) as zf, zf.open(zf.infolist()[src.member]) as fin:
                data = fin.read(limits.file_bytes + 1)
        except (zipfile.BadZipFile, RuntimeError, OSError, EOFError, NotImplementedError, ValueError):
            items.append(Item(shown, problem=_both("bad_zip")))
            continue
        if len(data) > min(limits.file_bytes, budget[0]):
            items.append(Item(shown, problem=_both("member_too_large", size=size_text(limits.file_bytes))))
            continue
        budget[0] -= len(data)
        with open(out, "wb") as fh:
            fh.write(data)
        items.append(Item(shown, path=out))
    return items or [Item(zname, problem=_both("zip_empty"))]


# --- checking one workbook ---------------------------------------------------------------------

def _verdict(rep) -> dict:
    if rep.read_error is not None:
        status = "unreadable"
    elif rep.errors:
        status = "errors"
    elif rep.warnings:
        status = "warnings"
    else:
        status = "clean"
    return {"status": status, "errors": rep.errors, "warnings": rep.warnings, "infos": rep.infos,
            "exit_code": rep.exit_code}


def _figures(rep, lang: str) -> list[dict]:
    """The key figures as the page shows them; one an error changes says what it should be."""
    from ..i18n import affected_figures, figure_name
    from ..render import figure_text
    affected = affected_figures(rep.findings)
    out = []
    for k, v in rep.figures.items():
        if isinstance(v, (dict, list, tuple)):
            continue
        fig = {"key": k, "name": figure_name(k, lang), "text": figure_text(k, v)}
        if k in affected:
            fig["should"] = figure_text(k, affected[k][0][2])
        out.append(fig)
    return out


def _finding_words(rep, lang: str) -> dict:
    """The findings in one language, and beside each the page's own words (its cell or range as shown)."""
    from ..finding_words import region_text
    doc = rep.to_dict(lang)
    # NB: the findings stay the command line's JSON, key for key; the page's extra words go beside them
    words = [{"where": region_text(f, lang)} for f in rep.sorted_findings()]
    return {"findings": doc["findings"], "finding_words": words, "read_error": doc["read_error"]}


def _entry_words(rep, lang: str, views) -> dict:
    """What of a file's entry is in one language: the findings' messages, the figures, the sheets, why unreadable."""
    return {**_finding_words(rep, lang), "figures_display": _figures(rep, lang), "views": views}


def _views(rep, lang: str) -> list[dict]:
    from .render_html import sheet_html
    book = rep.book
    if book is None:
        return []
    from ..findings import SEVERITY_ORDER
    by_sheet: dict[str, dict[str, list]] = {}
    counts: dict[str, list] = {}
    for f in rep.findings:
        if f.sheet and f.cell:
            counts.setdefault(f.sheet, []).append(f)
            for cell in f.all_cells:   # NB: a finding said once for a region flags each of its cells
                by_sheet.setdefault(f.sheet, {}).setdefault(cell, []).append(f)
    views = []
    for sheet in book.sheets:
        if sheet.state != "visible" and sheet.name not in by_sheet:
            continue
        try:
            body = sheet_html(sheet, by_sheet.get(sheet.name, {}), lang=lang)
        except Exception as exc:  # NB: a sheet we cannot draw must not hide the findings
            body = f'<p class="cut">{type(exc).__name__}</p>'
        mine = counts.get(sheet.name, [])
        views.append({"sheet": sheet.name, "html": body, "findings": len(mine),
                      "worst": min((f.severity for f in mine), key=lambda s: SEVERITY_ORDER.get(s, 9), default=None)})
    return views


def _stem(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    return os.path.splitext(base)[0] or "workbook"


def check_item(item: Item, lang: str, tmp: str, n: int, options=None) -> dict:
    """Check one workbook (blocking) → its JSON entry, plus the outputs' bytes to store.

    The check and both copies go through ``pipeline.process`` (the server's ``options``: selection,
    re-grading, parameters), one check per file.
    """
    import dataclasses

    from ..pipeline import Options, process
    from ..report import Report

    if item.path is None:
        rep = Report.unreadable(item.name, *(item.problem or _both("not_excel")))
        outputs: dict[str, bytes] = {}
    else:
        paths = {kind: os.path.join(tmp, f"{kind[0]}{n}.xlsx") for kind in ("annotated", "recomputed")}
        done = process(item.path, dataclasses.replace(
            options or Options(), lang=lang, keep_going=True, annotated=paths["annotated"],
            recomputed=paths["recomputed"], report_file=item.report.path if item.report is not None else None))
        rep = done.report
        outputs = {}
        for kind, path in paths.items():   # NB: the page shows a download button only for what was written
            if rep.readable and kind not in done.failed and os.path.exists(path):
                with open(path, "rb") as fh:
                    outputs[kind] = fh.read()
    # NB: both languages: the page switches language without sending the files again. The views are
    # drawn from what the check read, which the copies' writers do not change
    views = {lg: (_views(rep, lg) if rep.readable else []) for lg in ("zh", "en")}
    # NB: the entry after the writers: write_annotated adds to the report an RD10 finding for what the
    # copy cannot carry, and the page must list what the copy's 核查结果 lists (RD10 has no cell, so
    # the views drawn above miss nothing)
    entry = rep.to_dict(lang)
    # NB: the temporary path means nothing to the user and must not leak into any output
    entry["path"] = entry["name"] = item.name
    entry["verdict"] = _verdict(rep)
    words = {lg: _entry_words(rep, lg, views[lg]) for lg in ("zh", "en")}
    entry.update(words[lang])
    entry["langs"] = {lg: w for lg, w in words.items() if lg != lang}
    entry["report"] = item.report.name if item.report is not None else None
    rep.path, rep.book, rep.located = item.name, None, None   # NB: after the writers, which may reopen rep.path
    return {"entry": entry, "outputs": outputs, "report": rep}


def _batch_zip(results: list[dict], lang: str, tmp: str) -> bytes:
    """What ``annexproc batch`` writes into its folder — summary.xlsx, findings.csv, report.json
    and the annotated copies — as one .zip, written by batch's own writers."""
    from ..batch import FileResult, write_findings_csv, write_report_json, write_summary

    out = os.path.join(tmp, "batch-out")
    os.makedirs(out, exist_ok=True)
    taken = {"summary.xlsx", "findings.csv", "report.json"}
    copies: dict[str, bytes] = {}
    file_results = []
    for i, r in enumerate(results):
        copy = None
        data = r["outputs"].get("annotated")
        if data is not None:
            stem, k = _stem(r["entry"]["name"]), 1
            copy = f"{stem}.xlsx"
            while copy.casefold() in taken:
                k += 1
                copy = f"{stem} ({k}).xlsx"
            taken.add(copy.casefold())
            copies[copy] = data
        file_results.append(FileResult(i, r["report"], copy))
    write_summary(file_results, os.path.join(out, "summary.xlsx"), lang)
    write_findings_csv(file_results, os.path.join(out, "findings.csv"), lang)
    write_report_json(file_results, os.path.join(out, "report.json"), lang)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in ("summary.xlsx", "findings.csv", "report.json"):
            zf.write(os.path.join(out, name), name)
        for name, data in copies.items():
            zf.writestr(name, data)
    return buf.getvalue()


# --- the application ---------------------------------------------------------------------------

def _lang(value: Any) -> str:
    return "en" if str(value or "").lower().startswith("en") else "zh"


def _refuse(status: int, key: str, **kw) -> JSONResponse:
    return JSONResponse({"error": key, "message": dict(zip(("zh", "en"), _both(key, **kw)))}, status_code=status)


def _failed(item: Item, exc: WorkerFailed, lang: str, tmp: str, n: int, timeout: float) -> dict:
    """The entry of a file that got no result (its worker died, hung or raised): unreadable, saying why."""
    # NB: what was raised may name the temporary path: the user sees their own file's name, never ours
    detail = exc.detail.replace(item.path or tmp, item.name).replace(tmp, "")
    kw = {"s": f"{timeout:g}"} if exc.kind == "timeout" else {"detail": detail} if exc.kind == "raised" else {}
    return check_item(Item(item.name, problem=_both(f"worker_{exc.kind}", **kw)), lang, tmp, n)


def create_app(limits: Limits | None = None, workers: int = 0, waiting: int = 64,
               timeout: float = 300.0, options=None) -> Starlette:
    """The ASGI application. ``limits`` is for tests and deployments that need other bounds.

    ``workers``: processes checking files (``serve`` gives one per core; 0, the default here, checks in
    the server's own threads, as tests that patch the engine need); ``waiting``: files queued beyond
    those being checked before an upload is answered 503 busy; ``timeout``: seconds one file may take
    in a worker; ``options`` (``pipeline.Options``): the selection, re-grading and parameters every
    upload is checked with (``annexproc serve --select … --params …``).
    """
    limits = limits or Limits()
    store = OutputStore(limits.store_bytes, limits.ttl_seconds)
    checks = Checks(workers, waiting, timeout)

    async def check_all(items: list[Item], lang: str, tmp: str) -> list[dict]:
        async def one(n: int, item: Item) -> dict:
            if item.path is None:   # NB: a refusal needs no worker
                return await run_in_threadpool(check_item, item, lang, tmp, n)
            try:
                return await checks.run(check_item, item, lang, tmp, n, options)
            except WorkerFailed as exc:
                return await run_in_threadpool(_failed, item, exc, lang, tmp, n, timeout)
        # NB: the files of one upload go to the workers together; each is one hop, so other users'
        # files interleave with them
        return list(await asyncio.gather(*(one(n, item) for n, item in enumerate(items))))

    async def index(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-store"})

    async def api_check(request: Request) -> Response:
        clen = request.headers.get("content-length")
        if clen and clen.isdigit() and int(clen) > limits.total_bytes:
            return _refuse(413, "body_too_large", size=size_text(limits.total_bytes))
        req = Request(request.scope, receive=_limited(request.receive, limits.total_bytes))
        try:
            # NB: the parser's own file cap sits above ours so that ours, with its message, speaks
            form = await req.form(max_files=limits.files + 1, max_fields=20)
        except _TooLarge:
            return _refuse(413, "body_too_large", size=size_text(limits.total_bytes))
        except HTTPException as exc:
            if "files" in str(exc.detail).lower():
                return _refuse(413, "too_many", n=limits.files)
            return _refuse(400, "bad_form", detail=exc.detail)
        try:
            lang = _lang(form.get("lang") or request.query_params.get("lang"))
            uploads = [u for u in form.getlist("files") if hasattr(u, "filename")]
            if not uploads:
                return _refuse(400, "no_files")
            if len(uploads) > limits.files:
                return _refuse(413, "too_many", n=limits.files)
            for u in uploads:
                if (u.size or 0) > limits.file_bytes:
                    return _refuse(413, "file_too_large", name=u.filename or "?",
                                   size=size_text(limits.file_bytes))
            if checks.pending >= checks.capacity:   # NB: said before the files are written out
                return _busy(checks.pending)
            with tempfile.TemporaryDirectory(prefix="annexproc-web-") as tmp:
                items = _attach_report(await run_in_threadpool(_spool, uploads, tmp, limits))
                books = sum(1 for i in items if i.path)
                if books > limits.files:
                    return _refuse(413, "too_many", n=limits.files)
                if not checks.admit(books):
                    return _busy(checks.pending)
                try:
                    results = await check_all(items, lang, tmp)
                finally:
                    checks.release(books)
                doc = await run_in_threadpool(_respond, results, lang, store, tmp, items, options)
            return JSONResponse(doc, headers={"Cache-Control": "no-store"})
        finally:
            await form.close()

    async def download(request: Request) -> Response:
        got = store.get(request.path_params["token"])
        if got is None:
            return _refuse(404, "expired")
        filename, media, data = got
        ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
        return Response(data, media_type=media, headers={
            "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}",
            "Cache-Control": "no-store"})

    async def health(request: Request) -> Response:
        return JSONResponse({"ok": True, "limits": {"file_bytes": limits.file_bytes, "files": limits.files,
                                                    "total_bytes": limits.total_bytes,
                                                    "file_size": size_text(limits.file_bytes)}})

    async def favicon(request: Request) -> Response:
        return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")

    @contextlib.asynccontextmanager
    async def lifespan(app):
        checks.start()   # NB: the workers are up before the first upload, not started by it
        try:
            yield
        finally:
            checks.close()

    app = Starlette(middleware=[Middleware(SecurityHeaders)], lifespan=lifespan, routes=[
        Route("/", index),
        Route("/api/check", api_check, methods=["POST"]),
        Route("/api/download/{token}", download),
        Route("/api/health", health),
        Route("/favicon.ico", favicon),
        Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
    ])
    app.state.store = store
    app.state.limits = limits
    app.state.checks = checks
    return app


def _busy(pending: int) -> JSONResponse:
    r = _refuse(503, "busy", n=pending)
    r.headers["Retry-After"] = "5"
    return r


def _own_path(tmp: str, name: str) -> str:
    """A path for an upload in a folder of its own, under the user's own file name (made safe).

    NB: a message that names the file (an unreadable workbook, the copy's 核查结果) then names the
    user's file, never a server's temporary name such as 'u0.xlsx'.
    """
    from ..batch.outputs import safe_name
    folder = tempfile.mkdtemp(prefix="f", dir=tmp)
    stem, ext = os.path.splitext(safe_name(name.replace("\\", "/").rsplit("/", 1)[-1]))
    while len((stem + ext).encode("utf-8")) > 200:   # NB: a file name holds at most 255 bytes
        stem = stem[:-1]
    return os.path.join(folder, (stem or "workbook") + ext)


def _spool(uploads, tmp: str, limits: Limits) -> list[Item]:
    """Write the uploads into ``tmp`` under names of our own; open the zips."""
    items: list[Item] = []
    budget = [limits.zip_total_bytes]
    for k, u in enumerate(uploads):
        name = (u.filename or f"file{k}").replace("\\", "/").rsplit("/", 1)[-1] or f"file{k}"
        ext = os.path.splitext(name)[1].lower()
        if ext not in WORKBOOK_EXT + (".zip",) + REPORT_EXT:
            items.append(Item(name, problem=_both("not_excel")))
            continue
        path = _own_path(tmp, name)
        u.file.seek(0)
        with open(path, "wb") as fh:
            while chunk := u.file.read(1 << 20):
                fh.write(chunk)
        if ext == ".zip":
            items.extend(_unzip(path, name, tmp, limits, budget))
            os.remove(path)
        elif ext in REPORT_EXT:
            items.append(Item(name, path=path, is_report=True))
        else:
            items.append(Item(name, path=path))
    return items


def _cross_station(results: list[dict], lang: str) -> list[dict]:
    """The batch's cross-station pass over the uploaded workbooks: each one's findings and verdict gain
    its XS05/XS06; returns them as the batch view lists them (one row per file naming the worker)."""
    from ..crossstation import add_cross_station
    reports = [r["report"] for r in results]
    add_cross_station(reports)
    rows = []
    for r, rep in zip(results, reports):
        entry = r["entry"]
        for lg in ("zh", "en"):   # NB: both languages: the page switches without asking again
            target = entry if lg == lang else entry.get("langs", {}).get(lg)
            if target is not None:
                target.update(_finding_words(rep, lg))
                target["figures_display"] = _figures(rep, lg)
        entry["verdict"] = _verdict(rep)
        for f in rep.sorted_findings():
            if f.rule in ("XS05", "XS06"):
                a = dict(f.args)
                rows.append({"rule": f.rule, "severity": f.severity, "worker": f.worker, "file": rep.path,
                             "station": rep.station, "cell": f"{f.sheet}!{f.cell}",
                             "other_file": a.get("other_file"), "other_station": a.get("other_station"),
                             "message": f.message(lang), "messages": {lg: f.message(lg) for lg in ("zh", "en")}})
    return rows


def _rewrite_copies(results: list[dict], items: list[Item], lang: str, tmp: str, options) -> None:
    """A workbook that gained an XS05 error in the cross-station pass gets its annotated copy written again
    with its cross-station findings, as ``annexproc batch`` does: its download and the batch .zip carry
    them. Rare (a worker counted by two stations), so one more check of those files only."""
    import dataclasses

    from ..pipeline import Options, process
    for n, (r, item) in enumerate(zip(results, items)):
        cross = tuple(f for f in r["report"].findings if f.rule in ("XS05", "XS06"))
        if item.path is None or "annotated" not in r["outputs"] or not any(f.rule == "XS05" for f in cross):
            continue
        out = os.path.join(tmp, f"x{n}.xlsx")
        done = process(item.path, dataclasses.replace(
            options or Options(), lang=lang, keep_going=True, annotated=out, extra=cross,
            report_file=item.report.path if item.report is not None else None))
        if "annotated" not in done.failed and os.path.exists(out):
            with open(out, "rb") as fh:
                r["outputs"]["annotated"] = fh.read()


def _respond(results: list[dict], lang: str, store: OutputStore, tmp: str, items: list[Item] | None = None,
             options=None) -> dict:
    from ..report import SCHEMA
    batch, cross = None, []
    if len(results) > 1:
        cross = _cross_station(results, lang)
        if items is not None:
            _rewrite_copies(results, items, lang, tmp, options)
        name = say("web.batch_zip", lang)
        batch = store.put(_batch_zip(results, lang, tmp), name, "application/zip")
    suffix = {kind: say(f"web.suffix_{kind}", lang) for kind in ("annotated", "recomputed")}
    files = []
    for r in results:
        entry = r["entry"]
        entry["downloads"] = {kind: store.put(data, _stem(entry["name"]) + suffix[kind] + ".xlsx")
                              for kind, data in r["outputs"].items()}
        files.append(entry)
    return {"schema": SCHEMA, "lang": lang, "files": files, "batch_download": batch, "cross_station": cross,
            "exit_code": max((f["verdict"]["exit_code"] for f in files), default=0)}


class SecurityHeaders:
    """Headers that keep the page to itself: no script or style from anywhere else, ever.

    NB: with ``script-src 'self'`` even a cell that slipped past the escaping could not run.
    """
    CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
           "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": list(message.get("headers", [])) + [
                    (b"content-security-policy", self.CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer")]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def serve(host: str = "127.0.0.1", port: int = 8000, workers: int | None = None, waiting: int | None = None,
          options=None) -> None:
    """Run the page with uvicorn. NB: access_log off — a URL or a name is not to be kept.

    ``workers`` (default ``ANNEXPROC_WEB_WORKERS``, else one per core; 0 checks in the server's own
    threads) and ``waiting`` (default ``ANNEXPROC_WEB_WAITING``, else 64) as in ``create_app``.
    """
    import uvicorn
    workers = from_env("ANNEXPROC_WEB_WORKERS", os.cpu_count() or 1) if workers is None else workers
    waiting = from_env("ANNEXPROC_WEB_WAITING", 64) if waiting is None else waiting
    print(pair("web.serving", host=host, port=port), flush=True)
    uvicorn.run(create_app(workers=workers, waiting=waiting, options=options), host=host, port=port, access_log=False,
                log_level="warning", server_header=False)
