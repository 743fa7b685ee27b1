"""The county map, the leaders' screen on a wall-sized display, a phone-sized form and the public portal, each as a
person sees it: a screenshot is taken and checked (elements present and on screen, nothing overflowing)."""
import json
import os
import struct
import tempfile
import urllib.request

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import sign_in

LAYOUT = r"""
const doc = document.documentElement;
const boxes = {};
for (const id of arguments[0]) {
  const el = document.getElementById(id);
  if (!el) { boxes[id] = null; continue; }
  const r = el.getBoundingClientRect();
  boxes[id] = {left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height};
}
return {scrollWidth: doc.scrollWidth, scrollHeight: doc.scrollHeight, width: window.innerWidth, height: window.innerHeight, boxes};
"""


def viewport(browser, width, height, mobile=False):
    """The page's own size, exactly (a window's size includes the browser's frame)."""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})


def reset(browser):
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def screenshot(browser, name):
    """Takes a screenshot and checks it is a picture of the page's size with more than one colour in it."""
    path = os.path.join(tempfile.gettempdir(), name + ".png")
    assert browser.save_screenshot(path)
    with open(path, "rb") as f:
        head = f.read(24)
        f.seek(0)
        data = f.read()
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24])
    assert width >= 300 and height >= 300
    assert len(data) > 20_000, f"{name}: the screenshot is nearly blank ({len(data)} bytes)"
    return width, height


def test_the_map_shows_every_county_and_opens_one(server, browser):
    viewport(browser, 1366, 900)
    try:
        browser.get(server + "/map?year=2024")
        counties = browser.find_elements(By.CSS_SELECTOR, "#county-map path.county")
        assert len(counties) == 88
        found = browser.execute_script(LAYOUT, ["county-map", "map-table"])
        assert found["scrollWidth"] <= found["width"] + 1, "the map page scrolls sideways"
        box = found["boxes"]["county-map"]
        assert box and box["width"] > 600 and box["right"] <= found["width"]
        screenshot(browser, "xiezuo-map")
        # What hovering says is the county's <title>: name and figures; the county under the pointer is outlined.
        nayong = browser.find_element(By.CSS_SELECTOR, "#county-map path[data-code='520525']")
        tip = nayong.find_element(By.TAG_NAME, "title").get_attribute("textContent")
        assert tip.startswith("纳雍县") and "万元" in tip
        ActionChains(browser).move_to_element(nayong).perform()
        assert browser.execute_script("return getComputedStyle(arguments[0]).strokeWidth", nayong) == "2.5px"
        # Another indicator, by completion, then a click opens the county.
        browser.get(server + "/map?year=2024&indicator=consumption_amount&measure=amount")
        assert "采购和帮助销售西部产品" in browser.title
        browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))",
                               browser.find_element(By.CSS_SELECTOR, "#county-map path[data-code='520525']"))
        WebDriverWait(browser, 10).until(lambda d: "/regions/520525" in d.current_url)
        # The dashboard shows the same map, smaller, with a way to the full one.
        browser.get(server + "/?year=2024")
        assert browser.find_elements(By.CSS_SELECTOR, "#dashboard-map path.county")
        assert browser.find_element(By.ID, "dashboard-map-link").get_attribute("href").endswith("/map?year=2024")
    finally:
        reset(browser)


def test_the_leaders_screen_fills_a_wall_display_without_scrolling(server, browser):
    viewport(browser, 1920, 1080)
    try:
        browser.get(server + "/screen?year=2024")
        refresh = browser.find_element(By.CSS_SELECTOR, "meta[http-equiv='refresh']").get_attribute("content")
        assert int(refresh) > 0
        ids = ["screen-heading", "screen-overall", "screen-tiles", "screen-map", "screen-trend", "screen-warnings", "screen-overdue"]
        found = browser.execute_script(LAYOUT, ids)
        assert found["scrollWidth"] <= 1920 and found["scrollHeight"] <= 1080, f"the screen scrolls: {found['scrollWidth']}×{found['scrollHeight']}"
        for i in ids:
            b = found["boxes"][i]
            assert b and b["height"] > 0 and b["bottom"] <= 1080 and b["right"] <= 1920, f"{i} is off the screen: {b}"
        # Readable from across a room: the completion figures are large.
        size = browser.execute_script("return parseFloat(getComputedStyle(document.querySelector('.tile-big')).fontSize)")
        assert size >= 28
        assert len(browser.find_elements(By.CSS_SELECTOR, "#screen-tiles .tile")) >= 10
        assert browser.find_elements(By.CSS_SELECTOR, "#screen-map path.county")
        assert screenshot(browser, "xiezuo-screen") == (1920, 1080)
    finally:
        reset(browser)


def test_a_county_reporter_fills_a_ledger_row_on_a_phone(server, browser):
    viewport(browser, 390, 844, mobile=True)
    try:
        sign_in(browser, server, "nayong.reporter")
        browser.get(server + "/ledgers/labour/new")
        form = browser.find_element(By.ID, "ledger-form")
        found = browser.execute_script(LAYOUT, ["ledger-form"])
        assert found["scrollWidth"] <= 390, "the form scrolls sideways"
        assert found["boxes"]["ledger-form"]["right"] <= 390
        # Every control a thumb's size.
        small = browser.execute_script("""
            return Array.from(arguments[0].querySelectorAll('input, select, textarea, button'))
              .filter(e => e.type !== 'hidden' && e.type !== 'checkbox' && e.offsetParent !== null)
              .filter(e => e.getBoundingClientRect().height < 44 || e.getBoundingClientRect().right > 390)
              .map(e => e.name || e.id)""", form)
        assert not small, f"controls too small or off screen: {small}"
        screenshot(browser, "xiezuo-phone-form")
    finally:
        reset(browser)
        sign_in(browser, server)


def test_the_public_portal_needs_no_sign_in_and_offers_its_files(server, browser):
    # Its files, as a script would take them: no cookie at all.
    with urllib.request.urlopen(server + "/public/figures.json?year=2024") as r:
        assert r.headers["Cache-Control"].startswith("public")
        data = json.load(r)
    assert data["licence"] and data["figures"] and data["completedProjects"]
    with urllib.request.urlopen(server + "/public/figures.csv?year=2024") as r:
        assert r.headers["Content-Type"].startswith("text/csv")
        assert r.read().decode("utf-8").startswith("# ")
    # The page, at phone size, in a browser that has signed out.
    browser.find_element(By.ID, "logout").click()
    WebDriverWait(browser, 10).until(lambda d: "/login" in d.current_url)
    viewport(browser, 390, 844, mobile=True)
    try:
        browser.get(server + "/public?year=2024")
        assert "/login" not in browser.current_url
        found = browser.execute_script(LAYOUT, ["public-prefectures", "public-counties", "public-projects", "public-licence"])
        assert found["scrollWidth"] <= 390
        for i, b in found["boxes"].items():
            assert b and b["height"] > 0, f"{i} missing"
        assert browser.find_elements(By.CSS_SELECTOR, "#public-counties tbody tr")
        screenshot(browser, "xiezuo-public")
    finally:
        reset(browser)
        sign_in(browser, server)
