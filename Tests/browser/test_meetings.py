"""A joint conference as the two offices follow it up: the eastern office records the meeting and its two decisions,
turns them into tasks for a Bijie office and its own, Bijie reports progress on its task, the Guangzhou task passes its
deadline, and both states show on the meeting page and the dashboard."""
import datetime

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import replaced, sign_in


def submit(browser, form):
    old = browser.find_element(By.TAG_NAME, "html")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 10).until(replaced(old))


def task_state(browser, title):
    for row in browser.find_elements(By.CSS_SELECTOR, "tr[data-task]"):
        if title in row.text:
            return row.find_element(By.CSS_SELECTOR, ".task-state").get_attribute("data-state"), row.get_attribute("class")
    raise AssertionError(f"task {title} not listed")


def test_meeting_decisions_tasks_update_and_overdue(server, browser):
    today = datetime.date.today()
    sign_in(browser, server, "guangzhou.officer")
    browser.get(server + "/meetings")
    browser.find_element(By.ID, "new-meeting").click()
    form = browser.find_element(By.ID, "meeting-form")
    Select(form.find_element(By.NAME, "kind")).select_by_value("joint_conference")
    Select(form.find_element(By.NAME, "pairingId")).select_by_visible_text("广州市 — 毕节市（市州结对）")
    form.find_element(By.NAME, "title").send_keys("穗毕东西部协作联席会议（浏览器测试）")
    form.find_element(By.NAME, "date").send_keys((today - datetime.timedelta(days=40)).isoformat())
    form.find_element(By.NAME, "place").send_keys("毕节市")
    submit(browser, form)
    meeting_url = browser.current_url
    assert "穗毕东西部协作联席会议（浏览器测试）" in browser.find_element(By.TAG_NAME, "h1").text

    for area, text in [("industry", "共建产业园区年内引进企业"), ("social", "组织赴粤务工专场招聘")]:
        form = browser.find_element(By.ID, "decision-form")
        Select(form.find_element(By.NAME, "workArea")).select_by_value(area)
        form.find_element(By.NAME, "text").send_keys(text)
        submit(browser, form)
    sections = browser.find_elements(By.CSS_SELECTOR, "section.decision")
    assert len(sections) == 2

    tasks = [("引进企业三家", "毕节市协作办", "520500", today + datetime.timedelta(days=60)),
             ("举办专场招聘会", "广州市协作办", "440100", today - datetime.timedelta(days=3))]
    for i, (title, office, region, deadline) in enumerate(tasks):
        form = browser.find_elements(By.CSS_SELECTOR, "section.decision")[i].find_element(By.CSS_SELECTOR, "form.task-form")
        form.find_element(By.NAME, "title").send_keys(title)
        form.find_element(By.NAME, "ownerOffice").send_keys(office)
        Select(form.find_element(By.NAME, "ownerRegionCode")).select_by_value(region)
        form.find_element(By.NAME, "deadline").send_keys(deadline.isoformat())
        submit(browser, form)
    assert task_state(browser, "引进企业三家")[0] == "open"
    state, cls = task_state(browser, "举办专场招聘会")
    assert state == "overdue" and "overdue" in cls

    # Bijie, the owner of the first task, reports progress from its queue.
    sign_in(browser, server, "bijie.officer")
    browser.get(server + "/tasks")
    browser.find_element(By.LINK_TEXT, "引进企业三家").click()
    form = browser.find_element(By.ID, "update-form")
    form.find_element(By.NAME, "text").send_keys("已与两家企业签约")
    form.find_element(By.NAME, "evidence").send_keys("毕协办〔2024〕12号")
    Select(form.find_element(By.NAME, "status")).select_by_value("in_progress")
    submit(browser, form)
    assert browser.find_element(By.ID, "task-state").get_attribute("data-state") == "in_progress"
    assert "已与两家企业签约" in browser.find_element(By.ID, "update-table").text

    # Both states on the meeting page, and the overdue one on the dashboard.
    browser.get(meeting_url)
    assert task_state(browser, "引进企业三家")[0] == "in_progress"
    assert task_state(browser, "举办专场招聘会")[0] == "overdue"
    browser.get(server + "/")
    overdue = browser.find_element(By.ID, "overdue-block").text
    assert "举办专场招聘会" in overdue and "引进企业三家" not in overdue
