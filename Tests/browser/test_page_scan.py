"""Every page in both languages at desktop and phone size: nothing scrolls the whole page sideways, no date or short
word (a county's name, a state) breaks across lines, the menu stays on one line at 1366 px, and every input has a
label a screen reader can read."""
import pytest
from selenium.webdriver.common.by import By

from conftest import sign_in

SIZES = {"desktop": (1366, 900), "phone": (390, 844)}
PAGES = [
    "/workbench", "/?year=2024", "/agreements", "/agreements/1", "/projects", "/projects/1", "/projects/new", "/progress",
    "/review", "/ledgers", "/ledgers/labour", "/ledgers/labour?state=submitted", "/ledgers/investment", "/ledgers/labour/new", "/ledgers/consumption", "/regions", "/regions/520000",
    "/regions/520525", "/pairings", "/indicators", "/meetings", "/meetings/1", "/tasks", "/assessments", "/documents",
    "/documents/new", "/admin/users", "/admin/users/new", "/admin/audit", "/account/password", "/tokens",
    "/map?year=2024", "/map?year=2024&indicator=consumption_amount&measure=completion", "/screen?year=2024", "/public?year=2024",
    "/warnings?year=2024", "/warnings?year=2024&level=red", "/inbox",
]

# Collects, in the page, what a person would see as wrong.
SCAN = r"""
const out = {overflow: null, brokenDates: [], brokenWords: [], unlabelled: [], header: 0, navLines: 0, small: []};
const top = document.querySelector("header.top");
if (top) out.header = top.getBoundingClientRect().height / window.innerHeight;
const lines = els => new Set(els.filter(e => e.offsetParent !== null).map(e => Math.round(e.getBoundingClientRect().top))).size;
out.navLines = lines(Array.from(document.querySelectorAll("header.top nav a")));
// A short word or name in a table cell (a county, a state, a person) is read at a glance only on one line.
for (const cell of (document.querySelector("main") || document.body).querySelectorAll("td, th")) {
  if (cell.offsetParent === null) continue;
  const text = cell.textContent.trim();
  // (Punctuation and slashes are where Chinese may break: "县（市、区）", "启用/停用".)
  if (text.length < 2 || text.length > 6 || /[\s、，。（）()\/／·-]/.test(text)) continue;
  const texts = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  let t;
  while ((t = texts.nextNode())) {
    if (t.textContent.trim().length < 2) continue;
    const r = document.createRange();
    r.selectNodeContents(t);
    const tops = new Set(Array.from(r.getClientRects()).filter(x => x.width > 0).map(x => Math.round(x.top)));
    if (tops.size > 1) out.brokenWords.push(text);
  }
}
const doc = document.documentElement;
if (doc.scrollWidth > window.innerWidth + 1) out.overflow = doc.scrollWidth + " > " + window.innerWidth;
const walker = document.createTreeWalker(document.querySelector("main") || document.body, NodeFilter.SHOW_TEXT);
const date = /\d{4}-\d{2}-\d{2}/g;
let node;
while ((node = walker.nextNode())) {
  const el = node.parentElement;
  if (!el || el.offsetParent === null) continue;
  let m;
  while ((m = date.exec(node.textContent))) {
    const r = document.createRange();
    r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
    const tops = new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top)));
    if (tops.size > 1) out.brokenDates.push(m[0] + " in <" + el.tagName.toLowerCase() + ">");
  }
}
for (const el of document.querySelectorAll("input, select, textarea")) {
  if (el.type === "hidden" || el.type === "submit" || el.offsetParent === null) continue;
  const named = (el.labels && el.labels.length > 0) || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby") || el.title;
  if (!named) out.unlabelled.push((el.name || el.id || el.tagName) + "");
}
// A control a thumb cannot hit on a phone (checkboxes sit in their labels).
if (window.innerWidth <= 640) {
  for (const el of document.querySelectorAll("main input, main select, main textarea, main button, main .button, .pager a")) {
    if (el.type === "hidden" || el.type === "checkbox" || el.offsetParent === null) continue;
    if (el.getBoundingClientRect().height < 40) out.small.push((el.name || el.id || el.textContent.trim().slice(0, 12) || el.tagName) + "");
  }
}
return out;
"""


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_reads_well(server, browser, size, lang):
    browser.set_window_size(*SIZES[size])
    problems = []
    try:
        for path in PAGES:
            browser.get(server + path + ("&" if "?" in path else "?") + "lang=" + lang)
            found = browser.execute_script(SCAN)
            if found["overflow"]:
                problems.append(f"{path}: the page scrolls sideways ({found['overflow']})")
            for d in found["brokenDates"]:
                problems.append(f"{path}: a date breaks across lines: {d}")
            for w in sorted(set(found["brokenWords"])):
                problems.append(f"{path}: a short word breaks inside a table cell: {w}")
            if size == "desktop" and found["navLines"] > 1:
                problems.append(f"{path}: the menu wraps onto {found['navLines']} lines at {SIZES[size][0]} px")
            for i in found["small"]:
                problems.append(f"{path}: a control too small to tap on a phone: {i}")
            for i in found["unlabelled"]:
                problems.append(f"{path}: an input without a label: {i}")
            if found["header"] > 0.2:
                problems.append(f"{path}: the header takes {found['header']:.0%} of the screen")
    finally:
        browser.set_window_size(*SIZES["desktop"])
        browser.get(server + "/?lang=zh")
    assert not problems, "\n".join(problems)


def test_the_printed_report_keeps_words_and_dates_whole(server, browser):
    """The conference report as it goes to the PDF printer, at the width of an A4 page."""
    browser.set_window_size(794, 1123)
    try:
        sign_in(browser, server)
        browser.get(server + "/meetings/1/report?format=html")
        found = browser.execute_script(SCAN)
        problems = [f"a date breaks across lines: {d}" for d in found["brokenDates"]]
        problems += [f"a short word breaks inside a table cell: {w}" for w in sorted(set(found["brokenWords"]))]
        assert browser.find_elements(By.TAG_NAME, "td"), "the report has no tables"
        assert not problems, "\n".join(problems)
    finally:
        browser.set_window_size(*SIZES["desktop"])
