"""A ledger as offices use it in the browser: Nayong's office uploads its labour sheet, sees the preview and imports
it; Bijie's officer approves the rows; on the dashboard the labour figure rises by exactly those workers, and
following the figure opens the list of the rows behind it, whose count is the figure."""
import os
import re
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import replaced, sign_in

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_number(n):
    first = f"5205251992071{n:04d}"
    return first + "10X98765432"[sum(int(c) * w for c, w in zip(first, WEIGHTS)) % 11]


def submit(browser, form):
    old = browser.find_element(By.TAG_NAME, "html")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 20).until(replaced(old))


def dashboard_figure(browser, server, code):
    browser.get(server + "/?year=2024")
    link = browser.find_element(By.CSS_SELECTOR, f"a[data-indicator={code}]")
    return int(link.text.replace(",", "")), link


def test_upload_preview_import_approve_and_follow_the_dashboard_figure(server, browser):
    before, _ = dashboard_figure(browser, server, "workers_placed")

    sheet = os.path.join(tempfile.mkdtemp(), "纳雍劳务.csv")
    with open(sheet, "w", encoding="utf-8") as f:
        f.write("2024年纳雍县劳务协作台账\n姓名,身份证号,户籍县,是否脱贫人口,用工单位,务工地,入职时间\n")
        for i in range(1, 4):
            f.write(f"浏览器工人{i},{id_number(i)},纳雍县,是,佛山浏览器测试厂,佛山市,2024年8月{i}日\n")
    sign_in(browser, server, "nayong.reporter")
    browser.get(server + "/ledgers/labour")
    form = browser.find_element(By.ID, "import-form")
    form.find_element(By.NAME, "file").send_keys(sheet)
    submit(browser, form)
    counts = browser.find_element(By.ID, "import-counts")
    assert counts.find_element(By.CSS_SELECTOR, "[data-n=added]").text == "3"
    assert counts.find_element(By.CSS_SELECTOR, "[data-n=rejected]").text == "0"
    # The preview masks ID numbers and writes nothing yet.
    assert id_number(1) not in browser.page_source
    submit(browser, browser.find_element(By.ID, "commit-form"))
    assert "已导入" in browser.find_element(By.ID, "import-done").text

    sign_in(browser, server, "bijie.officer")
    browser.get(server + "/ledgers/labour?state=submitted&region=520525")
    assert "浏览器工人1" in browser.find_element(By.ID, "ledger-rows").text
    submit(browser, browser.find_element(By.ID, "approve-shown"))

    sign_in(browser, server)
    after, link = dashboard_figure(browser, server, "workers_placed")
    assert after - before == 3
    link.click()
    WebDriverWait(browser, 10).until(lambda d: "/ledgers/labour" in d.current_url)
    total = int(re.search(r"共 (\d+) 条", browser.find_element(By.ID, "ledger-total").text).group(1))
    assert total == after
    states = {a.get_attribute("data-state") for a in browser.find_elements(By.CSS_SELECTOR, "#ledger-rows a[data-state]")}
    assert states == {"approved"}
    # The new workers are among those rows.
    browser.get(browser.current_url + "&q=浏览器工人")
    assert "共 3 条" in browser.find_element(By.ID, "ledger-total").text
