"""Issue 10: the web page in a real headless Chromium (Debian's), driven by Playwright for Python.

uvicorn serves the app on 127.0.0.1 in a thread of this process; the test uploads workbooks with
the file picker, reads the verdict, the highlighted cell and its message, sorts the batch table, and
downloads the annotated workbook to open it with openpyxl.
"""
from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import openpyxl
import pytest

from annexproc import engine

pytest.importorskip("playwright.sync_api", reason="pip package playwright is not installed")
from playwright.sync_api import expect  # noqa: E402
from web_workbooks import IMG, broken_sample, build_annex_like, flagging_check

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "sample.xlsx"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium (/usr/bin/chromium) is not installed"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app():
    from annexproc.web.app import create_app
    return create_app()


@pytest.fixture(scope="module")
def server(app):
    import uvicorn

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, access_log=False,
                                        log_level="warning", lifespan="off"))
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    deadline = time.monotonic() + 10
    while not srv.started:
        if time.monotonic() > deadline or not th.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    th.join(5)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900}, locale="zh-CN")
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    ctx.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


@pytest.fixture
def flagged(monkeypatch):
    # NB: the server runs in this process, so the wrapper reaches it (see web_workbooks)
    monkeypatch.setattr(engine, "check", flagging_check(engine.check))


def test_one_workbook_verdict_cell_message_and_download(server, page, tmp_path, flagged):
    wb = build_annex_like(tmp_path / "测试街.xlsx")
    page.goto(server + "/")
    assert page.title().startswith("社工服务站附件核查")
    page.set_input_files("#file", str(wb))

    verdict = page.locator("#verdict")
    verdict.wait_for(state="visible", timeout=20000)
    assert "个错误" in verdict.inner_text() and "个警告" in verdict.inner_text()
    assert page.locator("#fname").inner_text() == "测试街.xlsx"

    # the findings, grouped by sheet, with the same message as the command line
    group = page.locator("#findings section.group", has_text="附件1-1")
    assert group.locator("li.sev-error", has_text="RD07").count() == 1

    # the highlighted cell, its message on tap — workbook text shown as text, not markup
    cell = page.locator('#sheet td.flag.sev-error[data-cell="H4"]')
    assert cell.is_visible()
    assert "显示错误值" in cell.get_attribute("title")
    cell.click()
    pop = page.locator("#pop")
    assert pop.is_visible() and "H4" in pop.inner_text() and IMG in pop.inner_text()
    assert page.locator("#sheet script, #sheet img").count() == 0
    assert page.locator('#sheet td[data-cell="A7"]').inner_text() == "<script>alert('annexproc')</script>"
    assert page.locator('#sheet td[data-cell="A1"]').get_attribute("colspan") == "8"

    # a finding's cell button takes the reader to the cell
    page.locator("#findings").get_by_role("button", name="G4", exact=True).first.click()
    assert page.locator('#sheet td[data-cell="G4"].flash').count() == 1

    with page.expect_download() as dl:
        page.locator("#dl-annotated").click()
    out = tmp_path / "downloaded.xlsx"
    dl.value.save_as(out)
    assert dl.value.suggested_filename == "测试街_批注.xlsx"
    assert "附件1-1" in openpyxl.load_workbook(out).sheetnames
    with page.expect_download() as dl2:
        page.locator("#dl-recomputed").click()
    dl2.value.save_as(tmp_path / "recomputed.xlsx")
    assert "附件1-1" in openpyxl.load_workbook(tmp_path / "recomputed.xlsx").sheetnames


def test_the_broken_sample_shows_its_cell(server, page, tmp_path):
    pytest.importorskip("annexproc.annex1.check", reason="the 附件1 checker is not there yet")
    wb = broken_sample(SAMPLE, tmp_path / "逢源街.xlsx")
    page.goto(server + "/")
    page.set_input_files("#file", str(wb))
    expect(page.locator("#verdict")).to_contain_text("个错误", timeout=30000)
    assert page.locator("#figures dt", has_text="稳岗率").count() == 1
    cell = page.locator('#sheet td.flag.sev-error[data-cell="H6"]')
    assert cell.inner_text() == "70.00%"
    cell.click()
    expect(page.locator("#pop")).to_contain_text("76.26%")


def test_english_switch_rechecks_in_english(server, page, tmp_path, flagged):
    wb = build_annex_like(tmp_path / "a.xlsx")
    page.goto(server + "/")
    page.set_input_files("#file", str(wb))
    page.locator("#verdict").wait_for(state="visible", timeout=20000)
    page.click("#lang")
    # NB: the page's CSP forbids eval, so wait_for_function(str) cannot run there: expect() polls
    expect(page.locator("#verdict")).to_contain_text("errors", timeout=20000)
    assert page.locator("h1").inner_text() == "Social work station annex check"
    assert "shows the error" in page.locator('#sheet td[data-cell="H4"]').get_attribute("title")


def test_several_workbooks_give_a_sortable_summary(server, page, tmp_path, flagged):
    a = build_annex_like(tmp_path / "乙站.xlsx")
    b = build_annex_like(tmp_path / "甲站.xlsx", station="另一街社工服务站")
    bad = tmp_path / "坏文件.xlsx"
    bad.write_bytes(b"not a workbook")
    files = [str(a), str(b), str(bad)] + ([str(SAMPLE)] if SAMPLE.exists() else [])
    page.goto(server + "/")
    page.set_input_files("#file", files)
    rows = page.locator("#summary tbody tr")
    rows.first.wait_for(state="visible", timeout=30000)
    assert rows.count() == len(files)
    assert page.locator("#summary tr.st-unreadable", has_text="坏文件.xlsx").count() == 1
    assert page.locator("#dl-batch").is_visible()

    page.click('#summary th[data-key="errors"]')        # the first click sorts worst first
    # NB: an unreadable file shows '—' (not checked), never 0; it sorts as no error
    cells = page.locator("#summary tbody tr td:nth-child(4)").all_inner_texts()
    assert page.locator("#summary tr.st-unreadable td:nth-child(4)").inner_text() == "—"
    counts = [int(x) if x != "—" else 0 for x in cells]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
    page.click('#summary th[data-key="errors"]')        # the second, the other way
    counts = [int(x) if x != "—" else 0 for x in page.locator("#summary tbody tr td:nth-child(4)").all_inner_texts()]
    assert counts == sorted(counts)

    page.locator("#summary tbody tr", has_text="甲站.xlsx").click()
    assert page.locator("#fname").inner_text() == "甲站.xlsx"
    assert page.locator("#back").is_visible()
    page.click("#back")
    assert page.locator("#batch").is_visible()


def test_oversize_file_is_refused_with_a_message(server, page, tmp_path):
    big = tmp_path / "大文件.xlsx"
    with open(big, "wb") as fh:
        fh.truncate(21 * 1024 * 1024)
    page.goto(server + "/")
    page.wait_for_load_state("networkidle")     # the limits come from /api/health
    page.set_input_files("#file", str(big))
    err = page.locator("#error")
    err.wait_for(state="visible", timeout=10000)
    assert "大文件.xlsx" in err.inner_text() and "20 MB" in err.inner_text()


def test_batch_view_lists_workers_counted_by_two_stations(server, page, tmp_path):
    """Issue 16: two stations sharing two workers and a namesake — the batch view lists each file's XS05/XS06."""
    from multi_workbooks import stations
    east, west = stations(tmp_path)
    page.goto(server + "/")
    page.set_input_files("#file", [str(east), str(west)])
    cross = page.locator("#cross")
    cross.wait_for(state="visible", timeout=30000)
    assert page.locator("#cross h3").inner_text() == "同月被两个服务站计为到岗的社工"
    items = page.locator("#cross-list li")
    assert items.count() == 6 and page.locator("#cross-list li.sev-error").count() == 4
    assert page.locator("#cross-list li", has_text="东湖街.xlsx · C5：蓝海明 在 2024年5月至2024年8月").count() == 1
    page.screenshot(path=str(tmp_path / "cross.png"), full_page=True)


# --- issue 14: the page on a phone and on a desktop -------------------------------------------------

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


@pytest.fixture(params=list(SIZES))
def sized(request, browser):
    """A page at a phone's size (touch) and at a desktop's; JavaScript errors fail the test."""
    phone = request.param == "phone"
    ctx = browser.new_context(accept_downloads=True, viewport=SIZES[request.param], is_mobile=phone,
                              has_touch=phone, locale="zh-CN")
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield request.param, pg
    ctx.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def upload(page, files) -> None:
    """Choose ``files`` and wait for the checked result to be on the page."""
    with page.expect_response("**/api/check", timeout=90000) as resp:
        page.set_input_files("#file", [str(f) for f in files])
    assert resp.value.status == 200
    page.wait_for_timeout(300)     # NB: the response is drawn in the same task; a breath for layout


def sideways(page) -> int:
    """How many pixels the page scrolls sideways (0: none)."""
    width, client = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    return width - client


def in_first_screen(page, locator) -> bool:
    """Is the element wholly on the screen as it is now (bounding_box is relative to the viewport)?"""
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]


def six_files(tmp_path) -> list[Path]:
    names = [f"第{i}站_二〇二四年度购买服务项目指标完成情况统计表_定稿版本.xlsx" for i in range(4)]
    files = [build_annex_like(tmp_path / n, station=f"第{i}街道社工服务站") for i, n in enumerate(names)]
    (tmp_path / "说明.txt").write_text("各站附件", encoding="utf-8")
    return files + [SAMPLE, tmp_path / "说明.txt"]


def test_no_sideways_scrolling_after_a_broken_a_clean_workbook_and_a_batch_of_six(server, sized, tmp_path, flagged):
    size, page = sized
    page.goto(server + "/")
    assert sideways(page) == 0
    upload(page, [build_annex_like(tmp_path / "测试街_很长的文件名_二〇二四年度附件一指标完成情况.xlsx")])
    expect(page.locator("#verdict")).to_contain_text("个错误")
    assert sideways(page) == 0, size
    # the answer first: on a phone the verdict and the first findings fill the first screen
    assert in_first_screen(page, page.locator("#verdict"))
    assert in_first_screen(page, page.locator("#findings li").first)
    # the legend is on the page; a sheet's tab takes the colour of its worst finding
    assert page.locator(".legend").inner_text().replace("\n", " ").split() == ["错误：须改正", "警告：请核实", "提示：仅供参考"]
    assert "worst-error" in page.locator("#tabs .tab").first.get_attribute("class")

    upload(page, [SAMPLE])                                          # no error of its own: the figures
    expect(page.locator("#fname")).to_have_text("sample.xlsx")
    assert sideways(page) == 0, size
    folded = not page.locator("#figures-box").evaluate("d => d.open")
    assert folded == (size == "phone")                              # the twelve cards fold on a phone
    assert in_first_screen(page, page.locator("#findings li").first) or size == "desktop"

    # a figure an error changes is marked, and on a phone the figures still fold (their line says so)
    upload(page, [Path(__file__).resolve().parent / "foreign" / "files" / "broken_missing_tick.lo.xlsx"])
    expect(page.locator("#figures-box summary")).to_contain_text("受错误影响")
    assert page.locator("#figures .fig.affected").count() >= 1
    assert (not page.locator("#figures-box").evaluate("d => d.open")) == (size == "phone")
    assert sideways(page) == 0, size

    upload(page, six_files(tmp_path))
    rows = page.locator("#summary tbody tr")
    expect(rows).to_have_count(6)
    assert sideways(page) == 0, size
    # the station column is readable on a phone: as wide as its name, not one character
    station = rows.first.locator("td").nth(1)
    assert station.bounding_box()["width"] > 120
    # a .txt among them is listed as unreadable by its own name, the others are checked
    assert page.locator("#summary tr.st-unreadable", has_text="说明.txt").count() == 1
    assert page.locator("#summary tr.st-errors").count() >= 4


def test_a_tap_on_a_flagged_cell_opens_its_message_on_a_phone(server, browser, tmp_path, flagged):
    ctx = browser.new_context(viewport=SIZES["phone"], is_mobile=True, has_touch=True, locale="zh-CN")
    page = ctx.new_page()
    try:
        page.goto(server + "/")
        upload(page, [build_annex_like(tmp_path / "测试街.xlsx")])
        cell = page.locator('#sheet td.flag.sev-error[data-cell="H4"]')
        cell.scroll_into_view_if_needed()
        cell.tap()
        pop = page.locator("#pop")
        expect(pop).to_be_visible()
        assert "H4" in pop.inner_text() and "显示错误值" in pop.inner_text()
        box, width = pop.bounding_box(), page.viewport_size["width"]
        assert box["x"] >= 0 and box["x"] + box["width"] <= width      # the message fits the screen
        assert sideways(page) == 0
        # an old popup does not survive a new upload
        upload(page, [SAMPLE])
        expect(pop).to_be_hidden()
    finally:
        ctx.close()


def test_an_unreadable_upload_is_named_by_its_own_name(server, page, tmp_path):
    bad = tmp_path / "坏文件.xlsx"
    bad.write_text("这不是工作簿", encoding="utf-8")
    page.goto(server + "/")
    upload(page, [bad])
    verdict = page.locator("#verdict")
    expect(verdict).to_contain_text("无法读取")
    assert "坏文件.xlsx" in verdict.inner_text()
    assert "u0" not in verdict.inner_text() and "tmp" not in verdict.inner_text()


def test_switching_language_sends_nothing_and_keeps_the_view(server, page, tmp_path, flagged):
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    files = [build_annex_like(tmp_path / "乙站.xlsx"), build_annex_like(tmp_path / "甲站.xlsx")]
    page.goto(server + "/")
    upload(page, files)
    page.locator("#summary tbody tr", has_text="甲站.xlsx").click()
    page.locator("#sheet").evaluate("w => { w.scrollTop = 40; }")
    page.click("#lang")
    expect(page.locator("#verdict")).to_contain_text("error")
    assert len(posts) == 1                                   # nothing uploaded or checked again
    assert page.locator("#fname").inner_text() == "甲站.xlsx"   # the same workbook, still open
    text = page.locator("#verdict").inner_text()
    for n, word in __import__("re").findall(r"(\d+) (errors?|warnings?|notes?)", text):
        assert word.endswith("s") == (n != "1"), text          # '1 error', '11 errors'
    assert "shows the error" in page.locator('#sheet td[data-cell="H4"]').get_attribute("title")
    assert page.locator(".legend").inner_text().startswith("error: must be corrected")
    page.click("#back")
    assert page.locator("#summary th[data-key='errors']").inner_text().startswith("Errors")


def test_each_sheet_opens_at_its_top_left(server, page, tmp_path, flagged):
    page.goto(server + "/")
    upload(page, [SAMPLE])
    wrap = page.locator("#sheet")
    wrap.evaluate("w => { w.scrollTop = 300; w.scrollLeft = 200; }")
    page.locator("#tabs .tab").nth(1).click()
    assert wrap.evaluate("w => [w.scrollTop, w.scrollLeft]") == [0, 0]


def test_an_expired_download_says_so_on_the_page(server, app, page, tmp_path, flagged):
    downloads: list = []
    page.on("download", lambda d: downloads.append(d))
    page.goto(server + "/")
    upload(page, [build_annex_like(tmp_path / "a.xlsx")])
    app.state.store._items.clear()                            # ten minutes later
    page.locator("#dl-annotated").click()
    expect(page.locator("#error")).to_contain_text("下载链接已过期")
    assert downloads == []


def test_a_favicon(server, page):
    page.goto(server + "/")
    assert page.locator('link[rel="icon"]').get_attribute("href") == "/static/favicon.svg"
    assert page.request.get(server + "/favicon.ico").status == 200
    assert page.request.get(server + "/static/favicon.svg").headers["content-type"].startswith("image/svg")
