// annexproc web page: upload, show the verdict, the findings and the sheets. No framework, no CDN.
// NB: every text from a workbook is set with textContent; only the server-rendered sheet tables
// (escaped there with html.escape) go through innerHTML.
"use strict";

const TEXT = {
  zh: {
    title: "社工服务站附件核查", switch: "English",
    drop: "把工作簿（.xlsx / .xlsm）或 .zip 拖到这里", or: "或", choose: "选择文件",
    report_hint: "可同时拖入一份评估报告（.docx / .pdf / .txt / .md），核对报告中引用的数字。", report: "评估报告",
    privacy: "文件只在本服务器上临时处理，检查完立即删除，不保存、不记录文件名；下载链接 10 分钟内有效。",
    uploading: "正在上传… {p}%", checking: "正在核查，请稍候…", done: "完成",
    batch_title: "批量核查结果", dl_batch: "下载全部结果（.zip）", cross_title: "同月被两个服务站计为到岗的社工",
    sort_hint: "点击表头排序，点击一行查看该工作簿。",
    col_file: "文件", col_station: "服务站", col_status: "结论", col_errors: "错误",
    col_warnings: "警告", col_infos: "提示", back: "← 返回列表",
    dl_annotated: "下载批注版工作簿", dl_recomputed: "下载重算版工作簿",
    figures: "关键数据", findings: "问题清单", sheets: "工作表",
    legend: "有颜色的单元格有问题（颜色同上方图例）；鼠标悬停或点按查看说明。",
    footer: "与命令行使用同一套规则和消息",
    clean: "✔ 未发现问题", errors: "✘ {n} 个错误", warnings: "⚠ {n} 个警告", infos: "{n} 个提示",
    error_1: "✘ {n} 个错误", warning_1: "⚠ {n} 个警告", info_1: "{n} 个提示", cells: "{n} 处",
    legend_error: "错误：须改正", legend_warning: "警告：请核实", legend_info: "提示：仅供参考",
    affected: "受错误影响，应为 {v}", figs_hit: "{n}，其中 {k} 个受错误影响", expired: "下载链接已过期（10 分钟）或不存在，请重新上传文件。",
    unreadable: "✘ 无法读取", station: "服务站：{s}", workbook: "整个工作簿",
    sev_error: "错误", sev_warning: "警告", sev_info: "提示",
    too_big: "文件“{name}”超过 {size} 上限。", too_many: "一次最多检查 {n} 个文件。",
    not_excel: "只接受 .xlsx、.xlsm、.zip 文件和评估报告（.docx、.pdf、.txt、.md）：{name}", network: "无法连接服务器，请重试。",
    server: "服务器出错（{code}），请重试。",
  },
  en: {
    title: "Social work station annex check", switch: "中文",
    drop: "Drop workbooks (.xlsx / .xlsm) or a .zip here", or: "or", choose: "Choose files",
    report_hint: "Drop an evaluation report (.docx / .pdf / .txt / .md) beside one workbook to check the figures it quotes.", report: "Evaluation report",
    privacy: "Files are processed temporarily on this server and deleted right after the check; nothing is kept and no file name is logged. Download links last 10 minutes.",
    uploading: "Uploading… {p}%", checking: "Checking, please wait…", done: "Done",
    batch_title: "Batch results", dl_batch: "Download all results (.zip)",
    cross_title: "Workers counted by two stations in the same months",
    sort_hint: "Click a header to sort, a row to open that workbook.",
    col_file: "File", col_station: "Station", col_status: "Verdict", col_errors: "Errors",
    col_warnings: "Warnings", col_infos: "Notes", back: "← Back to the list",
    dl_annotated: "Download the annotated workbook", dl_recomputed: "Download the recomputed workbook",
    figures: "Key figures", findings: "Findings", sheets: "Sheets",
    legend: "Coloured cells have findings (colours as in the legend above); hover or tap for the message.",
    footer: "same rules and messages as the command line",
    clean: "✔ No findings", errors: "✘ {n} errors", warnings: "⚠ {n} warnings", infos: "{n} notes",
    error_1: "✘ {n} error", warning_1: "⚠ {n} warning", info_1: "{n} note", cells: "{n} cells",
    legend_error: "error: must be corrected", legend_warning: "warning: please check", legend_info: "note: for information",
    affected: "changed by an error: should be {v}", figs_hit: "{n}, {k} changed by an error", expired: "This download has expired (10 minutes) or does not exist; upload the files again.",
    unreadable: "✘ Cannot be read", station: "Station: {s}", workbook: "Whole workbook",
    sev_error: "error", sev_warning: "warning", sev_info: "note",
    too_big: "The file “{name}” is over the {size} limit.", too_many: "At most {n} files at once.",
    not_excel: "Only .xlsx, .xlsm or .zip files, and a report (.docx, .pdf, .txt, .md): {name}", network: "Cannot reach the server; try again.",
    server: "Server error ({code}); try again.",
  },
};
const LIMIT = { bytes: 20 * 1024 * 1024, size: "20 MB", files: 50 };
const SEV_ORDER = { error: 0, warning: 1, info: 2 };

let lang = (localStorage.getItem("annexproc.lang") || "zh") === "en" ? "en" : "zh";
let result = null;
let sortKey = null, sortDir = 1;

const $ = (id) => document.getElementById(id);
function t(key, vars) {
  let s = TEXT[lang][key] || key;
  for (const [k, v] of Object.entries(vars || {})) s = s.split("{" + k + "}").join(String(v));
  return s;
}
function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

function applyLang() {
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  document.title = t("title") + " · annexproc";
  for (const e of document.querySelectorAll("[data-i18n]")) e.textContent = t(e.dataset.i18n);
}

// ---- upload ------------------------------------------------------------------------------
function showError(text) {
  const e = $("error");
  e.textContent = text;
  e.hidden = !text;
}

function accept(files) {
  const list = Array.from(files || []);
  if (!list.length) return;
  if (list.length > LIMIT.files) return showError(t("too_many", { n: LIMIT.files }));
  // NB: a file that is not a workbook is sent all the same: the server lists it as unreadable,
  // by its name, and checks the others
  for (const f of list) {
    if (f.size > LIMIT.bytes) return showError(t("too_big", { name: f.name, size: LIMIT.size }));
  }
  send(list);
}

function send(list) {
  showError("");
  hidePop();
  const fd = new FormData();
  for (const f of list) fd.append("files", f, f.name);
  fd.append("lang", lang);
  const xhr = new XMLHttpRequest();
  xhr.open("POST", "/api/check");
  xhr.responseType = "json";
  $("progress").hidden = false;
  $("bar").value = 0;
  $("status").textContent = t("uploading", { p: 0 });
  document.body.classList.add("busy");
  xhr.upload.onprogress = (ev) => {
    if (!ev.lengthComputable) return;
    const p = Math.round((100 * ev.loaded) / ev.total);
    $("bar").value = p;
    $("status").textContent = t("uploading", { p });
  };
  xhr.upload.onload = () => {
    $("bar").removeAttribute("value");   // indeterminate while the server works
    $("status").textContent = t("checking");
  };
  xhr.onload = () => {
    document.body.classList.remove("busy");
    $("progress").hidden = true;
    const body = xhr.response;
    if (xhr.status !== 200) {
      const m = body && body.message ? body.message[lang] : t("server", { code: xhr.status });
      return showError(m);
    }
    result = body;
    for (const f of result.files || []) {
      // NB: every language's words came with the result: switching language re-sends nothing
      f.byLang = Object.assign({ [result.lang]: pick(f) }, f.langs || {});
    }
    $("upload").classList.add("compact");
    view = { file: null, sheet: null };
    showResult();
  };
  xhr.onerror = () => {
    document.body.classList.remove("busy");
    $("progress").hidden = true;
    showError(t("network"));
  };
  xhr.send(fd);
}

// ---- results -----------------------------------------------------------------------------
function paren(x) { return lang === "en" ? " (" + x + ")" : "（" + x + "）"; }

// NB: English says '1 error', '2 errors'; Chinese has one form
function count(key, n) { return t(n === 1 ? key + "_1" : key + "s", { n }); }

function verdictText(v) {
  if (v.status === "unreadable") return t("unreadable");
  if (v.status === "clean") return t("clean") + (v.infos ? " · " + count("info", v.infos) : "");
  const parts = [];
  if (v.errors) parts.push(count("error", v.errors));
  if (v.warnings) parts.push(count("warning", v.warnings));
  if (v.infos) parts.push(count("info", v.infos));
  return parts.join(" · ");
}

const WORDS = ["findings", "finding_words", "read_error", "figures_display", "views"];
function pick(f) { const o = {}; for (const k of WORDS) o[k] = f[k]; return o; }
function useLang(f) { const w = f.byLang && f.byLang[lang]; if (w) for (const k of WORDS) f[k] = w[k]; }

// what the reader is looking at, kept across a change of language
let view = { file: null, sheet: null };

function showResult() {
  const files = result.files || [];
  $("batch").hidden = files.length < 2;
  $("detail").hidden = true;
  if (files.length === 1) return showFile(0, false);
  const dl = $("dl-batch");
  dl.hidden = !result.batch_download;
  if (result.batch_download) dl.href = "/api/download/" + result.batch_download;
  renderSummary();
  renderCross();
  $("batch").scrollIntoView({ block: "start" });
}

// The batch's cross-station findings (XS05, namesakes XS06): one line per file naming the worker.
function renderCross() {
  const rows = result.cross_station || [];
  const list = $("cross-list");
  list.textContent = "";
  $("cross").hidden = rows.length === 0;
  for (const r of rows) {
    // NB: the message starts with the cell; the sheet is 附件2's
    list.append(el("li", { class: "sev-" + r.severity }, t("sev_" + r.severity) + " " + r.rule + " · " +
      r.file + " · " + ((r.messages && r.messages[lang]) || r.message)));
  }
}

// NB: the first click on a count or the verdict sorts worst first; on a name, A to Z
const WORST_FIRST = { errors: -1, warnings: -1, infos: -1, status: 1 };

function rowValue(f, key) {
  const v = f.verdict;
  if (key === "name") return f.name || "";
  if (key === "station") return f.station || "";
  if (key === "status") return { unreadable: 0, errors: 1, warnings: 2, clean: 3 }[v.status];
  return v[key];
}

function renderSummary() {
  const tbody = $("summary").querySelector("tbody");
  tbody.textContent = "";
  const order = result.files.map((f, i) => i);
  if (sortKey) {
    order.sort((a, b) => {
      const x = rowValue(result.files[a], sortKey), y = rowValue(result.files[b], sortKey);
      return (typeof x === "number" ? x - y : String(x).localeCompare(String(y), "zh")) * sortDir;
    });
  }
  for (const i of order) {
    const f = result.files[i];
    const tr = el("tr", { class: "st-" + f.verdict.status, tabindex: "0", "data-index": String(i) });
    tr.append(el("td", {}, f.name), el("td", {}, f.station || ""),
      el("td", { class: "status" }, verdictText(f.verdict)),
      ...["errors", "warnings", "infos"].map((k) => el("td", { class: "num", "data-label": t("col_" + k) },
        f.verdict.status === "unreadable" ? "—" : f.verdict[k])));   // NB: not checked is not 0
    tr.addEventListener("click", () => showFile(i, true));
    tr.addEventListener("keydown", (ev) => { if (ev.key === "Enter") showFile(i, true); });
    tbody.append(tr);
  }
  for (const th of $("summary").querySelectorAll("th")) {
    th.classList.toggle("asc", th.dataset.key === sortKey && sortDir > 0);
    th.classList.toggle("desc", th.dataset.key === sortKey && sortDir < 0);
  }
}

function setDownload(id, token) {
  const a = $(id);
  a.hidden = !token;
  if (token) a.href = "/api/download/" + token; else a.removeAttribute("href");
}

function showFile(i, fromBatch) {
  const f = result.files[i];
  view.file = i;
  view.fromBatch = fromBatch;
  $("batch").hidden = fromBatch ? true : $("batch").hidden;
  $("detail").hidden = false;
  $("back").hidden = !fromBatch;
  $("fname").textContent = f.name;
  $("station").textContent = f.station ? t("station", { s: f.station }) : "";
  const v = $("verdict");
  v.className = "verdict st-" + f.verdict.status;
  v.textContent = verdictText(f.verdict);
  if (f.read_error) v.append(el("div", { class: "why" }, f.read_error));
  const d = f.downloads || {};
  setDownload("dl-annotated", d.annotated);
  setDownload("dl-recomputed", d.recomputed);

  const figs = $("figures");
  figs.textContent = "";
  let hit = 0;
  for (const g of f.figures_display || []) {
    const box = el("div", { class: "fig" + (g.should !== undefined ? " affected" : "") });
    box.append(el("dt", {}, g.name), el("dd", {}, g.text));
    if (g.should !== undefined) { box.append(el("dd", { class: "should" }, t("affected", { v: g.should }))); hit++; }
    figs.append(box);
  }
  $("figures-box").hidden = !(f.figures_display || []).length;
  const n = (f.figures_display || []).length;
  $("figures-count").textContent = !n ? "" : hit ? paren(t("figs_hit", { n, k: hit })) : paren(n);
  // NB: on a phone the figures fold, so that the verdict and the first findings fill the first screen
  // (the summary line says how many an error changes; the error's message names them)
  $("figures-box").open = !window.matchMedia("(max-width: 700px)").matches;

  renderFindings(f);
  renderSheets(f);
  $("detail").scrollIntoView({ block: "start" });
}

function renderFindings(f) {
  const box = $("findings");
  box.textContent = "";
  const groups = new Map();
  (f.findings || []).forEach((x, i) => { x.words = (f.finding_words || [])[i] || {}; });
  for (const x of f.findings || []) {
    const k = (x.location || x.rule.startsWith("RP")) ? "\u0000report" : (x.sheet || "");   // NB: a report's findings group apart
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(x);
  }
  for (const [sheet, list] of groups) {
    const sec = el("section", { class: "group" });
    const head = sheet === "\u0000report" ? t("report") + (f.report ? (lang === "en" ? ": " : "：") + f.report : "") : (sheet || t("workbook"));
    sec.append(el("h4", {}, head + paren(list.length)));
    const ul = el("ul", { class: "findings" });
    list.sort((a, b) => SEV_ORDER[a.severity] - SEV_ORDER[b.severity]);
    for (const x of list) {
      const li = el("li", { class: "sev-" + x.severity });
      li.append(el("span", { class: "badge" }, t("sev_" + x.severity)), el("code", {}, x.rule));
      if (x.cell && x.sheet) {
        const a = el("button", { type: "button", class: "cellref" }, x.words.where || x.cell);
        a.addEventListener("click", (ev) => { ev.stopPropagation(); gotoCell(x.sheet, x.cell); });
        li.append(a);
      }
      li.append(el("span", { class: "msg" }, x.message));
      if (x.quote) li.append(el("q", { class: "quote" }, x.quote));
      ul.append(li);
    }
    sec.append(ul);
    box.append(sec);
  }
  $("findings-box").hidden = !(f.findings || []).length;
}

let currentViews = [];
function renderSheets(f) {
  currentViews = f.views || [];
  const tabs = $("tabs");
  tabs.textContent = "";
  currentViews.forEach((v, i) => {
    const b = el("button", { type: "button", role: "tab", class: "tab" + (v.worst ? " worst-" + v.worst : ""), "data-i": String(i) },
      v.sheet + (v.findings ? paren(v.findings) : ""));
    b.addEventListener("click", () => showSheet(i));
    tabs.append(b);
  });
  $("sheets-box").hidden = !currentViews.length;
  if (currentViews.length) {
    const first = currentViews.findIndex((v) => v.findings);
    const keep = view.sheet !== null ? currentViews.findIndex((v) => v.sheet === view.sheet) : -1;
    showSheet(keep >= 0 ? keep : first >= 0 ? first : 0);
  }
}

function showSheet(i) {
  const wrap = $("sheet");
  wrap.innerHTML = currentViews[i].html;   // escaped by the server (render_html.sheet_html)
  // NB: the workbook's own column widths, the table as wide as their sum (it scrolls, as a sheet does)
  let total = 40;
  for (const col of wrap.querySelectorAll("col[data-w]")) {
    col.style.width = col.dataset.w + "px";
    total += Number(col.dataset.w);
  }
  const table = wrap.querySelector("table.sheet");
  if (table) table.style.width = total + "px";
  for (const b of $("tabs").children) b.setAttribute("aria-selected", b.dataset.i === String(i));
  view.sheet = currentViews[i].sheet;
  wrap.scrollTop = 0;      // NB: each sheet opens at its top-left, as a spreadsheet does
  wrap.scrollLeft = 0;
  hidePop();
}

function gotoCell(sheet, cell) {
  const i = currentViews.findIndex((v) => v.sheet === sheet);
  if (i < 0) return;
  showSheet(i);
  const td = $("sheet").querySelector('td[data-cell="' + CSS.escape(cell.split(":")[0]) + '"]');
  if (!td) return;
  td.scrollIntoView({ block: "center", inline: "center" });
  td.classList.add("flash");
  setTimeout(() => td.classList.remove("flash"), 1600);
  if (td.dataset.msg) showPop(td);
}

// ---- the message of a flagged cell, on tap or click (hover shows the title) -----------------
function showPop(td) {
  const pop = $("pop");
  pop.textContent = "";
  pop.append(el("strong", {}, td.dataset.cell));
  for (const line of td.dataset.msg.split("\n")) pop.append(el("div", {}, line));
  pop.className = "pop sev-" + td.dataset.sev;
  pop.hidden = false;
  pop.style.maxWidth = Math.min(460, document.documentElement.clientWidth - 16) + "px";
  const r = td.getBoundingClientRect();
  const top = window.scrollY + r.bottom + 6;
  const left = Math.max(8, Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - pop.offsetWidth - 8));
  pop.style.top = top + "px";
  pop.style.left = left + "px";
}
function hidePop() { $("pop").hidden = true; }

// ---- downloads: an expired one says so on the page (not a file of JSON) ------------------
function download(ev) {
  const a = ev.currentTarget;
  if (!a.href) return;
  ev.preventDefault();
  fetch(a.href, { method: "HEAD", cache: "no-store" }).then((r) => {
    if (r.ok) { showError(""); window.location.href = a.href; }
    else showError(t("expired"));
  }).catch(() => showError(t("network")));
}

// ---- wiring --------------------------------------------------------------------------------
document.addEventListener("DOMContentLoaded", () => {
  applyLang();
  fetch("/api/health").then((r) => r.json()).then((h) => {
    if (h && h.limits) { LIMIT.bytes = h.limits.file_bytes; LIMIT.size = h.limits.file_size; LIMIT.files = h.limits.files; }
  }).catch(() => {});
  $("lang").addEventListener("click", () => {
    lang = lang === "zh" ? "en" : "zh";
    localStorage.setItem("annexproc.lang", lang);
    applyLang();
    if (!result) return;
    // NB: the words of both languages are here already: the same view, in the other language
    for (const f of result.files || []) useLang(f);
    hidePop();
    if (!$("batch").hidden) { renderSummary(); renderCross(); }
    if (view.file !== null && !$("detail").hidden) {
      const y = window.scrollY;
      showFile(view.file, view.fromBatch);
      window.scrollTo(0, y);
    }
  });
  for (const id of ["dl-annotated", "dl-recomputed", "dl-batch"]) $(id).addEventListener("click", download);
  $("file").addEventListener("change", (ev) => { accept(ev.target.files); ev.target.value = ""; });
  const drop = $("drop");
  for (const name of ["dragenter", "dragover"]) {
    drop.addEventListener(name, (ev) => { ev.preventDefault(); drop.classList.add("over"); });
  }
  for (const name of ["dragleave", "drop"]) {
    drop.addEventListener(name, (ev) => { ev.preventDefault(); drop.classList.remove("over"); });
  }
  drop.addEventListener("drop", (ev) => accept(ev.dataTransfer.files));
  drop.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); $("file").click(); } });
  // NB: stop the browser from opening a file dropped next to the zone
  window.addEventListener("dragover", (ev) => ev.preventDefault());
  window.addEventListener("drop", (ev) => ev.preventDefault());
  $("back").addEventListener("click", () => {
    $("detail").hidden = true;
    $("batch").hidden = false;
    hidePop();
  });
  for (const th of $("summary").querySelectorAll("th")) {
    th.addEventListener("click", () => {
      sortDir = sortKey === th.dataset.key ? -sortDir : (WORST_FIRST[th.dataset.key] || 1);
      sortKey = th.dataset.key;
      renderSummary();
    });
  }
  $("sheet").addEventListener("click", (ev) => {
    const td = ev.target.closest("td.flag");
    if (td) { ev.stopPropagation(); showPop(td); }
  });
  $("sheet").addEventListener("keydown", (ev) => {
    const td = ev.target.closest("td.flag");
    if (td && ev.key === "Enter") showPop(td);
  });
  document.addEventListener("click", (ev) => { if (!ev.target.closest("#pop")) hidePop(); });
  document.addEventListener("keydown", (ev) => { if (ev.key === "Escape") hidePop(); });
});
