"""The review chain as two offices live it: a county reports, the prefecture returns it, the county corrects,
the prefecture approves, and only then does the dashboard move."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import replaced, sign_in

NAME = "示范村建设"


def dashboard_figure(browser, server):
    browser.get(server + "/")
    for row in browser.find_elements(By.CSS_SELECTOR, "#indicator-table tbody tr"):
        cells = row.find_elements(By.TAG_NAME, "td")
        if cells[0].text == NAME:
            return int(cells[3].text.replace(",", ""))
    raise AssertionError("indicator not on the dashboard")


def click(browser, form_id):
    """Submits a form on a figure's page and waits for the next page to replace it (the same kind of page)."""
    old = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, f"#{form_id} button").click()
    WebDriverWait(browser, 10).until(replaced(old))
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.ID, "figure-state"))


def state(browser):
    return browser.find_element(By.ID, "figure-state").get_attribute("data-state")


def test_report_return_correct_approve(server, browser):
    sign_in(browser, server, "bijie.officer")
    start = dashboard_figure(browser, server)

    sign_in(browser, server, "nayong.reporter")
    browser.get(server + "/progress")
    Select(browser.find_element(By.NAME, "indicatorCode")).select_by_value("demo_villages")
    Select(browser.find_element(By.NAME, "regionCode")).select_by_value("520525")
    # The form starts at this month; the figure reported here is for November of the demo's year.
    for name, value in (("year", "2024"), ("month", "11")):
        field = browser.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)
    browser.find_element(By.NAME, "value").send_keys("300")
    old = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, "#progress-form button[type=submit]").click()
    WebDriverWait(browser, 10).until(replaced(old))
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.ID, "figure-state"))
    figure_url = browser.current_url
    assert state(browser) == "draft"
    click(browser, "submit-form")
    assert state(browser) == "submitted"

    sign_in(browser, server, "bijie.officer")
    assert dashboard_figure(browser, server) == start
    # The queue holds the demo round's figures too (oldest first): this one is opened from its own link.
    browser.get(figure_url)
    browser.find_element(By.NAME, "comment").send_keys("与台账人数不一致，请核对")
    click(browser, "return-form")
    assert state(browser) == "returned"

    sign_in(browser, server, "nayong.reporter")
    browser.get(figure_url)
    assert "与台账人数不一致" in browser.find_element(By.ID, "review-comment").text
    browser.find_element(By.NAME, "value").send_keys("280")
    click(browser, "correct-form")
    click(browser, "submit-form")
    assert state(browser) == "submitted"

    sign_in(browser, server, "bijie.officer")
    assert dashboard_figure(browser, server) == start
    browser.get(figure_url)
    click(browser, "approve-form")
    assert state(browser) == "approved"
    assert dashboard_figure(browser, server) == start + 280
