"""Early warnings and the inbox in the browser: from the dashboard to the warnings page and its export; an office's
monthly plan set on the agreement's page; an inbox item opened and no longer unread."""
import urllib.request

from selenium.webdriver.common.by import By

from conftest import sign_in, submit


def test_from_the_dashboard_to_the_warnings_and_a_monthly_plan(server, browser):
    browser.get(server + "/?year=2024")
    red = browser.find_element(By.ID, "dashboard-red").text.split()[-1]
    assert red.isdigit()
    browser.find_element(By.ID, "dashboard-warnings-link").click()
    assert "/warnings" in browser.current_url
    rows = browser.find_elements(By.CSS_SELECTOR, "#warnings-table tbody tr")
    assert rows and browser.find_element(By.ID, "warning-rule").text
    assert int(browser.find_element(By.ID, "warnings-red").text) == int(red)
    # The export is a spreadsheet for the same reader (the browser's session).
    href = browser.find_element(By.ID, "warnings-export").get_attribute("href")
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    with urllib.request.urlopen(urllib.request.Request(href, headers={"Cookie": cookie})) as r:
        assert "spreadsheetml" in r.headers["Content-Type"] and r.read()[:2] == b"PK"
    # A monthly plan on the province agreement's page.
    browser.get(server + "/agreements/1")
    form = browser.find_element(By.ID, "pace-form")
    form.find_element(By.NAME, "months").send_keys("5 5 5 5 10 10 10 10 10 10 10 10")
    submit(browser, form)
    assert browser.find_element(By.ID, "done-notice").text
    assert "5% 5% 5% 5% 10%" in browser.find_element(By.ID, "pace-table").text


def test_an_inbox_item_opened_is_read(server, browser):
    sign_in(browser, server, "bijie.officer")
    try:
        browser.get(server + "/inbox")
        unread = int(browser.find_element(By.ID, "inbox-unread").text)
        items = browser.find_elements(By.CSS_SELECTOR, "#inbox-list li.unread a")
        assert unread == len(items) and unread > 0
        key = items[0].find_element(By.XPATH, "..").get_attribute("data-key")
        items[0].click()
        assert "/inbox" not in browser.current_url
        browser.get(server + "/inbox")
        assert int(browser.find_element(By.ID, "inbox-unread").text) == unread - 1
        opened = browser.find_element(By.CSS_SELECTOR, f"#inbox-list li[data-key='{key}']")
        assert "unread" not in opened.get_attribute("class")
    finally:
        sign_in(browser, server)
