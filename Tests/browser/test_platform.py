"""What a cooperation officer does first: read the dashboard, open a project, add one, find it again."""
import os
import urllib.parse

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import sign_in

SHOTS = os.environ.get("XIEZUO_SCREENSHOTS")


def shot(browser, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        browser.save_screenshot(os.path.join(SHOTS, name + ".png"))


def test_dashboard_shows_agreement_completion_and_charts(server, browser):
    browser.get(server + "/")
    assert "粤黔2024年东西部协作协议" in browser.find_element(By.ID, "agreement-link").text
    overall = browser.find_element(By.ID, "overall").text
    assert overall.endswith("%") and overall != "—"
    charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart:not(.county-map)")
    assert len(charts) == 2
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.county-map")) == 1
    # Bars have a real size once the browser lays the SVG out.
    bars = browser.find_elements(By.CSS_SELECTOR, "svg.chart rect.bar")
    assert bars and all(b.size["width"] > 0 for b in bars)
    assert "毕节市" in browser.find_element(By.ID, "prefecture-table").text
    shot(browser, "dashboard")


def test_follow_the_dashboard_to_a_project(server, browser):
    browser.get(server + "/")
    browser.find_element(By.LINK_TEXT, "项目").click()
    first = browser.find_element(By.CSS_SELECTOR, "#project-table tbody tr td a")
    title = first.text
    first.click()
    assert browser.find_element(By.ID, "project-title").text == title
    assert "预算" in browser.find_element(By.ID, "funding").text


def fill(browser, name, value):
    el = browser.find_element(By.NAME, name)
    el.clear()
    el.send_keys(value)


def test_create_a_project_with_a_rejected_submission_then_find_it(server, browser):
    browser.get(server + "/projects")
    browser.find_element(By.ID, "new-project").click()
    # First attempt: no title and an impossible date. The form comes back with messages next to the fields.
    Select(browser.find_element(By.NAME, "pairingId")).select_by_value("2")
    Select(browser.find_element(By.NAME, "countyCode")).select_by_value("520525")
    Select(browser.find_element(By.NAME, "workArea")).select_by_value("industry")
    fill(browser, "plannedStart", "2024-02-30")
    fill(browser, "beneficiaries", "860")
    browser.find_element(By.CSS_SELECTOR, "#project-form button[type=submit]").click()
    assert browser.find_element(By.ID, "form-errors").is_displayed()
    assert browser.find_element(By.ID, "error-title").text == "必填。"
    assert "YYYY-MM-DD" in browser.find_element(By.ID, "error-plannedStart").text
    assert browser.find_element(By.NAME, "beneficiaries").get_attribute("value") == "860"
    shot(browser, "form-errors")

    fill(browser, "title", "纳雍县浏览器测试食用菌基地")
    fill(browser, "plannedStart", "2024-03-01")
    fill(browser, "plannedEnd", "2024-11-30")
    browser.find_element(By.CSS_SELECTOR, "#project-form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: "/projects/" in b.current_url and "new" not in b.current_url)
    assert browser.find_element(By.ID, "project-title").text == "纳雍县浏览器测试食用菌基地"

    # Find it through the filters; the filtered list has a URL that can be shared.
    browser.get(server + "/projects")
    Select(browser.find_element(By.NAME, "region")).select_by_value("520500")
    Select(browser.find_element(By.NAME, "workArea")).select_by_value("industry")
    fill(browser, "q", "食用菌")
    browser.find_element(By.CSS_SELECTOR, "#project-filters button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: "region=520500" in b.current_url)
    rows = browser.find_elements(By.CSS_SELECTOR, "#project-table tbody tr")
    assert [r.find_element(By.TAG_NAME, "a").text for r in rows] == ["纳雍县浏览器测试食用菌基地"]
    query = urllib.parse.parse_qs(urllib.parse.urlparse(browser.current_url).query)
    assert query["region"] == ["520500"] and query["q"] == ["食用菌"]
    browser.get(browser.current_url)
    assert len(browser.find_elements(By.CSS_SELECTOR, "#project-table tbody tr")) == 1


def test_english_switch(server, browser):
    browser.get(server + "/?lang=en")
    assert "Completion by prefecture" in browser.page_source
    browser.get(server + "/?lang=zh")
    assert "各市州完成情况" in browser.page_source
