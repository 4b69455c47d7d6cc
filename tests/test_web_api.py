"""Issue 10: the JSON API behind the web page (POST /api/check), through Starlette's TestClient."""
from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
from starlette.testclient import TestClient

from annexproc import engine
from annexproc.report import to_json_doc
from annexproc.web.app import Limits, OutputStore, create_app
from annexproc.web.render_html import display_text, sheet_html
from annexproc.workbook import open_book

from web_workbooks import IMG, broken_sample, build_annex_like, flagging_check

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "sample.xlsx"
JSON_DOC_KEYS = {"path", "station", "read_error", "findings", "figures"}   # Report.to_dict, schema 1


@pytest.fixture
def client():
    with TestClient(create_app()) as c:
        yield c


@pytest.fixture
def flagged(monkeypatch):
    monkeypatch.setattr(engine, "check", flagging_check(engine.check))


def post(client, *files, lang="zh"):
    parts = [("files", (name, data, "application/octet-stream")) for name, data in files]
    return client.post("/api/check", files=parts, data={"lang": lang})


def test_one_workbook_gives_the_json_doc_plus_views(client, tmp_path, flagged):
    wb = build_annex_like(tmp_path / "站点A.xlsx")
    r = post(client, ("站点A.xlsx", wb.read_bytes()))
    assert r.status_code == 200
    doc = r.json()
    assert doc["schema"] == 1 and doc["lang"] == "zh" and len(doc["files"]) == 1
    f = doc["files"][0]
    assert JSON_DOC_KEYS <= set(f)
    # NB: the temporary path must not leak: the user sees the name they uploaded
    assert f["path"] == f["name"] == "站点A.xlsx"
    assert f["verdict"]["status"] == "errors" and f["verdict"]["errors"] >= 1
    assert f["verdict"]["warnings"] >= 1 and f["verdict"]["exit_code"] == 1
    assert doc["exit_code"] == 1 and doc["batch_download"] is None
    assert [v["sheet"] for v in f["views"]] == ["附件1-1"]
    assert set(f["downloads"]) == {"annotated", "recomputed"} and all(f["downloads"].values())
    assert "features" not in doc        # NB: both writers always exist; the page shows what was written


def test_the_page_says_what_the_command_line_says(client, tmp_path, flagged):
    wb = build_annex_like(tmp_path / "a.xlsx")
    f = post(client, ("a.xlsx", wb.read_bytes())).json()["files"][0]
    cli = to_json_doc([engine.check(str(wb))], "zh")["files"][0]
    assert f["findings"] == cli["findings"] and f["figures"] == cli["figures"]
    assert ("附件1-1", "H4", "RD07") in {(x["sheet"], x["cell"], x["rule"]) for x in f["findings"]}


def test_native_layout_merges_and_percentages(client, tmp_path, flagged):
    wb = build_annex_like(tmp_path / "a.xlsx")
    html = post(client, ("a.xlsx", wb.read_bytes())).json()["files"][0]["views"][0]["html"]
    assert 'colspan="8" data-cell="A1">广州市测试街社工服务站购买服务项目指标完成情况统计表</td>' in html
    assert 'rowspan="2" data-cell="A2">服务片区</td>' in html
    assert 'colspan="3" data-cell="C2">红棉热线服务次数</td>' in html
    assert ">219.63%</td>" in html          # 1757/800 as Excel's 0.00% shows it
    assert 'data-cell="A3"' not in html      # covered by the A2:A3 merge


def test_flagged_cells_carry_severity_and_message(client, tmp_path, flagged):
    wb = build_annex_like(tmp_path / "a.xlsx")
    f = post(client, ("a.xlsx", wb.read_bytes())).json()["files"][0]
    html = f["views"][0]["html"]
    msg = next(x["message"] for x in f["findings"] if (x["cell"], x["rule"]) == ("H4", "RD07"))
    assert "显示错误值" in msg
    h4 = html[html.index('data-cell="H4"') - 40: html.index("</td>", html.index('data-cell="H4"'))]
    assert 'class="al-r flag sev-error"' in h4 or "flag sev-error" in h4
    assert 'data-sev="error"' in h4 and "[错误 RD07]" in h4
    g4 = html[html.index('data-cell="G4"') - 40:]
    assert "flag sev-warning" in g4[:200]
    assert f["views"][0]["findings"] == sum(1 for x in f["findings"] if x["sheet"] == "附件1-1" and x["cell"])


def test_workbook_text_and_messages_are_escaped(client, tmp_path, flagged):
    wb = build_annex_like(tmp_path / "a.xlsx")
    f = post(client, ("a.xlsx", wb.read_bytes())).json()["files"][0]
    html = f["views"][0]["html"]
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#x27;annexproc&#x27;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html   # inside data-msg / title
    # the JSON keeps the message as plain text; the page sets it with textContent
    assert any(IMG in x["message"] for x in f["findings"])


def test_english_messages(client, tmp_path, flagged):
    wb = build_annex_like(tmp_path / "a.xlsx")
    doc = post(client, ("a.xlsx", wb.read_bytes()), lang="en").json()
    assert doc["lang"] == "en"
    msg = next(x["message"] for x in doc["files"][0]["findings"] if (x["cell"], x["rule"]) == ("H4", "RD07"))
    assert "shows the error" in msg
    assert "[error RD07]" in doc["files"][0]["views"][0]["html"]


def test_a_zip_is_checked_member_by_member(client, tmp_path, flagged):
    a = build_annex_like(tmp_path / "a.xlsx").read_bytes()
    b = build_annex_like(tmp_path / "b.xlsx", station="另一街社工服务站").read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("收件/甲站.xlsx", a)
        zf.writestr("收件/乙站.xlsx", b)
        zf.writestr("收件/说明.txt", "not a workbook")
        zf.writestr("__MACOSX/收件/._甲站.xlsx", b"junk")
        zf.writestr("收件/~$甲站.xlsx", b"lock file")
        zf.writestr("../../evil.xlsx", a)        # NB: a member's path is never used to write
    doc = post(client, ("stations.zip", buf.getvalue())).json()
    by_name = {f["name"]: f for f in doc["files"]}
    names = [f["name"] for f in doc["files"]]
    # found as `annexproc batch` finds them: lock and __MACOSX files skipped, a stray file listed
    # NB: '../../evil.xlsx' is skipped with the hidden files ('..' starts with a dot)
    assert set(names) == {"stations.zip/收件/甲站.xlsx", "stations.zip/收件/乙站.xlsx",
                          "stations.zip/收件/说明.txt"}
    assert by_name["stations.zip/收件/说明.txt"]["verdict"]["status"] == "unreadable"
    assert all(by_name[n]["verdict"]["status"] == "errors" for n in names if n.endswith(".xlsx"))
    assert by_name["stations.zip/收件/乙站.xlsx"]["views"][0]["html"].count("另一街社工服务站") == 1
    assert not (tmp_path.parent.parent / "evil.xlsx").exists()
    token = doc["batch_download"]
    assert token
    r = client.get(f"/api/download/{token}")
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        report = json.loads(zf.read("report.json"))
        assert [f["path"] for f in report["files"]] == names
        assert "RD07" in zf.read("findings.csv").decode("utf-8-sig")
        assert "summary.xlsx" in zf.namelist()      # the same outputs as `annexproc batch`


def test_a_file_that_is_not_excel(client, tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"this is no workbook")
    # NB: a .txt beside one workbook is an evaluation report (issue 15): a .csv is the file that is not Excel
    doc = post(client, ("notes.csv", b"hello"), ("fake.xlsx", fake.read_bytes())).json()
    txt, bad = doc["files"]
    assert txt["verdict"]["status"] == "unreadable" and txt["verdict"]["exit_code"] == 2
    assert "不是 Excel 工作簿" in txt["read_error"] and txt["views"] == [] and txt["downloads"] == {}
    assert bad["verdict"]["status"] == "unreadable" and bad["read_error"]
    assert doc["exit_code"] == 2
    en = post(client, ("notes.csv", b"hello"), lang="en").json()["files"][0]
    assert "not an Excel workbook" in en["read_error"]


def test_limits_give_413_with_both_languages(tmp_path):
    wb = build_annex_like(tmp_path / "a.xlsx").read_bytes()
    with TestClient(create_app(Limits(file_bytes=1024))) as c:
        r = post(c, ("a.xlsx", wb))
        assert r.status_code == 413
        body = r.json()
        assert body["error"] == "file_too_large"
        assert body["message"]["zh"] == "文件“a.xlsx”超过 1 KB 上限。"
        assert body["message"]["en"] == "The file “a.xlsx” is over the 1 KB limit."
    with TestClient(create_app(Limits(files=2))) as c:
        r = post(c, *[(f"{i}.xlsx", wb) for i in range(3)])
        assert r.status_code == 413 and r.json()["error"] == "too_many"
        assert "最多检查 2 个" in r.json()["message"]["zh"]
    with TestClient(create_app(Limits(total_bytes=4096))) as c:
        r = post(c, ("a.xlsx", wb + b"\0" * 8192))
        assert r.status_code == 413 and r.json()["error"] == "body_too_large"
    with TestClient(create_app()) as c:
        r = c.post("/api/check", data={"lang": "zh"})
        assert r.status_code == 400 and r.json()["error"] == "no_files"


def test_zip_members_count_toward_the_limit(tmp_path):
    wb = build_annex_like(tmp_path / "a.xlsx").read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for i in range(3):
            zf.writestr(f"{i}.xlsx", wb)
    with TestClient(create_app(Limits(files=2))) as c:
        r = post(c, ("many.zip", buf.getvalue()))
        assert r.status_code == 413 and r.json()["error"] == "too_many"


def test_nothing_is_left_on_disk(client, tmp_path, monkeypatch, flagged):
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    wb = build_annex_like(tmp_path / "a.xlsx").read_bytes()
    # NB: over 1 MB so that the multipart parser spills the upload to a temporary file too
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("a.xlsx", wb)
        zf.writestr("padding.bin", os.urandom(1_200_000))
    assert post(client, ("a.xlsx", wb), ("b.zip", buf.getvalue())).status_code == 200
    assert list(spool.iterdir()) == []


def test_downloads_are_served_from_memory_and_expire(tmp_path):
    app = create_app()
    store = app.state.store
    token = store.put(b"PK-bytes", "甲站_批注.xlsx")
    with TestClient(app) as c:
        r = c.get(f"/api/download/{token}")
        assert r.status_code == 200 and r.content == b"PK-bytes"
        assert "filename*=UTF-8''%E7%94%B2%E7%AB%99_%E6%89%B9%E6%B3%A8.xlsx" in r.headers["content-disposition"]
        assert r.headers["cache-control"] == "no-store"
        r = c.get("/api/download/nonsense")
        assert r.status_code == 404 and "过期" in r.json()["message"]["zh"]


def test_the_store_is_bounded_and_expires():
    s = OutputStore(max_bytes=10, ttl=600)
    a, b = s.put(b"123456", "a"), s.put(b"7890", "b")
    assert s.size == 10 and s.get(a) and s.get(b)
    c = s.put(b"xyz", "c")                 # the oldest goes to make room
    assert s.get(a) is None and s.get(b) and s.get(c) and s.size == 7
    assert s.put(b"x" * 11, "too big") is None
    gone = OutputStore(max_bytes=10, ttl=0)
    t = gone.put(b"1", "x")
    assert gone.get(t) is None and len(gone) == 0


def test_annotated_download_opens_in_openpyxl(client, tmp_path, flagged):
    doc = post(client, ("a.xlsx", build_annex_like(tmp_path / "a.xlsx").read_bytes())).json()
    token = doc["files"][0]["downloads"]["annotated"]
    r = client.get(f"/api/download/{token}")
    out = tmp_path / "annotated.xlsx"
    out.write_bytes(r.content)
    assert "附件1-1" in openpyxl.load_workbook(out).sheetnames


def _with_text_box(path: Path) -> Path:
    """A 附件1-1-like sheet with a text box: the annotated copy cannot carry it (RD10)."""
    import xlsxwriter
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("附件1-1")
    ws.write_row("A1", ["服务片区", "投入社工人数"])
    ws.write_row("A2", ["第一片区", 6])
    ws.insert_textbox("D2", "备注框：仅供参考")
    wb.close()
    return path


def test_the_page_lists_what_the_annotated_copy_lists(client, tmp_path):
    """What write_annotated adds to the report (RD10: the text box is not carried) is on the page too,
    finding for finding and in the same order as the copy's 核查结果, and counted in the verdict."""
    wb = _with_text_box(tmp_path / "textbox.xlsx")
    f = post(client, ("textbox.xlsx", wb.read_bytes())).json()["files"][0]
    rd10 = [x for x in f["findings"] if x["rule"] == "RD10"]
    assert len(rd10) == 1 and "文本框" in rd10[0]["message"]
    assert f["verdict"]["infos"] == sum(x["severity"] == "info" for x in f["findings"])
    out = tmp_path / "annotated.xlsx"
    out.write_bytes(client.get(f"/api/download/{f['downloads']['annotated']}").content)
    res = openpyxl.load_workbook(out)["核查结果"]
    head = next(r for r in range(1, res.max_row + 1) if res.cell(r, 1).value == "严重程度")
    listed = [tuple(res.cell(r, j).value or "" for j in (2, 3, 4, 9)) for r in range(head + 1, res.max_row + 1)
              if res.cell(r, 2).value and res.cell(r, 1).value in ("错误", "警告", "提示")]
    page = [(x["rule"], x["sheet"] or "", x["cell"] or "", x["message"]) for x in f["findings"]]
    assert page == listed


def test_health_gives_the_limits_the_page_reads(client):
    h = client.get("/api/health").json()
    assert h == {"ok": True, "limits": {"file_bytes": 20 << 20, "files": 50, "total_bytes": 100 << 20,
                                        "file_size": "20 MB"}}


def test_page_and_assets_are_served_locally(client):
    r = client.get("/")
    assert r.status_code == 200 and "社工服务站附件核查" in r.text
    assert "script-src 'self'" in r.headers["content-security-policy"]
    for asset in ("/static/app.js", "/static/style.css"):
        a = client.get(asset)
        assert a.status_code == 200
        assert "http://" not in a.text and "https://" not in a.text   # nothing from a CDN
    assert "http://" not in r.text and "https://" not in r.text


def test_renderer_alone(tmp_path):
    book = open_book(str(build_annex_like(tmp_path / "a.xlsx")))
    sheet = book.sheet("附件1-1")
    html = sheet_html(sheet, {"E2": [{"severity": "info", "rule": "XX", "message": "<b>hi</b>"}]})
    # NB: E2 is inside the C2:E2 merge: the mark lands on its anchor C2
    c2 = html[html.index('data-cell="C2"') - 60: html.index('data-cell="C2"') + 120]
    assert "flag sev-info" in c2 and "&lt;b&gt;hi&lt;/b&gt;" in c2
    assert display_text(0.219625, "0.00%") == "21.96%" and display_text(2.19625, "0.00%") == "219.63%"
    assert display_text(1234.5, "#,##0.0") == "1,234.5" and display_text(6.0, "General") == "6"


def test_the_sample_gives_what_check_gives(client):
    f = post(client, ("sample.xlsx", SAMPLE.read_bytes())).json()["files"][0]
    cli = to_json_doc([engine.check(str(SAMPLE))], "zh")["files"][0]
    assert f["findings"] == cli["findings"] and f["station"] == cli["station"]
    assert f["views"] and all("<table" in v["html"] for v in f["views"])


def test_a_broken_sample_is_flagged_at_its_cell(client, tmp_path):
    pytest.importorskip("annexproc.annex1.check", reason="the 附件1 checker is not there yet")
    wb = broken_sample(SAMPLE, tmp_path / "broken.xlsx")
    f = post(client, ("broken.xlsx", wb.read_bytes())).json()["files"][0]
    h6 = [x for x in f["findings"] if (x["sheet"], x["cell"]) == ("附件1-1", "H6")]
    assert [x["rule"] for x in h6] == ["A101"] and "76.26%" in h6[0]["message"]
    assert f["verdict"]["status"] == "errors"
    html = next(v["html"] for v in f["views"] if v["sheet"] == "附件1-1")
    td = html[html.index('data-cell="H6"') - 60: html.index("</td>", html.index('data-cell="H6"'))]
    assert "flag sev-error" in td and "76.26%" in td and td.endswith(">70.00%")
    assert f["findings"] == to_json_doc([engine.check(str(wb))], "zh")["files"][0]["findings"]
    assert any(x["key"] == "stable_rate" and x["text"] == "90.00%" for x in f["figures_display"])


def test_a_grouped_finding_flags_each_of_its_cells_and_names_its_range(client, tmp_path, monkeypatch):
    """Issue 13/14: one finding over G4:H4 — both cells flagged in the sheet, listed once with its range,
    what it changes beside it, and the key figure it changes marked."""
    from annexproc.findings import finding
    real = engine.check

    def check(path, **kw):
        rep = real(path, **kw)
        rep.findings.append(finding("A201", "附件1-1", "G4", cells=("G4", "H4"), expected=1, found=2,
                                    affects=(("total_person_months", 161.5, 160.5),)))
        rep.figures["total_person_months"] = 160.5
        return rep
    monkeypatch.setattr(engine, "check", check)
    f = post(client, ("a.xlsx", build_annex_like(tmp_path / "a.xlsx").read_bytes())).json()["files"][0]
    i = next(i for i, x in enumerate(f["findings"]) if x["rule"] == "A201")
    assert f["findings"][i]["cells"] == ["G4", "H4"] and f["findings"][i]["range"] == "G4:H4"
    assert f["finding_words"][i] == {"where": "G4:H4（2 处）"}
    assert f["findings"][i]["message"].endswith("此项还改变了：社工实到岗人次 161.5 → 160.5。")
    assert f["langs"]["en"]["finding_words"][i]["where"] == "G4:H4 (2 cells)"
    html = f["views"][0]["html"]
    for ref in ("G4", "H4"):
        assert f'data-cell="{ref}" data-sev="error"' in html
    assert f["views"][0]["worst"] == "error"
    fig = next(g for g in f["figures_display"] if g["key"] == "total_person_months")
    assert fig["text"] == "160.5" and fig["should"] == "161.5"


def test_an_unreadable_upload_is_named_by_the_users_name(client, tmp_path):
    f = post(client, ("坏文件.xlsx", "这不是工作簿".encode()))
    entry = f.json()["files"][0]
    assert "坏文件.xlsx" in entry["read_error"] and "u0" not in entry["read_error"]
    long = "广州市某街道社工服务站" * 12 + ".xlsx"                 # over 255 bytes as a file name
    doc = post(client, (long, build_annex_like(tmp_path / "a.xlsx").read_bytes())).json()
    assert doc["files"][0]["name"] == long and doc["files"][0]["verdict"]["status"] != "unreadable"


def test_favicon_is_served(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg")


@pytest.mark.libreoffice
def test_an_ods_workbook_is_checked_like_its_xlsx(client):
    """A station that saves as .ods (LibreOffice) uploads it as it is: read through LibreOffice, the same verdict."""
    from lo_oracle import soffice
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    files = Path(__file__).parent / "foreign" / "files"
    doc = post(client, ("站点.ods", (files / "seed_layout.ods").read_bytes())).json()
    [entry] = doc["files"]
    assert entry["read_error"] is None and entry["path"] == "站点.ods"
    assert [f["rule"] for f in entry["findings"] if f["severity"] == "error"] == []
    assert entry["figures"]["total_person_months"] == 160.5


def test_an_upload_is_checked_once_for_the_page_and_both_copies(client, tmp_path, monkeypatch):
    """The annotated and the recomputed copy are written from the one check the page shows (issue 17)."""
    from annexproc import engine
    calls = []
    real = engine.check
    monkeypatch.setattr(engine, "check", lambda *a, **kw: calls.append(a) or real(*a, **kw))
    wb = build_annex_like(tmp_path / "站点A.xlsx")
    doc = post(client, ("站点A.xlsx", wb.read_bytes())).json()
    [entry] = doc["files"]
    assert len(calls) == 1 and set(entry["downloads"]) >= {"annotated", "recomputed"}
