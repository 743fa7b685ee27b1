"""A reporting round walked end to end in the browser: 毕节 opens it for two counties, 纳雍 fills in from its inbox
and submits, 大方 is late and reminded, the round is closed and locked, 纳雍 asks to change a figure, 毕节 approves, and
the figure's history shows the change with the request."""
import base64
import os
import re
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import sign_in, submit


def test_a_round_from_opening_to_an_approved_change(server, browser):
    try:
        sign_in(browser, server, "bijie.officer")
        browser.get(server + "/rounds")
        form = browser.find_element(By.ID, "round-form")
        # The period and the deadline come filled in: last month, ten days from today.
        year = form.find_element(By.NAME, "year").get_attribute("value")
        month = form.find_element(By.NAME, "month").get_attribute("value")
        assert year.isdigit() and month.isdigit()
        form.find_element(By.NAME, "title").send_keys("浏览器测试填报轮次")
        form.find_element(By.CSS_SELECTOR, "input[name=indicators][value=demo_villages]").click()
        form.find_element(By.CSS_SELECTOR, "input[name=allMembers]").click()  # not every county: two of them
        form.find_element(By.CSS_SELECTOR, "input[name=members][value='520525']").click()
        form.find_element(By.CSS_SELECTOR, "input[name=members][value='520521']").click()
        submit(browser, form)
        assert browser.find_element(By.ID, "round-notice").text
        round_url = browser.current_url.split("?")[0]
        statuses = {r.get_attribute("data-region"): r.get_attribute("data-status")
                    for r in browser.find_elements(By.CSS_SELECTOR, "#round-members-table tbody tr")}
        assert statuses == {"520525": "pending", "520521": "pending"}

        # 纳雍 finds the round in its inbox, fills in the missing figure from the round's page, and submits.
        sign_in(browser, server, "nayong.reporter")
        browser.get(server + "/inbox")
        item = [a for a in browser.find_elements(By.CSS_SELECTOR, "#inbox-list li a") if "浏览器测试填报轮次" in a.text]
        assert item
        item[0].click()
        assert browser.current_url.split("?")[0] == round_url
        missing = browser.find_element(By.CSS_SELECTOR, "#round-asks tr[data-state=missing] a")
        missing.click()
        figure_form = browser.find_element(By.ID, "progress-form")
        assert Select(figure_form.find_element(By.NAME, "indicatorCode")).first_selected_option.get_attribute("value") == "demo_villages"
        assert figure_form.find_element(By.NAME, "month").get_attribute("value") == month
        figure_form.find_element(By.NAME, "value").send_keys("6")
        submit(browser, figure_form)
        figure_url = browser.current_url.split("?")[0]
        # Evidence on the figure: a photo of the voucher, shown on the figure's page.
        photo = os.path.join(tempfile.mkdtemp(), "凭证照片.png")
        with open(photo, "wb") as f:
            f.write(base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGM4YaNhs8CNwS1v37MTUQAkRAXJF2KuTQAAAABJRU5ErkJggg=="))
        evidence = browser.find_element(By.ID, "evidence-form")
        evidence.find_element(By.NAME, "file").send_keys(photo)
        submit(browser, evidence)
        assert "凭证照片.png" in browser.find_element(By.ID, "evidence-list").text
        assert browser.find_elements(By.CSS_SELECTOR, "#evidence-list img.evidence-thumb")
        browser.get(round_url)
        submit(browser, browser.find_element(By.ID, "round-submit"))
        assert browser.find_element(By.ID, "round-my-status").text == "已上报"

        # 毕节 sees 大方 still out, reminds it in one click, then closes the round: 大方 is late, 纳雍's figure locked.
        sign_in(browser, server, "bijie.officer")
        browser.get(round_url)
        row = browser.find_element(By.CSS_SELECTOR, "#round-members-table tr[data-region='520521']")
        submit(browser, row.find_element(By.TAG_NAME, "form"))
        row = browser.find_element(By.CSS_SELECTOR, "#round-members-table tr[data-region='520521']")
        assert row.find_elements(By.TAG_NAME, "td")[3].text == "1"
        submit(browser, browser.find_element(By.ID, "round-close"))
        assert browser.find_element(By.ID, "round-lock").get_attribute("data-locked") == "true"
        row = browser.find_element(By.CSS_SELECTOR, "#round-members-table tr[data-region='520521']")
        assert row.get_attribute("data-status") == "late"

        # 纳雍 can no longer correct the figure; it asks for a change with a reason.
        sign_in(browser, server, "nayong.reporter")
        browser.get(figure_url)
        assert browser.find_element(By.ID, "figure-locked").text
        assert not browser.find_elements(By.ID, "correct-form")
        change = browser.find_element(By.ID, "change-form")
        change.find_element(By.NAME, "value").send_keys("8")
        change.find_element(By.NAME, "reason").send_keys("漏报两个示范村")
        submit(browser, change)
        assert browser.find_element(By.ID, "figure-notice").text
        assert "漏报两个示范村" in browser.find_element(By.ID, "figure-changes").text

        # 毕节 approves it from its list of requests; the figure takes the new value, approved, with its history.
        sign_in(browser, server, "bijie.officer")
        browser.get(server + "/changes")
        rows = [r for r in browser.find_elements(By.CSS_SELECTOR, "#changes-to-decide tbody tr") if "漏报两个示范村" in r.text]
        assert len(rows) == 1
        submit(browser, rows[0].find_element(By.CSS_SELECTOR, "form[action$='/approve']"))
        browser.get(figure_url)
        assert re.match(r"^8\b", browser.find_element(By.ID, "figure-value").text)
        assert browser.find_element(By.ID, "figure-state").get_attribute("data-state") == "approved"
        assert "按申请修改" in browser.find_element(By.ID, "history").text
    finally:
        sign_in(browser, server)
