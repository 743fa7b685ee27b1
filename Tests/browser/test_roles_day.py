"""A reporter's and a reviewer's day, at desktop and at phone size: the reporter starts from its workbench, reports
a missing figure and imports ledger rows; the reviewer finds figures and rows in one queue, returns one without a
comment (told so beside it, nothing lost), then with one, and approves the rest one after another; the reporter
finds the returned figure on its workbench, corrects it and submits it again."""
import os
import tempfile

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import labour_id, replaced, sign_in, submit

SIZES = {"desktop": (1280, 1000), "phone": (390, 844)}


def id_number(n):
    return labour_id("5205251991031", n)


def queue_rows(browser, kind=None):
    rows = browser.find_elements(By.CSS_SELECTOR, "#review-queue tbody tr")
    return [r for r in rows if kind is None or r.get_attribute("data-kind") == kind]


@pytest.fixture(params=list(SIZES))
def size(request, browser):
    browser.set_window_size(*SIZES[request.param])
    yield request.param
    browser.set_window_size(*SIZES["desktop"])


def test_a_reporter_and_a_reviewer_through_their_day(server, browser, size):
    base = 400 if size == "desktop" else 500
    # The reporter: the workbench says what is missing; its link opens the form filled in.
    sign_in(browser, server, "nayong.reporter")
    browser.get(server + "/workbench")
    assert "纳雍县" in browser.find_element(By.ID, "workbench-scope").text
    missing = browser.find_elements(By.CSS_SELECTOR, "#missing a")
    assert missing  # (each size reports a different one)
    missing[0].click()
    form = browser.find_element(By.ID, "progress-form")
    assert form.find_element(By.NAME, "regionCode").get_attribute("value") == "520525"
    form.find_element(By.NAME, "value").send_keys(str(base))
    submit(browser, form)
    submit(browser, browser.find_element(By.ID, "submit-form"))
    figure_url = browser.current_url.split("?")[0]

    # A ledger row from the start page: the county is chosen for a county office; kept as a draft first (said so,
    # and listed on the workbench), then submitted from its page.
    browser.get(server + "/workbench")
    browser.find_element(By.CSS_SELECTOR, "#new-links a[href='/ledgers/consumption/new']").click()
    form = browser.find_element(By.ID, "ledger-form")
    assert Select(form.find_element(By.NAME, "county")).first_selected_option.get_attribute("value") == "520525"
    product = f"纳雍{size}刺梨汁"
    for name, text in (("product", product), ("supplier", "纳雍某食品厂"), ("buyer", "广州某食堂"), ("amount", "1,234.5万")):
        form.find_element(By.NAME, name).send_keys(text)
    Select(form.find_element(By.NAME, "channel")).select_by_index(1)
    browser.execute_script("arguments[0].value = '2024-10-08'", form.find_element(By.NAME, "date"))
    old = browser.find_element(By.TAG_NAME, "html")
    form.find_element(By.ID, "save-draft").click()
    WebDriverWait(browser, 20).until(replaced(old))
    assert "已保存为草稿" in browser.find_element(By.ID, "done-notice").text
    row_url = browser.current_url.split("?")[0]
    browser.get(server + "/workbench")
    draft = [a for a in browser.find_elements(By.CSS_SELECTOR, "#drafts a") if a.get_attribute("href") == row_url]
    assert draft
    draft[0].click()
    submit(browser, browser.find_element(By.ID, "submit-row-form"))
    assert "已提交审核" in browser.find_element(By.ID, "done-notice").text
    assert browser.find_element(By.ID, "row-state").get_attribute("data-state") == "submitted"

    sheet = os.path.join(tempfile.mkdtemp(), f"{size}.csv")
    with open(sheet, "w", encoding="utf-8") as f:
        f.write("姓名,身份证号,户籍县,用工单位,务工地,入职时间\n")
        for i in range(1, 3):
            f.write(f"{size}工人{i},{id_number(base + i)},纳雍县,佛山{size}厂,佛山市,2024-10-0{i}\n")
    browser.get(server + "/ledgers/labour")
    form = browser.find_element(By.ID, "import-form")
    form.find_element(By.NAME, "file").send_keys(sheet)
    submit(browser, form)
    submit(browser, browser.find_element(By.ID, "commit-form"))

    # The reviewer: one queue for both kinds, with what to compare them with.
    sign_in(browser, server, "bijie.officer")
    browser.get(server + "/review")
    figure_path = figure_url.replace(server, "")
    mine = [r for r in queue_rows(browser, "figure") if r.get_attribute("data-item") == figure_path]
    assert len(mine) == 1 and queue_rows(browser, "ledger")
    # Returned without a comment: the reason beside that row, and the queue as it was.
    submit(browser, mine[0].find_element(By.CSS_SELECTOR, "form.return-form"))
    row = next(r for r in queue_rows(browser, "figure") if r.get_attribute("data-item") == figure_path)
    assert row.find_element(By.CSS_SELECTOR, "form.return-form.invalid .error").text
    row.find_element(By.NAME, "comment").send_keys("请核对示范村数量")
    submit(browser, row.find_element(By.CSS_SELECTOR, "form.return-form"))
    assert not [r for r in queue_rows(browser) if r.get_attribute("data-item") == figure_path]
    # The reporter's consumption row is in the same queue.
    assert [r for r in queue_rows(browser, "ledger") if r.get_attribute("data-item") == row_url.replace(server, "")]
    # Approve and next: from one row's page to the next waiting item.
    mine = [r for r in queue_rows(browser, "ledger") if f"{size}工人" in r.text]
    assert len(mine) == 2
    first = mine[0].get_attribute("data-item")
    browser.get(server + first)
    submit(browser, browser.find_element(By.ID, "approve-next-form"))
    assert browser.current_url.replace(server, "") != first
    assert "/ledgers/" in browser.current_url or "/progress/" in browser.current_url or "done=1" in browser.current_url

    # The reporter finds the returned figure on its workbench, corrects it and submits it again.
    sign_in(browser, server, "nayong.reporter")
    browser.get(server + "/workbench")
    returned = [a for a in browser.find_elements(By.CSS_SELECTOR, "#returned a") if a.get_attribute("href") == figure_url]
    assert returned
    returned[0].click()
    correct = browser.find_element(By.ID, "correct-form")
    value = correct.find_element(By.NAME, "value")
    value.clear()
    value.send_keys(str(base + 1))
    submit(browser, correct)
    submit(browser, browser.find_element(By.ID, "submit-form"))
    assert "待审核" in browser.find_element(By.TAG_NAME, "main").text
    # Nothing on the phone scrolls the whole page sideways.
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    sign_in(browser, server)
