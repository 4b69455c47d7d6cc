"""Take docs/web-screenshot.png: the web page's single-workbook view of a broken copy of the sample.

    python docs/make_screenshot.py [--out docs/web-screenshot.png]

Needs samples/sample.xlsx, Debian's chromium (/usr/bin/chromium), the pip package playwright and
fonts-noto-cjk. The copy differs from the sample in one cached value only (附件1-1!H6, a 百分比
typed over: 70.00% where 1754/2300 gives 76.26%), written with annexproc.xlsxpatch so that every
other cell keeps its value; the page then shows what `annexproc check` finds in it.
"""
from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "sample.xlsx"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
BROKEN = {"附件1-1": {(6, 8): 0.70}}


def broken_copy(out: Path) -> Path:
    from annexproc.xlsxpatch import patch_cached_values

    def value_for(sheet, pos):
        return BROKEN.get(sheet, {}).get(pos)   # NB: None leaves the cell as it is

    patch_cached_values(str(SAMPLE), str(out), value_for)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "web-screenshot.png"))
    ap.add_argument("--lang", choices=["zh", "en"], default="zh")
    args = ap.parse_args()

    import uvicorn
    from playwright.sync_api import sync_playwright

    from annexproc.web.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, access_log=False,
                                        log_level="warning", lifespan="off"))
    threading.Thread(target=srv.run, daemon=True).start()
    while not srv.started:
        time.sleep(0.05)
    try:
        with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
            wb = broken_copy(Path(tmp) / "逢源街社工服务站_附件.xlsx")
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page.add_init_script(f"localStorage.setItem('annexproc.lang', '{args.lang}')")
            page.goto(f"http://127.0.0.1:{port}/")
            page.set_input_files("#file", str(wb))
            page.locator("#verdict").wait_for(state="visible", timeout=60000)
            flagged = page.locator("#sheet td.flag.sev-error")
            if not flagged.count():
                flagged = page.locator("#sheet td.flag")
            if flagged.count():
                flagged.first.click()       # its message opens under it, as on a tap
            else:
                print("note: no cell is flagged (are the annex checkers installed?)", file=sys.stderr)
            page.screenshot(path=args.out, full_page=True)
            browser.close()
    finally:
        srv.should_exit = True
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
